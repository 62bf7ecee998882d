/**
 * Membership over the years (issue 11), through the real functions: renewals for a lapsed and a
 * still-valid member (the new end dates exact), a member renewing and paying for themself, an
 * ordinary member joining as professional, withdrawal at each stage, 不予通过 at each stage that may,
 * and the secretariat's corrections in the record's history.
 */
import { personFiles } from '../support/attachments';
import { randomUUID } from 'crypto';
import { addDays, addMonths, addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { ADMIN_A, ADMIN_B, apply, ASSOC, FINANCE, issue, joinFiles, ok, ORG, profile } from '../support/journey';
import { addMember } from '../support/people';
import { err, SECRETARIAT } from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const today = () => shanghaiDay();
const db = () => database();
const memberOf = async (id: string) => (await db().collection(C.members).doc(id).get()).data;
const receipt = (owner = ADMIN_A) => sys.upload(jpeg(120, 160), `uploads/m/${randomUUID()}.jpg`, owner, 'receipt');
async function bind(memberId: string, openid: string) {
  await db().collection(C.members).doc(memberId).update({ data: { openid } });
  await db().collection(C.bindings).doc(openid).set({ data: { memberId, at: new Date() } });
}

describe('个人会员费缴纳: renewing memberships', () => {
  test('when the unit renews a lapsed and a still-valid member in one form, then one bill, finance approves, and each end date is exact', async () => {
    const validUntil = addMonths(today(), 2);
    const lapsedUntil = addMonths(today(), -5);
    const valid = await addMember({ ordinaryUntil: validUntil });
    const lapsed = await addMember({ ordinaryUntil: lapsedUntil });
    const draft = ok(await sys.call('forms', { action: 'create', type: 'membership-renewal', level: 'ordinary', memberIds: [valid.memberId, lapsed.memberId] }, ADMIN_A));
    expect(draft).toMatchObject({ type: 'membership-renewal', status: 'draft', level: 'ordinary' });
    const sent = ok(await sys.call('forms', { action: 'submit', formId: draft.id }, ADMIN_A));
    expect(sent.status).toBe('awaiting_payment');
    expect(sent.bills).toEqual([expect.objectContaining({ kind: 'membership-personal', amount: 600, status: 'unpaid' })]);
    // While it is in flight, the same person cannot be renewed twice.
    const twice = ok(await sys.call('forms', { action: 'create', type: 'membership-renewal', level: 'ordinary', memberIds: [valid.memberId] }, ADMIN_A));
    expect(err(await sys.call('forms', { action: 'submit', formId: twice.id }, ADMIN_A))).toBe('NOT_ELIGIBLE');
    expect(ok(await sys.call('bills', { action: 'pay', billId: sent.bills[0].id, receipt: await receipt() }, ADMIN_A)).formStatus).toBe('finance_review');
    expect(ok(await sys.call('review', { action: 'approve', formId: sent.id }, FINANCE)).status).toBe('approved');
    const a = await memberOf(valid.memberId);
    const b = await memberOf(lapsed.memberId);
    expect(a.memberships.find((x: any) => x.level === 'ordinary').validUntil).toBe(addYears(validUntil, 3));
    expect(b.memberships.find((x: any) => x.level === 'ordinary').validUntil).toBe(addYears(today(), 3));
    // History kept: the lapsed period is not erased, the renewal is recorded with its form number.
    expect(b.membershipHistory).toEqual([expect.objectContaining({ level: 'ordinary', from: today(), to: addYears(today(), 3), formNo: sent.no })]);
    // And the person is free for business again (the renewal left the busy registry).
    expect(ok(await sys.call('forms', { action: 'submit', formId: twice.id }, ADMIN_A)).status).toBe('awaiting_payment');
  });

  test('when a member renews for themself, then they pay their own bill and their membership is extended', async () => {
    const m = await addMember({ ordinaryUntil: addDays(today(), 10) });
    await bind(m.memberId, 'wx-renew-self');
    const form = ok(await sys.call('members', { action: 'renew', level: 'ordinary' }, 'wx-renew-self'));
    expect(form).toMatchObject({ type: 'membership-renewal', status: 'awaiting_payment' });
    // The unit does not pay a member's own renewal; the member does, with their own receipt.
    expect(err(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt: await receipt() }, ADMIN_A))).toBe('FORBIDDEN');
    expect(err(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt: await receipt() }, 'wx-renew-self'))).toBe('FORBIDDEN');
    ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt: await receipt('wx-renew-self') }, 'wx-renew-self'));
    ok(await sys.call('review', { action: 'approve', formId: form.id }, FINANCE));
    const me = ok(await sys.call('members', { action: 'me' }, 'wx-renew-self'));
    expect(me.member.memberships.find((x: any) => x.level === 'ordinary').validUntil).toBe(addYears(addDays(today(), 10), 3));
    expect(me.history.map((h: any) => h.action)).toContain('membership-renew');
  });
});

