/**
 * The secretariat's screens (pkg-admin; SPEC §1, §2.1): units and organisations, account
 * invitations and revocations (accepted on the scan page by a new WeChat user), and 证书解绑 — all
 * through the real `admin` function on the local system; and a caller without the role sees the
 * server's FORBIDDEN.
 */
import { randomUUID } from 'crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { httpRequest } from '../support/local-system';
import { freshCreditCode, SECRETARIAT } from '../support/accounts';
import { ADMIN_A, ok } from '../support/journey';
import { addMember } from '../support/people';
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

let n = 0;
const uniq = (label: string) => `${label}${Date.now().toString(36)}${++n}`;

describe('单位与机构 (pkg-admin/units)', () => {
  test('when the secretariat types a bad credit code, then the UI refuses it before any request; with a good one the unit is created, listed, and can be edited', async () => {
    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/units/index');
    await page.waitFor(() => !page.data.loading && page.data.serviceOrgs.length, 'units and organisations');

    // A new service organisation first (the 初审机构 tab), so the picker has a known choice.
    const orgName = uniq('南区建设监理协会');
    await page.tap('#tab-orgs');
    await page.input('短', '#org-name');
    await page.tap('#create-org');
    expect(page.data.orgError).toBe('请填写机构全称（至少4个字）');
    await page.input(orgName, '#org-name');
    await page.tap('#create-org');
    await page.waitFor(() => page.data.orgs.some((o: any) => o.name === orgName), 'organisation listed');
    expect(page.text()).toContain(orgName);
    await page.tap('#tab-units');

    const name = `${uniq('新建测试')}监理有限公司`;
    const good = freshCreditCode();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    await page.tap('#new-unit');
    expect(page.find('#unit-form')).toBeTruthy();
    await page.input(name, '#f-name');
    await page.input(good.slice(0, 10), '#f-creditCode');
    expect(page.find('#credit-hint')!.dom.textContent).toContain('已输入10/18位');
    await page.input(bad, '#f-creditCode');
    expect(page.find('#credit-hint')!.dom.textContent).toContain('统一社会信用代码校验位不正确');
    await page.pick(page.data.serviceOrgNames.indexOf(orgName), '#f-org');
    await page.pick(1, '#f-member');
    await page.tap('#save-unit');
    expect(page.data.formErrors.creditCode).toBe('统一社会信用代码校验位不正确');
    expect(page.find('#form-error')!.dom.textContent).toContain('请按提示修改后再保存');
    expect(page.data.saving).toBe(false);
    expect(ok(await system().call('admin', { action: 'listUnits', name }, SECRETARIAT)).total).toBe(0);

    await page.input(good.toLowerCase(), '#f-creditCode');
    expect(page.find('#credit-hint')!.dom.textContent).toContain('校验通过');
    await page.input('张经办', '#f-contactName');
    await page.tap('#save-unit');
    await page.waitFor(() => !page.data.formMode && !page.data.loading, 'created');
    const created = ok(await system().call('admin', { action: 'listUnits', name }, SECRETARIAT)).items;
    expect(created).toEqual([
      expect.objectContaining({
        name,
        creditCode: good,
        isMember: true,
        contactName: '张经办',
        org: expect.objectContaining({ name: orgName }),
      }),
    ]);

    // Search by name prefix and the member filter.
    await page.input(name.slice(0, 8), '#query');
    await page.tap('#search');
    await page.waitFor(() => !page.data.loading && page.data.total === 1, 'prefix search');
    expect(page.text()).toContain(name);
    expect(page.text()).toContain(good);
    await page.pick(2, '#member-filter'); // 非会员单位
    await page.waitFor(() => !page.data.loading && page.data.total === 0, 'member filter');
    expect(page.text()).toContain('没有符合条件的单位');
    await page.pick(1, '#member-filter'); // 单位会员
    await page.waitFor(() => !page.data.loading && page.data.total === 1, 'member filter back');

    // Edit: only the changed field goes to the server.
    await page.tap('#edit-0');
    expect(page.data.draft).toMatchObject({ name, creditCode: good, contactName: '张经办' });
    await page.tap('#save-unit');
    expect(page.find('#form-error')!.dom.textContent).toContain('没有修改任何内容');
    await page.input('李经办', '#f-contactName');
    await page.tap('#save-unit');
    await page.waitFor(() => !page.data.formMode && !page.data.loading && page.data.items.length === 1, 'saved');
    expect(page.data.items[0].contactName).toBe('李经办');
    expect(page.text()).toContain('李经办');
  });

  test('when the secretariat pages through the units, then 加载更多 appends the next page until 没有更多了', async () => {
    const orgs = ok(await system().call('admin', { action: 'listOrgs' }, SECRETARIAT)).items;
    const org = orgs.find((o: any) => o.kind === 'service-org');
    const prefix = uniq('翻页单位');
    for (let i = 0; i < 22; i++) {
      ok(
        await system().call(
          'admin',
          {
            action: 'createUnit',
            name: `${prefix}${String(i).padStart(2, '0')}有限公司`,
            creditCode: freshCreditCode(),
            orgId: org.id,
          },
          SECRETARIAT,
        ),
      );
    }
    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/units/index');
    await page.waitFor(() => !page.data.loading, 'units');
    await page.input(prefix, '#query');
    await page.tap('#search');
    await page.waitFor(() => !page.data.loading && page.data.total === 22, 'search');
    expect(page.data.items).toHaveLength(20);
    expect(page.text()).toContain('共 22 家单位');
    await page.tap('#more');
    await page.waitFor(() => page.data.items.length === 22, 'second page');
    expect(page.text()).toContain('没有更多了');
  });
});

