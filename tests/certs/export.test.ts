/**
 * Roster export (issue 5): a real .xlsx made by the built `certs` bundle, downloaded from storage
 * and read back with exceljs — Chinese headers, one row per person-certificate, masked ID numbers,
 * real Excel dates.
 */
import ExcelJS from 'exceljs';
import { addYears } from '../../miniprogram/shared/dates';
import { EXPORT_COLUMNS } from '../../cloudfunctions/certs/export';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { addPerson, addUnit, download, err, today } from './helpers';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(60_000);

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const headers = (ws.getRow(1).values as unknown[]).slice(1);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const out: Record<string, unknown> = {};
    headers.forEach((h, i) => {
      const v = row.getCell(i + 1).value;
      out[String(h)] = v instanceof Date ? v.toISOString().slice(0, 10) : v ?? '';
    });
    rows.push(out);
  });
  return { name: ws.name, headers, rows, ws };
}

test('when a unit admin exports the roster, then an .xlsx with Chinese headers has one row per person-certificate, masked ID numbers and real dates', async () => {
  const u = await addUnit('导出测试监理公司');
  const t = today();
  const a = await addPerson({
    unitId: u.unitId,
    name: '林志强',
    title: '高级工程师',
    certs: [
      { type: '监理员', specialties: ['房屋建筑工程', '市政公用工程'], firstIssuedOn: '2023-04-01', renewedOn: '2024-04-01', validUntil: addYears(t, 1) },
      { type: '安全监理员', status: 'cancelled', firstIssuedOn: '2022-01-05', validUntil: addYears(t, 1) },
    ],
  });
  const b = await addPerson({ unitId: u.unitId, name: '何静', certs: [], memberships: [{ level: 'ordinary', since: '2019-03-11', validUntil: addYears(t, -1) }] });
  await addPerson({ unitId: 'unit-a', name: '外单位人' });

  const r = ok(await sys.call('certs', { action: 'export' }, u.admin));
  expect(r).toMatchObject({ rows: 3, people: 2 });
  expect(r.fileName).toMatch(/^人员花名册-导出测试监理公司-\d{8}\.xlsx$/);
  const file = await download(r.url);
  expect(file.subarray(0, 2).toString('latin1')).toBe('PK'); // an OOXML zip
  const x = await readXlsx(file);
  expect(x.name).toBe('人员证书');
  expect(x.headers).toEqual(EXPORT_COLUMNS.map((c) => c.header));
  expect(x.headers).toEqual(expect.arrayContaining(['姓名', '证件号码', '证书类型', '证书编号', '专业1', '专业2', '初次发证日期', '证书有效期', '证书状态']));
  expect(x.rows).toHaveLength(3);

  const lin = x.rows.filter((row) => row['姓名'] === '林志强');
  expect(lin).toHaveLength(2);
  const jly = lin.find((row) => row['证书类型'] === '监理员') as Record<string, unknown>;
  expect(jly).toMatchObject({
    性别: a.member.gender === 'male' ? '男' : '女',
    证件号码: a.idNumber.slice(0, 4) + '**********' + a.idNumber.slice(-4),
    职称: '高级工程师',
    学历: '本科',
    证书编号: a.certs[0].no,
    专业1: '房屋建筑工程',
    专业2: '市政公用工程',
    初次发证日期: '2023-04-01',
    上次换证日期: '2024-04-01',
    证书有效期: addYears(t, 1),
    证书状态: '有效',
    会籍状态: '有效',
  });
  expect(lin.find((row) => row['证书类型'] === '安全监理员')).toMatchObject({ 证书状态: '已注销', 证书编号: a.certs[1].no });
  // A person without a certificate still has a row, with the certificate columns empty.
  expect(x.rows.find((row) => row['姓名'] === '何静')).toMatchObject({ 证书编号: '', 证书类型: '', 会籍状态: '已过期', 入会日期: '2019-03-11' });
  // Dates are Excel dates, not text.
  const col = (h: string) => EXPORT_COLUMNS.findIndex((c) => c.header === h) + 1;
  let dated = 0;
  x.ws.eachRow((row) => {
    if (row.getCell(col('证书编号')).value !== a.certs[0].no) return;
    expect(row.getCell(col('证书有效期')).value).toBeInstanceOf(Date);
    expect(row.getCell(col('初次发证日期')).numFmt).toBe('yyyy-mm-dd');
    dated++;
  });
  expect(dated).toBe(1);
  // No full ID number anywhere in the workbook.
  for (const row of x.rows) for (const v of Object.values(row)) expect(String(v)).not.toBe(a.idNumber);
  expect(JSON.stringify(x.rows)).not.toContain(b.idNumber);
});

test('when the export is filtered, then only the selected people and certificate type are in it; others may not export', async () => {
  const u = await addUnit();
  await addPerson({ unitId: u.unitId, name: '甲', certs: [{ type: '监理员' }, { type: '安全监理员' }] });
  await addPerson({ unitId: u.unitId, name: '乙', certs: [{ type: '监理员' }] });
  const r = ok(await sys.call('certs', { action: 'export', filter: { certType: '安全监理员' } }, u.admin));
  expect(r).toMatchObject({ rows: 1, people: 1 });
  const x = await readXlsx(await download(r.url));
  expect(x.rows.map((row) => [row['姓名'], row['证书类型']])).toEqual([['甲', '安全监理员']]);
  expect(err(await sys.call('certs', { action: 'export', filter: { name: '没有这个人' } }, u.admin))).toBe('NOT_FOUND');
  expect(err(await sys.call('certs', { action: 'export' }, 'demo-member-1'))).toBe('FORBIDDEN');
});