describe('an ordinary member joining as a professional member', () => {
  test('when a bound ordinary member applies with level professional, then it is an upgrade of the same record, not DUPLICATE', async () => {
    const prof = profile({}, '1983-03-13');
    const { formId } = ok(await apply(sys, 'wx-upgrade', prof));
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    const f = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
    ok(await sys.call('bills', { action: 'pay', billId: f.bills[0].id, receipt: await receipt() }, ADMIN_A));
    for (const who of [ORG, ASSOC, FINANCE]) ok(await sys.call('review', { action: 'approve', formId }, who));
    const before = ok(await sys.call('members', { action: 'me' }, 'wx-upgrade')).member;
    const { code } = await issue(sys);
    const files = await joinFiles(sys, true, 'wx-upgrade');
    const withoutCert = await sys.call('members', { action: 'apply', code, level: 'professional', profile: prof, files }, 'wx-upgrade');
    expect(withoutCert).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { 'files.qualificationCert': expect.any(String) } } });
    files.qualificationCert = await sys.upload(pdf(600), `uploads/m/${randomUUID()}.pdf`, 'wx-upgrade', 'qualificationCert');
    const up = ok(await sys.call('members', { action: 'apply', code, level: 'professional', profile: prof, files }, 'wx-upgrade'));
    ok(await sys.call('forms', { action: 'prereview', formId: up.formId, decision: 'approve', level: 'professional' }, ADMIN_A));
    const uf = ok(await sys.call('forms', { action: 'get', formId: up.formId }, ADMIN_A));
    expect(uf.bills[0]).toMatchObject({ amount: 200 });
    ok(await sys.call('bills', { action: 'pay', billId: uf.bills[0].id, receipt: await receipt() }, ADMIN_A));
    for (const who of [ORG, ASSOC, FINANCE]) ok(await sys.call('review', { action: 'approve', formId: up.formId }, who));
    const after = ok(await sys.call('members', { action: 'me' }, 'wx-upgrade')).member;
    expect(after.id).toBe(before.id);
    expect(after.memberships).toEqual(
      expect.arrayContaining([
        { level: 'ordinary', validUntil: addYears(today(), 3) },
        { level: 'professional', validUntil: addYears(today(), 1) },
      ]),
    );
    // Once professional, a second professional application is DUPLICATE.
    expect(err(await sys.call('members', { action: 'apply', code, level: 'professional', profile: prof, files }, 'wx-upgrade'))).toBe('DUPLICATE');
  });
});