describe('账号与邀请 (pkg-admin/roles)', () => {
  test('when the secretariat invites an org reviewer and a new WeChat user accepts it on the scan page, then the grant is listed; revoked with a reason, the reviewer loses the role', async () => {
    const org = ok(await system().call('admin', { action: 'createOrg', name: uniq('东区监理行业协会') }, SECRETARIAT));
    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/roles/index');
    await page.waitFor(() => !page.data.loading, 'roles');
    expect(page.data.roleNames).toEqual(['单位管理员', '机构初审', '协会审核', '协会财务', '秘书处']);

    await page.tap('#invite-btn');
    expect(page.find('#invite-error')!.dom.textContent).toContain('请选择角色');
    await page.pick(1, '#invite-role'); // 机构初审
    await page.waitFor(
      () => !page.data.scopeLoading && page.data.scopeNames.includes(org.name),
      'organisations to pick',
    );
    await page.tap('#invite-btn');
    expect(page.find('#scope-error')!.dom.textContent).toContain('请选择初审机构');
    await page.pick(page.data.scopeNames.indexOf(org.name), '#invite-scope');
    await page.input('1370000', '#invite-phone');
    await page.tap('#invite-btn');
    expect(page.data.inviteErrors.phone).toBe('请填写11位手机号码');
    await page.input('13700000051', '#invite-phone');
    await page.input('钱初审', '#invite-name');
    await page.tap('#invite-btn');
    await page.waitFor(
      () => page.data.invite && page.data.pending.some((p: any) => p.scopeId === org.id),
      'invitation',
    );
    expect(page.find('#invite-card')!.dom.textContent).toContain('机构初审邀请码');
    expect(page.find('#invite-card')!.dom.textContent).toContain(org.name);
    expect(page.find('#pending')!.dom.textContent).toContain('钱初审 · 13700000051');
    const code = await decodeQr(page.data.invite.qr);

    const reviewer = newOpenid('org-reviewer');
    actAs(system(), reviewer);
    const scan = await openPage('pages/scan/index', { code });
    await scan.waitFor(() => scan.data.resolved, 'resolved');
    expect(scan.text()).toContain('机构初审');
    await scan.input('13700000051', '#phone');
    await scan.tap('#accept');
    await scan.waitFor(() => scan.data.done, 'accepted');
    expect(scan.find('#done')!.dom.textContent).toContain(org.name);
    ok(await system().call('review', { action: 'queue', stage: 'org_review' }, reviewer));

    actAs(system(), SECRETARIAT);
    const again = await openPage('pkg-admin/roles/index');
    await again.waitFor(() => !again.data.loading, 'roles');
    await again.pick(2, '#role-filter'); // 机构初审
    await again.waitFor(
      () => !again.data.loading && again.data.items.some((g: any) => g.scopeId === org.id),
      'grant listed',
    );
    expect(again.data.pending.some((p: any) => p.scopeId === org.id)).toBe(false);
    const i = again.data.items.findIndex((g: any) => g.scopeId === org.id);
    expect(again.find(`#grant-${i}`)!.dom.textContent).toContain('钱初审');
    await again.tap(`#revoke-${i}`);
    expect(again.data.revokeVisible).toBe(true);
    await again.tap('#revoke-dialog', '#dialog', '.t-dialog__button--confirm');
    expect(again.find('#revoke-dialog', '#reason-error')!.dom.textContent).toBe('请填写撤销原因');
    await again.input('人员调岗', '#revoke-dialog', '#reason');
    await again.tap('#revoke-dialog', '#dialog', '.t-dialog__button--confirm');
    await again.waitFor(
      () => !again.data.revokeVisible && !again.data.busy && !again.data.items.some((g: any) => g.scopeId === org.id),
      'revoked',
    );
    const q = await system().call('review', { action: 'queue', stage: 'org_review' }, reviewer);
    expect(q).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  test('when the secretariat invites a unit’s sub-admin and then revokes the invitation, then it leaves the pending list and the code no longer works', async () => {
    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/roles/index');
    await page.waitFor(() => !page.data.loading, 'roles');
    await page.pick(0, '#invite-role'); // 单位管理员
    await page.input('示例监理', '#scope-query');
    await page.tap('#scope-search');
    await page.waitFor(
      () => !page.data.scopeLoading && page.data.scopeNames.includes('示例监理有限公司'),
      'units to pick',
    );
    await page.pick(page.data.scopeNames.indexOf('示例监理有限公司'), '#invite-scope');
    await page.pick(1, '#invite-main'); // 子账号
    await page.tap('#invite-btn');
    expect(page.data.inviteErrors.phone).toBe('子账号按手机号邀请，请填写手机号码');
    await page.input('13700000061', '#invite-phone');
    await page.tap('#invite-btn');
    await page.waitFor(
      () => page.data.invite && page.data.pending.some((p: any) => p.phone === '13700000061'),
      'invitation',
    );
    expect(page.find('#invite-card')!.dom.textContent).toContain('单位管理员（子账号）邀请码');
    // A unit's invitations are listed by unit: the list switched to that unit's accounts.
    expect(page.find('#scope-filter')!.dom.textContent).toContain('单位：示例监理有限公司');
    expect(page.find('#grants')!.dom.textContent).toContain('单位管理员（主账号） · 示例监理有限公司');
    expect(page.find('#grants')!.dom.textContent).not.toContain('秘书处');
    const code = await decodeQr(page.data.invite.qr);
    const i = page.data.pending.findIndex((p: any) => p.phone === '13700000061');
    await page.tap(`#revoke-invite-${i}`);
    await page.waitFor(
      () => !page.data.busy && !page.data.pending.some((p: any) => p.phone === '13700000061'),
      'invitation revoked',
    );
    const r = await system().call('admin', { action: 'acceptRole', code, phone: '13700000061' }, newOpenid('late'));
    expect(r.ok).toBe(false);
    await page.tap('#scope-filter');
    await page.waitFor(
      () => !page.data.scopeFilter && !page.data.loading && page.data.items.some((g: any) => g.role === 'secretariat'),
      'all accounts again',
    );
  });
});

describe('证书解绑 (pkg-admin/unbind)', () => {
  test('when the secretariat finds a wrongly bound member and unbinds with a reason, then the record shows 未绑定 and that WeChat user no longer sees the certificates', async () => {
    const p = await addMember({ name: '误绑测试', certs: [{ type: '监理员' }] });
    const openid = `wx-${randomUUID().slice(0, 8)}`;
    await database().collection(C.members).doc(p.memberId).update({ data: { openid } });
    expect(ok(await system().call('members', { action: 'me' }, openid)).certificates).toHaveLength(1);

    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/unbind/index');
    await page.tap('#find');
    expect(page.data.queryError).toBe('请填写完整的证件号码');
    await page.input(p.idNumber, '#idNumber');
    await page.input('别人', '#name');
    await page.tap('#find');
    await page.waitFor(() => page.data.searched && !page.data.loading, 'not found');
    expect(page.text()).toContain('未找到匹配的会员记录');

    await page.input('误绑测试', '#name');
    await page.tap('#find');
    await page.waitFor(() => page.data.member, 'found');
    const text = page.find('#member')!.dom.textContent;
    expect(text).toContain('误绑测试');
    expect(text).toContain('已绑定');
    expect(text).toContain('监理员');
    expect(text).not.toContain(p.idNumber);
    expect(page.data.member.idMasked).toMatch(/\*/);

    await page.tap('#unbind');
    expect(page.data.dialogVisible).toBe(true);
    await page.tap('#unbind-dialog', '#dialog', '.t-dialog__button--confirm');
    expect(page.find('#unbind-dialog', '#reason-error')!.dom.textContent).toBe('请填写解绑原因');
    await page.input('本人反映非其微信', '#unbind-dialog', '#reason');
    await page.tap('#unbind-dialog', '#dialog', '.t-dialog__button--confirm');
    await page.waitFor(() => page.data.unbound && page.data.member && page.data.member.bound === false, 'unbound');
    expect(page.find('#unbound')!.dom.textContent).toContain('已解除与微信用户');
    expect(page.find('#member')!.dom.textContent).toContain('未绑定');
    expect(page.find('#unbind')).toBeFalsy();
    const after = ok(await system().call('members', { action: 'me' }, openid));
    expect(after.member).toBeNull();
    expect(after.certificates).toEqual([]);
  });
});

describe('secretariat only', () => {
  test('when a unit admin opens the secretariat screens, then each shows the server’s FORBIDDEN and the home page offers no secretariat entries', async () => {
    const refused = await system().call('admin', { action: 'listUnits' }, ADMIN_A);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const message = refused.error.message as string;

    actAs(system(), ADMIN_A);
    const units = await openPage('pkg-admin/units/index');
    await units.waitFor(() => !units.data.loading && units.data.error, 'refused');
    expect(units.data.error).toBe(message);
    expect(units.find('#state')!.dom.textContent).toContain(message);

    const roles = await openPage('pkg-admin/roles/index');
    await roles.waitFor(() => !roles.data.loading && roles.data.error, 'refused');
    expect(roles.data.error).toBe(message);

    const unbind = await openPage('pkg-admin/unbind/index');
    await unbind.input('110101199001011234', '#idNumber');
    await unbind.tap('#find');
    await unbind.waitFor(() => !unbind.data.loading && unbind.data.error, 'refused');
    expect(unbind.text()).toContain(unbind.data.error);

    const home = await openPage('pages/home/index');
    await home.waitFor(() => !home.data.loading, 'home');
    expect(home.find('#secretariat')).toBeFalsy();

    actAs(system(), SECRETARIAT);
    const own = await openPage('pages/home/index');
    await own.waitFor(() => !own.data.loading && own.data.adminEntries.length, 'secretariat home');
    expect(own.find('#secretariat')!.dom.textContent).toContain('证书解绑');
  });
});

describe('单位添加申请 (pkg-admin/unit-requests)', () => {
  test('when holders ask for units, then the secretariat approves one under an organisation, merges one into an existing unit and refuses one with a reason', async () => {
    const holder = await addMember({ name: '申请单位人', certs: [{}] });
    const openid = `wx-${randomUUID().slice(0, 8)}`;
    await database().collection(C.members).doc(holder.memberId).update({ data: { openid } });
    await database().collection(C.bindings).doc(openid).set({ data: { memberId: holder.memberId, at: new Date() } });
    const fresh = uniq('示例新建监理有限公司');
    const newReq = ok(await system().call('units', { action: 'request', name: fresh, creditCode: freshCreditCode() }, openid));
    const sameReq = ok(await system().call('units', { action: 'request', name: '示例监理（有限）公司', creditCode: freshCreditCode() }, openid));
    const badReq = ok(await system().call('units', { action: 'request', name: uniq('示例查无此单位公司'), creditCode: freshCreditCode() }, openid));

    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/unit-requests/index');
    await page.waitFor(() => !page.data.loading && page.data.items.length >= 3, 'pending requests');
    expect(page.find(`#request-${newReq.id}`)!.dom.textContent).toContain(fresh);

    await page.tap(`#approve-${newReq.id}`);
    await page.waitFor(() => page.data.orgs.length, 'organisations');
    await page.tap('#panel-confirm');
    expect(page.find('#panel-error')!.dom.textContent).toBe('请选择初审机构');
    await page.pick('0', '#org');
    await page.tap('#panel-confirm');
    await page.waitFor(() => !page.data.busy && !page.data.deciding && !page.data.loading && !page.find(`#request-${newReq.id}`), 'approved');
    const created = ok(await system().call('admin', { action: 'listUnits', name: fresh }, SECRETARIAT)).items;
    expect(created).toEqual([expect.objectContaining({ name: fresh })]);

    await page.tap(`#merge-${sameReq.id}`);
    await page.waitFor(() => page.data.units.length, 'units matching 示例监理');
    await page.tap('#unit-unit-a');
    await page.tap('#panel-confirm');
    await page.waitFor(() => !page.data.busy && !page.data.deciding && !page.data.loading && !page.find(`#request-${sameReq.id}`), 'merged');

    await page.tap(`#refuse-${badReq.id}`);
    await page.input('经核实无此单位', '#refuse-dialog', '#reason');
    await page.tap('#refuse-dialog', '#dialog', '.t-dialog__button--confirm');
    await page.waitFor(() => !page.data.busy && !page.data.refusing && !page.data.loading && !page.find(`#request-${badReq.id}`), 'refused');

    await page.tapAt(2, '#tabs', '.t-tabs__item'); // 已合并
    await page.waitFor(() => !page.data.loading && page.data.status === 'merged' && page.data.items.length, 'merged tab');
    expect(page.find(`#request-${sameReq.id}`)!.dom.textContent).toContain('已合并到：示例监理有限公司');
    await page.tapAt(3, '#tabs', '.t-tabs__item'); // 已驳回
    await page.waitFor(() => !page.data.loading && page.data.status === 'refused' && page.data.items.length, 'refused tab');
    expect(page.find(`#request-${badReq.id}`)!.dom.textContent).toContain('驳回原因：经核实无此单位');
    const notes = ok(await system().call('notices', { action: 'list', pageSize: 50 }, openid)).items.map((n: { title: string }) => n.title);
    expect(notes).toEqual(expect.arrayContaining(['单位已添加', '单位申请未通过']));
  });
});

describe('会员查找与更正 (pkg-admin/unbind)', () => {
  test('when the secretariat corrects a member’s phone and membership and cancels a certificate, each with a reason, then the record’s history shows them', async () => {
    const p = await addMember({ name: '更正页面', certs: [{ type: '监理员' }] });
    actAs(system(), SECRETARIAT);
    const page = await openPage('pkg-admin/unbind/index');
    await page.input(p.idNumber, '#idNumber');
    await page.tap('#find');
    await page.waitFor(() => page.data.member, 'found');

    await page.tap('#correct-member');
    await page.tap('#c-submit');
    expect(page.find('#correct-error')!.dom.textContent).toBe('请填写需要更正的项目');
    await page.input('13812345678', '#c-phone');
    await page.pick('2030-12-31', '#c-ordinary');
    await page.tap('#c-submit');
    expect(page.find('#correct-error')!.dom.textContent).toContain('请填写更正原因');
    await page.input('旧系统导入时手机号与会籍录错', '#c-reason');
    await page.tap('#c-submit');
    await page.waitFor(() => !page.data.correctBusy && !page.data.correcting && page.data.member, 'corrected');
    expect(page.find('#history')!.dom.textContent).toContain('原因：旧系统导入时手机号与会籍录错');
    const rec = (await database().collection(C.members).doc(p.memberId).get()).data;
    expect(rec.phone).toBe('13812345678');
    expect(rec.memberships.find((m: { level: string }) => m.level === 'ordinary').validUntil).toBe('2030-12-31');

    await page.tap('#correct-cert-0');
    await page.pick('2', '#k-status'); // 已注销
    await page.input('持证人已离世，家属申请注销', '#c-reason');
    await page.tap('#c-submit');
    await page.waitFor(() => !page.data.correctBusy && !page.data.correcting && page.data.member && page.data.member.certRows[0].cancelled, 'certificate corrected');
    expect(page.find('#member')!.dom.textContent).toContain('已注销');
    expect(page.find('#history')!.dom.textContent).toContain('持证人已离世，家属申请注销');
  });
});
