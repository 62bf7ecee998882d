/**
 * What each business type asks for (manual 2.5.3–2.11.3) and costs (SPEC §2.2) — written once: the
 * wizard previews them, `forms.submit` enforces them with the association's configured fees.
 */
import type { FileKey, FormType } from '../../typings/api';
import { BusinessType, EDUCATION_TYPES } from './eligibility';
import { PROFILES } from './association';

/** Per-person fees (元): education forms 80, certificate employer change 20 (manual screenshots). */
export interface BusinessFees {
  educationFeePerPerson: number;
  certUnitChangeFeePerPerson: number;
}

/** The construction association's fees, from its profile (miniprogram/shared/association.ts). */
export const DEFAULT_FEES: BusinessFees = {
  educationFeePerPerson: PROFILES.construction.fees.educationPerPerson || 0,
  certUnitChangeFeePerPerson: PROFILES.construction.fees.certUnitChangePerPerson || 0,
};

/** Per-person fee of a business type; cancellation and 注师继教 cost nothing. */
export function feePerPerson(type: FormType, fees: BusinessFees = DEFAULT_FEES): number {
  if (type === 'cert-unit-change') return fees.certUnitChangeFeePerPerson;
  if (EDUCATION_TYPES.includes(type)) return fees.educationFeePerPerson;
  return 0;
}

/**
 * One attachment of a business form, as the manual lists it (2.5.3–2.11.3): on the form (the unit's
 * papers) or for each person named (their own diploma, verification, titles), required (*必填) or
 * optional (选填), with what the slot says. The unit's wizard draws its slots from this table and
 * `forms.submit` checks against it — one table for both.
 */
export interface AttachmentRule {
  key: FileKey;
  per: 'form' | 'person';
  required: boolean;
  label: string;
  hint: string;
}

const A = (key: FileKey, per: 'form' | 'person', required: boolean, label: string, hint: string): AttachmentRule => ({ key, per, required, label, hint });
const COMMITMENT = A('commitment', 'form', true, '单位承诺书', '单位承诺书，签字盖章后拍照或扫描；图片不超过2MB，PDF不超过10MB');
const INSURANCE = A('insuranceProof', 'form', true, '社保证明', '本单位近期社保缴纳证明，图片或PDF');
const DIPLOMA = A('diploma', 'person', true, '最高学历毕业证', '本人最高学历毕业证扫描件或照片');
const DIPLOMA_CHECK = A('diplomaCheck', 'person', true, '学历验证报告', '学信网在线验证报告（毕业证书、职称证书验证证明），图片或PDF');
const TITLE = A('titleCert', 'person', false, '职称证书', '选填：职称证书照片');

/** The attachments of a business type (and, for an employer change, its reason). */
export function attachmentRules(type: BusinessType, reason?: string): AttachmentRule[] {
  switch (type) {
    case 'initial-education':
    case 'continuing-education':
    case 'specialty-change':
    case 'upgrade': {
      // 单位承诺书 + 最高学历毕业证 + 社保证明 (*必填), 职称证书 (选填) — 2.5.3, 2.6.3, 2.7.3, 2.8.3;
      // 2.5.3(5) the verification of the diploma, asked of every education form here (issue 12).
      const rules = [COMMITMENT, INSURANCE, DIPLOMA, DIPLOMA_CHECK, TITLE];
      // A renewal also carries the signed renewal form (SPEC §3.3).
      if (type === 'continuing-education') rules.push(A('applicationForm', 'form', true, '延续登记申请表', '签字盖章的延续登记申请表，拍照或扫描为PDF'));
      // 员升师: 职称证书或注册监理工程师证等 (2.7.3(4), 选填).
      if (type === 'upgrade') rules.push(A('qualificationCert', 'person', false, '注册监理工程师证等', '选填：注册监理工程师证或其他资格证书'));
      return rules;
    }
    case 'cert-unit-change':
      // 2.9.1(3): the change form signed by the person with both units' seals; 2.9.3: 单位承诺书 and
      // 社保证明 (*必填). A new employer also brings the old unit's resignation proof.
      return [
        A('applicationForm', 'form', true, '证书变更申请表', '签字并加盖双方单位公章的证书变更申请表，拍照或扫描为PDF'),
        COMMITMENT,
        ...(reason === 'new-employer'
          ? [INSURANCE, A('resignationProof', 'form', true, '原单位离职证明', '原单位出具的离职证明，拍照或PDF')]
          : []),
      ];
    case 'cert-cancel':
      // 2.10.3: 注销申请表 (*必填).
      return [A('applicationForm', 'form', true, '证书注销申请表', '签字盖章的证书注销申请表，拍照或扫描为PDF')];
    case 'pro-continuing-education':
      // 2.11.1(3) 单位购买最新社保证明; 2.11.3(4) 注册监理工程师注册证书 (*必填).
      return [INSURANCE, A('qualificationCert', 'form', true, '注册证书', '注册监理工程师注册证书，图片或PDF')];
  }
  return [];
}

/** The form-level attachments a business type requires at submission. */
export function requiredFiles(type: BusinessType, reason?: string): FileKey[] {
  return attachmentRules(type, reason)
    .filter((r) => r.per === 'form' && r.required)
    .map((r) => r.key);
}

/** The attachments asked of each person on the form (required and optional). */
export function personRules(type: BusinessType): AttachmentRule[] {
  return attachmentRules(type).filter((r) => r.per === 'person');
}