describe('withdrawing and refusing', () => {
  async function businessForm() {
    const p = await addMember({ certs: [{}] });
    const draft = ok(await sys.call('forms', { action: 'create', type: 'specialty-change', certType: '监理员', specialties: ['公路工程'], memberIds: [p.memberId] }, ADMIN_A));
    const files = {
      commitment: await sys.upload(jpeg(100, 100), `uploads/m/${randomUUID()}.jpg`, ADMIN_A, 'commitment'),
      insuranceProof: await sys.upload(jpeg(100, 100), `uploads/m/${randomUUID()}.jpg`, ADMIN_A, 'insuranceProof'),
    };
    const people = await personFiles(sys, ADMIN_A, 'specialty-change', [p.memberId]);
    return { p, form: ok(await sys.call('forms', { action: 'submit', formId: draft.id, files, people }, ADMIN_A)) };
  }

  test.each(['awaiting_payment', 'org_review', 'assoc_review', 'finance_review'])('when the unit withdraws its form at %s, then it is final, bills are voided or flagged for refund, and the person is free', async (at) => {
    const { p, form } = await businessForm();
    // Business forms pay first (manual 2.5.2), then 机构初审 → 协会复核 → 财务复核.
    if (at !== 'awaiting_payment') ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt: await receipt() }, ADMIN_A));
    if (at === 'assoc_review' || at === 'finance_review') ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    if (at === 'finance_review') ok(await sys.call('review', { action: 'approve', formId: form.id }, ASSOC));
    expect(ok(await sys.call('forms', { action: 'get', formId: form.id }, ADMIN_A)).status).toBe(at);
    expect(err(await sys.call('forms', { action: 'withdraw', formId: form.id }, ADMIN_B))).toBe('FORBIDDEN');
    const done = ok(await sys.call('forms', { action: 'withdraw', formId: form.id, reason: '人员调整' }, ADMIN_A));
    expect(done).toMatchObject({ status: 'withdrawn', ended: { status: 'withdrawn', reason: '人员调整' } });
    expect(done.bills[0].status).toBe(at === 'awaiting_payment' ? 'void' : 'refund');
    expect(err(await sys.call('forms', { action: 'withdraw', formId: form.id }, ADMIN_A))).toBe('CONFLICT');
    expect(err(await sys.call('review', { action: 'approve', formId: form.id }, FINANCE))).toBe('CONFLICT');
    // Free again: the same business can start at once.
    const again = ok(await sys.call('forms', { action: 'eligible', type: 'specialty-change', certType: '监理员' }, ADMIN_A)).items;
    expect(again.find((i: any) => i.memberId === p.memberId)?.eligible).toBe(true);
  });

  test('when the applicant withdraws their join application, then the same person may apply again', async () => {
    const prof = profile({}, '1984-04-14');
    const { formId } = ok(await apply(sys, 'wx-withdraw', prof));
    expect(err(await sys.call('forms', { action: 'withdraw', formId }, ADMIN_A))).toBe('FORBIDDEN');
    expect(ok(await sys.call('forms', { action: 'withdraw', formId }, 'wx-withdraw')).status).toBe('withdrawn');
    expect(ok(await apply(sys, 'wx-withdraw', prof)).formId).not.toBe(formId);
  });

  test('when the association or finance refuses at its stage, then 不予通过 is final with the reason in the trail; others may not refuse', async () => {
    const { form } = await businessForm();
    expect(err(await sys.call('review', { action: 'reject', formId: form.id, reason: '不符合条件' }, ORG))).toBe('FORBIDDEN');
    expect(err(await sys.call('review', { action: 'reject', formId: form.id, reason: '不符合条件' }, ASSOC))).toBe('FORBIDDEN'); // not yet at its stage
    ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt: await receipt() }, ADMIN_A));
    ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    expect(err(await sys.call('review', { action: 'reject', formId: form.id }, ASSOC))).toBe('INVALID_INPUT');
    const refused = ok(await sys.call('review', { action: 'reject', formId: form.id, reason: '专业变更材料不实' }, ASSOC));
    expect(refused).toMatchObject({ status: 'rejected', ended: { status: 'rejected', reason: '专业变更材料不实' } });
    expect(refused.trail[refused.trail.length - 1]).toMatchObject({ from: 'assoc_review', to: 'rejected', remark: '专业变更材料不实' });
    expect(refused.bills[0].status).toBe('refund'); // paid before 机构初审
    const second = await businessForm();
    ok(await sys.call('bills', { action: 'pay', billId: second.form.bills[0].id, receipt: await receipt() }, ADMIN_A));
    ok(await sys.call('review', { action: 'approve', formId: second.form.id }, ORG));
    ok(await sys.call('review', { action: 'approve', formId: second.form.id }, ASSOC));
    const byFinance = ok(await sys.call('review', { action: 'reject', formId: second.form.id, reason: '缴费凭证不实' }, FINANCE));
    expect(byFinance).toMatchObject({ status: 'rejected' });
    expect(byFinance.bills[0].status).toBe('refund');
  });
});

