/**
 * 办理业务 (the unit's business-form wizard), the form detail of a business form (draft, pay,
 * trail) and the form list's business-type filter — all through the real functions.
 */
import { addMonths, addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { FORM_TYPE_LABEL } from '../../miniprogram/shared/labels';
import { setTransport, getTransport } from '../../miniprogram/services/request';
import { ADMIN_A, apply, ok, ORG, profile } from '../support/journey';
import { addMember } from '../support/people';
import { draftOf, imageInto, paid, pdfInto, personFilesInto, submitted, toPayment } from './support/business';
import { openPage, PageDriver } from './support/render';
import { actAs, pick, useLocalSystem } from './support/system';
import { lastNavigation, queueMedia, wxLog } from './support/wx';

const system = useLocalSystem();
const today = () => shanghaiDay();

async function formAs(formId: string) {
  return ok(await system().call('forms', { action: 'get', formId }, ADMIN_A));
}

/** Step 1 → 2: choose the type (and a certificate type by its index in CERT_TYPES), wait for the picker. */
async function toPicker(page: PageDriver, type: string, certIndex?: number) {
  await page.tap(`#type-${type}`);
  if (certIndex !== undefined) await page.tap(`#cert-${certIndex}`);
  await page.tap('#next');
  await page.waitFor(() => page.data.step === 2 && !page.data.listLoading && page.data.people.length, 'the person picker');
}

const row = (page: PageDriver, memberId: string) => page.data.people.find((p: { memberId: string }) => p.memberId === memberId);

describe('the business wizard', () => {
  test('when the admin picks 继续教育 for 监理员, then qualifying people are selectable and the others are greyed out with every reason', async () => {
    const due = await addMember({ name: '续教甲', certs: [{ validUntil: addMonths(today(), 3) }] });
    const lapsed = await addMember({ name: '续教乙', ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: addMonths(today(), 2) }] });
    const early = await addMember({ name: '续教丙', certs: [{ validUntil: addYears(today(), 2) }] });
    const expired = await addMember({ name: '续教丁', ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: addMonths(today(), -1) }] });

    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/business/index');
    await page.tap('#next');
    expect(page.find('#type-error').dom.textContent).toBe('请选择要办理的业务');
    await page.tap('#type-continuing-education');
    await page.tap('#next');
    expect(page.find('#cert-error').dom.textContent).toBe('请选择办理业务的证书类型');
    await page.tap('#cert-0'); // 监理员
    await page.tap('#next');
    await page.waitFor(() => !page.data.listLoading && page.data.people.length, 'the person picker');

    expect(row(page, due.memberId)).toMatchObject({ eligible: true, reasons: [] });
    expect(row(page, lapsed.memberId)).toMatchObject({ eligible: true, membershipFeeDue: true });
    expect(page.find(`#person-${lapsed.memberId}`).dom.textContent).toContain('提交时将一并生成个人会员会费缴费单');
    // Greyed out, with every reason the server gave — not hidden.
    const earlyRow = page.find(`#person-${early.memberId}`);
    expect(earlyRow.dom.className).toContain('person--off');
    expect(earlyRow.dom.textContent).toContain('不符合条件');
    expect(earlyRow.dom.textContent).toMatch(/到期前半年内/);
    const expiredItem = row(page, expired.memberId);
    expect(expiredItem.eligible).toBe(false);
    expect(expiredItem.reasons.length).toBeGreaterThanOrEqual(2);
    const expiredText = page.find(`#person-${expired.memberId}`).dom.textContent;
    for (const r of expiredItem.reasons) expect(expiredText).toContain(r);
    expect(expiredText).toMatch(/T[0-9A-Z]+ · 有效期至 \d{4}-\d{2}-\d{2} · 已过期/);

    // A refused person cannot be selected; qualifying ones can, and are listed as chosen.
    await page.tap(`#person-${early.memberId}`);
    expect(page.data.selectedList).toHaveLength(0);
    expect(wxLog.toasts).toContain('该人员当前不符合办理条件，原因见其下方说明');
    await page.tap('#next');
    expect(page.find('#people-hint').dom.textContent).toBe('请至少选择一位符合条件的人员');
    await page.tap(`#person-${due.memberId}`);
    await page.tap(`#person-${lapsed.memberId}`);
    expect(page.find('#selected').dom.textContent).toContain('已选 2 人');
    expect(page.find(`#person-${due.memberId}`).dom.className).toContain('person--on');

    // Search by name.
    await page.input('续教丙', '#keyword');
    await page.tap('#search');
    await page.waitFor(() => !page.data.listLoading && page.data.total === 1, 'search result');
    expect(page.data.people.map((x: { name: string }) => x.name)).toEqual(['续教丙']);
    expect(page.data.selectedList).toHaveLength(2); // the choice survives a search
  });

  test('when the attachments are missing, then each is named; with them the form is submitted to 待缴费 with its bills and the detail opens', async () => {
    const a = await addMember({ name: '提交甲', certs: [{ validUntil: addMonths(today(), 4) }] });
    const b = await addMember({ name: '提交乙', ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: addMonths(today(), 1) }] });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/business/index');
    await toPicker(page, 'continuing-education', 0);
    await page.tap(`#person-${a.memberId}`);
    await page.tap(`#person-${b.memberId}`);
    await page.tap('#next');

    expect(page.data.step).toBe(3);
    expect(page.data.fileKeys).toEqual(['commitment', 'insuranceProof', 'applicationForm']);
    await page.tap('#next');
    expect(page.data.step).toBe(3);
    expect(page.find('#file-commitment').instance.data.shownError).toBe('请上传单位承诺书');
    expect(page.text()).toContain('请上传社保证明');
    expect(page.text()).toContain('请上传延续登记申请表');
    expect(page.text()).toContain('签字盖章的延续登记申请表，拍照或扫描为PDF');

    await imageInto(page, 'commitment');
    await imageInto(page, 'insuranceProof');
    await pdfInto(page, 'applicationForm');
    // Each person's own diploma and its verification (manual 2.6.3).
    await personFilesInto(page, a.memberId);
    await personFilesInto(page, b.memberId);
    expect(page.text()).not.toContain('请上传单位承诺书');
    await page.tap('#next');
    expect(page.data.step).toBe(4);
    const fees = page.find('#fees').dom.textContent;
    expect(fees).toContain('辅助费 80元 × 2人');
    expect(fees).toContain('160元');
    expect(fees).toContain('补缴个人会员会费 × 1人');
    expect(fees).toContain('实际应缴金额以提交后系统生成的缴费单为准');
    expect(page.find('#sum-people').dom.textContent).toContain('提交乙');

    await page.tap('#submit');
    await page.waitFor(() => wxLog.navigations.length, 'the detail');
    const nav = lastNavigation()!;
    expect(nav).toMatchObject({ kind: 'redirectTo', route: 'pkg-unit/form/index' });
    const form = await formAs(nav.query.formId);
    expect(form).toMatchObject({ type: 'continuing-education', status: 'awaiting_payment', certType: '监理员', amountDue: 460 }); // pay first (manual 2.5.2)
    expect(form.people.map((p: { name: string }) => p.name)).toEqual(['提交甲', '提交乙']);
    expect(form.bills.map((x: { kind: string; amount: number }) => `${x.kind}:${x.amount}`).sort()).toEqual(['auxiliary:160', 'membership-personal:300']);
    expect(Object.keys(form.files).sort()).toEqual(['applicationForm', 'commitment', 'insuranceProof']);
  }, 30000);

  test('when a person’s diploma is missing, then the server’s refusal shows under that person’s slot and nothing is submitted; with it uploaded the form goes through', async () => {
    const a = await addMember({ name: '学历甲', certs: [{}] });
    const b = await addMember({ name: '学历乙', certs: [{}] });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/business/index');
    await toPicker(page, 'upgrade');
    await page.tap(`#person-${a.memberId}`);
    await page.tap(`#person-${b.memberId}`);
    await page.tap('#next');

    // One block per person: the required slots marked as the unit's are, the optional ones 选填.
    expect(page.data.personKeys).toEqual(['diploma', 'diplomaCheck', 'titleCert', 'qualificationCert']);
    expect(page.find(`#pf-${a.memberId}`).dom.textContent).toContain('学历甲');
    const diplomaSlot = page.find(`#pf-${b.memberId}-diploma`).instance.data;
    expect(diplomaSlot).toMatchObject({ required: true, label: '最高学历毕业证' });
    expect(page.find(`#pf-${b.memberId}-titleCert`).instance.data).toMatchObject({ required: false, label: '职称证书（选填）' });

    await imageInto(page, 'commitment');
    await imageInto(page, 'insuranceProof');
    await personFilesInto(page, a.memberId);
    await personFilesInto(page, b.memberId, ['diplomaCheck']); // 学历乙's diploma left out
    await page.tap('#next');
    expect(page.data.step).toBe(4);
    expect(page.find(`#sum-person-files-${b.memberId}`).dom.textContent).toContain('最高学历毕业证未上传');

    await page.tap('#submit');
    await page.waitFor(() => page.data.actionError, 'the refusal');
    // Back at the attachments, 学历乙's block open, the server's words under the slot.
    expect(page.data.step).toBe(3);
    expect(page.data.openPerson).toBe(b.memberId);
    expect(page.find(`#pf-${b.memberId}-diploma`).instance.data.shownError).toBe('学历乙：请上传最高学历毕业证');
    expect(page.find(`#pf-${a.memberId}-diploma`).instance.data.shownError).toBe('');
    expect(page.find('#action-error').dom.textContent).toContain('学历乙：请上传最高学历毕业证');
    // Nothing submitted: the draft waits, without bills.
    const draftId = page.data.draft.id;
    expect(await formAs(draftId)).toMatchObject({ status: 'draft', bills: [] });
    expect(wxLog.navigations).toHaveLength(0);

    await imageInto(page, 'diploma', () => page.data.personFiles[b.memberId] || {}, `#pf-${b.memberId}-diploma`);
    expect(page.find(`#pf-${b.memberId}-diploma`).instance.data.shownError).toBe('');
    await page.tap('#next');
    await page.tap('#submit');
    await page.waitFor(() => wxLog.navigations.length, 'the detail');
    expect(lastNavigation()).toMatchObject({ kind: 'redirectTo', route: 'pkg-unit/form/index', query: { formId: draftId } });
    const form = await formAs(draftId);
    expect(form.status).toBe('awaiting_payment');
    expect(form.people.map((x: { name: string }) => x.name)).toEqual(['学历甲', '学历乙']);
    expect(form.people[1].files).toEqual(page.data.personFiles[b.memberId]);
    expect(Object.keys(form.people[0].files).sort()).toEqual(['diploma', 'diplomaCheck']);
  }, 30000);

  test('when a chosen person becomes ineligible before submitting, then the refusal shows next to that person, and without them the form goes through', async () => {
    const stays = await addMember({ name: '注销甲', certs: [{}] });
    const taken = await addMember({ name: '注销乙', certs: [{}] });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/business/index');
    await toPicker(page, 'cert-cancel', 0);
    await page.tap(`#person-${stays.memberId}`);
    await page.tap(`#person-${taken.memberId}`);
    await page.tap('#next');
    expect(page.data.fileKeys).toEqual(['applicationForm']);
    await pdfInto(page, 'applicationForm');
    await page.tap('#next');
    expect(page.find('#fee-note').dom.textContent).toContain('证书注销不收费');

    // Meanwhile someone else submits a cancellation for 注销乙.
    await submitted(system(), 'cert-cancel', [taken.memberId], { certType: '监理员' }, ['applicationForm']);
    await page.tap('#submit');
    await page.waitFor(() => page.data.actionError, 'the refusal');
    expect(page.find(`#person-error-${taken.memberId}`).dom.textContent).toMatch(/有在途的证书注销业务/);
    expect(page.find(`#person-error-${stays.memberId}`)).toBeUndefined();
    expect(page.data.draft).toBeNull(); // refused at create: nothing was kept

    // Back in the picker, 注销乙 is now greyed out with the reason; remove the chip and submit.
    await page.tap('#edit-people');
    await page.waitFor(() => !page.data.listLoading && row(page, taken.memberId), 'the refreshed picker');
    expect(row(page, taken.memberId).eligible).toBe(false);
    expect(page.find(`#chip-${taken.memberId}`).dom.className).toContain('chip--error');
    await page.tap(`#chip-${taken.memberId}`);
    expect(page.data.selectedList.map((p: { name: string }) => p.name)).toEqual(['注销甲']);
    await page.tap('#next');
    await page.tap('#next');
    await page.tap('#submit');
    await page.waitFor(() => wxLog.navigations.length, 'the detail');
    const form = await formAs(lastNavigation()!.query.formId);
    // Cancellation: association review only, no fee (SPEC §3.1).
    expect(form).toMatchObject({ type: 'cert-cancel', status: 'assoc_review', amountDue: 0, bills: [] });
  }, 30000);

  test('when 初始教育 is chosen, then the certificate type and specialties are asked, and the same specialty twice is refused', async () => {
    const p = await addMember({ name: '初教甲', certs: [] });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/business/index');
    await page.tap('#type-initial-education');
    expect(page.find('#specialties')).toBeTruthy();
    await page.tap('#cert-2'); // 安全监理员
    await page.tap('#next');
    expect(page.find('#specialty-error').dom.textContent).toBe('请选择专业1');
    await page.pick('8', '#specialty1'); // 公路工程
    await page.pick('9', '#specialty2'); // [不选, …] → 公路工程 again
    await page.tap('#next');
    expect(page.find('#specialty-error').dom.textContent).toBe('专业1与专业2不能相同');
    await page.pick('13', '#specialty2'); // 市政公用工程
    await page.tap('#next');
    await page.waitFor(() => !page.data.listLoading && row(page, p.memberId), 'the picker');
    expect(row(page, p.memberId).eligible).toBe(true);
    await page.tap(`#person-${p.memberId}`);
    await page.tap('#next');
    expect(page.data.fileKeys).toEqual(['commitment', 'insuranceProof']);
    expect(page.text()).toContain('单位承诺书，签字盖章后拍照或扫描');
    await page.tap('#prev');
    await page.tap('#prev');
    expect(page.data.step).toBe(1);
    expect(page.text()).toContain('公路工程');
    expect(page.text()).toContain('市政公用工程');
  });

  test('when the network drops after the draft is made, then the draft stays and is submitted from its detail', async () => {
    const p = await addMember({ name: '暂存甲', certs: [{}] });
    actAs(system(), ADMIN_A);
    const real = getTransport();
    setTransport({ ...real, call: (fn, data) => (fn === 'forms' && data.action === 'submit' ? Promise.reject(new Error('offline')) : real.call(fn, data)) });
    const page = await openPage('pkg-unit/business/index');
    await toPicker(page, 'upgrade');
    await page.tap(`#person-${p.memberId}`);
    await page.tap('#next');
    await imageInto(page, 'commitment');
    await imageInto(page, 'insuranceProof');
    await personFilesInto(page, p.memberId);
    await page.tap('#next');
    await page.tap('#submit');
    await page.waitFor(() => page.data.actionError, 'the failure');
    expect(page.find('#action-error').dom.textContent).toContain('网络异常');
    expect(page.find('#draft').dom.textContent).toContain(page.data.draft.no);
    const draftId = page.data.draft.id;
    expect((await formAs(draftId)).status).toBe('draft');

    setTransport(real);
    await page.tap('#open-draft');
    expect(lastNavigation()).toMatchObject({ kind: 'redirectTo', route: 'pkg-unit/form/index', query: { formId: draftId } });
    const detail = await openPage('pkg-unit/form/index', { formId: draftId });
    await detail.waitForText('暂存');
    expect(detail.text()).toContain('提交后生成缴费单');
    expect(detail.text()).toContain('员升师');
    // The draft kept its attachments: it can be submitted as it is.
    expect(detail.find('#file-commitment', '#retake')).toBeTruthy();
    await detail.tap('#submit-draft');
    await detail.waitFor(() => detail.data.form && detail.data.form.status === 'awaiting_payment', 'submitted');
    expect(detail.text()).toContain('待缴费');
    expect(detail.text()).toContain('¥80');
    expect(wxLog.toasts).toContain('已提交');
  }, 30000);

  test('when a draft lacks its attachment, then the detail names it; a second draft is discarded', async () => {
    const p = await addMember({ name: '草稿甲', certs: [{}] });
    const q = await addMember({ name: '草稿乙', certs: [{}] });
    const draft = await draftOf(system(), 'cert-cancel', [p.memberId], { certType: '监理员' });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId: draft.id });
    await page.waitForText('草稿甲');
    await page.tap('#submit-draft');
    expect(page.find('#file-applicationForm').instance.data.shownError).toBe('请上传证书注销申请表');
    expect((await formAs(draft.id)).status).toBe('draft');
    await pdfInto(page, 'applicationForm');
    await page.tap('#submit-draft');
    await page.waitFor(() => page.data.form.status === 'assoc_review', 'submitted');
    expect(page.find('#detail', '#trail').dom.textContent).toContain('提交申请：暂存 → 协会初审中');

    const other = await draftOf(system(), 'cert-cancel', [q.memberId], { certType: '监理员' });
    const second = await openPage('pkg-unit/form/index', { formId: other.id });
    await second.waitForText('草稿乙');
    await second.tap('#discard');
    expect(second.data.discardVisible).toBe(true);
    await second.tap('#discard-dialog', '.t-dialog__button--confirm');
    await second.waitFor(() => second.data.discarded, 'discarded');
    expect(lastNavigation()).toMatchObject({ kind: 'navigateBack' });
    const gone = await system().call('forms', { action: 'get', formId: other.id }, ADMIN_A);
    expect(gone.error.code).toBe('NOT_FOUND');
  });
});

