/**
 * Identity-document rules. Mainland numbers follow GB 11643-1999: 17 digits + a check character
 * (ISO 7064 MOD 11-2); digits 7–14 are the birth date, digit 17 is odd for men. SPEC §2: the birth
 * date and gender derived from the number must agree with what the applicant entered.
 */
import type { Gender, IdType } from '../../typings/api';
import { isDay } from './dates';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
/**
 * Province-level codes of GB/T 2260 that appear on mainland resident identity cards. 71 (Taiwan) is
 * a GB/T 2260 code but no mainland card carries it; 81/82/83 are not resident cards at all but
 * HK / Macau / Taiwan residence permits (see RESIDENCE_PERMIT_REGIONS).
 */
const MAINLAND_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65,
]);
/** 港澳台居民居住证 (2018): the address code is exactly one of these; the rest follows GB 11643. */
const RESIDENCE_PERMIT_REGIONS = ['810000', '820000', '830000'];

/** Whitespace of any kind (incl. U+3000 ideographic space, NBSP) and zero-width characters. */
const BLANKS = /[\s\u200B-\u200D\u2060\uFEFF]/g;
/** ASCII hyphen-minus, soft hyphen, the Unicode hyphens and dashes, minus sign, small and full-width hyphen-minus. */
const DASHES = /[-\u00AD\u2010-\u2015\u2212\u2E3A\u2E3B\uFE58\uFE63\uFF0D]/g;

/**
 * The cleaning every code typed by a person gets before it is checked, compared or hashed:
 * full-width ASCII (ＡＢ１２) becomes half-width, whitespace (incl. full-width space) and dashes go,
 * letters are upper-cased. Shared by ID numbers and credit codes so both clean input the same way.
 */
export function cleanCode(raw: unknown): string {
  return String(raw ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(BLANKS, '')
    .replace(DASHES, '')
    .toUpperCase();
}

/**
 * The one canonical form of an identity-document number, the form that is checked, stored, masked
 * and hashed, so one number written two ways is still one person: `cleanCode`, and a Hong Kong or
 * Macau identity card's check digit loses its parentheses (`A123456(3)` → `A1234563`,
 * `1234567(8)` → `12345678`).
 */
export function normalizeIdNumber(raw: string): string {
  const id = cleanCode(raw);
  const hk = /^([A-Z]{1,2}\d{6})\(([0-9A])\)$/.exec(id) || /^([157]\d{6})\((\d)\)$/.exec(id);
  return hk ? hk[1] + hk[2] : id;
}

/** Is this (normalised) number shaped like a 港澳台居民居住证 number: 810000/820000/830000 + 12? */
export function isResidencePermit(id: string): boolean {
  return /^8[123]0000\d{11}[\dX]$/.test(id);
}

export interface ResidentIdInfo {
  birthDate: string;
  gender: Gender;
}

/** The check character a 17-digit body should end with (GB 11643, ISO 7064 MOD 11-2). */
export function residentCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * Parse an 18-character GB 11643 number: a mainland resident identity card (二代居民身份证) or a
 * HK / Macau / Taiwan residence permit (810000/820000/830000, same layout). Returns the derived
 * facts, or a Chinese reason. Which of the two an `idType` accepts is `checkIdNumber`'s business.
 * `today` bounds the birth date (no one is born in the future).
 */
export function parseResidentId(
  raw: string,
  today: string,
): { ok: true; info: ResidentIdInfo } | { ok: false; reason: string } {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: '身份证号应为18位，最后一位可以是数字或X' };
  const province = Number(id.slice(0, 2));
  if (province >= 81 && province <= 83) {
    if (!RESIDENCE_PERMIT_REGIONS.includes(id.slice(0, 6)))
      return { ok: false, reason: '港澳台居民居住证号码的地区码应为810000、820000或830000' };
  } else if (!MAINLAND_PROVINCES.has(province)) return { ok: false, reason: '身份证号的地区码不正确' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isDay(birthDate) || birthDate > today || birthDate < '1900-01-01')
    return { ok: false, reason: '身份证号中的出生日期不正确' };
  if (residentCheckChar(id.slice(0, 17)) !== id[17])
    return { ok: false, reason: '身份证号校验位不正确，请核对是否输错' };
  return { ok: true, info: { birthDate, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' } };
}

/** Hong Kong identity card, canonical form (no parentheses): 1–2 letters, 6 digits, check 0–9/A. */
function hongKongOk(id: string): boolean {
  const m = /^([A-Z]{1,2})(\d{6})([0-9A])$/.exec(id);
  if (!m) return false;
  const letters = m[1].length === 1 ? ' ' + m[1] : m[1];
  const val = (c: string) => (c === ' ' ? 36 : c.charCodeAt(0) - 55);
  let sum = val(letters[0]) * 9 + val(letters[1]) * 8;
  for (let i = 0; i < 6; i++) sum += Number(m[2][i]) * (7 - i);
  const rem = (11 - (sum % 11)) % 11;
  return m[3] === (rem === 10 ? 'A' : String(rem));
}

function taiwanOk(id: string): boolean {
  if (!/^[A-Z][12]\d{8}$/.test(id)) return false;
  const codes = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
  const n = codes.indexOf(id[0]) + 10;
  let sum = Math.floor(n / 10) + (n % 10) * 9;
  for (let i = 1; i < 9; i++) sum += Number(id[i]) * (9 - i);
  sum += Number(id[9]);
  return sum % 10 === 0;
}

/** Validate any accepted identity document; returns a Chinese reason when it is not acceptable. */
export function checkIdNumber(idType: IdType, raw: string, today: string): string | null {
  const id = normalizeIdNumber(raw);
  if (!id) return '请填写证件号码';
  if (idType === 'resident') {
    // 81/82/83 numbers are residence permits, not resident identity cards.
    if (/^8[123]\d{15}[\dX]$/.test(id))
      return isResidencePermit(id) ? '港澳台居民居住证请选择证件类型“港澳台证件”' : '身份证号的地区码不正确';
    const r = parseResidentId(id, today);
    return r.ok ? null : r.reason;
  }
  if (idType === 'hmt') {
    // 港澳台居民居住证 (18 characters, 810000/820000/830000) or the HK / Macau / Taiwan identity card itself.
    if (/^\d{17}[\dX]$/.test(id)) {
      if (!isResidencePermit(id)) return '港澳台居民居住证号码应以810000、820000或830000开头';
      const r = parseResidentId(id, today);
      return r.ok ? null : r.reason;
    }
    if (hongKongOk(id) || /^[157]\d{7}$/.test(id) || taiwanOk(id)) return null;
    return '港澳台证件号码格式不正确';
  }
  return /^[A-Z0-9]{5,20}$/.test(id) ? null : '证件号码应为5-20位字母或数字';
}

/**
 * Mask an ID number for display: the first 4 and the last 4 characters stay (SPEC §3.5,
 * `4401**********123X`); short numbers keep the first and last character only.
 */
export function maskIdNumber(raw: string): string {
  const id = normalizeIdNumber(raw);
  if (id.length >= 12) return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
  if (id.length <= 2) return '*'.repeat(id.length);
  return id[0] + '*'.repeat(id.length - 2) + id[id.length - 1];
}

/** Mask a name for someone who is not its holder: 张三 → 张*, 欧阳娜娜 → 欧**娜. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  if (chars.length === 2) return chars[0] + '*';
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** Mask a phone number: 138****5678. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? phone.slice(0, 3) + '****' + phone.slice(7) : phone;
}
