/**
 * What each business type asks for (manual 2.5.3–2.11.3) and costs (SPEC §2.2) — written once: the
 * wizard previews them, `forms.submit` enforces them with the association's configured fees.
 */
import type { FileKey, FormType } from '../../typings/api';
import { BusinessType, EDUCATION_TYPES } from './eligibility';

/** Per-person fees (元): education forms 80, certificate employer change 20 (manual screenshots). */
export interface BusinessFees {
  educationFeePerPerson: number;
  certUnitChangeFeePerPerson: number;
}

export const DEFAULT_FEES: BusinessFees = { educationFeePerPerson: 80, certUnitChangeFeePerPerson: 20 };

/** Per-person fee of a business type; cancellation and 注师继教 cost nothing. */
export function feePerPerson(type: FormType, fees: BusinessFees = DEFAULT_FEES): number {
  if (type === 'cert-unit-change') return fees.certUnitChangeFeePerPerson;
  if (EDUCATION_TYPES.includes(type)) return fees.educationFeePerPerson;
  return 0;
}

/** The attachments each business type requires at submission. */
export function requiredFiles(type: BusinessType, reason?: string): FileKey[] {
  switch (type) {
    case 'initial-education':
    case 'upgrade':
    case 'specialty-change':
      // 单位承诺书 + 社保证明 (manual 2.5.3, 2.7.3, 2.8.3).
      return ['commitment', 'insuranceProof'];
    case 'continuing-education':
      // Renewal also carries the signed renewal form (SPEC §3.3; equipment manual 3.5).
      return ['commitment', 'insuranceProof', 'applicationForm'];
    case 'cert-unit-change':
      // Signed change form; a new employer also brings the old unit's resignation proof (2.9.1).
      return reason === 'new-employer'
        ? ['applicationForm', 'resignationProof', 'insuranceProof']
        : ['applicationForm'];
    case 'cert-cancel':
      return ['applicationForm'];
    case 'pro-continuing-education':
      return ['insuranceProof', 'qualificationCert'];
  }
  return [];
}
