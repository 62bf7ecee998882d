/**
 * 延续登记 / 变更登记 started by the certificate holder (issue 12, seed 000): the preconditions (hours
 * inside the registration's validity for a renewal; a valid registration and a new employer for a
 * change), the draft, the submission with the signed paper, and what the final approval does to the
 * certificate. The association profile says whether these exist, their stages and attachments.
 */
import type { FileKey, Files, RegistrationDetails, RegistrationOption } from '../../../typings/api';
import {
  AssociationProfile,
  HolderBusiness,
  registrationPeriod,
  registrationRefusals,
  renewedUntil,
} from '../../../miniprogram/shared/association';
import { AppError } from '../../../miniprogram/shared/errors';
import { FLOWS } from '../../../miniprogram/shared/flow';
import { FORM_TYPE_LABEL } from '../../../miniprogram/shared/labels';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { audit, getDoc, inTransaction, newId, Tx } from '../../infra/store';
import { v } from '../../infra/validate';
import { businessPerson, releaseBusy, takeBusy } from '../business/business';
import { attach, checkOwnFiles, fileDoc, idsOf } from '../files/files';
import { nextFormNo, transition } from '../forms/engine';
import { BusyDoc, CertificateDoc, certView, FormDoc, MemberDoc, UnitDoc } from '../model';

export const DETAILS_INPUT = v.object({
  position: v.string({ min: 1, max: 30, label: '职务' }),
  title: v.string({ min: 1, max: 30, label: '职称' }),
  email: v.string({ min: 5, max: 60, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, label: '电子邮箱' }),
  specialty: v.string({ min: 1, max: 40, label: '现从事专业' }),
  address: v.string({ min: 4, max: 100, label: '通信地址' }),
});

export function holderType(kind: 'renewal' | 'change'): HolderBusiness {
  return kind === 'renewal' ? 'registration-renewal' : 'registration-change';
}

/** Hours of continuing education the member finished inside [from, to] (seed 000 3.2). */
export async function learningHours(db: Database, memberId: string, period: { from: string; to: string }): Promise<number> {
  const _ = db.command;
  const r = await db
    .collection(C.learning)
    .where({ memberId, finishedOn: _.gte(period.from).and(_.lte(period.to)) })
    .limit(1000)
    .get();
  return (r.data as { hours: number }[]).reduce((a, x) => a + (Number(x.hours) || 0), 0);
}

/** What is in flight for the person, as the label a refusal names. */
async function busyLabel(db: Database, memberId: string): Promise<string | undefined> {
  const busy = await getDoc<BusyDoc>(db, C.busy, memberId);
  const e = busy?.entries?.[0];
  return e ? `${FORM_TYPE_LABEL[e.type]}（${e.formNo}）` : undefined;
}

/** The caller's certificates with what each may be registered for now. */
export async function registrationOptions(db: Database, p: AssociationProfile, me: MemberDoc, today: string): Promise<RegistrationOption[]> {
  const certs = (await db.collection(C.certificates).where({ memberId: me._id }).limit(50).get()).data as CertificateDoc[];
  const busy = await busyLabel(db, me._id);
  const out: RegistrationOption[] = [];
  for (const c of certs) {
    const hoursDone = await learningHours(db, me._id, registrationPeriod(p, c));
    const facts = { today, certificate: c, hoursDone, busy };
    const renewal = Object.values(registrationRefusals(p, 'renewal', facts));
    // The new employer is chosen in the wizard: judge the change without it.
    const change = Object.values(registrationRefusals(p, 'change', { ...facts, newUnit: undefined }));
    out.push({
      certificate: certView(c, today),
      hoursDone,
      hoursRequired: p.renewalHours,
      renewal: { ok: !renewal.length, reasons: renewal },
      change: { ok: !change.length, reasons: change },
    });
  }
  return out;
}

/**
 * The preconditions of a 延续/变更登记 on today's facts — NOT_FOUND for someone else's certificate or
 * an unknown unit, NOT_ELIGIBLE with every reason (each under its field). Checked when the draft is
 * made and again when it is submitted (the hours, the validity or the person's business may change).
 */
