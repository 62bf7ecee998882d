/**
 * Role grants by invitation (SPEC §2.1): the role's manager issues a signed, expiring, single-use
 * invitation code (a unit's main admin → its sub-admins, kind `sub-admin`; the secretariat → unit
 * main admins, organisation reviewers and association staff, kind `role`); the invitee scans it and
 * confirms, which grants the role. Every invitation, grant and revocation is audited.
 *
 * Concurrency: whatever counts a unit's admins (≤1 main, ≤3 sub-admins counting pending
 * invitations) runs inside a transaction that also rewrites the unit's `adminsVersion`, so two
 * invitations or acceptances racing on one unit conflict and the retry counts again.
 */
import { createHash } from 'crypto';
import type { GrantView, InviteIssued, InviteView, Role } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { maskPhone } from '../../../miniprogram/shared/id-number';
import { shanghaiIso } from '../../../miniprogram/shared/dates';
import { ROLE_LABEL } from '../../../miniprogram/shared/labels';
import type { Database } from '../../infra/cloud';
import { checkAnyCode, storeQr } from '../codes/codes';
import { newCodeId, signCode } from '../codes/token';
import type { CodeDoc, UnitDoc } from '../model';
import type { RoleGrant } from '../../infra/roles';
import { C } from '../../infra/schema';
import { audit, getDoc, inTransaction, Tx } from '../../infra/store';
import { v } from '../../infra/validate';

/** Sub-admins a unit may have, counting pending invitations (manual FAQ 3.15: 3). */
export const MAX_SUB_ADMINS = 3;
/** Wrong phone numbers an invitation takes before it is revoked (stops guessing the invitee's phone). */
export const MAX_PHONE_ATTEMPTS = 5;

/** A mainland mobile number, as the manual's sub-admin accounts are (spaces, dashes, +86 allowed). */
export const PHONE = v.string({
  min: 11,
  max: 20,
  pattern: /^(?:\+?86[\s-]?)?1[3-9](?:[\s-]?\d){9}$/,
  label: '手机号码',
});

/** The stored grant: RoleGrant plus who the holder is and how they got it. */
export interface GrantDoc extends RoleGrant {
  _id: string;
  phone?: string;
  name?: string;
  grantedBy: string;
  grantedAt: Date;
  /** The invitation accepted (absent for seeded and bootstrapped grants). */
  inviteId?: string;
}

/** An invitation code: CodeDoc with the invitee's name and the failed phone checks. */
export interface InviteDoc extends CodeDoc {
  name?: string;
  failedAttempts?: number;
}

/** Who acts, for audit and grants. */
export interface Actor {
  openid: string;
  role: Role | 'system';
  now: Date;
}

/**
 * Deterministic grant ids: one document per (role, scope, identity) — and for unit admins one per
 * identity, whatever the unit — so two acceptances racing to break either rule collide on the id.
 */
export function grantIdFor(role: Role, scopeId: string, openid: string): string {
  const key = role === 'unit_admin' ? `unit_admin|${openid}` : `${role}|${scopeId}|${openid}`;
  return 'g' + createHash('sha256').update(key).digest('hex').slice(0, 24);
}

export function maskOpenid(openid: string): string {
  if (!openid) return '';
  if (openid.length <= 8) return openid[0] + '***';
  return `${openid.slice(0, 4)}****${openid.slice(-4)}`;
}

/** Drop spaces, dashes and a +86 prefix. */
export function normalizePhone(phone: string): string {
  return String(phone || '')
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
}

// ---------- reads ----------

/** A unit's admins, main first. */
export async function unitAdmins(db: Database, unitId: string): Promise<GrantDoc[]> {
  const r = await db.collection(C.roles).where({ scopeId: unitId, role: 'unit_admin' }).limit(20).get();
  return (r.data as GrantDoc[]).sort((a, b) => Number(!!b.main) - Number(!!a.main));
}

export function isPending(inv: InviteDoc, now: Date): boolean {
  return !!inv.role && !inv.usedAt && !inv.revokedAt && new Date(inv.expiresAt).getTime() > now.getTime();
}

/**
 * Pending invitations in one scope: a unit's (sub-admin invitations and the secretariat's unit-admin
 * invitations, `unitId` = the unit), or with `unitId` '' the platform's (organisation reviewers,
 * association staff). Served by the codes' (unitId, kind) index.
 */
export async function pendingInvites(db: Database, unitId: string, now: Date): Promise<InviteDoc[]> {
  const kinds = unitId ? ['sub-admin', 'role'] : ['role'];
  const r = await db
    .collection(C.codes)
    .where({ unitId, kind: db.command.in(kinds), expiresAt: db.command.gt(now) })
    .orderBy('issuedAt', 'desc')
    .limit(1000)
    .get();
  return (r.data as InviteDoc[])
    .filter((c) => isPending(c, now))
    .sort((a, b) => new Date(a.issuedAt).getTime() - new Date(b.issuedAt).getTime());
}

