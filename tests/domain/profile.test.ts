import { addYears, fullYears, isDay, shanghaiDay, shanghaiIso } from '../../miniprogram/shared/dates';
import { checkProfile, joinAgeProblem, missingJoinFiles } from '../../miniprogram/shared/profile';
import { validIdNumber } from '../support/fixtures';

const TODAY = '2026-11-23';
const base = (birth: string, gender: 'male' | 'female' = 'male') => ({
  name: '王小明',
  gender,
  idType: 'resident' as const,
  idNumber: validIdNumber(birth, gender),
  phone: '13912345678',
});
const education = { level: 'bachelor' as const, school: '示例大学', major: '土木工程', graduatedOn: '2012-07-01' };

describe('joining age (manual 2.1.1: 年龄大于18周岁且不超过65周岁)', () => {
  test('when the person turns 18 today, then it is too early; one day later it is allowed', () => {
    expect(joinAgeProblem('2008-11-23', TODAY)).toMatch(/18/);
    expect(joinAgeProblem('2008-11-22', TODAY)).toBeNull();
  });
  test('when the person is 65, then allowed; on the 66th birthday, refused', () => {
    expect(joinAgeProblem('1960-11-24', TODAY)).toBeNull();
    expect(joinAgeProblem('1960-11-23', TODAY)).toMatch(/65/);
  });
  test('when a profile is checked, then the age rule is reported against the ID number', () => {
    expect(checkProfile(base('2008-11-23'), TODAY, false).errors.idNumber).toMatch(/18/);
    expect(checkProfile(base('2008-11-22'), TODAY, false).errors).toEqual({});
  });
});

describe('profile checks', () => {
  test('when the gender entered disagrees with the ID number, then it is refused', () => {
    const p = { ...base('1990-01-01', 'male'), gender: 'female' as const };
    expect(checkProfile(p, TODAY, false).errors.gender).toMatch(/不一致/);
  });
  test('when a birth date is entered that disagrees with the ID number, then it is refused', () => {
    const p = { ...base('1990-01-01'), birthDate: '1990-01-02' };
    expect(checkProfile(p, TODAY, false).errors.birthDate).toMatch(/不一致/);
  });
  test('when the full code is used, then education is required; the simple code does not ask for it', () => {
    expect(checkProfile(base('1990-01-01'), TODAY, true).errors.education).toBeDefined();
    expect(checkProfile(base('1990-01-01'), TODAY, false).errors).toEqual({});
    expect(checkProfile({ ...base('1990-01-01'), education }, TODAY, true).errors).toEqual({});
  });
  test('when the graduation date is before birth or after today, then it is refused', () => {
    expect(checkProfile({ ...base('1990-01-01'), education: { ...education, graduatedOn: '1989-07-01' } }, TODAY, true).errors['education.graduatedOn']).toBeDefined();
    expect(checkProfile({ ...base('1990-01-01'), education: { ...education, graduatedOn: '2027-07-01' } }, TODAY, true).errors['education.graduatedOn']).toBeDefined();
  });
  test('when name, phone or ID type are malformed, then each field gets its reason', () => {
    const e = checkProfile({ name: 'x', gender: 'male', idType: 'passport' as never, idNumber: '1', phone: '123' }, TODAY, false).errors;
    expect(Object.keys(e).sort()).toEqual(['idType', 'name', 'phone']);
  });
  test('when a rare name character is used, then the name is accepted', () => {
    expect(checkProfile({ ...base('1990-01-01'), name: '王𠮷喆' }, TODAY, false).errors.name).toBeUndefined();
  });
  test('when an HK applicant has no derivable birth date, then it must be entered', () => {
    const p = { name: '陈大文', gender: 'male' as const, idType: 'hmt' as const, idNumber: 'A123456(3)', phone: '13912345678' };
    expect(checkProfile(p, TODAY, false).errors.birthDate).toBeDefined();
    expect(checkProfile({ ...p, birthDate: '1985-06-01' }, TODAY, false).errors).toEqual({});
  });
});

describe('join attachments (manual 2.1.3)', () => {
  test('when the full code is used, then diploma and its verification are required unless a video stands in', () => {
    const ids = { photo: 'cloud://a/p', idFront: 'cloud://a/f', idBack: 'cloud://a/b' };
    expect(Object.keys(missingJoinFiles(ids, 'join')).sort()).toEqual(['files.diploma', 'files.diplomaCheck']);
    expect(missingJoinFiles({ ...ids, video: 'cloud://a/v' }, 'join')).toEqual({});
    expect(missingJoinFiles(ids, 'join-simple')).toEqual({});
    expect(Object.keys(missingJoinFiles({}, 'join-simple')).sort()).toEqual(['files.idBack', 'files.idFront', 'files.photo']);
  });
});

describe('dates in Asia/Shanghai', () => {
  test('when it is 23:30 UTC, then it is already the next day in Shanghai', () => {
    expect(shanghaiDay(Date.parse('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(shanghaiIso(Date.parse('2026-11-23T16:30:00Z'))).toBe('2026-11-24T00:30:00.000+08:00');
  });
  test('when membership starts 2025-03-11 for 3 years, then it ends 2028-03-11 (manual screenshot)', () => {
    expect(addYears('2025-03-11', 3)).toBe('2028-03-11');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(fullYears('1990-11-24', TODAY)).toBe(35);
    expect(isDay('2026-02-29')).toBe(false);
  });
});
