/**
 * `admin`: the secretariat (秘书处, SPEC §1, §2.1, §3.5) — units, service organisations, reviewer and
 * staff accounts by invitation, unbinding a member record wrongly bound to a WeChat user (证书解绑,
 * manual FAQ 3.26), and the one-time bootstrap of the first secretariat account.
 */
import type { Api, InvitableRole, OrgView, UnitFields } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { isDay } from '../../miniprogram/shared/dates';
import { BOOTSTRAP_ENV, bootstrapMatches } from './bootstrap';
import {
  acceptInvitation,
  GrantDoc,
  grantIdFor,
  grantView,
  InviteDoc,
  inviteView,
  issueInvitation,
  maskOpenid,
  MAX_SUB_ADMINS,
  normalizePhone,
  pendingInvites,
  PHONE,
  revokeGrant,
  revokeInvitation,
  roleText,
  subAdminSlotsTaken,
  unitAdmins,
} from '../domain/accounts/invitations';
import type { Database } from '../infra/cloud';
import { CertificateDoc, certView, MemberDoc, UnitDoc } from '../domain/model';
import { idHash } from '../infra/pii';
import { releaseOpenid } from '../domain/members/binding';
import { correctCertificate, correctMember } from '../domain/membership/corrections';
import { memberHistory } from '../domain/membership/history';
import { stats } from '../domain/stats/stats';
import { UnitRequestDoc, unitRequestView } from '../domain/units/requests';
import { notify } from '../domain/notices/notify';
import { EDUCATION_INPUT } from '../domain/join/input';
import { action, createMain } from '../domain/app';
import { toApiError } from '../infra/router';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { audit, getDoc, inTransaction, mustGet, newId, pageOf, Tx } from '../infra/store';
import {
  assertUnitUnique,
  changedFields,
  cleanUnitFields,
  currentFields,
  describeChange,
  normalizeUnitName,
  orgNames,
  UNIT_FIELD_CHECKS,
  unitView,
} from '../domain/units/info';
import { yearEnd } from '../domain/units/forms';
import { escapeRe, ID, v } from '../infra/validate';
import { normalizeCreditCode } from '../../miniprogram/shared/credit-code';

type A = Api['admin'];

const SECRETARIAT = ['secretariat'] as const;
const INVITABLE: InvitableRole[] = ['unit_admin', 'org_reviewer', 'assoc_reviewer', 'finance', 'secretariat'];
const PAGE = v.optional(v.int({ min: 1, max: 10000, label: '页码' }));
const PAGE_SIZE = v.optional(v.int({ min: 1, max: 50, label: '每页条数' }));
const DAY = v.string({ min: 10, max: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, label: '日期' });
const ORG_NAME = v.string({ min: 4, max: 60, label: '机构名称' });


interface OrgDoc {
  _id: string;
  kind: 'association' | 'service-org';
  name: string;
  parentId?: string;
}

/** The audit helper's targets name no organisations: their events are written here, same shape. */
async function auditOrg(t: Tx, ev: { targetId: string; action: string; actor: string; remark: string; at: Date }) {
  await t.collection(C.audit).add({ data: { targetType: 'org', role: 'secretariat', ...ev } });
}

async function serviceOrg(db: Database, orgId: string): Promise<OrgDoc> {
  const org = await getDoc<OrgDoc>(db, C.orgs, orgId);
  if (!org || org.kind !== 'service-org')
    throw new AppError('NOT_FOUND', '初审机构不存在，请先在机构管理中添加。', { orgId: '初审机构不存在' });
  return org;
}

function checkMemberUntil(day: string | undefined): void {
  if (day !== undefined && !isDay(day))
    throw new AppError('INVALID_INPUT', '会籍有效期不是有效日期', { memberUntil: '会籍有效期不是有效日期' });
}

/** A unique index answered at commit (two units created at once with one name): say which. */
function duplicateUnit(e: unknown): never {
  if (toApiError(e).code === 'DUPLICATE')
    throw new AppError('DUPLICATE', '单位名称或统一社会信用代码已被其他单位使用。');
  throw e;
}

/** Serialise changes to the set of secretariat accounts (so the last one cannot be revoked by a race). */
async function lockSecretariat(t: Tx, now: Date): Promise<void> {
  const lock = await getDoc<{ version?: number }>(t, C.config, 'roles-secretariat');
  await t
    .collection(C.config)
    .doc('roles-secretariat')
    .set({ data: { version: (lock?.version || 0) + 1, updatedAt: now } });
}

