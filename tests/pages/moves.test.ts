/**
 * Issue 4 screens for codes and people: the unit roster (filters, paging, 离职码), the unit's transfer
 * and ID-supplement codes, confirming transfer and resignation on the scan page (with every refusal),
 * the ID-card supplement, and the notices with the home page's unread count — all through the real
 * functions on the local system.
 */
import { randomUUID } from 'crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { jpeg } from '../support/fixtures';
import { httpRequest } from '../support/local-system';
import { ADMIN_A, ADMIN_B, ok } from '../support/journey';
import { addMember } from '../support/people';
import { draftOf } from './support/business';
import { bizFiles } from './support/business';
import { photoInto } from './support/join-steps';
import { openPage } from './support/render';
import { actAs, useLocalSystem } from './support/system';
import { lastNavigation, queueActionSheet, queueScan } from './support/wx';
import { addDays, shanghaiDay } from '../../miniprogram/shared/dates';

const system = useLocalSystem();

async function decodeQr(url: string): Promise<string> {
  const r = await httpRequest(url);
  const img = PNG.sync.read(r.body);
  const qr = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  if (!qr) throw new Error('QR image does not decode');
  return qr.data;
}

/** A member of `unitId` bound to a fresh WeChat identity. */
async function bound(opts: Parameters<typeof addMember>[0] = {}) {
  const m = await addMember(opts);
  const openid = `wx-${randomUUID().slice(0, 8)}`;
  await database().collection(C.members).doc(m.memberId).update({ data: { openid } });
  return { ...m, openid };
}

async function issued(kind: string, admin = ADMIN_A, memberId?: string): Promise<string> {
  return ok(await system().call('codes', { action: 'issue', kind, ...(memberId ? { memberId } : {}) }, admin)).code;
}