describe('a business form in the unit’s detail and list', () => {
  test('when a draft lacks a person’s diploma and verification, then its detail asks for them under that person and submits with them', async () => {
    const p = await addMember({ name: '草稿学历甲', certs: [{}] });
    const draft = await draftOf(system(), 'upgrade', [p.memberId], { people: [] }, ['commitment', 'insuranceProof']);
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId: draft.id });
    await page.waitForText('草稿学历甲');
    expect(page.find('#draft-person-files').dom.textContent).toContain('职称证书（选填）');
    await page.tap('#submit-draft');
    await page.waitFor(() => page.data.actionError, 'the refusal');
    expect(page.find(`#pf-${p.memberId}-diploma`).instance.data.shownError).toBe('草稿学历甲：请上传最高学历毕业证');
    expect(page.find(`#pf-${p.memberId}-diplomaCheck`).instance.data.shownError).toBe('草稿学历甲：请上传学历验证报告');
    expect((await formAs(draft.id)).status).toBe('draft');
    const mine = () => page.data.personFiles[p.memberId] || {};
    await imageInto(page, 'diploma', mine, `#pf-${p.memberId}-diploma`);
    await imageInto(page, 'diplomaCheck', mine, `#pf-${p.memberId}-diplomaCheck`);
    const uploaded = mine();
    await page.tap('#submit-draft');
    await page.waitFor(() => page.data.form.status === 'awaiting_payment', 'submitted');
    expect((await formAs(draft.id)).people[0].files).toEqual(uploaded);
  }, 30000);

  test('when a renewal with a lapsed membership waits at 待缴费, then the detail shows its people, certificates, attachments and trail, and each bill is paid', async () => {
    const p = await addMember({ name: '缴费甲', ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: addMonths(today(), 2), specialties: ['公路工程', '市政公用工程'] }] });
    const sent = await submitted(system(), 'continuing-education', [p.memberId], { certType: '监理员' }, ['commitment', 'insuranceProof', 'applicationForm']);
    await toPayment(system(), sent.id);
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId: sent.id });
    await page.waitForText('缴费甲');
    const text = page.text();
    expect(text).toContain('继续教育');
    expect(page.find('#detail', '#cert-type').dom.textContent).toBe('监理员');
    expect(page.find('#detail', '#amount-due').dom.textContent).toBe('¥380');
    expect(page.find('#detail', '#people').dom.textContent).toContain(`监理员 · 证书编号 ${sent.people[0].certNo}`);
    expect(page.find('#detail', '#people').dom.textContent).toContain('证书专业：公路工程、市政公用工程');
    expect(page.find('#detail', '#people').dom.textContent).toContain('会籍已过期，随本表单补缴个人会员会费');
    const files = page.find('#detail', '#attachments').dom.textContent;
    for (const label of ['社保证明', '承诺书', '申请表']) expect(files).toContain(label);
    // Each person's own attachments, under their name, titled as the manual's table.
    const own = page.find('#detail', '#people', '#person-files-0').dom.textContent;
    for (const label of ['最高学历毕业证', '学历验证报告']) expect(own).toContain(label);
    const trail = page.find('#detail', '#trail').dom.textContent;
    expect(trail).toContain('单位管理员');
    expect(trail).toContain('提交申请：暂存 → 待缴费');

    // Two bills: each paid with its own receipt; the form moves on after the last.
    expect(page.text()).toContain('共2张缴费单待缴');
    for (let i = 0; i < 2; i++) {
      const before = page.data.unpaidBill.id;
      queueMedia(pick.receipt());
      await page.tap('#file-receipt', '#choose');
      await page.waitFor(() => page.data.receipt, 'receipt upload');
      await page.tap('#pay-submit');
      await page.waitFor(() => !page.data.busy && (!page.data.unpaidBill || page.data.unpaidBill.id !== before), `bill ${i + 1} paid`);
    }
    await page.waitForText('机构初审中');
    const form = await formAs(sent.id);
    expect(form.status).toBe('org_review'); // paid: on to 机构初审
    expect(form.bills.every((b: { status: string }) => b.status === 'paid')).toBe(true);
  }, 30000);

  test('when a reviewer returns a business form, then the detail shows the reason and offers to replace its attachments and resubmit', async () => {
    const p = await addMember({ name: '退回甲', certs: [{}] });
    const sent = await paid(system(), (await submitted(system(), 'upgrade', [p.memberId], {}, ['commitment', 'insuranceProof'])).id);
    ok(await system().call('review', { action: 'return', formId: sent.id, reason: '社保证明不是本单位的' }, ORG));
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/form/index', { formId: sent.id });
    await page.waitForText('退回原因：社保证明不是本单位的');
    expect(page.text()).toContain('机构初审中环节退回单位，请修改后重新提交');
    expect(page.find('#profile')).toBeUndefined(); // no join profile editing on a business form
    expect(page.find('#resubmit-files')).toBeTruthy();
    expect(page.find('#file-insuranceProof', '#retake')).toBeTruthy();
    await imageInto(page, 'insuranceProof');
    // Each person's own attachments can be replaced too.
    expect(page.find('#resubmit-person-files')).toBeTruthy();
    await imageInto(page, 'diploma', () => page.data.personFiles[p.memberId] || {}, `#rpf-${p.memberId}-diploma`);
    expect(page.find('#resubmit')).toBeTruthy();
    expect(page.find('#detail', '#trail').dom.textContent).toContain('退回意见：社保证明不是本单位的');
    // Resubmitted with the new attachment, it re-enters 机构初审 with the same people (paid already: not 待缴费 again).
    const before = await formAs(sent.id);
    await page.tap('#resubmit');
    let after = await formAs(sent.id);
    for (let i = 0; i < 100 && after.status !== 'org_review'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await formAs(sent.id);
    }
    expect(after.status).toBe('org_review');
    expect(after.people.map((x: { memberId: string }) => x.memberId)).toEqual([p.memberId]);
    expect(after.files.insuranceProof).not.toBe(before.files.insuranceProof);
    expect(after.people[0].files.diploma).not.toBe(before.people[0].files.diploma);
    expect(after.people[0].files.diplomaCheck).toBe(before.people[0].files.diplomaCheck);
  }, 30000);

  test('when the list is filtered by business type, then only that type shows, drafts have their own tab with a count, and home links the new pages', async () => {
    const p = await addMember({ name: '筛选甲', certs: [{}] });
    const draft = await draftOf(system(), 'cert-cancel', [p.memberId], { certType: '监理员' });
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/forms/index', { status: 'all' });
    await page.waitFor(() => !page.data.loading && page.data.items.length, 'list');
    const types = Object.keys(FORM_TYPE_LABEL);
    await page.pick(String(types.indexOf('cert-cancel') + 1), '#type');
    await page.waitFor(() => !page.data.loading && page.data.items.every((i: { type: string }) => i.type === 'cert-cancel'), 'filtered list');
    expect(page.text()).toContain('业务类型：证书注销');
    const draftTab = page.data.tabs.find((t: { value: string }) => t.value === 'draft');
    expect(draftTab.label).toMatch(/^暂存 [1-9]\d*$/);
    await page.tapAt(page.data.tabs.indexOf(draftTab), '#tabs', '.t-tabs__item');
    await page.waitFor(() => !page.data.loading && page.data.status === 'draft' && page.data.items.some((i: { id: string }) => i.id === draft.id), 'the draft');
    expect(page.data.items.every((i: { status: string }) => i.status === 'draft')).toBe(true);
    await page.tap('#new');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/business/index', query: { type: 'cert-cancel' } });

    const home = await openPage('pages/home/index');
    await home.waitForText('单位管理 · 示例监理有限公司');
    for (const entry of ['办理业务', '缴费业务', '学习进度']) expect(home.text()).toContain(entry);
    await home.tap('#unit-2');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/business/index' });
    await home.tap('#unit-3');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/bills/index' });
    await home.tap('#unit-4');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/studies/index' });
  });

});

