/**
 * The legacy import (issue 5, SPEC §5 "Legacy import file"), run as users run it — the CLI of
 * `npm run import` in a child process — on generated .xlsx files with good and bad rows, against a
 * real data directory; then the local system is started on that directory and the imported people
 * and certificates are found through the cloud functions.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { residentCheckChar } from '../../miniprogram/shared/id-number';
import { LocalServer, startLocalServer } from '../../local/server';
import { badChecksum, validIdNumber } from '../support/fixtures';
import { httpRequest } from '../support/local-system';
import { creditCode, LegacyFile, writeLegacyFile } from './legacy-file';

const ROOT = join(__dirname, '..', '..');
const ORG = '示例市建设监理行业协会';
let dir: string;

interface Report {
  dryRun: boolean;
  sheets: Record<'单位' | '人员' | '证书', { rows: number; bad: number; inserted: number; updated: number; unchanged: number }>;
  problems: { sheet: string; row: number; reason: string }[];
  warnings: { sheet: string; row: number; reason: string }[];
}

/** `npm run import -- FILE --data-dir DIR --json …` in a child process. */
function runCli(file: string, ...args: string[]): { code: number; report: Report | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'import.ts'), file, '--data-dir', dir, '--json', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // A clean environment: earlier test files in this worker may have left a local server's
    // MSP_LOCAL_SERVICE_URL / MSP_SECRET in process.env, which the CLI must not inherit.
    env: Object.fromEntries(Object.entries({ ...process.env, TZ: 'Asia/Shanghai' }).filter(([k]) => !k.startsWith('MSP_'))),
    timeout: 120_000,
  });
  const last = r.stdout.trim().split('\n').pop() || '';
  return { code: r.status ?? -1, report: last.startsWith('{') ? (JSON.parse(last) as Report) : null, stderr: r.stderr };
}

const today = shanghaiDay();
const future = addYears(today, 2);
const past = addYears(today, -1);
const excelDate = (day: string) => new Date(`${day}T00:00:00Z`);
const id = (birth: string, gender: 'male' | 'female', seq: number) => validIdNumber(birth, gender, seq);
// The demo world's member (李建国, unit A), already in the database before the import.
const DEMO_ID = '44010619880315123' + residentCheckChar('44010619880315123');

const P = {
  good1: id('1985-04-12', 'male', 31),
  good2: id('1990-09-30', 'female', 32),
  good3: id('1978-01-02', 'male', 33),
  good4: id('1995-12-24', 'female', 34),
  rare: id('1982-06-06', 'male', 35),
  noUnit: id('1970-03-03', 'female', 36),
  wrongGender: id('1988-08-08', 'male', 37),
  unknownUnit: id('1991-01-01', 'male', 38),
  badUnitRow: id('1992-02-02', 'female', 39),
};

