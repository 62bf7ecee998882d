/**
 * 待办 (notices.todo): the home page's counts, by role and scope, through the real functions. Each
 * count is checked by what changes when work arrives or leaves, so the demo world's own forms do
 * not matter: a join application adds one to unit A's 单位预审 and nothing to unit B's; its
 * pre-review moves it to the unpaid bill and then to the organisation's 机构初审; a membership ending
 * within 30 days counts for its unit only; a member sees no staff counts at all.
 */
import { addDays, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ADMIN_A, ADMIN_B, apply, ASSOC, FINANCE, ok, ORG, profile } from '../support/journey';
import { addMember } from '../support/people';
import { SECRETARIAT } from '../support/accounts';
import { jpeg } from '../support/fixtures';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const todo = async (who: string) => ok(await sys.call('notices', { action: 'todo' }, who));

test('when work arrives and moves on, then each role’s 待办 count follows it, in its own scope only', async () => {
  const [a0, b0, org0, assoc0, fin0] = await Promise.all([todo(ADMIN_A), todo(ADMIN_B), todo(ORG), todo(ASSOC), todo(FINANCE)]);
  expect(Object.keys(a0.stages).sort()).toEqual(['awaiting_payment', 'unit_review']);
  expect(Object.keys(org0.stages)).toEqual(['org_review']);
  expect(Object.keys(assoc0.stages)).toEqual(['assoc_review']);
  expect(Object.keys(fin0.stages)).toEqual(['finance_review']);
  expect(org0.unpaidBills).toBeUndefined();
  expect(org0.uninvoiced).toBeUndefined();

  const formId = ok(await apply(sys, `todo-applicant-${Date.now()}`, profile())).formId;
  const a1 = await todo(ADMIN_A);
  expect(a1.stages.unit_review).toBe(a0.stages.unit_review + 1);
  expect((await todo(ADMIN_B)).stages.unit_review).toBe(b0.stages.unit_review);

  ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
  const a2 = await todo(ADMIN_A);
  expect(a2.stages.unit_review).toBe(a0.stages.unit_review);
  expect(a2.unpaidBills).toBe(a0.unpaidBills + 1);
  expect(a2.stages.awaiting_payment).toBe(a0.stages.awaiting_payment + 1);
  expect((await todo(ADMIN_B)).unpaidBills).toBe(b0.unpaidBills);

  const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
  const receipt = await sys.upload(jpeg(200, 300), `uploads/todo-${formId}.jpg`, ADMIN_A, 'receipt');
  ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
  expect((await todo(ADMIN_A)).unpaidBills).toBe(a0.unpaidBills);
  expect((await todo(ORG)).stages.org_review).toBe(org0.stages.org_review + 1);
  expect((await todo(FINANCE)).uninvoiced).toBe(fin0.uninvoiced + 1); // paid: 待开票

  ok(await sys.call('review', { action: 'return', formId, reason: '请补充学历证书扫描件' }, ORG));
  expect((await todo(ORG)).stages.org_review).toBe(org0.stages.org_review);
});

test('when a membership ends within 30 days, then its unit counts it as 即将到期 — not one ending later, not a lapsed one, not another unit’s', async () => {
  const today = shanghaiDay();
  const before = (await todo(ADMIN_A)).expiring;
  const beforeB = (await todo(ADMIN_B)).expiring;
  await addMember({ ordinaryUntil: addDays(today, 10) });
  await addMember({ ordinaryUntil: today });
  await addMember({ ordinaryUntil: addDays(today, 31) });
  await addMember({ ordinaryUntil: addDays(today, -1) });
  await addMember({ ordinaryUntil: addDays(today, -1), professionalUntil: addDays(today, 30) });
  expect((await todo(ADMIN_A)).expiring).toBe(before + 3);
  expect((await todo(ADMIN_B)).expiring).toBe(beforeB);
});

test('when a member or a stranger asks, then there is nothing of anyone else’s to count; the secretariat counts the units holders asked for', async () => {
  expect(await todo('demo-member-1')).toEqual({ stages: {} });
  expect(await todo(`todo-stranger-${Date.now()}`)).toEqual({ stages: {} });
  const before = (await todo(SECRETARIAT)).unitRequests;
  expect(typeof before).toBe('number');
  await database()
    .collection(C.unitRequests)
    .add({ data: { name: '待办测试单位', creditCode: '91110000MA00000000', status: 'pending', openid: 'x', createdAt: new Date() } });
  expect((await todo(SECRETARIAT)).unitRequests).toBe(before + 1);
  expect((await todo(ADMIN_A)).unitRequests).toBeUndefined();
});
