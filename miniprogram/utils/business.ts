/**
 * Business forms on the phone (SPEC §3.3): what each type asks for in the wizard, the attachments it
 * needs, the fee preview, and labels the pages share. The server decides everything again — its
 * answers (NOT_ELIGIBLE, INVALID_INPUT, FILE_INVALID with per-field keys) are what the pages show.
 *
 * `requiredFiles` and `feePerPerson` come from `shared/business-rules.ts`, the one copy the server
 * enforces (with the association's configured fees).
 */
import type { BillView, BusinessType, CertChangeReason, FileKey, FormType, StudyView } from '../../typings/api';
import { BUSINESS_TYPES, CERT_TYPES } from '../shared/eligibility';
import { CERT_REASON_LABEL, FORM_TYPE_LABEL, STUDY_STATUS_LABEL } from '../shared/labels';
export { attachmentRules, feePerPerson, personRules, requiredFiles } from '../shared/business-rules';
import { attachmentRules, personRules } from '../shared/business-rules';

/** What step 1 of the wizard asks for each type. */
export interface TypeSpec {
  type: BusinessType;
  label: string;
  /** One line under the type: what it is for (manual 2.5–2.11). */
  description: string;
  /** Ask which certificate type: the one to obtain (initial education) or the one acted on. */
  certType: 'obtain' | 'held' | null;
  /** Ask specialties 1–2: the ones to study (initial education) or the new ones (specialty change). */
  specialties: 'study' | 'new' | null;
  /** Ask the reason of an employer change. */
  reason: boolean;
}

export const TYPE_SPECS: TypeSpec[] = [
  {
    type: 'initial-education',
    label: FORM_TYPE_LABEL['initial-education'],
    description: '报名培训，学习考试合格后取得新证书',
    certType: 'obtain',
    specialties: 'study',
    reason: false,
  },
  {
    type: 'continuing-education',
    label: FORM_TYPE_LABEL['continuing-education'],
    description: '证书到期前半年内报名继续教育（延续登记），完成后证书延期',
    certType: 'held',
    specialties: null,
    reason: false,
  },
  {
    type: 'upgrade',
    label: FORM_TYPE_LABEL.upgrade,
    description: '持有效监理员证书，学习合格后取得专业监理工程师证书',
    certType: null,
    specialties: null,
    reason: false,
  },
  {
    type: 'specialty-change',
    label: FORM_TYPE_LABEL['specialty-change'],
    description: '变更证书上的专业，双证的专业同步变更',
    certType: 'held',
    specialties: 'new',
    reason: false,
  },
  {
    type: 'cert-unit-change',
    label: FORM_TYPE_LABEL['cert-unit-change'],
    description: '新入职人员或单位更名后，变更证书上的单位名称；不能与其他业务同时办理',
    certType: 'held',
    specialties: null,
    reason: true,
  },
  {
    type: 'cert-cancel',
    label: FORM_TYPE_LABEL['cert-cancel'],
    description: '注销证书（过期证书也可注销），仅协会审核，不收费',
    certType: 'held',
    specialties: null,
    reason: false,
  },
  {
    type: 'pro-continuing-education',
    label: FORM_TYPE_LABEL['pro-continuing-education'],
    description: '专业会员（注册监理工程师）继续教育报名',
    certType: null,
    specialties: null,
    reason: false,
  },
];

export function specOf(type: string): TypeSpec | undefined {
  return TYPE_SPECS.find((s) => s.type === type);
}

export function isBusinessType(type: FormType): type is BusinessType {
  return (BUSINESS_TYPES as readonly string[]).indexOf(type) >= 0;
}

export const CERT_TYPE_LIST: string[] = CERT_TYPES.slice();

export const REASONS: { value: CertChangeReason; label: string }[] = [
  { value: 'new-employer', label: CERT_REASON_LABEL['new-employer'] },
  { value: 'renamed', label: CERT_REASON_LABEL.renamed },
];

/** What to upload in each slot of a business form: the manual's attachment table (shared/business-rules.ts). */
export function fileHint(type: BusinessType, key: FileKey, reason?: string): string {
  return attachmentRules(type, reason).find((r) => r.key === key)?.hint || '';
}

/** Each person's slots of a business type, as the wizard and the form page draw them (optional ones say 选填). */
export function personSlots(type: BusinessType): { keys: FileKey[]; labels: Record<string, string>; hints: Record<string, string>; required: Record<string, boolean> } {
  const rules = personRules(type);
  const labels: Record<string, string> = {};
  const hints: Record<string, string> = {};
  const required: Record<string, boolean> = {};
  for (const r of rules) {
    labels[r.key] = r.required ? r.label : `${r.label}（选填）`;
    hints[r.key] = r.hint;
    required[r.key] = r.required;
  }
  return { keys: rules.map((r) => r.key), labels, hints, required };
}

/** Slot titles for business forms, from the same table. */
export function fileLabel(type: BusinessType, key: FileKey, reason?: string): string {
  return attachmentRules(type, reason).find((r) => r.key === key)?.label || '';
}

export const BILL_KIND_LABEL: Record<BillView['kind'], string> = {
  'membership-personal': '个人会员会费',
  'membership-unit': '单位会员会费',
  auxiliary: '辅助费',
};

export const CERT_STATUS_LABEL: Record<'valid' | 'expired' | 'cancelled', string> = {
  valid: '有效',
  expired: '已过期',
  cancelled: '已注销',
};

export const STUDY_STATUSES = Object.keys(STUDY_STATUS_LABEL) as StudyView['status'][];

/** A study task as a card shows it: hours and exam attempts as progress (manual 3.3, 3.17, FAQ 3.18). */
export interface StudyRow extends StudyView {
  typeLabel: string;
  statusLabel: string;
  hoursPct: number;
  attemptsPct: number;
  examText: string;
}

export function studyRow(s: StudyView): StudyRow {
  const pct = (a: number, b: number) => (b > 0 ? Math.max(0, Math.min(100, Math.round((a / b) * 100))) : 0);
  return {
    ...s,
    typeLabel: FORM_TYPE_LABEL[s.type] || s.type,
    statusLabel: STUDY_STATUS_LABEL[s.status] || s.status,
    hoursPct: pct(s.hoursDone, s.hoursRequired),
    attemptsPct: pct(s.examAttempts, s.maxAttempts),
    examText: s.examPassed ? '考试已通过' : s.examAttempts ? `考试未通过，还可考${Math.max(0, s.maxAttempts - s.examAttempts)}次` : '尚未考试',
  };
}