describe('秘书处更正 (FAQ 3.25)', () => {
  test('when the secretariat corrects a member and a certificate, then each change and its reason show in the record’s history', async () => {
    const m = await addMember({ name: '更正前', certs: [{}] });
    expect(err(await sys.call('admin', { action: 'correctMember', memberId: m.memberId, changes: { name: '更正后' }, reason: '旧系统录错' }, ADMIN_A))).toBe('FORBIDDEN');
    expect(err(await sys.call('admin', { action: 'correctMember', memberId: m.memberId, changes: { name: '更正后' } }, SECRETARIAT))).toBe('INVALID_INPUT');
    expect(err(await sys.call('admin', { action: 'correctMember', memberId: m.memberId, changes: { phone: '123' }, reason: '旧系统录错' }, SECRETARIAT))).toBe('INVALID_INPUT');
    const until = addYears(today(), 4);
    const r = ok(await sys.call('admin', { action: 'correctMember', memberId: m.memberId, changes: { name: '更正后', ordinaryUntil: until }, reason: '旧系统录错姓名与会籍' }, SECRETARIAT));
    expect(r.history[0]).toMatchObject({ action: 'correct', role: 'secretariat', remark: expect.stringMatching(/姓名：更正前 → 更正后.*普通会籍有效期.*原因：旧系统录错姓名与会籍/) });
    const rec = await memberOf(m.memberId);
    expect(rec.name).toBe('更正后');
    expect(rec.memberships[0].validUntil).toBe(until);
    // The certificate follows the holder's name (lookup by name and ID number keeps working).
    expect((await db().collection(C.certificates).doc(m.certIds[0]).get()).data.holderName).toBe('更正后');
    const c = ok(await sys.call('admin', { action: 'correctCertificate', certificateId: m.certIds[0], changes: { unitName: '示例监理有限公司（更正）', validUntil: addYears(today(), 2) }, reason: '证书单位与有效期录错' }, SECRETARIAT));
    expect(c.certificate).toMatchObject({ unitName: '示例监理有限公司（更正）', validUntil: addYears(today(), 2) });
    expect(c.history.map((h: any) => h.action)).toEqual(['correct-certificate', 'correct']);
    expect(err(await sys.call('admin', { action: 'correctCertificate', certificateId: m.certIds[0], changes: { unitName: '示例监理有限公司（更正）' }, reason: '重复' }, SECRETARIAT))).toBe('INVALID_INPUT');
  });
});

