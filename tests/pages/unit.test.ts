/** 单位管理员: the join code, the pre-review list with counts, pre-review, paying the fee, resubmitting. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { httpRequest } from '../support/local-system';
import { ADMIN_A, ORG, apply, joinFiles, ok, profile } from '../support/journey';
import { pdf, validIdNumber } from '../support/fixtures';
import { openPage } from './support/render';
import { photoInto, pdfInto } from './support/join-steps';
import { actAs, newOpenid, pick, useLocalSystem } from './support/system';
import { lastNavigation, queueMedia, wxLog } from './support/wx';

const system = useLocalSystem();
let seq = 100;

/** A real application by a new WeChat user, through members.apply. */
async function applied(name: string, kind: 'join' | 'join-simple' = 'join', files?: (openid: string) => Promise<Record<string, string>>) {
  const birth = `19${70 + (seq % 25)}-0${1 + (seq % 9)}-1${seq % 10}`;
  const prof = profile({ name, idNumber: validIdNumber(birth, 'male', seq++) }, birth);
  const openid = newOpenid();
  if (kind === 'join-simple') {
    delete (prof as Record<string, unknown>).education;
    delete (prof as Record<string, unknown>).address;
    delete (prof as Record<string, unknown>).title;
  }
  const r = ok<{ formId: string; formNo: string }>(await apply(system(), openid, prof, { kind, ...(files ? { files: await files(openid) } : {}) }));
  return r;
}

async function formAs(formId: string, openid = ADMIN_A) {
  return ok(await system().call('forms', { action: 'get', formId }, openid));
}

async function decodeQr(url: string): Promise<string> {
  const r = await httpRequest(url);
  const img = PNG.sync.read(r.body);
  const qr = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  if (!qr) throw new Error('QR image does not decode');
  return qr.data;
}

