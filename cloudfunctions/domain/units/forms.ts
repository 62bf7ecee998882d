/**
 * The unit's own forms (SPEC §3.6, manual FAQ 3.24): a non-member unit's membership application
 * (`unit-membership`: 机构初审 → 协会初审 → 待缴费 → 财务复核, with the unit membership-fee bill)
 * and a change of the unit's information (`unit-info-change`: 机构初审 → 协会初审). Both run on the
 * one engine; `finalizeUnitForm` is what the last approval does to the unit.
 */
import type { Files, FormType, InvoiceRequest, Role, UnitFields } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { FLOWS } from '../../../miniprogram/shared/flow';
import { FORM_TYPE_LABEL } from '../../../miniprogram/shared/labels';
import type { Database } from '../../infra/cloud';
import type { BillDoc, FormDoc, UnitDoc } from '../model';
import { toApiError } from '../../infra/router';
import { C } from '../../infra/schema';
import { audit, getDoc, inTransaction, newId, Tx } from '../../infra/store';
import { nextFormNo } from '../forms/engine';
import { attach, idsOf } from '../files/files';
import { claimPending, pendingForms } from '../forms/pending';
import { assertUnitUnique, describeChange, membershipActive } from './info';

export const UNIT_FORM_TYPES = ['unit-membership', 'unit-info-change'] as const;
export type UnitFormType = (typeof UNIT_FORM_TYPES)[number];

export function isUnitForm(type: FormType): type is UnitFormType {
  return (UNIT_FORM_TYPES as readonly string[]).includes(type);
}

/** One form of each kind in flight per unit: its `pending` key is held until approval. */
export const unitPendingKey = (type: UnitFormType, unitId: string) => `${type}:${unitId}`;

/** The last day of the calendar year of `day` (SPEC §2.2: unit membership to the end of the year). */
export function yearEnd(day: string): string {
  return `${day.slice(0, 4)}-12-31`;
}

/** In-flight unit forms of a unit, by their pending keys (read by id). */
export async function pendingUnitForms(db: Database, unitId: string): Promise<FormDoc[]> {
  return pendingForms(db, UNIT_FORM_TYPES.map((t) => unitPendingKey(t, unitId)));
}

/**
 * Create a unit form and submit it in one transaction: number, form (at its first review stage),
 * the fee bill when one is due, and their audit events. DUPLICATE when one is already in flight.
 */
export async function createUnitForm(
  db: Database,
  opts: {
    type: UnitFormType;
    unit: UnitDoc;
    files: Files;
    unitChange?: { before: UnitFields; after: UnitFields };
    fee?: number;
    remark: string;
    by: string;
    now: Date;
  },
): Promise<FormDoc> {
  const { type, unit, now } = opts;
  const first = FLOWS[type][0];
  const formId = newId();
  const bill: BillDoc | null =
    opts.fee && opts.fee > 0
      ? {
          _id: newId(),
          formId,
          formNo: '',
          formType: type,
          memberIds: [],
          unitId: unit._id,
          kind: 'membership-unit',
          amount: opts.fee,
          status: 'unpaid',
          names: [unit.name],
          createdAt: now,
        }
      : null;
  const form: FormDoc = {
    _id: formId,
    no: '',
    type,
    files: opts.files,
    status: first,
    unitId: unit._id,
    unitName: unit.name,
    orgId: unit.orgId,
    people: [],
    personHashes: [],
    personNames: [],
    billIds: bill ? [bill._id] : [],
    amountDue: bill ? bill.amount : 0,
    ...(opts.unitChange ? { unitChange: opts.unitChange } : {}),
    trail: [{ at: now, by: opts.by, role: 'unit_admin', from: 'draft', to: first, remark: opts.remark }],
    version: 1,
    createdAt: now,
    updatedAt: now,
    pendingKey: unitPendingKey(type, unit._id),
  };
  try {
    await inTransaction(db, async (t) => {
      await claimPending(t, form.pendingKey as string, form._id, now, `本单位已有一份${FORM_TYPE_LABEL[type]}正在办理中，请勿重复提交。`);
      await attach(t, idsOf(opts.files), { formId: form._id });
      // The day's counter last: the busiest document is held for the shortest time.
      form.no = await nextFormNo(t, type, now);
      await t.collection(C.forms).add({ data: form });
      await audit(t, {
        targetType: 'form',
        targetId: form._id,
        action: 'submit',
        actor: opts.by,
        role: 'unit_admin',
        from: 'draft',
        to: first,
        remark: `${FORM_TYPE_LABEL[type]} ${form.no}：${opts.remark}`,
        at: now,
      });
      if (bill) {
        bill.formNo = form.no;
        await t.collection(C.bills).add({ data: bill });
        await audit(t, {
          targetType: 'bill',
          targetId: bill._id,
          action: 'create',
          actor: opts.by,
          role: 'unit_admin',
          to: 'unpaid',
          remark: `单位会费 ${bill.amount} 元`,
          at: now,
        });
      }
    });
  } catch (e) {
    if (toApiError(e).code === 'DUPLICATE')
      throw new AppError('DUPLICATE', `本单位已有一份${FORM_TYPE_LABEL[type]}正在办理中，请勿重复提交。`);
    throw e;
  }
  return form;
}

