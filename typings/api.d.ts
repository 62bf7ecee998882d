/**
 * The contract between the mini-program and the cloud functions (SPEC §5).
 * Types only: both sides import it with `import type`, so nothing here reaches a bundle.
 * Function, action and field names are fixed by the spec; tests outside the project use them.
 */

// ---------- envelope and errors ----------

/** Stable error codes; the Chinese message travels beside the code. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'NOT_ELIGIBLE'
  | 'CODE_INVALID'
  | 'CODE_EXPIRED'
  | 'CODE_USED'
  | 'DUPLICATE'
  | 'RATE_LIMITED'
  | 'FILE_INVALID'
  /** The deployment lacks a required setting (a secret, the verification URL …): the operator must fix it. */
  | 'MISCONFIGURED'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  /** A Chinese sentence the user can act on. */
  message: string;
  /** Per-field problems, for forms (field path → Chinese message). */
  fields?: Record<string, string>;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

// ---------- shared values ----------

export type FormStatus =
  | 'draft'
  | 'unit_review'
  | 'org_review'
  | 'assoc_review'
  | 'awaiting_payment'
  | 'finance_review'
  | 'approved'
  | 'returned'
  /** Withdrawn by whoever started it before approval (final). */
  | 'withdrawn'
  /** 不予通过: refused by the association or finance (final). */
  | 'rejected';

export type FormType =
  | 'join'
  | 'initial-education'
  | 'continuing-education'
  | 'upgrade'
  | 'specialty-change'
  | 'cert-unit-change'
  | 'cert-cancel'
  | 'pro-continuing-education'
  | 'unit-membership'
  | 'unit-info-change'
  | 'membership-renewal'
  | 'member-info-change'
  /** 延续登记 / 变更登记 started by the certificate holder (seed 000, the equipment association's profile). */
  | 'registration-renewal'
  | 'registration-change';

/** The association profiles that ship (issue 12): seed 001's and seed 000's. */
export type ProfileId = 'construction' | 'equipment';

/** What the mini-program needs of the association's profile. */
export interface AssociationView {
  id: ProfileId;
  name: string;
  /** Businesses the holder starts themself (empty for the construction association). */
  holderBusinesses: ('registration-renewal' | 'registration-change')[];
  /** Whether units start business forms for their people (the construction association). */
  unitBusiness: boolean;
  certificateTypes: string[];
}

/** 登记信息 of a 延续/变更登记 (seed 000 4.1): what the application form carries besides the record. */
export interface RegistrationDetails {
  /** 职务 */
  position: string;
  /** 职称 */
  title: string;
  /** 电子邮箱 */
  email: string;
  /** 现从事专业 */
  specialty: string;
  /** 通信地址 */
  address: string;
}

/** A holder's certificate with what they may register for it now, and why not. */
export interface RegistrationOption {
  certificate: CertificateView;
  /** Continuing-education hours done inside the registration's validity, and the hours required. */
  hoursDone: number;
  hoursRequired: number;
  renewal: { ok: boolean; reasons: string[] };
  change: { ok: boolean; reasons: string[] };
}

export type Role =
  | 'member'
  | 'unit_admin'
  | 'org_reviewer'
  | 'assoc_reviewer'
  | 'finance'
  | 'secretariat';

/** Codes scanned in WeChat: the unit's (SPEC §3.4) and the invitations that grant roles (SPEC §2.1). */
export type CodeKind = 'join' | 'join-simple' | 'transfer' | 'resign' | 'id-update' | 'sub-admin' | 'role';
export type MembershipLevel = 'ordinary' | 'professional';
export type Gender = 'male' | 'female';
export type IdType = 'resident' | 'hmt' | 'other';
export type EducationLevel = 'secondary' | 'college' | 'bachelor' | 'master' | 'doctor';
/** `void`: the form ended before payment; `refund`: paid, then the form was withdrawn or refused. */
export type BillStatus = 'unpaid' | 'paid' | 'confirmed' | 'void' | 'refund';

/** Attachment slots of a form; values are storage fileIDs. */
export type FileKey =
  | 'photo'
  | 'idFront'
  | 'idBack'
  | 'diploma'
  | 'diplomaCheck'
  | 'titleCert'
  | 'qualificationCert'
  | 'video'
  | 'insuranceProof'
  | 'commitment'
  | 'applicationForm'
  | 'resignationProof'
  | 'receipt';
export type Files = Partial<Record<FileKey, string>>;

export interface Education {
  level: EducationLevel;
  school: string;
  major: string;
  /** YYYY-MM-DD */
  graduatedOn: string;
}

/** What an applicant enters. For `hmt`/`other` IDs the birth date cannot be derived and is asked. */
export interface Profile {
  name: string;
  gender: Gender;
  idType: IdType;
  idNumber: string;
  phone: string;
  /** YYYY-MM-DD; required unless `idType` is `resident` (then derived from the number). */
  birthDate?: string;
  address?: string;
  education?: Education;
  title?: string;
}

