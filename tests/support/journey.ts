/** Steps of the join journey shared by scenario tests: real files uploaded, real calls over HTTP. */
import type { LocalSystem } from './local-system';
import { jpeg, pdf, validIdNumber } from './fixtures';

export const ADMIN_A = 'demo-unit-a-admin';
export const ADMIN_B = 'demo-unit-b-admin';
export const ORG = 'demo-org-reviewer';
export const ASSOC = 'demo-assoc-reviewer';
export const FINANCE = 'demo-finance';

let counter = 0;

export async function joinFiles(sys: LocalSystem, full = true, owner: string): Promise<Record<string, string>> {
  const n = ++counter;
  const files: Record<string, string> = {
    photo: await sys.upload(jpeg(90, 120, 80, n), `uploads/t${n}/photo.jpg`, owner, 'photo'),
    idFront: await sys.upload(jpeg(320, 200, 80, n + 1), `uploads/t${n}/id-front.jpg`, owner, 'idFront'),
    idBack: await sys.upload(jpeg(320, 200, 80, n + 2), `uploads/t${n}/id-back.jpg`, owner, 'idBack'),
  };
  if (full) {
    files.diploma = await sys.upload(jpeg(300, 220, 80, n + 3), `uploads/t${n}/diploma.jpg`, owner, 'diploma');
    files.diplomaCheck = await sys.upload(pdf(2000), `uploads/t${n}/diploma-check.pdf`, owner, 'diplomaCheck');
  }
  return files;
}

export function profile(overrides: Record<string, unknown> = {}, birth = '1990-06-15', gender: 'male' | 'female' = 'male', seq = 10 + counter) {
  return {
    name: '王小明',
    gender,
    idType: 'resident',
    idNumber: validIdNumber(birth, gender, seq),
    phone: '13912345678',
    address: '示例市示例区示例路8号',
    education: { level: 'bachelor', school: '示例理工大学', major: '工程管理', graduatedOn: '2012-07-01' },
    title: '助理工程师',
    ...overrides,
  };
}

export async function issue(sys: LocalSystem, kind: 'join' | 'join-simple' = 'join', admin = ADMIN_A) {
  const r = await sys.call('codes', { action: 'issue', kind }, admin);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.data as { code: string; scene: string; qrImage: string; expiresAt: string };
}

/** Apply with a full join code as `openid`; resolves to the envelope. */
export async function apply(sys: LocalSystem, openid: string, prof: Record<string, unknown> = profile(), opts: { kind?: 'join' | 'join-simple'; files?: Record<string, string>; level?: string } = {}) {
  const { code } = await issue(sys, opts.kind || 'join');
  const files = opts.files || (await joinFiles(sys, (opts.kind || 'join') === 'join', openid));
  return sys.call('members', { action: 'apply', code, level: opts.level || 'ordinary', profile: prof, files }, openid);
}

export function ok<T = any>(r: any): T {
  if (!r || r.ok !== true) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.data as T;
}

/** Walk an applied form to finance approval; returns the final form view. */
export async function walkToMember(sys: LocalSystem, formId: string) {
  ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
  const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
  const receipt = await sys.upload(jpeg(200, 300, 80, 99), `uploads/receipt-${formId}.jpg`, ADMIN_A, 'receipt');
  ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
  ok(await sys.call('review', { action: 'approve', formId }, ORG));
  ok(await sys.call('review', { action: 'approve', formId }, ASSOC));
  return ok(await sys.call('review', { action: 'approve', formId, remark: '会费已到账' }, FINANCE));
}
