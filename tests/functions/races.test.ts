/**
 * Races and state rules of issue 9, each asserting what must hold whatever the interleaving:
 * parallel payments of one form's bills, parallel guesses of an invitation's phone, parallel
 * bindings of one record or one WeChat, the engine's refusal of a non-move, and resubmission
 * re-checking every rule of submission.
 */
import { personFiles } from '../support/attachments';
import { randomUUID } from 'crypto';
import { addMonths, addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { transition } from '../../cloudfunctions/domain/forms/engine';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { ADMIN_A, apply, ASSOC, ok, ORG, profile } from '../support/journey';
import { addMember } from '../support/people';
import { err } from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const db = () => database();
const today = () => shanghaiDay();
const upload = (owner: string, purpose: 'commitment' | 'insuranceProof' | 'applicationForm' | 'receipt' | 'idFront' | 'idBack') =>
  sys.upload(purpose === 'applicationForm' ? pdf(400) : jpeg(200, 240), `uploads/race/${randomUUID()}`, owner, purpose);

/** A renewal for a person whose membership lapsed: two bills (auxiliary + membership), at 待缴费. */
async function twoBillForm() {
  const p = await addMember({ ordinaryUntil: addYears(today(), -1), certs: [{ validUntil: addMonths(today(), 2) }] });
  const draft = ok(await sys.call('forms', { action: 'create', type: 'continuing-education', certType: '监理员', memberIds: [p.memberId] }, ADMIN_A));
  const files = {
    commitment: await upload(ADMIN_A, 'commitment'),
    insuranceProof: await upload(ADMIN_A, 'insuranceProof'),
    applicationForm: await upload(ADMIN_A, 'applicationForm'),
  };
  // Business forms pay first (manual 2.5.2): submitted, the form waits at 待缴费.
  const atPay = ok(await sys.call('forms', { action: 'submit', formId: draft.id, files, people: await personFiles(sys, ADMIN_A, 'continuing-education', [p.memberId]) }, ADMIN_A));
  expect(atPay.status).toBe('awaiting_payment');
  expect(atPay.bills).toHaveLength(2);
  return atPay;
}

describe('the day’s form-number counter under load (the cloud’s write-conflict shape)', () => {
  test('when 50 applications arrive at once, then 50 distinct numbers, a gapless sequence, and no INTERNAL', async () => {
    const { validIdNumber } = await import('../support/fixtures');
    const { issue, joinFiles } = await import('../support/journey');
    const { code } = await issue(sys);
    const prepared = [];
    for (let i = 0; i < 50; i++) {
      const openid = `wx-load-${i}`;
      const files = await joinFiles(sys, true, openid);
      prepared.push({ openid, files, prof: profile({ idNumber: validIdNumber('1979-09-09', 'male', 300 + i) }, '1979-09-09') });
    }
    const answers = await Promise.all(
      prepared.map((p) => sys.call('members', { action: 'apply', code, level: 'ordinary', profile: p.prof, files: p.files }, p.openid)),
    );
    expect(answers.map(err).filter((c) => c !== 'ok')).toEqual([]);
    const numbers = answers.map((a) => a.data.formNo as string);
    expect(new Set(numbers).size).toBe(50);
    const seqs = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seqs[seqs.length - 1] - seqs[0]).toBe(49);
  }, 180_000);
});

describe('paying two bills of one form at the same moment', () => {
  test('when both are paid at once, then both are paid and the form moves on exactly once (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const form = await twoBillForm();
      const receipts = [await upload(ADMIN_A, 'receipt'), await upload(ADMIN_A, 'receipt')];
      const answers = await Promise.all(
        form.bills.map((b: { id: string }, i: number) => sys.call('bills', { action: 'pay', billId: b.id, receipt: receipts[i] }, ADMIN_A)),
      );
      // Each payment either went through or was told to retry; none is lost silently.
      for (const a of answers) expect(['ok', 'CONFLICT']).toContain(err(a));
      for (const [i, a] of answers.entries())
        if (!a.ok) ok(await sys.call('bills', { action: 'pay', billId: form.bills[i].id, receipt: receipts[i] }, ADMIN_A));
      const after = ok(await sys.call('forms', { action: 'get', formId: form.id }, ADMIN_A));
      expect(after.bills.map((b: { status: string }) => b.status)).toEqual(['paid', 'paid']);
      expect(after.status).toBe('org_review');
      expect(after.trail.filter((t: { from: string }) => t.from === 'awaiting_payment')).toHaveLength(1);
    }
  });
});

describe('guessing an invitation’s phone', () => {
  test('when twenty wrong phones are tried at once, then every answered guess is counted, the invitation is revoked, and the right phone no longer works', async () => {
    const right = '13700000077';
    const inv = ok(await sys.call('units', { action: 'inviteSubAdmin', phone: right }, ADMIN_A));
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sys.call('units', { action: 'acceptInvite', code: inv.code, phone: `1370000${String(1000 + i).slice(-4)}` }, `guesser-${i}`),
      ),
    );
    const codes = guesses.map(err);
    // A wrong guess is FORBIDDEN (counted), or refused once the invitation is revoked, or — when its
    // count could not be written — CONFLICT, which says nothing about the phone.
    for (const c of codes) expect(['FORBIDDEN', 'CODE_INVALID', 'CONFLICT']).toContain(c);
    const stored = (await db().collection(C.codes).doc(inv.inviteId).get()).data;
    expect(stored.failedAttempts).toBe(codes.filter((c) => c === 'FORBIDDEN').length);
    expect(stored.failedAttempts).toBeGreaterThanOrEqual(5);
    expect(stored.revokedAt).toBeTruthy();
    expect(err(await sys.call('units', { action: 'acceptInvite', code: inv.code, phone: right }, 'the-real-invitee'))).toBe('CODE_INVALID');
  });
});

