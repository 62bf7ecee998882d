/**
 * Business forms end to end (issue 3): the person picker's reasons, create → submit → reviews →
 * payment → approval, study reports issuing and renewing certificates, cancellation's effect on
 * membership, and the person lock that keeps two conflicting businesses apart.
 */
import type { FileKey } from '../../typings/api';
import { randomUUID } from 'crypto';
import { addMonths, addYears, shanghaiDay, shanghaiIso } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { signReport } from '../../cloudfunctions/studies/report';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { personFiles, submission } from '../support/attachments';
import { ADMIN_A, ADMIN_B, ASSOC, FINANCE, ok, ORG } from '../support/journey';
import { addMember } from '../support/people';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const err = (r: any) => (r.ok ? 'ok' : r.error.code);
const today = () => shanghaiDay();

async function files(...keys: string[]) {
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = await sys.upload(k.endsWith('Form') || k === 'resignationProof' ? pdf(500) : jpeg(200, 280), `uploads/biz/${randomUUID()}-${k}`, ADMIN_A, k as FileKey);
  return out;
}

/** Create and submit with what the manual's table asks — `fileKeys` states the form-level papers expected. */
async function createAndSubmit(type: string, memberIds: string[], extra: Record<string, unknown>, fileKeys: string[]) {
  const draft = ok(await sys.call('forms', { action: 'create', type, memberIds, ...extra }, ADMIN_A));
  expect(draft.status).toBe('draft');
  const sub = await submission(sys, ADMIN_A, type, memberIds, extra.reason as string | undefined);
  expect(Object.keys(sub.files).sort()).toEqual(fileKeys.slice().sort());
  return ok(await sys.call('forms', { action: 'submit', formId: draft.id, ...sub }, ADMIN_A));
}

/** Pay first (manual 2.5.2–2.9.2: the fee before 机构初审), then 机构初审 → 协会复核 → 财务复核. */
async function payAndFinish(formId: string) {
  const atPay = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
  expect(atPay.status).toBe('awaiting_payment');
  let paid: any;
  for (const b of atPay.bills) paid = ok(await sys.call('bills', { action: 'pay', billId: b.id, receipt: await sys.upload(jpeg(100, 100), `uploads/biz/${randomUUID()}.jpg`, ADMIN_A, 'receipt') }, ADMIN_A));
  expect(paid.formStatus).toBe('org_review');
  ok(await sys.call('review', { action: 'approve', formId }, ORG));
  expect(ok(await sys.call('review', { action: 'approve', formId }, ASSOC)).status).toBe('finance_review');
  return ok(await sys.call('review', { action: 'approve', formId }, FINANCE));
}

function report(taskId: string, hoursDone: number, exam?: { passed: boolean }, at = new Date()) {
  const r = { reportId: randomUUID().replace(/-/g, ''), taskId, hoursDone, ...(exam ? { exam } : {}), at: shanghaiIso(at) };
  return { action: 'report', ...r, signature: signReport(r) };
}

async function eligibleOf(type: string, memberId: string, extra: Record<string, unknown> = {}) {
  const name = (await database().collection(C.members).doc(memberId).get()).data.name;
  const page = ok(await sys.call('forms', { action: 'eligible', type, name, ...extra }, ADMIN_A));
  return page.items.find((i: any) => i.memberId === memberId);
}