describe('单位人员档案 (pkg-unit/roster)', () => {
  test('when the admin filters by name, lapsed membership and certificates and pages, then only the matching people show with their certificates and state', async () => {
    for (let i = 0; i < 22; i++) await addMember({ name: `档案${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`, certs: i % 2 ? [{}] : [] });
    await addMember({ name: '档案过期', ordinaryUntil: '2020-01-01', certs: [{ type: '安全监理员' }] });

    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/roster/index');
    await page.waitFor(() => page.data.items.length, 'roster');
    await page.input('档案', '#name');
    await page.tap('#search');
    await page.waitFor(() => !page.data.loading && page.data.total === 23, 'name filter');
    expect(page.data.items).toHaveLength(20);
    expect(page.text()).toContain('共 23 人');
    await page.tap('#more');
    await page.waitFor(() => page.data.items.length === 23, 'second page');
    expect(page.text()).toContain('没有更多了');

    await page.pick(1, '#lapsed'); // 会籍已过期
    await page.waitFor(() => !page.data.loading && page.data.total === 1, 'lapsed filter');
    expect(page.text()).toContain('档案过期');
    expect(page.text()).toContain('会籍已过期');
    expect(page.text()).toContain('安全监理员');
    expect(page.text()).toContain('无在办业务');

    await page.pick(0, '#lapsed');
    await page.pick(2, '#cert'); // 无证书
    await page.waitFor(() => !page.data.loading && page.data.total === 11, 'no-certificate filter');
    expect(page.text()).toContain('暂无证书');

    await page.input('70', '#ageMin');
    await page.input('20', '#ageMax');
    await page.tap('#search');
    expect(page.find('#filter-error')!.dom.textContent).toContain('最小年龄不能大于最大年龄');
  });

  test('when the admin taps 生成离职码 on a person, then that person’s single-use resignation QR shows with its expiry', async () => {
    const m = await addMember({ name: '离职甲码', certs: [{}] });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/roster/index');
    await page.input('离职甲码', '#name');
    await page.tap('#search');
    await page.waitFor(() => !page.data.loading && page.data.total === 1, 'the person');
    await page.tap('#resign-0');
    await page.waitFor(() => page.data.resignQr, 'resignation QR');
    expect(page.find('#resign-name')!.dom.textContent).toContain('离职甲码');
    expect(page.text()).toMatch(/离职码有效期至：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const code = await decodeQr(page.data.resignQr);
    expect(ok(await system().call('codes', { action: 'resolve', code }, 'anyone'))).toMatchObject({ kind: 'resign', member: { id: m.memberId } });
  });

  test('when the admin opens 30天内到期 and ticks two people, then 续缴会费 makes one renewal draft for both, which submits to one bill', async () => {
    const today = shanghaiDay();
    const soon1 = await addMember({ name: '到期甲续', ordinaryUntil: addDays(today, 5) });
    const soon2 = await addMember({ name: '到期乙续', ordinaryUntil: addDays(today, 20) });
    await addMember({ name: '到期丙远', ordinaryUntil: addDays(today, 90) });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/roster/index', { expiring: '1' });
    await page.waitFor(() => !page.data.loading && page.data.items.length, 'expiring people');
    const names = page.data.items.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['到期甲续', '到期乙续']));
    expect(names).not.toContain('到期丙远');
    expect(page.find('#renew-bar')).toBeUndefined();
    for (const id of [soon1.memberId, soon2.memberId]) await page.tap(`#pick-${page.data.items.findIndex((p: { memberId: string }) => p.memberId === id)}`);
    expect(page.find('#renew-bar')!.dom.textContent).toContain('已选 2 人');
    queueActionSheet(0); // 普通会员会费
    await page.tap('#renew');
    await page.waitFor(() => lastNavigation() && lastNavigation()!.route === 'pkg-unit/form/index', 'the draft');
    const formId = lastNavigation()!.query.formId;
    const draft = ok(await system().call('forms', { action: 'get', formId }, ADMIN_A));
    expect(draft).toMatchObject({ type: 'membership-renewal', status: 'draft', level: 'ordinary' });
    expect(draft.people.map((p: { name: string }) => p.name).sort()).toEqual(['到期乙续', '到期甲续'].sort());
    expect(page.data.selectedCount).toBe(0);

    const form = await openPage('pkg-unit/form/index', { formId });
    await form.waitFor(() => form.data.form, 'the form');
    await form.tap('#submit-draft');
    await form.waitFor(() => form.data.form.status === 'awaiting_payment', 'submitted');
    const sent = ok(await system().call('forms', { action: 'get', formId }, ADMIN_A));
    expect(sent.bills).toHaveLength(1);
  });

  test('when a member (not an admin) opens the roster, then the refusal shows with a retry', async () => {
    actAs(system(), 'demo-member-1');
    const page = await openPage('pkg-unit/roster/index');
    await page.waitFor(() => page.data.error, 'error');
    expect(page.text()).toContain('您没有权限进行此操作');
    expect(page.find('#state', '#retry')).toBeTruthy();
  });
});

describe('单位二维码 (pkg-unit/codes)', () => {
  test('when the admin opens the codes page, then the transfer code shows and the second tab issues a real ID-supplement code', async () => {
    actAs(system(), ADMIN_B);
    const page = await openPage('pkg-unit/codes/index');
    await page.waitFor(() => page.data.qrUrl, 'transfer QR');
    expect(page.find('#title')!.dom.textContent).toContain('个人归属公司变更码');
    expect(page.text()).toMatch(/二维码有效期至：\d{4}-\d{2}-\d{2}/);
    expect(ok(await system().call('codes', { action: 'resolve', code: await decodeQr(page.data.qrUrl) }, 'x'))).toMatchObject({ kind: 'transfer', unit: { id: 'unit-b' } });

    await page.tapAt(1, '#tabs', '.t-tabs__item');
    await page.waitFor(() => page.data.kind === 'id-update' && page.data.qrUrl, 'id-update QR');
    expect(page.find('#title')!.dom.textContent).toContain('会员身份资料更新码');
    expect(ok(await system().call('codes', { action: 'resolve', code: await decodeQr(page.data.qrUrl) }, 'x')).kind).toBe('id-update');
    const first = page.data.qrUrl;
    await page.tap('#refresh');
    await page.waitFor(() => page.data.qrUrl && page.data.qrUrl !== first, 'refreshed QR');
  });
});

