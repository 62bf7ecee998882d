/** 我的申请 and 申请详情: status labels, the trail, the return reason, resubmission by the applicant. */
import { setTransport } from '../../miniprogram/services/request';
import { startLocalSystem } from '../support/local-system';
import { ADMIN_A, apply, ok, profile } from '../support/journey';
import { validIdNumber } from '../support/fixtures';
import { photoInto } from './support/join-steps';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';
import { wxLog } from './support/wx';

const system = useLocalSystem();
let seq = 500;

async function appliedBy(openid: string, name: string) {
  const birth = '1992-02-29';
  const idNumber = validIdNumber(birth, 'female', seq++);
  const { formId, formNo } = ok(await apply(system(), openid, profile({ name, idNumber }, birth, 'female')));
  return { formId, formNo, idNumber };
}

describe('my applications', () => {
  test('when a newcomer has not applied yet, then the empty state says how to apply', async () => {
    actAs(system(), newOpenid());
    const page = await openPage('pkg-member/applications/index');
    await page.waitForText('还没有申请记录，扫描单位的入会二维码即可申请');
  });

  test('when the back end is down, then the list shows the network error with a retry', async () => {
    const down = await startLocalSystem({ seed: false });
    const dead = down.transport('x');
    await down.close();
    setTransport(dead);
    const page = await openPage('pkg-member/applications/index');
    await page.waitForText('网络异常，请检查网络后重试。');
    expect(page.find('#state', '#retry')).toBeTruthy();
  });

  test('when the applicant opens an application, then the number, status label and trail show', async () => {
    const me = newOpenid();
    const { formId, formNo } = await appliedBy(me, '详情甲');
    actAs(system(), me);
    const list = await openPage('pkg-member/applications/index');
    await list.waitForText('详情甲');
    expect(list.text()).toContain('单位预审中');
    expect(list.text()).toContain(formNo);
    const page = await openPage('pkg-member/application/index', { formId });
    await page.waitForText(formNo);
    expect(page.text()).toContain('等待单位管理员预审');
    expect(page.find('#detail', '#stages-ahead').dom.textContent).toBe('后续环节：缴费 → 机构初审 → 协会初审 → 财务复核 → 完成');
    expect(page.text()).toContain('申请人');
    expect(page.text()).toContain('提交申请：暂存 → 单位预审中');
    expect(page.find('#resubmit')).toBeUndefined();
  });

  test('when the unit returns the application to the applicant, then the reason is highlighted and the applicant edits and resubmits it', async () => {
    const me = newOpenid();
    const { formId, idNumber } = await appliedBy(me, '重提乙');
    ok(await system().call('forms', { action: 'prereview', formId, decision: 'return', reason: '请重新拍摄身份证国徽面' }, ADMIN_A));

    actAs(system(), me);
    const list = await openPage('pkg-member/applications/index');
    await list.waitForText('重提乙');
    expect(list.text()).toContain('退回');

    const page = await openPage('pkg-member/application/index', { formId });
    await page.waitForText('退回原因：请重新拍摄身份证国徽面');
    expect(page.find('#detail', '#returned')).toBeTruthy();
    // The holder's own number is filled in for editing.
    await page.waitFor(() => page.data.profile.idNumber === idNumber, 'own ID number');
    await page.input('13611112222', '#profile', '#phone');
    await photoInto(page, 'idBack');
    await page.input('已重新拍摄', '#remark');
    await page.tap('#resubmit');
    await page.waitFor(() => page.data.form.status === 'unit_review', 'resubmitted');
    expect(wxLog.toasts).toContain('已重新提交');
    expect(page.text()).toContain('单位预审中');
    expect(page.find('#detail', '#returned')).toBeUndefined();

    const form = ok(await system().call('forms', { action: 'get', formId }, ADMIN_A));
    expect(form.status).toBe('unit_review');
    expect(form.people[0].phone).toBe('13611112222');
    expect(form.trail[form.trail.length - 1]).toMatchObject({ role: 'applicant', from: 'returned', to: 'unit_review', remark: '已重新拍摄' });
  });

  test('when the applicant withdraws, then a second tap confirms, the form ends as withdrawn and the button is gone', async () => {
    const me = newOpenid();
    const { formId } = await appliedBy(me, '撤回丁');
    actAs(system(), me);
    const page = await openPage('pkg-member/application/index', { formId });
    await page.waitForText('撤回丁');
    await page.tap('#withdraw');
    expect(page.text()).toContain('确认撤回申请？');
    expect(ok(await system().call('forms', { action: 'get', formId }, me)).status).toBe('unit_review');
    await page.input('已在别处入会', '#withdraw-reason');
    await page.tap('#confirm-withdraw');
    await page.waitForText('申请已撤回');
    expect(page.find('#withdraw-box')).toBeUndefined();
    const form = ok(await system().call('forms', { action: 'get', formId }, me));
    expect(form.status).toBe('withdrawn');
    expect(JSON.stringify(form)).toContain('已在别处入会');
  });

  test('when someone else opens the applicant\'s form, then nothing about it shows and no withdraw button either', async () => {
    const { formId } = await appliedBy(newOpenid(), '撤回戊');
    actAs(system(), newOpenid());
    const page = await openPage('pkg-member/application/index', { formId });
    await page.waitFor(() => !page.data.loading, 'answer');
    expect(page.text()).not.toContain('撤回戊');
    expect(page.find('#withdraw')).toBeUndefined();
  });
});