describe('the person picker', () => {
  test('when the unit opens a business, then every person is listed with eligibility and every reason', async () => {
    const fresh = await addMember({ certs: [{ validUntil: addYears(today(), 2) }] });
    const lapsed = await addMember({ ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: addMonths(today(), -1) }] });
    const page = ok(await sys.call('forms', { action: 'eligible', type: 'continuing-education', certType: '监理员', pageSize: 50 }, ADMIN_A));
    expect(page.total).toBeGreaterThanOrEqual(3);
    const a = page.items.find((i: any) => i.memberId === fresh.memberId);
    expect(a).toMatchObject({ eligible: false, reasons: [expect.stringMatching(/到期前半年内/)] });
    expect(a.certificates[0]).toMatchObject({ type: '监理员', status: 'valid' });
    const b = page.items.find((i: any) => i.memberId === lapsed.memberId);
    expect(b.eligible).toBe(false);
    expect(b.reasons.join()).toMatch(/只能办理证书注销/);
    expect(b.idMasked).toMatch(/^\d{4}\*{10}/);
    expect(err(await sys.call('forms', { action: 'eligible', type: 'upgrade' }, ORG))).toBe('FORBIDDEN');
    expect(err(await sys.call('forms', { action: 'eligible', type: 'join' }, ADMIN_A))).toBe('INVALID_INPUT');
  });

  test('when a refused person is put on a form anyway, then create refuses with NOT_ELIGIBLE and the reasons; another unit’s person is FORBIDDEN', async () => {
    const p = await addMember({ certs: [{ validUntil: addYears(today(), 2) }] });
    const r = await sys.call('forms', { action: 'create', type: 'continuing-education', certType: '监理员', memberIds: [p.memberId] }, ADMIN_A);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ELIGIBLE', fields: { [`people.${p.memberId}`]: expect.stringMatching(/半年内/) } } });
    expect(err(await sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: [p.memberId] }, ADMIN_B))).toBe('FORBIDDEN');
  });
});

