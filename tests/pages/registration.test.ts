/**
 * 延续登记 / 变更登记 on the phone (seed 000, the equipment association's profile) against the real
 * local system: 我的证书 offers them with every refusal reason, the wizard makes the draft, exports
 * the pre-filled paper, takes the signed scan and submits; 登记记录 shows it in the seed's words;
 * 找不到单位 asks the secretariat; 表格下载 lists the blank forms; the home page links them all.
 */
import { httpRequest } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { freshCreditCode, SECRETARIAT } from '../support/accounts';
import { ok } from '../support/journey';
import { openPage } from './support/render';
import type { PageDriver } from './support/render';
import { actAs, pick, useLocalSystem } from './support/system';
import { lastNavigation, queueActionSheet, queueMedia, queueMessageFile, tempFile, wxLog } from './support/wx';

const system = useLocalSystem({ profile: 'equipment' });

const READY = 'demo-holder-ready';
const SHORT = 'demo-holder-short';

/**
 * WeChat's own download and document viewer, for one test: the download fetches the real URL the
 * page got from the local system; the viewer records what it was asked to open.
 */
function phoneViewer() {
  const g = global as any;
  const saved = { downloadFile: g.wx.downloadFile, openDocument: g.wx.openDocument };
  const opened: { filePath: string; fileType: string; bytes: Buffer }[] = [];
  const files = new Map<string, Buffer>();
  g.wx.downloadFile = (opts: any) => {
    httpRequest(opts.url).then(
      (r) => {
        const f = tempFile(r.body, 'download.bin');
        files.set(f.path, r.body);
        opts.success?.({ statusCode: r.status, tempFilePath: f.path });
      },
      (e) => opts.fail?.({ errMsg: `downloadFile:fail ${e}` }),
    );
  };
  g.wx.openDocument = (opts: any) => {
    opened.push({ filePath: opts.filePath, fileType: opts.fileType, bytes: files.get(opts.filePath) || Buffer.alloc(0) });
    setTimeout(() => opts.success?.({ errMsg: 'openDocument:ok' }), 0);
  };
  return {
    opened,
    restore() {
      g.wx.downloadFile = saved.downloadFile;
      g.wx.openDocument = saved.openDocument;
    },
  };
}

async function fillDetails(page: PageDriver, email = 'wang@example.com') {
  await page.input('项目总监', '#position');
  await page.input('高级工程师', '#title');
  await page.input(email, '#email');
  await page.input('机械设备监理', '#specialty');
  await page.input('示例省示例市示例路8号', '#address');
}

async function formOf(formId: string, who: string) {
  return ok(await system().call('forms', { action: 'get', formId }, who));
}

describe('我的证书 with the equipment association', () => {
  test('when a holder has 12 of 20 hours, then 延续登记 is disabled with 还差8学时 and 变更登记 opens the wizard', async () => {
    actAs(system(), SHORT);
    const page = await openPage('pkg-cert/mine/index');
    await page.waitFor(() => page.data.items.length && page.data.items[0].actions.length, 'registration actions');
    const card = page.data.items[0];
    expect(card.id).toBe('cert-demo-holder-short');
    expect(card.hoursText).toBe('继续教育 12/20 学时');
    const renewal = page.find(`#renewal-${card.id}`);
    expect(renewal.instance.data.disabled).toBe(true);
    expect(page.find(`#why-renewal-${card.id}`).dom.textContent).toContain('还差8学时');
    expect(page.find(`#change-${card.id}`).instance.data.disabled).toBe(false);
    expect(page.find(`#why-change-${card.id}`)).toBeUndefined();
    await page.tap(`#renewal-${card.id}`);
    expect(wxLog.navigations).toEqual([]);
    await page.tap(`#change-${card.id}`);
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/registration/index', query: { kind: 'change', certId: card.id } });
    await page.tap('#records');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/registrations/index' });
  });

  test('when the same holder insists on a renewal in the wizard, then every reason of the refusal is shown and nothing is made', async () => {
    actAs(system(), SHORT);
    const page = await openPage('pkg-member/registration/index', { kind: 'renewal', certId: 'cert-demo-holder-short' });
    await page.waitForText('赵监理');
    expect(page.find('#option-reasons').dom.textContent).toContain('还差8学时');
    await fillDetails(page);
    await page.tap('#next');
    await page.waitFor(() => page.data.refusals.length, 'the refusal');
    expect(page.find('#refusals').dom.textContent).toContain('已完成12学时，还差8学时');
    expect(page.data.step).toBe(1);
    expect(page.data.draft).toBeNull();
    const me = ok(await system().call('members', { action: 'me' }, SHORT));
    expect(me.forms.filter((f: any) => f.type === 'registration-renewal')).toEqual([]);
  });
});

