/**
 * Joining (SPEC §3.2, manual 2.1): building the applicant's record from a checked profile, the
 * personal membership-fee bill, and the member record created when finance approves.
 */
import type { CodeKind, Files, MembershipLevel, Profile } from '../../../typings/api';
import { addYears } from '../../../miniprogram/shared/dates';
import { checkProfile, FieldErrors, missingJoinFiles } from '../../../miniprogram/shared/profile';
import type { BillDoc, FormDoc, MemberDoc, PersonDoc } from '../model';
import { protectId, revealId } from '../../infra/pii';
import type { Settings } from '../../infra/settings';
import { newId } from '../../infra/store';
import { failOn } from '../../infra/validate';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { AppError } from '../../../miniprogram/shared/errors';
import { memberOfOpenid } from '../forms/queries';

/**
 * Rules of joining that depend on who exists now (checked at apply and again at resubmit):
 * the ID number is not a member yet, and the applicant's WeChat is not bound to a member record
 * (one WeChat user ↔ at most one member).
 */
export async function requireJoinable(db: Database, idHash: string, applicantOpenid?: string): Promise<void> {
  const existing = await db.collection(C.members).where({ idHash }).limit(1).get();
  if (existing.data.length) throw new AppError('DUPLICATE', '该证件号码已是本会会员，无需重复入会。');
  if (applicantOpenid && (await memberOfOpenid(db, applicantOpenid)))
    throw new AppError('DUPLICATE', '您的微信已绑定会员记录，无需重复入会。');
}

/** The pending-application key: one join in flight per ID number (unique sparse index). */
export const joinPendingKey = (idHash: string) => `join:${idHash}`;

export function personFrom(profile: Profile, files: Files): PersonDoc {
  return {
    name: profile.name,
    gender: profile.gender,
    idType: profile.idType,
    ...protectId(profile.idNumber),
    phone: profile.phone,
    birthDate: profile.birthDate as string,
    ...(profile.address ? { address: profile.address } : {}),
    ...(profile.education ? { education: profile.education } : {}),
    ...(profile.title ? { title: profile.title } : {}),
    files,
  };
}

/** The profile a stored person was built from (decrypting the ID number for re-validation). */
export function profileOf(p: PersonDoc): Profile {
  return {
    name: p.name,
    gender: p.gender,
    idType: p.idType,
    idNumber: revealId(p.idCipher),
    phone: p.phone,
    birthDate: p.birthDate,
    ...(p.address ? { address: p.address } : {}),
    ...(p.education ? { education: p.education } : {}),
    ...(p.title ? { title: p.title } : {}),
  };
}

/**
 * Validate an application's profile and files for its code kind: the full code needs everything,
 * the simple code only photo, ID card and the identity fields (the unit completes the rest).
 */
export function checkApplication(profile: Partial<Profile>, files: Files, kind: CodeKind, today: string, level: MembershipLevel = 'ordinary'): Profile {
  const complete = kind === 'join';
  const checked = checkProfile(profile, today, complete);
  const errors: FieldErrors = { ...checked.errors, ...missingJoinFiles(files, complete ? 'join' : 'join-simple', level) };
  failOn(errors);
  return checked.profile;
}

export function membershipFee(level: MembershipLevel, s: Settings): number {
  return level === 'professional' ? s.professionalMembershipFee : s.ordinaryMembershipFee;
}

export function membershipBill(form: FormDoc, level: MembershipLevel, s: Settings, now: Date): BillDoc {
  return {
    _id: newId(),
    formId: form._id,
    formNo: form.no,
    formType: form.type,
    memberIds: [],
    unitId: form.unitId,
    kind: 'membership-personal',
    amount: membershipFee(level, s),
    status: 'unpaid',
    names: form.personNames,
    createdAt: now,
  };
}

/** The member record an approved join creates: membership from today for the configured term. */
export function memberFromJoin(form: FormDoc, s: Settings, today: string, now: Date): MemberDoc {
  const p = form.people[0];
  const level = form.level || 'ordinary';
  const years = level === 'professional' ? s.professionalMembershipYears : s.ordinaryMembershipYears;
  return {
    _id: newId(),
    name: p.name,
    gender: p.gender,
    idType: p.idType,
    idCipher: p.idCipher,
    idHash: p.idHash,
    idMasked: p.idMasked,
    phone: p.phone,
    birthDate: p.birthDate,
    ...(p.address ? { address: p.address } : {}),
    ...(p.education ? { education: p.education } : {}),
    ...(p.title ? { title: p.title } : {}),
    ...(p.files.photo ? { photo: p.files.photo } : {}),
    ...(p.files.idFront ? { idFront: p.files.idFront } : {}),
    ...(p.files.idBack ? { idBack: p.files.idBack } : {}),
    unitId: form.unitId,
    ...(form.applicantOpenid ? { openid: form.applicantOpenid } : {}),
    memberships: [{ level, since: today, validUntil: addYears(today, years) }],
    joinFormId: form._id,
    createdAt: now,
    updatedAt: now,
  };
}
