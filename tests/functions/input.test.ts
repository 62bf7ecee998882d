/**
 * Hostile input, case by case (issue 9): each of these was stored as sent or answered INTERNAL
 * before the schemas were closed. Every one is now INVALID_INPUT naming the field, and writes nothing.
 */
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ADMIN_A, issue, joinFiles, profile } from '../support/journey';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

async function applyWith(openid: string, overrides: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const { code } = await issue(sys);
  const files = await joinFiles(sys, true, openid);
  const before = (await database().collection(C.forms).where({ applicantOpenid: openid }).count()).total;
  const r = await sys.call('members', { action: 'apply', code, level: 'ordinary', profile: profile(overrides), files, ...extra }, openid);
  const after = (await database().collection(C.forms).where({ applicantOpenid: openid }).count()).total;
  return { r, wrote: after !== before };
}

test.each([
  ['education with non-string fields', { education: { level: 'bachelor', school: 123, major: ['土木'], graduatedOn: 20100701 } }, 'profile.education.school'],
  ['education with a $where key', { education: { level: 'bachelor', school: '示例大学', major: '土木', graduatedOn: '2010-07-01', $where: 'sleep(5000)' } }, 'profile.education.$where'],
  ['a level of "__proto__"', { education: { level: '__proto__', school: '示例大学', major: '土木', graduatedOn: '2010-07-01' } }, 'profile.education.level'],
  ['an address sent as an object', { address: { $ne: null } }, 'profile.address'],
  ['an unknown profile field', { admin: true }, 'profile.admin'],
])('when the profile has %s, then INVALID_INPUT on that field and nothing is written', async (_what, overrides, field) => {
  const { r, wrote } = await applyWith(`input-${field}`, overrides);
  expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { [field]: expect.any(String) } } });
  expect(wrote).toBe(false);
});

test('when a request carries a prototype key or an unknown top-level field, then INVALID_INPUT', async () => {
  const proto = JSON.parse('{"action":"list","__proto__":{"isAdmin":true}}');
  const r0 = await sys.call('forms', proto, ADMIN_A);
  expect(r0).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(Object.keys(r0.error.fields)).toEqual(['__proto__']);
  expect(await sys.call('forms', { action: 'list', sneaky: 1 }, ADMIN_A)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { sneaky: expect.any(String) } } });
  const { r } = await applyWith('input-files', {}, { files: { photo: 'cloud://x/y/z.jpg', 'photo.$set': 'x' } });
  expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('when lists are longer than allowed or strings longer than their cap, then INVALID_INPUT, never INTERNAL', async () => {
  const many = Array.from({ length: 51 }, (_, i) => `m${i}`);
  expect(await sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: many }, ADMIN_A)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { memberIds: expect.any(String) } } });
  expect(await sys.call('forms', { action: 'list', name: '名'.repeat(31) }, ADMIN_A)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { name: expect.any(String) } } });
});