describe('延续登记: the holder with 20 hours', () => {
  test('when the holder fills in the details, exports the paper, uploads the signed PDF and submits, then 登记记录 shows it 待初审', async () => {
    actAs(system(), READY);
    const page = await openPage('pkg-member/registration/index', { kind: 'renewal', certId: 'cert-demo-holder-ready' });
    await page.waitForText('王设备');
    const me = ok(await system().call('members', { action: 'me' }, READY));
    const cert = me.certificates[0];
    const person = page.find('#person').dom.textContent;
    expect(person).toContain(me.member.idMasked);
    expect(person).toContain(me.member.phone);
    expect(person).toContain('示例监理有限公司');
    const certText = page.find('#certificate').dom.textContent;
    for (const s of [cert.no, '专业知识培训合格证书', cert.validUntil]) expect(certText).toContain(s);
    expect(page.find('#steps-box').dom.textContent.replace(/\s+/g, '')).toMatch(/登记信息.*上传附件.*完成/);

    // Nothing filled in: every field says so, and no draft is made.
    await page.tap('#next');
    expect(Object.keys(page.data.errors).sort()).toEqual(['address', 'email', 'position', 'specialty', 'title']);
    expect(page.find('#details').dom.textContent).toContain('请填写职务');
    // The e-mail is checked as it is typed.
    await page.input('wang@example', '#email');
    await page.input('wang@example.', '#email');
    expect(page.data.errors.email).toContain('请填写正确的电子邮箱');
    await fillDetails(page);
    expect(page.data.errors.email).toBe('');
    await page.tap('#next');
    await page.waitFor(() => page.data.step === 2, 'the draft');
    const draft = await formOf(page.data.draft.id, READY);
    expect(draft).toMatchObject({ type: 'registration-renewal', status: 'draft', registration: { certNo: cert.no, details: { position: '项目总监', email: 'wang@example.com' } } });
    expect(page.find('#instructions').dom.textContent).toContain('申请人签字');
    expect(page.find('#instructions').dom.textContent).toContain('工作单位盖章');

    // 导出申请表: the pre-filled PDF, opened in the phone's viewer.
    const viewer = phoneViewer();
    try {
      await page.tap('#paper');
      await page.waitFor(() => viewer.opened.length, 'the viewer');
    } finally {
      viewer.restore();
    }
    expect(viewer.opened[0].fileType).toBe('pdf');
    expect(viewer.opened[0].bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(page.find('#paper-file').dom.textContent).toMatch(/\.pdf$/);

    // The profile's slot: the renewal form, PDF only (seed 3.5); a photo is refused on the phone.
    expect(page.data.slots).toEqual([expect.objectContaining({ key: 'applicationForm', accept: 'pdf', maxBytes: 10 * 1024 * 1024 })]);
    expect(page.find('#file-applicationForm').dom.textContent).toContain('请上传PDF文件');
    await page.tap('#submit');
    expect(page.find('#file-applicationForm').instance.data.shownError).toContain('请上传延续登记申请表');
    queueMessageFile({ ...tempFile(jpeg(100, 100), 'scan.jpg'), name: 'scan.jpg' });
    await page.tap('#file-applicationForm', '#choose');
    await page.waitFor(() => page.find('#file-applicationForm').instance.data.shownError.includes('须为PDF'), 'the PDF-only refusal');
    queueMessageFile({ ...pick.pdf(), name: '延续登记申请表.pdf' });
    await page.tap('#file-applicationForm', '#choose');
    await page.waitFor(() => page.data.files.applicationForm, 'the upload');

    await page.tap('#submit');
    await page.waitFor(() => page.data.step === 3, 'submitted');
    const done = page.find('#done').dom.textContent;
    expect(done).toContain(draft.no);
    expect(done).toContain('待初审');
    expect((await formOf(draft.id, READY)).status).toBe('org_review');
    await page.tap('#records');
    expect(lastNavigation()).toMatchObject({ kind: 'redirectTo', route: 'pkg-member/registrations/index' });

    const records = await openPage('pkg-member/registrations/index');
    await records.waitFor(() => records.data.items.length, 'the records');
    const row = records.find(`#reg-${draft.id}`).dom.textContent;
    for (const s of ['延续登记', cert.no, '示例监理有限公司', '待初审']) expect(row).toContain(s);
    await records.tap(`#reg-${draft.id}`);
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/application/index', query: { formId: draft.id } });

    // The first review done: 已初审.
    ok(await system().call('review', { action: 'approve', formId: draft.id }, 'demo-org-reviewer'));
    const again = await openPage('pkg-member/registrations/index');
    await again.waitFor(() => again.data.items.length, 'the records again');
    expect(again.find(`#reg-${draft.id}`).dom.textContent).toContain('已初审');
  });
});

describe('变更登记 with 找不到单位', () => {
  test('when the new employer is missing, then the holder asks the secretariat for it; the same employer is refused; another is chosen and both papers go in', async () => {
    actAs(system(), SHORT);
    const page = await openPage('pkg-member/registration/index', { kind: 'change', certId: 'cert-demo-holder-short' });
    await page.waitForText('赵监理');
    expect(page.find('#units').dom.textContent).toContain('示例工程咨询有限公司'); // 原工作单位
    await fillDetails(page, 'zhao@example.com');
    await page.tap('#next');
    expect(page.find('#unit-refusal').dom.textContent).toContain('请选择变更后的工作单位');

    // 找不到单位?
    await page.input('示例新设备', '#unit-q');
    await page.tap('#unit-search');
    await page.waitForText('没有名称含“示例新设备”的单位');
    await page.tap('#unit-missing');
    expect(page.find('#unit-request')).toBeTruthy();
    const name = `示例新设备监理${process.pid}有限公司`;
    await page.input(name, '#req-name');
    await page.input('12345', '#req-credit');
    await page.input('010-64221783', '#req-contact');
    await page.tap('#req-submit');
    expect(page.data.requestErrors.creditCode).toBeTruthy();
    await page.input(freshCreditCode(), '#req-credit');
    await page.tap('#req-submit');
    await page.waitFor(() => page.data.requestSent, 'the request');
    expect(page.find('#request-sent').dom.textContent).toContain('秘书处');
    const pending = ok(await system().call('admin', { action: 'unitRequests' }, SECRETARIAT));
    expect(pending.items.map((r: any) => r.name)).toContain(name);

    // The same employer as now: refused where the unit is chosen.
    await page.input('示例', '#unit-q');
    await page.tap('#unit-search');
    await page.waitFor(() => page.data.units.length, 'the directory');
    await page.tap('#unit-unit-b');
    expect(page.find('#new-unit').dom.textContent).toContain('示例工程咨询有限公司');
    await page.tap('#next');
    await page.waitFor(() => page.data.errors.newUnitId, 'the refusal');
    expect(page.find('#unit-refusal').dom.textContent).toContain('相同');

    await page.tap('#unit-change');
    await page.input('示例监理', '#unit-q');
    await page.tap('#unit-search');
    await page.waitFor(() => page.data.units.some((u: any) => u.id === 'unit-a'), 'unit-a');
    await page.tap('#unit-unit-a');
    await page.tap('#next');
    await page.waitFor(() => page.data.step === 2, 'the draft');
    const draft = await formOf(page.data.draft.id, SHORT);
    expect(draft.registration).toMatchObject({ kind: 'change', fromUnit: { id: 'unit-b' }, toUnit: { id: 'unit-a' } });

    // Two slots from the profile; each takes a photo or a PDF.
    expect(page.data.slots.map((s: any) => [s.key, s.accept])).toEqual([
      ['applicationForm', 'image-pdf'],
      ['resignationProof', 'image-pdf'],
    ]);
    await page.tap('#submit');
    expect(page.find('#file-resignationProof').instance.data.shownError).toContain('请上传原单位离职证明');
    queueActionSheet(0);
    queueMedia(pick.diploma());
    await page.tap('#file-applicationForm', '#choose');
    await page.waitFor(() => page.data.files.applicationForm, 'the form upload');
    queueActionSheet(1);
    queueMessageFile({ ...tempFile(pdf(900), 'proof.pdf'), name: 'proof.pdf' });
    await page.tap('#file-resignationProof', '#choose');
    await page.waitFor(() => page.data.files.resignationProof, 'the proof upload');
    await page.tap('#submit');
    await page.waitFor(() => page.data.step === 3, 'submitted');
    expect(page.find('#done').dom.textContent).toContain('待初审');
    expect((await formOf(draft.id, SHORT)).status).toBe('org_review');

    // The first review returns it to the holder: 申请详情 asks for the papers again, not a profile.
    ok(await system().call('review', { action: 'return', formId: draft.id, reason: '离职证明不清晰' }, 'demo-org-reviewer'));
    const detail = await openPage('pkg-member/application/index', { formId: draft.id });
    await detail.waitForText('离职证明不清晰');
    expect(detail.find('#detail', '#reg-to').dom.textContent).toBe('示例监理有限公司');
    expect(detail.find('#detail', '#reg-from').dom.textContent).toBe('示例工程咨询有限公司');
    expect(detail.find('#detail', '#profile')).toBeUndefined();
    await detail.waitFor(() => detail.data.regSlots.length === 2, 'the slots');
    const before = detail.data.files.resignationProof;
    queueActionSheet(1);
    queueMessageFile({ ...tempFile(pdf(1200), 'proof2.pdf'), name: 'proof2.pdf' });
    await detail.tap('#file-resignationProof', '#retake');
    await detail.waitFor(() => detail.data.files.resignationProof !== before, 'the new proof');
    await detail.tap('#resubmit');
    await detail.waitFor(() => detail.data.form.status === 'org_review', 'resubmitted');
    await detail.waitFor(() => detail.data.stageHint === '审核状态：待初审', 'the hint in the association’s words');
  });
});

describe('表格下载 and the home page', () => {
  test('when a holder opens 表格下载, then the association’s blank forms are listed and open as PDFs', async () => {
    actAs(system(), READY);
    const page = await openPage('pkg-cert/templates/index');
    await page.waitFor(() => page.data.items.length, 'the templates');
    expect(page.data.items.map((t: any) => t.name)).toEqual(['延续登记申请表', '变更登记申请表']);
    expect(page.find('#list').dom.textContent).toContain('PDF');
    const viewer = phoneViewer();
    try {
      await page.tap(`#open-${page.data.items[0].kind}`);
      await page.waitFor(() => viewer.opened.length, 'the viewer');
    } finally {
      viewer.restore();
    }
    expect(viewer.opened[0]).toMatchObject({ fileType: 'pdf' });
    expect(viewer.opened[0].bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  test('when a holder opens the home page, then 延续登记, 变更登记 and 登记记录 are offered, and 表格下载', async () => {
    actAs(system(), READY);
    const home = await openPage('pages/home/index');
    await home.waitForText('专业技术人员登记');
    const reg = home.find('#registration').dom.textContent;
    for (const s of ['延续登记', '变更登记', '登记记录']) expect(reg).toContain(s);
    expect(home.find('#go-templates')).toBeTruthy();
    await home.tap('#reg-2');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/registrations/index' });
    await home.tap('#go-templates');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-cert/templates/index' });

    // Staff hold no certificate: no registration entries, 表格下载 still.
    actAs(system(), 'demo-org-reviewer');
    const staff = await openPage('pages/home/index');
    await staff.waitFor(() => !staff.data.loading, 'the home page');
    expect(staff.find('#registration')).toBeUndefined();
    expect(staff.find('#go-templates')).toBeTruthy();

    // A unit admin of this association starts no certificate business: no 办理业务 / 学习进度 entries.
    actAs(system(), 'demo-unit-a-admin');
    const unit = await openPage('pages/home/index');
    await unit.waitForText('预审与业务');
    expect(unit.text()).not.toContain('办理业务');
    expect(unit.text()).not.toContain('学习进度');
  });
});
