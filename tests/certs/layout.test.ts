/**
 * The certificate's bottom-right block (issue 13): the seal sits beside the issuer's name and the
 * date, never over them — for a short name and for the longest the line takes (shrunk to fit).
 */
import { certificateSvg, textWidth } from '../../cloudfunctions/certs/render';

const base = {
  holderName: '李建国',
  gender: 'male' as const,
  idMasked: '4401**********1234',
  type: '监理员',
  no: 'JLY2026000001',
  specialties: ['房屋建筑工程'],
  unitName: '示例监理有限公司',
  firstIssuedOn: '2025-12-02',
  validUntil: '2028-12-02',
  verifyUrl: 'https://example.com/cert-verify?t=abc',
  generatedAt: new Date('2026-12-02T10:00:00+08:00'),
};

test.each(['示例省建设监理协会', '中国设备监理协会（演示）广东省分会设备监理专业委员会'])('when the issuer is “%s”, then its line ends left of the seal', (issuer) => {
  const svg = certificateSvg({ ...base, issuer });
  const seal = /<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/.exec(svg);
  expect(seal).toBeTruthy();
  const [cx, , r] = seal!.slice(1).map(Number);
  // The issuer line: its glyph group's left edge (translate x) and its scale give its right edge.
  const line = [...svg.matchAll(/<g fill="#1f1f1f" transform="translate\(([\d.]+) 852\) scale\(([\d.]+) /g)];
  expect(line).toHaveLength(1);
  const left = Number(line[0][1]);
  const full = textWidth(`发证单位：${issuer}`, 28, 'serif');
  const width = Math.min(full, 620);
  expect(left + width).toBeLessThanOrEqual(cx - r);
  // And the date below it too.
  const date = [...svg.matchAll(/transform="translate\(([\d.]+) 894\)/g)];
  expect(date).toHaveLength(1);
  expect(Number(date[0][1]) + textWidth('2026-12-02', 22)).toBeLessThanOrEqual(cx - r);
});