describe('binding WeChat users to member records', () => {
  async function request(memberId: string, name: string, idNumber: string, openid: string) {
    const c = ok(await sys.call('codes', { action: 'issue', kind: 'id-update' }, ADMIN_A)).code;
    const files = { idFront: await upload(openid, 'idFront'), idBack: await upload(openid, 'idBack') };
    return ok(await sys.call('members', { action: 'idSupplement', code: c, name, idNumber, phone: '13900000000', files }, openid)).requestId as string;
  }

  test('when two WeChats’ requests for one record are confirmed at once, then exactly one is bound (3 rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      const m = await addMember({ name: `抢绑${'甲乙丙'[round]}` });
      const name = `抢绑${'甲乙丙'[round]}`;
      const r1 = await request(m.memberId, name, m.idNumber, `wx-bind-a-${round}`);
      const r2 = await request(m.memberId, name, m.idNumber, `wx-bind-b-${round}`);
      const answers = await Promise.all([r1, r2].map((requestId) => sys.call('members', { action: 'decideBind', requestId, decision: 'approve' }, ADMIN_A)));
      expect(answers.map(err).sort()).toEqual(['CONFLICT', 'ok']);
      const rec = (await db().collection(C.members).doc(m.memberId).get()).data;
      const winner = answers[0].ok ? `wx-bind-a-${round}` : `wx-bind-b-${round}`;
      expect(rec.openid).toBe(winner);
      const loser = winner.endsWith(`a-${round}`) ? `wx-bind-b-${round}` : `wx-bind-a-${round}`;
      expect((await db().collection(C.bindings).doc(winner).get()).data).toMatchObject({ memberId: m.memberId });
      expect((await db().collection(C.bindings).doc(loser).get()).data).toBeFalsy();
    }
  });

  test('when one WeChat’s requests for two records are confirmed at once, then it is bound to exactly one', async () => {
    const openid = 'wx-two-records';
    const a = await addMember({ name: '双绑甲' });
    const b = await addMember({ name: '双绑乙' });
    const ra = await request(a.memberId, '双绑甲', a.idNumber, openid);
    const rb = await request(b.memberId, '双绑乙', b.idNumber, openid);
    const answers = await Promise.all([ra, rb].map((requestId) => sys.call('members', { action: 'decideBind', requestId, decision: 'approve' }, ADMIN_A)));
    expect(answers.map(err).sort()).toEqual(['CONFLICT', 'ok']);
    const bound = (await db().collection(C.members).where({ openid }).get()).data;
    expect(bound).toHaveLength(1);
    // And the bound WeChat cannot apply to join as a new person.
    expect(err(await apply(sys, openid, profile({}, '1984-04-04')))).toBe('DUPLICATE');
  });
});

describe('the engine', () => {
  test('when a transition would keep the status, then it is refused and nothing is written', async () => {
    const { formId } = ok(await apply(sys, 'wx-engine', profile({}, '1986-06-06')));
    const before = (await db().collection(C.forms).doc(formId).get()).data;
    await expect(
      transition(db(), { formId, from: 'unit_review', to: 'unit_review', by: 'test', role: 'unit_admin', action: 'noop' }, new Date()),
    ).rejects.toThrow(/to itself/);
    const after = (await db().collection(C.forms).doc(formId).get()).data;
    expect(after.version).toBe(before.version);
    expect(after.trail).toHaveLength(before.trail.length);
  });
});

describe('resubmission checks every rule of submission again', () => {
  test('when the applicant became a member while the form was returned, then resubmitting is DUPLICATE', async () => {
    const prof = profile({}, '1987-07-07');
    const { formId } = ok(await apply(sys, 'wx-became-member', prof));
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'return', reason: '请补充地址' }, ADMIN_A));
    // Meanwhile the same ID number joined by another way (e.g. the legacy import).
    const { protectId } = await import('../../cloudfunctions/infra/pii');
    await db().collection(C.members).add({ data: { _id: `legacy-${randomUUID().slice(0, 8)}`, name: prof.name, ...protectId(prof.idNumber as string), unitId: 'unit-a', memberships: [] } });
    expect(err(await sys.call('forms', { action: 'resubmit', formId, profile: { address: '示例路9号' } }, 'wx-became-member'))).toBe('DUPLICATE');
  });

  test('when a person on a returned business form left the unit, then resubmitting is NOT_ELIGIBLE', async () => {
    const p = await addMember({ certs: [{}] });
    const draft = ok(await sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: [p.memberId] }, ADMIN_A));
    const sent = ok(await sys.call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: await upload(ADMIN_A, 'applicationForm') } }, ADMIN_A));
    ok(await sys.call('review', { action: 'return', formId: sent.id, reason: '注销申请表未签字' }, ASSOC));
    await db().collection(C.members).doc(p.memberId).update({ data: { unitId: 'unit-b' } });
    const r = await sys.call('forms', { action: 'resubmit', formId: sent.id }, ADMIN_A);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ELIGIBLE', message: expect.stringMatching(/不在本单位/) } });
  });
});

describe('one person, one ID number, however written', () => {
  test('when the same other-type ID number is written with dashes and spaces, then the second application is the same person', async () => {
    const base = { idType: 'other', birthDate: '1981-01-01', gender: 'male' };
    ok(await apply(sys, 'wx-other-1', profile({ ...base, idNumber: 'P-1234 5678' }, '1981-01-01')));
    const again = await apply(sys, 'wx-other-2', profile({ ...base, idNumber: 'p12345678' }, '1981-01-01'));
    expect(again).toMatchObject({ ok: false, error: { code: 'DUPLICATE' } });
  });
});
