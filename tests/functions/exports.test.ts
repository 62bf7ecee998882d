/** Lists as .xlsx (issue 12): what the list shows, in the caller's scope, read back with exceljs. */
import ExcelJS from 'exceljs';
import { LocalSystem, httpRequest, startLocalSystem } from '../support/local-system';
import { ADMIN_A, ADMIN_B, apply, ok, ORG, profile } from '../support/journey';
import { err } from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

async function rowsOf(url: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await httpRequest(url)).body as any);
  return (wb.worksheets[0].getSheetValues().filter(Boolean) as any[]).map((r) => r.slice(1));
}

test('when a unit and a reviewer export the forms list, then each gets what its list shows, with masked ID numbers', async () => {
  const a = ok(await apply(sys, 'wx-export-1', profile({ name: '导出甲' }, '1986-01-01')));
  ok(await sys.call('forms', { action: 'prereview', formId: a.formId, decision: 'approve' }, ADMIN_A));
  ok(await apply(sys, 'wx-export-2', profile({ name: '导出乙' }, '1987-02-02')));
  const mine = ok(await sys.call('forms', { action: 'export' }, ADMIN_A));
  expect(mine.rows).toBe(2);
  const rows = await rowsOf(mine.url);
  expect(rows[0]).toEqual(['单号', '业务类型', '状态', '单位', '人员', '证件号码', '提交时间']);
  expect(rows.slice(1).map((r) => r[4]).sort()).toEqual(['导出乙', '导出甲']);
  expect(rows.slice(1).every((r) => /\*{6,}/.test(r[5]))).toBe(true);
  const pending = ok(await sys.call('forms', { action: 'export', status: 'unit_review' }, ADMIN_A));
  expect(pending.rows).toBe(1);
  expect(ok(await sys.call('forms', { action: 'export' }, ADMIN_B)).rows).toBe(0);
  expect(ok(await sys.call('forms', { action: 'export' }, ORG)).rows).toBe(2);
  expect(err(await sys.call('forms', { action: 'export' }, 'wx-export-1'))).toBe('FORBIDDEN');
  const bills = ok(await sys.call('bills', { action: 'export', status: 'unpaid' }, ADMIN_A));
  expect(bills.rows).toBe(1);
  expect((await rowsOf(bills.url))[1]).toEqual([expect.stringMatching(/^RH-/), '个人会员费', '导出甲', 300, '待缴费', '']);
});