async function checkRegistration(
  db: Database,
  p: AssociationProfile,
  o: { memberId: string; memberUnitId: string | null; kind: 'renewal' | 'change'; certificateId: string; newUnitId?: string; today: string },
): Promise<{ cert: CertificateDoc; newUnit: UnitDoc | null | undefined; fromUnitId: string | null; hoursDone: number }> {
  const cert = await getDoc<CertificateDoc>(db, C.certificates, o.certificateId);
  if (!cert || cert.memberId !== o.memberId) throw new AppError('NOT_FOUND', '找不到您名下的这本证书。', { certificateId: '找不到您名下的这本证书' });
  const newUnit = o.kind === 'change' ? (o.newUnitId ? await getDoc<UnitDoc>(db, C.units, o.newUnitId) : null) : undefined;
  if (o.kind === 'change' && o.newUnitId && !newUnit) throw new AppError('NOT_FOUND', '找不到所选的工作单位。', { newUnitId: '找不到所选的工作单位' });
  const fromUnitId = cert.unitId ?? o.memberUnitId ?? null;
  const hoursDone = await learningHours(db, o.memberId, registrationPeriod(p, cert));
  const refusals = registrationRefusals(p, o.kind, {
    today: o.today,
    certificate: { ...cert, unitId: fromUnitId },
    hoursDone,
    busy: await busyLabel(db, o.memberId),
    ...(o.kind === 'change' ? { newUnit: newUnit ? { id: newUnit._id } : null } : {}),
  });
  const reasons = Object.values(refusals);
  if (reasons.length) throw new AppError('NOT_ELIGIBLE', reasons.join(''), refusals);
  return { cert, newUnit, fromUnitId, hoursDone };
}

/**
 * The holder's draft 延续/变更登记 — NOT_ELIGIBLE with every reason when refused. Asking again for
 * the same certificate returns the draft already made (nothing lost on a retry), with the details updated.
 */
export async function startRegistration(
  db: Database,
  p: AssociationProfile,
  o: { me: MemberDoc; openid: string; kind: 'renewal' | 'change'; certificateId: string; newUnitId?: string; details: RegistrationDetails; today: string; now: Date },
): Promise<FormDoc> {
  const type = holderType(o.kind);
  const { cert, newUnit, fromUnitId, hoursDone } = await checkRegistration(db, p, { memberId: o.me._id, memberUnitId: o.me.unitId, kind: o.kind, certificateId: o.certificateId, newUnitId: o.newUnitId, today: o.today });
  const fromUnit = fromUnitId ? await getDoc<UnitDoc>(db, C.units, fromUnitId) : null;
  if (o.kind === 'renewal' && !fromUnit)
    throw new AppError('NOT_ELIGIBLE', '证书没有关联的工作单位：请先办理变更登记。', { certificateId: '证书没有关联的工作单位：请先办理变更登记' });
  const unit = (o.kind === 'change' ? newUnit : fromUnit) as UnitDoc;
  const registration: NonNullable<FormDoc['registration']> = {
    kind: o.kind,
    certId: cert._id,
    certNo: cert.no,
    certType: cert.type,
    certIssuedOn: cert.firstIssuedOn,
    certValidUntil: cert.validUntil,
    fromUnitId,
    fromUnitName: fromUnit?.name || cert.unitName,
    details: o.details,
    hoursDone,
    hoursRequired: p.renewalHours,
  };
  const person = {
    ...businessPerson({ member: o.me, certs: [cert], busy: null, unpaid: [] }, { eligible: true, reasons: [], membershipFeeDue: false, certId: cert._id }),
    title: o.details.title,
    address: o.details.address,
  };
  // A draft already made for this certificate and kind is the same request again.
  const mine = (await db.collection(C.forms).where({ applicantOpenid: o.openid }).orderBy('createdAt', 'desc').limit(20).get()).data as FormDoc[];
  const again = mine.find((f) => f.type === type && f.status === 'draft' && f.registration?.certId === cert._id);
  const patch = { unitId: unit._id, unitName: unit.name, orgId: unit.orgId || '', registration, people: [person], updatedAt: o.now };
  if (again) {
    await inTransaction(db, async (t) => {
      const current = await getDoc<FormDoc>(t, C.forms, again._id);
      if (!current || current.status !== 'draft') throw new AppError('CONFLICT', '该登记已提交，请在登记记录中查看。');
      await t.collection(C.forms).doc(again._id).update({ data: { ...patch, version: current.version + 1 } });
    });
    return { ...again, ...patch, version: again.version + 1 };
  }
  const form: FormDoc = {
    _id: newId(),
    no: '',
    type,
    status: 'draft',
    ...patch,
    memberIds: [o.me._id],
    applicantOpenid: o.openid,
    files: {},
    personHashes: [person.idHash],
    personNames: [person.name],
    billIds: [],
    amountDue: 0,
    trail: [],
    version: 1,
    createdAt: o.now,
  };
  await inTransaction(db, async (t) => {
    form.no = await nextFormNo(t, type, o.now);
    await t.collection(C.forms).add({ data: form });
    await audit(t, { targetType: 'form', targetId: form._id, action: 'create', actor: o.openid, role: 'member', to: 'draft', remark: `${FORM_TYPE_LABEL[type]} ${form.no}：${cert.no}`, at: o.now });
  });
  return form;
}

/**
 * The form's attachments with `added` over them, checked against the profile's table (which files,
 * which only as PDF, how large): INVALID_INPUT for a missing or unasked file, FILE_INVALID for a
 * wrong one. Used at submission and again when a returned registration is resubmitted.
 */
