/** The dashboard against a world with known counts (issue 12): forms per status/type/month, people per band. */
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { apply, ok, profile } from '../support/journey';
import { addMember } from '../support/people';
import { err, SECRETARIAT } from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

test('when the world holds known people and forms, then the dashboard counts them exactly', async () => {
  const today = shanghaiDay();
  // The demo world: one member born 1988 (bachelor, a valid 监理员 certificate). Add two of 25, one of 55.
  const young = addYears(today, -25);
  for (let i = 0; i < 2; i++)
    await addMember({ birthDate: young, education: { level: 'master', school: '示例大学', major: '土木工程', graduatedOn: '2020-07-01' }, certs: [{ type: '安全监理员' }] });
  await addMember({ birthDate: addYears(today, -55), education: { level: 'college', school: '示例学院', major: '工程管理', graduatedOn: '1992-07-01' }, certs: [{ type: '监理员', status: 'cancelled' }] });
  ok(await apply(sys, 'wx-stats-1', profile({}, '1990-02-02')));
  ok(await apply(sys, 'wx-stats-2', profile({}, '1991-03-03')));
  const s = ok(await sys.call('admin', { action: 'stats' }, SECRETARIAT));
  expect(s.forms.byStatus.unit_review).toBe(2);
  expect(s.forms.byType.join).toBe(2);
  expect(s.forms.byMonth).toHaveLength(12);
  expect(s.forms.byMonth[11]).toEqual({ month: today.slice(0, 7), count: 2 });
  const age = Object.fromEntries(s.people.byAge.map((b: any) => [b.band, b.count]));
  const demoAge = Number(today.slice(0, 4)) - 1988 - (today.slice(5) < '03-15' ? 1 : 0);
  expect(age['18–30岁']).toBe(2);
  expect(age['51–60岁']).toBe(1);
  expect(age[demoAge <= 40 ? '31–40岁' : '41–50岁']).toBe(1);
  expect(s.people.byEducation).toMatchObject({ master: 2, bachelor: 1, college: 1 });
  const certs = Object.fromEntries(s.people.byCertificateType.map((c: any) => [c.type, c.count]));
  expect(certs).toEqual({ 监理员: 1, 专业监理工程师: 0, 安全监理员: 2 });
  // A date range narrows the form counts; others than the secretariat and the association are refused.
  const none = ok(await sys.call('admin', { action: 'stats', from: addYears(today, -3), to: addYears(today, -2) }, SECRETARIAT));
  expect(none.forms.byType.join).toBe(0);
  expect(ok(await sys.call('admin', { action: 'stats' }, 'demo-assoc-reviewer')).forms.byType.join).toBe(2);
  expect(err(await sys.call('admin', { action: 'stats' }, 'demo-unit-a-admin'))).toBe('FORBIDDEN');
});