/** A person as a form or list shows them: the ID number masked. */
export interface PersonView {
  /** Business forms: the member and the certificate concerned. */
  memberId?: string;
  certId?: string;
  certNo?: string;
  certType?: string;
  specialties?: string[];
  membershipFeeDue?: boolean;
  name: string;
  gender: Gender;
  idType: IdType;
  /** e.g. 4401**********123X */
  idMasked: string;
  /** Present only for the holder and for reviewers of the form (each such read is audited). */
  idNumber?: string;
  phone: string;
  birthDate: string;
  address?: string;
  education?: Education;
  title?: string;
  files?: Files;
}

export interface TrailEntry {
  /** ISO time, Asia/Shanghai */
  at: string;
  /** OPENID of the actor */
  by: string;
  role: Role | 'applicant';
  from: FormStatus;
  to: FormStatus;
  remark?: string;
}

/** 开票 (manual FAQ 3.5): 电子财政收据 for membership fees, 电子发票 for the rest. */
export type InvoiceKind = 'fiscal-receipt' | 'e-invoice';
export interface InvoiceRequest {
  /** 发票抬头 */
  title: string;
  /** 纳税人识别号 */
  taxId?: string;
  /** 电子发票 are sent by e-mail … */
  email?: string;
  /** … 电子财政收据 by SMS. */
  phone?: string;
}

export interface BillView {
  id: string;
  formId: string;
  kind: 'membership-personal' | 'membership-unit' | 'auxiliary';
  amount: number;
  status: BillStatus;
  receipt?: string;
  paidAt?: string;
  confirmedAt?: string;
  invoiceRequest?: InvoiceRequest;
  /** The issued invoice: kind, file (read with files.url), when. */
  invoice?: { kind: InvoiceKind; file: string; issuedAt: string };
}

export interface UnitRef {
  id: string;
  name: string;
}

