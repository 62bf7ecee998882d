/**
 * Boundaries a mutation once survived (issue 9): a membership or certificate is valid on its last
 * day and not the day after (`>=`, not `>`), and the rate limiter refills at exactly its rate —
 * `now` injected, nothing waited for.
 */
import { judge, PersonFacts } from '../../miniprogram/shared/eligibility';
import { refill } from '../../cloudfunctions/infra/rate-limit';
import { hasValidMembership } from '../../cloudfunctions/domain/roster/roster';
import { membershipActive } from '../../cloudfunctions/domain/units/info';

const person = (ordinaryUntil: string, certUntil: string): PersonFacts => ({
  birthDate: '1985-05-05',
  memberships: [{ level: 'ordinary', validUntil: ordinaryUntil }],
  education: { level: 'bachelor', major: '土木工程', graduatedOn: '2007-07-01' },
  certificates: [{ id: 'c1', type: '监理员', specialties: ['房屋建筑工程'], validUntil: certUntil, status: 'valid', unitName: '示例监理有限公司' }],
  blockers: [],
});
const upgrade = { type: 'upgrade' as const, unitName: '示例监理有限公司' };

describe('a membership is valid through its last day', () => {
  test('when today is the last day, then the person may still do business; the day after, not', () => {
    expect(judge(person('2026-06-30', '2027-12-31'), upgrade, '2026-06-30').eligible).toBe(true);
    const after = judge(person('2026-06-30', '2027-12-31'), upgrade, '2026-07-01');
    expect(after.eligible).toBe(false);
    expect(after.reasons.join()).toMatch(/会籍/);
  });

  test('when the certificate ends today, then it is still valid; tomorrow it is expired', () => {
    expect(judge(person('2028-01-01', '2026-06-30'), upgrade, '2026-06-30').eligible).toBe(true);
    expect(judge(person('2028-01-01', '2026-06-30'), upgrade, '2026-07-01').eligible).toBe(false);
  });

  test('the roster and unit membership read the last day the same way', () => {
    const m = { memberships: [{ level: 'ordinary' as const, since: '2023-06-30', validUntil: '2026-06-30' }] };
    expect(hasValidMembership(m as never, '2026-06-30')).toBe(true);
    expect(hasValidMembership(m as never, '2026-07-01')).toBe(false);
    const unit = { isMember: true, memberUntil: '2026-12-31' };
    expect(membershipActive(unit as never, '2026-12-31')).toBe(true);
    expect(membershipActive(unit as never, '2027-01-01')).toBe(false);
  });
});

describe('the rate limiter refills at its rate', () => {
  const t0 = new Date('2026-12-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  test('when one refill period passes, exactly one token comes back; half a period, half a token', () => {
    expect(refill(0, t0, at(20), 8, 20)).toBe(1);
    expect(refill(0, t0, at(10), 8, 20)).toBe(0.5);
    expect(refill(0, t0, at(19.999), 8, 20)).toBeLessThan(1);
    expect(refill(2.5, t0, at(60), 8, 20)).toBe(5.5);
  });

  test('the bucket never holds more than its burst, and time running backwards adds nothing', () => {
    expect(refill(0, t0, at(10_000), 8, 20)).toBe(8);
    expect(refill(3, t0, at(-60), 8, 20)).toBe(3);
  });
});