export async function registrationFiles(db: Database, p: AssociationProfile, form: FormDoc, added: Files): Promise<Files> {
  const spec = p.holderBusinesses[form.type as HolderBusiness];
  if (!spec) throw new AppError('NOT_ELIGIBLE', `本协会不办理${FORM_TYPE_LABEL[form.type]}。`);
  const files = { ...(form.files || {}), ...added };
  const missing: Record<string, string> = {};
  const wrong: Record<string, string> = {};
  for (const f of spec.files) {
    const id = files[f.key];
    if (!id) {
      missing[`files.${f.key}`] = `请上传${f.label}`;
      continue;
    }
    const doc = await fileDoc(db, id);
    if (f.pdfOnly && doc?.kind !== 'pdf') wrong[`files.${f.key}`] = `${f.label}须为PDF文件`;
    else if (doc && doc.size > f.maxBytes) wrong[`files.${f.key}`] = `${f.label}不能超过${Math.round(f.maxBytes / 1024 / 1024)}MB`;
  }
  for (const k of Object.keys(added) as FileKey[]) if (!spec.files.some((f) => f.key === k)) missing[`files.${k}`] = '本登记不需要该附件';
  if (Object.keys(missing).length) throw new AppError('INVALID_INPUT', Object.values(missing)[0], { ...missing, ...wrong });
  if (Object.keys(wrong).length) throw new AppError('FILE_INVALID', Object.values(wrong)[0], wrong);
  return files;
}

/**
 * The holder submits their draft with the signed, scanned paper (and 离职证明 for a change): the
 * profile's attachment table says which files and which must be PDFs. The person is in flight from here.
 */
export async function submitRegistration(
  db: Database,
  p: AssociationProfile,
  form: FormDoc,
  o: { openid: string; files: Files; now: Date; today: string },
): Promise<FormDoc> {
  await checkOwnFiles(db, o.files, o.openid, { kept: form.files });
  const files = await registrationFiles(db, p, form, o.files);
  const memberId = (form.memberIds || [])[0];
  const r = form.registration;
  if (!r) throw new AppError('CONFLICT', '该登记缺少证书信息，请重新发起。');
  // The rules once more on today's facts: the hours, the validity, business started meanwhile.
  const member = await getDoc<MemberDoc>(db, C.members, memberId);
  await checkRegistration(db, p, { memberId, memberUnitId: member?.unitId ?? null, kind: r.kind, certificateId: r.certId, newUnitId: r.kind === 'change' ? form.unitId : undefined, today: o.today });
  const first = FLOWS[form.type][0];
  return transition(
    db,
    {
      formId: form._id,
      from: 'draft',
      to: first,
      by: o.openid,
      role: 'applicant',
      remark: `本人提交${FORM_TYPE_LABEL[form.type]}`,
      action: 'submit',
      patch: { files },
      also: async (t) => {
        await attach(t, idsOf(o.files), { formId: form._id });
        await takeBusy(t, memberId, form.personNames[0], { formId: form._id, formNo: form.no, type: form.type, phase: 'review' }, o.now);
      },
    },
    o.now,
  );
}

/**
 * The final approval (已审核): a renewal extends the registration from its old end (from today when
 * it had lapsed); a change links the certificate — and the person — to the new employer.
 */
export async function finalizeRegistration(
  t: Tx,
  p: AssociationProfile,
  form: FormDoc,
  ctx: { openid: string; role: string; today: string; now: Date },
): Promise<void> {
  const r = form.registration;
  const memberId = (form.memberIds || [])[0];
  if (!r || !memberId) return;
  const cert = await getDoc<CertificateDoc>(t, C.certificates, r.certId);
  if (cert) {
    if (r.kind === 'renewal') {
      const validUntil = renewedUntil(p, cert, ctx.today);
      await t.collection(C.certificates).doc(cert._id).update({ data: { validUntil, renewedOn: ctx.today, updatedAt: ctx.now } });
      await audit(t, { targetType: 'certificate', targetId: cert._id, action: 'renew', actor: ctx.openid, role: ctx.role as never, remark: `${form.no}：延续登记，有效期至${validUntil}`, at: ctx.now });
    } else {
      await t.collection(C.certificates).doc(cert._id).update({ data: { unitId: form.unitId, unitName: form.unitName, updatedAt: ctx.now } });
      await t.collection(C.members).doc(memberId).update({ data: { unitId: form.unitId, updatedAt: ctx.now } });
      await audit(t, { targetType: 'certificate', targetId: cert._id, action: 'unit-change', actor: ctx.openid, role: ctx.role as never, remark: `${form.no}：变更登记，工作单位由${r.fromUnitName}变更为${form.unitName}`, at: ctx.now });
      await audit(t, { targetType: 'member', targetId: memberId, action: 'move', actor: ctx.openid, role: ctx.role as never, remark: `${form.no}：变更登记，转入${form.unitName}`, at: ctx.now });
    }
  }
  await releaseBusy(t, memberId, form._id, ctx.now);
}
