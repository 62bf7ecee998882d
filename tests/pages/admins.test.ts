/**
 * 子账号管理 (pkg-unit/admins) and accepting invitations on the scan page: the main admin invites by
 * phone, the invitee scans and confirms the phone, the main role is handed over, invitations are
 * revoked, sub-admins removed — through the real `units` and `admin` functions.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { httpRequest } from '../support/local-system';
import { ADMIN_A, ADMIN_B, ok } from '../support/journey';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';

const system = useLocalSystem();

async function decodeQr(url: string): Promise<string> {
  const r = await httpRequest(url);
  const img = PNG.sync.read(r.body);
  const qr = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  if (!qr) throw new Error('QR image does not decode');
  return qr.data;
}

describe('子账号管理', () => {
  test('when the main admin invites by phone and the invitee scans with the right phone, then they become a sub-admin, and the main role can be handed to them', async () => {
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/admins/index');
    await page.waitFor(() => page.data.admins, 'admins');
    expect(page.text()).toContain('示例监理有限公司 · 主账号');
    await page.input('138000', '#phone');
    await page.tap('#invite-btn');
    expect(page.data.phoneError).toBe('请填写11位手机号码');
    await page.input('13800000021', '#phone');
    await page.input('子账号甲', '#name');
    await page.tap('#invite-btn');
    await page.waitFor(() => page.data.inviteQr && page.data.admins.pending.length === 1, 'invitation');
    expect(page.text()).toContain('子账号甲 · 13800000021');
    const code = await decodeQr(page.data.inviteQr);

    const invitee = newOpenid('sub');
    actAs(system(), invitee);
    const scan = await openPage('pages/scan/index', { code });
    await scan.waitFor(() => scan.data.resolved, 'resolved');
    expect(scan.text()).toContain('子账号邀请码');
    await scan.input('13800000099', '#phone');
    await scan.tap('#accept');
    await scan.waitFor(() => scan.data.phoneError && !scan.data.confirming, 'wrong phone refused');
    await scan.input('13800000021', '#phone');
    await scan.tap('#accept');
    await scan.waitFor(() => scan.data.done, 'accepted');
    expect(scan.find('#done')!.dom.textContent).toContain('示例监理有限公司');
    expect(ok(await system().call('members', { action: 'me' }, invitee)).roles).toEqual(
      expect.arrayContaining([expect.objectContaining({ role: 'unit_admin', scopeId: 'unit-a', main: false })]),
    );

    actAs(system(), ADMIN_A);
    const again = await openPage('pkg-unit/admins/index');
    await again.waitFor(() => again.data.admins && again.data.admins.subs.length === 1, 'sub listed');
    expect(again.data.admins.pending).toHaveLength(0);
    expect(again.text()).toContain('子账号甲');
    await again.tap('#transfer-0');
    expect(again.find('#transfer-warn')).toBeTruthy();
    await again.tap('#transfer-confirm-0');
    await again.waitFor(() => again.data.admins.canManage === false, 'handed over');
    expect(again.text()).toContain('仅主账号可以邀请');
    expect(ok(await system().call('units', { action: 'admins' }, invitee)).canManage).toBe(true);
  });

  test('when the main admin revokes an invitation and removes a sub-admin, then both disappear and the revoked code no longer works', async () => {
    actAs(system(), ADMIN_B);
    const page = await openPage('pkg-unit/admins/index');
    await page.waitFor(() => page.data.admins, 'admins');
    await page.input('13800000031', '#phone');
    await page.tap('#invite-btn');
    await page.waitFor(() => page.data.inviteQr && page.data.admins.pending.length === 1, 'first invitation');
    const revoked = await decodeQr(page.data.inviteQr);
    await page.tap('#revoke-0');
    await page.waitFor(() => page.data.admins.pending.length === 0, 'revoked');
    expect((await system().call('units', { action: 'acceptInvite', code: revoked, phone: '13800000031' }, newOpenid())).ok).toBe(false);

    const inv = ok(await system().call('units', { action: 'inviteSubAdmin', phone: '13800000032' }, ADMIN_B));
    ok(await system().call('units', { action: 'acceptInvite', code: inv.code, phone: '13800000032' }, newOpenid('sub')));
    await page.comp.instance.load();
    await page.waitFor(() => page.data.admins.subs.length === 1, 'sub listed');
    await page.tap('#remove-0');
    await page.waitFor(() => page.data.admins.subs.length === 0, 'removed');
    expect(ok(await system().call('units', { action: 'admins' }, ADMIN_B)).subs).toHaveLength(0);
  });
});
