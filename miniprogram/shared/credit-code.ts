/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set (no I, O, Z, S, V).
 *
 *   1      登记管理部门代码: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会,
 *          9 工商 (市场监管), A 中央军委改革和编制办公室, N 农业, Y 其他
 *   2      机构类别代码: a digit (1–9; each department uses its own subset, Y uses only 1)
 *   3–8    登记管理机关行政区划码: six digits of GB/T 2260
 *   9–17   主体标识码 (组织机构代码, GB 11714)
 *   18     check character over the first 17 (weights 3^i mod 31, MOD 31)
 *
 * Choices where the standard leaves room, made with the outside validators (python-stdnum
 * stdnum/cn/uscc.py, stdnum-js src/cn/uscc.ts, hutool CreditCodeUtil) in view:
 * - Position 2 must be a digit 1–9, but the per-department subsets are not enforced (departments
 *   have added categories over time; none of the libraries checks them).
 * - Positions 3–8 must be digits (as python-stdnum and stdnum-js require) whose first two are a
 *   province-level code of GB/T 2260 — the 31 mainland codes plus 71/81/82, which GB/T 2260 lists —
 *   or 10, the `100000` that national-level registering authorities use (e.g. 民政部's
 *   53100000500019795A). 83 is not a GB/T 2260 code (it exists only for residence permits), so it
 *   is refused.
 * - Position 1 may be A, N or Y (python-stdnum and stdnum-js refuse any letter there, which would
 *   refuse real codes of those departments).
 * - The organisation code's own GB 11714 check digit (position 17) is not verified, as none of the
 *   three libraries verifies it; only the GB 32100 check character is.
 */
import { cleanCode } from './id-number';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** First two digits of positions 3–8: national level (10) and the province-level codes of GB/T 2260. */
const REGION_PREFIXES = new Set([
  10, 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
  63, 64, 65, 71, 81, 82,
]);

/**
 * The canonical form of a credit code, cleaned exactly as ID numbers are (`cleanCode`): full-width
 * to half-width, no whitespace (incl. full-width space) or dashes, upper case. Store and compare this.
 */
export function normalizeCreditCode(raw: string): string {
  return cleanCode(raw);
}

/** The check character for a 17-character body, or null when the body has foreign characters. */
export function creditCodeCheckChar(body17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARS.indexOf(body17[i]);
    if (v < 0) return null;
    sum += v * WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return CHARS[c === 31 ? 0 : c];
}

/** A Chinese reason the code is not valid, or null. Input is normalised first (`normalizeCreditCode`). */
export function checkCreditCode(raw: string): string | null {
  const code = normalizeCreditCode(raw);
  if (!/^[0-9A-Z]{18}$/.test(code)) return '统一社会信用代码应为18位数字或大写字母';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return '统一社会信用代码不使用字母I、O、Z、S、V';
  if (!/^[1-9ANY]$/.test(code[0])) return '统一社会信用代码第1位（登记管理部门代码）不正确';
  if (!/^[1-9]$/.test(code[1])) return '统一社会信用代码第2位（机构类别代码）应为数字';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return '统一社会信用代码第3–8位应为行政区划代码（数字）';
  if (!REGION_PREFIXES.has(Number(code.slice(2, 4)))) return '统一社会信用代码第3–8位的行政区划代码不正确';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return '统一社会信用代码校验位不正确';
  return null;
}
