/**
 * Membership reminders (issue 11): a member whose membership ends within 30 days, and their unit's
 * admins, get a notice (and a subscribe message where subscribed) — once, 30 days before; and on
 * the day it lapses, another. Run daily (the cleanup timer, or by hand); running twice a day sends
 * nothing twice (each notice is keyed by member, level, end date and kind).
 */
import { addDays } from '../../../miniprogram/shared/dates';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { inTransaction } from '../../infra/store';
import type { MemberDoc } from '../model';
import { notify, unitInbox } from '../notices/notify';

export const REMIND_DAYS = 30;

const LEVEL = { ordinary: '普通会员', professional: '专业会员' } as const;

/** Reminds the memberships ending in 30 days and those lapsed yesterday; counts the ones reminded now. */
export async function remindMemberships(db: Database, today: string, now: Date): Promise<{ soon: number; lapsed: number }> {
  const counts = { soon: 0, lapsed: 0 };
  for (const [kind, day] of [
    ['soon', addDays(today, REMIND_DAYS)],
    ['lapsed', addDays(today, -1)],
  ] as const) {
    for (let skip = 0; ; skip += 500) {
      const batch = (await db.collection(C.members).where({ 'memberships.validUntil': day }).orderBy('_id', 'asc').skip(skip).limit(500).get()).data as MemberDoc[];
      for (const m of batch)
        for (const ms of m.memberships.filter((x) => x.validUntil === day)) {
          const what = `${m.name}的${LEVEL[ms.level]}会籍`;
          const made = await inTransaction(db, (t) =>
            notify(
              t,
              [m.openid || '', m.unitId ? unitInbox(m.unitId) : ''],
              kind === 'soon'
                ? { template: 'bill-due', title: '会籍即将到期', body: `${what}将于${day}到期，请及时缴纳会费`, page: 'pages/home/index' }
                : { template: 'bill-due', title: '会籍已到期', body: `${what}已于${day}到期，缴纳会费后恢复`, page: 'pages/home/index' },
              now,
              `remind:${kind}:${m._id}:${ms.level}:${day}`,
            ),
          );
          if (made) counts[kind]++;
        }
      if (batch.length < 500) break;
    }
  }
  return counts;
}