describe('unit admin', () => {
  test('when the admin opens 入会二维码, then a real code image with its expiry shows, and 切换成简码 issues a simple code', async () => {
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/join-code/index');
    await page.waitFor(() => page.data.qrUrl, 'QR image');
    expect(page.text()).toContain('入会二维码');
    expect(page.text()).toMatch(/二维码有效期至：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.waitForText('示例监理有限公司');
    const full = await decodeQr(page.data.qrUrl);
    expect(ok(await system().call('codes', { action: 'resolve', code: full }, 'anyone')).kind).toBe('join');

    await page.tap('#switch');
    await page.waitFor(() => page.data.qrUrl && page.data.kind === 'join-simple', 'simple code');
    expect(page.text()).toContain('入会简码');
    expect(page.text()).toContain('切换成二维码');
    const simple = await decodeQr(page.data.qrUrl);
    expect(ok(await system().call('codes', { action: 'resolve', code: simple }, 'anyone')).kind).toBe('join-simple');
  });

  test('when someone who is not a unit admin opens 入会二维码, then the refusal shows with a retry and no image', async () => {
    actAs(system(), 'demo-member-1');
    const page = await openPage('pkg-unit/join-code/index');
    await page.waitFor(() => page.data.error, 'error state');
    expect(page.text()).toContain('您没有权限进行此操作');
    expect(page.find('#state', '#retry')).toBeTruthy();
    expect(page.find('#qr')).toBeUndefined();
  });

  test('when the unit has applications, then the list shows counts per status, searches by name and pages', async () => {
    for (let i = 0; i < 21; i++) {
      const birth = '1980-05-05';
      const prof = { name: `批量${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰'[Math.floor(i / 10)]}`, gender: 'female', idType: 'resident', idNumber: validIdNumber(birth, 'female', 200 + i), phone: '13600000000' };
      ok(await apply(system(), newOpenid(), prof, { kind: 'join-simple' }));
    }
    const { formId } = await applied('待缴甲');
    ok(await system().call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));

    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/forms/index');
    await page.waitFor(() => page.data.items.length, 'list');
    const labels = page.data.tabs.map((t: { label: string }) => t.label);
    expect(labels).toContain('待缴费 1');
    const pending = Number(labels.find((l: string) => l.startsWith('单位预审中')).split(' ')[1]);
    expect(pending).toBeGreaterThanOrEqual(21);
    expect(page.text()).toContain('待缴费 1');
    expect(page.data.items).toHaveLength(20);
    await page.tap('#more');
    await page.waitFor(() => page.data.items.length > 20, 'second page');
    expect(page.data.items).toHaveLength(page.data.total);

    await page.input('批量乙丑', '#keyword');
    await page.tap('#search');
    await page.waitFor(() => page.data.items.length === 1, 'search result');
    expect(page.text()).toContain('批量乙丑');

    // A creation-date range with nothing in it, then cleared.
    await page.pick('2020-01-01', '#from');
    await page.pick('2020-12-31', '#to');
    await page.waitFor(() => !page.data.loading && page.data.total === 0, 'empty date range');
    expect(page.text()).toContain('没有符合条件的表单');
    await page.tap('#clear-dates');
    await page.waitFor(() => !page.data.loading && page.data.total === 1, 'dates cleared');

    await page.input('待缴甲', '#keyword');
    await page.tap('#search');
    await page.waitFor(() => !page.data.loading && page.data.total === 0, 'empty search in 单位预审中');
    expect(page.text()).toContain('没有符合条件的表单');
    await page.tapAt(2, '#tabs', '.t-tabs__item'); // 全部, 单位预审中, 待缴费
    await page.waitFor(() => page.data.items.length === 1, 'the paying form');
    await page.tap('.item', '.card');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/form/index', query: { formId } });
  }, 30000);

  test('when the admin approves a full-code application choosing 专业会员, then it moves to 待缴费 with the level the unit chose', async () => {
    // The applicant attached their 注册监理工程师注册证书, which a professional membership needs.
    const { formId } = await applied('预审甲', 'join', async (openid) => ({
      ...(await joinFiles(system(), true, openid)),
      qualificationCert: await system().upload(pdf(600), `uploads/pro/${openid}.pdf`, openid, 'qualificationCert'),
    }));
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId });
    await page.waitForText('预审甲');
    expect(page.text()).toContain('单位预审中');
    expect(page.text()).toMatch(/4401\*+\d{3}[\dX]/); // the unit sees the number masked
    expect(page.find('#detail', '#reveal-0')).toBeTruthy(); // and may ask for the full number (audited)
    expect(page.find('#supplement')).toBeUndefined();
    await page.tap('#level-professional');
    await page.tap('#approve');
    await page.waitForText('待缴费');
    const form = await formAs(formId);
    expect(form).toMatchObject({ status: 'awaiting_payment', level: 'professional' });
    expect(form.bills[0].status).toBe('unpaid');
  });

  test('when a simple-code application is approved without the missing details, then the page asks for them; once completed it is approved', async () => {
    const { formId } = await applied('简码乙', 'join-simple');
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId });
    await page.waitForText('简码乙');
    expect(page.find('#supplement')).toBeTruthy();
    await page.tap('#approve');
    expect(page.text()).toContain('请填写毕业院校');
    expect(page.text()).toContain('请上传最高学历毕业证照片');
    expect((await formAs(formId)).status).toBe('unit_review');

    await page.input('示例市示例区幸福路1号', '#supplement', '#address');
    await page.pick('1', '#supplement', '#educationLevel'); // 大专
    await page.input('示例职业技术学院', '#supplement', '#school');
    await page.input('建设工程监理', '#supplement', '#major');
    await page.pick('2010-07-01', '#supplement', '#graduatedOn');
    await photoInto(page, 'diploma', pick.diploma());
    expect(page.data.files.diploma).toBeTruthy(); // uploaded, not merely "an error was showing"
    await pdfInto(page, 'diplomaCheck');
    await page.tap('#approve');
    await page.waitForText('待缴费');
    const person = (await formAs(formId)).people[0];
    expect(person.education).toEqual({ level: 'college', school: '示例职业技术学院', major: '建设工程监理', graduatedOn: '2010-07-01' });
    expect(person.address).toBe('示例市示例区幸福路1号');
    expect(Object.keys(person.files)).toEqual(expect.arrayContaining(['diploma', 'diplomaCheck']));
  });

  test('when the admin returns without a reason, then the dialog refuses; with a reason the application goes back to the applicant', async () => {
    const { formId } = await applied('退回丙');
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId });
    await page.waitForText('退回丙');
    await page.tap('#return');
    expect(page.data.returnVisible).toBe(true);
    await page.tap('#return-dialog', '#dialog', '.t-dialog__button--confirm');
    expect(page.text()).toContain('请填写退回原因');
    expect((await formAs(formId)).status).toBe('unit_review');

    await page.input('身份证照片模糊，请重新拍摄', '#return-dialog', '#reason');
    await page.tap('#return-dialog', '#dialog', '.t-dialog__button--confirm');
    await page.waitForText('退回原因：身份证照片模糊，请重新拍摄');
    const form = await formAs(formId);
    expect(form.status).toBe('returned');
    expect(form.returned).toMatchObject({ to: 'applicant', from: 'unit_review', reason: '身份证照片模糊，请重新拍摄' });
  });

  test('when the admin uploads the fee receipt and pays, then the bill is paid and the form goes to 机构初审', async () => {
    const { formId } = await applied('缴费丁');
    ok(await system().call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId });
    await page.waitForText('缴纳个人会员会费');
    await page.tap('#pay-submit');
    expect(page.text()).toContain('请先上传缴费凭证');
    queueMedia(pick.receipt());
    await page.tap('#file-receipt', '#choose');
    await page.waitFor(() => page.data.receipt, 'receipt upload');
    const receipt = page.data.receipt;
    await page.tap('#pay-submit');
    await page.waitForText('机构初审中');
    const form = await formAs(formId);
    expect(form.status).toBe('org_review');
    expect(form.bills[0]).toMatchObject({ status: 'paid', receipt });
  });

  test('when a reviewer returned the form to the unit, then the admin sees the reason, edits the address and resubmits', async () => {
    const { formId } = await applied('重提戊');
    ok(await system().call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    const unpaid = await formAs(formId);
    const receipt = await system().upload(require('../support/fixtures').jpeg(100, 100, 80, 7), 'uploads/receipt/r1.jpg', ADMIN_A, 'receipt');
    ok(await system().call('bills', { action: 'pay', billId: unpaid.bills[0].id, receipt }, ADMIN_A));
    ok(await system().call('review', { action: 'return', formId, reason: '通讯地址不完整' }, ORG));

    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId });
    await page.waitForText('退回原因：通讯地址不完整');
    expect(page.find('#profile', '#name')).toBeUndefined(); // identity stays the applicant's
    expect(page.find('#profile', '#phone')).toBeUndefined();
    await page.input('示例市示例区示例路8号3栋501', '#profile', '#address');
    await page.input('已补全门牌号', '#remark');
    await page.tap('#resubmit');
    await page.waitFor(() => page.data.form.status !== 'returned', 'resubmitted');
    const form = await formAs(formId);
    expect(form.status).toBe('org_review');
    expect(form.people[0].address).toBe('示例市示例区示例路8号3栋501');
    expect(form.trail[form.trail.length - 1]).toMatchObject({ from: 'returned', to: 'org_review', remark: '已补全门牌号' });
    expect(wxLog.toasts).toContain('已重新提交');
  });
});
