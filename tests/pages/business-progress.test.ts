/**
 * After a business form is submitted: 缴费业务 (bills by status, paying with a receipt, the
 * paid-invoice records), 学习进度 (the unit's study tasks), the member's 我的业务, and the
 * reviewers' queue and detail for business forms — all through the real functions.
 */
import ExcelJS from 'exceljs';
import { addDays, shanghaiDay } from '../../miniprogram/shared/dates';
import { httpRequest } from '../support/local-system';
import { ADMIN_A, ASSOC, FINANCE, ok, ORG } from '../support/journey';
import { addMember } from '../support/people';
import { approved, paid, report, submitted, taskOf, toPayment } from './support/business';
import { openPage } from './support/render';
import { actAs, pick, useLocalSystem } from './support/system';
import { lastNavigation, queueMedia, wxLog } from './support/wx';

const system = useLocalSystem();

async function formAs(formId: string, openid = ADMIN_A) {
  return ok(await system().call('forms', { action: 'get', formId }, openid));
}

describe('bills and studies of the unit', () => {
  test('when the unit has bills, then 待缴费 pays one with a receipt once its form is at 待缴费, and 已确认 lists the paid-invoice records', async () => {
    const payable = await addMember({ name: '账单甲', certs: [{}] });
    const early = await addMember({ name: '账单乙', certs: [{ unitName: '旧名称有限公司' }] });
    const done = await addMember({ name: '账单丙', certs: [{}] });
    const atPay = await toPayment(system(), (await submitted(system(), 'upgrade', [payable.memberId], {}, ['commitment', 'insuranceProof'])).id);
    // Returned by finance over the money: its bill is unpaid again, but the form waits on the unit's resubmission.
    const waiting = await paid(system(), (await submitted(system(), 'cert-unit-change', [early.memberId], { certType: '监理员', reason: 'renamed' }, ['applicationForm', 'commitment'])).id);
    ok(await system().call('review', { action: 'approve', formId: waiting.id }, ORG));
    ok(await system().call('review', { action: 'approve', formId: waiting.id }, ASSOC));
    ok(await system().call('review', { action: 'return', formId: waiting.id, reason: '缴费凭证金额不符' }, FINANCE));
    const finished = await approved(system(), (await submitted(system(), 'upgrade', [done.memberId], {}, ['commitment', 'insuranceProof'])).id);
    const payBill = atPay.bills[0].id;
    const earlyBill = waiting.bills[0].id;

    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/bills/index');
    await page.waitFor(() => !page.data.loading && page.data.items.length, 'unpaid bills');
    expect(page.data.tabs.map((t: { label: string }) => t.label)).toEqual(['待缴费 2', '已缴费待确认 0', '已确认 1', '开票记录']);
    expect(page.find(`#bill-${earlyBill}`).dom.textContent).toMatch(/辅助费\s*¥20/);
    expect(page.find(`#bill-${earlyBill}`).dom.textContent).toContain('账单乙');
    expect(page.find(`#bill-${payBill}`).dom.textContent).toContain(atPay.no);

    // The employer change was returned: its bill cannot be paid until the unit resubmits, and the page says why.
    await page.tap(`#pay-${earlyBill}`);
    await page.waitFor(() => !page.data.checking, 'form check');
    expect(page.find('#pay-blocked').dom.textContent).toContain('当前为“退回”');
    expect(page.find('#pay-submit')).toBeUndefined();

    await page.tap(`#pay-${payBill}`);
    await page.waitFor(() => !page.data.checking && page.data.payingId === payBill, 'pay panel');
    await page.tap('#pay-submit');
    expect(page.find('#file-receipt').instance.data.shownError).toBe('请先上传缴费凭证');
    queueMedia(pick.receipt());
    await page.tap('#file-receipt', '#choose');
    await page.waitFor(() => page.data.receipt, 'receipt upload');
    await page.tap('#pay-submit');
    await page.waitFor(() => !page.data.busy && !page.data.items.some((b: { id: string }) => b.id === payBill), 'bill paid');
    expect(wxLog.toasts).toContain('缴费凭证已提交');
    expect(page.data.tabs[1].label).toBe('已缴费待确认 1');
    expect((await formAs(atPay.id)).status).toBe('org_review'); // paid: on to 机构初审

    await page.tapAt(1, '#tabs', '.t-tabs__item');
    await page.waitFor(() => !page.data.loading && page.data.status === 'paid' && page.data.items.length, 'paid bills');
    expect(page.find(`#bill-${payBill}`).dom.textContent).toMatch(/缴费于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(page.find(`#bill-${payBill}`).dom.textContent).toContain('缴费凭证');

    await page.tapAt(2, '#tabs', '.t-tabs__item');
    await page.waitFor(() => !page.data.loading && page.data.status === 'confirmed' && page.data.items.length, 'confirmed bills');
    const record = page.find(`#bill-${finished.bills[0].id}`).dom.textContent;
    expect(record).toContain('账单丙');
    expect(record).toMatch(/协会确认于 \d{4}-\d{2}-\d{2}/);
    await page.tap(`#open-${finished.bills[0].id}`);
    expect(lastNavigation()).toMatchObject({ route: 'pkg-unit/form/index', query: { formId: finished.id } });
  }, 40000);

  test('when education forms are approved and studied, then 学习进度 lists the tasks by status with hours and exam attempts', async () => {
    const a = await addMember({ name: '学习甲', certs: [{}] });
    const b = await addMember({ name: '学习乙', certs: [{}] });
    const fa = await approved(system(), (await submitted(system(), 'upgrade', [a.memberId], {}, ['commitment', 'insuranceProof'])).id);
    const fb = await approved(system(), (await submitted(system(), 'specialty-change', [b.memberId], { certType: '监理员', specialties: ['公路工程'] }, ['commitment', 'insuranceProof'])).id);
    const ta = await taskOf(system(), fa.id);
    const tb = await taskOf(system(), fb.id);
    await report(system(), ta.id, 5, { passed: false });

    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/studies/index');
    await page.waitFor(() => !page.data.loading && page.data.items.length >= 2, 'tasks');
    const cardA = page.find(`#study-${ta.id}`).dom.textContent;
    expect(cardA).toContain('学习甲 · 员升师');
    expect(cardA).toContain('学习中');
    expect(cardA).toContain('5/8 学时');
    expect(cardA).toContain('已考 1/10 次');
    expect(cardA).toContain('考试未通过，还可考9次');
    expect(cardA).toContain(fa.no);
    expect(page.find(`#study-${ta.id}`, '.sc-fill').dom.getAttribute('style')).toContain('width: 63%');
    const cardB = page.find(`#study-${tb.id}`).dom.textContent;
    expect(cardB).toContain('开课未学习');
    expect(cardB).toContain('0/8 学时');

    await page.tapAt(2, '#tabs', '.t-tabs__item'); // 全部, 开课未学习, 学习中
    await page.waitFor(() => !page.data.loading && page.data.status === 'studying', 'studying tab');
    expect(page.data.items.map((t: { id: string }) => t.id)).toContain(ta.id);
    expect(page.data.items.map((t: { id: string }) => t.id)).not.toContain(tb.id);
    expect(page.data.tabs[2].label).toBe(`学习中 ${page.data.total}`);

    await report(system(), ta.id, 8, { passed: true });
    await page.tapAt(3, '#tabs', '.t-tabs__item'); // 已完成
    await page.waitFor(() => !page.data.loading && page.data.status === 'completed' && page.data.items.length, 'completed tab');
    expect(page.find(`#study-${ta.id}`).dom.textContent).toContain('考试已通过');
  }, 40000);
});

describe('reviewers and members', () => {
  test('when an initial-education form waits at 机构初审, then the reviewer sees it in the queue with its type and approves it from its detail', async () => {
    const p = await addMember({ name: '审核甲', certs: [] });
    const sent = await paid(system(), (await submitted(system(), 'initial-education', [p.memberId], { certType: '安全监理员', specialties: ['公路工程', '市政公用工程'] }, ['commitment', 'insuranceProof'])).id);
    actAs(system(), ORG);
    const queue = await openPage('pkg-review/queue/index', { stage: 'org_review' });
    await queue.waitForText('审核甲');
    const index = queue.data.items.findIndex((i: { id: string }) => i.id === sent.id);
    const card = queue.findAll('.item')[index];
    expect(card.dom.textContent).toContain(`初始教育 · ${sent.no}`);
    card.querySelector('.card').dispatchEvent('tap');
    await queue.waitFor(() => wxLog.navigations.length, 'navigation');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-review/form/index', query: { formId: sent.id } });

    const page = await openPage('pkg-review/form/index', { formId: sent.id });
    await page.waitForText('审核甲');
    expect(page.find('#detail', '#cert-type').dom.textContent).toBe('安全监理员');
    expect(page.find('#detail', '#specialties').dom.textContent).toBe('公路工程、市政公用工程');
    expect(page.find('#detail', '#amount-due').dom.textContent).toBe('¥80');
    expect(page.find('#detail', '#people').dom.textContent).toContain('报名安全监理员');
    const files = page.find('#detail', '#attachments').dom.textContent;
    expect(files).toContain('承诺书');
    expect(files).toContain('社保证明');
    expect(page.find('#detail', '#bills').dom.textContent).toContain('辅助费');
    // Each person's full ID number only on request (audited).
    expect(page.find('#detail', '#people').dom.textContent).toMatch(/4401\*+/);
    await page.tap('#detail', '#people', '#reveal-0');
    await page.waitFor(() => page.data.form.people[0].idNumber, 'revealed number');
    expect(page.find('#detail', '#people').dom.textContent).toContain(p.idNumber);

    await page.input('社保证明有效，同意', '#remark');
    await page.tap('#approve');
    await page.waitForText('已审核通过，表单进入“协会初审中”');
    expect((await formAs(sent.id)).status).toBe('assoc_review');
  });

  test('when a cancellation waits at 协会初审, then the association approves it and the certificate is cancelled', async () => {
    const p = await addMember({ name: '注销审核', certs: [{}, { type: '安全监理员' }] });
    const sent = await submitted(system(), 'cert-cancel', [p.memberId], { certType: '安全监理员' }, ['applicationForm']);
    actAs(system(), ASSOC);
    const queue = await openPage('pkg-review/queue/index', { stage: 'assoc_review' });
    await queue.waitForText('注销审核');
    expect(queue.text()).toContain(`证书注销 · ${sent.no}`);
    const page = await openPage('pkg-review/form/index', { formId: sent.id });
    await page.waitForText('注销审核');
    expect(page.find('#detail', '#people').dom.textContent).toContain(`安全监理员 · 证书编号 ${sent.people[0].certNo}`);
    expect(page.find('#detail', '#amount-due').dom.textContent).toBe('¥0');
    expect(page.find('#detail', '#bills')).toBeUndefined();
    await page.tap('#approve');
    await page.waitForText('审批完成');
    const mine = ok(await system().call('forms', { action: 'eligible', type: 'cert-cancel', name: '注销审核' }, ADMIN_A)).items[0];
    expect(mine.certificates.find((c: { type: string }) => c.type === '安全监理员').status).toBe('cancelled');
  });

  test('when the unit’s business for a member is approved and studied, then the member’s 我的业务 shows the study progress', async () => {
    // demo-member-1 (李建国) holds a valid 监理员 certificate: the unit changes its specialty.
    const sent = await submitted(system(), 'specialty-change', ['member-demo-1'], { certType: '监理员', specialties: ['市政公用工程'] }, ['commitment', 'insuranceProof']);
    await approved(system(), sent.id);
    const task = await taskOf(system(), sent.id);
    await report(system(), task.id, 3);

    actAs(system(), 'demo-member-1');
    const home = await openPage('pages/home/index');
    await home.waitForText('我的业务');
    expect(home.text()).toContain('1项学习任务未完成');
    await home.tap('#go-business');
    expect(lastNavigation()).toMatchObject({ route: 'pkg-member/business/index' });

    const page = await openPage('pkg-member/business/index');
    await page.waitForText('学习进度');
    const card = page.find(`#study-${task.id}`).dom.textContent;
    expect(card).toContain('专业变更');
    expect(card).toContain('学习中');
    expect(card).toContain('3/8 学时');
    expect(card).toContain('已考 0/10 次');
    expect(card).toContain('尚未考试');
    expect(card).not.toContain('李建国'); // one's own list leaves the name out
    expect(page.find(`#study-${task.id}`, '.sc-fill').dom.getAttribute('style')).toContain('width: 38%');
    expect(page.text()).toContain('学习进度（1项未完成）');
    expect(page.text()).toContain('学习任务完成前，不能办理其他业务');
  }, 30000);

  test('when someone who is not a member opens 我的业务, then it says how to join', async () => {
    actAs(system(), 'demo-newcomer');
    const page = await openPage('pkg-member/business/index');
    await page.waitForText('您还不是会员，扫描单位的入会二维码即可申请入会');
  });
});

describe('单位会员 (pkg-unit/unit-fee)', () => {
  test('when the main admin pays the unit fee with a receipt and a receipt title, then finance approves and the unit’s membership runs to that year’s end', async () => {
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-unit/unit-fee/index');
    await page.waitFor(() => !page.data.loading && page.data.unit, 'the unit');
    expect(page.find('#status')!.dom.textContent).toContain('示例监理有限公司');
    expect(page.data.years.length).toBeGreaterThan(0);
    const year = page.data.years[page.data.years.length - 1];
    await page.pick(String(page.data.years.length - 1), '#year');

    await page.input('', '#invoiceTitle');
    await page.input('abc', '#taxId');
    await page.tap('#pay-submit');
    expect(page.data.errors).toMatchObject({ receipt: '请上传转账回单或缴费凭证', invoiceTitle: '请填写票据抬头', taxId: expect.stringContaining('15–20位') });
    queueMedia(pick.receipt());
    await page.tap('#file-receipt', '#choose');
    await page.waitFor(() => page.data.receipt, 'receipt upload');
    await page.input('示例监理有限公司', '#invoiceTitle');
    await page.input('91440101ma59abcd1x', '#taxId');
    expect(page.data.taxId).toBe('91440101MA59ABCD1X');
    await page.tap('#pay-submit');
    await page.waitFor(() => page.data.sentFormId && !page.data.busy && !page.data.loading, 'submitted');
    expect(page.find('#sent')!.dom.textContent).toContain('待协会财务确认');
    const form = await formAs(page.data.sentFormId);
    expect(form).toMatchObject({ type: 'unit-membership', status: 'finance_review', bills: [expect.objectContaining({ invoiceRequest: { title: '示例监理有限公司', taxId: '91440101MA59ABCD1X' } })] });

    ok(await system().call('review', { action: 'approve', formId: form.id }, FINANCE));
    const after = await openPage('pkg-unit/unit-fee/index');
    await after.waitFor(() => !after.data.loading && after.data.unit, 'the unit again');
    expect(after.find('#status')!.dom.textContent).toContain(`会籍有效期至${year}-12-31`);
    expect(after.data.years).not.toContain(year);
  });
});

describe('开票 (pkg-review/invoices)', () => {
  test('when finance issues an invoice for a paid bill, then it leaves 待开票 and shows in 开票记录 with its kind', async () => {
    const p = await addMember({ name: '开票甲', certs: [{ unitName: '旧名称有限公司' }] });
    const form = await paid(system(), (await submitted(system(), 'cert-unit-change', [p.memberId], { certType: '监理员', reason: 'renamed' }, ['applicationForm', 'commitment'])).id);
    const billId = form.bills[0].id;

    actAs(system(), FINANCE);
    const home = await openPage('pages/home/index');
    await home.waitFor(() => home.data.todo.length, '待办');
    expect(home.find('#todo-uninvoiced')!.dom.textContent).toMatch(/\d+待开票/);

    const page = await openPage('pkg-review/invoices/index');
    await page.waitFor(() => !page.data.loading && page.find(`#bill-${billId}`), 'the paid bill');
    expect(page.find(`#bill-${billId}`)!.dom.textContent).toContain('开票甲');
    expect(page.find(`#bill-${billId}`)!.dom.textContent).toContain('辅助费 ¥20');
    await page.tap(`#issue-${billId}`);
    expect(page.data.kindNames[page.data.kindIndex]).toBe('电子发票'); // 辅助费: 电子发票
    await page.tap('#issue-confirm');
    expect(page.data.fileError).toBe('请上传开具的票据（PDF或照片）');
    queueMedia(pick.receipt());
    await page.tap('#file-invoice', '#choose');
    await page.waitFor(() => page.data.file, 'the invoice upload');
    await page.tap('#issue-confirm');
    await page.waitFor(() => !page.data.busy && !page.data.issuing && !page.data.loading && !page.find(`#bill-${billId}`), 'issued');

    await page.tapAt(1, '#tabs', '.t-tabs__item');
    await page.waitFor(() => !page.data.loading && page.data.tab === 'done' && page.find(`#bill-${billId}`), '开票记录');
    expect(page.find(`#bill-${billId}`)!.dom.textContent).toMatch(/电子发票 · 开具于 \d{4}-\d{2}-\d{2}/);

    // The unit's 开票记录 lists it for the period it falls in, not for a period after it; and exports it.
    actAs(system(), ADMIN_A);
    const bills = await openPage('pkg-unit/bills/index', { status: 'invoiced' });
    await bills.waitFor(() => !bills.data.loading && bills.find(`#bill-${billId}`), 'the unit’s 开票记录');
    expect(bills.find(`#bill-${billId}`)!.dom.textContent).toMatch(/电子发票 · 开具于 \d{4}-\d{2}-\d{2}/);
    await bills.pick(addDays(shanghaiDay(), 1), '#period', '#from-picker');
    await bills.waitFor(() => !bills.data.loading && !bills.find(`#bill-${billId}`), 'a later period');
    expect(bills.text()).toContain('该期间没有开具的票据');
    await bills.pick(shanghaiDay(), '#period', '#from-picker');
    await bills.pick(shanghaiDay(), '#period', '#to-picker');
    await bills.waitFor(() => !bills.data.loading && bills.find(`#bill-${billId}`), 'today');
    await bills.tap('#export', '#run');
    await bills.waitFor(() => bills.data.exported, 'the 开票记录 workbook');
    expect(bills.data.exported.rows).toBeGreaterThanOrEqual(1);
  });
});

describe('导出Excel on the unit’s lists (components/export-bar)', () => {
  test('when the admin exports the filtered forms list and the 待缴费 bills, then real workbooks with those rows are made, and 打开 / 复制链接 reach them', async () => {
    const p = await addMember({ name: '导出甲', certs: [{ unitName: '旧名称有限公司' }] });
    const sent = await submitted(system(), 'cert-unit-change', [p.memberId], { certType: '监理员', reason: 'renamed' }, ['applicationForm', 'commitment']);
    actAs(system(), ADMIN_A);
    const forms = await openPage('pkg-unit/forms/index', { status: 'all' });
    await forms.waitFor(() => !forms.data.loading && forms.data.items.length, 'the list');
    await forms.input('导出甲', '#keyword');
    await forms.tap('#search');
    await forms.waitFor(() => !forms.data.loading && forms.data.total === 1, 'filtered');
    await forms.tap('#export', '#run');
    await forms.waitFor(() => forms.data.exported, 'the export');
    expect(forms.data.exported.rows).toBe(1);
    expect(forms.find('#export', '#result')!.dom.textContent).toContain('已导出 1 条');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await httpRequest(forms.data.exported.url)).body as any);
    const text = JSON.stringify(book.worksheets[0].getSheetValues());
    expect(text).toContain(sent.no);
    expect(text).toContain('导出甲');
    await forms.tap('#export', '#copy');
    expect(wxLog.clipboard).toBe(forms.data.exported.url);
    await forms.tap('#export', '#open'); // the phone's viewer: the download is WeChat's, refused in tests → a toast
    await forms.waitFor(() => wxLog.toasts.some((t: string) => /打开失败/.test(t)), 'the fallback toast');

    const bills = await openPage('pkg-unit/bills/index');
    await bills.waitFor(() => !bills.data.loading && bills.data.items.length, 'unpaid bills');
    await bills.tap('#export', '#run');
    await bills.waitFor(() => bills.data.exported, 'the bills export');
    expect(bills.data.exported.rows).toBe(bills.data.total);
    const sheet = new ExcelJS.Workbook();
    await sheet.xlsx.load((await httpRequest(bills.data.exported.url)).body as any);
    expect(JSON.stringify(sheet.worksheets[0].getSheetValues())).toContain(sent.no);
  });
});
