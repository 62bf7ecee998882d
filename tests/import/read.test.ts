/**
 * Reading the legacy file (SPEC §5): headers in any order, Excel dates and text dates, numbers that
 * Excel could not hold exactly — and thousands of Chinese names read back intact (exceljs's
 * streaming reader alone breaks characters that straddle its chunks; read.ts re-cuts them).
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readLegacyFile, utf8Chunks } from '../../scripts/import/read';
import { bigFile, nameOf, writeLegacyFile } from './legacy-file';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'msp-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('when a file holds 3000 Chinese names, then every one reads back exactly (no broken characters at chunk boundaries)', async () => {
  const file = join(dir, 'names.xlsx');
  await writeLegacyFile(file, bigFile(10, 3000));
  const sheets = await readLegacyFile(file);
  expect(sheets.人员).toHaveLength(3000);
  const names = sheets.人员.map((r) => r.cells['姓名'].text);
  expect(names).toEqual(Array.from({ length: 3000 }, (_, n) => nameOf(n)));
  expect(names.join('')).not.toContain('\ufffd');
  expect(sheets.单位.map((r) => r.cells['单位名称'].text)).toEqual(Array.from({ length: 10 }, (_, u) => `导入测试监理公司${u}`));
  expect(sheets.证书).toHaveLength(4000);
});

test('when dates are Excel dates or text and ID numbers are numbers, then dates read as YYYY-MM-DD and unsafe numbers are flagged', async () => {
  const file = join(dir, 'cells.xlsx');
  await writeLegacyFile(file, {
    units: [],
    people: [{ 姓名: '甲', 性别: '男', 身份证号: 440106199001011234, 手机号码: 13800138000, 毕业时间: new Date(Date.UTC(2010, 6, 1)), 入会日期: '2024-03-11' }],
    certs: [],
  });
  const { 人员 } = await readLegacyFile(file);
  expect(人员[0].row).toBe(2);
  expect(人员[0].cells['身份证号'].unsafe).toBe(true);
  expect(人员[0].cells['手机号码']).toEqual({ text: '13800138000' });
  expect(人员[0].cells['毕业时间']).toEqual({ text: '2010-07-01', date: true });
  expect(人员[0].cells['入会日期'].text).toBe('2024-03-11');
});

test('when a multi-byte character is split across chunks, then the re-cut chunks each decode cleanly', async () => {
  const bytes = Buffer.from('证书编号：堃喆𠮷', 'utf8');
  const pieces = [bytes.subarray(0, 4), bytes.subarray(4, 5), bytes.subarray(5, 22), bytes.subarray(22)];
  const out: string[] = [];
  for await (const c of utf8Chunks((async function* () { yield* pieces; })())) out.push(c.toString('utf8'));
  expect(out.join('')).toBe('证书编号：堃喆𠮷');
  expect(out.join('')).not.toContain('\ufffd');
});
