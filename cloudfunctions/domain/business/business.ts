/**
 * Business forms (SPEC §3.3): the facts eligibility is judged on, the per-person registry of
 * business in flight (`busy`), fees, and what an approval or a completed study does to
 * certificates and memberships. Shared by `forms`, `review` and `studies`.
 */
import type { FormType } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { addDays, addYears } from '../../../miniprogram/shared/dates';
import {
  BusinessType,
  COMBINABLE,
  EDUCATION_TYPES,
  judge,
  PersonFacts,
  Request,
  Verdict,
} from '../../../miniprogram/shared/eligibility';
import { FORM_TYPE_LABEL } from '../../../miniprogram/shared/labels';
import { feePerPerson as feeOf } from '../../../miniprogram/shared/business-rules';
import type { Database } from '../../infra/cloud';
import type { BillDoc, BusyDoc, CertificateDoc, FormDoc, MemberDoc, PersonDoc, StudyDoc } from '../model';
import { C } from '../../infra/schema';
import { activeProfile } from '../../infra/profile';
import { certTypeSpec } from '../../../miniprogram/shared/association';
import type { Settings } from '../../infra/settings';
import { audit, chunks, getDoc, newId, Tx } from '../../infra/store';

export interface MemberFacts {
  member: MemberDoc;
  certs: CertificateDoc[];
  busy: BusyDoc | null;
  unpaid: BillDoc[];
}

/** Everything eligibility needs for these members, in a few indexed queries. */
export async function loadFacts(db: Database, members: MemberDoc[]): Promise<Map<string, MemberFacts>> {
  const _ = db.command;
  const out = new Map<string, MemberFacts>(
    members.map((m) => [m._id, { member: m, certs: [], busy: null, unpaid: [] }]),
  );
  for (const ids of chunks(
    members.map((m) => m._id),
    100,
  )) {
    const [certs, busy, bills] = await Promise.all([
      db
        .collection(C.certificates)
        .where({ memberId: _.in(ids) })
        .limit(1000)
        .get(),
      db
        .collection(C.busy)
        .where({ _id: _.in(ids) })
        .limit(1000)
        .get(),
      db
        .collection(C.bills)
        .where({ memberIds: _.in(ids), status: 'unpaid' })
        .limit(1000)
        .get(),
    ]);
    for (const c of certs.data as CertificateDoc[]) out.get(c.memberId)?.certs.push(c);
    for (const b of busy.data as BusyDoc[]) {
      const f = out.get(b._id);
      if (f) f.busy = b;
    }
    for (const b of bills.data as BillDoc[]) for (const id of b.memberIds) out.get(id)?.unpaid.push(b);
  }
  return out;
}

export function personFacts(f: MemberFacts): PersonFacts {
  const m = f.member;
  const blockers: PersonFacts['blockers'] = [];
  for (const e of f.busy?.entries || []) {
    blockers.push({
      kind: e.phase === 'study' ? 'study' : 'form',
      formType: e.type,
      label:
        e.phase === 'study'
          ? `有未完成的学习任务（${FORM_TYPE_LABEL[e.type]} ${e.formNo}）`
          : `有在途的${FORM_TYPE_LABEL[e.type]}业务（${e.formNo}）`,
    });
  }
  for (const b of f.unpaid)
    blockers.push({ kind: 'bill', formType: b.formType, label: `有未缴费账单（${b.formNo}，${b.amount}元）` });
  return {
    birthDate: m.birthDate,
    memberships: m.memberships,
    ...(m.education ? { education: m.education } : {}),
    ...(m.title ? { title: m.title } : {}),
    certificates: f.certs.map((c) => ({
      id: c._id,
      type: c.type,
      specialties: c.specialties,
      validUntil: c.validUntil,
      status: c.status,
      unitName: c.unitName,
    })),
    blockers,
  };
}

export { personRules, requiredFiles } from '../../../miniprogram/shared/business-rules';

/** Per-person fee with the association's configured fees. */
export function feePerPerson(type: FormType, s: Settings): number {
  return feeOf(type, s);
}