describe('education forms and studies', () => {
  test('when 员升师 is approved and studied, then a 专业监理工程师 certificate is issued and the person is free again', async () => {
    const p = await addMember({ name: '升级甲', certs: [{ specialties: ['市政公用工程'] }] });
    const sent = await createAndSubmit('upgrade', [p.memberId], {}, ['commitment', 'insuranceProof']);
    expect(sent).toMatchObject({ status: 'awaiting_payment', amountDue: 80, no: expect.stringMatching(/^JY-\d{8}\d{6}$/) });
    expect(sent.bills).toEqual([expect.objectContaining({ kind: 'auxiliary', amount: 80, status: 'unpaid' })]);
    // In flight: an employer change is refused, a specialty change may run alongside (FAQ 3.7).
    expect((await eligibleOf('cert-unit-change', p.memberId, { reason: 'renamed' })).reasons.join()).toMatch(/在途的员升师/);
    expect((await eligibleOf('specialty-change', p.memberId, { certType: '监理员' })).reasons.join()).not.toMatch(/在途/);
    const done = await payAndFinish(sent.id);
    expect(done.status).toBe('approved');
    expect(done.bills[0].status).toBe('confirmed');
    const tasks = ok(await sys.call('studies', { action: 'list' }, ADMIN_A)).items.filter((t: any) => t.formId === sent.id);
    expect(tasks).toEqual([expect.objectContaining({ hoursRequired: 8, status: 'not_started', certType: '专业监理工程师' })]);
    expect((await eligibleOf('cert-cancel', p.memberId)).reasons.join()).toMatch(/未完成的学习任务/);

    const taskId = tasks[0].id;
    expect(err(await sys.call('studies', { ...report(taskId, 8), signature: '0'.repeat(64) }, ''))).toBe('UNAUTHENTICATED');
    expect(err(await sys.call('studies', { ...report(taskId, 8, undefined, new Date(Date.now() - 3600_000)) }, ''))).toBe('UNAUTHENTICATED');
    expect(ok(await sys.call('studies', { ...report(taskId, 5) }, '')).task).toMatchObject({ status: 'studying', hoursDone: 5 });
    const failed = report(taskId, 8, { passed: false });
    expect(ok(await sys.call('studies', failed, '')).task).toMatchObject({ examAttempts: 1, status: 'studying' });
    // The same report again is recognised and not counted twice.
    expect(ok(await sys.call('studies', failed, ''))).toMatchObject({ replay: true, task: { examAttempts: 1 } });
    const passed = ok(await sys.call('studies', report(taskId, 8, { passed: true }), '')).task;
    expect(passed).toMatchObject({ status: 'completed', examAttempts: 2, examPassed: true });

    const certs = (await database().collection(C.certificates).where({ memberId: p.memberId }).get()).data;
    const issued = certs.find((c: any) => c.type === '专业监理工程师');
    expect(issued).toMatchObject({ specialties: ['市政公用工程'], status: 'valid', validUntil: addYears(today(), 3), unitName: '示例监理有限公司', no: expect.stringMatching(/^ZJ\d{4}\d{6}$/) });
    expect((await eligibleOf('cert-cancel', p.memberId, { certType: '监理员' })).eligible).toBe(true);
  });

  test('when a renewal completes, then the certificate is extended from its old expiry; a lapsed membership paid with it restarts', async () => {
    const oldExpiry = addMonths(today(), 2);
    const p = await addMember({ ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: oldExpiry }] });
    const sent = await createAndSubmit('continuing-education', [p.memberId], { certType: '监理员' }, ['commitment', 'insuranceProof', 'applicationForm']);
    expect(sent.bills.map((b: any) => `${b.kind}:${b.amount}`).sort()).toEqual(['auxiliary:80', 'membership-personal:300']);
    expect(sent.amountDue).toBe(380);
    await payAndFinish(sent.id);
    const member = (await database().collection(C.members).doc(p.memberId).get()).data;
    expect(member.memberships.find((m: any) => m.level === 'ordinary').validUntil).toBe(addYears(today(), 3));
    const task = ok(await sys.call('studies', { action: 'list' }, ADMIN_A)).items.find((t: any) => t.formId === sent.id);
    expect(task.hoursRequired).toBe(20);
    ok(await sys.call('studies', report(task.id, 20, { passed: true }), ''));
    const cert = (await database().collection(C.certificates).doc(p.certIds[0]).get()).data;
    expect(cert).toMatchObject({ validUntil: addYears(oldExpiry, 3), renewedOn: today() });
  });

  test('when every exam attempt fails, then the task ends as failed and the 11th attempt is refused', async () => {
    const p = await addMember({ certs: [{}] });
    const sent = await createAndSubmit('specialty-change', [p.memberId], { certType: '监理员', specialties: ['公路工程', '市政公用工程'] }, ['commitment', 'insuranceProof']);
    await payAndFinish(sent.id);
    const task = ok(await sys.call('studies', { action: 'list' }, ADMIN_A)).items.find((t: any) => t.formId === sent.id);
    let last: any;
    for (let i = 0; i < 10; i++) last = ok(await sys.call('studies', report(task.id, 8, { passed: false }), '')).task;
    expect(last).toMatchObject({ examAttempts: 10, status: 'failed' });
    expect(err(await sys.call('studies', report(task.id, 8, { passed: true }), ''))).toBe('CONFLICT');
    // The failed task no longer blocks; the certificate kept its specialties.
    expect((await eligibleOf('cert-cancel', p.memberId)).eligible).toBe(true);
    expect((await database().collection(C.certificates).doc(p.certIds[0]).get()).data.specialties).toEqual(['房屋建筑工程']);
  });

  test('when a specialty change completes, then both certificates get the new specialties in order', async () => {
    const p = await addMember({ certs: [{}, { type: '安全监理员' }] });
    const sent = await createAndSubmit('specialty-change', [p.memberId], { certType: '监理员', specialties: ['公路工程', '市政公用工程'] }, ['commitment', 'insuranceProof']);
    await payAndFinish(sent.id);
    const task = ok(await sys.call('studies', { action: 'list' }, ADMIN_A)).items.find((t: any) => t.formId === sent.id);
    ok(await sys.call('studies', report(task.id, 8, { passed: true }), ''));
    const certs = (await database().collection(C.certificates).where({ memberId: p.memberId }).get()).data;
    expect(certs.map((c: any) => c.specialties)).toEqual([['公路工程', '市政公用工程'], ['公路工程', '市政公用工程']]);
  });

  test('when initial education is requested, then specialties and the certificate type are required and the submission needs its attachments', async () => {
    const p = await addMember({ certs: [] });
    expect(err(await sys.call('forms', { action: 'create', type: 'initial-education', certType: '安全监理员', memberIds: [p.memberId] }, ADMIN_A))).toBe('INVALID_INPUT');
    expect(err(await sys.call('forms', { action: 'create', type: 'initial-education', certType: '安全监理员', specialties: ['公路工程', '公路工程'], memberIds: [p.memberId] }, ADMIN_A))).toBe('INVALID_INPUT');
    const draft = ok(await sys.call('forms', { action: 'create', type: 'initial-education', certType: '安全监理员', specialties: ['公路工程'], memberIds: [p.memberId] }, ADMIN_A));
    const r = await sys.call('forms', { action: 'submit', formId: draft.id }, ADMIN_A);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { 'files.commitment': expect.any(String), 'files.insuranceProof': expect.any(String) } } });
    const bad = await sys.call('forms', { action: 'submit', formId: draft.id, files: { commitment: await sys.upload(Buffer.from('not a pdf'), 'uploads/biz/x.pdf') } }, ADMIN_A);
    expect(err(bad)).toBe('FILE_INVALID');
    // Each person's own diploma and its verification (manual 2.5.3 (2), (5)): missing, the person is named.
    const noDiploma = await sys.call('forms', { action: 'submit', formId: draft.id, files: await files('commitment', 'insuranceProof') }, ADMIN_A);
    expect(noDiploma).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { 'people.0.files.diploma': expect.stringContaining('请上传最高学历毕业证'), 'people.0.files.diplomaCheck': expect.any(String) } } });
    expect(noDiploma.error.message).toContain(draft.people[0].name);
    // A refused submission changed nothing: the papers come again, with the person's files.
    const sent = ok(await sys.call('forms', { action: 'submit', formId: draft.id, files: await files('commitment', 'insuranceProof'), people: await personFiles(sys, ADMIN_A, 'initial-education', [p.memberId]) }, ADMIN_A));
    expect(sent).toMatchObject({ status: 'awaiting_payment', certType: '安全监理员', specialties: ['公路工程'] });
    expect(Object.keys(sent.people[0].files).sort()).toEqual(['diploma', 'diplomaCheck']);
    expect(err(await sys.call('forms', { action: 'submit', formId: draft.id }, ADMIN_A))).toBe('CONFLICT');
    await payAndFinish(sent.id);
    const task = ok(await sys.call('studies', { action: 'list' }, ADMIN_A)).items.find((t: any) => t.formId === sent.id);
    ok(await sys.call('studies', report(task.id, task.hoursRequired, { passed: true }), ''));
    const certs = (await database().collection(C.certificates).where({ memberId: p.memberId }).get()).data;
    expect(certs).toEqual([expect.objectContaining({ type: '安全监理员', specialties: ['公路工程'], firstIssuedOn: today(), no: expect.stringMatching(/^AQ/) })]);
  });
});