async function secretariatCount(db: Database): Promise<number> {
  const r = await db.collection(C.roles).where({ scopeId: '', role: 'secretariat' }).count();
  return r.total as number;
}

async function orgView(db: Database, o: OrgDoc): Promise<OrgView> {
  const units =
    o.kind === 'service-org' ? ((await db.collection(C.units).where({ orgId: o._id }).count()).total as number) : 0;
  return { id: o._id, kind: o.kind, name: o.name, ...(o.parentId ? { parentId: o.parentId } : {}), units };
}

export const actions = {
  // ---------- units ----------

  listUnits: action(
    v.object({
      name: v.optional(v.string({ min: 1, max: 60, label: '单位名称' })),
      creditCode: v.optional(v.string({ min: 18, max: 40, label: '统一社会信用代码' })),
      orgId: v.optional(ID),
      isMember: v.optional(v.bool('是否单位会员')),
      page: PAGE,
      pageSize: PAGE_SIZE,
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['listUnits']['res']> {
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where: Record<string, unknown> = {};
        // Name search is by prefix (served by the name index); the full name also matches.
        if (input.name)
          where.name = ctx.db.RegExp({ regexp: `^${escapeRe(normalizeUnitName(input.name))}`, options: '' });
        if (input.creditCode) where.creditCode = normalizeCreditCode(input.creditCode);
        if (input.orgId) where.orgId = input.orgId;
        if (input.isMember !== undefined) where.isMember = input.isMember;
        const coll = ctx.db.collection(C.units);
        const [list, count] = await Promise.all([
          coll
            .where(where)
            .orderBy('name', 'asc')
            .skip((page - 1) * pageSize)
            .limit(pageSize)
            .get(),
          coll.where(where).count(),
        ]);
        const units = list.data as UnitDoc[];
        const names = await orgNames(
          ctx.db,
          units.map((u) => u.orgId),
        );
        return {
          items: units.map((u) => unitView(u, names.get(u.orgId) || '', ctx.today)),
          total: count.total as number,
          page,
          pageSize,
        };
      },
    },
  ),

  createUnit: action(
    v.object({
      ...UNIT_FIELD_CHECKS,
      name: v.string({ min: 4, max: 60, label: '单位名称' }),
      creditCode: v.string({ min: 18, max: 40, label: '统一社会信用代码' }),
      orgId: ID,
      isMember: v.optional(v.bool('是否单位会员')),
      memberUntil: v.optional(DAY),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['createUnit']['res']> {
        checkMemberUntil(input.memberUntil);
        const fields = cleanUnitFields(input);
        const org = await serviceOrg(ctx.db, input.orgId);
        await assertUnitUnique(ctx.db, fields);
        const isMember = !!input.isMember;
        const unit: UnitDoc = {
          ...fields,
          _id: newId(),
          name: fields.name as string,
          creditCode: fields.creditCode as string,
          isMember,
          ...(isMember
            ? { memberUntil: input.memberUntil || yearEnd(ctx.today), memberSince: ctx.today }
            : input.memberUntil
              ? { memberUntil: input.memberUntil }
              : {}),
          orgId: org._id,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        };
        await inTransaction(ctx.db, async (t) => {
          await t.collection(C.units).add({ data: unit });
          await audit(t, {
            targetType: 'unit',
            targetId: unit._id,
            action: 'create',
            actor: ctx.openid,
            role: 'secretariat',
            to: isMember ? 'member' : 'non-member',
            remark: `新建单位 ${unit.name}（${unit.creditCode}），初审机构 ${org.name}`,
            at: ctx.now,
          });
        }).catch(duplicateUnit);
        return unitView(unit, org.name, ctx.today);
      },
    },
  ),

  /** The secretariat's direct edit (the unit's own changes go through review: units.requestInfoChange). */
  updateUnit: action(
    v.object({
      ...UNIT_FIELD_CHECKS,
      unitId: ID,
      orgId: v.optional(ID),
      isMember: v.optional(v.bool('是否单位会员')),
      memberUntil: v.optional(DAY),
      remark: v.optional(v.string({ min: 1, max: 200, label: '说明' })),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['updateUnit']['res']> {
        checkMemberUntil(input.memberUntil);
        const unit = await mustGet<UnitDoc>(ctx.db, C.units, input.unitId, '单位');
        const changes: UnitFields = changedFields(unit, cleanUnitFields(input));
        await assertUnitUnique(ctx.db, changes, unit._id);
        const org = input.orgId && input.orgId !== unit.orgId ? await serviceOrg(ctx.db, input.orgId) : null;
        const patch: Record<string, unknown> = { ...changes };
        const notes: string[] = Object.keys(changes).length
          ? [describeChange(currentFields(unit, changes), changes)]
          : [];
        if (org) {
          patch.orgId = org._id;
          notes.push(`初审机构 → ${org.name}`);
        }
        if (input.isMember !== undefined && input.isMember !== !!unit.isMember) {
          patch.isMember = input.isMember;
          if (input.isMember && !input.memberUntil) patch.memberUntil = yearEnd(ctx.today);
          if (input.isMember && !unit.memberSince) patch.memberSince = ctx.today;
          notes.push(input.isMember ? '设为单位会员' : '取消单位会员');
        }
        if (input.memberUntil && input.memberUntil !== unit.memberUntil) {
          patch.memberUntil = input.memberUntil;
          notes.push(`会籍有效期 → ${input.memberUntil}`);
        }
        if (!notes.length) throw new AppError('INVALID_INPUT', '没有需要保存的修改。');
        await inTransaction(ctx.db, async (t) => {
          const current = await getDoc<UnitDoc>(t, C.units, unit._id);
          if (!current) throw new AppError('NOT_FOUND', '单位不存在或已被删除。');
          await t
            .collection(C.units)
            .doc(unit._id)
            .update({ data: { ...patch, updatedAt: ctx.now } });
          await audit(t, {
            targetType: 'unit',
            targetId: unit._id,
            action: 'update',
            actor: ctx.openid,
            role: 'secretariat',
            remark: `${notes.join('；')}${input.remark ? `（${input.remark}）` : ''}`,
            at: ctx.now,
          });
        }).catch(duplicateUnit);
        const after = await mustGet<UnitDoc>(ctx.db, C.units, unit._id, '单位');
        const names = await orgNames(ctx.db, [after.orgId]);
        return unitView(after, names.get(after.orgId) || '', ctx.today);
      },
    },
  ),

  // ---------- organisations ----------

  listOrgs: action(v.object({}), {
    auth: [...SECRETARIAT],
    async handler(_input, ctx): Promise<A['listOrgs']['res']> {
      const r = await ctx.db
        .collection(C.orgs)
        .where({ kind: ctx.db.command.in(['association', 'service-org']) })
        .limit(1000)
        .get();
      const orgs = (r.data as OrgDoc[]).sort(
        (a, b) => Number(a.kind !== 'association') - Number(b.kind !== 'association') || a.name.localeCompare(b.name),
      );
      return { items: await Promise.all(orgs.map((o) => orgView(ctx.db, o))) };
    },
  }),

  /** A service organisation (会员服务机构 / 初审机构) under the association. */
  createOrg: action(v.object({ name: ORG_NAME }), {
    auth: [...SECRETARIAT],
    async handler(input, ctx): Promise<A['createOrg']['res']> {
      const name = normalizeUnitName(input.name);
      const same = await ctx.db.collection(C.orgs).where({ name }).limit(1).get();
      if (same.data.length) throw new AppError('DUPLICATE', `机构“${name}”已存在。`, { name: '机构名称已存在' });
      const assoc = (await ctx.db.collection(C.orgs).where({ kind: 'association' }).limit(1).get()).data[0] as
        OrgDoc | undefined;
      const org: OrgDoc = { _id: newId(), kind: 'service-org', name, ...(assoc ? { parentId: assoc._id } : {}) };
      await inTransaction(ctx.db, async (t) => {
        await t.collection(C.orgs).add({ data: { ...org, createdAt: ctx.now } });
        await auditOrg(t, {
          targetId: org._id,
          action: 'create',
          actor: ctx.openid,
          remark: `新建初审机构 ${name}`,
          at: ctx.now,
        });
      }).catch((e) => {
        if (toApiError(e).code === 'DUPLICATE') throw new AppError('DUPLICATE', `机构“${name}”已存在。`);
        throw e;
      });
      return orgView(ctx.db, org);
    },
  }),

  updateOrg: action(v.object({ orgId: ID, name: ORG_NAME }), {
    auth: [...SECRETARIAT],
    async handler(input, ctx): Promise<A['updateOrg']['res']> {
      const org = await mustGet<OrgDoc>(ctx.db, C.orgs, input.orgId, '机构');
      const name = normalizeUnitName(input.name);
      if (name === org.name) throw new AppError('INVALID_INPUT', '没有需要保存的修改。');
      const same = await ctx.db.collection(C.orgs).where({ name }).limit(1).get();
      if (same.data.length) throw new AppError('DUPLICATE', `机构“${name}”已存在。`, { name: '机构名称已存在' });
      await inTransaction(ctx.db, async (t) => {
        await t
          .collection(C.orgs)
          .doc(org._id)
          .update({ data: { name, updatedAt: ctx.now } });
        await auditOrg(t, {
          targetId: org._id,
          action: 'update',
          actor: ctx.openid,
          remark: `机构名称：${org.name} → ${name}`,
          at: ctx.now,
        });
      });
      return orgView(ctx.db, { ...org, name });
    },
  }),

  // ---------- accounts by invitation ----------

  /**
   * Invite a unit's main admin (scopeId = unit; `main: false` adds a sub-admin within the unit's 3),
   * an organisation's reviewer (scopeId = organisation), association reviewers, finance or
   * secretariat staff. With `phone`, the invitee must confirm that number when scanning.
   */
  inviteRole: action(
    v.object({
      role: v.oneOf(INVITABLE, '角色'),
      scopeId: v.optional(ID),
      main: v.optional(v.bool('是否主管理员')),
      phone: v.optional(PHONE),
      name: v.optional(v.string({ min: 2, max: 30, label: '姓名' })),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['inviteRole']['res']> {
        const { role } = input;
        const phone = input.phone ? normalizePhone(input.phone) : undefined;
        const scoped = role === 'unit_admin' || role === 'org_reviewer';
        if (scoped && !input.scopeId)
          throw new AppError('INVALID_INPUT', role === 'unit_admin' ? '请选择单位' : '请选择初审机构', {
            scopeId: '请选择',
          });
        if (!scoped && input.scopeId)
          throw new AppError('INVALID_INPUT', `${roleText(role)}不属于某个单位或机构`, { scopeId: '不需要选择' });
        if (role !== 'unit_admin' && input.main !== undefined)
          throw new AppError('INVALID_INPUT', '只有单位管理员分主、子管理员', { main: '不适用' });
        const scopeId = input.scopeId || '';
        const main = role === 'unit_admin' ? input.main !== false : false;
        let guard: ((t: Tx) => Promise<void>) | undefined;
        if (role === 'unit_admin') {
          const unit = await mustGet<UnitDoc>(ctx.db, C.units, scopeId, '单位');
          if (!main && !phone)
            throw new AppError('INVALID_INPUT', '子管理员按手机号添加，请填写手机号码', { phone: '请填写手机号码' });
          const check = async () => {
            const [admins, invites] = await Promise.all([
              unitAdmins(ctx.db, scopeId),
              pendingInvites(ctx.db, scopeId, ctx.now),
            ]);
            if (main && admins.some((a) => a.main))
              throw new AppError('CONFLICT', `${unit.name}已有主管理员；如需更换，请先撤销其授权或由其转让。`);
            if (main && invites.some((i) => i.main))
              throw new AppError('DUPLICATE', `${unit.name}已有待确认的主管理员邀请；如需重发请先撤销。`);
            if (!main && (await subAdminSlotsTaken(ctx.db, scopeId, ctx.now)) >= MAX_SUB_ADMINS)
              throw new AppError('NOT_ELIGIBLE', `${unit.name}的子管理员（含待确认的邀请）已满${MAX_SUB_ADMINS}个。`);
          };
          // Checked before the QR image is made, and again inside the transaction.
          await check();
          guard = check;
        } else if (role === 'org_reviewer') {
          await serviceOrg(ctx.db, scopeId);
        }
        const settings = await loadSettings(ctx.db);
        return issueInvitation(
          ctx.db,
          {
            kind: 'role',
            role,
            scopeId,
            main,
            ...(phone ? { phone } : {}),
            ...(input.name ? { name: input.name } : {}),
            ttlHours: settings.inviteTtlHours,
            guard,
          },
          { openid: ctx.openid, role: 'secretariat', now: ctx.now },
        );
      },
    },
  ),

  /** The invitee scans a role invitation (sub-admin invitations work here too). */
  acceptRole: action(v.object({ code: v.string({ min: 1, max: 64, label: '二维码' }), phone: v.optional(PHONE) }), {
    auth: 'user',
    async handler(input, ctx): Promise<A['acceptRole']['res']> {
      return acceptInvitation(ctx.db, input, ctx);
    },
  }),

  listRoles: action(
    v.object({
      role: v.optional(v.oneOf(INVITABLE, '角色')),
      scopeId: v.optional(ID),
      page: PAGE,
      pageSize: PAGE_SIZE,
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['listRoles']['res']> {
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where: Record<string, unknown> = {};
        if (input.scopeId) where.scopeId = input.scopeId;
        if (input.role) where.role = input.role;
        const coll = ctx.db.collection(C.roles);
        const [list, count] = await Promise.all([
          coll
            .where(where)
            .orderBy('role', 'asc')
            .orderBy('scopeId', 'asc')
            .skip((page - 1) * pageSize)
            .limit(pageSize)
            .get(),
          coll.where(where).count(),
        ]);
        const grants = list.data as GrantDoc[];
        // Pending invitations in the same scope: the platform's, and a unit's when one is named.
        const invites: InviteDoc[] = [];
        if (input.role !== 'unit_admin') invites.push(...(await pendingInvites(ctx.db, '', ctx.now)));
        if (input.scopeId && (!input.role || input.role === 'unit_admin'))
          invites.push(...(await pendingInvites(ctx.db, input.scopeId, ctx.now)));
        const pending = invites.filter(
          (i) => (!input.role || i.role === input.role) && (!input.scopeId || i.scopeId === input.scopeId),
        );
        const scopes = [...grants, ...pending];
        const unitIds = scopes.filter((g) => g.role === 'unit_admin').map((g) => g.scopeId as string);
        const orgIds = scopes.filter((g) => g.role === 'org_reviewer').map((g) => g.scopeId as string);
        const [orgs, units] = await Promise.all([
          orgNames(ctx.db, orgIds),
          Promise.all([...new Set(unitIds)].map((id) => getDoc<UnitDoc>(ctx.db, C.units, id))),
        ]);
        const names = new Map<string, string>([...orgs]);
        for (const u of units) if (u) names.set(u._id, u.name);
        return {
          items: grants.map((g) => grantView(g, { showPhone: true, scopeName: names.get(g.scopeId) })),
          total: count.total as number,
          page,
          pageSize,
          pending: pending.map((i) => inviteView(i, { showPhone: true, scopeName: names.get(i.scopeId || '') })),
        };
      },
    },
  ),

  revokeRole: action(v.object({ grantId: ID, reason: v.optional(v.string({ min: 1, max: 200, label: '原因' })) }), {
    auth: [...SECRETARIAT],
    async handler(input, ctx): Promise<A['revokeRole']['res']> {
      const g = await revokeGrant(
        ctx.db,
        input.grantId,
        {
          openid: ctx.openid,
          role: 'secretariat',
          now: ctx.now,
          remark: `秘书处撤销授权${input.reason ? `（${input.reason}）` : ''}`,
        },
        async (grant, t) => {
          if (grant.role !== 'secretariat') return;
          await lockSecretariat(t, ctx.now);
          if ((await secretariatCount(ctx.db)) <= 1)
            throw new AppError('CONFLICT', '这是最后一个秘书处账号，不能撤销；请先邀请新的秘书处账号。');
        },
      );
      return { grantId: input.grantId, role: g.role, scopeId: g.scopeId || '' };
    },
  }),

  revokeInvite: action(v.object({ inviteId: ID }), {
    auth: [...SECRETARIAT],
    async handler(input, ctx): Promise<A['revokeInvite']['res']> {
      const inv = await getDoc<InviteDoc>(ctx.db, C.codes, input.inviteId);
      if (!inv || !inv.role || (inv.kind !== 'role' && inv.kind !== 'sub-admin'))
        throw new AppError('NOT_FOUND', '该邀请不存在。');
      await revokeInvitation(ctx.db, inv, { openid: ctx.openid, role: 'secretariat', now: ctx.now });
      return { inviteId: inv._id };
    },
  }),

  // ---------- 证书解绑 (manual FAQ 3.26) ----------

  /** Look a member up by ID number (and name) to see whether, and to whom, the record is bound. */
  findMember: action(
    v.object({
      idNumber: v.string({ min: 5, max: 30, label: '证件号码' }),
      name: v.optional(v.string({ min: 1, max: 30, label: '姓名' })),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['findMember']['res']> {
        const r = await ctx.db
          .collection(C.members)
          .where({ idHash: idHash(input.idNumber) })
          .limit(1)
          .get();
        const m = r.data[0] as MemberDoc | undefined;
        if (!m || (input.name && input.name !== m.name)) return { member: null };
        const [unit, certs] = await Promise.all([
          m.unitId ? getDoc<UnitDoc>(ctx.db, C.units, m.unitId) : null,
          ctx.db.collection(C.certificates).where({ memberId: m._id }).limit(50).get(),
        ]);
        return {
          member: {
            id: m._id,
            name: m.name,
            idMasked: m.idMasked,
            unit: unit ? { id: unit._id, name: unit.name } : null,
            bound: !!m.openid,
            ...(m.openid ? { openidMasked: maskOpenid(m.openid) } : {}),
            certificates: (certs.data as CertificateDoc[]).map((c) => certView(c, ctx.today)),
            history: await memberHistory(ctx.db, m._id),
          },
        };
      },
    },
  ),

  /** 找不到单位: the units holders asked to be added (pending by default), newest first. */
  unitRequests: action(
    v.object({ status: v.optional(v.oneOf(['pending', 'approved', 'merged', 'refused'] as const, '状态')), page: PAGE, pageSize: PAGE_SIZE }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['unitRequests']['res']> {
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where = { status: input.status || 'pending' };
        const { docs, total } = await pageOf<UnitRequestDoc>(ctx.db, C.unitRequests, where, { page, pageSize });
        return { items: docs.map(unitRequestView), total, page, pageSize };
      },
    },
  ),

  /** Approve (a new unit under its initial-review organisation), merge into an existing unit, or refuse. */
  decideUnitRequest: action(
    v.object({
      requestId: ID,
      decision: v.oneOf(['approve', 'merge', 'refuse'] as const, '处理结果'),
      orgId: v.optional(ID),
      unitId: v.optional(ID),
      reason: v.optional(v.string({ min: 2, max: 200, label: '原因' })),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['decideUnitRequest']['res']> {
        const found = await mustGet<UnitRequestDoc>(ctx.db, C.unitRequests, input.requestId, '申请');
        if (found.status !== 'pending') throw new AppError('CONFLICT', '该申请已处理。');
        let unit: UnitDoc | null = null;
        if (input.decision === 'refuse' && !input.reason) throw new AppError('INVALID_INPUT', '请填写驳回原因', { reason: '请填写原因' });
        if (input.decision === 'merge') {
          if (!input.unitId) throw new AppError('INVALID_INPUT', '请选择要合并到的单位', { unitId: '请选择单位' });
          unit = await mustGet<UnitDoc>(ctx.db, C.units, input.unitId, '单位');
        }
        if (input.decision === 'approve') {
          if (!input.orgId) throw new AppError('INVALID_INPUT', '请选择初审机构', { orgId: '请选择初审机构' });
          const org = await serviceOrg(ctx.db, input.orgId);
          const fields = cleanUnitFields({ name: found.name, creditCode: found.creditCode });
          await assertUnitUnique(ctx.db, fields);
          unit = { _id: newId(), name: fields.name as string, creditCode: fields.creditCode as string, isMember: false, orgId: org._id, createdAt: ctx.now, updatedAt: ctx.now };
        }
        const status = input.decision === 'approve' ? 'approved' : input.decision === 'merge' ? 'merged' : 'refused';
        const after: UnitRequestDoc = { ...found, status, ...(unit ? { unitId: unit._id, unitName: unit.name } : {}), ...(input.reason ? { reason: input.reason } : {}), decidedAt: ctx.now, decidedBy: ctx.openid };
        try {
          await inTransaction(ctx.db, async (t) => {
            const cur = await getDoc<UnitRequestDoc>(t, C.unitRequests, found._id);
            if (!cur || cur.status !== 'pending') throw new AppError('CONFLICT', '该申请已处理。');
            if (input.decision === 'approve' && unit) await t.collection(C.units).add({ data: unit });
            const { _id: _omit, ...rest } = after;
            await t.collection(C.unitRequests).doc(found._id).set({ data: rest });
            await audit(t, { targetType: 'unit', targetId: found._id, action: `unit-request-${input.decision}`, actor: ctx.openid, role: 'secretariat', from: 'pending', to: status, remark: `${found.name}：${{ approve: '批准新建单位', merge: `合并到${unit?.name}`, refuse: `驳回（${input.reason}）` }[input.decision]}`, at: ctx.now });
            await notify(t, [found.openid], { template: 'review-result', title: status === 'refused' ? '单位申请未通过' : '单位已添加', body: status === 'refused' ? `${found.name}：${input.reason}` : `${unit?.name}已可选择` }, ctx.now);
          });
        } catch (e) {
          if (toApiError(e).code === 'DUPLICATE') throw new AppError('DUPLICATE', '单位名称或统一社会信用代码已存在，请改为合并。');
          throw e;
        }
        return unitRequestView(after);
      },
    },
  ),

  /** The dashboard (issue 12): every figure an indexed count. */
  stats: action(v.object({ from: v.optional(DAY), to: v.optional(DAY) }), {
    auth: ['secretariat', 'assoc_reviewer'],
    async handler(input, ctx): Promise<A['stats']['res']> {
      for (const k of ['from', 'to'] as const)
        if (input[k] && !isDay(input[k] as string)) throw new AppError('INVALID_INPUT', '日期不正确', { [k]: '日期不正确' });
      return stats(ctx.db, { from: input.from, to: input.to, today: ctx.today });
    },
  }),

  /** 秘书处更正 (FAQ 3.25): a member's data or memberships, with the reason, audited. */
  correctMember: action(
    v.object({
      memberId: ID,
      changes: v.object({
        name: v.optional(v.string({ max: 30, label: '姓名' })),
        gender: v.optional(v.oneOf(['male', 'female'] as const, '性别')),
        phone: v.optional(v.string({ max: 20, label: '手机号码' })),
        address: v.optional(v.string({ max: 100, label: '通讯地址' })),
        title: v.optional(v.string({ max: 30, label: '职称' })),
        education: v.optional(EDUCATION_INPUT),
        idType: v.optional(v.oneOf(['resident', 'hmt', 'other'] as const, '证件类型')),
        idNumber: v.optional(v.string({ max: 40, label: '证件号码' })),
        ordinaryUntil: v.optional(DAY),
        professionalUntil: v.optional(DAY),
      }),
      reason: v.string({ min: 2, max: 200, label: '更正原因' }),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['correctMember']['res']> {
        const certs = (await ctx.db.collection(C.certificates).where({ memberId: input.memberId }).limit(100).get()).data as CertificateDoc[];
        try {
          await inTransaction(ctx.db, (t) =>
            correctMember(t, input.memberId, input.changes, { openid: ctx.openid, reason: input.reason, today: ctx.today, now: ctx.now }, certs.map((c) => c._id)),
          );
        } catch (e) {
          if (toApiError(e).code === 'DUPLICATE') throw new AppError('DUPLICATE', '该证件号码已属于另一条会员记录，请先核实。');
          throw e;
        }
        return { memberId: input.memberId, history: await memberHistory(ctx.db, input.memberId) };
      },
    },
  ),

  /** 秘书处更正 of a certificate (unit, validity, specialties …), with the reason, audited. */
  correctCertificate: action(
    v.object({
      certificateId: ID,
      changes: v.object({
        no: v.optional(v.string({ min: 3, max: 32, label: '证书编号' })),
        type: v.optional(v.string({ max: 20, label: '证书类型' })),
        specialties: v.optional(v.list(v.string({ max: 20, label: '专业' }), { min: 1, max: 2, label: '专业' })),
        unitName: v.optional(v.string({ max: 60, label: '证书单位' })),
        firstIssuedOn: v.optional(DAY),
        renewedOn: v.optional(DAY),
        validUntil: v.optional(DAY),
        status: v.optional(v.oneOf(['valid', 'cancelled'] as const, '证书状态')),
      }),
      reason: v.string({ min: 2, max: 200, label: '更正原因' }),
    }),
    {
      auth: [...SECRETARIAT],
      async handler(input, ctx): Promise<A['correctCertificate']['res']> {
        let cert!: CertificateDoc;
        try {
          await inTransaction(ctx.db, async (t) => {
            cert = await correctCertificate(t, input.certificateId, input.changes, { openid: ctx.openid, reason: input.reason, now: ctx.now });
          });
        } catch (e) {
          if (toApiError(e).code === 'DUPLICATE') throw new AppError('DUPLICATE', '该证书编号已被使用。');
          throw e;
        }
        return { certificate: certView(cert, ctx.today), history: await memberHistory(ctx.db, cert.memberId) };
      },
    },
  ),

  /**
   * Clear a member record's WeChat binding: its certificates and applications no longer show to
   * that WeChat user, who can bind again through the ID-card supplement code. Audited with the old
   * OPENID masked.
   */
  unbind: action(v.object({ memberId: ID, reason: v.optional(v.string({ min: 1, max: 200, label: '原因' })) }), {
    auth: [...SECRETARIAT],
    async handler(input, ctx): Promise<A['unbind']['res']> {
      let old = '';
      await inTransaction(ctx.db, async (t) => {
        const m = await getDoc<MemberDoc>(t, C.members, input.memberId);
        if (!m) throw new AppError('NOT_FOUND', '会员记录不存在。');
        if (!m.openid) throw new AppError('CONFLICT', '该会员记录未绑定微信，无需解绑。');
        old = m.openid;
        await releaseOpenid(t, old, m._id);
        await t
          .collection(C.members)
          .doc(m._id)
          .update({ data: { openid: ctx.db.command.remove(), updatedAt: ctx.now } });
        await audit(t, {
          targetType: 'member',
          targetId: m._id,
          action: 'unbind',
          actor: ctx.openid,
          role: 'secretariat',
          from: maskOpenid(old),
          to: '',
          remark: `证书解绑：解除 ${m.name}（${m.idMasked}）与微信 ${maskOpenid(old)} 的绑定${
            input.reason ? `，原因：${input.reason}` : ''
          }`,
          at: ctx.now,
        });
      });
      return { memberId: input.memberId, unboundOpenidMasked: maskOpenid(old) };
    },
  }),

  // ---------- bootstrap ----------

  /**
   * Bind the caller as the first secretariat with the one-time code deployment printed
   * (`npm run bootstrap-code`; its hash in MSP_BOOTSTRAP_CODE_HASH). Only while no secretariat
   * exists; a code is used once (its hash is recorded), so a later bootstrap needs a fresh code.
   */
  bootstrap: action(v.object({ code: v.string({ min: 16, max: 40, label: '初始化码' }) }), {
    auth: 'user',
    async handler(input, ctx): Promise<A['bootstrap']['res']> {
      if ((await secretariatCount(ctx.db)) > 0)
        throw new AppError('CONFLICT', '平台已有秘书处账号，初始化码不再可用；请由秘书处邀请。');
      const hash = (process.env[BOOTSTRAP_ENV] || '').trim().toLowerCase();
      if (!hash) throw new AppError('CODE_INVALID', `服务端未配置初始化码（${BOOTSTRAP_ENV}），请联系部署人员。`);
      if (!bootstrapMatches(input.code, hash)) throw new AppError('CODE_INVALID', '初始化码不正确，请核对后重新输入。');
      const grant: GrantDoc = {
        _id: grantIdFor('secretariat', '', ctx.openid),
        openid: ctx.openid,
        role: 'secretariat',
        scopeId: '',
        grantedBy: 'bootstrap',
        grantedAt: ctx.now,
      };
      await inTransaction(ctx.db, async (t) => {
        const used = await getDoc<{ hash: string }>(t, C.config, 'bootstrap');
        if (used && used.hash === hash) throw new AppError('CODE_USED', '该初始化码已被使用，请重新生成。');
        await lockSecretariat(t, ctx.now);
        if ((await secretariatCount(ctx.db)) > 0)
          throw new AppError('CONFLICT', '平台已有秘书处账号，初始化码不再可用；请由秘书处邀请。');
        await t
          .collection(C.config)
          .doc('bootstrap')
          .set({ data: { hash, usedAt: ctx.now, usedBy: ctx.openid } });
        await t.collection(C.roles).add({ data: grant });
        await audit(t, {
          targetType: 'role',
          targetId: grant._id,
          action: 'bootstrap',
          actor: ctx.openid,
          role: 'system',
          to: 'secretariat',
          remark: `初始化码绑定首个秘书处账号 ${maskOpenid(ctx.openid)}`,
          at: ctx.now,
        });
      });
      return grantView(grant, { showPhone: true });
    },
  }),
};

export const main = createMain(actions);
