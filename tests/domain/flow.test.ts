import { FLOWS, nextStage, STAGE_ACTOR } from '../../miniprogram/shared/flow';
import { advance, reentry } from '../../cloudfunctions/domain/forms/engine';

describe('the join pipeline (manual 2.1.2 ★注)', () => {
  test('when a join form moves, then it passes unit review, payment, organisation, association and finance in order', () => {
    const seen: string[] = [];
    let s: string = FLOWS.join[0];
    while (s !== 'approved') {
      seen.push(s);
      s = nextStage('join', s as never);
    }
    expect(seen).toEqual(['unit_review', 'awaiting_payment', 'org_review', 'assoc_review', 'finance_review']);
    expect(STAGE_ACTOR.org_review.role).toBe('org_reviewer');
    expect(STAGE_ACTOR.finance_review.role).toBe('finance');
  });

  test('when cancellation is filed, then only the association reviews it (SPEC §3.1)', () => {
    expect(FLOWS['cert-cancel']).toEqual(['assoc_review']);
  });

  test('when the bill is already paid, then advancing skips the payment stage', () => {
    expect(advance({ type: 'join' }, 'unit_review', [{ status: 'unpaid' }])).toBe('awaiting_payment');
    expect(advance({ type: 'join' }, 'unit_review', [{ status: 'paid' }])).toBe('org_review');
  });

  test('when a returned form is resubmitted, then the applicant restarts at unit review and the unit continues after it', () => {
    expect(reentry({ type: 'join' }, 'applicant', [])).toBe('unit_review');
    expect(reentry({ type: 'join' }, 'unit', [{ status: 'paid' }])).toBe('org_review');
    expect(reentry({ type: 'join' }, 'unit', [{ status: 'unpaid' }])).toBe('awaiting_payment');
  });
});
