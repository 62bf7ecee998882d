/**
 * The association profiles as data (issue 12): the registration rules of seed 000 on both sides of
 * each boundary, and the profile table itself (what each association offers, its types and forms).
 */
import {
  PROFILES,
  profileOf,
  registrationPeriod,
  registrationRefusals,
  renewedUntil,
} from '../../miniprogram/shared/association';
import { FLOWS } from '../../miniprogram/shared/flow';
import { DEFAULT_FEES } from '../../miniprogram/shared/business-rules';

const eq = PROFILES.equipment;
const today = '2026-12-02';
const cert = (validUntil: string, over: Record<string, unknown> = {}) => ({ type: '专业知识培训合格证书', validUntil, status: 'valid' as const, unitId: 'u1', ...over });

test('when hours are one short of 20 the renewal is refused with the hours missing; at 20 it may start', () => {
  expect(registrationRefusals(eq, 'renewal', { today, certificate: cert('2027-06-01'), hoursDone: 19.5 }).hours).toBe(
    '登记有效期内须完成20学时继续教育，已完成19.5学时，还差0.5学时。',
  );
  expect(registrationRefusals(eq, 'renewal', { today, certificate: cert('2027-06-01'), hoursDone: 20 })).toEqual({});
});

test('when the registration ended yesterday a change is refused (renew first); ending today it is still valid', () => {
  const lapsed = registrationRefusals(eq, 'change', { today, certificate: cert('2026-12-01'), hoursDone: 0, newUnit: { id: 'u2' } });
  expect(lapsed.certificateId).toContain('请先办理延续登记');
  expect(registrationRefusals(eq, 'change', { today, certificate: cert(today), hoursDone: 0, newUnit: { id: 'u2' } })).toEqual({});
});

test('when several things are wrong, every reason is given, each under its own field', () => {
  const r = registrationRefusals(eq, 'change', { today, certificate: cert('2026-01-01', { type: '监理员' }), hoursDone: 0, newUnit: null, busy: '延续登记（YXDJ-1）' });
  expect(Object.keys(r).sort()).toEqual(['busy', 'certificateId', 'newUnitId']);
  expect(registrationRefusals(eq, 'change', { today, certificate: cert(today), hoursDone: 0, newUnit: { id: 'u1' } }).newUnitId).toContain('相同');
});

test('when a registration is renewed it extends from its end, or from today when it had lapsed', () => {
  expect(renewedUntil(eq, cert('2027-03-01'), today)).toBe('2030-03-01');
  expect(renewedUntil(eq, cert('2025-03-01'), today)).toBe('2029-12-02');
  expect(registrationPeriod(eq, cert('2027-03-01'))).toEqual({ from: '2024-03-01', to: '2027-03-01' });
});

test('the construction association offers no holder registration; the equipment one no unit business', () => {
  expect(registrationRefusals(PROFILES.construction, 'renewal', { today, certificate: cert('2027-01-01'), hoursDone: 40 }).kind).toContain('不办理');
  expect(PROFILES.construction.unitBusiness).toBe(true);
  expect(eq.unitBusiness).toBe(false);
  expect(eq.certificateTypes.map((c) => c.name)).toEqual(['总监理工程师培训合格证书', '专业知识培训合格证书', '助理设备监理工程师培训证书']);
  // Seed 000 3.5: the renewal form only as a PDF; 4.4: the change's two papers, ≤10 MB each.
  expect(eq.holderBusinesses['registration-renewal']!.files).toEqual([expect.objectContaining({ key: 'applicationForm', pdfOnly: true, maxBytes: 10 * 1024 * 1024 })]);
  expect(eq.holderBusinesses['registration-change']!.files.map((f) => [f.key, f.pdfOnly])).toEqual([['applicationForm', false], ['resignationProof', false]]);
  // The engine's flow table reads the profile's stages.
  expect(FLOWS['registration-renewal']).toEqual(eq.holderBusinesses['registration-renewal']!.stages);
  // Fees per business come from the profile (the manual's 80 and 20 for the construction association).
  expect(DEFAULT_FEES).toEqual({ educationFeePerPerson: 80, certUnitChangeFeePerPerson: 20 });
  expect(eq.fees).toEqual({});
  expect(() => profileOf('nonsense')).toThrow(/unknown association profile/);
  expect(profileOf(undefined).id).toBe('construction');
});
