/**
 * Validation of what an applicant enters (SPEC §2, §3.2; manual 2.1.1–2.1.3). One implementation:
 * the join page runs it as you type, the `members.apply` / `forms.prereview` actions enforce it.
 */
import type { CodeKind, Education, Files, FileKey, MembershipLevel, Profile } from '../../typings/api';
import { addYears, isDay } from './dates';
import { checkIdNumber, isResidencePermit, normalizeIdNumber, parseResidentId } from './id-number';
import { EDUCATION_LABEL } from './labels';

export type FieldErrors = Record<string, string>;

/** 2–30 characters: Chinese (any CJK block, so rare name characters pass), letters, · and spaces. */
const NAME_RE = /^[\p{Script=Han}A-Za-z·•. ]{2,30}$/u;
const PHONE_RE = /^1[3-9]\d{9}$/;

/** Membership age window of manual 2.1.1: 年龄大于18周岁且不超过65周岁. */
export const JOIN_MIN_AGE = 18;
export const JOIN_MAX_AGE = 65;

/**
 * Is a person born on `birth` old enough and young enough to join on `today`?
 * "大于18周岁": strictly past the 18th birthday; "不超过65周岁": not yet 66.
 */
export function joinAgeProblem(birth: string, today: string): string | null {
  if (today <= addYears(birth, JOIN_MIN_AGE)) return `入会须年满${JOIN_MIN_AGE}周岁以上`;
  if (today >= addYears(birth, JOIN_MAX_AGE + 1)) return `入会年龄不能超过${JOIN_MAX_AGE}周岁`;
  return null;
}

/** The files each join code kind asks the applicant for (manual 2.1.2 and FAQ 3.13). */
export const JOIN_FILES_SIMPLE: FileKey[] = ['photo', 'idFront', 'idBack'];

/**
 * Files a complete join application needs (manual 2.1.3); a video stands in for diploma proof. A
 * professional membership also needs the 注册监理工程师注册证书 (manual 2.11.3 (4), *必填); its fee
 * receipt comes with the payment (bills.pay).
 */
export function missingJoinFiles(files: Files, kind: CodeKind, level: MembershipLevel = 'ordinary'): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of JOIN_FILES_SIMPLE) if (!files[key]) errors[`files.${key}`] = FILE_MISSING[key] || '请上传附件';
  if (kind === 'join' && !files.video) {
    if (!files.diploma) errors['files.diploma'] = '请上传最高学历毕业证照片（无法提供时可上传视频证明）';
    if (!files.diplomaCheck) errors['files.diplomaCheck'] = '请上传学历验证报告（学信网）';
  }
  if (kind === 'join' && level === 'professional' && !files.qualificationCert)
    errors['files.qualificationCert'] = '申请专业会员须上传注册监理工程师注册证书';
  return errors;
}

const FILE_MISSING: Partial<Record<FileKey, string>> = {
  photo: '请上传个人证件照',
  idFront: '请上传身份证人像面',
  idBack: '请上传身份证国徽面',
};

export function validateEducation(e: Partial<Education> | undefined, birth: string | null, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!e) return { education: '请填写最高学历信息' };
  if (!e.level || !(e.level in EDUCATION_LABEL)) errors['education.level'] = '请选择最高学历';
  if (!e.school || e.school.trim().length < 2 || e.school.length > 60) errors['education.school'] = '请填写毕业院校';
  if (!e.major || e.major.trim().length < 2 || e.major.length > 60) errors['education.major'] = '请填写所学专业';
  if (!isDay(e.graduatedOn)) errors['education.graduatedOn'] = '请选择毕业时间';
  else if (e.graduatedOn > today) errors['education.graduatedOn'] = '毕业时间不能晚于今天';
  else if (birth && e.graduatedOn <= birth) errors['education.graduatedOn'] = '毕业时间不能早于出生日期';
  return errors;
}

export interface CheckedProfile {
  errors: FieldErrors;
  /** Normalised copy (trimmed, ID upper-cased, birth date and gender filled from the ID). */
  profile: Profile;
}

/**
 * Check a profile. `complete` asks for everything a full application needs (education);
 * the simple code asks only for name, gender, ID and phone.
 */
export function checkProfile(input: Partial<Profile>, today: string, complete: boolean): CheckedProfile {
  const errors: FieldErrors = {};
  const p: Profile = {
    name: String(input.name ?? '').trim(),
    gender: input.gender as Profile['gender'],
    idType: input.idType as Profile['idType'],
    idNumber: normalizeIdNumber(String(input.idNumber ?? '')),
    phone: String(input.phone ?? '').trim(),
  };
  if (input.address != null) p.address = String(input.address).trim();
  if (input.title != null && String(input.title).trim()) p.title = String(input.title).trim();
  if (input.birthDate != null) p.birthDate = String(input.birthDate);
  if (input.education != null) p.education = { ...input.education } as Education;

  if (!NAME_RE.test(p.name)) errors.name = '姓名应为2-30个汉字或字母';
  if (p.gender !== 'male' && p.gender !== 'female') errors.gender = '请选择性别';
  if (!['resident', 'hmt', 'other'].includes(p.idType)) errors.idType = '请选择证件类型';
  if (!PHONE_RE.test(p.phone)) errors.phone = '请填写11位手机号码';
  if (p.address && p.address.length > 100) errors.address = '通讯地址不能超过100个字';
  if (p.title && p.title.length > 30) errors.title = '职称不能超过30个字';

  let birth: string | null = null;
  if (!errors.idType) {
    const idProblem = checkIdNumber(p.idType, p.idNumber, today);
    if (idProblem) errors.idNumber = idProblem;
    else if (p.idType === 'resident' || isResidencePermit(p.idNumber)) {
      const parsed = parseResidentId(p.idNumber, today);
      if (parsed.ok) {
        birth = parsed.info.birthDate;
        if (p.birthDate && p.birthDate !== birth) errors.birthDate = '出生日期与身份证号不一致';
        if (!errors.gender && p.gender !== parsed.info.gender) errors.gender = '性别与身份证号不一致';
        p.birthDate = birth;
      }
    } else if (!isDay(p.birthDate) || p.birthDate > today) {
      errors.birthDate = '请选择出生日期';
    } else birth = p.birthDate;
  }
  if (birth && !errors.idNumber) {
    const ageProblem = joinAgeProblem(birth, today);
    if (ageProblem) errors[p.idType === 'resident' ? 'idNumber' : 'birthDate'] = ageProblem;
  }
  if (complete || p.education) Object.assign(errors, validateEducation(p.education, birth, today));
  return { errors, profile: p };
}
