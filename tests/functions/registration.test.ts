/**
 * The equipment association's holder-started 延续登记 / 变更登记 (issue 12, seed 000) through the real
 * functions on the `equipment` profile: hours inside the registration's validity, a change refused
 * while the registration has lapsed, 找不到单位 approved and used, the signed paper (PDF only where
 * the seed says so), the two review stages and what approval does to the certificate.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { randomUUID } from 'crypto';
import { addDays, addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { httpRequest, LocalSystem, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { ADMIN_A, ASSOC, ok, ORG } from '../support/journey';
import { err, freshCreditCode, SECRETARIAT } from '../support/accounts';
import { readPdfs } from '../paper/fixtures';
import { signCourse } from '../../cloudfunctions/studies/report';
import { residentCheckChar } from '../../miniprogram/shared/id-number';

const READY = 'demo-holder-ready';
const SHORT = 'demo-holder-short';
const DETAILS = { position: '项目总监', title: '高级工程师', email: 'wang@example.com', specialty: '设备监理', address: '示例省示例市示例路8号' };

let sys: LocalSystem;
const dir = mkdtempSync(join(tmpdir(), 'registration-'));
beforeAll(async () => {
  sys = await startLocalSystem({ profile: 'equipment' });
});
afterAll(async () => {
  await sys?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (fn: string, data: Record<string, unknown>, who: string) => sys.call(fn, data, who);
const certOf = async (id: string) => (await database().collection(C.certificates).doc(id).get()).data as any;
const upload = (who: string, key: 'applicationForm' | 'resignationProof', kind: 'pdf' | 'jpeg') =>
  sys.upload(kind === 'pdf' ? pdf(600) : jpeg(120, 160), `uploads/reg/${randomUUID()}`, who, key);

async function paperText(formId: string, who: string): Promise<string> {
  const paper = ok(await call('forms', { action: 'paper', formId }, who));
  const file = join(dir, `${randomUUID()}.pdf`);
  writeFileSync(file, (await httpRequest(paper.url)).body);
  return readPdfs([file])[0].pages.map((p) => p.text).join('').replace(/\s+/g, '');
}

test('when the profile is the equipment association, then members.me says holders register themselves and units start no certificate business', async () => {
  const me = ok(await call('members', { action: 'me' }, READY));
  expect(me.association).toMatchObject({ id: 'equipment', holderBusinesses: ['registration-renewal', 'registration-change'], unitBusiness: false });
  expect(me.association.certificateTypes).toContain('总监理工程师培训合格证书');
  const refused = await call('forms', { action: 'create', type: 'continuing-education', memberIds: ['member-demo-holder-ready'] }, ADMIN_A);
  expect(err(refused)).toBe('NOT_ELIGIBLE');
  const templates = ok(await call('forms', { action: 'templates' }, READY));
  expect(templates.map((t: any) => t.name)).toEqual(['延续登记申请表', '变更登记申请表']);
});

test('when a holder with 12 of 20 hours asks to renew, then it is refused with the hours missing and nothing is written', async () => {
  const options = ok(await call('members', { action: 'registrationOptions' }, SHORT));
  expect(options).toHaveLength(1);
  expect(options[0]).toMatchObject({ hoursDone: 12, hoursRequired: 20, renewal: { ok: false }, change: { ok: true } });
  expect(options[0].renewal.reasons.join('')).toContain('还差8学时');
  const before = (await database().collection(C.forms).where({ applicantOpenid: SHORT }).count()).total;
  const r = await call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-holder-short', details: DETAILS }, SHORT);
  expect(err(r)).toBe('NOT_ELIGIBLE');
  expect(r.error.fields.hours).toContain('已完成12学时，还差8学时');
  expect((await database().collection(C.forms).where({ applicantOpenid: SHORT }).count()).total).toBe(before);
  // Another person's certificate is not the caller's to register.
  expect(err(await call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-holder-short', details: DETAILS }, READY))).toBe('NOT_FOUND');
  // Bad details change nothing either.
  const bad = await call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-holder-ready', details: { ...DETAILS, email: 'not-mail' } }, READY);
  expect(err(bad)).toBe('INVALID_INPUT');
});

test('when a holder with 20 hours renews, then the draft, the paper, the PDF-only upload and two reviews extend the registration by its validity', async () => {
  const before = await certOf('cert-demo-holder-ready');
  const draft = ok(await call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-holder-ready', details: DETAILS }, READY));
  expect(draft).toMatchObject({ type: 'registration-renewal', status: 'draft', startedBy: 'applicant', registration: { kind: 'renewal', certNo: before.no, hoursDone: 20, hoursRequired: 20, toUnit: { id: 'unit-a' } } });
  expect(draft.no).toMatch(/^YXDJ-\d{8}\d{6}$/);
  // Nobody else discards the holder's draft; the holder may (and starts again).
  expect(err(await call('forms', { action: 'discard', formId: draft.id }, ADMIN_A))).toBe('FORBIDDEN');
  const scrap = ok(await call('members', { action: 'startRegistration', kind: 'change', certificateId: 'cert-demo-holder-ready', newUnitId: 'unit-b', details: DETAILS }, READY));
  expect(ok(await call('forms', { action: 'discard', formId: scrap.id }, READY))).toEqual({ formId: scrap.id });
  // Asking again (a retry) finds the same draft.
  const again = ok(await call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-holder-ready', details: { ...DETAILS, position: '总监' } }, READY));
  expect(again.id).toBe(draft.id);
  expect(again.registration.details.position).toBe('总监');

  // The pre-filled paper carries the person, the certificate, what they filled in and the seed's boxes.
  const text = await paperText(draft.id, READY);
  for (const s of ['延续登记申请表', '王设备', before.no, '总监', 'wang@example.com', '本人承诺以上内容真实准确', '单位公章']) expect(text).toContain(s);

  // Seed 3.5: the renewal form is uploaded as a PDF; a photo of it is refused, nothing at all too.
  expect(err(await call('forms', { action: 'submit', formId: draft.id, files: {} }, READY))).toBe('INVALID_INPUT');
  const photo = await call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(READY, 'applicationForm', 'jpeg') } }, READY);
  expect(err(photo)).toBe('FILE_INVALID');
  expect(photo.error.fields['files.applicationForm']).toContain('须为PDF文件');
  // Only the holder submits it; the unit's admin does not.
  expect(err(await call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(ADMIN_A, 'applicationForm', 'pdf') } }, ADMIN_A))).toBe('FORBIDDEN');
  const sent = ok(await call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(READY, 'applicationForm', 'pdf') } }, READY));
  expect(sent.status).toBe('org_review');

  // While it is in flight, a change for the same person is refused with the reason.
  const busy = ok(await call('members', { action: 'registrationOptions' }, READY));
  expect(busy[0].change.reasons.join('')).toContain('正在办理的延续登记');

  // 初审 then 审核; the holder may not approve their own.
  expect(err(await call('review', { action: 'approve', formId: draft.id }, READY))).toBe('FORBIDDEN');
  expect(ok(await call('review', { action: 'approve', formId: draft.id }, ORG)).status).toBe('assoc_review');
  expect(ok(await call('review', { action: 'approve', formId: draft.id }, ASSOC)).status).toBe('approved');
  const after = await certOf('cert-demo-holder-ready');
  expect(after.validUntil).toBe(addYears(before.validUntil, 3));
  expect(after.renewedOn).toBe(shanghaiDay());
  expect((await database().collection(C.busy).doc('member-demo-holder-ready').get()).data?.entries || []).toEqual([]);
  const trail = (await database().collection(C.audit).where({ targetId: 'cert-demo-holder-ready' }).get()).data as any[];
  expect(trail.map((e) => e.action)).toContain('renew');
  // 已审核: the holder downloads the renewed certificate (seed 000 3.7) — a real PNG.
  const ecert = ok(await call('certs', { action: 'ecert', certId: 'cert-demo-holder-ready' }, READY));
  const png = (await httpRequest(ecert.url)).body;
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(ok(await call('members', { action: 'me' }, READY)).certificates[0]).toMatchObject({ validUntil: after.validUntil, renewedOn: shanghaiDay() });
});

test('when the learning platform reports a finished course, then its hours count toward the renewal — once, and only when signed', async () => {
  const body = '31010419790823402';
  const idNumber = body + residentCheckChar(body);
  const report = { reportId: `course-${randomUUID().slice(0, 12)}`, idNumber, course: '设备监理继续教育：质量控制', hours: 8, finishedOn: addDays(shanghaiDay(), -3), at: new Date().toISOString() };
  expect(err(await call('studies', { action: 'reportCourse', ...report, signature: 'f'.repeat(64) }, ''))).toBe('UNAUTHENTICATED');
  expect(ok(await call('studies', { action: 'reportCourse', ...report, signature: signCourse(report) }, ''))).toEqual({ recorded: true, replay: false });
  expect(ok(await call('studies', { action: 'reportCourse', ...report, signature: signCourse(report) }, ''))).toEqual({ recorded: true, replay: true });
  const options = ok(await call('members', { action: 'registrationOptions' }, SHORT));
  expect(options[0]).toMatchObject({ hoursDone: 20, renewal: { ok: true } });
  // A draft made now is checked again at submission: with the course gone, it is refused and stays a draft.
  const draft = ok(await call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-holder-short', details: DETAILS }, SHORT));
  await database().collection(C.learning).doc(report.reportId).remove();
  const late = await call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(SHORT, 'applicationForm', 'pdf') } }, SHORT);
  expect(err(late)).toBe('NOT_ELIGIBLE');
  expect(late.error.fields.hours).toContain('还差8学时');
  expect(ok(await call('forms', { action: 'get', formId: draft.id }, SHORT)).status).toBe('draft');
  ok(await call('forms', { action: 'discard', formId: draft.id }, SHORT));
});

test('when the registration has lapsed, then a change is refused until it is renewed; 找不到单位 is approved and then chosen as the new employer', async () => {
  const db = database();
  const lapsedOn = addDays(shanghaiDay(), -10);
  await db.collection(C.certificates).doc('cert-demo-holder-short').update({ data: { validUntil: lapsedOn } });
  const options = ok(await call('members', { action: 'registrationOptions' }, SHORT));
  expect(options[0].change.ok).toBe(false);
  const refused = await call('members', { action: 'startRegistration', kind: 'change', certificateId: 'cert-demo-holder-short', newUnitId: 'unit-a', details: DETAILS }, SHORT);
  expect(err(refused)).toBe('NOT_ELIGIBLE');
  expect(refused.error.fields.certificateId).toContain('请先办理延续登记');
  // Valid again (as after a renewal): the change may start.
  await db.collection(C.certificates).doc('cert-demo-holder-short').update({ data: { validUntil: addYears(shanghaiDay(), 1) } });

  // The new employer is not in the list: ask for it; the secretariat adds it; the directory finds it.
  const name = `示例新设备监理${randomUUID().slice(0, 4)}有限公司`;
  expect(ok(await call('units', { action: 'directory', q: name.slice(0, 6) }, SHORT)).items).toEqual([]);
  const req = ok(await call('units', { action: 'request', name, creditCode: freshCreditCode(), contact: '010-64221783' }, SHORT));
  const decided = ok(await call('admin', { action: 'decideUnitRequest', requestId: req.id, decision: 'approve', orgId: 'org-demo' }, SECRETARIAT));
  const found = ok(await call('units', { action: 'directory', q: name.slice(0, 6) }, SHORT));
  expect(found.items).toEqual([{ id: decided.unit.id, name }]);
  expect(err(await call('units', { action: 'directory', q: '示' }, SHORT))).toBe('INVALID_INPUT');

  // The same unit as now is no change.
  const same = await call('members', { action: 'startRegistration', kind: 'change', certificateId: 'cert-demo-holder-short', newUnitId: 'unit-b', details: DETAILS }, SHORT);
  expect(same.error.fields.newUnitId).toContain('相同');
  const draft = ok(await call('members', { action: 'startRegistration', kind: 'change', certificateId: 'cert-demo-holder-short', newUnitId: decided.unit.id, details: DETAILS }, SHORT));
  expect(draft.registration).toMatchObject({ kind: 'change', fromUnit: { id: 'unit-b' }, toUnit: { id: decided.unit.id, name } });
  const text = await paperText(draft.id, SHORT);
  for (const s of ['变更登记申请表', '赵监理', '示例工程咨询有限公司', name, '该同志已受聘到我单位']) expect(text).toContain(s);

  // Both papers are needed; each may be a photo (the seed asks for a PDF only for the renewal form).
  const missing = await call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(SHORT, 'applicationForm', 'jpeg') } }, SHORT);
  expect(err(missing)).toBe('INVALID_INPUT');
  expect(missing.error.fields['files.resignationProof']).toContain('原单位离职证明');
  const sent = ok(await call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(SHORT, 'applicationForm', 'jpeg'), resignationProof: await upload(SHORT, 'resignationProof', 'jpeg') } }, SHORT));
  expect(sent.status).toBe('org_review');
  // A reviewer's return goes back to the holder, who resubmits.
  const returned = ok(await call('review', { action: 'return', formId: draft.id, reason: '离职证明不清晰' }, ORG));
  expect(returned.returned.to).toBe('applicant');
  // Resubmitted under the same attachment table: an unasked file is refused, the clearer proof accepted.
  expect(err(await call('forms', { action: 'resubmit', formId: draft.id, files: { insuranceProof: await sys.upload(jpeg(80, 80), `uploads/reg/${randomUUID()}`, SHORT, 'insuranceProof') } }, SHORT))).toBe('INVALID_INPUT');
  ok(await call('forms', { action: 'resubmit', formId: draft.id, files: { resignationProof: await upload(SHORT, 'resignationProof', 'pdf') } }, SHORT));
  ok(await call('review', { action: 'approve', formId: draft.id }, ORG));
  expect(ok(await call('review', { action: 'approve', formId: draft.id }, ASSOC)).status).toBe('approved');
  const cert = await certOf('cert-demo-holder-short');
  expect(cert).toMatchObject({ unitId: decided.unit.id, unitName: name });
  const me = ok(await call('members', { action: 'me' }, SHORT));
  expect(me.member.unit).toEqual({ id: decided.unit.id, name });
  expect(me.forms.map((f: any) => [f.type, f.status])).toContainEqual(['registration-change', 'approved']);
});

test('when the profile is the construction association, then holders cannot start a registration', async () => {
  const other = await startLocalSystem();
  try {
    const me = ok(await other.call('members', { action: 'me' }, 'demo-member-1'));
    expect(me.association).toMatchObject({ id: 'construction', holderBusinesses: [], unitBusiness: true });
    const r = await other.call('members', { action: 'startRegistration', kind: 'renewal', certificateId: 'cert-demo-1', details: DETAILS }, 'demo-member-1');
    expect(err(r)).toBe('NOT_ELIGIBLE');
    expect(r.error.message).toContain('不办理');
  } finally {
    await other.close();
  }
});