/** The form-person record for a member the verdict cleared. */
export function businessPerson(f: MemberFacts, v: Verdict): PersonDoc {
  const m = f.member;
  const cert = v.certId ? f.certs.find((c) => c._id === v.certId) : undefined;
  return {
    memberId: m._id,
    name: m.name,
    gender: m.gender,
    idType: m.idType,
    idCipher: m.idCipher,
    idHash: m.idHash,
    idMasked: m.idMasked,
    phone: m.phone,
    birthDate: m.birthDate,
    ...(m.education ? { education: m.education } : {}),
    ...(m.title ? { title: m.title } : {}),
    ...(cert ? { certId: cert._id, certNo: cert.no, certType: cert.type, specialties: cert.specialties } : {}),
    ...(v.membershipFeeDue ? { membershipFeeDue: true } : {}),
    files: {},
  };
}

/**
 * A member's business in flight, read inside a transaction, for the moves business must not cross
 * (transfer, resignation): NOT_ELIGIBLE with what is in flight. The registry document is rewritten
 * unchanged so that a form submitted at the same moment conflicts with this transaction.
 */
export async function requireFree(t: Tx, memberId: string, now: Date): Promise<void> {
  const busy = await getDoc<BusyDoc>(t, C.busy, memberId);
  const entries = busy?.entries || [];
  if (entries.length) {
    const what = entries.map(
      (e) => `${FORM_TYPE_LABEL[e.type]}（${e.formNo}${e.phase === 'study' ? '，学习未完成' : ''}）`,
    );
    throw new AppError('NOT_ELIGIBLE', `有业务正在办理中：${what.join('、')}，办结后才能变更单位。`);
  }
  await t
    .collection(C.busy)
    .doc(memberId)
    .set({ data: { entries: [], updatedAt: now } });
}

/** Judge each member; NOT_ELIGIBLE listing every refused person with every reason. */
export function judgeAll(facts: MemberFacts[], req: Request, today: string): Verdict[] {
  const verdicts = facts.map((f) => judge(personFacts(f), req, today));
  const refused = verdicts.map((v, i) => ({ v, f: facts[i] })).filter((x) => !x.v.eligible);
  if (refused.length) {
    const fields = Object.fromEntries(refused.map((x) => [`people.${x.f.member._id}`, x.v.reasons.join('；')]));
    throw new AppError(
      'NOT_ELIGIBLE',
      `${refused.map((x) => `${x.f.member.name}：${x.v.reasons[0]}`).join('；')}`,
      fields,
    );
  }
  return verdicts;
}

/** NOT_ELIGIBLE when one of `entries` (a person's forms in flight) cannot run beside `entry`. */
export function refuseIfBusy(entries: BusyDoc['entries'], entry: Pick<BusyDoc['entries'][number], 'formId' | 'type'>, name: string): void {
  for (const e of entries) {
    const both =
      COMBINABLE.includes(entry.type as BusinessType) &&
      COMBINABLE.includes(e.type as BusinessType) &&
      e.type !== entry.type;
    if (e.formId !== entry.formId && !both)
      throw new AppError(
        'NOT_ELIGIBLE',
        `${name}：有在途的${FORM_TYPE_LABEL[e.type]}业务（${e.formNo}），不能同时办理`,
      );
  }
}

/**
 * Take the person's registry entry for a submitted form, inside the submit transaction. Re-checks
 * against what is committed now, so two units (or two tabs) submitting for the same person at once
 * cannot both succeed: the transaction conflict makes one re-read and be refused.
 */
export async function takeBusy(
  t: Tx,
  memberId: string,
  name: string,
  entry: BusyDoc['entries'][number],
  now: Date,
  unitId?: string,
): Promise<void> {
  // Read inside the transaction: a transfer or resignation committed meanwhile is seen here.
  if (unitId) {
    const m = await getDoc<MemberDoc>(t, C.members, memberId);
    if (!m || m.unitId !== unitId) throw new AppError('NOT_ELIGIBLE', `${name}：已不在本单位，不能为其办理业务`);
  }
  const busy = await getDoc<BusyDoc>(t, C.busy, memberId);
  const entries = busy?.entries || [];
  refuseIfBusy(entries, entry, name);
  await t
    .collection(C.busy)
    .doc(memberId)
    .set({ data: { entries: [...entries.filter((e) => e.formId !== entry.formId), entry], updatedAt: now } });
}

