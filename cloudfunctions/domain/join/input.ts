/**
 * The shape of what an applicant sends (the contract's `Profile`): every field typed and capped
 * here, before the domain rules of miniprogram/shared/profile.ts decide what is required and valid.
 * Fields are optional at this level so the simple code, the unit's supplement and a resubmission
 * share one shape; `checkProfile` asks for what each case needs, with its own messages.
 */
import type { Education, Profile } from '../../../typings/api';
import { Check, DAY, FILE_ID, v } from '../../infra/validate';

const EDUCATION_LEVELS = ['secondary', 'college', 'bachelor', 'master', 'doctor'] as const;

export const EDUCATION_INPUT = v.object({
  level: v.optional(v.oneOf(EDUCATION_LEVELS, '学历')),
  school: v.optional(v.string({ max: 60, label: '毕业院校' })),
  major: v.optional(v.string({ max: 60, label: '所学专业' })),
  graduatedOn: v.optional(DAY),
}) as Check<Partial<Education>>;

export const PROFILE_INPUT = v.object({
  name: v.optional(v.string({ max: 30, label: '姓名' })),
  gender: v.optional(v.oneOf(['male', 'female'] as const, '性别')),
  idType: v.optional(v.oneOf(['resident', 'hmt', 'other'] as const, '证件类型')),
  idNumber: v.optional(v.string({ max: 40, label: '证件号码' })),
  phone: v.optional(v.string({ max: 20, label: '手机号码' })),
  birthDate: v.optional(DAY),
  address: v.optional(v.string({ max: 100, label: '通讯地址' })),
  education: v.optional(EDUCATION_INPUT),
  title: v.optional(v.string({ max: 30, label: '职称' })),
}) as Check<Partial<Profile>>;

/** What a member information change may ask for (manual 2.3). */
export const CHANGE_INPUT = v.object({
  phone: v.optional(v.string({ max: 20, label: '手机号码' })),
  address: v.optional(v.string({ min: 2, max: 100, label: '通讯地址' })),
  education: v.optional(EDUCATION_INPUT),
  title: v.optional(v.string({ max: 30, label: '职称' })),
  photo: v.optional(FILE_ID),
  name: v.optional(v.string({ max: 30, label: '姓名' })),
  idType: v.optional(v.oneOf(['resident', 'hmt', 'other'] as const, '证件类型')),
  idNumber: v.optional(v.string({ max: 40, label: '证件号码' })),
});
