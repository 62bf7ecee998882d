/**
 * 延续登记 / 变更登记 on the phone (seed 000): what the association's profile says about them —
 * the form types, their attachments and the words 登记记录 uses for each stage. Shared by the
 * wizard, 登记记录, 我的证书 and the home page (main package: subpackages cannot share code).
 */
import type { AssociationView, FormStatus, FormType } from '../../typings/api';
import type { AssociationProfile, HolderBusiness, RegistrationFile } from '../shared/association';
import { PROFILES } from '../shared/association';
import { FORM_STATUS_LABEL } from '../shared/labels';

export type RegistrationKind = 'renewal' | 'change';

export const REGISTRATION_TYPE: Record<RegistrationKind, HolderBusiness> = {
  renewal: 'registration-renewal',
  change: 'registration-change',
};

/** 延续登记 / 变更登记, by kind. */
export const REGISTRATION_LABEL: Record<RegistrationKind, string> = { renewal: '延续登记', change: '变更登记' };

export function isRegistrationType(type: FormType): type is HolderBusiness {
  return type === 'registration-renewal' || type === 'registration-change';
}

export function kindOfType(type: HolderBusiness): RegistrationKind {
  return type === 'registration-renewal' ? 'renewal' : 'change';
}

/** The profile behind `members.me`'s association (the mini-program bundles the same table the server reads). */
export function profileOfView(a: AssociationView | undefined | null): AssociationProfile | undefined {
  return a ? PROFILES[a.id] : undefined;
}

/** Does the association let its holders start registrations themselves? */
export function offersRegistration(a: AssociationView | undefined | null): boolean {
  return !!a && Array.isArray(a.holderBusinesses) && a.holderBusinesses.length > 0;
}

/** A registration's status in the association's words (seed 000 3.6: 待初审 / 已初审 / 已审核), else the platform's. */
export function registrationStatusWord(p: AssociationProfile | undefined, status: FormStatus): string {
  const words = (p && p.stageWords) || {};
  return (words as Partial<Record<FormStatus, string>>)[status] || FORM_STATUS_LABEL[status] || status;
}

/** One upload slot of a registration as the file-slot component takes it. */
export interface RegistrationSlot {
  key: RegistrationFile['key'];
  label: string;
  hint: string;
  accept: 'pdf' | 'image-pdf';
  maxBytes: number;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))}兆`;
}

/** The attachments the profile asks of `kind` (its table, not a copy): label, PDF only or not, the size. */
export function registrationSlots(p: AssociationProfile | undefined, kind: RegistrationKind): RegistrationSlot[] {
  const business = p && p.holderBusinesses[REGISTRATION_TYPE[kind]];
  if (!business) return [];
  return business.files.map((f) => ({
    key: f.key,
    label: f.label,
    hint: `${f.pdfOnly ? '请上传PDF文件，' : '照片或PDF文件，'}文件大小不能超过${mb(f.maxBytes)}，最多可上传一个文件。`,
    accept: f.pdfOnly ? 'pdf' : 'image-pdf',
    maxBytes: f.maxBytes,
  }));
}
