/**
 * Public certificate lookup (SPEC §3.5, issue 5): by number, or by name + ID number together; never
 * a listing; masked ID numbers; the same answer for every kind of miss; a per-caller allowance.
 */
import { LOOKUP_BURST } from '../../cloudfunctions/domain/certs/public';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { badChecksum, validIdNumber } from '../support/fixtures';
import { addPerson, err } from './helpers';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(60_000);

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

let caller = 0;
/** A fresh WeChat identity, so each scenario starts with a full allowance. */
const who = () => `lookup-user-${++caller}`;
const lookup = (payload: Record<string, unknown>, openid = who(), fn = 'cert-lookup') => sys.call(fn, { action: 'lookup', ...payload }, openid);
const masked = (id: string) => id.slice(0, 4) + '**********' + id.slice(-4);

test('when someone looks up a certificate number, then that one certificate is answered with the ID number masked', async () => {
  const p = await addPerson({ name: '陈建华' });
  const r = ok(await lookup({ certNo: p.certs[0].no }));
  expect(r.items).toHaveLength(1);
  expect(r.items[0]).toMatchObject({ no: p.certs[0].no, holderName: '陈建华', type: '监理员', status: 'valid', idMasked: masked(p.idNumber) });
  expect(r.items[0].idMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  expect(JSON.stringify(r)).not.toContain(p.idNumber);
  // SPEC §5's name for the same action answers the same.
  expect(ok(await lookup({ certNo: p.certs[0].no.toLowerCase() }, who(), 'certs')).items[0].no).toBe(p.certs[0].no);
});

test('when someone looks up by name and ID number, then all of that person’s certificates come back, cancelled ones with their status', async () => {
  const p = await addPerson({ name: '周敏', certs: [{ type: '监理员' }, { type: '安全监理员', status: 'cancelled' }] });
  const r = ok(await lookup({ name: '周 敏', idNumber: p.idNumber.toLowerCase() }));
  expect(r.items.map((c: any) => [c.type, c.status]).sort()).toEqual([
    ['安全监理员', 'cancelled'],
    ['监理员', 'valid'],
  ]);
  for (const c of r.items) expect(c.idMasked).toBe(masked(p.idNumber));
});

test('when the ID number is unknown, or known but the name does not match, then both answer the same NOT_FOUND', async () => {
  const p = await addPerson({ name: '吴磊' });
  const unknown = await lookup({ name: '吴磊', idNumber: validIdNumber('1977-07-07', 'male', 77) });
  const wrongName = await lookup({ name: '吴雷', idNumber: p.idNumber });
  const wrongNo = await lookup({ certNo: 'NOPE0000001' });
  expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  expect(wrongName).toEqual(unknown);
  expect(wrongNo).toEqual(unknown);
});

test('when the request would list or is incomplete, then INVALID_INPUT — a name alone, an ID number alone, both kinds at once, a bad check digit', async () => {
  const p = await addPerson();
  expect(err(await lookup({}))).toBe('INVALID_INPUT');
  expect(err(await lookup({ name: p.member.name }))).toBe('INVALID_INPUT');
  expect(err(await lookup({ idNumber: p.idNumber }))).toBe('INVALID_INPUT');
  expect(err(await lookup({ certNo: p.certs[0].no, name: p.member.name, idNumber: p.idNumber }))).toBe('INVALID_INPUT');
  const bad = await lookup({ name: p.member.name, idNumber: badChecksum(p.idNumber) });
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/校验位/) } });
  expect(err(await lookup({ certNo: 'x' }))).toBe('INVALID_INPUT');
  expect(err(await sys.call('cert-lookup', { action: 'lookup', certNo: p.certs[0].no }, ''))).toBe('UNAUTHENTICATED');
});

test(`when one caller makes more than ${LOOKUP_BURST} lookups at once, then RATE_LIMITED with a wait in the message, and other callers are not affected`, async () => {
  const p = await addPerson();
  const busy = who();
  const answers = [];
  for (let i = 0; i < LOOKUP_BURST; i++) answers.push(await lookup({ certNo: i % 2 ? p.certs[0].no : `MISS${i}000`, }, busy));
  expect(answers.map(err)).toEqual(Array.from({ length: LOOKUP_BURST }, (_, i) => (i % 2 ? 'ok' : 'NOT_FOUND')));
  const limited = await lookup({ certNo: p.certs[0].no }, busy);
  expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/\d+秒后再试/) } });
  // By name + ID number too: the allowance is per caller, not per kind of lookup.
  expect(err(await lookup({ name: p.member.name, idNumber: p.idNumber }, busy))).toBe('RATE_LIMITED');
  expect(err(await lookup({ certNo: p.certs[0].no }, who()))).toBe('ok');
});

test('when several lookups of one caller arrive at once, then no more than the allowance is answered', async () => {
  const p = await addPerson();
  const busy = who();
  const answers = await Promise.all(Array.from({ length: LOOKUP_BURST + 4 }, () => lookup({ certNo: p.certs[0].no }, busy)));
  const codes = answers.map(err);
  expect(codes.filter((c) => c === 'ok').length).toBeLessThanOrEqual(LOOKUP_BURST);
  expect(codes.filter((c) => c === 'ok').length).toBeGreaterThan(0);
  expect(codes.every((c) => c === 'ok' || c === 'RATE_LIMITED')).toBe(true);
});
