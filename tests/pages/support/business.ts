/**
 * Business forms set up through the real functions, for page scenarios: real files uploaded, forms
 * created and submitted by unit A's admin, walked through the reviews and payment by the demo
 * identities, and study progress reported by the learning platform with a signed report.
 */
import type { BusinessType, FileKey } from '../../../typings/api';
import { randomUUID } from 'crypto';
import { shanghaiIso } from '../../../miniprogram/shared/dates';
import { personRules } from '../../../miniprogram/shared/business-rules';
import { signReport } from '../../../cloudfunctions/studies/report';
import { jpeg, pdf } from '../../support/fixtures';
import { ADMIN_A, ASSOC, FINANCE, ok, ORG } from '../../support/journey';
import type { LocalSystem } from '../../support/local-system';
import type { PageDriver } from './render';
import { pick } from './system';
import { queueActionSheet, queueMedia, queueMessageFile } from './wx';

const PDF_KEYS = ['applicationForm', 'resignationProof'];

/** Real attachments for these slots: PDFs where the rule says PDF, JPEGs otherwise. */
export async function bizFiles(sys: LocalSystem, ...keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of keys)
    out[k] = await sys.upload(PDF_KEYS.includes(k) ? pdf(600) : jpeg(160, 220, 80, k.length), `uploads/biz/${randomUUID()}-${k}`, ADMIN_A, k as FileKey);
  return out;
}

/**
 * Each person's own required attachments (the manual's table, `personRules`: diploma and its
 * verification on education forms), uploaded by unit A's admin — none where the type asks none.
 */
export async function personFiles(sys: LocalSystem, type: string, memberIds: string[]): Promise<{ memberId: string; files: Record<string, string> }[]> {
  const keys = personRules(type as BusinessType)
    .filter((r) => r.required)
    .map((r) => r.key);
  if (!keys.length) return [];
  const out: { memberId: string; files: Record<string, string> }[] = [];
  for (const memberId of memberIds) out.push({ memberId, files: await bizFiles(sys, ...keys) });
  return out;
}

/** A draft (暂存) made by unit A's admin, with each person's required attachments (`extra.people` overrides). */
export async function draftOf(sys: LocalSystem, type: string, memberIds: string[], extra: Record<string, unknown> = {}, fileKeys: string[] = []) {
  const files = fileKeys.length ? await bizFiles(sys, ...fileKeys) : undefined;
  const people = await personFiles(sys, type, memberIds);
  return ok(
    await sys.call('forms', { action: 'create', type, memberIds, ...(people.length ? { people } : {}), ...extra, ...(files ? { files } : {}) }, ADMIN_A),
  );
}

/** Created and submitted: in its first review stage with its bills. */
export async function submitted(sys: LocalSystem, type: string, memberIds: string[], extra: Record<string, unknown>, fileKeys: string[]) {
  const draft = await draftOf(sys, type, memberIds, extra, fileKeys);
  return ok(await sys.call('forms', { action: 'submit', formId: draft.id, version: draft.version }, ADMIN_A));
}

/** A submitted business form waits at 待缴费 first (manual 2.5.2: the fee before 机构初审). */
export async function toPayment(sys: LocalSystem, formId: string) {
  const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
  if (form.status !== 'awaiting_payment') throw new Error(`form ${formId} is at ${form.status}, not 待缴费`);
  return form;
}

/** Each bill paid with a receipt: the form moves on to 机构初审. */
export async function paid(sys: LocalSystem, formId: string) {
  const atPay = await toPayment(sys, formId);
  for (const b of atPay.bills) {
    const receipt = await sys.upload(jpeg(120, 160, 80, 3), `uploads/biz/${randomUUID()}-receipt.jpg`, ADMIN_A, 'receipt');
    ok(await sys.call('bills', { action: 'pay', billId: b.id, receipt }, ADMIN_A));
  }
  return ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
}

/** Paid, then 机构初审, 协会复核 and 财务复核: approved (education forms open their study tasks). */
export async function approved(sys: LocalSystem, formId: string) {
  const form = await paid(sys, formId);
  if (form.status === 'org_review') ok(await sys.call('review', { action: 'approve', formId }, ORG));
  ok(await sys.call('review', { action: 'approve', formId }, ASSOC));
  return ok(await sys.call('review', { action: 'approve', formId, remark: '费用已到账' }, FINANCE));
}

/** The learning platform reports progress on a task (signed, as `studies.report` requires). */
export async function report(sys: LocalSystem, taskId: string, hoursDone: number, exam?: { passed: boolean }) {
  const r = { reportId: randomUUID().replace(/-/g, ''), taskId, hoursDone, ...(exam ? { exam } : {}), at: shanghaiIso(new Date()) };
  return ok(await sys.call('studies', { action: 'report', ...r, signature: signReport(r) }, '')).task;
}

/** The study task a form opened (as the unit sees its tasks). */
export async function taskOf(sys: LocalSystem, formId: string) {
  const tasks = ok(await sys.call('studies', { action: 'list', pageSize: 50 }, ADMIN_A)).items;
  return tasks.find((t: { formId: string }) => t.formId === formId);
}

/**
 * A PDF forwarded in a chat: at once (wx.chooseMessageFile) for a PDF-only slot, through the action
 * sheet's second entry for a slot that also takes photos (the signed papers since issue 12).
 */
export async function pdfOnlyInto(page: PageDriver, key: string, files: () => Record<string, string> = () => page.data.files): Promise<void> {
  const slot = page.find(`#file-${key}`);
  if (slot && slot.instance.data.ctaText !== '选择PDF') queueActionSheet(1);
  queueMessageFile(pick.pdf());
  await page.tap(`#file-${key}`, '#choose');
  await page.waitFor(() => files()[key], `upload of ${key}`);
}

/** A photo (camera/album) for an image-or-PDF slot; waits until the page holds its fileID. */
export async function imageInto(page: PageDriver, key: string, files: () => Record<string, string> = () => page.data.files, slot = `#file-${key}`): Promise<void> {
  const before = files()[key];
  queueActionSheet(0);
  queueMedia(pick.diploma());
  await page.tap(slot, page.find(slot, '#choose') ? '#choose' : '#retake');
  await page.waitFor(() => files()[key] && files()[key] !== before, `upload of ${key}`);
}

/** A PDF from a chat for an image-or-PDF slot (the action sheet's second choice). */
export async function pdfInto(page: PageDriver, key: string, files: () => Record<string, string> = () => page.data.files): Promise<void> {
  const before = files()[key];
  queueActionSheet(1);
  queueMessageFile(pick.pdf());
  await page.tap(`#file-${key}`, page.find(`#file-${key}`, '#choose') ? '#choose' : '#retake');
  await page.waitFor(() => files()[key] && files()[key] !== before, `upload of ${key}`);
}

/**
 * The wizard's attachments step: one person's own slots (their block unfolded first, as a user
 * taps their name), by default every required one of the type's `personRules`.
 */
export async function personFilesInto(page: PageDriver, memberId: string, keys?: string[]): Promise<void> {
  const wanted = keys || personRules(page.data.type as BusinessType).filter((r) => r.required).map((r) => r.key);
  if (page.data.openPerson !== memberId) await page.tap(`#pf-head-${memberId}`);
  for (const k of wanted) await imageInto(page, k, () => page.data.personFiles[memberId] || {}, `#pf-${memberId}-${k}`);
}