describe('缴费业务: the unit’s own fee and the invoices', () => {
  test('when the main admin pays next year’s unit fee, then finance approves and the unit is a member to that year’s end', async () => {
    const year = Number(today().slice(0, 4)) + 1;
    const pay = { action: 'payMembership', year, receipt: await receipt(), invoice: { title: '示例监理有限公司', taxId: '91440101MA59ABCD1X' } };
    expect(err(await sys.call('units', { ...pay, year: year + 5 }, ADMIN_A))).toBe('INVALID_INPUT');
    expect(err(await sys.call('units', { ...pay, receipt: await receipt(ADMIN_B) }, ADMIN_B))).toBe('NOT_ELIGIBLE'); // unit B is not a member unit
    const { formId } = ok(await sys.call('units', pay, ADMIN_A));
    expect(err(await sys.call('units', { ...pay, receipt: await receipt() }, ADMIN_A))).toBe('DUPLICATE');
    const form = ok(await sys.call('forms', { action: 'get', formId }, FINANCE));
    expect(form).toMatchObject({ type: 'unit-membership', status: 'finance_review', bills: [expect.objectContaining({ kind: 'membership-unit', status: 'paid', invoiceRequest: { title: '示例监理有限公司', taxId: '91440101MA59ABCD1X' } })] });
    ok(await sys.call('review', { action: 'approve', formId }, FINANCE));
    expect(ok(await sys.call('units', { action: 'info' }, ADMIN_A)).unit).toMatchObject({ isMember: true, memberUntil: `${year}-12-31` });
  });

  test('when finance issues the invoices, then each kind matches its fee, the unit lists its 开票记录 and exports them as .xlsx', async () => {
    const p = await addMember({ ordinaryUntil: addMonths(today(), -1) });
    const draft = ok(await sys.call('forms', { action: 'create', type: 'membership-renewal', level: 'ordinary', memberIds: [p.memberId] }, ADMIN_A));
    const sent = ok(await sys.call('forms', { action: 'submit', formId: draft.id }, ADMIN_A));
    const billId = sent.bills[0].id;
    ok(await sys.call('bills', { action: 'pay', billId, receipt: await receipt(), invoice: { title: '示例监理有限公司', phone: '13800138000' } }, ADMIN_A));
    const file = await sys.upload(pdf(900), `uploads/inv/${randomUUID()}.pdf`, FINANCE, 'receipt');
    expect(err(await sys.call('bills', { action: 'issueInvoice', billId, file, kind: 'e-invoice' }, FINANCE))).toBe('INVALID_INPUT');
    expect(err(await sys.call('bills', { action: 'issueInvoice', billId, file, kind: 'fiscal-receipt' }, ADMIN_A))).toBe('FORBIDDEN');
    const issued = ok(await sys.call('bills', { action: 'issueInvoice', billId, file, kind: 'fiscal-receipt' }, FINANCE));
    expect(issued.invoice).toMatchObject({ kind: 'fiscal-receipt', file });
    expect(err(await sys.call('bills', { action: 'issueInvoice', billId, file, kind: 'fiscal-receipt' }, FINANCE))).toBe('CONFLICT');
    const mine = ok(await sys.call('bills', { action: 'invoices', from: today(), to: today() }, ADMIN_A));
    expect(mine.items.map((b: any) => b.id)).toContain(billId);
    expect(ok(await sys.call('bills', { action: 'invoices' }, ADMIN_B)).items.map((b: any) => b.id)).not.toContain(billId);
    // The unit may open the invoice file; another unit may not.
    expect(ok(await sys.call('files', { action: 'url', fileID: file }, ADMIN_A)).url).toMatch(/^http/);
    expect(err(await sys.call('files', { action: 'url', fileID: file }, ADMIN_B))).toBe('FORBIDDEN');
    const xlsx = ok(await sys.call('bills', { action: 'invoices', format: 'xlsx' }, ADMIN_A)).file;
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const { httpRequest } = await import('../support/local-system');
    await wb.xlsx.load((await httpRequest(xlsx.url)).body as any);
    const rows = wb.getWorksheet('开票记录')!.getSheetValues().filter(Boolean) as any[];
    expect(rows[0].slice(1, 4)).toEqual(['开票日期', '票据类型', '业务单号']);
    expect(rows.some((r) => r[3] === sent.no && r[2] === '电子财政收据' && r[5] === 300)).toBe(true);
  });
});