describe('扫码确认更换单位与离职 (pages/scan)', () => {
  test('when a member scans another unit’s transfer code, then the change from the current unit shows, confirming moves them, and the home page shows the new unit', async () => {
    const m = await bound({ name: '变更甲', certs: [{}] });
    const code = await issued('transfer', ADMIN_B);
    actAs(system(), m.openid);
    const page = await openPage('pages/scan/index');
    queueScan({ result: code });
    await page.tap('#scan');
    await page.waitFor(() => page.data.change, 'the change');
    expect(page.find('#change')!.dom.textContent).toContain('示例监理有限公司 → 示例工程咨询有限公司');
    expect(page.text()).toContain('确认变更到该单位');
    await page.tap('#confirm');
    await page.waitFor(() => page.data.done, 'done');
    expect(page.find('#done')!.dom.textContent).toContain('已变更到 示例工程咨询有限公司');
    expect((await database().collection(C.members).doc(m.memberId).get()).data.unitId).toBe('unit-b');

    const home = await openPage('pages/home/index');
    await home.waitFor(() => !home.data.loading, 'home');
    expect(home.find('#membership')!.dom.textContent).toContain('示例工程咨询有限公司');
  });

  test('when the named member confirms the resignation code, then they become unit-less; scanning it again says 二维码已被使用', async () => {
    const m = await bound({ name: '离职乙', certs: [{}] });
    const code = await issued('resign', ADMIN_A, m.memberId);
    actAs(system(), m.openid);
    const page = await openPage('pages/scan/index', { code });
    await page.waitFor(() => page.data.change, 'the change');
    expect(page.text()).toContain('离职码');
    expect(page.find('#change')!.dom.textContent).toContain('示例监理有限公司 → 暂无单位');
    await page.tap('#confirm');
    await page.waitFor(() => page.data.done, 'done');
    expect(page.text()).toContain('已确认离职，您现在不属于任何单位。');
    expect((await database().collection(C.members).doc(m.memberId).get()).data.unitId).toBeNull();

    const again = await openPage('pages/scan/index', { code });
    await again.waitFor(() => again.data.error, 'error');
    expect(again.find('#error')!.dom.textContent).toContain('二维码已被使用');
    expect(again.find('#confirm')).toBeUndefined();
  });

  test('when another member confirms someone else’s resignation code, then 无法办理 (FORBIDDEN) shows and nothing changes', async () => {
    const m = await bound({ certs: [{}] });
    const other = await bound({ certs: [{}] });
    const code = await issued('resign', ADMIN_A, m.memberId);
    actAs(system(), other.openid);
    const page = await openPage('pages/scan/index', { code });
    await page.waitFor(() => page.data.resolved, 'resolved');
    await page.tap('#confirm');
    await page.waitFor(() => page.data.error, 'error');
    expect(page.find('#error')!.dom.textContent).toContain('无法办理');
    expect((await database().collection(C.members).doc(other.openid ? other.memberId : '').get()).data.unitId).toBe('unit-a');
    expect((await database().collection(C.members).doc(m.memberId).get()).data.unitId).toBe('unit-a');
  });

  test('when the member has business in flight, then the transfer is refused with 暂不能办理 (NOT_ELIGIBLE)', async () => {
    const m = await bound({ certs: [{}] });
    const draft = await draftOf(system(), 'cert-cancel', [m.memberId]);
    ok(await system().call('forms', { action: 'submit', formId: draft.id, files: await bizFiles(system(), 'applicationForm') }, ADMIN_A));
    const code = await issued('transfer', ADMIN_B);
    actAs(system(), m.openid);
    const page = await openPage('pages/scan/index', { code });
    await page.waitFor(() => page.data.resolved, 'resolved');
    await page.tap('#confirm');
    await page.waitFor(() => page.data.error, 'error');
    expect(page.find('#error')!.dom.textContent).toContain('暂不能办理');
    expect((await database().collection(C.members).doc(m.memberId).get()).data.unitId).toBe('unit-a');
  });
});

