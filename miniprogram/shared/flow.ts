/**
 * The review pipeline as data (SPEC §3.1). Each form type lists its stages in order; each stage
 * names the role that acts on it. One engine (cloudfunctions/domain/forms/engine.ts) runs every type.
 */
import type { FormStatus, FormType, Role } from '../../typings/api';
import { PROFILES } from './association';

export type StageStatus = Exclude<FormStatus, 'draft' | 'approved' | 'returned' | 'withdrawn' | 'rejected'>;

/** Where a form ends and nothing more can happen to it. */
export const FINAL: FormStatus[] = ['approved', 'withdrawn', 'rejected'];

/** Who acts at each stage, and how the scope of their role must match the form. */
export const STAGE_ACTOR: Record<StageStatus, { role: Role; scope: 'unit' | 'org' | 'none' }> = {
  unit_review: { role: 'unit_admin', scope: 'unit' },
  awaiting_payment: { role: 'unit_admin', scope: 'unit' },
  org_review: { role: 'org_reviewer', scope: 'org' },
  assoc_review: { role: 'assoc_reviewer', scope: 'none' },
  finance_review: { role: 'finance', scope: 'none' },
};

/**
 * Stages per form type. Joining (manual 2.1.2 ★注): 单位预审 → the unit pays the personal fee →
 * 机构初审 → 协会复核及收费审批. Business forms pay first too (manual 2.5.2–2.9.2: "单位发起…申请并
 * 缴纳会员教育辅助费用后，由会员服务机构进行初审，再提交协会复核"): 待缴费 → 机构初审 → 协会复核 →
 * 财务复核 (finance confirms the money last, as for joining). A form with nothing to pay skips the
 * money stages (engine `advance`).
 */
export const FLOWS: Record<FormType, StageStatus[]> = {
  join: ['unit_review', 'awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  'initial-education': ['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  'continuing-education': ['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  upgrade: ['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  'specialty-change': ['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  'cert-unit-change': ['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  // Cancellation skips the service organisation and the money stages (SPEC §3.1).
  'cert-cancel': ['assoc_review'],
  'pro-continuing-education': ['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'],
  // A unit's own membership form carries its receipt from the start (units.payMembership).
  'unit-membership': ['org_review', 'assoc_review', 'awaiting_payment', 'finance_review'],
  'unit-info-change': ['org_review', 'assoc_review'],
  // 个人会员费缴纳 (manual 1.2, 缴费业务): pay, then the association's finance confirms.
  'membership-renewal': ['awaiting_payment', 'finance_review'],
  // 个人信息变更 (manual 2.3.2): 单位预审 (skipped when the unit starts it) → 机构初审 → 协会复核.
  'member-info-change': ['unit_review', 'org_review', 'assoc_review'],
  // 延续/变更登记 (seed 000): the stages come with the association profile that offers them.
  'registration-renewal': PROFILES.equipment.holderBusinesses['registration-renewal']!.stages,
  'registration-change': PROFILES.equipment.holderBusinesses['registration-change']!.stages,
};

/** The stage after `status` in the type's flow (`approved` after the last). */
export function nextStage(type: FormType, status: StageStatus): StageStatus | 'approved' {
  const flow = FLOWS[type];
  const i = flow.indexOf(status);
  if (i < 0) throw new Error(`stage ${status} is not in the ${type} flow`);
  return i + 1 < flow.length ? flow[i + 1] : 'approved';
}

/** Stages at which a reviewer may return the form with a reason (all review stages). */
export const RETURNABLE: StageStatus[] = ['unit_review', 'org_review', 'assoc_review', 'finance_review'];

/** Statuses in which a form is in flight (blocks other business for its people). */
export const IN_FLIGHT: FormStatus[] = [
  'draft',
  'unit_review',
  'org_review',
  'assoc_review',
  'awaiting_payment',
  'finance_review',
  'returned',
];
