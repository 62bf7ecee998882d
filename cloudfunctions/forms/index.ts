/** `forms`: list and read forms; the unit's pre-review; resubmission after a return (SPEC §3.1–3.2). */
import type { Api, Files, FormStatus, FormType, MembershipLevel, Profile } from '../../typings/api';
import { BUSINESS_TYPES, BusinessType, judge } from '../../miniprogram/shared/eligibility';
import { FLOWS, STAGE_ACTOR, StageStatus } from '../../miniprogram/shared/flow';
import {
  businessPerson,
  feePerPerson,
  judgeAll,
  loadFacts,
  MemberFacts,
  personFacts,
  personRules,
  takeBusy,
} from '../domain/business/business';
import { AppError } from '../../miniprogram/shared/errors';
import { FORM_STATUS_LABEL, FORM_STATUSES, FORM_TYPE_LABEL, SPECIALTIES } from '../../miniprogram/shared/labels';
import { exportXlsx } from '../domain/exports/xlsx';
import { isDay } from '../../miniprogram/shared/dates';
import type { Database } from '../infra/cloud';
import { advance, firstStage, reentry, transition, nextFormNo } from '../domain/forms/engine';
import { ENDABLE, releaseForm } from '../domain/forms/ending';
import { draftRenewal, submitRenewal } from '../domain/membership/forms';
import { changeFiles, createChangeForm } from '../domain/membership/info-change';
import { paperOf } from './paper/for-form';
import { renderPaper } from './paper/render';
import { PAPERS, PaperKind, paperFileName } from './paper/templates';
import { issuerName } from '../domain/certs/public';
import { initCloud, uploadFile } from '../infra/cloud';
import { recordMade, TEMP_FILE_HOURS, unguessable } from '../domain/files/files';
import { CHANGE_INPUT, PROFILE_INPUT } from '../domain/join/input';
import { cleanFiles, FILES_INPUT } from '../infra/files';
import { attach, checkOwnFiles, idsOf } from '../domain/files/files';
import {
  billsOf,
  countByStatus,
  filterWhere,
  listScope,
  loadVisibleForm,
  onlyPerson,
  pageForms,
  requireActor,
} from '../domain/forms/queries';
import { checkApplication, joinPendingKey, membershipBill, personFrom, profileOf, requireJoinable } from '../domain/join/join';
import { BillDoc, certView, FormDoc, formView, MemberDoc, personFormView, UnitDoc } from '../domain/model';
import { revealId } from '../infra/pii';
import { adminUnitId, canActAt, grantOf } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { audit, AuditEvent, getDoc, inTransaction, mustGet, newId, Tx, pageOf } from '../infra/store';
import { claimPending, releasePending } from '../domain/forms/pending';
import { FieldErrors, ID, v } from '../infra/validate';
import { attachmentRules } from '../../miniprogram/shared/business-rules';
import { activeProfile } from '../infra/profile';
import { registrationFiles, submitRegistration } from '../domain/registration/registration';

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
function editedPerson(
  form: FormDoc,
  edits: { profile?: Record<string, unknown>; files?: Files },
  who: 'unit' | 'applicant',
  today: string,
  level: MembershipLevel = form.level || 'ordinary',
) {
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
  const checked = checkApplication(profile, files, kind, today, level);
  return personFrom(checked, files);
}

/**
 * Judge the people of a business form on today's facts, as submission does: still in the form's
 * unit, and every eligibility rule — the form's own registration and bills are not blockers of
 * itself (a returned form keeps them). NOT_ELIGIBLE with every refused person's reasons.
 */
async function judgeFormPeople(db: Database, form: FormDoc, unit: UnitDoc, today: string) {
  const members = (
    await db
      .collection(C.members)
      .where({ _id: db.command.in(form.memberIds || []) })
      .limit(100)
      .get()
  ).data as MemberDoc[];
  if (members.length !== (form.memberIds || []).length || members.some((m) => m.unitId !== form.unitId))
    throw new AppError('NOT_ELIGIBLE', '表单中有人员已不在本单位，请重新发起。');
  const facts = await loadFacts(db, members);
  for (const f of facts.values()) {
    if (f.busy) f.busy = { ...f.busy, entries: f.busy.entries.filter((e) => e.formId !== form._id) };
    f.unpaid = f.unpaid.filter((b) => b.formId !== form._id);
  }
  const ordered = (form.memberIds || []).map((id) => facts.get(id) as MemberFacts);
  const type = form.type as BusinessType;
  const verdicts = judgeAll(ordered, { type, certType: form.certType, reason: form.reason, unitName: unit.name }, today);
  return { ordered, verdicts };
}

/** Each person's own attachments: `[{ memberId, files }]`. */
const PEOPLE_FILES = v.list(v.object({ memberId: ID, files: FILES_INPUT }), { max: 50, label: '人员附件' });