describe('个人信息变更 (manual 2.3)', () => {
  test('when a member asks to change their phone and education, then the unit pre-reviews, the organisation and association review, and only then the record changes', async () => {
    const m = await addMember({ name: '变更甲' });
    await bind(m.memberId, 'wx-change');
    const changes = { phone: '13611112222', education: { level: 'master', school: '示例大学', major: '结构工程', graduatedOn: '2015-07-01' } };
    const form = ok(await sys.call('members', { action: 'requestChange', changes }, 'wx-change'));
    expect(form).toMatchObject({ type: 'member-info-change', status: 'unit_review' });
    // A name change needs the new ID card as proof.
    expect(err(await sys.call('members', { action: 'requestChange', changes: { name: '变更乙' } }, 'wx-change'))).toBe('INVALID_INPUT');
    expect((await memberOf(m.memberId)).phone).toBe('13900000000');
    ok(await sys.call('forms', { action: 'prereview', formId: form.id, decision: 'approve' }, ADMIN_A));
    ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    expect((await memberOf(m.memberId)).phone).toBe('13900000000');
    expect(ok(await sys.call('review', { action: 'approve', formId: form.id }, ASSOC)).status).toBe('approved');
    const after = await memberOf(m.memberId);
    expect(after).toMatchObject({ phone: '13611112222', education: { level: 'master', major: '结构工程' } });
    const me = ok(await sys.call('members', { action: 'me' }, 'wx-change'));
    expect(me.history[0]).toMatchObject({ action: 'info-change', remark: expect.stringMatching(/手机号码：13900000000 → 13611112222/) });
  });

  test('when the unit starts a change for one of its people, then it skips its own pre-review and goes to the organisation', async () => {
    const m = await addMember({ name: '变更丙' });
    const draft = ok(await sys.call('forms', { action: 'create', type: 'member-info-change', memberIds: [m.memberId], changes: { address: '示例市新地址1号' } }, ADMIN_A));
    expect(draft.status).toBe('draft');
    expect(err(await sys.call('forms', { action: 'create', type: 'member-info-change', memberIds: [m.memberId], changes: { address: '示例市新地址1号' } }, ADMIN_B))).toBe('FORBIDDEN');
    expect(ok(await sys.call('forms', { action: 'submit', formId: draft.id }, ADMIN_A)).status).toBe('org_review');
    ok(await sys.call('review', { action: 'approve', formId: draft.id }, ORG));
    ok(await sys.call('review', { action: 'approve', formId: draft.id }, ASSOC));
    expect((await memberOf(m.memberId)).address).toBe('示例市新地址1号');
  });
});

describe('reminders and the roster’s 即将到期 / 已过期', () => {
  test('when memberships end in 30 days or ended yesterday, then the member and the unit are told once, and the roster filters find them', async () => {
    const soon = await addMember({ name: '将到期', ordinaryUntil: addDays(today(), 30) });
    const gone = await addMember({ name: '刚过期', ordinaryUntil: addDays(today(), -1) });
    await bind(soon.memberId, 'wx-soon');
    expect(err(await sys.call('notices', { action: 'remind' }, ADMIN_A))).toBe('FORBIDDEN');
    const first = ok(await sys.call('notices', { action: 'remind' }, SECRETARIAT));
    expect(first.soon).toBeGreaterThanOrEqual(1);
    expect(first.lapsed).toBeGreaterThanOrEqual(1);
    const mine = ok(await sys.call('notices', { action: 'list' }, 'wx-soon')).items;
    expect(mine.filter((n: any) => n.title === '会籍即将到期')).toEqual([expect.objectContaining({ body: expect.stringMatching(/将到期的普通会员会籍将于/) })]);
    const unit = () => sys.call('notices', { action: 'list', pageSize: 50 }, ADMIN_A).then((r) => ok(r).items);
    const before = (await unit()).filter((n: any) => /将到期|刚过期/.test(n.body)).length;
    expect(before).toBe(2);
    // Run again the same day: nothing twice.
    ok(await sys.call('notices', { action: 'remind' }, SECRETARIAT));
    expect((await unit()).filter((n: any) => /将到期|刚过期/.test(n.body)).length).toBe(2);
    expect(ok(await sys.call('notices', { action: 'list' }, 'wx-soon')).items.filter((n: any) => n.title === '会籍即将到期')).toHaveLength(1);
    // The roster: 即将到期 and 已过期, and the unit renews the selected people in one form.
    const expiring = ok(await sys.call('members', { action: 'roster', filter: { expiring: true, name: '将到期' } }, ADMIN_A)).items;
    expect(expiring.map((i: any) => i.memberId)).toEqual([soon.memberId]);
    const lapsed = ok(await sys.call('members', { action: 'roster', filter: { lapsed: true, name: '刚过期' } }, ADMIN_A)).items;
    expect(lapsed.map((i: any) => i.memberId)).toEqual([gone.memberId]);
    const renewal = ok(await sys.call('forms', { action: 'create', type: 'membership-renewal', level: 'ordinary', memberIds: [soon.memberId, gone.memberId] }, ADMIN_A));
    expect(renewal.people.map((p: any) => p.name)).toEqual(['将到期', '刚过期']);
  });
});
