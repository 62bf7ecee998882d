/**
 * The workflow engine: one implementation of every form transition (SPEC §3.1), driven by the
 * transition table in miniprogram/shared/flow.ts. Each transition runs in a transaction that
 * re-reads the form and proceeds only if its status and version are what the caller saw, so of
 * two reviewers clicking at once exactly one wins and the other gets CONFLICT. Every transition
 * appends to the form's trail and to the audit log.
 */
import type { FormStatus, FormType, Role } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { FLOWS, nextStage, StageStatus } from '../../../miniprogram/shared/flow';
import { FORM_NO_PREFIX, FORM_STATUS_LABEL, FORM_TYPE_LABEL } from '../../../miniprogram/shared/labels';
import { shanghaiDay } from '../../../miniprogram/shared/dates';
import { notify, unitInbox } from '../notices/notify';
import type { Database } from '../../infra/cloud';
import type { BillDoc, FormDoc, TrailDoc } from '../model';
import { C } from '../../infra/schema';
import { audit, getDoc, inTransaction, mustGet, Tx } from '../../infra/store';

export interface Transition {
  formId: string;
  /** The status the actor saw; the transition applies only from it. */
  from: FormStatus;
  to: FormStatus;
  by: string;
  role: Role | 'applicant';
  remark?: string;
  action: string;
  /** Extra field changes to the form (merged with status/version/trail). */
  patch?: Partial<FormDoc> & Record<string, unknown>;
  /** More writes in the same transaction (bills, member records, …); runs after the form is checked. */
  also?: (t: Tx, form: FormDoc) => Promise<Partial<FormDoc> | void>;
}

/** Read the form inside a transaction, at the status the actor saw; CONFLICT otherwise. */
export async function formAt(t: Tx, formId: string, from: FormStatus): Promise<FormDoc> {
  const form = await getDoc<FormDoc>(t, C.forms, formId);
  if (!form) throw new AppError('NOT_FOUND', '表单不存在或已被删除。');
  if (form.status !== from) {
    throw new AppError('CONFLICT', `该表单已是“${FORM_STATUS_LABEL[form.status]}”状态，可能已被他人处理，请刷新后查看。`);
  }
  return form;
}

/** Apply one transition atomically; CONFLICT when the form is no longer at `from`. */
export async function transition(db: Database, tr: Transition, now: Date): Promise<FormDoc> {
  await inTransaction(db, async (t) => applyTransition(t, await formAt(t, tr.formId, tr.from), tr, now));
  // Read back what was committed (updates may hold commands such as remove()).
  return mustGet<FormDoc>(db, C.forms, tr.formId, '表单');
}

/**
 * The transition itself, inside the caller's transaction, on the form the caller read there.
 * A status never "moves" to itself: that is a caller's mistake (issue 9 — a form parked in
 * `awaiting_payment` forever came from such a non-move), refused before anything is written.
 */
export async function applyTransition(t: Tx, form: FormDoc, tr: Transition, now: Date): Promise<void> {
  if (tr.to === tr.from) throw new Error(`engine: ${tr.action} would move form ${form._id} from ${tr.from} to itself`);
  {
    const extra = (tr.also ? await tr.also(t, form) : undefined) || {};
    const entry: TrailDoc = {
      at: now,
      by: tr.by,
      role: tr.role,
      from: tr.from,
      to: tr.to,
      ...(tr.remark ? { remark: tr.remark } : {}),
    };
    const trail = [...form.trail, entry];
    const update: Record<string, unknown> = {
      ...tr.patch,
      ...extra,
      status: tr.to,
      version: form.version + 1,
      trail,
      updatedAt: now,
    };
    await t.collection(C.forms).doc(form._id).update({ data: update });
    await audit(t, {
      targetType: 'form',
      targetId: form._id,
      action: tr.action,
      actor: tr.by,
      role: tr.role,
      from: tr.from,
      to: tr.to,
      ...(tr.remark ? { remark: tr.remark } : {}),
      at: now,
    });
    await noticeFor(t, form, tr, update, now);
  }
}

