/**
 * 数据统计 (pkg-admin/dashboard; issue 12): the secretariat's and association reviewers' charts
 * drawn from the real `admin.stats` on the demo world plus people added here with known facts; a
 * period narrows the form counts; a unit admin sees the server's refusal.
 */
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { barsOf } from '../../miniprogram/utils/charts';
import { SECRETARIAT } from '../support/accounts';
import { ADMIN_A, apply, ASSOC, ok, profile } from '../support/journey';
import { addMember } from '../support/people';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';

const system = useLocalSystem();

const chart = (page: { data: any }, id: string) => page.data.charts.find((c: any) => c.id === id);
const bar = (page: { data: any }, id: string, label: string) => chart(page, id).bars.find((b: any) => b.label === label);

test('bars share the largest’s width and show each share of the total', () => {
  const { total, bars } = barsOf([
    { key: 'a', label: '甲', count: 3 },
    { key: 'b', label: '乙', count: 1 },
    { key: 'c', label: '丙', count: 0 },
  ]);
  expect(total).toBe(4);
  expect(bars.map((b) => [b.label, b.width, b.share])).toEqual([
    ['甲', 100, '75%'],
    ['乙', 33, '25%'],
  ]);
  expect(barsOf([{ key: 'z', label: '零', count: 0 }], true).bars).toEqual([{ key: 'z', label: '零', count: 0, share: '0%', width: 0 }]);
  // A zero beside others draws no bar at all; a small count still shows a sliver.
  expect(barsOf([{ key: 'a', label: '甲', count: 500 }, { key: 'b', label: '乙', count: 1 }, { key: 'c', label: '丙', count: 0 }], true).bars.map((b) => b.width)).toEqual([100, 2, 0]);
});

test('when the secretariat opens 数据统计, then ages, education and certificate types count the registry; a future period empties the form counts', async () => {
  // Two people in 18–30 with a 安全监理员 certificate each, on top of the demo world's one 31–40 监理员.
  const young = addYears(shanghaiDay(), -25);
  await addMember({ birthDate: young, education: { level: 'master', school: '示例大学', major: '土木工程', graduatedOn: addYears(young, 24) }, certs: [{ type: '安全监理员' }] });
  await addMember({ birthDate: young, education: { level: 'master', school: '示例大学', major: '土木工程', graduatedOn: addYears(young, 24) }, certs: [{ type: '安全监理员' }] });
  // And one application submitted today.
  ok(await apply(system(), newOpenid(), profile({}, '1990-06-15')));
  actAs(system(), SECRETARIAT);
  const page = await openPage('pkg-admin/dashboard/index');
  await page.waitFor(() => !page.data.loading && page.data.charts.length === 6, 'the charts');
  expect(bar(page, 'by-status', '单位预审中').count).toBeGreaterThanOrEqual(1);
  expect(bar(page, 'by-age', '18–30岁').count).toBe(2);
  expect(bar(page, 'by-age', '31–40岁').count).toBe(1);
  expect(bar(page, 'by-education', '硕士').count).toBe(2);
  expect(bar(page, 'by-cert', '安全监理员')).toMatchObject({ count: 2, width: 100 });
  expect(bar(page, 'by-cert', '监理员')).toMatchObject({ count: 1, width: 50 });
  expect(page.text()).toContain('有效证书');
  expect(page.text()).toContain('67%');
  expect(chart(page, 'by-month').bars).toHaveLength(12);

  // A period that has not begun: no forms in it; people and certificates stay as they are.
  await page.pick(addYears(shanghaiDay(), 1), '#period', '#from-picker');
  await page.waitFor(() => !page.data.loading && chart(page, 'by-status').total === 0, 'the empty period');
  expect(bar(page, 'by-cert', '安全监理员').count).toBe(2);
  // A period that ends before it starts is refused on the phone.
  await page.pick(shanghaiDay(), '#period', '#to-picker');
  expect(page.find('#period', '#period-error')!.dom.textContent).toBe('开始日期不能晚于结束日期');
  await page.tap('#period', '#clear-period');
  await page.waitFor(() => !page.data.from && !page.data.loading && chart(page, 'by-status').total >= 1, 'all time again');
});

test('when the association reviewer opens it, it shows; a unit admin sees the refusal', async () => {
  actAs(system(), ASSOC);
  const page = await openPage('pkg-admin/dashboard/index');
  await page.waitFor(() => !page.data.loading && page.data.charts.length === 6, 'the charts');
  actAs(system(), ADMIN_A);
  const other = await openPage('pkg-admin/dashboard/index');
  await other.waitFor(() => !other.data.loading && other.data.error, 'the refusal');
  expect(other.data.error).toContain('权限');
});