export async function releaseBusy(t: Tx, memberId: string, formId: string, now: Date): Promise<void> {
  const busy = await getDoc<BusyDoc>(t, C.busy, memberId);
  if (!busy) return;
  await t
    .collection(C.busy)
    .doc(memberId)
    .set({ data: { entries: busy.entries.filter((e) => e.formId !== formId), updatedAt: now } });
}

async function setPhase(t: Tx, memberId: string, formId: string, phase: 'review' | 'study', now: Date): Promise<void> {
  const busy = await getDoc<BusyDoc>(t, C.busy, memberId);
  if (!busy) return;
  await t
    .collection(C.busy)
    .doc(memberId)
    .set({ data: { entries: busy.entries.map((e) => (e.formId === formId ? { ...e, phase } : e)), updatedAt: now } });
}

/** Renew (or restart) a member's ordinary membership from today, inside a transaction. */
async function renewOrdinary(t: Tx, memberId: string, s: Settings, today: string, now: Date): Promise<void> {
  const m = await getDoc<MemberDoc>(t, C.members, memberId);
  if (!m) return;
  const validUntil = addYears(today, s.ordinaryMembershipYears);
  const rest = m.memberships.filter((x) => x.level !== 'ordinary');
  await t
    .collection(C.members)
    .doc(memberId)
    .update({ data: { memberships: [...rest, { level: 'ordinary', since: today, validUntil }], updatedAt: now } });
}

export function studyHours(type: FormType, s: Settings): number {
  switch (type) {
    case 'initial-education':
      return s.initialEducationHours;
    case 'continuing-education':
      return s.continuingEducationHours;
    case 'upgrade':
      return s.upgradeHours;
    default:
      return s.specialtyChangeHours;
  }
}

/**
 * What the final approval of a business form does (in the approving transaction):
 * education forms open a study task per person; an employer change relinks the certificate; a
 * cancellation cancels it and, when it was the person's only live certificate, ends the ordinary
 * membership (FAQ 3.12); a lapsed membership paid with the form starts again.
 */
export async function finalizeBusiness(
  t: Tx,
  form: FormDoc,
  ctx: { openid: string; role: string; s: Settings; today: string; now: Date; liveCerts: Record<string, string[]> },
): Promise<void> {
  const { s, today, now } = ctx;
  for (const p of form.people) {
    const memberId = p.memberId as string;
    if (p.membershipFeeDue) await renewOrdinary(t, memberId, s, today, now);
    if (EDUCATION_TYPES.includes(form.type)) {
      const study: StudyDoc = {
        _id: newId(),
        formId: form._id,
        formNo: form.no,
        type: form.type,
        memberId,
        unitId: form.unitId,
        name: p.name,
        idMasked: p.idMasked,
        certType:
          form.type === 'initial-education'
            ? (form.certType as string)
            : form.type === 'upgrade'
              ? '专业监理工程师'
              : (p.certType as string),
        ...(p.certId ? { certId: p.certId } : {}),
        ...(form.type === 'specialty-change'
          ? { alsoCertIds: (ctx.liveCerts[memberId] || []).filter((id) => id !== p.certId) }
          : {}),
        ...(form.type === 'initial-education' || form.type === 'specialty-change'
          ? { specialties: form.specialties }
          : p.specialties
            ? { specialties: p.specialties }
            : {}),
        hoursRequired: studyHours(form.type, s),
        hoursDone: 0,
        examAttempts: 0,
        maxAttempts: s.examAttempts,
        examPassed: false,
        status: 'not_started',
        createdAt: now,
        updatedAt: now,
      };
      await t.collection(C.studies).add({ data: study });
      await setPhase(t, memberId, form._id, 'study', now);
      continue;
    }
    if (form.type === 'cert-unit-change' && p.certId) {
      await t
        .collection(C.certificates)
        .doc(p.certId)
        .update({ data: { unitName: form.unitName, unitId: form.unitId, updatedAt: now } });
      await audit(t, {
        targetType: 'certificate',
        targetId: p.certId,
        action: 'unit-change',
        actor: ctx.openid,
        role: ctx.role as never,
        remark: `${form.no}：单位变更为${form.unitName}`,
        at: now,
      });
    }
    if (form.type === 'cert-cancel' && p.certId) {
      await t
        .collection(C.certificates)
        .doc(p.certId)
        .update({ data: { status: 'cancelled', cancelledOn: today, updatedAt: now } });
      await audit(t, {
        targetType: 'certificate',
        targetId: p.certId,
        action: 'cancel',
        actor: ctx.openid,
        role: ctx.role as never,
        remark: form.no,
        at: now,
      });
      if (!(ctx.liveCerts[memberId] || []).some((id) => id !== p.certId)) {
        // FAQ 3.12: cancelling the only certificate cancels the ordinary membership with it.
        const m = await getDoc<MemberDoc>(t, C.members, memberId);
        if (m) {
          const memberships = m.memberships.map((x) =>
            x.level === 'ordinary' && x.validUntil >= today
              ? { ...x, validUntil: addDays(today, -1), endedOn: today }
              : x,
          );
          await t
            .collection(C.members)
            .doc(memberId)
            .update({ data: { memberships, updatedAt: now } });
          await audit(t, {
            targetType: 'member',
            targetId: memberId,
            action: 'membership-end',
            actor: ctx.openid,
            role: ctx.role as never,
            remark: `${form.no}：注销唯一证书，普通会员会籍同时注销`,
            at: now,
          });
        }
      }
    }
    await releaseBusy(t, memberId, form._id, now);
  }
}

