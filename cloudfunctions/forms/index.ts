/** `forms`: list and read forms; the unit's pre-review; resubmission after a return (SPEC §3.1–3.2). */
import type { Api, Files, FormStatus, FormType, Profile } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { FORM_STATUSES } from '../../miniprogram/shared/labels';
import { isDay } from '../../miniprogram/shared/dates';
import type { Database } from '../common/cloud';
import { reentry, transition } from '../common/engine';
import { checkFiles, cleanFiles } from '../common/files';
import { billsOf, countByStatus, filterWhere, listScope, loadVisibleForm, pageForms, requireActor } from '../common/forms';
import { checkApplication, joinPendingKey, membershipBill, personFrom, profileOf } from '../common/join';
import { FormDoc, formView } from '../common/model';
import { revealId } from '../common/pii';
import { grantOf } from '../common/roles';
import { action, createMain } from '../common/router';
import { C } from '../common/schema';
import { loadSettings } from '../common/settings';
import { audit, inTransaction } from '../common/store';
import { FieldErrors, ID, v } from '../common/validate';

type Api_ = Api['forms'];
const STATUS = v.oneOf(FORM_STATUSES, '状态');
const TYPES: FormType[] = [
  'join',
  'initial-education',
  'continuing-education',
  'upgrade',
  'specialty-change',
  'cert-unit-change',
  'cert-cancel',
  'pro-continuing-education',
  'unit-membership',
  'unit-info-change',
];
const DAY = v.string({ min: 10, max: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, label: '日期' });
const REASON = v.string({ min: 2, max: 200, label: '退回原因' });
/** Fields a unit may complete or correct for its applicant; identity fields stay the person's own. */
const UNIT_EDITABLE: (keyof Profile)[] = ['address', 'education', 'title'];

async function viewOf(db: Database, form: FormDoc) {
  return formView(form, await billsOf(db, form));
}

/** Merge edits into the stored person and re-check the whole application. */
function editedPerson(form: FormDoc, edits: { profile?: Record<string, unknown>; files?: Files }, who: 'unit' | 'applicant', today: string) {
  const before = form.people[0];
  const profile: Profile = { ...profileOf(before) };
  const errors: FieldErrors = {};
  for (const [k, val] of Object.entries(edits.profile || {})) {
    if (who === 'unit' && !UNIT_EDITABLE.includes(k as keyof Profile)) {
      errors[`profile.${k}`] = '单位不能修改申请人的身份信息，请退回申请人修改';
      continue;
    }
    (profile as unknown as Record<string, unknown>)[k] = val;
  }
  if (Object.keys(errors).length) throw new AppError('INVALID_INPUT', Object.values(errors)[0], errors);
  const files = { ...before.files, ...(edits.files || {}) };
  // The unit completes a simple-code application, so from the unit everything is required.
  const kind = who === 'unit' ? 'join' : form.codeKind || 'join';
  const checked = checkApplication(profile, files, kind, today);
  return personFrom(checked, files);
}

