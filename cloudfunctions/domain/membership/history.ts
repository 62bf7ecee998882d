/** A member record's history (issue 11): every audited change to it, newest first, with its reason. */
import type { HistoryEntry } from '../../../typings/api';
import { shanghaiIso } from '../../../miniprogram/shared/dates';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';

/** Audit actions a member's own record shows (not reads such as full-ID reveals). */
const SHOWN = new Set(['join', 'transfer', 'resign', 'id-supplement', 'bind-request', 'bind-refused', 'unbind', 'membership-renew', 'membership-end', 'correct', 'correct-certificate', 'info-change']);

export async function memberHistory(db: Database, memberId: string): Promise<HistoryEntry[]> {
  const r = await db.collection(C.audit).where({ targetId: memberId }).orderBy('at', 'desc').limit(100).get();
  return (r.data as { action: string; role: string; remark?: string; at: Date }[])
    .filter((e) => SHOWN.has(e.action))
    .map((e) => ({ at: shanghaiIso(new Date(e.at)), action: e.action, role: e.role, remark: e.remark || '' }));
}