/** Certificate numbers: the profile's prefix of the type + year + 6-digit sequence. */
async function nextCertNo(t: Tx, type: string, today: string, now: Date): Promise<string> {
  const prefix = certTypeSpec(activeProfile(), type)?.prefix || 'ZS';
  const key = `CERT-${prefix}-${today.slice(0, 4)}`;
  const counter = await getDoc<{ seq: number }>(t, C.counters, key);
  const seq = (counter?.seq || 0) + 1;
  await t
    .collection(C.counters)
    .doc(key)
    .set({ data: { seq, updatedAt: now } });
  return `${prefix}${today.slice(0, 4)}${String(seq).padStart(6, '0')}`;
}

/**
 * A completed study issues or renews the certificate (SPEC §3.5 first line): initial education and
 * 员升师 issue a new one; renewal extends the old expiry by the validity term; a specialty change
 * rewrites the specialties of the person's live certificates so both stay consistent.
 */
export async function issueFromStudy(
  t: Tx,
  study: StudyDoc,
  s: Settings,
  today: string,
  now: Date,
): Promise<string | undefined> {
  const member = await getDoc<MemberDoc>(t, C.members, study.memberId);
  if (!member) throw new AppError('NOT_FOUND', '会员记录不存在。');
  const unit = member.unitId ? await getDoc<{ name: string }>(t, C.units, member.unitId) : null;
  if (study.type === 'initial-education' || study.type === 'upgrade') {
    let specialties = study.specialties || [];
    if (study.type === 'upgrade' && study.certId) {
      const from = await getDoc<CertificateDoc>(t, C.certificates, study.certId);
      specialties = from?.specialties || specialties;
    }
    const cert: CertificateDoc = {
      _id: newId(),
      no: await nextCertNo(t, study.certType, today, now),
      type: study.certType,
      specialties,
      unitName: unit?.name || '',
      unitId: member.unitId,
      memberId: member._id,
      holderName: member.name,
      idHash: member.idHash,
      idMasked: member.idMasked,
      firstIssuedOn: today,
      validUntil: addYears(today, s.certValidityYears),
      status: 'valid',
    };
    await t.collection(C.certificates).add({ data: cert });
    return cert._id;
  }
  if (!study.certId) return undefined;
  const cert = await getDoc<CertificateDoc>(t, C.certificates, study.certId);
  if (!cert) return undefined;
  if (study.type === 'continuing-education') {
    // Renewed from the old expiry, not from today (SPEC §2.2).
    await t
      .collection(C.certificates)
      .doc(cert._id)
      .update({
        data: { validUntil: addYears(cert.validUntil, s.certValidityYears), renewedOn: today, updatedAt: now },
      });
  } else if (study.type === 'specialty-change' && study.specialties) {
    // Manual 2.8.1(3): both certificates keep the same specialties in the same order.
    for (const id of [cert._id, ...(study.alsoCertIds || [])]) {
      await t
        .collection(C.certificates)
        .doc(id)
        .update({ data: { specialties: study.specialties, updatedAt: now } });
    }
  }
  return cert._id;
}
