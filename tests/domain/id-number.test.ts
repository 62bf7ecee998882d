import { checkIdNumber, maskIdNumber, maskName, parseResidentId } from '../../miniprogram/shared/id-number';
import { checkCreditCode, creditCodeCheckChar } from '../../miniprogram/shared/credit-code';
import { badChecksum, validIdNumber } from '../support/fixtures';

const TODAY = '2026-11-23';

describe('mainland ID numbers (GB 11643)', () => {
  test('when the check character is right, then birth date and gender are derived', () => {
    // A published sample number: 11010519491231002X (female, born 1949-12-31).
    const r = parseResidentId('11010519491231002x', TODAY);
    expect(r).toEqual({ ok: true, info: { birthDate: '1949-12-31', gender: 'female' } });
  });

  test('when one digit is mistyped, then the checksum catches it', () => {
    const id = validIdNumber('1990-05-20', 'male');
    expect(parseResidentId(id, TODAY).ok).toBe(true);
    expect(parseResidentId(badChecksum(id), TODAY)).toEqual({ ok: false, reason: expect.stringContaining('校验位') });
    const swapped = id.slice(0, 10) + id[11] + id[10] + id.slice(12);
    if (swapped !== id) expect(parseResidentId(swapped, TODAY).ok).toBe(false);
  });

  test('when the birth date is impossible or in the future, then it is refused', () => {
    const body = '44010619900230123'; // 30 February
    expect(parseResidentId(body + '0', TODAY)).toEqual({ ok: false, reason: expect.stringContaining('出生日期') });
    expect(parseResidentId(validIdNumber('2027-01-01', 'male'), TODAY)).toEqual({ ok: false, reason: expect.stringContaining('出生日期') });
  });

  test('when the length or region is wrong, then it is refused with a reason', () => {
    expect(checkIdNumber('resident', '12345', TODAY)).toMatch(/18位/);
    expect(checkIdNumber('resident', '99' + validIdNumber('1990-01-01', 'male').slice(2), TODAY)).toMatch(/地区码/);
  });

  test('when a HK, Macau or Taiwan document is given, then its own format and check apply', () => {
    expect(checkIdNumber('hmt', 'A123456(3)', TODAY)).toBeNull();
    expect(checkIdNumber('hmt', 'A123456(4)', TODAY)).toMatch(/格式/);
    expect(checkIdNumber('hmt', 'A123456789', TODAY)).toBeNull();
    expect(checkIdNumber('hmt', 'A123456788', TODAY)).toMatch(/格式/);
    expect(checkIdNumber('hmt', '1234567(8)', TODAY)).toBeNull();
  });

  test('when shown, then only the first 4 and last 4 characters remain', () => {
    expect(maskIdNumber('44010619880315123X')).toBe('4401**********123X');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('张三')).toBe('张*');
  });
});

describe('unified social credit codes (GB 32100)', () => {
  test('when the check character matches, then the code is valid; otherwise refused', () => {
    // A real published code: 91350100M000100Y43.
    expect(checkCreditCode('91350100M000100Y43')).toBeNull();
    expect(checkCreditCode('91350100M000100Y44')).toMatch(/校验位/);
    expect(checkCreditCode('91350100M000100Y4')).toMatch(/18位/);
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });
});
