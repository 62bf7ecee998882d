/**
 * The renewal form (个人会员费缴纳, issue 11): drafted for some of a unit's people (or by a member for
 * themself), submitted with one bill to 待缴费, approved by finance. Shares the engine and the
 * busy registry with every other form.
 */
import type { MembershipLevel } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { FLOWS } from '../../../miniprogram/shared/flow';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { loadSettings } from '../../infra/settings';
import { audit, getDoc, inTransaction, newId } from '../../infra/store';
import { businessPerson, refuseIfBusy } from '../business/business';
import { nextFormNo, transition } from '../forms/engine';
import type { BusyDoc, FormDoc, MemberDoc, UnitDoc } from '../model';
import { renewalBill, takeRenewal } from './renewal';

/** A renewal draft for these members of `unit` (or for the caller alone, paying themself). */
export async function draftRenewal(
  db: Database,
  o: { unit: UnitDoc | null; memberIds: string[]; level: MembershipLevel; by: string; now: Date; self?: boolean },
): Promise<FormDoc> {
  const found = (await db.collection(C.members).where({ _id: db.command.in(o.memberIds) }).limit(100).get()).data as MemberDoc[];
  const unitId = o.unit?._id || '';
  const foreign = o.memberIds.filter((id) => !found.some((m) => m._id === id && (o.self || m.unitId === unitId)));
  if (foreign.length) throw new AppError('FORBIDDEN', '只能为本单位的人员缴纳会费。');
  const ordered = o.memberIds.map((id) => found.find((m) => m._id === id) as MemberDoc);
  if (o.level === 'professional' && ordered.some((m) => !m.memberships.some((x) => x.level === 'professional')))
    throw new AppError('NOT_ELIGIBLE', '专业会员会费只能为已是专业会员的人员缴纳；新申请专业会员请走专业会员入会申请。');
  // A member's own renewal is drafted and submitted in one call: a person with a form in flight is
  // refused before the draft is written, so the refusal leaves nothing behind (the submit's
  // transaction checks again). A unit's draft may wait for the other form to end.
  if (o.self)
    for (const m of ordered) {
      const busy = await getDoc<BusyDoc>(db, C.busy, m._id);
      refuseIfBusy(busy?.entries || [], { formId: '', type: 'membership-renewal' }, m.name);
    }
  const people = ordered.map((m) =>
    businessPerson({ member: m, certs: [], busy: null, unpaid: [] }, { eligible: true, reasons: [], membershipFeeDue: false }),
  );
  const form: FormDoc = {
    _id: newId(),
    no: '',
    type: 'membership-renewal',
    status: 'draft',
    unitId,
    unitName: o.unit?.name || '',
    orgId: o.unit?.orgId || '',
    memberIds: o.memberIds,
    level: o.level,
    ...(o.self ? { applicantOpenid: o.by, payer: 'applicant' as const } : {}),
    files: {},
    people,
    personHashes: people.map((p) => p.idHash),
    personNames: people.map((p) => p.name),
    billIds: [],
    amountDue: 0,
    trail: [],
    version: 1,
    createdAt: o.now,
    updatedAt: o.now,
  };
  await inTransaction(db, async (t) => {
    form.no = await nextFormNo(t, 'membership-renewal', o.now);
    await t.collection(C.forms).add({ data: form });
    await audit(t, {
      targetType: 'form',
      targetId: form._id,
      action: 'create',
      actor: o.by,
      role: o.self ? 'member' : 'unit_admin',
      to: 'draft',
      remark: `暂存 ${form.no}`,
      at: o.now,
    });
  });
  return form;
}

/** Submit a renewal: its one bill, each person registered as in flight, on to 待缴费. */
export async function submitRenewal(
  db: Database,
  form: FormDoc,
  o: { by: string; role: 'unit_admin' | 'applicant'; unitId?: string; now: Date },
): Promise<FormDoc> {
  const s = await loadSettings(db);
  const bill = renewalBill(form, form.level || 'ordinary', s, o.now);
  return transition(
    db,
    {
      formId: form._id,
      from: 'draft',
      to: FLOWS['membership-renewal'][0],
      by: o.by,
      role: o.role,
      remark: o.role === 'applicant' ? '本人缴纳会费' : '单位发起',
      action: 'submit',
      patch: { billIds: [bill._id], amountDue: bill.amount },
      also: async (t, current) => {
        await takeRenewal(t, current, o.now, o.unitId);
        await t.collection(C.bills).add({ data: bill });
        await audit(t, {
          targetType: 'bill',
          targetId: bill._id,
          action: 'create',
          actor: o.by,
          role: o.role,
          to: 'unpaid',
          remark: `个人会员费 ${bill.amount} 元`,
          at: o.now,
        });
      },
    },
    o.now,
  );
}