describe('paying first (manual 2.5.2: the fee before 机构初审)', () => {
  test('when a paid form is returned by 机构初审 and resubmitted, then it goes straight back to 机构初审 — nothing is paid twice; returned by finance, it is paid again', async () => {
    const p = await addMember({ name: '先缴甲', certs: [{ specialties: ['市政公用工程'] }] });
    const sent = await createAndSubmit('upgrade', [p.memberId], {}, ['commitment', 'insuranceProof']);
    expect(sent.status).toBe('awaiting_payment');
    expect(err(await sys.call('review', { action: 'approve', formId: sent.id }, ORG))).toBe('FORBIDDEN'); // not at 机构初审 before it is paid
    ok(await sys.call('bills', { action: 'pay', billId: sent.bills[0].id, receipt: await sys.upload(jpeg(100, 100), `uploads/biz/${randomUUID()}.jpg`, ADMIN_A, 'receipt') }, ADMIN_A));
    ok(await sys.call('review', { action: 'return', formId: sent.id, reason: '承诺书未签字，毕业证不清晰' }, ORG));
    // The person's diploma is replaced with the resubmission: only an upload of the unit's own, reported under the person.
    const foreign = await sys.call('forms', { action: 'resubmit', formId: sent.id, people: [{ memberId: p.memberId, files: { diploma: await sys.upload(jpeg(100, 100), `uploads/biz/${randomUUID()}.jpg`, ADMIN_B, 'diploma') } }] }, ADMIN_A);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', fields: { 'people.0.files.diploma': expect.any(String) } } });
    const clearer = await sys.upload(jpeg(140, 180), `uploads/biz/${randomUUID()}.jpg`, ADMIN_A, 'diploma');
    const again = ok(await sys.call('forms', { action: 'resubmit', formId: sent.id, remark: '已补签', people: [{ memberId: p.memberId, files: { diploma: clearer } }] }, ADMIN_A));
    expect(again.status).toBe('org_review');
    expect(again.people[0].files).toMatchObject({ diploma: clearer, diplomaCheck: sent.people[0].files.diplomaCheck });
    expect(again.bills).toEqual([expect.objectContaining({ status: 'paid' })]);
    ok(await sys.call('review', { action: 'approve', formId: sent.id }, ORG));
    ok(await sys.call('review', { action: 'approve', formId: sent.id }, ASSOC));
    ok(await sys.call('review', { action: 'return', formId: sent.id, reason: '缴费凭证金额不符' }, FINANCE));
    const repay = ok(await sys.call('forms', { action: 'resubmit', formId: sent.id }, ADMIN_A));
    expect(repay.status).toBe('awaiting_payment');
    expect(repay.bills).toEqual([expect.objectContaining({ status: 'unpaid' })]);
  });
});