/** Sub-admins plus pending sub-admin invitations of a unit. */
export async function subAdminSlotsTaken(db: Database, unitId: string, now: Date): Promise<number> {
  const [admins, invites] = await Promise.all([unitAdmins(db, unitId), pendingInvites(db, unitId, now)]);
  return admins.filter((a) => !a.main).length + invites.filter((i) => i.role === 'unit_admin' && !i.main).length;
}

// ---------- views ----------

export function inviteView(inv: InviteDoc, opts: { showPhone: boolean; scopeName?: string }): InviteView {
  return {
    id: inv._id,
    role: inv.role as Role,
    scopeId: inv.scopeId || '',
    ...(opts.scopeName ? { scopeName: opts.scopeName } : {}),
    main: !!inv.main,
    ...(inv.name ? { name: inv.name } : {}),
    ...(inv.phone ? { phone: opts.showPhone ? inv.phone : maskPhone(inv.phone) } : {}),
    issuedAt: shanghaiIso(new Date(inv.issuedAt)),
    expiresAt: shanghaiIso(new Date(inv.expiresAt)),
  };
}

export function grantView(g: GrantDoc, opts: { showPhone: boolean; scopeName?: string }): GrantView {
  return {
    grantId: g._id,
    role: g.role,
    scopeId: g.scopeId || '',
    ...(opts.scopeName ? { scopeName: opts.scopeName } : {}),
    ...(g.role === 'unit_admin' ? { main: !!g.main } : {}),
    openidMasked: maskOpenid(g.openid),
    ...(g.name ? { name: g.name } : {}),
    ...(g.phone ? { phone: opts.showPhone ? g.phone : maskPhone(g.phone) } : {}),
    ...(g.grantedAt ? { grantedAt: shanghaiIso(new Date(g.grantedAt)) } : {}),
    ...(g.grantedBy ? { grantedByMasked: g.grantedBy === 'seed' ? 'seed' : maskOpenid(g.grantedBy) } : {}),
  };
}

/** "单位管理员（子）" / "机构初审" … for remarks. */
export function roleText(role: Role, main?: boolean): string {
  return role === 'unit_admin' ? `单位${main ? '主' : '子'}管理员` : ROLE_LABEL[role];
}

// ---------- the unit lock ----------

/** Read the unit in the transaction and bump its adminsVersion: admin changes of one unit serialise. */
export async function lockUnit(t: Tx, unitId: string): Promise<UnitDoc> {
  const unit = await getDoc<UnitDoc>(t, C.units, unitId);
  if (!unit) throw new AppError('NOT_FOUND', '单位不存在或已被删除。');
  await t
    .collection(C.units)
    .doc(unitId)
    .update({ data: { adminsVersion: (unit.adminsVersion || 0) + 1 } });
  return unit;
}

// ---------- issuing ----------

export interface InviteSpec {
  kind: 'sub-admin' | 'role';
  role: Role;
  /** unit id for unit_admin, organisation id for org_reviewer, '' otherwise */
  scopeId: string;
  main: boolean;
  phone?: string;
  name?: string;
  ttlHours: number;
  /** Checks run inside the transaction, after the unit (if any) is locked. */
  guard?: (t: Tx) => Promise<void>;
}

/**
 * Issue an invitation: the QR image first (outside: storage is not transactional), then in one
 * transaction the guard, the code record and the audit event.
 */
export async function issueInvitation(db: Database, spec: InviteSpec, by: Actor): Promise<InviteIssued> {
  const id = newCodeId();
  const expiresAt = new Date(by.now.getTime() + spec.ttlHours * 3600 * 1000);
  const code = signCode(spec.kind, id, expiresAt);
  const unitId = spec.role === 'unit_admin' ? spec.scopeId : '';
  const qrImage = await storeQr(code, { openid: by.openid, unitId, now: by.now });
  const doc: InviteDoc = {
    _id: id,
    kind: spec.kind,
    unitId,
    role: spec.role,
    scopeId: spec.scopeId,
    main: spec.main,
    ...(spec.phone ? { phone: spec.phone } : {}),
    ...(spec.name ? { name: spec.name } : {}),
    issuedBy: by.openid,
    issuedAt: by.now,
    expiresAt,
    qrImage,
  };
  await inTransaction(db, async (t) => {
    if (unitId) await lockUnit(t, unitId);
    if (spec.guard) await spec.guard(t);
    await t.collection(C.codes).add({ data: doc });
    await audit(t, {
      targetType: 'code',
      targetId: id,
      action: 'invite',
      actor: by.openid,
      role: by.role,
      to: spec.role,
      remark: `邀请${roleText(spec.role, spec.main)}${spec.scopeId ? `（${spec.scopeId}）` : ''}${
        spec.phone ? `，手机 ${maskPhone(spec.phone)}` : ''
      }`,
      at: by.now,
    });
  });
  return {
    inviteId: id,
    code,
    scene: code,
    qrImage,
    expiresAt: shanghaiIso(expiresAt),
    role: spec.role,
    scopeId: spec.scopeId,
    main: spec.main,
  };
}