describe('撤回 from the unit’s form detail', () => {
  test('when the unit withdraws its paid business form at 机构初审, then a second tap confirms, it ends as withdrawn and the bill is flagged for refund; a join application shows no withdraw for the unit', async () => {
    const p = await addMember({ name: '撤回单位甲', certs: [{}] });
    const form = await paid(system(), (await submitted(system(), 'upgrade', [p.memberId], {}, ['commitment', 'insuranceProof'])).id);
    expect(form.status).toBe('org_review');
    actAs(system(), ADMIN_A);
    const { formId } = ok(await apply(system(), `wx-${Date.now().toString(36)}`, profile()));
    const join = await openPage('pkg-unit/form/index', { formId });
    await join.waitFor(() => join.data.form, 'the join form');
    expect(join.data.form.startedBy).toBe('applicant');
    expect(join.find('#withdraw-box')).toBeUndefined();

    const page = await openPage('pkg-unit/form/index', { formId: form.id });
    await page.waitForText('撤回单位甲');
    await page.tap('#withdraw');
    expect(page.find('#withdraw-box')!.dom.textContent).toContain('确认撤回该表单');
    await page.input('人员已离职', '#withdraw-reason');
    await page.tap('#confirm-withdraw');
    await page.waitFor(() => page.data.form && page.data.form.status === 'withdrawn', 'withdrawn');
    expect(page.find('#withdraw-box')).toBeUndefined();
    const after = await formAs(form.id);
    expect(after).toMatchObject({ status: 'withdrawn', ended: { status: 'withdrawn', reason: '人员已离职' } });
    expect(after.bills[0].status).toBe('refund');

  });
});