/**
 * 单位会费缴纳 / 会费登记申请 (issue 11, manual FAQ 3.24): a member unit pays a year's fee with its
 * receipt; the form waits at 财务复核 with its bill paid; finance approves it with review.approve and
 * the unit's membership then runs to the end of that year. One per unit and year in flight.
 */
export async function createFeeForm(
  db: Database,
  o: { unit: UnitDoc; year: number; fee: number; receipt: string; invoice?: InvoiceRequest; by: string; now: Date },
): Promise<FormDoc> {
  const type = 'unit-membership' as const;
  const formId = newId();
  const bill: BillDoc = {
    _id: newId(),
    formId,
    formNo: '',
    formType: type,
    memberIds: [],
    unitId: o.unit._id,
    kind: 'membership-unit',
    amount: o.fee,
    status: 'paid',
    names: [o.unit.name],
    receipt: o.receipt,
    paidAt: o.now,
    paidBy: o.by,
    ...(o.invoice ? { invoiceRequest: o.invoice } : {}),
    createdAt: o.now,
  };
  const remark = `缴纳${o.year}年度单位会员会费 ${o.fee} 元`;
  const form: FormDoc = {
    _id: formId,
    no: '',
    type,
    files: { receipt: o.receipt },
    status: 'finance_review',
    unitId: o.unit._id,
    unitName: o.unit.name,
    orgId: o.unit.orgId,
    feeYear: o.year,
    people: [],
    personHashes: [],
    personNames: [],
    billIds: [bill._id],
    amountDue: o.fee,
    trail: [{ at: o.now, by: o.by, role: 'unit_admin', from: 'draft', to: 'finance_review', remark }],
    version: 1,
    createdAt: o.now,
    updatedAt: o.now,
    pendingKey: `unit-fee:${o.unit._id}:${o.year}`,
  };
  await inTransaction(db, async (t) => {
    await claimPending(t, form.pendingKey as string, form._id, o.now, `本单位${o.year}年度会费登记正在办理中，请勿重复提交。`);
    await attach(t, [o.receipt], { formId });
    form.no = await nextFormNo(t, type, o.now);
    bill.formNo = form.no;
    await t.collection(C.forms).add({ data: form });
    await t.collection(C.bills).add({ data: bill });
    await audit(t, { targetType: 'form', targetId: formId, action: 'submit', actor: o.by, role: 'unit_admin', from: 'draft', to: 'finance_review', remark: `${form.no}：${remark}`, at: o.now });
    await audit(t, { targetType: 'bill', targetId: bill._id, action: 'pay', actor: o.by, role: 'unit_admin', from: 'unpaid', to: 'paid', remark, at: o.now });
  });
  return form;
}

/**
 * What the last approval of a unit form does (called inside the approving transaction; a no-op for
 * other form types): a membership application makes the unit a member unit to the end of the
 * calendar year (SPEC §2.2) — extending, never shortening, a membership it still holds; an
 * information change writes the reviewed values, re-checking that no other unit took the name or
 * credit code meanwhile (the unique indexes back this up at commit).
 */
export async function finalizeUnitForm(
  t: Tx,
  form: FormDoc,
  ctx: { db: Database; openid: string; role: Role; today: string; now: Date },
): Promise<void> {
  if (!isUnitForm(form.type)) return;
  const unit = await getDoc<UnitDoc>(t, C.units, form.unitId);
  if (!unit) throw new AppError('NOT_FOUND', '单位不存在或已被删除。');
  if (form.type === 'unit-membership') {
    // 会费登记 for a given year (units.payMembership) runs to that year's end; an application to
    // join, to the end of this year (SPEC §2.2) — never shortening a membership still held.
    const paidTo = form.feeYear ? `${form.feeYear}-12-31` : yearEnd(ctx.today);
    const until = [paidTo, membershipActive(unit, ctx.today) ? (unit.memberUntil as string) : '']
      .sort()
      .pop() as string;
    await t
      .collection(C.units)
      .doc(unit._id)
      .update({
        data: { isMember: true, memberUntil: until, memberSince: unit.memberSince || ctx.today, updatedAt: ctx.now },
      });
    await audit(t, {
      targetType: 'unit',
      targetId: unit._id,
      action: 'membership',
      actor: ctx.openid,
      role: ctx.role,
      from: membershipActive(unit, ctx.today) ? 'member' : 'non-member',
      to: 'member',
      remark: `单位会员有效期至 ${until}（${form.no}）`,
      at: ctx.now,
    });
    return;
  }
  const after = form.unitChange?.after || {};
  if (!Object.keys(after).length) return;
  await assertUnitUnique(ctx.db, after, unit._id);
  await t
    .collection(C.units)
    .doc(unit._id)
    .update({ data: { ...after, updatedAt: ctx.now } });
  await audit(t, {
    targetType: 'unit',
    targetId: unit._id,
    action: 'info-change',
    actor: ctx.openid,
    role: ctx.role,
    remark: `${describeChange(form.unitChange?.before || {}, after)}（${form.no}）`,
    at: ctx.now,
  });
}
