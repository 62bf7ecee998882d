/**
 * 待开票 (bills.uninvoiced) with bills.issueInvoice and 开票记录 (bills.invoices), through the real
 * functions: a paid bill waits for its invoice with the title the payer asked for; once issued it
 * leaves 待开票 and shows in the unit's 开票记录; only finance sees the queue.
 */
import { randomUUID } from 'crypto';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ADMIN_A, ADMIN_B, FINANCE, ok, ORG } from '../support/journey';
import { err } from '../support/accounts';
import { addMember } from '../support/people';
import { jpeg, pdf } from '../support/fixtures';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const upload = (owner: string, purpose: string, bytes = jpeg(120, 160)) => sys.upload(bytes, `uploads/inv/${randomUUID()}`, owner, purpose as never);

test('when a unit pays a bill asking for an invoice, then finance sees it in 待开票, issues it, and the unit’s 开票记录 lists it', async () => {
  const p = await addMember({ certs: [{ unitName: '旧名称有限公司' }] });
  const draft = ok(await sys.call('forms', { action: 'create', type: 'cert-unit-change', certType: '监理员', reason: 'renamed', memberIds: [p.memberId] }, ADMIN_A));
  const sent = ok(await sys.call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(ADMIN_A, 'applicationForm', pdf(300)), commitment: await upload(ADMIN_A, 'commitment') } }, ADMIN_A));
  const bill = sent.bills[0];
  const before = ok(await sys.call('bills', { action: 'uninvoiced' }, FINANCE));
  expect(before.items.map((b: { id: string }) => b.id)).not.toContain(bill.id); // unpaid: nothing to invoice yet

  const invoice = { title: '示例监理有限公司', taxId: '91440101MA59ABCD1X', email: 'cw@example.com' };
  ok(await sys.call('bills', { action: 'pay', billId: bill.id, receipt: await upload(ADMIN_A, 'receipt'), invoice }, ADMIN_A));
  const queue = ok(await sys.call('bills', { action: 'uninvoiced', pageSize: 50 }, FINANCE));
  expect(queue.total).toBe(before.total + 1);
  expect(queue.items[0]).toMatchObject({ id: bill.id, formNo: sent.no, unitName: '示例监理有限公司', status: 'paid', invoiceRequest: invoice });

  for (const who of [ADMIN_A, ORG, 'demo-member-1']) expect(err(await sys.call('bills', { action: 'uninvoiced' }, who))).toBe('FORBIDDEN');

  const file = await upload(FINANCE, 'receipt', pdf(800));
  const issued = ok(await sys.call('bills', { action: 'issueInvoice', billId: bill.id, file, kind: 'e-invoice' }, FINANCE));
  expect(issued.invoice).toMatchObject({ kind: 'e-invoice' });
  expect(ok(await sys.call('bills', { action: 'uninvoiced', pageSize: 50 }, FINANCE)).items.map((b: { id: string }) => b.id)).not.toContain(bill.id);
  expect(ok(await sys.call('bills', { action: 'invoices' }, ADMIN_A)).items.map((b: { id: string }) => b.id)).toContain(bill.id);
  expect(ok(await sys.call('bills', { action: 'invoices' }, ADMIN_B)).items.map((b: { id: string }) => b.id)).not.toContain(bill.id);
  expect(err(await sys.call('bills', { action: 'issueInvoice', billId: bill.id, file, kind: 'e-invoice' }, FINANCE))).toBe('CONFLICT');
});
