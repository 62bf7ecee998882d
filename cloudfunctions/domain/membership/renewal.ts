/**
 * Membership over the years (issue 11; manual 1.2 and 缴费业务 个人会员费缴纳): a renewal form for
 * one or more people — started by their unit, or by a member for themself — carries one bill; when
 * finance approves, each membership is extended by its term from its current end, or from today
 * when it has lapsed. The member's history keeps every period.
 */
import type { MembershipLevel } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { addYears } from '../../../miniprogram/shared/dates';
import { C } from '../../infra/schema';
import type { Settings } from '../../infra/settings';
import { audit, getDoc, newId, Tx } from '../../infra/store';
import { takeBusy } from '../business/business';
import { membershipFee } from '../join/join';
import type { BillDoc, FormDoc, MemberDoc } from '../model';

/** One period of a membership, as the member's record keeps them. */
export interface MembershipPeriod {
  level: MembershipLevel;
  from: string;
  to: string;
  formNo?: string;
  at: Date;
}

export function termYears(level: MembershipLevel, s: Settings): number {
  return level === 'professional' ? s.professionalMembershipYears : s.ordinaryMembershipYears;
}

/** The new end of a membership renewed `today`: from its current end, or from today when lapsed. */
export function renewedUntil(current: string | undefined, level: MembershipLevel, s: Settings, today: string): string {
  const base = current && current >= today ? current : today;
  return addYears(base, termYears(level, s));
}

/**
 * Extend (or start) a member's membership of `level` inside a transaction, recording the period in
 * the member's history and an audit event.
 */
export async function extendMembership(
  t: Tx,
  memberId: string,
  level: MembershipLevel,
  ctx: { s: Settings; today: string; now: Date; by: string; role: string; formNo: string },
): Promise<string> {
  const m = await getDoc<MemberDoc & { membershipHistory?: MembershipPeriod[] }>(t, C.members, memberId);
  if (!m) throw new AppError('NOT_FOUND', '会员记录不存在。');
  const current = m.memberships.find((x) => x.level === level);
  const validUntil = renewedUntil(current?.validUntil, level, ctx.s, ctx.today);
  const from = current && current.validUntil >= ctx.today ? current.validUntil : ctx.today;
  const memberships = current
    ? m.memberships.map((x) => (x.level === level ? { ...x, validUntil } : x))
    : [...m.memberships, { level, since: ctx.today, validUntil }];
  const history = [...(m.membershipHistory || []), { level, from, to: validUntil, formNo: ctx.formNo, at: ctx.now }];
  await t
    .collection(C.members)
    .doc(memberId)
    .update({ data: { memberships, membershipHistory: history, updatedAt: ctx.now } });
  await audit(t, {
    targetType: 'member',
    targetId: memberId,
    action: 'membership-renew',
    actor: ctx.by,
    role: ctx.role as never,
    from: current?.validUntil || '',
    to: validUntil,
    remark: `${ctx.formNo}：${level === 'professional' ? '专业' : '普通'}会员会籍${current && current.validUntil >= ctx.today ? '续期' : '恢复'}至 ${validUntil}`,
    at: ctx.now,
  });
  return validUntil;
}

/** The one bill of a renewal: the fee of the level for each person. */
export function renewalBill(form: FormDoc, level: MembershipLevel, s: Settings, now: Date): BillDoc {
  return {
    _id: newId(),
    formId: form._id,
    formNo: form.no,
    formType: form.type,
    memberIds: form.memberIds || [],
    unitId: form.unitId,
    kind: 'membership-personal',
    amount: membershipFee(level, s) * (form.memberIds || []).length,
    status: 'unpaid',
    names: form.personNames,
    createdAt: now,
  };
}

/** Register each person's renewal in flight (so two renewals of one person cannot both run). */
export async function takeRenewal(t: Tx, form: FormDoc, now: Date, unitId?: string): Promise<void> {
  for (const [i, memberId] of (form.memberIds || []).entries())
    await takeBusy(t, memberId, form.personNames[i], { formId: form._id, formNo: form.no, type: form.type, phase: 'review' }, now, unitId);
}
