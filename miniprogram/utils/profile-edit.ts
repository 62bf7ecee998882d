/**
 * The editing rules shared by every page that edits a profile (join, applicant resubmit, unit
 * resubmit and pre-review supplement): which fields count as touched while typing, and the whole
 * check of an application — `checkProfile` and `missingJoinFiles` from shared/profile, the same
 * code the server runs.
 */
import type { CodeKind, Files, MembershipLevel, Profile } from '../../typings/api';
import { normalizeIdNumber, parseResidentId } from '../shared/id-number';
import { checkProfile, missingJoinFiles, validateEducation } from '../shared/profile';
import { flattenErrors } from './format';

/** WXML-safe key of a profile field path (`education.school` → `education_school`). */
export function fieldKey(field: string): string {
  return field.replace(/\./g, '_');
}

/**
 * Mark a field touched after an edit. Typing is not judged half-way: the ID number is judged once
 * it has 18 characters (then the checksum feedback shows as you type), the phone at 11 digits; other
 * text fields on blur; choices at once.
 */
export function touchAfterChange(field: string, value: Partial<Profile>, touched: Record<string, boolean>): Record<string, boolean> {
  const next = { ...touched };
  if (field === 'idNumber') {
    if (normalizeIdNumber(value.idNumber || '').length >= 18) next.idNumber = true;
  } else if (field === 'phone') {
    if (String(value.phone || '').trim().length >= 11) next.phone = true;
  } else if (field === 'gender' || field === 'idType' || field === 'birthDate' || field === 'education.level' || field === 'education.graduatedOn') {
    next[fieldKey(field)] = true;
    if (field === 'idType' && value.idNumber) next.idNumber = true;
    if (field === 'gender' && value.idNumber) next.idNumber = true;
  }
  return next;
}

/** A valid mainland number fills an empty gender (the number says it anyway). */
export function withDerivedGender(value: Partial<Profile>, today: string): Partial<Profile> {
  if (value.gender || value.idType !== 'resident') return value;
  const r = parseResidentId(value.idNumber || '', today);
  return r.ok ? { ...value, gender: r.info.gender } : value;
}

export interface Checked {
  /** WXML-safe keys → Chinese message */
  errors: Record<string, string>;
  profile: Profile;
}

/** Everything a join application must satisfy before it is sent (manual 2.1.1–2.1.3, FAQ 3.13). */
export function checkJoin(value: Partial<Profile>, files: Files, kind: CodeKind, today: string, level: MembershipLevel = 'ordinary'): Checked {
  const complete = kind === 'join';
  const input: Partial<Profile> = { ...value };
  if (!complete) delete input.education;
  const { errors, profile } = checkProfile(input, today, complete);
  if (complete && !String(value.address || '').trim()) errors.address = '请填写通讯地址';
  Object.assign(errors, missingJoinFiles(files, kind, level));
  return { errors: flattenErrors(errors), profile };
}

/** What the unit must complete in pre-review for a simple-code application (FAQ 3.13). */
export function checkSupplement(value: Partial<Profile>, files: Files, birthDate: string | null, today: string, level: MembershipLevel = 'ordinary'): Record<string, string> {
  // An empty education gets per-field messages (学历, 院校, 专业, 毕业时间), not one line for all.
  const errors: Record<string, string> = { ...validateEducation(value.education || {}, birthDate, today) };
  if (!String(value.address || '').trim()) errors.address = '请填写通讯地址';
  const missing = missingJoinFiles({ photo: 'x', idFront: 'x', idBack: 'x', ...files }, 'join', level);
  Object.assign(errors, missing);
  return flattenErrors(errors);
}