export const main = createMain({
  list: action({
    auth: 'user',
    input: v.object({
      status: v.optional(STATUS),
      type: v.optional(v.oneOf(TYPES, '业务类型')),
      name: v.optional(v.string({ min: 1, max: 30, label: '姓名' })),
      idNumber: v.optional(v.string({ min: 4, max: 30, label: '证件号码' })),
      from: v.optional(DAY),
      to: v.optional(DAY),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
      as: v.optional(v.oneOf(['member', 'unit_admin', 'org_reviewer', 'assoc_reviewer', 'finance', 'secretariat'] as const, '身份')),
    }),
    async handler(input, ctx): Promise<Api_['list']['res']> {
      for (const k of ['from', 'to'] as const)
        if (input[k] && !isDay(input[k])) throw new AppError('INVALID_INPUT', '日期不正确', { [k]: '日期不正确' });
      if (input.from && input.to && input.from > input.to) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期', { from: '开始日期不能晚于结束日期' });
      const page = input.page || 1;
      const pageSize = input.pageSize || 20;
      const base = { ...listScope(ctx.openid, ctx.roles, input.as), ...filterWhere(ctx.db, input) };
      const where = input.status ? { ...base, status: input.status } : base;
      const [pageRes, counts] = await Promise.all([pageForms(ctx.db, where, page, pageSize), countByStatus(ctx.db, base)]);
      return { ...pageRes, page, pageSize, counts };
    },
  }),

  get: action({
    auth: 'user',
    input: v.object({ formId: ID }),
    async handler(input, ctx): Promise<Api_['get']['res']> {
      const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      return viewOf(ctx.db, form);
    },
  }),

  revealId: action({
    auth: 'user',
    input: v.object({ formId: ID, person: v.optional(v.int({ min: 0, max: 999, label: '人员序号' })) }),
    async handler(input, ctx): Promise<Api_['revealId']['res']> {
      const { form, parties } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      // SPEC §4: the full number only to the holder and to reviewers who need it.
      const party = parties.find((p) => p !== 'unit_admin');
      if (!party) throw new AppError('FORBIDDEN', '单位管理员只能查看脱敏后的证件号码。');
      const person = form.people[input.person || 0];
      if (!person) throw new AppError('NOT_FOUND', '表单中没有该人员。');
      const idNumber = revealId(person.idCipher);
      await inTransaction(ctx.db, (t) =>
        audit(t, {
          targetType: 'form',
          targetId: form._id,
          action: 'reveal-id',
          actor: ctx.openid,
          role: party === 'applicant' ? 'applicant' : party,
          remark: `查看完整证件号码：${person.idMasked}`,
          at: ctx.now,
        }),
      );
      return { idNumber };
    },
  }),

  prereview: action({
    auth: ['unit_admin'],
    input: v.object({
      formId: ID,
      decision: v.oneOf(['approve', 'return'] as const, '预审结论'),
      reason: v.optional(REASON),
      supplement: v.optional(v.record('补充信息')),
      level: v.optional(v.oneOf(['ordinary', 'professional'] as const, '会员级别')),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    async handler(input, ctx): Promise<Api_['prereview']['res']> {
      const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      requireActor(form, ctx.roles, ['unit_review'], input.version);
      if (input.decision === 'return') {
        if (!input.reason) throw new AppError('INVALID_INPUT', '退回时必须填写退回原因', { reason: '请填写退回原因' });
        const after = await transition(
          ctx.db,
          {
            formId: form._id,
            from: 'unit_review',
            to: 'returned',
            by: ctx.openid,
            role: 'unit_admin',
            remark: input.reason,
            action: 'prereview-return',
            patch: { returned: { to: 'applicant', from: 'unit_review', reason: input.reason, by: ctx.openid, at: ctx.now } },
          },
          ctx.now,
        );
        return viewOf(ctx.db, after);
      }
      const sup = (input.supplement || {}) as { profile?: Record<string, unknown>; files?: unknown };
      const files = cleanFiles(sup.files);
      const person = editedPerson(form, { profile: sup.profile, files }, 'unit', ctx.today);
      await checkFiles(files);
      const level = input.level || form.level || 'ordinary';
      const settings = await loadSettings(ctx.db);
      const bill = membershipBill(form, level, settings, ctx.now);
      const after = await transition(
        ctx.db,
        {
          formId: form._id,
          from: 'unit_review',
          to: 'awaiting_payment',
          by: ctx.openid,
          role: 'unit_admin',
          remark: '单位预审通过',
          action: 'prereview-approve',
          patch: { people: [person], level, billIds: [bill._id], amountDue: bill.amount },
          also: async (t) => {
            await t.collection(C.bills).add({ data: bill });
            await audit(t, { targetType: 'bill', targetId: bill._id, action: 'create', actor: ctx.openid, role: 'unit_admin', to: 'unpaid', remark: `会费 ${bill.amount} 元`, at: ctx.now });
          },
        },
        ctx.now,
      );
      return viewOf(ctx.db, after);
    },
  }),

  resubmit: action({
    auth: 'user',
    input: v.object({
      formId: ID,
      profile: v.optional(v.record('个人信息')),
      files: v.optional(v.record('附件')),
      remark: v.optional(v.string({ min: 1, max: 200, label: '说明' })),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    async handler(input, ctx): Promise<Api_['resubmit']['res']> {
      const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      if (form.status !== 'returned' || !form.returned || (input.version !== undefined && input.version !== form.version))
        throw new AppError('CONFLICT', '该表单不是退回状态，可能已被重新提交，请刷新后查看。');
      const to = form.returned.to;
      const mayAct = to === 'applicant' ? form.applicantOpenid === ctx.openid : !!grantOf(ctx.roles, 'unit_admin', form.unitId);
      if (!mayAct) throw new AppError('FORBIDDEN', to === 'applicant' ? '该表单已退回申请人，由申请人修改后重新提交。' : '该表单已退回单位，由单位管理员修改后重新提交。');
      const files = cleanFiles(input.files);
      const person = editedPerson(form, { profile: input.profile, files }, to, ctx.today);
      await checkFiles(files);
      const bills = await billsOf(ctx.db, form);
      const next = reentry(form, to, bills) as FormStatus;
      const after = await transition(
        ctx.db,
        {
          formId: form._id,
          from: 'returned',
          to: next,
          by: ctx.openid,
          role: to === 'applicant' ? 'applicant' : 'unit_admin',
          remark: input.remark || '修改后重新提交',
          action: 'resubmit',
          patch: {
            people: [person],
            personHashes: [person.idHash],
            personNames: [person.name],
            ...(form.type === 'join' ? { pendingKey: joinPendingKey(person.idHash) } : {}),
            returned: ctx.db.command.remove(),
          },
        },
        ctx.now,
      );
      return viewOf(ctx.db, after);
    },
  }),
});

