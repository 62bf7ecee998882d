/** 审核: the reviewer's queue per stage, approve with a remark, return with a mandatory reason, CONFLICT. */
import { ADMIN_A, ASSOC, FINANCE, ORG, apply, ok, profile } from '../support/journey';
import { jpeg, validIdNumber } from '../support/fixtures';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';
import { lastNavigation, wxLog } from './support/wx';

const system = useLocalSystem();
let seq = 300;

/** A real application walked through pre-review and payment: waiting at 机构初审. */
async function atOrgReview(name: string) {
  const birth = '1983-08-08';
  const idNumber = validIdNumber(birth, 'male', seq++);
  const { formId } = ok(await apply(system(), newOpenid(), profile({ name, idNumber }, birth)));
  ok(await system().call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
  const form = ok(await system().call('forms', { action: 'get', formId }, ADMIN_A));
  const receipt = await system().upload(jpeg(160, 240, 80, seq), `uploads/receipt/${formId}.jpg`, ADMIN_A, 'receipt');
  ok(await system().call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
  return { formId, idNumber };
}

async function statusOf(formId: string) {
  return ok(await system().call('forms', { action: 'get', formId }, ORG)).status as string;
}

describe('reviewer', () => {
  test('when nothing waits at the finance stage, then the queue shows its empty state', async () => {
    actAs(system(), FINANCE);
    const page = await openPage('pkg-review/queue/index', { stage: 'finance_review' });
    await page.waitForText('当前没有待审核的表单');
    expect(page.text()).toContain('财务复核');
  });

  test('when someone without a reviewer role opens the queue, then they are told they have no review permission', async () => {
    actAs(system(), 'demo-member-1');
    const page = await openPage('pkg-review/queue/index');
    await page.waitForText('您没有审核权限');
  });

  test('when a form waits at 机构初审, then the organisation reviewer sees it in the queue with the count and opens it', async () => {
    const { formId } = await atOrgReview('队列甲');
    actAs(system(), ORG);
    const page = await openPage('pkg-review/queue/index', { stage: 'org_review' });
    await page.waitForText('队列甲');
    expect(page.data.tabs[0].label).toBe(`机构初审 ${page.data.total}`);
    expect(page.text()).toContain(`机构初审 ${page.data.total}`);
    expect(page.text()).toContain('机构初审中');
    const index = page.data.items.findIndex((i: { id: string }) => i.id === formId);
    page.findAll('.item')[index].querySelector('.card').dispatchEvent('tap');
    await page.waitFor(() => wxLog.navigations.length, 'navigation');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-review/form/index', query: { formId } });
  });

  test('when the reviewer approves with a remark, then the form moves to 协会初审 and the trail shows the remark', async () => {
    const { formId, idNumber } = await atOrgReview('通过乙');
    actAs(system(), ORG);
    const page = await openPage('pkg-review/form/index', { formId });
    await page.waitForText('通过乙');
    expect(page.find('#action-bar').dom.textContent).toMatch(/退回.*审核通过/); // in the bar fixed at the bottom
    expect(page.text()).toContain('个人会员会费');
    expect(page.text()).toContain('已缴费待确认');
    // The full ID number only on request (an audited read).
    expect(page.text()).not.toContain(idNumber);
    await page.tap('#detail', '#reveal-0');
    await page.waitForText(idNumber);
    await page.input('资料齐全，同意', '#remark');
    await page.tap('#approve');
    await page.waitForText('已审核通过，表单进入“协会初审中”');
    expect(page.text()).toContain('备注：资料齐全，同意');
    expect(page.find('#approve')).toBeUndefined();
    expect(await statusOf(formId)).toBe('assoc_review');
  });

  test('when the reviewer returns without a reason, then the UI refuses; with a reason the form goes back to the unit', async () => {
    const { formId } = await atOrgReview('退回丙');
    actAs(system(), ORG);
    const page = await openPage('pkg-review/form/index', { formId });
    await page.waitForText('退回丙');
    await page.tap('#return');
    await page.tap('#return-dialog', '#dialog', '.t-dialog__button--confirm');
    expect(page.find('#return-dialog', '#reason-error').dom.textContent).toBe('请填写退回原因');
    expect(await statusOf(formId)).toBe('org_review');

    await page.input('学历验证报告已过期', '#return-dialog', '#reason');
    await page.tap('#return-dialog', '#dialog', '.t-dialog__button--confirm');
    await page.waitForText('已退回，等待单位修改后重新提交');
    expect(page.text()).toContain('退回原因：学历验证报告已过期');
    const form = ok(await system().call('forms', { action: 'get', formId }, ORG));
    expect(form).toMatchObject({ status: 'returned', returned: { to: 'unit', from: 'org_review', reason: '学历验证报告已过期' } });
  });

  test('when the association reviewer refuses the application for good, then 不予通过 needs a reason and ends the form; the organisation stage has no such button', async () => {
    const { formId } = await atOrgReview('不予己');
    actAs(system(), ORG);
    const org = await openPage('pkg-review/form/index', { formId });
    await org.waitForText('不予己');
    expect(org.find('#reject')).toBeUndefined();
    ok(await system().call('review', { action: 'approve', formId }, ORG));

    actAs(system(), ASSOC);
    const page = await openPage('pkg-review/form/index', { formId });
    await page.waitForText('不予己');
    await page.tap('#reject');
    await page.tap('#reject-dialog', '#dialog', '.t-dialog__button--confirm');
    expect(await statusOf(formId)).toBe('assoc_review');
    await page.input('提供的学历证书经核查不实', '#reject-dialog', '#reason');
    await page.tap('#reject-dialog', '#dialog', '.t-dialog__button--confirm');
    await page.waitForText('已不予通过，表单办结');
    expect(page.find('#approve')).toBeUndefined();
    expect(await statusOf(formId)).toBe('rejected');
  });

  test('when another reviewer decided first, then approving shows 已被他人处理 and the page refreshes to the new state', async () => {
    const { formId } = await atOrgReview('冲突丁');
    actAs(system(), ORG);
    const page = await openPage('pkg-review/form/index', { formId });
    await page.waitForText('冲突丁');
    ok(await system().call('review', { action: 'approve', formId, remark: '另一位审核人' }, ORG));
    await page.tap('#approve');
    await page.waitForText('该表单已被他人处理');
    expect(wxLog.toasts).toContain('已被他人处理');
    await page.waitFor(() => page.data.form.status === 'assoc_review', 'refreshed form');
    expect(page.text()).toContain('协会初审中');
    expect(page.find('#approve')).toBeUndefined();
  });

  test('when the form passes the association and finance, then finance sees the receipt and its approval completes the membership', async () => {
    const { formId } = await atOrgReview('入会戊');
    ok(await system().call('review', { action: 'approve', formId }, ORG));
    actAs(system(), ASSOC);
    const assoc = await openPage('pkg-review/form/index', { formId });
    await assoc.waitForText('入会戊');
    await assoc.tap('#approve');
    await assoc.waitForText('财务复核中');

    actAs(system(), FINANCE);
    const queue = await openPage('pkg-review/queue/index');
    await queue.waitForText('入会戊');
    const page = await openPage('pkg-review/form/index', { formId });
    await page.waitForText('入会戊');
    expect(page.find('#detail', '#bills')).toBeTruthy();
    expect(page.text()).toContain('会费缴费凭证'); // the receipt thumbnail
    await page.tap('#approve');
    await page.waitForText('审批完成');
    expect(await statusOf(formId)).toBe('approved');
  });
});