function file(): LegacyFile {
  return {
    units: [
      { 单位名称: '导入一监理有限公司', 统一社会信用代码: creditCode(101), 是否会员: '是', 会籍有效期: excelDate(future), 初审机构: ORG }, // row 2
      { 单位名称: '导入二工程咨询有限公司', 统一社会信用代码: creditCode(102), 是否会员: '否', 初审机构: ORG }, // row 3
      { 单位名称: '校验位错误公司', 统一社会信用代码: creditCode(103).slice(0, 17) + (creditCode(103).endsWith('0') ? '1' : '0'), 是否会员: '否', 初审机构: ORG }, // row 4
      { 单位名称: '重复代码公司', 统一社会信用代码: creditCode(101), 是否会员: '否', 初审机构: ORG }, // row 5
      { 单位名称: '无机构公司', 统一社会信用代码: creditCode(104), 是否会员: '否', 初审机构: '不存在的协会' }, // row 6
      { 单位名称: '缺有效期公司', 统一社会信用代码: creditCode(105), 是否会员: '是', 初审机构: ORG }, // row 7
    ],
    people: [
      { 姓名: '赵建华', 性别: '男', 身份证号: P.good1, 手机号码: '13911110001', 工作单位: '导入一监理有限公司', 学历: '本科', 毕业院校: '示例大学', 所学专业: '土木工程', 毕业时间: excelDate('2008-07-01'), 职称: '工程师', 普通会籍有效期: future, 入会日期: '2023-03-11' }, // row 2
      { 姓名: '钱秀英', 性别: '女', 身份证号: P.good2, 手机号码: '13911110002', 工作单位: '导入二工程咨询有限公司', 学历: '硕士', 普通会籍有效期: excelDate(future), 专业会籍有效期: past, 入会日期: excelDate('2024-05-06') }, // row 3
      { 姓名: '孙强', 性别: '男', 身份证号: P.good3, 工作单位: '示例监理有限公司', 学历: '大专', 普通会籍有效期: future }, // row 4: a unit already in the system
      { 姓名: '李娜', 性别: '女', 身份证号: P.good4.toLowerCase(), 工作单位: '导入一监理有限公司' }, // row 5
      { 姓名: '𠮷野', 性别: '男', 身份证号: P.rare, 工作单位: '导入一监理有限公司' }, // row 6: imported with a warning
      { 姓名: '周无单位', 性别: '女', 身份证号: P.noUnit }, // row 7: no unit (自由态)
      { 姓名: '吴校验', 性别: '男', 身份证号: badChecksum(id('1975-05-05', 'male', 42)) }, // row 8
      { 姓名: '郑性别', 性别: '女', 身份证号: P.wrongGender, 工作单位: '导入一监理有限公司' }, // row 9
      { 姓名: '王数字', 性别: '男', 身份证号: 440106199001011234, 工作单位: '导入一监理有限公司' }, // row 10: stored as a number
      { 姓名: '冯无此单位', 性别: '男', 身份证号: P.unknownUnit, 工作单位: '查无此单位' }, // row 11
      { 姓名: '陈坏单位', 性别: '女', 身份证号: P.badUnitRow, 工作单位: '校验位错误公司' }, // row 12
      { 姓名: '赵重复', 性别: '男', 身份证号: P.good1, 工作单位: '导入一监理有限公司' }, // row 13: duplicate ID
      { 姓名: '褚手机', 性别: '男', 身份证号: id('1983-03-03', 'male', 40), 手机号码: '12345', 学历: '小学', 毕业时间: '2020-13-01' }, // row 14
    ],
    certs: [
      { 证书编号: 'IMP2024000001', 身份证号: P.good1, 证书类型: '监理员', 专业1: '房屋建筑工程', 专业2: '市政公用工程', 初次发证日期: excelDate('2024-01-15'), 证书有效期: future, 证书状态: '有效' }, // row 2
      { 证书编号: 'IMP2024000002', 身份证号: P.good1, 证书类型: '安全监理员', 初次发证日期: '2021-03-01', 上次换证日期: '2022-03-01', 证书有效期: future, 证书状态: '注销' }, // row 3
      { 证书编号: 'IMP2024000003', 身份证号: P.good2, 证书类型: '专业监理工程师', 专业1: '机电安装工程', 初次发证日期: '2019-06-01', 证书有效期: past, 证书状态: '过期' }, // row 4
      { 证书编号: 'imp2024000004', 身份证号: P.good3, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 5: lower-case number, no status (有效)
      { 证书编号: 'IMP2024000005', 身份证号: DEMO_ID, 证书类型: '安全监理员', 初次发证日期: '2023-06-01', 证书有效期: future, 证书状态: '有效' }, // row 6: holder already in the system
      { 证书编号: 'IMP2024000006', 身份证号: P.rare, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 7
      { 证书编号: 'IMP2024000001', 身份证号: P.good2, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 8: duplicate number
      { 证书编号: 'IMP2024000009', 身份证号: id('1960-01-01', 'male', 41), 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 9: unknown holder
      { 证书编号: 'IMP2024000010', 身份证号: P.wrongGender, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 10: holder's row is bad
      { 证书编号: 'IMP2024000011', 身份证号: P.good2, 证书类型: '高级监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 11: type
      { 证书编号: 'IMP2024000012', 身份证号: P.good2, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: '2022-01-01' }, // row 12: ends before it starts
      { 证书编号: 'IMP2024000013', 身份证号: P.good2, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future, 证书状态: '过期' }, // row 13
      { 证书编号: '监理证001', 身份证号: P.good2, 证书类型: '监理员', 初次发证日期: '2023-06-01', 证书有效期: future }, // row 14
      { 证书编号: 'IMP2024000015', 身份证号: P.good2, 证书类型: '监理员', 证书有效期: future }, // row 15: no first issue date
    ],
  };
}

let server: LocalServer | null = null;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'msp-import-'));
  // A data directory with the demo world (its service organisation, unit A and 李建国), as `npm start` leaves it.
  const s = await startLocalServer({ dataDir: dir, port: 0, instances: 1 });
  await s.close();
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const reasonsAt = (r: Report, sheet: string, row: number) => r.problems.filter((p) => p.sheet === sheet && p.row === row).map((p) => p.reason).join('；');

describe('importing the old system’s export', () => {
  const path = () => join(dir, 'legacy.xlsx');

  test('when the file is checked with --dry-run, then every bad row is reported with its sheet, row and reason, and nothing is written', async () => {
    await writeLegacyFile(path(), file());
    const first = runCli(path(), '--dry-run', '--report', join(dir, 'report.csv'));
    expect({ code: first.code, stderr: first.code === 2 ? '' : first.stderr.slice(-800) }).toEqual({ code: 2, stderr: '' });
    const r = first.report as Report;
    expect(r.dryRun).toBe(true);
    expect(r.sheets.单位).toMatchObject({ rows: 6, bad: 4, inserted: 2 });
    expect(r.sheets.人员).toMatchObject({ rows: 13, bad: 7, inserted: 6 });
    expect(r.sheets.证书).toMatchObject({ rows: 14, bad: 8, inserted: 6 });
    expect(reasonsAt(r, '单位', 4)).toMatch(/校验位/);
    expect(reasonsAt(r, '单位', 5)).toMatch(/与第2行重复/);
    expect(reasonsAt(r, '单位', 6)).toMatch(/初审机构“不存在的协会”不存在/);
    expect(reasonsAt(r, '单位', 7)).toMatch(/会籍有效期/);
    expect(reasonsAt(r, '人员', 8)).toMatch(/校验位/);
    expect(reasonsAt(r, '人员', 9)).toMatch(/性别“女”与身份证号不一致/);
    expect(reasonsAt(r, '人员', 10)).toMatch(/存成了数字/);
    expect(reasonsAt(r, '人员', 11)).toMatch(/工作单位“查无此单位”不存在/);
    expect(reasonsAt(r, '人员', 12)).toMatch(/工作单位“校验位错误公司”在单位表中有误/);
    expect(reasonsAt(r, '人员', 13)).toMatch(/与第2行重复/);
    expect(reasonsAt(r, '人员', 14)).toMatch(/手机号码/);
    expect(reasonsAt(r, '人员', 14)).toMatch(/学历/);
    expect(reasonsAt(r, '人员', 14)).toMatch(/毕业时间/);
    expect(reasonsAt(r, '证书', 8)).toMatch(/与第2行重复/);
    expect(reasonsAt(r, '证书', 9)).toMatch(/持证人不存在/);
    expect(reasonsAt(r, '证书', 10)).toMatch(/持证人（人员表第9行）有误/);
    expect(reasonsAt(r, '证书', 11)).toMatch(/证书类型“高级监理员”/);
    expect(reasonsAt(r, '证书', 12)).toMatch(/有效期早于初次发证日期/);
    expect(reasonsAt(r, '证书', 13)).toMatch(/还未到/);
    expect(reasonsAt(r, '证书', 14)).toMatch(/证书编号/);
    expect(reasonsAt(r, '证书', 15)).toMatch(/初次发证日期不能为空/);
    expect(r.warnings).toEqual([{ sheet: '人员', row: 6, reason: expect.stringContaining('“𠮷”') }]);
    const csv = readFileSync(join(dir, 'report.csv'), 'utf8');
    expect(csv).toContain('人员,10,有误未导入');
    expect(csv).toContain('人员,6,提醒');
    // Nothing was written: a second dry run still plans to insert everything.
    expect(runCli(path(), '--dry-run').report?.sheets).toEqual(r.sheets);
  }, 120_000);

  test('when the file is imported, then the good rows load and the bad rows are left out; run again, nothing changes', async () => {
    const run1 = runCli(path());
    expect(run1.code).toBe(2);
    const r1 = run1.report as Report;
    expect(r1.dryRun).toBe(false);
    expect(r1.sheets.单位).toMatchObject({ bad: 4, inserted: 2, updated: 0 });
    expect(r1.sheets.人员).toMatchObject({ bad: 7, inserted: 6, updated: 0 });
    expect(r1.sheets.证书).toMatchObject({ bad: 8, inserted: 6, updated: 0 });

    const run2 = runCli(path());
    const r2 = run2.report as Report;
    expect(r2.sheets.单位).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(r2.sheets.人员).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
    expect(r2.sheets.证书).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
    expect(r2.problems).toEqual(r1.problems);
  }, 120_000);

  test('when a corrected file is imported, then only what changed is updated, and nothing is duplicated', async () => {
    const f = file();
    f.people[0]['手机号码'] = '13922220001';
    f.units[1]['是否会员'] = '是';
    f.units[1]['会籍有效期'] = future;
    f.certs[0]['证书有效期'] = addYears(future, 1);
    await writeLegacyFile(path(), f);
    const r = runCli(path()).report as Report;
    expect(r.sheets.单位).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(r.sheets.人员).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
    expect(r.sheets.证书).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
  }, 120_000);

  test('when the file lacks a sheet or a required column, then nothing runs and the message says what is missing', async () => {
    const noSheet = join(dir, 'no-sheet.xlsx');
    await writeLegacyFile(noSheet, file(), { sheets: ['单位', '人员'] });
    const a = runCli(noSheet);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/缺少工作表：证书/);
    const noColumn = join(dir, 'no-column.xlsx');
    await writeLegacyFile(noColumn, file(), { omit: ['证书编号'] });
    const c = runCli(noColumn);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/“证书”表缺少列：证书编号/);
    const notXlsx = join(dir, 'not.xlsx');
    writeFileSync(notXlsx, 'hello');
    const b = runCli(notXlsx);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/无法读取文件/);
  }, 120_000);
});

describe('what the import loaded, through the cloud functions', () => {
  beforeAll(async () => {
    server = await startLocalServer({ dataDir: dir, port: 0, seed: false, instances: 2 });
  }, 60_000);
  const call = async (fn: string, data: Record<string, unknown>, openid: string) => {
    const r = await httpRequest(`${server!.url}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body: JSON.stringify(data),
    });
    return JSON.parse(r.body.toString('utf8'));
  };

  test('when an imported person looks up by name and ID number, then the imported certificates are found with live status and the ID masked', async () => {
    const r = await call('cert-lookup', { action: 'lookup', name: '赵建华', idNumber: P.good1 }, 'imported-1');
    expect(r.ok).toBe(true);
    const byNo = Object.fromEntries(r.data.items.map((c: any) => [c.no, c]));
    expect(byNo.IMP2024000001).toMatchObject({ type: '监理员', specialties: ['房屋建筑工程', '市政公用工程'], unitName: '导入一监理有限公司', status: 'valid', firstIssuedOn: '2024-01-15', validUntil: addYears(future, 1) });
    expect(byNo.IMP2024000002).toMatchObject({ status: 'cancelled', renewedOn: '2022-03-01' });
    expect(byNo.IMP2024000001.idMasked).toBe(P.good1.slice(0, 4) + '**********' + P.good1.slice(-4));
    const expired = await call('cert-lookup', { action: 'lookup', certNo: 'IMP2024000003' }, 'imported-2');
    expect(expired.data.items[0]).toMatchObject({ status: 'expired', holderName: '钱秀英' });
    const lower = await call('cert-lookup', { action: 'lookup', certNo: 'IMP2024000004' }, 'imported-3');
    expect(lower.data.items[0]).toMatchObject({ holderName: '孙强', unitName: '示例监理有限公司' });
  });

  test('when unit A’s admin exports the roster, then people imported into unit A and the certificate of its existing member are in it; their e-certificates render', async () => {
    const r = await call('certs', { action: 'export' }, 'demo-unit-a-admin');
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({ people: 2, rows: 3 }); // 李建国 (2 certificates now) and 孙强
    const preview = await call('certs', { action: 'preview', filter: { hasCertificate: true } }, 'demo-unit-a-admin');
    expect(preview.data).toMatchObject({ people: 2, certificates: 3, downloadable: 3 });
    const look = await call('cert-lookup', { action: 'lookup', certNo: 'IMP2024000005' }, 'imported-4');
    const e = await call('certs', { action: 'ecert', certId: look.data.items[0].id }, 'demo-unit-a-admin');
    expect(e.ok).toBe(true);
    expect(e.data.fileName).toBe('李建国-IMP2024000005.png');
  });
});