export interface FormView {
  id: string;
  no: string;
  type: FormType;
  status: FormStatus;
  unit: UnitRef;
  orgId: string;
  level?: MembershipLevel;
  codeKind?: CodeKind;
  /** Business forms: the certificate type, the reason of an employer change, target specialties. */
  certType?: string;
  reason?: 'new-employer' | 'renamed';
  specialties?: string[];
  /** Business forms: form-level attachments. */
  files?: Files;
  people: PersonView[];
  bills: BillView[];
  trail: TrailEntry[];
  /** Where a returned form went back to, and why. */
  returned?: { to: 'unit' | 'applicant'; from: FormStatus; reason: string; by: string; at: string };
  /** Unit information changes: the unit's values when asked, and the values asked for. */
  unitChange?: { before: UnitFields; after: UnitFields };
  /** Withdrawn or refused: why and when. */
  ended?: { status: 'withdrawn' | 'rejected'; reason: string; at: string };
  /** 延续/变更登记: the certificate, the employers before and after, the details on the paper. */
  registration?: {
    kind: 'renewal' | 'change';
    certId: string;
    certNo: string;
    certType: string;
    fromUnit: UnitRef | null;
    toUnit: UnitRef | null;
    details: RegistrationDetails;
    hoursDone: number;
    hoursRequired: number;
  };
  /** Who started the form — and so who may withdraw it: the applicant (join, own renewal or change) or the unit. */
  startedBy: 'applicant' | 'unit';
  amountDue: number;
  /**
   * `full` for the form's parties; `person` for a member named on a business form: only their own
   * entry in `people`, no attachments, bills or actor identities.
   */
  scope: 'full' | 'person';
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FormSummary {
  id: string;
  no: string;
  type: FormType;
  status: FormStatus;
  unit: UnitRef;
  names: string[];
  idMasked: string[];
  createdAt: string;
  updatedAt: string;
}

export interface MemberView {
  id: string;
  name: string;
  gender: Gender;
  idMasked: string;
  phone: string;
  unit: UnitRef | null;
  memberships: { level: MembershipLevel; validUntil: string }[];
  /** 自由态 when no business is in flight, otherwise the business */
  state: 'free' | FormType;
}

export interface CertificateView {
  id: string;
  no: string;
  type: string;
  specialties: string[];
  unitName: string;
  holderName: string;
  idMasked: string;
  firstIssuedOn: string;
  renewedOn?: string;
  validUntil: string;
  status: 'valid' | 'expired' | 'cancelled';
}

export type BusinessType =
  | 'initial-education'
  | 'continuing-education'
  | 'upgrade'
  | 'specialty-change'
  | 'cert-unit-change'
  | 'cert-cancel'
  | 'pro-continuing-education';

export type CertChangeReason = 'new-employer' | 'renamed';

export interface EligibleItem {
  memberId: string;
  name: string;
  gender: Gender;
  idMasked: string;
  eligible: boolean;
  /** Every reason the person cannot take this business now (Chinese). */
  reasons: string[];
  /** The ordinary membership lapsed and is paid again with the form. */
  membershipFeeDue: boolean;
  certificates: CertificateView[];
}

export interface RosterItem {
  memberId: string;
  name: string;
  gender: Gender;
  idMasked: string;
  phone: string;
  age: number;
  education?: Education;
  title?: string;
  memberships: { level: MembershipLevel; validUntil: string }[];
  /** No membership valid today (会籍已过期). */
  lapsed: boolean;
  /** 入会日期: the earliest membership start. */
  joinedOn: string;
  /** 自由态 or the business in flight. */
  state: 'free' | FormType;
  certificates: CertificateView[];
}

export interface StudyView {
  id: string;
  formId: string;
  formNo: string;
  type: FormType;
  memberId: string;
  name: string;
  idMasked: string;
  certType: string;
  hoursRequired: number;
  hoursDone: number;
  examAttempts: number;
  maxAttempts: number;
  examPassed: boolean;
  status: 'not_started' | 'studying' | 'completed' | 'failed';
  createdAt: string;
  completedAt?: string;
}

export type SubscribeTemplate = 'review-result' | 'bill-due' | 'code-confirmed';

export interface NoticeView {
  id: string;
  title: string;
  body: string;
  formId?: string;
  /** The mini-program page to open. */
  page: string;
  read: boolean;
  /** Addressed to the unit (every admin sees it) rather than to the caller alone. */
  forUnit: boolean;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

// ---------- certificates: lookup, verification, e-certificates, batch, export (issue 5) ----------

/** Public lookup (SPEC §3.5): by certificate number, or by name and ID number together — never a listing. */
export type CertLookupReq = { certNo: string } | { name: string; idNumber: string };

/** Live answer for a scanned verification token: a forged token names no certificate. */
export interface CertVerifyResult {
  status: 'valid' | 'expired' | 'cancelled' | 'forged';
  /** Present unless forged; ID number masked. */
  certificate?: CertificateView;
  /** The issuing association. */
  issuer?: string;
  /** ISO time of this check, Asia/Shanghai. */
  checkedAt: string;
}

/**
 * The unit roster's filters (SPEC §3.5 batch, the roster screen): all optional, combined with AND,
 * always within the caller's own unit.
 */
export interface RosterFilter {
  /** Holds this membership (普通会员 / 专业会员). */
  level?: MembershipLevel;
  /** 职称 contains this text. */
  title?: string;
  /** Highest education level. */
  education?: EducationLevel;
  /** true: no membership valid today (会籍已过期); false: at least one valid. */
  lapsed?: boolean;
  /** 即将到期: a membership valid today that ends within 30 days. */
  expiring?: boolean;
  /** true: holds at least one certificate (of `certType` when given); false: holds none. */
  hasCertificate?: boolean;
  certType?: string;
  /** Age in full years today, inclusive bounds. */
  ageMin?: number;
  ageMax?: number;
  /** A membership began within these days (入会日期), YYYY-MM-DD inclusive. */
  joinedFrom?: string;
  joinedTo?: string;
  /** Name starts with this. */
  name?: string;
  /** Only these people (picked by hand), still within the unit. */
  memberIds?: string[];
}

/** An e-certificate PNG in storage: save it to the album from `url` (temporary) or `fileID`. */
export interface ECertFile {
  fileID: string;
  /** Temporary download URL. */
  url: string;
  /** 姓名-证书编号.png */
  fileName: string;
  width: number;
  height: number;
  /** The token in the QR code and the URL it opens. */
  token: string;
  verifyUrl: string;
}

/** A batch e-certificate job: polled for progress while `certs.batch` renders. */
export interface CertJobView {
  jobId: string;
  status: 'running' | 'done' | 'failed';
  /** Certificates to render, and rendered so far. */
  total: number;
  done: number;
  /** When done: the zip. */
  fileID?: string;
  url?: string;
  fileName?: string;
  bytes?: number;
  /** The zips made so far, in order, each of at most 500 certificates (fileID…bytes above: the first). */
  parts: { fileID: string; url: string; fileName: string; bytes: number; count: number }[];
  /** Certificates of the selected people left out, and why (cancelled, expired, unprintable name). */
  skipped: { name: string; no: string; reason: string }[];
  /** When failed: a Chinese sentence. */
  error?: string;
  createdAt: string;
  updatedAt: string;
}

export interface CertFileRef {
  fileID: string;
  url: string;
  fileName: string;
}

export interface CertPublicApi {
  lookup: { req: CertLookupReq; res: { items: CertificateView[] } };
  /** `token`: the token, or the whole verification URL / `query.q` a scan produced. */
  verify: { req: { token: string }; res: CertVerifyResult };
}

// ---------- units and the secretariat (issue 4) ----------

/** A unit's own details (SPEC §2 Unit): a unit changes them through review (`unit-info-change`). */
export interface UnitFields {
  name?: string;
  /** 统一社会信用代码, 18 characters (GB 32100 check character). */
  creditCode?: string;
  address?: string;
  /** 法定代表人 */
  legalRep?: string;
  /** 经办人 / 联系人 */
  contactName?: string;
  contactPhone?: string;
}

export interface UnitView {
  id: string;
  name: string;
  creditCode: string;
  isMember: boolean;
  /** A member unit whose membership is valid today. */
  memberActive: boolean;
  /** YYYY-MM-DD: the end of the calendar year paid for (SPEC §2.2). */
  memberUntil?: string;
  /** 首次入会时间 */
  memberSince?: string;
  /** The initial-review organisation (初审机构). */
  org: { id: string; name: string };
  address?: string;
  legalRep?: string;
  contactName?: string;
  contactPhone?: string;
}

export interface OrgView {
  id: string;
  kind: 'association' | 'service-org';
  name: string;
  parentId?: string;
  /** Units whose initial review this organisation does. */
  units: number;
}

/** Roles granted by invitation (everything but `member`, which comes with a member record). */
export type InvitableRole = Exclude<Role, 'member'>;

/** One admin of a unit, as `units.admins` shows them. */
export interface UnitAdminView {
  /** Only to the main admin: the handle for `removeSubAdmin` / `transferMain`. */
  openid?: string;
  openidMasked: string;
  name?: string;
  /** Full to the main admin, masked (138****5678) to sub-admins. */
  phone?: string;
  main: boolean;
  /** The caller. */
  me: boolean;
  grantedAt?: string;
}

/** An invitation not yet used, revoked or expired. */
export interface InviteView {
  id: string;
  role: Role;
  scopeId: string;
  scopeName?: string;
  /** Unit admins: a main-admin invitation. */
  main: boolean;
  name?: string;
  /** Full to whoever manages the invitation, masked otherwise. */
  phone?: string;
  issuedAt: string;
  expiresAt: string;
}

/** An issued invitation: the signed code and its QR image, like `codes.issue`. */
export interface InviteIssued {
  inviteId: string;
  code: string;
  scene: string;
  /** fileID of a PNG that decodes to `code`. */
  qrImage: string;
  expiresAt: string;
  role: Role;
  scopeId: string;
  main: boolean;
}

/** A role held (granted by an accepted invitation, the bootstrap code, or the seed). */
export interface GrantView {
  grantId: string;
  role: Role;
  scopeId: string;
  scopeName?: string;
  /** Unit admins only. */
  main?: boolean;
  openidMasked: string;
  name?: string;
  phone?: string;
  grantedAt?: string;
  grantedByMasked?: string;
}

/** A unit's admins and pending sub-admin invitations (≤3 sub-admins, counting invitations). */
export interface UnitAdmins {
  unit: UnitRef;
  main: UnitAdminView | null;
  subs: UnitAdminView[];
  pending: InviteView[];
  max: number;
  /** The caller is the main admin (adds, removes, transfers). */
  canManage: boolean;
}

/** An old-system member's request to bind their WeChat after supplementing the ID card. */
export interface BindRequestView {
  id: string;
  memberId: string;
  name: string;
  idMasked: string;
  /** The uploaded ID-card pictures (read them with files.url). */
  files: { idFront: string; idBack: string };
  status: 'pending' | 'approved' | 'refused';
  createdAt: string;
  decidedAt?: string;
  reason?: string;
}

/** A code a unit issued, as its list shows it. */
export interface CodeView {
  id: string;
  kind: CodeKind;
  state: 'active' | 'used' | 'revoked' | 'expired';
  /** Resignation codes: the person they name. */
  member?: { id: string; maskedName: string };
  issuedAt: string;
  expiresAt: string;
  usedAt?: string;
  revokedAt?: string;
}

/** A member record as the secretariat's unbind screen shows it (证书解绑). */
export interface BoundMemberView {
  id: string;
  name: string;
  idMasked: string;
  unit: UnitRef | null;
  /** Bound to a WeChat user (its certificates show in that user's mini-program). */
  bound: boolean;
  openidMasked?: string;
  certificates: CertificateView[];
  /** Every change to the record, newest first, with its reason. */
  history: HistoryEntry[];
}

/** What a member information change asks for (manual 2.3). */
export interface MemberChangeReq {
  phone?: string;
  address?: string;
  education?: Partial<Education>;
  title?: string;
  /** A new ID photo (fileID, the caller's upload). */
  photo?: string;
  name?: string;
  idType?: IdType;
  idNumber?: string;
}

/** The association's dashboard (admin.stats). */
export interface StatsView {
  forms: {
    byStatus: Record<FormStatus, number>;
    byType: Record<FormType, number>;
    /** The last 12 months, oldest first (YYYY-MM). */
    byMonth: { month: string; count: number }[];
  };
  people: {
    byAge: { band: string; count: number }[];
    byEducation: Record<EducationLevel, number>;
    /** Valid certificates per type. */
    byCertificateType: { type: string; count: number }[];
  };
}

/** 找不到单位: a unit a holder asked to be added, and what the secretariat decided. */
export interface UnitRequestView {
  id: string;
  name: string;
  creditCode: string;
  contact?: string;
  status: 'pending' | 'approved' | 'merged' | 'refused';
  /** Approved or merged: the unit it became. */
  unit?: UnitRef;
  reason?: string;
  createdAt: string;
}

/** One change in a member record's history (joins, moves, renewals, corrections …). */
export interface HistoryEntry {
  at: string;
  action: string;
  role: string;
  remark: string;
}

// ---------- requests and responses, per function and action ----------

export interface Api {
  codes: {
    issue: {
      req: { kind: CodeKind; memberId?: string };
      res: { code: string; scene: string; qrImage: string; expiresAt: string };
    };
    /** Unit admin: the codes the unit issued, each with its state. */
    list: {
      req: { kind?: CodeKind; state?: CodeView['state']; page?: number; pageSize?: number };
      res: Page<CodeView>;
    };
    /** Unit admin: withdraw a code the unit issued (not yet used). */
    revoke: { req: { codeId: string }; res: CodeView };
    resolve: {
      req: { code: string };
      res: {
        kind: CodeKind;
        /** The unit of the code; for a role invitation outside a unit, the organisation or association. */
        unit: UnitRef;
        member?: { id: string; maskedName: string };
        /** Invitations: the role the code grants. */
        role?: Role;
        expiresAt: string;
      };
    };
  };
  members: {
    apply: {
      req: { code: string; level: MembershipLevel; profile: Profile; files: Files };
      res: { formId: string; formNo: string };
    };
    me: {
      req: Record<string, never>;
      res: {
        member: MemberView | null;
        forms: FormSummary[];
        certificates: CertificateView[];
        studies: StudyView[];
        roles: { role: Role; scopeId?: string; scopeName?: string; main?: boolean }[];
        /** The record's history (renewals, moves, corrections with their reasons), newest first. */
        history: HistoryEntry[];
        /** The association's profile: which businesses the holder may start here. */
        association: AssociationView;
      };
    };
    /** The holder's certificates with what each may be registered for now (延续/变更登记), every reason when not. */
    registrationOptions: { req: Record<string, never>; res: RegistrationOption[] };
    /**
     * 延续登记 / 变更登记 (seed 000): a draft with the preconditions checked — NOT_ELIGIBLE with every
     * reason (in `fields`) when refused. Submitted with `forms.submit` and the signed, scanned form.
     */
    startRegistration: {
      req: { kind: 'renewal' | 'change'; certificateId: string; newUnitId?: string; details: RegistrationDetails };
      res: FormView;
    };
    confirmTransfer: { req: { code: string }; res: { unit: UnitRef | null } };
    confirmResign: { req: { code: string }; res: { unit: UnitRef | null } };
    /** Unit admin: the roster (单位人员档案) with the roster filters, paged, each person with certificates. */
    roster: {
      req: { filter?: RosterFilter; page?: number; pageSize?: number };
      res: Page<RosterItem>;
    };
    /** ID-card supplement (会员身份资料更新): find one's own record by name + ID number in the code's unit. */
    idLookup: {
      req: { code: string; name: string; idNumber: string };
      res: { memberId: string; maskedName: string; idMasked: string; hasIdCard: boolean; bound: boolean; boundToYou: boolean };
    };
    /**
     * Upload ID card front/back and confirm name, ID number and the phone on record; asks to bind
     * this WeChat to the record — the binding takes effect when the unit's admin confirms it.
     */
    idSupplement: {
      req: { code: string; name: string; idNumber: string; phone: string; files: Files };
      res: { memberId: string; requestId: string; status: 'pending' };
    };
    /** 个人信息变更 by the member: 单位预审 → 机构初审 → 协会复核, then applied (name / ID need the new ID card). */
    requestChange: { req: { changes: MemberChangeReq; files?: Files }; res: FormView };
    /** 个人会员费缴纳 for oneself: a renewal form with one bill the member pays (bills.pay). */
    renew: { req: { level: MembershipLevel }; res: FormView };
    /** Unit admin: the unit's ID-supplement binding requests (pending by default). */
    bindRequests: {
      req: { status?: BindRequestView['status']; page?: number; pageSize?: number };
      res: Page<BindRequestView>;
    };
    /** Unit admin: confirm (binds) or refuse (with a reason) a binding request. */
    decideBind: {
      req: { requestId: string; decision: 'approve' | 'refuse'; reason?: string };
      res: BindRequestView;
    };
    /** ID-card OCR (WeChat's ocr.idcard); `available: false` means type the fields by hand. */
    ocrIdCard: {
      req: { fileID: string; side: 'front' | 'back' };
      res:
        | { available: true; fields: { name?: string; idNumber?: string; gender?: Gender; address?: string; validDate?: string } }
        | { available: false; message: string };
    };
  };
  forms: {
    list: {
      req: {
        status?: FormStatus;
        type?: FormType;
        name?: string;
        idNumber?: string;
        /** YYYY-MM-DD, inclusive, by creation date */
        from?: string;
        to?: string;
        page?: number;
        pageSize?: number;
        /** List in this capacity when the caller holds several roles (default: the widest). */
        as?: Role;
      };
      res: Page<FormSummary> & { counts: Record<FormStatus, number> };
    };
    get: { req: { formId: string }; res: FormView };
    /** The full ID number of one person on the form: holder and reviewers only; every read is audited. */
    revealId: { req: { formId: string; person?: number }; res: { idNumber: string } };
    prereview: {
      req: {
        formId: string;
        decision: 'approve' | 'return';
        reason?: string;
        /** Completes what a simple-code application left out. */
        supplement?: { profile?: Partial<Profile>; files?: Files };
        /** The unit decides the level during pre-review (manual FAQ 3.20). */
        level?: MembershipLevel;
        /** The version the admin saw; a changed form answers CONFLICT. */
        version?: number;
      };
      res: FormView;
    };
    resubmit: {
      req: { formId: string; profile?: Partial<Profile>; files?: Files; people?: { memberId: string; files: Files }[]; remark?: string; version?: number };
      res: FormView;
    };
    /** The unit's people for a business type: each eligible or not, with every reason why not. */
    eligible: {
      req: { type: BusinessType; certType?: string; reason?: CertChangeReason; name?: string; page?: number; pageSize?: number };
      res: Page<EligibleItem>;
    };
    /** Start a business form (暂存) for some of the unit's people; the same rules as `eligible`. */
    create: {
      req: {
        type: BusinessType | 'membership-renewal' | 'member-info-change';
        memberIds: string[];
        /** membership-renewal: the level paid for. */
        level?: MembershipLevel;
        /** member-info-change: what changes (one person). */
        changes?: MemberChangeReq;
        certType?: string;
        reason?: CertChangeReason;
        specialties?: string[];
        files?: Files;
        /** Each person's own attachments (diploma, verification …), also accepted at submission. */
        people?: { memberId: string; files: Files }[];
      };
      res: FormView;
    };
    /**
     * Submit a draft into the review pipeline: rules re-checked, attachments required, bills issued.
     * `people`: each person's own attachments where the manual asks them per person (diploma, verification …).
     */
    submit: { req: { formId: string; files?: Files; people?: { memberId: string; files: Files }[]; version?: number }; res: FormView };
    /** Delete a draft. */
    discard: { req: { formId: string }; res: { formId: string } };
    /** The pre-filled paper of a form as a PDF (the holder, the unit's admins, the current reviewers). */
    paper: { req: { formId: string; person?: number }; res: { fileID: string; url: string; fileName: string } };
    /** The list as .xlsx: the same scope and filters as `list` (≤5,000 rows). */
    export: {
      req: { status?: FormStatus; type?: FormType; name?: string; idNumber?: string; from?: string; to?: string; as?: Role };
      res: CertFileRef & { rows: number };
    };
    /** The association's blank forms. */
    templates: { req: Record<string, never>; res: { name: string; kind: string; fileID: string; url: string }[] };
    /** Whoever started it withdraws a form not yet approved (final). */
    withdraw: { req: { formId: string; reason?: string; version?: number }; res: FormView };
  };
  bills: {
    list: {
      req: { status?: BillStatus; page?: number; pageSize?: number };
      res: Page<BillView & { formNo: string; names: string[] }>;
    };
    pay: { req: { billId: string; receipt: string; invoice?: InvoiceRequest }; res: BillView & { formStatus: FormStatus } };
    /** The unit's bills as .xlsx (status filter as `list`). */
    export: { req: { status?: BillStatus }; res: CertFileRef & { rows: number } };
    /** Finance: attach the issued 电子财政收据 (membership fees) or 电子发票 (the rest) to a paid bill. */
    issueInvoice: { req: { billId: string; file: string; kind: InvoiceKind }; res: BillView };
    /** 待开票 (finance): paid bills with no invoice yet, newest payment first, with the unit's name. */
    uninvoiced: {
      req: { page?: number; pageSize?: number };
      res: Page<BillView & { formNo: string; names: string[]; unitName: string }>;
    };
    /** 开票记录: issued invoices — the unit's own for its admins, all for finance; `xlsx` exports them. */
    invoices: {
      req: { from?: string; to?: string; page?: number; pageSize?: number; format?: 'xlsx' };
      res: Page<BillView & { formNo: string; names: string[]; unitName?: string }> & { file?: CertFileRef };
    };
  };
  notices: {
    list: {
      req: { unreadOnly?: 'yes'; page?: number; pageSize?: number };
      res: Page<NoticeView> & { unread: number };
    };
    read: { req: { ids: string[] }; res: { changed: number } };
    /** Templates the user accepted in wx.requestSubscribeMessage (one message each). */
    subscribe: { req: { accepted: SubscribeTemplate[] }; res: { grants: Partial<Record<SubscribeTemplate, number>> } };
    /** 待办 counts for the home page, by the caller's roles (absent keys: the caller has no such role). */
    todo: {
      req: Record<string, never>;
      res: {
        /** Forms waiting at each stage the caller acts at, in the caller's scope. */
        stages: Partial<Record<FormStatus, number>>;
        /** Unit admins: the unit's returned forms, unpaid bills, bindings to confirm, memberships ending within 30 days. */
        returned?: number;
        unpaidBills?: number;
        bindRequests?: number;
        expiring?: number;
        /** Finance: paid bills with no invoice yet (待开票). */
        uninvoiced?: number;
        /** Secretariat: units asked for by holders (找不到单位), not yet decided. */
        unitRequests?: number;
      };
    };
    /** Secretariat, by hand: today's membership reminders (30 days ahead, and lapsed today). */
    remind: { req: Record<string, never>; res: { soon: number; lapsed: number } };
  };
  studies: {
    /** From the learning platform, signed with the shared secret (no WeChat identity). */
    report: {
      req: { reportId: string; taskId: string; hoursDone: number; exam?: { passed: boolean }; at: string; signature: string };
      res: { task: StudyView; replay: boolean };
    };
    /**
     * From the learning platform, signed likewise: a finished continuing-education course of the
     * person with that ID number — the hours a 延续登记 counts inside the registration's validity.
     */
    reportCourse: {
      req: { reportId: string; idNumber: string; course: string; hours: number; finishedOn: string; at: string; signature: string };
      res: { recorded: boolean; replay: boolean };
    };
    list: {
      req: { status?: StudyView['status']; page?: number; pageSize?: number };
      res: Page<StudyView>;
    };
  };
  review: {
    queue: {
      req: { stage: FormStatus; page?: number; pageSize?: number };
      res: Page<FormSummary> & { counts: Partial<Record<FormStatus, number>> };
    };
    /** `version`: the version the reviewer saw; a changed form answers CONFLICT. */
    approve: { req: { formId: string; remark?: string; version?: number }; res: FormView };
    return: { req: { formId: string; reason: string; version?: number }; res: FormView };
    /** 不予通过: the association reviewer or finance, at their stage, with a reason (final). */
    reject: { req: { formId: string; reason: string; version?: number }; res: FormView };
  };
  certs: CertPublicApi & {
    /** The holder or the holder's unit admin: the certificate as a PNG (valid certificates only). */
    ecert: { req: { certId: string }; res: ECertFile };
    /** Unit admin: how many people and certificates a filter selects, before packing. */
    preview: {
      req: { filter?: RosterFilter };
      res: { people: number; certificates: number; downloadable: number; max: number };
    };
    /**
     * Unit admin: one zip of the selected people's e-certificates. `jobId` (client-made, 8–40 of
     * [A-Za-z0-9_-]) lets the page poll `job` for progress while this call runs.
     */
    batch: { req: { filter?: RosterFilter; jobId?: string }; res: CertJobView };
    job: { req: { jobId: string }; res: CertJobView };
    /** Unit admin: the roster with certificate columns as .xlsx, one row per person-certificate. */
    export: { req: { filter?: RosterFilter }; res: CertFileRef & { rows: number; people: number } };
  };
  /** Private storage (issue 9): the only way clients read files, and the record of who uploaded what. */
  files: {
    /** After uploading: record the caller as the file's owner, with its slot, type (from the bytes) and size. */
    confirm: { req: { fileID: string; purpose: FileKey }; res: { fileID: string; kind: string; size: number } };
    /** A short-lived URL for a file the caller may see (uploader, holder, their unit's admins, the form's reviewers, secretariat). */
    url: { req: { fileID: string }; res: { url: string; expiresAt: string } };
  };
  /** The busy public paths in a light function (no fonts, no renderer): same actions as `certs`. */
  'cert-lookup': CertPublicApi;
  /** A unit's own account (SPEC §3.6): unit admins; `acceptInvite` for the invitee. */
  units: {
    info: {
      req: Record<string, never>;
      res: {
        unit: UnitView;
        /** The caller is the main admin. */
        main: boolean;
        /** The unit's own forms in flight (membership application, information change). */
        pending: FormSummary[];
        /** The current unit membership fee, 元. */
        membershipFee: number;
        canApplyMembership: boolean;
      };
    };
    admins: { req: Record<string, never>; res: UnitAdmins };
    /** Main admin only: invite a sub-admin by phone number (≤3, counting pending invitations). */
    inviteSubAdmin: { req: { phone: string; name?: string }; res: InviteIssued };
    /** The invitee scans: confirms the phone the invitation names; either invitation kind. */
    acceptInvite: { req: { code: string; phone?: string }; res: GrantView };
    /** Main admin only. */
    removeSubAdmin: { req: { openid: string }; res: UnitAdmins };
    /** Main admin only: withdraw a pending sub-admin invitation. */
    revokeInvite: { req: { inviteId: string }; res: UnitAdmins };
    /** Main admin only: to one of the unit's sub-admins; the old main admin becomes a sub-admin. */
    transferMain: { req: { openid: string }; res: UnitAdmins };
    /** A non-member (or lapsed) unit applies to become a member unit; `files.applicationForm` required. */
    applyMembership: { req: { files: Files; remark?: string }; res: FormView };
    /** Change the unit's details through review; applied on the last approval. */
    requestInfoChange: { req: UnitFields & { files?: Files; remark?: string }; res: FormView };
    /** Main admin: 单位会员费缴纳 (会费登记) for a year with its receipt; finance approves; membership to that year's end. */
    payMembership: { req: { year: number; receipt: string; invoice?: InvoiceRequest }; res: { formId: string } };
    /** The units a holder may name as their new employer (变更登记), by part of the name (≥2 characters). */
    directory: { req: { q: string; page?: number; pageSize?: number }; res: Page<UnitRef> };
    /** 找不到单位: a holder asks for their employer to be added; the secretariat approves, merges or refuses. */
    request: { req: { name: string; creditCode: string; contact?: string }; res: UnitRequestView };
    /** Resubmit a returned unit form, optionally with corrected changes or files. */
    resubmit: {
      req: { formId: string; changes?: UnitFields; files?: Files; remark?: string; version?: number };
      res: FormView;
    };
  };
  /** The secretariat (秘书处): units, organisations, accounts, 证书解绑; `acceptRole` / `bootstrap` for anyone. */
  admin: {
    listUnits: {
      req: { name?: string; creditCode?: string; orgId?: string; isMember?: boolean; page?: number; pageSize?: number };
      res: Page<UnitView>;
    };
    createUnit: {
      req: UnitFields & { name: string; creditCode: string; orgId: string; isMember?: boolean; memberUntil?: string };
      res: UnitView;
    };
    updateUnit: {
      req: UnitFields & { unitId: string; orgId?: string; isMember?: boolean; memberUntil?: string; remark?: string };
      res: UnitView;
    };
    listOrgs: { req: Record<string, never>; res: { items: OrgView[] } };
    createOrg: { req: { name: string }; res: OrgView };
    updateOrg: { req: { orgId: string; name: string }; res: OrgView };
    /** unit_admin: scopeId = unit (main by default); org_reviewer: scopeId = organisation; others: no scope. */
    inviteRole: {
      req: { role: InvitableRole; scopeId?: string; main?: boolean; phone?: string; name?: string };
      res: InviteIssued;
    };
    acceptRole: { req: { code: string; phone?: string }; res: GrantView };
    /** Grants (paged) and pending invitations in the same scope. */
    listRoles: {
      req: { role?: InvitableRole; scopeId?: string; page?: number; pageSize?: number };
      res: Page<GrantView> & { pending: InviteView[] };
    };
    /** The last secretariat account cannot be revoked. */
    revokeRole: { req: { grantId: string; reason?: string }; res: { grantId: string; role: Role; scopeId: string } };
    revokeInvite: { req: { inviteId: string }; res: { inviteId: string } };
    findMember: { req: { idNumber: string; name?: string }; res: { member: BoundMemberView | null } };
    /** 证书解绑: clear the member record's WeChat binding. */
    unbind: { req: { memberId: string; reason?: string }; res: { memberId: string; unboundOpenidMasked: string } };
    /** Pending (by default) unit requests (找不到单位). */
    unitRequests: { req: { status?: UnitRequestView['status']; page?: number; pageSize?: number }; res: Page<UnitRequestView> };
    /** Approve (creates the unit under `orgId`), merge into an existing unit, or refuse with a reason. */
    decideUnitRequest: {
      req: { requestId: string; decision: 'approve' | 'merge' | 'refuse'; orgId?: string; unitId?: string; reason?: string };
      res: UnitRequestView;
    };
    /** The dashboard: forms per status, type, month (within from–to); people by age, education, certificate type. */
    stats: { req: { from?: string; to?: string }; res: StatsView };
    /** 秘书处更正 (FAQ 3.25): a member's data or memberships, with the reason, audited. */
    correctMember: {
      req: {
        memberId: string;
        changes: Partial<Pick<Profile, 'name' | 'gender' | 'phone' | 'address' | 'title' | 'idType' | 'idNumber'>> & {
          education?: Partial<Education>;
          ordinaryUntil?: string;
          professionalUntil?: string;
        };
        reason: string;
      };
      res: { memberId: string; history: HistoryEntry[] };
    };
    /** 秘书处更正 of a certificate, with the reason, audited (the holder's history shows it too). */
    correctCertificate: {
      req: {
        certificateId: string;
        changes: Partial<Pick<CertificateView, 'no' | 'type' | 'specialties' | 'unitName' | 'firstIssuedOn' | 'renewedOn' | 'validUntil'>> & { status?: 'valid' | 'cancelled' };
        reason: string;
      };
      res: { certificate: CertificateView; history: HistoryEntry[] };
    };
    /** The first secretariat account, with the one-time code deployment printed. */
    bootstrap: { req: { code: string }; res: GrantView };
  };
}

export type FunctionName = keyof Api;
export type ActionOf<F extends FunctionName> = keyof Api[F] & string;
export type ReqOf<F extends FunctionName, A extends ActionOf<F>> = Api[F][A] extends { req: infer R }
  ? R
  : never;
export type ResOf<F extends FunctionName, A extends ActionOf<F>> = Api[F][A] extends { res: infer R }
  ? R
  : never;