describe('会员身份资料更新 (pkg-member/id-update)', () => {
  test('when an old-system member scans the ID-supplement code, looks themself up, uploads the ID card and gives the phone on record, then the request waits for the unit, whose admin confirms it and the record is bound', async () => {
    const m = await addMember({ name: '老会员丙', certs: [{}] });
    const code = await issued('id-update', ADMIN_A);
    const me = `wx-${randomUUID().slice(0, 8)}`;
    actAs(system(), me);
    const scan = await openPage('pages/scan/index', { code });
    await scan.waitFor(() => scan.data.resolved, 'resolved');
    await scan.tap('#id-update');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/id-update/index', query: { code } });

    const page = await openPage('pkg-member/id-update/index', lastNavigation()!.query);
    await page.input('老会员乙', '#name');
    await page.input(m.idNumber, '#idNumber');
    await page.tap('#lookup');
    await page.waitFor(() => page.data.error, 'not found');
    expect(page.find('#error')).toBeTruthy();

    await page.input('老会员丙', '#name');
    await page.tap('#lookup');
    await page.waitFor(() => page.data.step === 'upload', 'found');
    expect(page.find('#found')!.dom.textContent).toContain('老**丙');
    // The phone on record is the proof asked for: the page does not hint it.
    expect(page.find('#found')!.dom.textContent).not.toContain('139');

    await page.input('13712345678', '#phone');
    await page.tap('#submit');
    expect(page.data.errors.files_idFront).toBe('请上传身份证人像面');

    await photoInto(page, 'idFront');
    await page.waitFor(() => page.data.files.idFront && page.data.ocrNote, 'OCR answer');
    expect(page.find('#ocr-note')!.dom.textContent).toContain('识别服务不可用，请手动填写');
    await photoInto(page, 'idBack');
    await page.waitFor(() => page.data.files.idBack, 'ID back uploaded');
    await page.tap('#submit');
    await page.waitFor(() => page.data.error, 'phone refused');
    expect(page.data.error).toContain('手机号码与会员登记的手机号不一致');

    await page.input('13900000000', '#phone');
    await page.tap('#submit');
    await page.waitFor(() => page.data.step === 'done' || Object.values(page.data.errors).some(Boolean), 'done');
    expect(page.data.errors).toEqual({});
    expect(page.text()).toContain('已提交，待单位确认');
    const before = (await database().collection(C.members).doc(m.memberId).get()).data;
    expect(before.openid).toBeFalsy();

    actAs(system(), ADMIN_A);
    const unit = await openPage('pkg-unit/bind-requests/index');
    await unit.waitFor(() => !unit.data.loading && unit.data.items.length, 'requests');
    const req = unit.data.items.find((i: { memberId: string }) => i.memberId === m.memberId);
    expect(req).toBeTruthy();
    expect(unit.find(`#request-${req.id}`)!.dom.textContent).toContain('老会员丙');
    await unit.tap(`#approve-${req.id}`);
    await unit.waitFor(() => !unit.data.items.some((i: { id: string }) => i.id === req.id) && !unit.data.loading, 'decided');
    const rec = (await database().collection(C.members).doc(m.memberId).get()).data;
    expect(rec).toMatchObject({ openid: me, phone: '13900000000' });
    expect(rec.idFront).toBeTruthy();
  });

  test('when the unit admin refuses a binding request without a reason, then it asks for one; with one, the request is refused and the record stays unbound', async () => {
    const m = await addMember({ name: '老会员丁', certs: [{}] });
    const code = await issued('id-update', ADMIN_A);
    const me = `wx-${randomUUID().slice(0, 8)}`;
    const files = {
      idFront: await system().upload(jpeg(), `uploads/${me}/f.jpg`, me, 'idFront'),
      idBack: await system().upload(jpeg(120, 160, 80, 2), `uploads/${me}/b.jpg`, me, 'idBack'),
    };
    ok(await system().call('members', { action: 'idSupplement', code, name: '老会员丁', idNumber: m.idNumber, phone: '13900000000', files }, me));

    actAs(system(), ADMIN_A);
    const unit = await openPage('pkg-unit/bind-requests/index');
    await unit.waitFor(() => !unit.data.loading && unit.data.items.length, 'requests');
    const req = unit.data.items.find((i: { memberId: string }) => i.memberId === m.memberId);
    await unit.tap(`#refuse-${req.id}`);
    await unit.tap('#confirm-refuse');
    expect(unit.find('#reason-error')!.dom.textContent).toContain('请填写不予确认的原因');
    await unit.input('照片与本人不符', '#reason');
    await unit.tap('#confirm-refuse');
    await unit.waitFor(() => !unit.data.items.some((i: { id: string }) => i.id === req.id) && !unit.data.loading, 'decided');
    const rec = (await database().collection(C.members).doc(m.memberId).get()).data;
    expect(rec.openid).toBeFalsy();
    const refused = ok(await system().call('members', { action: 'bindRequests', status: 'refused' }, ADMIN_A)).items;
    expect(refused.find((i: { id: string }) => i.id === req.id)).toMatchObject({ status: 'refused', reason: '照片与本人不符' });
  });
});

