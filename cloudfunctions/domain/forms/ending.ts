/**
 * Ending a form before approval (issue 11): withdrawn by whoever started it, or 不予通过 (rejected)
 * by the association or finance. Final either way; inside the ending transition's transaction:
 * unpaid bills are voided and paid ones flagged for refund, each person's business registration
 * and the form's "one in flight" key are released — the person is free again.
 */
import type { FormStatus, Role } from '../../../typings/api';
import { C } from '../../infra/schema';
import { audit, getDoc, Tx } from '../../infra/store';
import { releaseBusy } from '../business/business';
import type { BillDoc, FormDoc } from '../model';
import { releasePending } from './pending';

export async function releaseForm(
  t: Tx,
  form: FormDoc,
  ending: { to: 'withdrawn' | 'rejected'; by: string; role: Role | 'applicant'; reason: string; now: Date },
): Promise<void> {
  for (const id of form.billIds || []) {
    const bill = await getDoc<BillDoc>(t, C.bills, id);
    if (!bill || (bill.status !== 'unpaid' && bill.status !== 'paid')) continue;
    const status = bill.status === 'unpaid' ? 'void' : 'refund';
    await t
      .collection(C.bills)
      .doc(id)
      .update({ data: { status, [`${status}At`]: ending.now } });
    await audit(t, {
      targetType: 'bill',
      targetId: id,
      action: status,
      actor: ending.by,
      role: ending.role,
      from: bill.status,
      to: status,
      remark: `${form.no}${ending.to === 'withdrawn' ? '已撤回' : '不予通过'}：${status === 'void' ? '缴费单作废' : `已缴 ${bill.amount} 元待退款`}`,
      at: ending.now,
    });
  }
  for (const memberId of form.memberIds || []) await releaseBusy(t, memberId, form._id, ending.now);
  await releasePending(t, form.pendingKey, form._id);
}

/** Statuses a form may be withdrawn or refused from: in flight and submitted (a draft is discarded). */
export const ENDABLE: FormStatus[] = ['unit_review', 'org_review', 'assoc_review', 'awaiting_payment', 'finance_review', 'returned'];