export const main = createMain({
  list: action(
    v.object({
      status: v.optional(STATUS),
      type: v.optional(v.oneOf(TYPES, '业务类型')),
      name: v.optional(v.string({ min: 1, max: 30, label: '姓名' })),
      idNumber: v.optional(v.string({ min: 4, max: 30, label: '证件号码' })),
      from: v.optional(DAY),
      to: v.optional(DAY),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
      as: v.optional(
        v.oneOf(['member', 'unit_admin', 'org_reviewer', 'assoc_reviewer', 'finance', 'secretariat'] as const, '身份'),
      ),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api_['list']['res']> {
        for (const k of ['from', 'to'] as const)
          if (input[k] && !isDay(input[k])) throw new AppError('INVALID_INPUT', '日期不正确', { [k]: '日期不正确' });
        if (input.from && input.to && input.from > input.to)
          throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期', { from: '开始日期不能晚于结束日期' });
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const base = { ...listScope(ctx.openid, ctx.roles, input.as), ...filterWhere(ctx.db, input) };
        const where = input.status ? { ...base, status: input.status } : base;
        const [pageRes, counts] = await Promise.all([
          pageForms(ctx.db, where, page, pageSize),
          countByStatus(ctx.db, base),
        ]);
        return { ...pageRes, page, pageSize, counts };
      },
    },
  ),

  get: action(v.object({ formId: ID }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api_['get']['res']> {
      const visible = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      // A person named on a business form sees their own entry only, never a co-worker's.
      if (onlyPerson(visible)) return personFormView(visible.form, visible.personIndex as number);
      return viewOf(ctx.db, visible.form);
    },
  }),

  revealId: action(v.object({ formId: ID, person: v.optional(v.int({ min: 0, max: 999, label: '人员序号' })) }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api_['revealId']['res']> {
      const visible = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      const { form, parties } = visible;
      const index = input.person || 0;
      const person = form.people[index];
      if (!person) throw new AppError('NOT_FOUND', '表单中没有该人员。');
      // SPEC §4, issue 9: the full number to the unit's admins, to the reviewers of the form's
      // current stage, and to the holder for themselves — each read audited.
      const stage = form.status as StageStatus;
      const reviewerNow = stage in STAGE_ACTOR && STAGE_ACTOR[stage].role !== 'unit_admin' && canActAt(ctx.roles, stage, form);
      const holder =
        (parties.includes('applicant') && form.type === 'join' && index === 0) || visible.personIndex === index;
      const role: AuditEvent['role'] | null = parties.includes('unit_admin')
        ? 'unit_admin'
        : reviewerNow
          ? STAGE_ACTOR[stage].role
          : holder
            ? parties.includes('applicant')
              ? 'applicant'
              : 'member'
            : null;
      if (!role)
        throw new AppError(
          'FORBIDDEN',
          parties.includes('person') || parties.includes('applicant')
            ? '您只能查看本人的完整证件号码。'
            : '只有单位管理员、当前环节的审核人和本人可以查看完整证件号码。',
        );
      const idNumber = revealId(person.idCipher);
      await inTransaction(ctx.db, (t) =>
        audit(t, {
          targetType: 'form',
          targetId: form._id,
          action: 'reveal-id',
          actor: ctx.openid,
          role,
          remark: `查看完整证件号码：${person.idMasked}`,
          at: ctx.now,
        }),
      );
      return { idNumber };
    },
  }),

  prereview: action(
    v.object({
      formId: ID,
      decision: v.oneOf(['approve', 'return'] as const, '预审结论'),
      reason: v.optional(REASON),
      supplement: v.optional(v.object({ profile: v.optional(PROFILE_INPUT), files: v.optional(FILES_INPUT) })),
      level: v.optional(v.oneOf(['ordinary', 'professional'] as const, '会员级别')),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api_['prereview']['res']> {
        const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        requireActor(form, ctx.roles, ['unit_review'], input.version);
        if (input.decision === 'return') {
          if (!input.reason)
            throw new AppError('INVALID_INPUT', '退回时必须填写退回原因', { reason: '请填写退回原因' });
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
              patch: {
                returned: { to: 'applicant', from: 'unit_review', reason: input.reason, by: ctx.openid, at: ctx.now },
              },
            },
            ctx.now,
          );
          return viewOf(ctx.db, after);
        }
        if (form.type !== 'join') {
          // A member's own change request (个人信息变更): the unit approves it on to 机构初审.
          if (input.supplement || input.level)
            throw new AppError('INVALID_INPUT', '该申请不需要补充入会资料。', { supplement: '不适用' });
          const after = await transition(
            ctx.db,
            { formId: form._id, from: 'unit_review', to: advance(form, 'unit_review', []) as FormStatus, by: ctx.openid, role: 'unit_admin', remark: '单位预审通过', action: 'prereview-approve' },
            ctx.now,
          );
          return viewOf(ctx.db, after);
        }
        const sup = (input.supplement || {}) as { profile?: Record<string, unknown>; files?: unknown };
        const files = cleanFiles(sup.files);
        const person = editedPerson(form, { profile: sup.profile, files }, 'unit', ctx.today, input.level || form.level || 'ordinary');
        await checkOwnFiles(ctx.db, files, ctx.openid, { unitId: form.unitId, kept: form.people[0].files });
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
              await attach(t, idsOf(files), { formId: form._id });
              await t.collection(C.bills).add({ data: bill });
              await audit(t, {
                targetType: 'bill',
                targetId: bill._id,
                action: 'create',
                actor: ctx.openid,
                role: 'unit_admin',
                to: 'unpaid',
                remark: `会费 ${bill.amount} 元`,
                at: ctx.now,
              });
            },
          },
          ctx.now,
        );
        return viewOf(ctx.db, after);
      },
    },
  ),

  resubmit: action(
    v.object({
      formId: ID,
      profile: v.optional(PROFILE_INPUT),
      files: v.optional(FILES_INPUT),
      /** Business forms: each person's replaced attachments. */
      people: v.optional(PEOPLE_FILES),
      remark: v.optional(v.string({ min: 1, max: 200, label: '说明' })),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api_['resubmit']['res']> {
        const visible = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        // A person named on the form sees it, but resubmitting is the unit's or the applicant's.
        if (onlyPerson(visible)) throw new AppError('FORBIDDEN', '该表单由单位管理员办理。');
        const { form } = visible;
        if (
          form.status !== 'returned' ||
          !form.returned ||
          (input.version !== undefined && input.version !== form.version)
        )
          throw new AppError('CONFLICT', '该表单不是退回状态，可能已被重新提交，请刷新后查看。');
        const to = form.returned.to;
        const mayAct =
          to === 'applicant' ? form.applicantOpenid === ctx.openid : !!grantOf(ctx.roles, 'unit_admin', form.unitId);
        if (!mayAct)
          throw new AppError(
            'FORBIDDEN',
            to === 'applicant'
              ? '该表单已退回申请人，由申请人修改后重新提交。'
              : '该表单已退回单位，由单位管理员修改后重新提交。',
          );
        const files = cleanFiles(input.files);
        const kept = form.type === 'join' ? form.people[0].files : form.files;
        await checkOwnFiles(ctx.db, files, ctx.openid, { unitId: form.unitId, kept });
        const bills = await billsOf(ctx.db, form);
        const next = reentry(form, to, bills) as FormStatus;
        let patch: Record<string, unknown>;
        let rekey: ((t: Tx) => Promise<void>) | undefined;
        let personIds: string[] = [];
        if (form.type === 'join') {
          const person = editedPerson(form, { profile: input.profile, files }, to, ctx.today);
          // Every rule checked when applying is checked again (issue 9): meanwhile the person may
          // have become a member, or the applicant's WeChat may have been bound to a member record.
          // An upgrade (an ordinary member joining as professional) is by a member by design.
          if (!form.upgradeOf) await requireJoinable(ctx.db, person.idHash, form.applicantOpenid);
          const key = form.upgradeOf ? (form.pendingKey as string) : joinPendingKey(person.idHash);
          if (key !== form.pendingKey)
            rekey = async (t: Tx) => {
              await releasePending(t, form.pendingKey, form._id);
              await claimPending(t, key, form._id, ctx.now, '该证件号码已有一份入会申请正在办理中，请勿重复提交。');
            };
          patch = {
            people: [person],
            personHashes: [person.idHash],
            personNames: [person.name],
            pendingKey: key,
          };
        } else {
          // A business form keeps its people (still registered as busy); the unit replaces attachments.
          if (input.profile)
            throw new AppError('INVALID_INPUT', '业务表单重新提交时只能更换附件。', { profile: '只能更换附件' });
          // The rules of submission again, on today's facts (issue 9): the people may have left
          // the unit, lost their membership or started other business since.
          if ((BUSINESS_TYPES as readonly string[]).includes(form.type))
            await judgeFormPeople(ctx.db, form, await mustGet<UnitDoc>(ctx.db, C.units, form.unitId, '单位'), ctx.today);
          const merged = { ...(form.files || {}), ...files };
          // Business forms: their attachments and the rules of submission again; renewals and
          // information changes have no attachment list of their own.
          if ((BUSINESS_TYPES as readonly string[]).includes(form.type)) {
            const missing = formRulesMissing(form.type as BusinessType, form.reason, merged);
            if (missing.length) {
              const fields = Object.fromEntries(missing.map((r) => [`files.${r.key}`, `请上传${r.label}`]));
              throw new AppError('INVALID_INPUT', Object.values(fields)[0], fields);
            }
          }
          // A holder's registration: the profile's attachment table again (a PDF stays a PDF).
          patch = { files: form.registration ? await registrationFiles(ctx.db, activeProfile(), form, files) : merged };
          // Each person's attachments, replaced where given, all the table requires still there.
          if ((BUSINESS_TYPES as readonly string[]).includes(form.type)) {
            const own = await personAttachments(ctx.db, form, form.type as BusinessType, input.people || [], ctx.openid, form.unitId);
            patch.people = form.people.map((p) => ({ ...p, files: own.files[p.memberId as string] || {} }));
            personIds = own.ids;
          } else if (input.people?.length)
            throw new AppError('INVALID_INPUT', '该表单没有人员附件。', { people: '该表单没有人员附件' });
        }
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
            patch: { ...patch, returned: ctx.db.command.remove() },
            also: async (t) => {
              if (rekey) await rekey(t);
              await attach(t, [...idsOf(files), ...personIds], { formId: form._id });
            },
          },
          ctx.now,
        );
        return viewOf(ctx.db, after);
      },
    },
  ),

  eligible: action(
    v.object({
      type: v.oneOf(BUSINESS_TYPES, '业务类型'),
      certType: v.optional(v.string({ min: 2, max: 20, label: '证书类型' })),
      reason: v.optional(v.oneOf(['new-employer', 'renamed'] as const, '变更原因')),
      name: v.optional(v.string({ min: 1, max: 30, label: '姓名' })),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api_['eligible']['res']> {
        refuseUnitBusiness(input.type);
        const unitId = adminUnitId(ctx.roles);
        const unit = await mustGet<UnitDoc>(ctx.db, C.units, unitId, '单位');
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where: Record<string, unknown> = { unitId };
        if (input.name) where.name = input.name;
        const { docs: members, total } = await pageOf<MemberDoc>(ctx.db, C.members, where, { page, pageSize });
        const facts = await loadFacts(ctx.db, members);
        const req = { type: input.type, certType: input.certType, reason: input.reason, unitName: unit.name };
        const items = members.map((m) => {
          const f = facts.get(m._id) as MemberFacts;
          const verdict = judge(personFacts(f), req, ctx.today);
          return {
            memberId: m._id,
            name: m.name,
            gender: m.gender,
            idMasked: m.idMasked,
            eligible: verdict.eligible,
            reasons: verdict.reasons,
            membershipFeeDue: verdict.membershipFeeDue,
            certificates: f.certs.map((c) => certView(c, ctx.today)),
          };
        });
        return { items, total, page, pageSize };
      },
    },
  ),

  create: action(
    v.object({
      type: v.oneOf([...BUSINESS_TYPES, 'membership-renewal', 'member-info-change'] as const, '业务类型'),
      memberIds: v.list(ID, { min: 1, max: 50, label: '人员' }),
      /** membership-renewal: the level renewed. */
      level: v.optional(v.oneOf(['ordinary', 'professional'] as const, '会员级别')),
      /** member-info-change: what changes. */
      changes: v.optional(CHANGE_INPUT),
      certType: v.optional(v.string({ min: 2, max: 20, label: '证书类型' })),
      reason: v.optional(v.oneOf(['new-employer', 'renamed'] as const, '变更原因')),
      specialties: v.optional(v.list(v.oneOf(SPECIALTIES, '专业'), { min: 1, max: 2, label: '专业' })),
      files: v.optional(FILES_INPUT),
      people: v.optional(PEOPLE_FILES),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api_['create']['res']> {
        refuseUnitBusiness(input.type);
        const unitId = adminUnitId(ctx.roles);
        const unit = await mustGet<UnitDoc>(ctx.db, C.units, unitId, '单位');
        const ids: string[] = Array.from(new Set<string>(input.memberIds));
        if (input.type === 'membership-renewal') {
          if (!input.level) throw new AppError('INVALID_INPUT', '请选择要缴费的会员级别', { level: '请选择会员级别' });
          const form = await draftRenewal(ctx.db, { unit, memberIds: ids, level: input.level, by: ctx.openid, now: ctx.now });
          return viewOf(ctx.db, form);
        }
        if (input.type === 'member-info-change') {
          if (ids.length !== 1) throw new AppError('INVALID_INPUT', '个人信息变更一次办理一人', { memberIds: '请选择一人' });
          const member = await getDoc<MemberDoc>(ctx.db, C.members, ids[0]);
          if (!member || member.unitId !== unitId) throw new AppError('FORBIDDEN', '只能为本单位的人员办理业务。');
          const files = changeFiles(input.changes || {}, cleanFiles(input.files));
          await checkOwnFiles(ctx.db, files, ctx.openid, { unitId });
          const form = await createChangeForm(ctx.db, { member, unit, changes: input.changes || {}, files, by: ctx.openid, byMember: false, now: ctx.now, today: ctx.today });
          return viewOf(ctx.db, form);
        }
        const type = input.type as BusinessType;
        // Attachments first: only the caller's own uploads (or the unit's admins') may be attached.
        const files = cleanFiles(input.files);
        await checkOwnFiles(ctx.db, files, ctx.openid, { unitId });
        if ((type === 'initial-education' || type === 'specialty-change') && !input.specialties)
          throw new AppError('INVALID_INPUT', '请选择专业', { specialties: '请选择专业' });
        if (input.specialties && new Set(input.specialties).size !== input.specialties.length)
          throw new AppError('INVALID_INPUT', '专业1与专业2不能相同', { specialties: '专业1与专业2不能相同' });
        const found = (
          await ctx.db
            .collection(C.members)
            .where({ _id: ctx.db.command.in(ids) })
            .limit(100)
            .get()
        ).data as MemberDoc[];
        const foreign = ids.filter((id) => !found.some((m) => m._id === id && m.unitId === unitId));
        if (foreign.length) throw new AppError('FORBIDDEN', '只能为本单位的人员办理业务。');
        const facts = await loadFacts(ctx.db, found);
        const ordered = ids.map((id) => facts.get(id) as MemberFacts);
        const req = { type, certType: input.certType, reason: input.reason, unitName: unit.name };
        const verdicts = judgeAll(ordered, req, ctx.today);
        if (type === 'specialty-change') {
          const same = ordered.filter(
            (f, i) =>
              f.certs.find((c) => c._id === verdicts[i].certId)?.specialties.join('|') ===
              (input.specialties || []).join('|'),
          );
          if (same.length)
            throw new AppError('INVALID_INPUT', `${same[0].member.name}的证书专业已是所选专业`, {
              specialties: '所选专业与现有专业相同',
            });
        }
        const people = ordered.map((f, i) => businessPerson(f, verdicts[i]));
        const form: FormDoc = {
          _id: newId(),
          no: '',
          type,
          status: 'draft',
          unitId,
          unitName: unit.name,
          orgId: unit.orgId,
          memberIds: ids,
          ...(input.certType ? { certType: input.certType } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
          ...(input.specialties ? { specialties: input.specialties } : {}),
          files,
          people,
          personHashes: people.map((p) => p.idHash),
          personNames: people.map((p) => p.name),
          billIds: [],
          amountDue: 0,
          trail: [],
          version: 1,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        };
        // Each person's attachments may come with the draft (the rest at submission).
        const personAdded = await personAttachments(ctx.db, form, type, input.people || [], ctx.openid, unitId, false);
        for (const p of form.people) p.files = personAdded.files[p.memberId as string] || {};
        await inTransaction(ctx.db, async (t) => {
          await attach(t, [...idsOf(files), ...personAdded.ids], { formId: form._id });
          // The day's counter last: the busiest document is held for the shortest time.
          form.no = await nextFormNo(t, type, ctx.now);
          await t.collection(C.forms).add({ data: form });
          await audit(t, {
            targetType: 'form',
            targetId: form._id,
            action: 'create',
            actor: ctx.openid,
            role: 'unit_admin',
            to: 'draft',
            remark: `暂存 ${form.no}`,
            at: ctx.now,
          });
        });
        return viewOf(ctx.db, form);
      },
    },
  ),

  submit: action(
    v.object({
      formId: ID,
      files: v.optional(FILES_INPUT),
      /** Each person's own attachments where the manual asks them per person (issue 12). */
      people: v.optional(PEOPLE_FILES),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      // The unit's admins for the unit's forms; the holder for their own registration (issue 12).
      auth: 'user',
      async handler(input, ctx): Promise<Api_['submit']['res']> {
        const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        if (HOLDER_TYPES.includes(form.type)) {
          if (form.applicantOpenid !== ctx.openid) throw new AppError('FORBIDDEN', '只有持证人本人可以提交本人的登记申请。');
          if (form.status !== 'draft' || (input.version !== undefined && input.version !== form.version))
            throw new AppError('CONFLICT', '该登记已提交，请在登记记录中查看。');
          return viewOf(ctx.db, await submitRegistration(ctx.db, activeProfile(), form, { openid: ctx.openid, files: cleanFiles(input.files), now: ctx.now, today: ctx.today }));
        }
        if (!grantOf(ctx.roles, 'unit_admin')) throw new AppError('FORBIDDEN', '只有单位管理员可以提交本单位的业务表单。');
        const unitId = adminUnitId(ctx.roles);
        if (form.unitId !== unitId || form.type === 'join')
          throw new AppError('FORBIDDEN', '只能提交本单位发起的业务表单。');
        if (form.status !== 'draft' || (input.version !== undefined && input.version !== form.version))
          throw new AppError('CONFLICT', '该表单已提交，请刷新后查看。');
        if (form.type === 'membership-renewal') return viewOf(ctx.db, await submitRenewal(ctx.db, form, { by: ctx.openid, role: 'unit_admin', unitId, now: ctx.now }));
        if (form.type === 'member-info-change') {
          // Started by the unit: its own pre-review is the start, on to 机构初审.
          const sent = await transition(
            ctx.db,
            {
              formId: form._id,
              from: 'draft',
              to: FLOWS['member-info-change'][1],
              by: ctx.openid,
              role: 'unit_admin',
              remark: '单位发起个人信息变更',
              action: 'submit',
              also: (t, current) =>
                takeBusy(t, (current.memberIds || [])[0], current.personNames[0], { formId: current._id, formNo: current.no, type: current.type, phase: 'review' }, ctx.now, unitId),
            },
            ctx.now,
          );
          return viewOf(ctx.db, sent);
        }
        const type = form.type as BusinessType;
        const unit = await mustGet<UnitDoc>(ctx.db, C.units, unitId, '单位');
        const added = cleanFiles(input.files);
        await checkOwnFiles(ctx.db, added, ctx.openid, { unitId, kept: form.files });
        const files = { ...(form.files || {}), ...added };
        const missing = formRulesMissing(type, form.reason, files);
        if (missing.length) {
          const fields = Object.fromEntries(missing.map((r) => [`files.${r.key}`, `请上传${r.label}`]));
          throw new AppError('INVALID_INPUT', Object.values(fields)[0], fields);
        }
        // The same rules as the picker, on today's facts.
        const { ordered, verdicts } = await judgeFormPeople(ctx.db, form, unit, ctx.today);
        const personAdded = await personAttachments(ctx.db, form, type, input.people || [], ctx.openid, unitId);
        const people = ordered.map((f, i) => ({ ...businessPerson(f, verdicts[i]), files: personAdded.files[f.member._id] || {} }));
        const settings = await loadSettings(ctx.db);
        const bills: BillDoc[] = [];
        const fee = feePerPerson(type, settings);
        const base = {
          formId: form._id,
          formNo: form.no,
          formType: form.type,
          unitId,
          status: 'unpaid' as const,
          createdAt: ctx.now,
        };
        if (fee > 0)
          bills.push({
            ...base,
            _id: newId(),
            kind: 'auxiliary',
            amount: fee * people.length,
            memberIds: people.map((p) => p.memberId as string),
            names: people.map((p) => p.name),
          });
        for (const p of people.filter((x) => x.membershipFeeDue))
          bills.push({
            ...base,
            _id: newId(),
            kind: 'membership-personal',
            amount: settings.ordinaryMembershipFee,
            memberIds: [p.memberId as string],
            names: [p.name],
          });
        // Paying comes first; a form with nothing to pay starts at the first review stage.
        const first = firstStage(form, bills);
        const after = await transition(
          ctx.db,
          {
            formId: form._id,
            from: 'draft',
            to: first,
            by: ctx.openid,
            role: 'unit_admin',
            remark: '单位发起',
            action: 'submit',
            patch: {
              people,
              files,
              billIds: bills.map((b) => b._id),
              amountDue: bills.reduce((a, b) => a + b.amount, 0),
            },
            also: async (t) => {
              await attach(t, [...idsOf(added), ...personAdded.ids], { formId: form._id });
              for (const p of people)
                await takeBusy(
                  t,
                  p.memberId as string,
                  p.name,
                  { formId: form._id, formNo: form.no, type: form.type, phase: 'review' },
                  ctx.now,
                  unitId,
                );
              for (const b of bills) await t.collection(C.bills).add({ data: b });
            },
          },
          ctx.now,
        );
        return viewOf(ctx.db, after);
      },
    },
  ),

  discard: action(v.object({ formId: ID }), {
    // The unit's admins their unit's drafts; a holder their own registration draft (issue 12).
    auth: 'user',
    async handler(input, ctx): Promise<Api_['discard']['res']> {
      const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      const holder = HOLDER_TYPES.includes(form.type) && form.applicantOpenid === ctx.openid;
      const unitsOwn = !HOLDER_TYPES.includes(form.type) && !!grantOf(ctx.roles, 'unit_admin') && form.unitId === adminUnitId(ctx.roles);
      if (!holder && !unitsOwn) throw new AppError('FORBIDDEN', HOLDER_TYPES.includes(form.type) ? '只有持证人本人可以删除本人的登记暂存。' : undefined);
      if (form.status !== 'draft') throw new AppError('CONFLICT', '只有暂存的表单可以删除。');
      await inTransaction(ctx.db, async (t) => {
        const current = await getDoc<FormDoc>(t, C.forms, form._id);
        if (!current || current.status !== 'draft') throw new AppError('CONFLICT', '只有暂存的表单可以删除。');
        await t.collection(C.forms).doc(form._id).remove();
        await audit(t, {
          targetType: 'form',
          targetId: form._id,
          action: 'discard',
          actor: ctx.openid,
          role: holder ? 'member' : 'unit_admin',
          from: 'draft',
          remark: `删除暂存 ${form.no}`,
          at: ctx.now,
        });
      });
      return { formId: form._id };
    },
  }),

  /**
   * Withdraw a form not yet approved (issue 11): only whoever started it — the applicant for their
   * own application, the unit's admins for the unit's forms. Final: status `withdrawn`, unpaid bills
   * voided, paid ones flagged for refund, the person free again.
   */
  withdraw: action(
    v.object({
      formId: ID,
      reason: v.optional(v.string({ min: 1, max: 200, label: '撤回原因' })),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api_['withdraw']['res']> {
        const visible = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        const { form } = visible;
        const starter = form.applicantOpenid
          ? form.applicantOpenid === ctx.openid
          : !!grantOf(ctx.roles, 'unit_admin', form.unitId);
        if (!starter) throw new AppError('FORBIDDEN', form.applicantOpenid ? '只有申请人本人可以撤回该申请。' : '只有本单位管理员可以撤回该表单。');
        if (form.status === 'draft') throw new AppError('CONFLICT', '暂存的表单请直接删除。');
        if (!ENDABLE.includes(form.status) || (input.version !== undefined && input.version !== form.version))
          throw new AppError('CONFLICT', '该表单已办结或已变化，不能撤回，请刷新后查看。');
        const role = form.applicantOpenid ? 'applicant' : 'unit_admin';
        const reason = input.reason || '申请人撤回';
        const after = await transition(
          ctx.db,
          {
            formId: form._id,
            from: form.status,
            to: 'withdrawn',
            by: ctx.openid,
            role,
            remark: reason,
            action: 'withdraw',
            patch: { ended: { status: 'withdrawn', reason, by: ctx.openid, at: ctx.now }, pendingKey: ctx.db.command.remove() },
            also: (t, current) => releaseForm(t, current, { to: 'withdrawn', by: ctx.openid, role, reason, now: ctx.now }),
          },
          ctx.now,
        );
        return viewOf(ctx.db, after);
      },
    },
  ),

  /**
   * The pre-filled paper of a form (issue 12): print, sign, stamp, scan, upload. For the person
   * named (`person`, default the first): the holder themself, the unit's admins and the reviewers
   * of the current stage — those who may read the full ID number it carries; the print is audited.
   */
  paper: action(v.object({ formId: ID, person: v.optional(v.int({ min: 0, max: 999, label: '人员序号' })) }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api_['paper']['res']> {
      const visible = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
      const { form, parties } = visible;
      const index = input.person ?? visible.personIndex ?? 0;
      if (form.people.length && !form.people[index]) throw new AppError('NOT_FOUND', '表单中没有该人员。');
      const stage = form.status as StageStatus;
      const reviewerNow = stage in STAGE_ACTOR && STAGE_ACTOR[stage].role !== 'unit_admin' && canActAt(ctx.roles, stage, form);
      const holder = (parties.includes('applicant') && index === 0) || visible.personIndex === index;
      if (!parties.includes('unit_admin') && !reviewerNow && !holder)
        throw new AppError('FORBIDDEN', '只有本人、单位管理员和当前环节的审核人可以打印申请表。');
      const unit = form.unitId ? await getDoc<UnitDoc>(ctx.db, C.units, form.unitId) : null;
      const doc = paperOf(form, index, unit, await issuerName(ctx.db), ctx.now);
      const pdf = await renderPaper(doc);
      const fileID = await uploadFile(`papers/${form.unitId || 'self'}/${unguessable()}.pdf`, pdf);
      const memberId = form.memberIds?.[index];
      await recordMade(ctx.db, { fileID, openid: ctx.openid, purpose: 'export', kind: 'pdf', size: pdf.length, ...(form.unitId ? { unitId: form.unitId } : {}), ...(memberId ? { memberId } : {}), now: ctx.now, ttlHours: TEMP_FILE_HOURS });
      if (form.people[index])
        await inTransaction(ctx.db, (t) =>
          audit(t, { targetType: 'form', targetId: form._id, action: 'paper', actor: ctx.openid, role: parties.includes('unit_admin') ? 'unit_admin' : reviewerNow ? STAGE_ACTOR[stage].role : 'applicant', remark: `打印申请表（含完整证件号码）：${form.people[index].idMasked}`, at: ctx.now }),
        );
      const url = (((await initCloud().getTempFileURL({ fileList: [{ fileID, maxAge: 600 }] })) as { fileList: { tempFileURL?: string }[] }).fileList[0]?.tempFileURL) || '';
      return { fileID, url, fileName: paperFileName(doc, form.people[index]?.name) };
    },
  }),

  /** The association's blank forms to download (issue 12), rendered once and kept. */
  templates: action(v.object({}), {
    auth: 'user',
    async handler(_input, ctx): Promise<Api_['templates']['res']> {
      const association = await issuerName(ctx.db);
      const out: Api_['templates']['res'] = [];
      for (const kind of activeProfile().templates as PaperKind[]) {
        const spec = PAPERS[kind];
        const cloudPath = `templates/${kind}.pdf`;
        let fileID = `${TEMPLATE_CACHE.get(kind) || ''}`;
        if (!fileID) {
          fileID = await uploadFile(cloudPath, await renderPaper(spec.build({ association, createdAt: new Date('2026-01-01T00:00:00+08:00') })));
          TEMPLATE_CACHE.set(kind, fileID);
        }
        const url = (((await initCloud().getTempFileURL({ fileList: [{ fileID, maxAge: 3600 }] })) as { fileList: { tempFileURL?: string }[] }).fileList[0]?.tempFileURL) || '';
        out.push({ name: spec.title, kind, fileID, url });
      }
      return out;
    },
  }),

  /** The list as .xlsx (issue 12): the same scope and filters as `list`, up to 5,000 rows. */
  export: action(
    v.object({
      status: v.optional(STATUS),
      type: v.optional(v.oneOf(TYPES, '业务类型')),
      name: v.optional(v.string({ min: 1, max: 30, label: '姓名' })),
      idNumber: v.optional(v.string({ min: 4, max: 30, label: '证件号码' })),
      from: v.optional(DAY),
      to: v.optional(DAY),
      as: v.optional(v.oneOf(['member', 'unit_admin', 'org_reviewer', 'assoc_reviewer', 'finance', 'secretariat'] as const, '身份')),
    }),
    {
      auth: ['unit_admin', 'org_reviewer', 'assoc_reviewer', 'finance', 'secretariat'],
      async handler(input, ctx): Promise<Api_['export']['res']> {
        for (const k of ['from', 'to'] as const)
          if (input[k] && !isDay(input[k] as string)) throw new AppError('INVALID_INPUT', '日期不正确', { [k]: '日期不正确' });
        const base = { ...listScope(ctx.openid, ctx.roles, input.as), ...filterWhere(ctx.db, input) };
        const where = input.status ? { ...base, status: input.status } : base;
        const rows: Record<string, unknown>[] = [];
        for (let page = 1; page <= 5; page++) {
          const r = await pageForms(ctx.db, where, page, 1000);
          for (const f of r.items)
            rows.push({ no: f.no, type: FORM_TYPE_LABEL[f.type], status: FORM_STATUS_LABEL[f.status], unit: f.unit.name, names: f.names.join('、'), ids: f.idMasked.join('、'), createdAt: f.createdAt.slice(0, 16).replace('T', ' ') });
          if (r.items.length < 1000) break;
        }
        const unit = grantOf(ctx.roles, 'unit_admin');
        const file = await exportXlsx(ctx.db, '业务表单', FORM_COLUMNS, rows, { openid: ctx.openid, unitId: 'unitId' in where ? (where.unitId as string) : unit?.scopeId, now: ctx.now, folder: 'form-exports', fileName: `业务表单-${ctx.today.replace(/-/g, '')}.xlsx` });
        return { ...file, rows: rows.length };
      },
    },
  ),
});

/** An association whose holders register alone (the equipment profile) has no unit-started certificate business. */
function refuseUnitBusiness(type: string): void {
  if (!activeProfile().unitBusiness && (BUSINESS_TYPES as readonly string[]).includes(type))
    throw new AppError('NOT_ELIGIBLE', '本协会的证书业务由持证人本人在“我的证书”中办理（延续登记、变更登记）。', { type: '本协会不由单位办理该业务' });
}

/** The form-level attachments the table requires that `files` lacks. */
function formRulesMissing(type: BusinessType, reason: string | undefined, files: Files) {
  return attachmentRules(type, reason).filter((r) => r.per === 'form' && r.required && !files[r.key]);
}

/**
 * Each person's attachments (the table's per-person rules): what the draft already holds for them
 * with `given` over it, each the caller's own upload (or their unit's), every required one present
 * — INVALID_INPUT naming the person and the file otherwise.
 */
async function personAttachments(
  db: Database,
  form: FormDoc,
  type: BusinessType,
  given: { memberId: string; files: Files }[],
  openid: string,
  unitId: string,
  complete = true,
): Promise<{ files: Record<string, Files>; ids: string[] }> {
  const rules = personRules(type);
  const out: Record<string, Files> = {};
  const ids: string[] = [];
  const errors: FieldErrors = {};
  for (const g of given)
    if (!(form.memberIds || []).includes(g.memberId)) throw new AppError('INVALID_INPUT', '附件中的人员不在本表单中', { people: '附件中的人员不在本表单中' });
  for (const [i, memberId] of (form.memberIds || []).entries()) {
    const kept = form.people.find((p) => p.memberId === memberId)?.files || {};
    const added = cleanFiles(given.find((g) => g.memberId === memberId)?.files);
    for (const k of Object.keys(added) as (keyof Files)[])
      if (!rules.some((r) => r.key === k)) errors[`people.${i}.files.${k}`] = '该业务不需要此人员附件';
    // A refused upload is reported under the person's slot, not the form's slot of the same name.
    try {
      await checkOwnFiles(db, added, openid, { unitId, kept });
    } catch (e) {
      if (!(e instanceof AppError) || !e.fields) throw e;
      const fields = Object.fromEntries(Object.entries(e.fields).map(([k, val]) => [`people.${i}.${k}`, val]));
      throw new AppError(e.code, e.message, fields);
    }
    const files: Files = {};
    for (const r of rules) {
      const id = added[r.key] || kept[r.key];
      if (id) files[r.key] = id;
      else if (r.required && complete) errors[`people.${i}.files.${r.key}`] = `${form.personNames[i] || '人员'}：请上传${r.label}`;
    }
    out[memberId] = files;
    ids.push(...idsOf(added));
  }
  if (Object.keys(errors).length) throw new AppError('INVALID_INPUT', Object.values(errors)[0], errors);
  return { files: out, ids };
}

/** Forms the certificate holder starts and submits themself. */
const HOLDER_TYPES: FormType[] = ['registration-renewal', 'registration-change'];

/** What a list export writes: the list's own columns. */
const FORM_COLUMNS = [
  { header: '单号', key: 'no', width: 24 },
  { header: '业务类型', key: 'type', width: 18 },
  { header: '状态', key: 'status', width: 12 },
  { header: '单位', key: 'unit', width: 30 },
  { header: '人员', key: 'names', width: 30 },
  { header: '证件号码', key: 'ids', width: 30 },
  { header: '提交时间', key: 'createdAt', width: 20 },
];

/** Rendered templates of this warm instance (the association's name does not change under it). */
const TEMPLATE_CACHE = new Map<PaperKind, string>();
