/** Stored document shapes (the database side of typings/api.d.ts) and their conversion to views. */
import type {
  InvoiceKind,
  InvoiceRequest,
  BillStatus,
  BillView,
  CertificateView,
  CodeKind,
  Education,
  Files,
  FormStatus,
  FormSummary,
  RegistrationDetails,
  FormType,
  FormView,
  Gender,
  IdType,
  MembershipLevel,
  PersonView,
  Role,
  StudyView,
  UnitFields,
} from '../../typings/api';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import type { StoredId } from '../infra/pii';

export interface PersonDoc extends StoredId {
  /** Business forms: the member record and the certificate acted on. */
  memberId?: string;
  certId?: string;
  certNo?: string;
  certType?: string;
  specialties?: string[];
  /** The person's ordinary membership lapsed and is paid again with this form. */
  membershipFeeDue?: boolean;
  name: string;
  gender: Gender;
  idType: IdType;
  phone: string;
  birthDate: string;
  address?: string;
  education?: Education;
  title?: string;
  files: Files;
}

export interface TrailDoc {
  at: Date;
  by: string;
  role: Role | 'applicant';
  from: FormStatus;
  to: FormStatus;
  remark?: string;
}

export interface FormDoc {
  _id: string;
  no: string;
  type: FormType;
  /** Business forms: the members concerned (join forms have none yet). */
  memberIds?: string[];
  /** Business forms: what the unit asked for. */
  certType?: string;
  reason?: 'new-employer' | 'renamed';
  specialties?: string[];
  /** Form-level attachments (unit commitment, social insurance proof, signed forms). */
  files?: Files;
  status: FormStatus;
  unitId: string;
  unitName: string;
  orgId: string;
  applicantOpenid?: string;
  level?: MembershipLevel;
  codeKind?: CodeKind;
  people: PersonDoc[];
  personHashes: string[];
  personNames: string[];
  billIds: string[];
  amountDue: number;
  returned?: { to: 'unit' | 'applicant'; from: FormStatus; reason: string; by: string; at: Date };
  trail: TrailDoc[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Set while in flight, removed when done: the key it holds in `pending` (one form per key). */
  pendingKey?: string;
  /** Unit information changes: the unit's values when asked and the values asked for. */
  unitChange?: { before: UnitFields; after: UnitFields };
  /** Who pays its bills: the unit (default) or the applicant (a member renewing for themself). */
  payer?: 'unit' | 'applicant';
  /** Membership renewals: the level renewed; member information changes: the changes asked for. */
  memberChanges?: MemberChange;
  /** A join that adds a professional membership to an existing member (upgrade). */
  upgradeOf?: string;
  /** 单位会费缴纳 (units.payMembership): the calendar year paid for. */
  feeYear?: number;
  /** Withdrawn or refused: why, by whom, when. */
  ended?: { status: 'withdrawn' | 'rejected'; reason: string; by: string; at: Date };
  /** 延续/变更登记 (issue 12): the certificate, the employer before (the new one is the form's unit), the details. */
  registration?: {
    kind: 'renewal' | 'change';
    certId: string;
    certNo: string;
    certType: string;
    /** As the paper prints them: 取得证书时间 and the validity when asked. */
    certIssuedOn?: string;
    certValidUntil?: string;
    fromUnitId: string | null;
    fromUnitName: string;
    details: RegistrationDetails;
    hoursDone: number;
    hoursRequired: number;
  };
}

/** Fields a member information change may touch (manual 2.3: phone, address, education, title, photo; name / ID with proof). */
export interface MemberChange {
  phone?: string;
  address?: string;
  education?: Partial<Education>;
  title?: string;
  photo?: string;
  name?: string;
  idNumber?: string;
  idType?: IdType;
}

export interface BillDoc {
  _id: string;
  formId: string;
  formNo: string;
  formType: FormType;
  /** Members the bill is for (business forms), so unpaid bills block their next business. */
  memberIds: string[];
  unitId: string;
  kind: BillView['kind'];
  amount: number;
  status: BillStatus;
  names: string[];
  receipt?: string;
  paidAt?: Date;
  paidBy?: string;
  confirmedAt?: Date;
  createdAt: Date;
  /** What the payer asked to be invoiced (bills.pay), and the invoice finance issued. */
  invoiceRequest?: InvoiceRequest;
  invoice?: { kind: InvoiceKind; file: string; issuedAt: Date; issuedBy: string };
  /** When the invoice was issued (for 开票记录, indexed). */
  invoicedAt?: Date;
}



export interface UnitDoc {
  _id: string;
  name: string;
  creditCode: string;
  isMember: boolean;
  memberUntil?: string;
  orgId: string;
  /** First day as a member unit (首次入会时间). */
  memberSince?: string;
  address?: string;
  /** 法定代表人 */
  legalRep?: string;
  /** 经办人 / 联系人 and phone. */
  contactName?: string;
  contactPhone?: string;
  /** Bumped by every change to the unit's admins, so such changes serialise (domain/accounts/invitations.ts). */
  adminsVersion?: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface MemberDoc extends StoredId {
  _id: string;
  name: string;
  gender: Gender;
  idType: IdType;
  phone: string;
  birthDate: string;
  address?: string;
  education?: Education;
  title?: string;
  photo?: string;
  idFront?: string;
  idBack?: string;
  unitId: string | null;
  openid?: string;
  memberships: { level: MembershipLevel; since: string; validUntil: string }[];
  joinFormId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CodeDoc {
  _id: string;
  kind: CodeKind;
  /** The unit the code belongs to; '' for role invitations outside any unit. */
  unitId: string;
  memberId?: string;
  /** Invitations: the role granted, its scope (unit or organisation id), main admin or not, and the invitee's phone. */
  role?: Role;
  scopeId?: string;
  main?: boolean;
  phone?: string;
  issuedBy: string;
  issuedAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  usedBy?: string;
  revokedAt?: Date;
  qrImage: string;
}

const iso = (d: Date | undefined) => (d ? shanghaiIso(d) : undefined);

export function personView(p: PersonDoc): PersonView {
  const { idCipher: _c, idHash: _h, ...rest } = p;
  return { ...rest };
}

export function billView(b: BillDoc): BillView {
  return {
    id: b._id,
    formId: b.formId,
    kind: b.kind,
    amount: b.amount,
    status: b.status,
    ...(b.receipt ? { receipt: b.receipt } : {}),
    ...(b.paidAt ? { paidAt: iso(b.paidAt) } : {}),
    ...(b.confirmedAt ? { confirmedAt: iso(b.confirmedAt) } : {}),
    ...(b.invoiceRequest ? { invoiceRequest: b.invoiceRequest } : {}),
    ...(b.invoice ? { invoice: { kind: b.invoice.kind, file: b.invoice.file, issuedAt: shanghaiIso(new Date(b.invoice.issuedAt)) } } : {}),
  };
}

export function formView(f: FormDoc, bills: BillDoc[]): FormView {
  return {
    id: f._id,
    no: f.no,
    type: f.type,
    status: f.status,
    unit: { id: f.unitId, name: f.unitName },
    orgId: f.orgId,
    startedBy: f.applicantOpenid ? 'applicant' : 'unit',
    ...(f.level ? { level: f.level } : {}),
    ...(f.codeKind ? { codeKind: f.codeKind } : {}),
    ...(f.certType ? { certType: f.certType } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(f.specialties ? { specialties: f.specialties } : {}),
    ...(f.files ? { files: f.files } : {}),
    people: f.people.map(personView),
    bills: bills.map(billView),
    trail: f.trail.map((t) => ({ ...t, at: shanghaiIso(t.at) })),
    ...(f.returned ? { returned: { ...f.returned, at: shanghaiIso(f.returned.at) } } : {}),
    ...(f.unitChange ? { unitChange: f.unitChange } : {}),
    ...(f.ended ? { ended: { status: f.ended.status, reason: f.ended.reason, at: shanghaiIso(f.ended.at) } } : {}),
    ...(f.registration ? { registration: registrationView(f) } : {}),
    amountDue: f.amountDue,
    scope: 'full',
    version: f.version,
    createdAt: shanghaiIso(f.createdAt),
    updatedAt: shanghaiIso(f.updatedAt),
  };
}

function registrationView(f: FormDoc): FormView['registration'] {
  const r = f.registration!;
  return {
    kind: r.kind,
    certId: r.certId,
    certNo: r.certNo,
    certType: r.certType,
    fromUnit: r.fromUnitId ? { id: r.fromUnitId, name: r.fromUnitName } : null,
    toUnit: f.unitId ? { id: f.unitId, name: f.unitName } : null,
    details: r.details,
    hoursDone: r.hoursDone,
    hoursRequired: r.hoursRequired,
  };
}

/**
 * What a person named on a business form sees (issue 9): their own entry, the form's number, type,
 * status and stage — no co-worker, no form-level attachment, no bill (a bill names everyone it
 * covers), and a trail without the actors' identities.
 */
export function personFormView(f: FormDoc, index: number): FormView {
  const full = formView(f, []);
  return {
    ...full,
    people: full.people.slice(index, index + 1),
    files: undefined,
    bills: [],
    trail: full.trail.map(({ by: _by, ...t }) => ({ ...t, by: '' })),
    returned: full.returned ? { ...full.returned, by: '' } : undefined,
    amountDue: 0,
    scope: 'person',
  };
}

/** A summary narrowed to the entry of the person at `index` (a form the caller is named on). */
export function personSummary(f: FormDoc, index: number): FormSummary {
  const s = formSummary(f);
  return { ...s, names: s.names.slice(index, index + 1), idMasked: s.idMasked.slice(index, index + 1) };
}

export function formSummary(f: FormDoc): FormSummary {
  return {
    id: f._id,
    no: f.no,
    type: f.type,
    status: f.status,
    unit: { id: f.unitId, name: f.unitName },
    names: f.personNames,
    idMasked: f.people.map((p) => p.idMasked),
    createdAt: shanghaiIso(f.createdAt),
    updatedAt: shanghaiIso(f.updatedAt),
  };
}

/** Fields a summary list needs: keep ciphertexts and files out of list traffic. */
export const SUMMARY_FIELDS = {
  no: true,
  type: true,
  status: true,
  unitId: true,
  unitName: true,
  personNames: true,
  'people.idMasked': true,
  memberIds: true,
  createdAt: true,
  updatedAt: true,
};

export interface CertificateDoc {
  _id: string;
  no: string;
  /** 监理员 / 专业监理工程师 / 安全监理员 … */
  type: string;
  specialties: string[];
  unitName: string;
  memberId: string;
  /** The unit the certificate is linked to (its printed unitName may lag until a ZSBG form). */
  unitId?: string | null;
  holderName: string;
  idHash: string;
  idMasked: string;
  firstIssuedOn: string;
  renewedOn?: string;
  validUntil: string;
  /** Stored status; `expired` is derived from validUntil on read. */
  status: 'valid' | 'cancelled';
}

export function certView(c: CertificateDoc, today: string): CertificateView {
  return {
    id: c._id,
    no: c.no,
    type: c.type,
    specialties: c.specialties,
    unitName: c.unitName,
    holderName: c.holderName,
    idMasked: c.idMasked,
    firstIssuedOn: c.firstIssuedOn,
    ...(c.renewedOn ? { renewedOn: c.renewedOn } : {}),
    validUntil: c.validUntil,
    status: c.status === 'cancelled' ? 'cancelled' : c.validUntil < today ? 'expired' : 'valid',
  };
}

/** One person's in-flight business (SPEC §3.3 common conditions), checked and taken in transactions. */
export interface BusyDoc {
  _id: string;
  entries: { formId: string; formNo: string; type: FormType; phase: 'review' | 'study' }[];
  updatedAt: Date;
}

export interface StudyDoc {
  _id: string;
  formId: string;
  formNo: string;
  type: FormType;
  memberId: string;
  unitId: string;
  name: string;
  idMasked: string;
  certType: string;
  certId?: string;
  /** Specialty change: the person's other live certificates, changed with it. */
  alsoCertIds?: string[];
  specialties?: string[];
  hoursRequired: number;
  hoursDone: number;
  examAttempts: number;
  maxAttempts: number;
  examPassed: boolean;
  /** 开课未学习 / 学习中 / 已完成 (manual 3.3), or failed after the last exam attempt. */
  status: 'not_started' | 'studying' | 'completed' | 'failed';
  issuedCertId?: string;
  createdAt: Date;
  updatedAt: Date;
  completedAt?: Date;
}

export function studyView(s: StudyDoc): StudyView {
  return {
    id: s._id,
    formId: s.formId,
    formNo: s.formNo,
    type: s.type,
    memberId: s.memberId,
    name: s.name,
    idMasked: s.idMasked,
    certType: s.certType,
    hoursRequired: s.hoursRequired,
    hoursDone: s.hoursDone,
    examAttempts: s.examAttempts,
    maxAttempts: s.maxAttempts,
    examPassed: s.examPassed,
    status: s.status,
    createdAt: shanghaiIso(s.createdAt),
    ...(s.completedAt ? { completedAt: shanghaiIso(s.completedAt) } : {}),
  };
}
