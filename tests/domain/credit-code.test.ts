/**
 * 统一社会信用代码 against outside vectors (tests/domain/vectors.ts) and against a reference
 * implementation written from GB 32100-2015 rather than from the production code.
 */
import { checkCreditCode, creditCodeCheckChar, normalizeCreditCode } from '../../miniprogram/shared/credit-code';
import { normalizeIdNumber } from '../../miniprogram/shared/id-number';
import {
  mod31,
  USCC_ALPHABET,
  USCC_BY_CHECK,
  USCC_DERIVED_REFUSED,
  USCC_DERIVED_VALID,
  USCC_REFUSED,
  USCC_STDNUM_VALID,
  USCC_VALID,
} from './vectors';

/** mulberry32, as in id-vectors.test.ts. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** GB/T 2260 province-level codes (mainland, 71, 81, 82) and 10 for national-level registration. */
const REGION_PREFIXES = [
  10, 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
  63, 64, 65, 71, 81, 82,
];

/** GB 32100-2015 written out once more, independently of the production code. */
function referenceAccepts(code: string): boolean {
  if (code.length !== 18 || [...code].some((c) => !USCC_ALPHABET.includes(c))) return false;
  if (!'123456789ANY'.includes(code[0])) return false;
  if (!'123456789'.includes(code[1])) return false;
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return false;
  if (!REGION_PREFIXES.includes(Number(code.slice(2, 4)))) return false;
  return mod31(code.slice(0, 17)) === code[17];
}

describe('GB 32100 check characters against published codes', () => {
  test('the published set covers all 31 check characters', () => {
    expect(Object.keys(USCC_BY_CHECK).sort()).toEqual(USCC_ALPHABET.split('').sort());
    for (const [c, code] of Object.entries(USCC_BY_CHECK)) expect(code[17]).toBe(c);
  });

  test.each(Object.entries(USCC_BY_CHECK))('check character %s: %s', (c, code) => {
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(c);
    expect(checkCreditCode(code)).toBeNull();
    // Every other character of the set is refused as a checksum error.
    for (const other of USCC_ALPHABET.replace(c, ''))
      expect(checkCreditCode(code.slice(0, 17) + other)).toMatch(/校验位/);
  });

  test('all 200 codes python-stdnum lists as found online, and the other published ones, are valid', () => {
    expect(USCC_STDNUM_VALID).toHaveLength(200);
    for (const code of [...USCC_STDNUM_VALID, ...USCC_VALID]) {
      expect([code, checkCreditCode(code)]).toEqual([code, null]);
      expect([code, mod31(code.slice(0, 17))]).toEqual([code, code[17]]); // the reference agrees
    }
  });

  test('published invalid codes are refused, with the reason', () => {
    for (const v of USCC_REFUSED)
      expect([v.code, checkCreditCode(v.code)]).toEqual([v.code, expect.stringMatching(v.reason)]);
  });

  test('codes right in their check character but breaking another rule are refused, with the reason', () => {
    for (const v of USCC_DERIVED_REFUSED) {
      expect([v.note, mod31(v.code.slice(0, 17))]).toEqual([v.note, v.code[17]]);
      expect([v.note, checkCreditCode(v.code)]).toEqual([v.note, expect.stringMatching(v.reason)]);
    }
  });

  test('letter departments (A, N, Y) and the GB/T 2260 codes 71/81/82 are accepted', () => {
    for (const code of USCC_DERIVED_VALID) {
      expect([code, mod31(code.slice(0, 17))]).toEqual([code, code[17]]);
      expect([code, checkCreditCode(code)]).toEqual([code, null]);
    }
  });

  test('creditCodeCheckChar refuses a body with characters outside the set', () => {
    expect(creditCodeCheckChar('9111000060003IOZS')).toBeNull();
  });
});

describe('normalisation: a credit code is cleaned as an ID number is', () => {
  test.each([
    '91110000600037341L',
    '91110000600037341l',
    '9 1 110000 600037341L', // python-stdnum's format() example
    ' 91 110000 600037341L ',
    '91-110000-600037341-L',
    '91\u3000110000\u3000600037341L',
    '９１１１００００６０００３７３４１Ｌ',
    '91\u2014110000\u2010600037341\uff0dL',
  ])('%j → 91110000600037341L, valid', (raw) => {
    expect(normalizeCreditCode(raw)).toBe('91110000600037341L');
    expect(normalizeCreditCode(raw)).toBe(normalizeIdNumber(raw));
    expect(checkCreditCode(raw)).toBeNull();
  });

  test('empty and junk input', () => {
    expect(normalizeCreditCode('')).toBe('');
    expect(checkCreditCode('')).toMatch(/18位/);
    expect(checkCreditCode('91110000600037341L9')).toMatch(/18位/);
    expect(checkCreditCode('91110000_00037341L')).toMatch(/18位/);
  });
});

describe('16k random candidates: production agrees with the reference rules', () => {
  const N = 16_384;
  const rand = rng(32100);
  const pick = (s: string) => s[Math.floor(rand() * s.length)];
  const digits = '0123456789';
  const candidates: string[] = [];
  for (let i = 0; i < N; i++) {
    const dept = rand() < 0.85 ? pick('123456789ANY') : pick(USCC_ALPHABET);
    const cat = rand() < 0.9 ? pick('123456789') : pick(USCC_ALPHABET);
    let region: string;
    const r = rand();
    if (r < 0.6) region = String(REGION_PREFIXES[Math.floor(rand() * REGION_PREFIXES.length)]);
    else if (r < 0.85) region = pick(digits) + pick(digits);
    else region = pick(USCC_ALPHABET) + pick(USCC_ALPHABET);
    for (let k = 0; k < 4; k++) region += rand() < 0.95 ? pick(digits) : pick(USCC_ALPHABET);
    let org = '';
    for (let k = 0; k < 9; k++) org += pick(USCC_ALPHABET);
    const body = dept + cat + region + org;
    candidates.push(body + (rand() < 0.6 ? mod31(body) : pick(USCC_ALPHABET)));
  }

  test('creditCodeCheckChar equals the Horner form of Σ Ci·3^(i−1) on every body', () => {
    const wrong = candidates.filter((c) => creditCodeCheckChar(c.slice(0, 17)) !== mod31(c.slice(0, 17)));
    expect(wrong).toEqual([]);
  });

  test('checkCreditCode accepts exactly what the reference accepts', () => {
    const disagree = candidates.filter((c) => (checkCreditCode(c) === null) !== referenceAccepts(c));
    expect(disagree).toEqual([]);
    const accepted = candidates.filter((c) => checkCreditCode(c) === null).length;
    expect(accepted).toBeGreaterThan(N * 0.2);
    expect(accepted).toBeLessThan(N * 0.8);
  });
});