/** The notice a transition owes the people who care: approval, a return with its reason, a bill due. */
async function noticeFor(
  t: Tx,
  form: FormDoc,
  tr: Transition,
  update: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const label = `${FORM_TYPE_LABEL[form.type]} ${form.no}`;
  const page = form.applicantOpenid ? `pkg-member/application/index?id=${form._id}` : `pkg-unit/form/index?id=${form._id}`;
  const owner = form.applicantOpenid ? form.applicantOpenid : unitInbox(form.unitId);
  if (tr.to === 'approved') {
    await notify(
      t,
      [owner, ...(form.type === 'join' ? [unitInbox(form.unitId)] : [])],
      { template: 'review-result', title: '审批完成', body: `${label}已审批完成`, formId: form._id, page },
      now,
    );
  } else if (tr.to === 'returned') {
    const back =
      (update.returned as { to?: string } | undefined)?.to === 'applicant' && form.applicantOpenid
        ? form.applicantOpenid
        : unitInbox(form.unitId);
    await notify(
      t,
      [back],
      { template: 'review-result', title: '已退回', body: `${label}：${tr.remark || ''}`, formId: form._id, page },
      now,
    );
  } else if (tr.to === 'rejected' || tr.to === 'withdrawn') {
    // Refused: whoever started it hears why. Withdrawn by the applicant: the unit hears it.
    const to = tr.to === 'rejected' ? [owner] : form.applicantOpenid && tr.by === form.applicantOpenid ? [unitInbox(form.unitId)] : [];
    if (to.length)
      await notify(
        t,
        to,
        {
          template: 'review-result',
          title: tr.to === 'rejected' ? '不予通过' : '已撤回',
          body: `${label}${tr.remark ? `：${tr.remark}` : ''}`,
          formId: form._id,
          page,
        },
        now,
      );
  } else if (tr.to === 'awaiting_payment' && tr.from !== 'awaiting_payment') {
    const amount = (update.amountDue as number | undefined) ?? form.amountDue;
    await notify(
      t,
      [form.payer === 'applicant' && form.applicantOpenid ? form.applicantOpenid : unitInbox(form.unitId)],
      { template: 'bill-due', title: '待缴费', body: `${label}待缴费${amount}元`, formId: form._id, page },
      now,
    );
  }
}

/** Are all of these bills paid (or confirmed)? */
export function allPaid(bills: Pick<BillDoc, 'status'>[]): boolean {
  return bills.every((b) => b.status !== 'unpaid');
}

/**
 * The stage after `stage`, skipping the payment stage when nothing is left to pay
 * (a form resubmitted after a return keeps the bills it already paid).
 */
export function advance(
  form: Pick<FormDoc, 'type'>,
  stage: StageStatus,
  bills: Pick<BillDoc, 'status'>[],
): StageStatus | 'approved' {
  let next = nextStage(form.type, stage);
  // Nothing to pay (a form without bills): the money stages do not apply.
  if (bills.length === 0)
    while (next === 'awaiting_payment' || next === 'finance_review') next = nextStage(form.type, next);
  while (next === 'awaiting_payment' && bills.length > 0 && allPaid(bills)) next = nextStage(form.type, next);
  return next;
}

/**
 * The first stage of a form's flow, past the payment stage when nothing is (left) to pay: a
 * business form submitted without a fee, or one paid before a reviewer returned it.
 */
export function firstStage(form: Pick<FormDoc, 'type'>, bills: Pick<BillDoc, 'status'>[]): StageStatus | 'approved' {
  const first = FLOWS[form.type][0];
  return first === 'awaiting_payment' && (bills.length === 0 || allPaid(bills)) ? advance(form, 'awaiting_payment', bills) : first;
}

/** Where a form re-enters the pipeline when the party it was returned to resubmits it. */
export function reentry(
  form: Pick<FormDoc, 'type'>,
  to: 'unit' | 'applicant',
  bills: Pick<BillDoc, 'status'>[],
): StageStatus | 'approved' {
  const flow = FLOWS[form.type];
  if (to === 'applicant') return flow[0];
  // Back from a reviewer to the unit: continue after the unit's own pre-review (`advance` passes a
  // payment already made), or at the flow's start when the unit has no pre-review.
  return flow[0] === 'unit_review' ? advance(form, 'unit_review', bills) : firstStage(form, bills);
}

/**
 * Next form number: prefix + yyyymmdd (Asia/Shanghai) + 6-digit daily sequence, e.g.
 * JY-20250304000045. The counter document is read and written inside the caller's transaction,
 * so two forms created at once conflict and one retries — numbers never repeat.
 */
export async function nextFormNo(t: Tx, type: FormType, now: Date): Promise<string> {
  const prefix = FORM_NO_PREFIX[type];
  const day = shanghaiDay(now).replace(/-/g, '');
  const key = `${prefix}-${day}`;
  const counter = await getDoc<{ seq: number }>(t, C.counters, key);
  const seq = (counter?.seq || 0) + 1;
  await t
    .collection(C.counters)
    .doc(key)
    .set({ data: { seq, updatedAt: now } });
  return `${key}${String(seq).padStart(6, '0')}`;
}