/** Revoke a pending invitation (it then answers CODE_INVALID). */
export async function revokeInvitation(db: Database, inv: InviteDoc, by: Actor): Promise<void> {
  await inTransaction(db, async (t) => {
    const current = await getDoc<InviteDoc>(t, C.codes, inv._id);
    if (!current || !isPending(current, by.now))
      throw new AppError('CONFLICT', '该邀请已被使用、撤销或已过期，请刷新后查看。');
    if (current.unitId) await lockUnit(t, current.unitId);
    await t
      .collection(C.codes)
      .doc(inv._id)
      .update({ data: { revokedAt: by.now, revokedBy: by.openid } });
    await audit(t, {
      targetType: 'code',
      targetId: inv._id,
      action: 'revoke-invite',
      actor: by.openid,
      role: by.role,
      from: 'pending',
      to: 'revoked',
      remark: `撤销${roleText(current.role as Role, current.main)}邀请${
        current.phone ? `（手机 ${maskPhone(current.phone)}）` : ''
      }`,
      at: by.now,
    });
  });
}

// ---------- accepting ----------

/** Names for a unit or organisation scope (for messages and views). */
export async function scopeName(db: Database, role: Role, scopeId: string): Promise<string | undefined> {
  if (!scopeId) return undefined;
  if (role === 'unit_admin') return (await getDoc<UnitDoc>(db, C.units, scopeId))?.name;
  if (role === 'org_reviewer') return (await getDoc<{ name: string }>(db, C.orgs, scopeId))?.name;
  return undefined;
}

/**
 * The invitee scans and confirms: the code must be genuine, live and unused (CODE_INVALID /
 * CODE_EXPIRED / CODE_USED); the phone must be the one the invitation names; an identity manages
 * at most one unit; a unit has one main admin and ≤3 sub-admins. The code is used up and the role
 * granted in one transaction.
 */
