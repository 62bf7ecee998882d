/** 扫码: landing with a code from the scanner, a mini-program code's scene or a URL QR's `q`. */
import { ADMIN_A, ADMIN_B, issue } from '../support/journey';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';
import { lastNavigation, queueScan, wxLog } from './support/wx';

const system = useLocalSystem();

describe('scan page', () => {
  test('when a newcomer scans a real join code issued by unit A, then the unit name, kind and expiry show and the join form opens', async () => {
    const { code, expiresAt } = await issue(system(), 'join', ADMIN_A);
    actAs(system(), newOpenid());
    const page = await openPage('pages/scan/index');
    queueScan({ result: code });
    await page.tap('#scan');
    await page.waitForText('示例监理有限公司');
    expect(page.text()).toContain('入会二维码');
    expect(page.text()).toContain(expiresAt.slice(0, 16).replace('T', ' '));
    await page.tap('#join');
    expect(lastNavigation()).toMatchObject({ kind: 'navigateTo', route: 'pkg-member/join/index', query: { code, kind: 'join' } });
  });

  test('when the code is forged, then the Chinese CODE_INVALID message shows and nothing opens', async () => {
    actAs(system(), newOpenid());
    const page = await openPage('pages/scan/index');
    queueScan({ result: 'join.abcdefgh.1700000000.forgedsignature' });
    await page.tap('#scan');
    await page.waitFor(() => page.data.error, 'error');
    expect(page.find('#error')!.dom.textContent).toContain('二维码无效');
    expect(page.text()).toContain('二维码无效，请向单位管理员重新获取。');
    expect(page.find('#join')).toBeUndefined();
    expect(wxLog.navigations).toHaveLength(0);
  });

  test('when WeChat opens the page from a mini-program code, then the scene is decoded and resolved', async () => {
    const { code, scene } = await issue(system(), 'join-simple', ADMIN_B);
    actAs(system(), newOpenid());
    const page = await openPage('pages/scan/index', { scene: encodeURIComponent(scene) });
    await page.waitForText('示例工程咨询有限公司');
    expect(page.text()).toContain('入会简码');
    await page.tap('#join');
    expect(lastNavigation()!.query).toEqual({ code, kind: 'join-simple' });
  });

  test('when WeChat opens the page from a URL QR, then the code parameter of `q` is resolved', async () => {
    const { code } = await issue(system(), 'join', ADMIN_A);
    actAs(system(), newOpenid());
    const q = encodeURIComponent(`https://example.org/join?code=${encodeURIComponent(code)}`);
    const page = await openPage('pages/scan/index', { q });
    await page.waitForText('示例监理有限公司');
  });

  test('when the user closes the scanner, then nothing happens and no error shows', async () => {
    actAs(system(), newOpenid());
    const page = await openPage('pages/scan/index');
    queueScan('cancel');
    await page.tap('#scan');
    expect(wxLog.scans).toBe(1);
    expect(page.data.error).toBe('');
    expect(wxLog.toasts).toHaveLength(0);
  });
});