describe('employer change and cancellation', () => {
  test('when two people change employer, then the fee is 20 each, and approval relinks their certificates', async () => {
    const a = await addMember({ certs: [{ unitName: '旧单位有限公司', unitId: 'old' }] });
    const b = await addMember({ certs: [{ unitName: '旧单位有限公司', unitId: 'old' }] });
    const sent = await createAndSubmit('cert-unit-change', [a.memberId, b.memberId], { certType: '监理员', reason: 'new-employer' }, ['applicationForm', 'commitment', 'resignationProof', 'insuranceProof']);
    expect(sent).toMatchObject({ no: expect.stringMatching(/^ZSBG-/), amountDue: 40, reason: 'new-employer' });
    await payAndFinish(sent.id);
    for (const p of [a, b]) expect((await database().collection(C.certificates).doc(p.certIds[0]).get()).data).toMatchObject({ unitName: '示例监理有限公司', unitId: 'unit-a' });
  });

  test('when the only certificate is cancelled, then the ordinary membership ends; cancelling one of two keeps it', async () => {
    const only = await addMember({ certs: [{ validUntil: addYears(today(), -1) }] });
    const two = await addMember({ certs: [{}, { type: '安全监理员' }] });
    for (const [p, certType] of [[only, '监理员'], [two, '安全监理员']] as const) {
      const sent = await createAndSubmit('cert-cancel', [p.memberId], { certType }, ['applicationForm']);
      // Association review only, no fee (SPEC §3.1).
      expect(sent).toMatchObject({ status: 'assoc_review', amountDue: 0, bills: [] });
      expect(err(await sys.call('review', { action: 'approve', formId: sent.id }, ORG))).toBe('FORBIDDEN');
      expect(ok(await sys.call('review', { action: 'approve', formId: sent.id }, ASSOC)).status).toBe('approved');
    }
    const m1 = (await database().collection(C.members).doc(only.memberId).get()).data;
    expect(m1.memberships[0].validUntil < today()).toBe(true);
    expect((await database().collection(C.certificates).doc(only.certIds[0]).get()).data.status).toBe('cancelled');
    const m2 = (await database().collection(C.members).doc(two.memberId).get()).data;
    expect(m2.memberships[0].validUntil >= today()).toBe(true);
    expect((await database().collection(C.certificates).doc(two.certIds[0]).get()).data.status).toBe('valid');
    const audits = (await database().collection(C.audit).where({ targetId: only.memberId }).get()).data;
    expect(audits.map((x: any) => x.action)).toContain('membership-end');
  });

  test('when two forms for one person are submitted at once, then exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const p = await addMember({ certs: [{ unitName: '旧单位', unitId: 'old' }] });
      const d1 = ok(await sys.call('forms', { action: 'create', type: 'cert-unit-change', certType: '监理员', reason: 'renamed', memberIds: [p.memberId], files: await files('applicationForm', 'commitment') }, ADMIN_A));
      const d2 = ok(await sys.call('forms', { action: 'create', type: 'cert-cancel', certType: '监理员', memberIds: [p.memberId], files: await files('applicationForm') }, ADMIN_A));
      const results = await Promise.all([d1, d2].map((d) => sys.call('forms', { action: 'submit', formId: d.id }, ADMIN_A)));
      expect(results.map(err).sort()).toEqual(['NOT_ELIGIBLE', 'ok']);
      const busy = (await database().collection(C.busy).doc(p.memberId).get()).data;
      expect(busy.entries).toHaveLength(1);
    }
  });

  test('when a draft is discarded, then it is gone; submitted forms cannot be discarded', async () => {
    const p = await addMember({ certs: [{}] });
    const d = ok(await sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: [p.memberId] }, ADMIN_A));
    expect(err(await sys.call('forms', { action: 'discard', formId: d.id }, ADMIN_B))).toBe('FORBIDDEN');
    ok(await sys.call('forms', { action: 'discard', formId: d.id }, ADMIN_A));
    expect(err(await sys.call('forms', { action: 'get', formId: d.id }, ADMIN_A))).toBe('NOT_FOUND');
  });
});

