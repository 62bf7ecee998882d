/** 首页 and 开发身份: what each demo identity can do, and the develop-build identity switcher. */
import { DEV_OPENID_KEY, setTransport } from '../../miniprogram/services/request';
import { startLocalSystem } from '../support/local-system';
import { ADMIN_A, FINANCE, ok, ORG } from '../support/journey';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';
import { lastNavigation, queueScan, setEnvVersion, storageGet, wxLog } from './support/wx';

const system = useLocalSystem();

describe('home page', () => {
  test('when demo-member-1 opens the home page, then the membership, unit and certificate show, and no admin or reviewer entries', async () => {
    actAs(system(), 'demo-member-1');
    const page = await openPage('pages/home/index');
    await page.waitForText('我的会籍');
    const text = page.text();
    expect(text).toContain('李建国，您好');
    expect(text).toContain('示例监理有限公司');
    expect(text).toMatch(/普通会员有效期至 \d{4}-\d{2}-\d{2}/);
    expect(text).toContain('无在办业务');
    expect(text).toContain('我的培训证书');
    expect(text).toContain('监理员');
    expect(page.find('#unit')).toBeUndefined();
    expect(page.find('#review')).toBeUndefined();
    await page.tap('#go-applications');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/applications/index' });
  });

  test('when a unit admin opens the home page, then the join-code and pre-review entries of the unit show', async () => {
    actAs(system(), ADMIN_A);
    const page = await openPage('pages/home/index');
    await page.waitForText('单位管理 · 示例监理有限公司');
    expect(page.text()).toContain('入会二维码');
    expect(page.text()).toContain('预审与业务');
    expect(page.find('#review')).toBeUndefined();
    await page.tap('#unit-1');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/forms/index' });
  });

  test('when the organisation reviewer opens the home page, then the 机构初审 queue entry shows', async () => {
    actAs(system(), ORG);
    const page = await openPage('pages/home/index');
    await page.waitForText('审核工作');
    expect(page.text()).toContain('机构初审队列');
    expect(page.find('#membership')).toBeUndefined();
    await page.tap('#review-0');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-review/queue/index', query: { stage: 'org_review' } });
  });

  test('when a unit admin with no member record opens the home page, then 待办 comes first with the unit’s counts and opens each list, and no newcomer call or empty 我的申请 shows', async () => {
    const counts = ok(await system().call('notices', { action: 'todo' }, ADMIN_A));
    actAs(system(), ADMIN_A);
    const page = await openPage('pages/home/index');
    await page.waitFor(() => page.data.todo.length, '待办');
    const text = page.text();
    expect(text.indexOf('待办')).toBeLessThan(text.indexOf('单位管理 · '));
    expect(page.find('#todo-unit_review')!.dom.textContent).toContain(`${counts.stages.unit_review}待单位预审`);
    expect(page.find('#todo-bills')!.dom.textContent).toContain(`${counts.unpaidBills}待缴费`);
    expect(page.find('#todo-expiring')!.dom.textContent).toContain(`${counts.expiring}会籍30天内到期`);
    expect(page.find('#todo-org_review')).toBeUndefined();
    expect(page.find('#scan')).toBeUndefined();
    expect(page.find('#go-applications')).toBeUndefined();
    await page.tap('#todo-unit_review');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/forms/index', query: { status: 'unit_review' } });
    await page.tap('#todo-expiring');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/roster/index', query: { expiring: '1' } });
  });

  test('when the finance reviewer opens the home page, then 待办 shows the forms at 财务复核 and opens that queue; a member sees no 待办', async () => {
    const counts = ok(await system().call('notices', { action: 'todo' }, FINANCE));
    actAs(system(), FINANCE);
    const page = await openPage('pages/home/index');
    await page.waitFor(() => page.data.todo.length, '待办');
    expect(page.find('#todo-finance_review')!.dom.textContent).toContain(`${counts.stages.finance_review}财务复核待审核`);
    expect(page.find('#todo-bills')).toBeUndefined();
    await page.tap('#todo-finance_review');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-review/queue/index', query: { stage: 'finance_review' } });

    actAs(system(), 'demo-member-1');
    const mine = await openPage('pages/home/index');
    await mine.waitForText('我的会籍');
    expect(mine.find('#todo')).toBeUndefined();
    expect(mine.find('#scan')).toBeTruthy();
  });

  test('when a newcomer taps 扫码入会, then the scanned code opens the scan page', async () => {
    actAs(system(), newOpenid());
    const page = await openPage('pages/home/index');
    await page.waitForText('还没有申请记录');
    expect(page.text()).toContain('扫描单位提供的二维码即可申请入会');
    queueScan({ result: 'https://example.org/j?code=abc.def' });
    await page.tap('#scan');
    await page.waitFor(() => wxLog.navigations.length, 'navigation');
    expect(lastNavigation()).toMatchObject({ route: 'pages/scan/index', query: { code: 'abc.def' } });
  });

  test('when the back end cannot be reached, then the error state shows, and 重新加载 recovers once it can', async () => {
    const down = await startLocalSystem({ seed: false });
    const dead = down.transport('demo-member-1');
    await down.close();
    setTransport(dead);
    const page = await openPage('pages/home/index');
    await page.waitForText('网络异常，请检查网络后重试。');
    actAs(system(), 'demo-member-1');
    await page.tap('#state', '#retry');
    await page.waitForText('我的会籍');
    expect(page.text()).not.toContain('网络异常');
  });

  test('when a develop build switches to the unit A admin identity, then it is stored for the local server and the home page reloads', async () => {
    actAs(system(), 'demo-member-1');
    const home = await openPage('pages/home/index');
    await home.waitForText('开发身份');
    await home.tap('#go-dev');
    expect(lastNavigation()).toMatchObject({ route: 'pages/dev/index' });

    const dev = await openPage('pages/dev/index');
    expect(dev.text()).toContain('单位A主管理员：示例监理有限公司');
    await dev.tap('#id-demo-unit-a-admin');
    expect(storageGet(DEV_OPENID_KEY)).toBe('demo-unit-a-admin');
    expect(lastNavigation()).toMatchObject({ kind: 'reLaunch', route: 'pages/home/index' });
  });

  test('when the build is a release, then the identity switcher is neither offered nor usable', async () => {
    setEnvVersion('release');
    actAs(system(), 'demo-member-1');
    const home = await openPage('pages/home/index');
    await home.waitForText('我的会籍');
    expect(home.find('#go-dev')).toBeUndefined();
    const dev = await openPage('pages/dev/index');
    expect(dev.text()).toContain('无法切换');
    expect(dev.find('#id-demo-unit-a-admin')).toBeUndefined();
  });
});
