/**
 * What the e-certificate can print (issue 5: "a name character the font lacks is refused before
 * issuing, not printed as a box"): the checked-in glyph table matches the font the renderer uses,
 * rare name characters are in it, and characters outside it are found — by the table and by the
 * renderer's own font check.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { CERT_GLYPH_RANGES, unprintableChars } from '../../cloudfunctions/certs/glyphs';
import { certificateSvg, missingGlyphs, unprintable } from '../../cloudfunctions/certs/render';
import { fontRanges, glyphModule } from './glyph-table';

test('the glyph table is the font’s own coverage (UPDATE_CERT_GLYPHS=1 rewrites it after a font upgrade)', () => {
  const ranges = fontRanges();
  if (process.env.UPDATE_CERT_GLYPHS === '1') writeFileSync(join(__dirname, '../../cloudfunctions/certs/glyphs.ts'), glyphModule(ranges));
  expect([...CERT_GLYPH_RANGES]).toEqual(ranges);
});

test('when a name uses rare characters outside GB2312 that the font has, then they are printable', () => {
  for (const name of ['王堃', '张喆', '李赟', '陈珺', '刘龑', '欧阳娜娜', '阿卜杜·买买提', '昇', '𬌗']) {
    expect(unprintableChars(name)).toEqual(missingGlyphs(name));
  }
  expect(unprintableChars('王堃喆赟珺龑')).toEqual([]);
});

test('when a name has a character the font lacks, then both the table and the renderer name it, and the certificate text is refused', () => {
  expect(unprintableChars('𠮷野家')).toEqual(['𠮷']);
  expect(missingGlyphs('𠮷野家')).toEqual(['𠮷']);
  expect(unprintableChars('A\u{E000}B')).toEqual(['\u{E000}']);
  const base = { holderName: '李建国', type: '监理员', specialties: ['房屋建筑工程'], unitName: '示例监理有限公司', issuer: '示例省建设监理协会' };
  expect(unprintable(base)).toBeNull();
  expect(unprintable({ ...base, holderName: '𠮷田' })).toMatch(/“𠮷”字无法在电子证书上正确显示/);
  expect(unprintable({ ...base, unitName: '𠮷𠮷公司' })).toMatch(/“𠮷”/);
});

test('when the renderer is handed text the font lacks anyway, then it throws instead of drawing a box', () => {
  const art = {
    holderName: '𠮷田',
    gender: 'male' as const,
    idMasked: '4401**********123X',
    type: '监理员',
    no: 'JLY2025000001',
    specialties: ['房屋建筑工程'],
    unitName: '示例监理有限公司',
    firstIssuedOn: '2024-03-01',
    validUntil: '2027-03-01',
    issuer: '示例省建设监理协会',
    verifyUrl: 'https://verify.example.org/?t=JLY2025000001.1AAAAAAAAAAA',
    generatedAt: new Date(),
  };
  expect(() => certificateSvg(art)).toThrow(/unprintable/);
  expect(certificateSvg({ ...art, holderName: '王堃喆' })).toContain('<svg');
});