describe('form numbers', () => {
  test('when many forms are created at the same moment, then every number is unique and follows the daily sequence', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => addMember({ certs: [{}] })));
    const made = await Promise.all(people.map((p) => sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: [p.memberId] }, ADMIN_A)));
    const nos = made.map((r) => ok(r).no as string);
    expect(new Set(nos).size).toBe(nos.length);
    const day = shanghaiDay().replace(/-/g, '');
    for (const no of nos) expect(no).toMatch(new RegExp(`^ZSZX-${day}\\d{6}$`));
    const seqs = nos.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seqs[seqs.length - 1] - seqs[0]).toBe(seqs.length - 1);
  });
});

describe('the member’s view of business started for them', () => {
  test('when the unit starts a business for a member, then the member sees the form and is no longer 自由态', async () => {
    const p = await addMember({ certs: [{}] });
    const openid = `wx-${randomUUID().slice(0, 8)}`;
    await database().collection(C.members).doc(p.memberId).update({ data: { openid } });
    expect(ok(await sys.call('members', { action: 'me' }, openid)).member.state).toBe('free');
    const sent = await createAndSubmit('upgrade', [p.memberId], {}, ['commitment', 'insuranceProof']);
    const me = ok(await sys.call('members', { action: 'me' }, openid));
    expect(me.member.state).toBe('upgrade');
    expect(me.forms.map((f: any) => f.id)).toContain(sent.id);
    expect(ok(await sys.call('forms', { action: 'get', formId: sent.id }, openid)).status).toBe('awaiting_payment');
    expect(err(await sys.call('forms', { action: 'get', formId: sent.id }, 'demo-member-1'))).toBe('FORBIDDEN');
  });
});
