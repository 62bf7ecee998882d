/** Steps shared by the unit-account, secretariat and access-matrix scenarios: units, invitations, audit. */
import { creditCodeCheckChar } from '../../miniprogram/shared/credit-code';
import { database } from '../../cloudfunctions/infra/cloud';
import { signCode, verifyCode } from '../../cloudfunctions/domain/codes/token';
import { C } from '../../cloudfunctions/infra/schema';
import type { LocalSystem } from './local-system';
import { jpeg, pdf } from './fixtures';
import { ok } from './journey';

export const SECRETARIAT = 'demo-secretariat';

export const err = (r: any): string => (r && r.ok ? 'ok' : r?.error?.code);

let seq = 0;
const next = () => `${Date.now().toString(36).slice(-4)}${++seq}`;

/** A valid 统一社会信用代码, different for each `n`. */
export function creditCode(n: number): string {
  const body = `91440101MA5${String(n % 1_000_000).padStart(6, '0')}`;
  return body + creditCodeCheckChar(body);
}

let codeSeq = 100_000 + Math.floor(Math.random() * 800_000);
export const freshCreditCode = () => creditCode(++codeSeq);

export async function pdfFile(sys: LocalSystem, owner: string, bytes = 800): Promise<string> {
  return sys.upload(pdf(bytes), `uploads/units/${next()}.pdf`, owner, 'applicationForm');
}

export async function jpegFile(sys: LocalSystem, owner: string): Promise<string> {
  return sys.upload(jpeg(100, 100), `uploads/units/${next()}.jpg`, owner, 'receipt');
}

export interface AuditRow {
  targetType: string;
  action: string;
  actor: string;
  role: string;
  from?: string;
  to?: string;
  remark?: string;
}

export async function auditOf(targetId: string): Promise<AuditRow[]> {
  const r = await database().collection(C.audit).where({ targetId }).orderBy('at', 'asc').limit(100).get();
  return r.data as AuditRow[];
}

/** The same code record re-signed with an expiry in the past (this data directory's secret). */
export function expiredCopy(code: string): string {
  const v = verifyCode(code, new Date());
  if (!v.ok) throw new Error('a fresh code must verify');
  return signCode(v.kind, v.id, new Date(Date.now() - 1000));
}

/** A code of the same shape whose signature does not match. */
export function forged(code: string): string {
  const last = code[code.length - 1];
  return code.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

/** A new unit (secretariat) with its main admin bound through a real invitation. */
export async function freshUnit(
  sys: LocalSystem,
  label: string,
  opts: { isMember?: boolean } = {},
): Promise<{ unitId: string; name: string; main: string; creditCode: string }> {
  const n = next();
  const name = `${label}${n}有限公司`;
  const cc = freshCreditCode();
  const unit = ok(
    await sys.call(
      'admin',
      { action: 'createUnit', name, creditCode: cc, orgId: 'org-demo', isMember: !!opts.isMember },
      SECRETARIAT,
    ),
  );
  const main = `main-${n}`;
  const inv = ok(await sys.call('admin', { action: 'inviteRole', role: 'unit_admin', scopeId: unit.id }, SECRETARIAT));
  ok(await sys.call('admin', { action: 'acceptRole', code: inv.code }, main));
  return { unitId: unit.id, name, main, creditCode: cc };
}

/** Invite and bind a sub-admin of the main admin's unit. */
export async function addSubAdmin(sys: LocalSystem, main: string, openid: string, phone: string) {
  const inv = ok(await sys.call('units', { action: 'inviteSubAdmin', phone }, main));
  return ok(await sys.call('units', { action: 'acceptInvite', code: inv.code, phone }, openid));
}