export async function acceptInvitation(
  db: Database,
  input: { code: string; phone?: string },
  ctx: { openid: string; roles: RoleGrant[]; now: Date },
): Promise<GrantView> {
  const { doc } = await checkAnyCode(db, input.code, ctx.now, ['sub-admin', 'role']);
  const inv = doc as InviteDoc;
  if (!inv.role) throw new AppError('CODE_INVALID');
  const role = inv.role;
  const scopeId = inv.scopeId || '';
  const main = role === 'unit_admin' ? !!inv.main : undefined;
  if (inv.phone) {
    if (!input.phone) throw new AppError('INVALID_INPUT', '请填写受邀时登记的手机号码。', { phone: '请填写手机号码' });
    if (!(await phoneMatches(db, inv, input.phone, ctx.now)))
      throw new AppError('FORBIDDEN', '手机号码与邀请登记的不一致，请核对后重试，或联系邀请人重新邀请。');
  }
  const name = await scopeName(db, role, scopeId);
  if ((role === 'unit_admin' || role === 'org_reviewer') && !name)
    throw new AppError('CODE_INVALID', '邀请所属的单位或机构已不存在，请联系邀请人。');
  const held = ctx.roles.find((g) => g.role === role && (g.scopeId || '') === scopeId);
  // A main-admin invitation scanned by one of the unit's sub-admins promotes them (the secretariat
  // replacing a main admin who left, with someone the unit already trusts).
  const promote = role === 'unit_admin' && !!main && !!held && !held.main && !!held._id;
  if (held && !promote)
    throw new AppError('DUPLICATE', `您已是${name ? `${name}的` : ''}${roleText(role, held.main)}，无需重复确认。`);
  if (role === 'unit_admin' && !promote) {
    const other = ctx.roles.find((g) => g.role === 'unit_admin');
    if (other) {
      const otherName = (await scopeName(db, 'unit_admin', other.scopeId)) || other.scopeId;
      throw new AppError('NOT_ELIGIBLE', `您已是${otherName}的管理员，一个微信号只能管理一个单位。`);
    }
  }
  const grant: GrantDoc = {
    _id: promote ? (held!._id as string) : grantIdFor(role, scopeId, ctx.openid),
    openid: ctx.openid,
    role,
    scopeId,
    ...(role === 'unit_admin' ? { main: !!main } : {}),
    ...(inv.phone ? { phone: inv.phone } : {}),
    ...(inv.name ? { name: inv.name } : {}),
    grantedBy: inv.issuedBy,
    grantedAt: ctx.now,
    inviteId: inv._id,
  };
  let stored = grant;
  await inTransaction(db, async (t) => {
    const current = await getDoc<InviteDoc>(t, C.codes, inv._id);
    if (!current || current.revokedAt) throw new AppError('CODE_INVALID');
    if (current.usedAt) throw new AppError('CODE_USED');
    if (role === 'unit_admin') {
      await lockUnit(t, scopeId);
      const admins = await unitAdmins(db, scopeId);
      if (main && admins.some((a) => a.main)) throw new AppError('CONFLICT', `${name}已有主管理员，请联系秘书处。`);
      if (!main && admins.filter((a) => !a.main).length >= MAX_SUB_ADMINS)
        throw new AppError('NOT_ELIGIBLE', `${name}的子管理员已满${MAX_SUB_ADMINS}个。`);
    }
    await t
      .collection(C.codes)
      .doc(inv._id)
      .update({ data: { usedAt: ctx.now, usedBy: ctx.openid } });
    if (promote) {
      const mine = await getDoc<GrantDoc>(t, C.roles, grant._id);
      if (!mine || mine.scopeId !== scopeId || mine.main)
        throw new AppError('CONFLICT', '您在该单位的管理员身份已变化，请刷新后重试。');
      const change = {
        main: true,
        ...(inv.phone ? { phone: inv.phone } : {}),
        ...(inv.name ? { name: inv.name } : {}),
        inviteId: inv._id,
      };
      await t
        .collection(C.roles)
        .doc(grant._id)
        .update({ data: { ...change, promotedAt: ctx.now } });
      stored = { ...mine, ...change };
    } else {
      await t.collection(C.roles).add({ data: grant });
    }
    await audit(t, {
      targetType: 'role',
      targetId: grant._id,
      action: 'grant',
      actor: ctx.openid,
      role,
      ...(promote ? { from: 'sub' } : {}),
      to: promote ? 'main' : role,
      remark: `扫码确认邀请 ${inv._id}：${name ? `${name} ` : ''}${roleText(role, main)}${
        promote ? '（由子管理员升为主管理员）' : ''
      }（邀请人 ${maskOpenid(inv.issuedBy)}）`,
      at: ctx.now,
    });
  });
  return grantView(stored, { showPhone: true, scopeName: name });
}

/**
 * Check a guessed phone against the invitation inside one transaction that also counts a wrong
 * guess (issue 9): the count is exact whatever the interleaving, the invitation is revoked at the
 * fifth wrong guess, and a guess whose count could not be written answers CONFLICT — it reveals
 * nothing, so no guess goes uncounted.
 */
async function phoneMatches(db: Database, inv: InviteDoc, phone: string, now: Date): Promise<boolean> {
  return inTransaction(db, async (t) => {
    const cur = await getDoc<InviteDoc>(t, C.codes, inv._id);
    if (!cur || cur.revokedAt) throw new AppError('CODE_INVALID');
    if (cur.usedAt) throw new AppError('CODE_USED');
    if (normalizePhone(phone) === cur.phone) return true;
    const n = (cur.failedAttempts || 0) + 1;
    await t
      .collection(C.codes)
      .doc(inv._id)
      .update({ data: { failedAttempts: n, ...(n >= MAX_PHONE_ATTEMPTS ? { revokedAt: now } : {}) } });
    return false;
  });
}

// ---------- revoking ----------

/**
 * Remove a grant, re-checked inside the transaction (`check` sees the stored grant); a unit admin's
 * removal locks the unit so it cannot cross a transfer of the main role.
 */
export async function revokeGrant(
  db: Database,
  grantId: string,
  by: Actor & { remark: string },
  check?: (g: GrantDoc, t: Tx) => Promise<void>,
): Promise<GrantDoc> {
  return inTransaction(db, async (t) => {
    const g = await getDoc<GrantDoc>(t, C.roles, grantId);
    if (!g) throw new AppError('NOT_FOUND', '该授权不存在或已被撤销。');
    if (g.role === 'unit_admin') await lockUnit(t, g.scopeId);
    if (check) await check(g, t);
    await t.collection(C.roles).doc(grantId).remove();
    await audit(t, {
      targetType: 'role',
      targetId: grantId,
      action: 'revoke',
      actor: by.openid,
      role: by.role,
      from: g.role,
      remark: `${by.remark}：${roleText(g.role, g.main)} ${maskOpenid(g.openid)}${g.scopeId ? `（${g.scopeId}）` : ''}`,
      at: by.now,
    });
    return g;
  });
}