describe('二维码记录 (pkg-unit/code-list)', () => {
  test('when the unit admin withdraws a valid code with a second tap, then it moves to 已撤销 and scanning it is refused', async () => {
    const code = await issued('transfer', ADMIN_A);
    const other = await issued('transfer', ADMIN_B);
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/code-list/index');
    await page.waitFor(() => !page.data.loading && page.data.items.length, 'codes');
    const mine = ok(await system().call('codes', { action: 'list', state: 'active', pageSize: 50 }, ADMIN_A)).items;
    const ids = page.data.items.map((i: { id: string }) => i.id);
    // Only the unit's own codes are listed.
    const theirs = ok(await system().call('codes', { action: 'list', state: 'active', pageSize: 50 }, ADMIN_B)).items.map((i: { id: string }) => i.id);
    expect(ids.filter((id: string) => theirs.includes(id))).toEqual([]);
    const newest = page.data.items.find((i: { kind: string }) => i.kind === 'transfer');
    expect(mine.map((i: { id: string }) => i.id)).toContain(newest.id);
    expect(page.find(`#code-${newest.id}`)!.dom.textContent).toContain('个人归属公司变更码');

    await page.tap(`#revoke-${newest.id}`);
    expect(page.data.confirming).toBe(newest.id);
    expect(page.text()).toContain('确认撤销？再点一次');
    expect(ok(await system().call('codes', { action: 'resolve', code }, 'wx-any-scanner')).kind).toBe('transfer');
    await page.tap(`#revoke-${newest.id}`);
    await page.waitFor(() => !page.data.loading && !page.data.items.some((i: { id: string }) => i.id === newest.id), 'withdrawn');
    expect((await system().call('codes', { action: 'resolve', code }, 'wx-any-scanner')).ok).toBe(false);
    expect(ok(await system().call('codes', { action: 'resolve', code: other }, 'wx-any-scanner')).kind).toBe('transfer');

    const revoked = ok(await system().call('codes', { action: 'list', state: 'revoked' }, ADMIN_A)).items;
    expect(revoked.map((i: { id: string }) => i.id)).toContain(newest.id);
  });
});

describe('消息及通知 (pkg-member/notices)', () => {
  test('when a transfer produced unit notices, then home shows the unread count, the list marks them, opening one reads it and 全部已读 clears the rest', async () => {
    for (let i = 0; i < 2; i++) {
      const m = await bound({ certs: [{}] });
      ok(await system().call('members', { action: 'confirmTransfer', code: await issued('transfer', ADMIN_B) }, m.openid));
    }
    const before = ok(await system().call('notices', { action: 'list' }, ADMIN_B)).unread as number;
    expect(before).toBeGreaterThanOrEqual(2);

    actAs(system(), ADMIN_B);
    const home = await openPage('pages/home/index');
    await home.waitFor(() => home.data.unread === before, 'unread count');
    expect(home.text()).toContain(`消息及通知有${before}条未读消息`);
    await home.tap('#go-notices');
    expect(lastNavigation()!.route).toBe('pkg-member/notices/index');

    const page = await openPage('pkg-member/notices/index');
    await page.waitFor(() => page.data.items.length, 'notices');
    expect(page.text()).toContain('单位变更已确认');
    expect(page.find('#unread')!.dom.textContent).toContain(`未读 ${before} 条`);
    const first = page.data.items[0];
    await page.tap('#notice-0');
    await page.waitFor(() => page.data.unread === before - 1, 'one read');
    expect(lastNavigation()).toMatchObject({ kind: 'navigateTo', route: first.page.replace(/^\//, '').split('?')[0] });
    expect(ok(await system().call('notices', { action: 'list' }, ADMIN_B)).items.find((n: { id: string }) => n.id === first.id).read).toBe(true);

    await page.tap('#read-all');
    await page.waitFor(() => page.data.unread === 0, 'all read');
    expect(ok(await system().call('notices', { action: 'list' }, ADMIN_B)).unread).toBe(0);
  });
});
