/**
 * 我的会籍 (pkg-member/membership; issue 11): a member whose ordinary membership has lapsed renews
 * it themself — confirm, one bill, a receipt photographed and paid — and once the association's
 * finance confirms, the page shows the new end date (a year-term from today, since it had lapsed)
 * and the renewal in the record's history. All through the real functions on the local system.
 */
import { randomUUID } from 'crypto';
import { addDays, addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { ADMIN_A, ASSOC, FINANCE, ok, ORG } from '../support/journey';
import { addMember } from '../support/people';
import { openPage } from './support/render';
import { actAs, pick, useLocalSystem } from './support/system';
import { lastNavigation, queueActionSheet, queueMedia, wxLog } from './support/wx';

const system = useLocalSystem();

async function bound(opts: Parameters<typeof addMember>[0]) {
  const m = await addMember(opts);
  const openid = `wx-${randomUUID().slice(0, 8)}`;
  await database().collection(C.members).doc(m.memberId).update({ data: { openid } });
  await database().collection(C.bindings).doc(openid).set({ data: { memberId: m.memberId, at: new Date() } });
  return { ...m, openid };
}

describe('我的会籍 (pkg-member/membership)', () => {
  test('when a member with a lapsed membership renews it, then they pay with a receipt, finance confirms, and the new end date and its history show', async () => {
    const today = shanghaiDay();
    const m = await bound({ name: '续缴甲', ordinaryUntil: addDays(today, -40), certs: [{}] });
    actAs(system(), m.openid);

    const home = await openPage('pages/home/index');
    await home.waitForText('会籍已过期，请续缴会费');
    await home.tap('#go-membership');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/membership/index' });

    const page = await openPage('pkg-member/membership/index');
    await page.waitFor(() => !page.data.loading && page.data.rows.length, 'memberships');
    expect(page.find('#level-ordinary')!.dom.textContent).toContain(`有效期至 ${addDays(today, -40)}`);
    expect(page.find('#level-ordinary')!.dom.textContent).toContain('已过期');

    await page.tap('#renew-ordinary');
    expect(page.find('#confirm')!.dom.textContent).toContain('续缴普通会员会费');
    await page.tap('#confirm-cancel');
    expect(page.find('#confirm')).toBeUndefined();
    await page.tap('#renew-ordinary');
    await page.tap('#confirm-renew');
    await page.waitFor(() => page.data.renewal, 'the renewal');
    expect(page.find('#renewal')!.dom.textContent).toContain('待缴费');
    expect(page.find('#amount')!.dom.textContent).toMatch(/¥\d+/);
    expect(page.find('#renew-ordinary')).toBeUndefined(); // one renewal at a time

    await page.tap('#pay-submit');
    expect(page.find('#file-receipt')!.instance.data.shownError).toBe('请先上传缴费凭证');
    queueMedia(pick.receipt());
    await page.tap('#file-receipt', '#choose');
    await page.waitFor(() => page.data.receipt, 'receipt upload');
    await page.tap('#pay-submit');
    await page.waitFor(() => page.data.renewal && page.data.renewal.status === 'finance_review', 'paid');
    expect(wxLog.toasts).toContain('缴费凭证已提交');
    expect(page.find('#renewal')!.dom.textContent).toContain('已缴费，等待协会财务确认');
    expect(page.find('#pay-submit')).toBeUndefined();

    ok(await system().call('review', { action: 'approve', formId: page.data.renewal.id }, FINANCE));
    const again = await openPage('pkg-member/membership/index');
    await again.waitFor(() => !again.data.loading && again.data.rows.length, 'memberships after approval');
    // Lapsed: the ordinary term (3 years) runs from the day finance confirmed it.
    const until = again.data.rows.find((r: { level: string }) => r.level === 'ordinary').validUntil;
    expect(until > addYears(today, 2)).toBe(true);
    expect(again.find('#level-ordinary')!.dom.textContent).toContain('有效');
    expect(again.find('#renewal')).toBeUndefined();
    expect(again.find('#renew-ordinary')).toBeTruthy();
    expect(again.find('#history')!.dom.textContent).toContain(`${page.data.renewal.no}：普通会员会籍恢复至 ${until}`);
  });

  test('when the renewal is refused because the person has a form in flight, then the reason shows and nothing is created', async () => {
    const today = shanghaiDay();
    const m = await bound({ name: '续缴乙', ordinaryUntil: addDays(today, 10), certs: [{}] });
    await database()
      .collection(C.busy)
      .doc(m.memberId)
      .set({ data: { entries: [{ formId: 'f-other', formNo: 'JY-20260101000001', type: 'upgrade', phase: 'review' }], updatedAt: new Date() } });
    actAs(system(), m.openid);
    const page = await openPage('pkg-member/membership/index');
    await page.waitFor(() => !page.data.loading && page.data.rows.length, 'memberships');
    expect(page.find('#level-ordinary')!.dom.textContent).toContain('30天内到期');
    await page.tap('#renew-ordinary');
    await page.tap('#confirm-renew');
    await page.waitFor(() => page.data.actionError, 'the refusal');
    expect(page.find('#action-error')!.dom.textContent).toContain('有在途的员升师业务');
    expect(page.data.renewal).toBeNull();
    const forms = (await database().collection(C.forms).where({ memberIds: m.memberId }).get()).data;
    expect(forms).toEqual([]);
  });
});

describe('个人信息变更 (pkg-member/change)', () => {
  test('when a member asks to change their phone, address and education, then the request goes through review and the record changes only when approved', async () => {
    const m = await bound({ name: '变更页甲', certs: [{}] });
    actAs(system(), m.openid);
    const page = await openPage('pkg-member/change/index');
    await page.tap('#submit');
    expect(page.find('#submit-error')!.dom.textContent).toBe('请至少填写一项需要变更的信息');

    await page.input('12345678901', '#phone');
    expect(page.data.errors.phone).toBe('请填写正确的11位手机号码'); // checked as typed
    await page.input('13611112222', '#phone');
    expect(page.data.errors.phone).toBeUndefined();
    await page.input('示例市新区幸福路8号', '#address');
    await page.pick(String(1 + ['secondary', 'college', 'bachelor', 'master', 'doctor'].indexOf('master')), '#level');
    await page.tap('#submit');
    expect(page.data.errors).toMatchObject({ school: '请填写毕业院校', major: '请填写所学专业', graduatedOn: '请选择毕业时间' });
    await page.input('示例理工大学', '#school');
    await page.input('结构工程', '#major');
    await page.pick('2012-06-30', '#graduatedOn');

    await page.input('变更页乙', '#name');
    await page.tap('#submit');
    expect(page.data.errors.files_idFront).toContain('人像面');
    await page.input('', '#name');

    await page.tap('#submit');
    await page.waitFor(() => page.data.sent, 'sent');
    expect(page.find('#sent')!.dom.textContent).toContain('单位预审中');
    const formId = page.data.sent.id;
    const form = ok(await system().call('forms', { action: 'get', formId }, ADMIN_A));
    expect(form).toMatchObject({ type: 'member-info-change', status: 'unit_review' });
    const before = (await database().collection(C.members).doc(m.memberId).get()).data;
    expect(before.phone).toBe('13900000000');

    ok(await system().call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    ok(await system().call('review', { action: 'approve', formId }, ORG));
    ok(await system().call('review', { action: 'approve', formId }, ASSOC));
    const after = (await database().collection(C.members).doc(m.memberId).get()).data;
    expect(after).toMatchObject({ phone: '13611112222', address: '示例市新区幸福路8号', education: { level: 'master', school: '示例理工大学', major: '结构工程', graduatedOn: '2012-06-30' } });
    await page.tap('#open');
    expect(lastNavigation()).toMatchObject({ kind: 'redirectTo', route: 'pkg-member/application/index', query: { formId } });
  });
});

describe('个人信息变更 started by the unit (roster → 更多)', () => {
  test('when the unit asks to change a person’s phone, then its form skips the unit’s own pre-review and opens on the unit’s detail', async () => {
    const m = await addMember({ name: '单位变更甲' });
    actAs(system(), ADMIN_A);
    const roster = await openPage('pkg-unit/roster/index');
    await roster.input('单位变更甲', '#name');
    await roster.tap('#search');
    await roster.waitFor(() => !roster.data.loading && roster.data.total === 1, 'the person');
    queueActionSheet(1); // 个人信息变更
    await roster.tap('#resign-0'); // 更多
    await roster.waitFor(() => lastNavigation() && lastNavigation()!.route === 'pkg-member/change/index', 'the change page');
    expect(lastNavigation()!.query).toMatchObject({ memberId: m.memberId, name: '单位变更甲' });

    const page = await openPage('pkg-member/change/index', { memberId: m.memberId, name: '单位变更甲' });
    expect(page.find('#for-person')!.dom.textContent).toContain('为 单位变更甲 申请信息变更');
    await page.input('13722223333', '#phone');
    await page.tap('#submit');
    await page.waitFor(() => page.data.sent, 'sent');
    const form = ok(await system().call('forms', { action: 'get', formId: page.data.sent.id }, ADMIN_A));
    expect(form).toMatchObject({ type: 'member-info-change', status: 'org_review', startedBy: 'unit' });
    await page.tap('#open');
    expect(lastNavigation()).toMatchObject({ kind: 'redirectTo', route: 'pkg-unit/form/index', query: { formId: form.id } });
    ok(await system().call('review', { action: 'approve', formId: form.id }, ORG));
    ok(await system().call('review', { action: 'approve', formId: form.id }, ASSOC));
    expect((await database().collection(C.members).doc(m.memberId).get()).data.phone).toBe('13722223333');
  });
});

describe('我的会籍 when the unit renews', () => {
  test('when the unit has started a renewal for the member, then the page follows it and offers no payment of its own', async () => {
    const today = shanghaiDay();
    const m = await bound({ name: '单位续缴甲', ordinaryUntil: addDays(today, 20), certs: [{}] });
    const draft = ok(await system().call('forms', { action: 'create', type: 'membership-renewal', level: 'ordinary', memberIds: [m.memberId] }, ADMIN_A));
    ok(await system().call('forms', { action: 'submit', formId: draft.id }, ADMIN_A));
    actAs(system(), m.openid);
    const page = await openPage('pkg-member/membership/index');
    await page.waitFor(() => !page.data.loading && page.data.renewal, 'the unit’s renewal');
    expect(page.find('#renewal')!.dom.textContent).toContain('单位已为您办理个人会员费缴纳');
    expect(page.find('#pay-submit')).toBeUndefined();
    expect(page.find('#renew-ordinary')).toBeUndefined();
  });
});
