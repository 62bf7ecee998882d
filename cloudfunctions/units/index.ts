/**
 * `units`: a unit's own account (SPEC §3.6, manual FAQ 3.15 and 3.24) — its details, its admins
 * (one main admin, at most 3 sub-admins added by phone number and bound by scanning an invitation),
 * transferring the main role, applying to become a member unit, and changing its information
 * through review.
 */
import type { Api, FileKey, FormStatus, UnitAdminView } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { maskPhone } from '../../miniprogram/shared/id-number';
import {
  acceptInvitation,
  GrantDoc,
  InviteDoc,
  inviteView,
  issueInvitation,
  lockUnit,
  maskOpenid,
  MAX_SUB_ADMINS,
  normalizePhone,
  pendingInvites,
  PHONE,
  revokeGrant,
  revokeInvitation,
  subAdminSlotsTaken,
  unitAdmins,
} from '../domain/accounts/invitations';
import type { Database } from '../infra/cloud';
import { reentry, transition } from '../domain/forms/engine';
import { cleanFiles, FILE_RULES, FILES_INPUT } from '../infra/files';
import { attach, checkOwnFiles, idsOf } from '../domain/files/files';
import { billsOf, loadVisibleForm } from '../domain/forms/queries';
import { FormDoc, formSummary, formView, UnitDoc } from '../domain/model';
import { adminUnitId, grantOf, RoleGrant } from '../infra/roles';
import { action, Ctx, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { audit, getDoc, inTransaction, mustGet, newId } from '../infra/store';
import {
  assertUnitUnique,
  changedFields,
  cleanUnitFields,
  currentFields,
  describeChange,
  membershipActive,
  UNIT_FIELD_CHECKS,
  unitView,
} from '../domain/units/info';
import { createFeeForm, createUnitForm, isUnitForm, pendingUnitForms } from '../domain/units/forms';
import { UnitRequestDoc, unitRequestView } from '../domain/units/requests';
import { memberOfOpenid } from '../domain/forms/queries';
import { takeToken } from '../infra/rate-limit';
import { escapeRe, FILE_ID, ID, v } from '../infra/validate';
import { normalizeUnitName } from '../domain/units/info';

type U = Api['units'];

const CODE = v.string({ min: 1, max: 64, label: '二维码' });
const OPENID = v.string({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, label: '管理员' });
const REMARK = v.optional(v.string({ min: 1, max: 200, label: '说明' }));
/** Attachments of a unit's forms: the signed application / change form, the unit's commitment. */
const UNIT_FILE_KEYS: FileKey[] = ['applicationForm', 'commitment'];

/** The caller's unit-admin grant; FORBIDDEN for anyone else. */
function myGrant(ctx: Ctx): RoleGrant {
  const unitId = adminUnitId(ctx.roles);
  return grantOf(ctx.roles, 'unit_admin', unitId) as RoleGrant;
}

/** The caller's grant, only when it is the unit's main admin (manual FAQ 3.15). */
function mainGrant(ctx: Ctx): RoleGrant {
  const g = myGrant(ctx);
  if (!g.main) throw new AppError('FORBIDDEN', '只有单位主管理员可以管理子管理员。');
  return g;
}

function unitFiles(input: unknown) {
  const files = cleanFiles(input);
  const foreign = Object.keys(files).filter((k) => !UNIT_FILE_KEYS.includes(k as FileKey));
  if (foreign.length)
    throw new AppError('INVALID_INPUT', `不支持的附件：${FILE_RULES[foreign[0] as FileKey].label}`, {
      [`files.${foreign[0]}`]: '该业务不需要此附件',
    });
  return files;
}

function missingFiles(files: Record<string, string | undefined>, required: FileKey[]) {
  const missing = required.filter((k) => !files[k]);
  if (!missing.length) return;
  const fields = Object.fromEntries(missing.map((k) => [`files.${k}`, `请上传${FILE_RULES[k].label}`]));
  throw new AppError('INVALID_INPUT', Object.values(fields)[0], fields);
}

async function adminsOf(db: Database, unit: UnitDoc, ctx: Ctx): Promise<U['admins']['res']> {
  const me = myGrant(ctx);
  const isMain = !!me.main;
  const [admins, invites] = await Promise.all([unitAdmins(db, unit._id), pendingInvites(db, unit._id, ctx.now)]);
  const view = (g: GrantDoc): UnitAdminView => ({
    ...(isMain ? { openid: g.openid } : {}),
    openidMasked: maskOpenid(g.openid),
    ...(g.name ? { name: g.name } : {}),
    ...(g.phone ? { phone: isMain ? g.phone : maskPhone(g.phone) } : {}),
    main: !!g.main,
    me: g.openid === ctx.openid,
    ...(g.grantedAt ? { grantedAt: shanghaiIso(new Date(g.grantedAt)) } : {}),
  });
  const main = admins.find((a) => a.main);
  return {
    unit: { id: unit._id, name: unit.name },
    main: main ? view(main) : null,
    subs: admins.filter((a) => !a.main).map(view),
    // The unit sees its sub-admin invitations; a main-admin invitation is the secretariat's.
    pending: invites.filter((i) => !i.main).map((i) => inviteView(i, { showPhone: isMain })),
    max: MAX_SUB_ADMINS,
    canManage: isMain,
  };
}

async function myUnit(ctx: Ctx): Promise<UnitDoc> {
  return mustGet<UnitDoc>(ctx.db, C.units, adminUnitId(ctx.roles), '单位');
}

/** A sub-admin grant of the caller's unit by OPENID; NOT_FOUND when there is none. */
async function subAdminOf(db: Database, unitId: string, openid: string): Promise<GrantDoc> {
  const admins = await unitAdmins(db, unitId);
  const g = admins.find((a) => a.openid === openid);
  if (!g) throw new AppError('NOT_FOUND', '该管理员不存在或已被移除。');
  if (g.main) throw new AppError('FORBIDDEN', '主管理员不能被移除；如需更换，请先转让主管理员。');
  return g;
}

export const actions = {
  info: action(v.object({}), {
    auth: ['unit_admin'],
    async handler(_input, ctx): Promise<U['info']['res']> {
      const unit = await myUnit(ctx);
      const [org, pending, settings] = await Promise.all([
        getDoc<{ name: string }>(ctx.db, C.orgs, unit.orgId),
        pendingUnitForms(ctx.db, unit._id),
        loadSettings(ctx.db),
      ]);
      return {
        unit: unitView(unit, org?.name || '', ctx.today),
        main: !!myGrant(ctx).main,
        pending: pending.map(formSummary),
        membershipFee: settings.unitMembershipFee,
        canApplyMembership: !membershipActive(unit, ctx.today),
      };
    },
  }),

  admins: action(v.object({}), {
    auth: ['unit_admin'],
    async handler(_input, ctx): Promise<U['admins']['res']> {
      return adminsOf(ctx.db, await myUnit(ctx), ctx);
    },
  }),

  inviteSubAdmin: action(v.object({ phone: PHONE, name: v.optional(v.string({ min: 2, max: 30, label: '姓名' })) }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<U['inviteSubAdmin']['res']> {
      const g = mainGrant(ctx);
      const unitId = g.scopeId;
      const phone = normalizePhone(input.phone);
      const settings = await loadSettings(ctx.db);
      const check = async () => {
        const [admins, invites] = await Promise.all([
          unitAdmins(ctx.db, unitId),
          pendingInvites(ctx.db, unitId, ctx.now),
        ]);
        if (admins.some((a) => a.phone === phone))
          throw new AppError('DUPLICATE', '该手机号已是本单位的管理员。', { phone: '该手机号已是本单位的管理员' });
        if (invites.some((i) => i.phone === phone && !i.main))
          throw new AppError('DUPLICATE', '已向该手机号发出邀请，等待对方扫码确认；如需重发请先撤销。', {
            phone: '已有待确认的邀请',
          });
        if ((await subAdminSlotsTaken(ctx.db, unitId, ctx.now)) >= MAX_SUB_ADMINS)
          throw new AppError(
            'NOT_ELIGIBLE',
            `每个单位最多设${MAX_SUB_ADMINS}个子管理员（含待确认的邀请），请先移除子管理员或撤销邀请。`,
          );
      };
      // Checked before the QR image is made, and again inside the transaction.
      await check();
      return issueInvitation(
        ctx.db,
        {
          kind: 'sub-admin',
          role: 'unit_admin',
          scopeId: unitId,
          main: false,
          phone,
          ...(input.name ? { name: input.name } : {}),
          ttlHours: settings.inviteTtlHours,
          guard: check,
        },
        { openid: ctx.openid, role: 'unit_admin', now: ctx.now },
      );
    },
  }),

  /** The invitee scans: sub-admin invitations and the secretariat's role invitations alike. */
  acceptInvite: action(v.object({ code: CODE, phone: v.optional(PHONE) }), {
    auth: 'user',
    async handler(input, ctx): Promise<U['acceptInvite']['res']> {
      return acceptInvitation(ctx.db, input, ctx);
    },
  }),

  removeSubAdmin: action(v.object({ openid: OPENID }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<U['removeSubAdmin']['res']> {
      const unitId = mainGrant(ctx).scopeId;
      const target = await subAdminOf(ctx.db, unitId, input.openid);
      await revokeGrant(
        ctx.db,
        target._id as string,
        { openid: ctx.openid, role: 'unit_admin', now: ctx.now, remark: '主管理员移除子管理员' },
        async (g) => {
          if (g.main || g.scopeId !== unitId) throw new AppError('CONFLICT', '该管理员的身份已变化，请刷新后查看。');
        },
      );
      return adminsOf(ctx.db, await myUnit(ctx), ctx);
    },
  }),

  revokeInvite: action(v.object({ inviteId: ID }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<U['revokeInvite']['res']> {
      const unitId = mainGrant(ctx).scopeId;
      const inv = await getDoc<InviteDoc>(ctx.db, C.codes, input.inviteId);
      if (!inv || inv.unitId !== unitId || inv.kind !== 'sub-admin')
        throw new AppError('NOT_FOUND', '该邀请不存在或不属于本单位。');
      await revokeInvitation(ctx.db, inv, { openid: ctx.openid, role: 'unit_admin', now: ctx.now });
      return adminsOf(ctx.db, await myUnit(ctx), ctx);
    },
  }),

  /** Hand the main role to one of the unit's sub-admins; the old main admin stays as a sub-admin. */
  transferMain: action(v.object({ openid: OPENID }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<U['transferMain']['res']> {
      const mine = mainGrant(ctx);
      const unitId = mine.scopeId;
      if (input.openid === ctx.openid)
        throw new AppError('INVALID_INPUT', '您已是主管理员。', { openid: '请选择子管理员' });
      const target = await subAdminOf(ctx.db, unitId, input.openid);
      await inTransaction(ctx.db, async (t) => {
        await lockUnit(t, unitId);
        const from = await getDoc<GrantDoc>(t, C.roles, mine._id as string);
        const to = await getDoc<GrantDoc>(t, C.roles, target._id as string);
        if (!from || !from.main || from.scopeId !== unitId)
          throw new AppError('CONFLICT', '您已不是本单位的主管理员，请刷新后查看。');
        if (!to || to.main || to.scopeId !== unitId)
          throw new AppError('CONFLICT', '该子管理员已被移除或身份已变化，请刷新后查看。');
        await t
          .collection(C.roles)
          .doc(from._id)
          .update({ data: { main: false } });
        await t
          .collection(C.roles)
          .doc(to._id)
          .update({ data: { main: true } });
        for (const [g, fromRole, toRole] of [
          [from, 'main', 'sub'],
          [to, 'sub', 'main'],
        ] as const)
          await audit(t, {
            targetType: 'role',
            targetId: g._id,
            action: 'transfer-main',
            actor: ctx.openid,
            role: 'unit_admin',
            from: fromRole,
            to: toRole,
            remark: `主管理员由 ${maskOpenid(from.openid)} 转让给 ${maskOpenid(to.openid)}`,
            at: ctx.now,
          });
      });
      // The caller is a sub-admin now: answer as one.
      const roles = ctx.roles.map((g) => (g.role === 'unit_admin' && g.scopeId === unitId ? { ...g, main: false } : g));
      return adminsOf(ctx.db, await myUnit(ctx), { ...ctx, roles });
    },
  }),

  /** A non-member (or lapsed) unit applies to become a member unit: form + membership fee. */
  applyMembership: action(v.object({ files: FILES_INPUT, remark: REMARK }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<U['applyMembership']['res']> {
      const unit = await myUnit(ctx);
      if (membershipActive(unit, ctx.today))
        throw new AppError('NOT_ELIGIBLE', `本单位已是单位会员，会籍有效期至 ${unit.memberUntil}，无需申请。`);
      const files = unitFiles(input.files);
      missingFiles(files, ['applicationForm']);
      await checkOwnFiles(ctx.db, files, ctx.openid, { unitId: unit._id });
      const settings = await loadSettings(ctx.db);
      const form = await createUnitForm(ctx.db, {
        type: 'unit-membership',
        unit,
        files,
        fee: settings.unitMembershipFee,
        remark: input.remark || '申请成为单位会员',
        by: ctx.openid,
        now: ctx.now,
      });
      return formView(form, await billsOf(ctx.db, form));
    },
  }),

  /**
   * The units a holder may name as their new employer (变更登记, issue 12): by the start of the name
   * (served by the name index), two characters at least, names only — never a whole list at once.
   */
  directory: action(
    v.object({
      q: v.string({ min: 2, max: 60, label: '单位名称' }),
      page: v.optional(v.int({ min: 1, max: 100, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 20, label: '每页条数' })),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<U['directory']['res']> {
        if (!(await memberOfOpenid(ctx.db, ctx.openid))) throw new AppError('FORBIDDEN', '请先绑定您的会员记录，再选择工作单位。');
        await takeToken(ctx.db, 'unit-directory', ctx.openid, ctx.now, 60, 2);
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where = { name: ctx.db.RegExp({ regexp: `^${escapeRe(normalizeUnitName(input.q))}`, options: '' }) };
        const coll = ctx.db.collection(C.units);
        const [list, count] = await Promise.all([
          coll.where(where).orderBy('name', 'asc').skip((page - 1) * pageSize).limit(pageSize).field({ name: true }).get(),
          coll.where(where).count(),
        ]);
        return { items: (list.data as UnitDoc[]).map((u) => ({ id: u._id, name: u.name })), total: count.total as number, page, pageSize };
      },
    },
  ),

  /** 找不到单位: a holder (a member) asks for their employer to be added (issue 12). */
  request: action(
    v.object({
      name: v.string({ min: 4, max: 60, label: '单位名称' }),
      creditCode: v.string({ min: 18, max: 40, label: '统一社会信用代码' }),
      contact: v.optional(v.string({ min: 2, max: 60, label: '联系方式' })),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<U['request']['res']> {
        if (!(await memberOfOpenid(ctx.db, ctx.openid)))
          throw new AppError('FORBIDDEN', '请先绑定您的会员记录（扫码补充身份资料），再申请添加单位。');
        const fields = cleanUnitFields({ name: input.name, creditCode: input.creditCode });
        // An existing unit by name or code: nothing to add — say which.
        await assertUnitUnique(ctx.db, fields);
        await takeToken(ctx.db, 'unit-request', ctx.openid, ctx.now, 3, 3600);
        const req: UnitRequestDoc = {
          _id: newId(),
          name: fields.name as string,
          creditCode: fields.creditCode as string,
          ...(input.contact ? { contact: input.contact } : {}),
          openid: ctx.openid,
          status: 'pending',
          createdAt: ctx.now,
        };
        await inTransaction(ctx.db, async (t) => {
          await t.collection(C.unitRequests).add({ data: req });
          await audit(t, { targetType: 'unit', targetId: req._id, action: 'unit-request', actor: ctx.openid, role: 'member', remark: `申请添加单位：${req.name}（${req.creditCode}）`, at: ctx.now });
        });
        return unitRequestView(req);
      },
    },
  ),

  /** 单位会费缴纳 (会费登记申请): the main admin pays a year's fee with its receipt; finance approves. */
  payMembership: action(
    v.object({
      year: v.int({ min: 2000, max: 2100, label: '年度' }),
      receipt: FILE_ID,
      invoice: v.optional(
        v.object({
          title: v.string({ min: 2, max: 100, label: '发票抬头' }),
          taxId: v.optional(v.string({ min: 15, max: 20, pattern: /^[0-9A-Z]+$/, label: '纳税人识别号' })),
          email: v.optional(v.string({ max: 100, pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, label: '电子邮箱' })),
          phone: v.optional(v.string({ min: 11, max: 11, pattern: /^1[3-9]\d{9}$/, label: '手机号码' })),
        }),
      ),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<U['payMembership']['res']> {
        if (!myGrant(ctx).main) throw new AppError('FORBIDDEN', '只有单位主管理员可以缴纳单位会费。');
        const unit = await myUnit(ctx);
        if (!unit.isMember) throw new AppError('NOT_ELIGIBLE', '本单位还不是单位会员：请先提交单位入会申请。');
        const thisYear = Number(ctx.today.slice(0, 4));
        if (input.year < thisYear || input.year > thisYear + 1)
          throw new AppError('INVALID_INPUT', `只能缴纳${thisYear}或${thisYear + 1}年度的会费。`, { year: '年度不正确' });
        if (unit.memberUntil && unit.memberUntil >= `${input.year}-12-31`)
          throw new AppError('CONFLICT', `本单位${input.year}年度会费已缴纳（会籍有效期至 ${unit.memberUntil}）。`);
        await checkOwnFiles(ctx.db, { receipt: input.receipt }, ctx.openid, { unitId: unit._id });
        const settings = await loadSettings(ctx.db);
        const form = await createFeeForm(ctx.db, { unit, year: input.year, fee: settings.unitMembershipFee, receipt: input.receipt, invoice: input.invoice, by: ctx.openid, now: ctx.now });
        return { formId: form._id };
      },
    },
  ),

  /** A change of the unit's details, applied when the association approves it. */
  requestInfoChange: action(v.object({ ...UNIT_FIELD_CHECKS, files: v.optional(FILES_INPUT), remark: REMARK }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<U['requestInfoChange']['res']> {
      const unit = await myUnit(ctx);
      const after = changedFields(unit, cleanUnitFields(input));
      if (!Object.keys(after).length)
        throw new AppError('INVALID_INPUT', '请填写要变更的单位信息（与现有信息相同的不算变更）。');
      await assertUnitUnique(ctx.db, after, unit._id);
      const files = unitFiles(input.files);
      await checkOwnFiles(ctx.db, files, ctx.openid, { unitId: unit._id });
      const before = currentFields(unit, after);
      const form = await createUnitForm(ctx.db, {
        type: 'unit-info-change',
        unit,
        files,
        unitChange: { before, after },
        remark: input.remark || describeChange(before, after),
        by: ctx.openid,
        now: ctx.now,
      });
      return formView(form, await billsOf(ctx.db, form));
    },
  }),

  /** A returned unit form, corrected and sent back into review (manual FAQ 3.21). */
  resubmit: action(
    v.object({
      formId: ID,
      changes: v.optional(v.object(UNIT_FIELD_CHECKS)),
      files: v.optional(FILES_INPUT),
      remark: REMARK,
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<U['resubmit']['res']> {
        const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        const unitId = adminUnitId(ctx.roles);
        if (form.unitId !== unitId || !isUnitForm(form.type))
          throw new AppError('FORBIDDEN', '只能重新提交本单位的单位入会或信息变更申请。');
        if (
          form.status !== 'returned' ||
          !form.returned ||
          (input.version !== undefined && input.version !== form.version)
        )
          throw new AppError('CONFLICT', '该表单不是退回状态，可能已被重新提交，请刷新后查看。');
        const unit = await myUnit(ctx);
        const patch: Partial<FormDoc> & Record<string, unknown> = { returned: ctx.db.command.remove() };
        if (form.type === 'unit-info-change' && input.changes) {
          const after = changedFields(unit, cleanUnitFields({ ...form.unitChange?.after, ...input.changes }));
          if (!Object.keys(after).length)
            throw new AppError('INVALID_INPUT', '请填写要变更的单位信息（与现有信息相同的不算变更）。');
          await assertUnitUnique(ctx.db, after, unit._id);
          patch.unitChange = { before: currentFields(unit, after), after };
        } else if (input.changes) {
          throw new AppError('INVALID_INPUT', '单位入会申请不能修改单位信息，请另行提交信息变更。');
        } else if (form.type === 'unit-info-change' && form.unitChange) {
          // The rules of submission again (issue 9): the asked-for name or code may be taken now.
          await assertUnitUnique(ctx.db, form.unitChange.after, unit._id);
        }
        // A unit that became a member meanwhile does not apply again.
        if (form.type === 'unit-membership' && membershipActive(unit, ctx.today))
          throw new AppError('NOT_ELIGIBLE', `本单位已是单位会员，会籍有效期至 ${unit.memberUntil}，无需申请。`);
        const added = unitFiles(input.files);
        await checkOwnFiles(ctx.db, added, ctx.openid, { unitId, kept: form.files });
        const files = { ...(form.files || {}), ...added };
        if (form.type === 'unit-membership') missingFiles(files, ['applicationForm']);
        patch.files = files;
        const next = reentry(form, 'unit', await billsOf(ctx.db, form)) as FormStatus;
        const sent = await transition(
          ctx.db,
          {
            formId: form._id,
            from: 'returned',
            to: next,
            by: ctx.openid,
            role: 'unit_admin',
            remark: input.remark || '修改后重新提交',
            action: 'resubmit',
            patch,
            also: (t) => attach(t, idsOf(added), { formId: form._id }),
          },
          ctx.now,
        );
        return formView(sent, await billsOf(ctx.db, sent));
      },
    },
  ),
};

export const main = createMain(actions);
