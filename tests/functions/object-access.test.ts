/**
 * The object-level access matrix (issue 9). The role matrix (access-matrix.test.ts) asks "may this
 * kind of caller use this action"; this one asks "may this caller touch *that* record". Every action
 * that names a record (a form, person, file, bill, certificate, code, request, job, invitation …) is
 * called on records that are the caller's own, a co-worker's on the same form, another unit's, and
 * nobody's — from one declared table. The record-naming fields are found in each action's input
 * schema, so a new action (or a new kind of record field) without a row here fails the first test.
 */
import { personFiles } from '../support/attachments';
import { randomUUID } from 'crypto';
import { addMonths, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import type { Spec } from '../../cloudfunctions/infra/validate';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { ADMIN_A, ADMIN_B, apply, ASSOC, ok, ORG, profile } from '../support/journey';
import { addMember } from '../support/people';
import { err } from '../support/accounts';

type Relation = 'own' | 'coworker' | 'otherUnit' | 'nobody';
/** What must come back: `ok`, or an error code; `past` = got past the object check (any non-refusal). */
type Want = 'ok' | 'past' | 'FORBIDDEN' | 'NOT_FOUND' | 'CODE_INVALID' | ((r: any) => void);
interface Case {
  relation: Relation;
  as: string;
  data: Record<string, unknown>;
  want: Want;
}

/** The world the table talks about (filled in beforeAll). */
const w = {} as {
  p1: { memberId: string; idNumber: string; certId: string };
  p2: { memberId: string };
  q: { memberId: string; certId: string };
  formF: any; // unit A's renewal naming P1 and P2, waiting for payment
  joinJ: string; // an application at unit A, at the unit's pre-review
  fileP1: string; // P1's own upload, not attached
  fileF: string; // unit A's attachment on form F
  fileJ: string; // the applicant's ID card on J
  fileQ: string; // Q's own upload
  receiptA: string; // unit A admin's receipt upload
  receiptB: string; // unit B admin's receipt upload
  codeP1: string; // P1's resignation code (unit A)
  codeIdA: string; // a unit A code's id
  jobA: string; // a unit A batch job
  requestA: string; // a binding request at unit A
  inviteA: string; // a pending sub-admin invitation of unit A
  noticeA: string; // a notice to unit A
};
const P1 = 'obj-p1';
const P2 = 'obj-p2';
const Q = 'obj-q';
const APPLICANT = 'obj-applicant';
const MISSING_FILE = 'cloud://local.local-bucket/uploads/none/none.jpg';

/** Records named by each action, and the calls that prove the rule. Exempt rows say why. */
const TABLE: Record<string, Record<string, Case[] | { exempt: string }>> = {
  forms: {
    get: [
      { relation: 'own', as: P1, data: { formId: () => w.formF.id }, want: (r) => expect(ok(r).people.map((p: any) => p.memberId)).toEqual([w.p1.memberId]) },
      // A co-worker on the same form reads the form — and finds only their own entry in it.
      { relation: 'coworker', as: P2, data: { formId: () => w.formF.id }, want: (r) => expect(JSON.stringify(ok(r))).not.toContain(w.p1.memberId) },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    revealId: [
      { relation: 'own', as: P1, data: { formId: () => w.formF.id, person: 0 }, want: (r) => expect(ok(r).idNumber).toBe(w.p1.idNumber) },
      { relation: 'coworker', as: P2, data: { formId: () => w.formF.id, person: 0 }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id, person: 0 }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    prereview: [
      // Past the object check, the handler's own rule answers (a return needs a reason).
      { relation: 'own', as: ADMIN_A, data: { formId: () => w.joinJ, decision: 'return' }, want: 'past' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.joinJ, decision: 'return', reason: '不是本单位' }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { formId: 'nosuchform', decision: 'approve' }, want: 'NOT_FOUND' },
    ],
    resubmit: [
      { relation: 'own', as: ADMIN_A, data: { formId: () => w.formF.id }, want: 'past' },
      { relation: 'coworker', as: P1, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    submit: [
      { relation: 'own', as: ADMIN_A, data: { formId: () => w.formF.id }, want: 'past' },
      // A person named on the unit's form does not submit it (the holder submits only their own registration).
      { relation: 'coworker', as: P1, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    discard: [
      { relation: 'own', as: ADMIN_A, data: { formId: () => w.formF.id }, want: 'past' },
      { relation: 'coworker', as: P1, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    paper: [
      { relation: 'own', as: P1, data: { formId: () => w.formF.id }, want: 'ok' },
      { relation: 'coworker', as: P2, data: { formId: () => w.formF.id, person: 0 }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    withdraw: [
      // Only whoever started it: not a person named on it, not another unit.
      { relation: 'coworker', as: P1, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_A, data: { formId: () => w.joinJ, version: 999 }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
      { relation: 'own', as: APPLICANT, data: { formId: () => w.joinJ, version: 999 }, want: 'past' },
    ],
    create: [
      { relation: 'own', as: ADMIN_A, data: { type: 'cert-cancel', memberIds: () => [w.p1.memberId] }, want: 'past' },
      { relation: 'otherUnit', as: ADMIN_B, data: { type: 'cert-cancel', memberIds: () => [w.p1.memberId] }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { type: 'cert-cancel', memberIds: ['nosuchmember'] }, want: 'FORBIDDEN' },
      // A file someone else uploaded cannot be attached.
      { relation: 'coworker', as: ADMIN_A, data: { type: 'cert-cancel', memberIds: () => [w.p1.memberId], files: () => ({ applicationForm: w.fileP1 }) }, want: 'FORBIDDEN' },
    ],
  },
  bills: {
    issueInvoice: [
      { relation: 'nobody', as: 'demo-finance', data: { billId: 'nosuchbill', file: () => w.receiptA, kind: 'e-invoice' }, want: 'NOT_FOUND' },
      // Finance attaches its own file only.
      { relation: 'otherUnit', as: 'demo-finance', data: { billId: () => w.formF.bills[0].id, file: () => w.receiptA, kind: 'e-invoice' }, want: 'FORBIDDEN' },
    ],
    invoices: { exempt: 'lists only the caller’s own unit for unit admins (membership.test.ts: another unit sees none)' },
    pay: [
      { relation: 'own', as: ADMIN_A, data: { billId: () => w.formF.bills[0].id, receipt: () => w.fileP1 }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { billId: () => w.formF.bills[0].id, receipt: () => w.receiptB }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { billId: 'nosuchbill', receipt: () => w.receiptA }, want: 'NOT_FOUND' },
    ],
  },
  review: {
    approve: [
      // The organisation's reviewer on a form not at its stage: not theirs to act on.
      { relation: 'otherUnit', as: ORG, data: { formId: () => w.joinJ }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ORG, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    reject: [
      { relation: 'otherUnit', as: ASSOC, data: { formId: () => w.joinJ, reason: '不在本环节' }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ASSOC, data: { formId: 'nosuchform', reason: '没有这个表单' }, want: 'NOT_FOUND' },
    ],
    return: [
      { relation: 'otherUnit', as: ORG, data: { formId: () => w.joinJ, reason: '不该由我退回' }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ORG, data: { formId: 'nosuchform', reason: '没有这个表单' }, want: 'NOT_FOUND' },
    ],
  },
  members: {
    apply: [
      { relation: 'otherUnit', as: Q, data: { code: 'x', level: 'ordinary', profile: {}, files: () => ({ idFront: w.fileJ }) }, want: 'past' },
    ],
    idSupplement: { exempt: 'files are checked as owned before the record is named (races.test.ts, moves.test.ts bind the record only on the unit admin’s confirmation)' },
    ocrIdCard: [
      { relation: 'own', as: P1, data: { fileID: () => w.fileP1, side: 'front' }, want: 'ok' },
      { relation: 'coworker', as: P2, data: { fileID: () => w.fileP1, side: 'front' }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: Q, data: { fileID: () => w.fileP1, side: 'front' }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { fileID: MISSING_FILE, side: 'front' }, want: 'FORBIDDEN' },
    ],
    confirmResign: [
      { relation: 'coworker', as: P2, data: { code: () => w.codeP1 }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: Q, data: { code: () => w.codeP1 }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { code: 'R0000000000.zzzzzz.AAAAAAAAAAA' }, want: 'CODE_INVALID' },
    ],
    decideBind: [
      { relation: 'otherUnit', as: ADMIN_B, data: { requestId: () => w.requestA, decision: 'refuse', reason: '不是本单位的人' }, want: 'NOT_FOUND' },
      { relation: 'nobody', as: ADMIN_A, data: { requestId: 'nosuchrequest', decision: 'approve' }, want: 'NOT_FOUND' },
      { relation: 'own', as: ADMIN_A, data: { requestId: () => w.requestA, decision: 'refuse' }, want: 'past' },
    ],
    requestChange: [
      // A member changes only their own record, with their own uploads.
      { relation: 'coworker', as: P2, data: { changes: { photo: () => w.fileP1 }, files: { photo: () => w.fileP1 } }, want: 'FORBIDDEN' },
    ],
    roster: { exempt: 'its filter names people only within the caller’s unit (certs.preview rows show another unit’s ids select nobody)' },
    confirmTransfer: { exempt: 'a transfer code names the unit the member joins, not a record of someone else (moves.test.ts)' },
    startRegistration: { exempt: 'names only the caller’s own certificate — another’s answers NOT_FOUND, and the construction profile starts none (registration.test.ts, equipment profile)' },
    registrationOptions: { exempt: 'lists only the caller’s own certificates' },
    idLookup: { exempt: 'looks up by name and ID number within the code’s unit; rate-limited, misses in one shape (moves.test.ts)' },
  },
  codes: {
    issue: [
      { relation: 'own', as: ADMIN_A, data: { kind: 'resign', memberId: () => w.p1.memberId }, want: 'ok' },
      { relation: 'otherUnit', as: ADMIN_B, data: { kind: 'resign', memberId: () => w.p1.memberId }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { kind: 'resign', memberId: 'nosuchmember' }, want: 'FORBIDDEN' },
    ],
    revoke: [
      { relation: 'otherUnit', as: ADMIN_B, data: { codeId: () => w.codeIdA }, want: 'NOT_FOUND' },
      { relation: 'nobody', as: ADMIN_A, data: { codeId: '0000000000' }, want: 'NOT_FOUND' },
      { relation: 'own', as: ADMIN_A, data: { codeId: () => w.codeIdA }, want: 'ok' },
    ],
    list: { exempt: 'lists only the caller’s own unit (moves.test.ts: another unit sees none)' },
    resolve: { exempt: 'public by design: a scanned code names its unit' },
  },
  certs: {
    ecert: [
      { relation: 'own', as: P1, data: { certId: () => w.p1.certId }, want: 'ok' },
      { relation: 'coworker', as: P2, data: { certId: () => w.p1.certId }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_B, data: { certId: () => w.p1.certId }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { certId: 'nosuchcert' }, want: 'NOT_FOUND' },
    ],
    job: [
      { relation: 'own', as: ADMIN_A, data: { jobId: () => w.jobA }, want: 'ok' },
      { relation: 'otherUnit', as: ADMIN_B, data: { jobId: () => w.jobA }, want: 'NOT_FOUND' },
      { relation: 'nobody', as: ADMIN_A, data: { jobId: 'nosuchjob1' }, want: 'NOT_FOUND' },
    ],
    preview: [
      // Another unit's people named by hand are simply not in the caller's roster.
      { relation: 'otherUnit', as: ADMIN_A, data: { filter: { memberIds: () => [w.q.memberId] } }, want: (r) => expect(ok(r).people).toBe(0) },
      { relation: 'own', as: ADMIN_A, data: { filter: { memberIds: () => [w.p1.memberId] } }, want: (r) => expect(ok(r).people).toBe(1) },
    ],
    // A job id continues that job — only within its unit; the filter of a new job stays in the caller's unit.
    batch: [
      { relation: 'own', as: ADMIN_A, data: { jobId: () => w.jobA }, want: (r) => expect(ok(r)).toMatchObject({ jobId: w.jobA, status: 'done', done: 1 }) },
      { relation: 'otherUnit', as: ADMIN_B, data: { jobId: () => w.jobA }, want: 'NOT_FOUND' },
      { relation: 'otherUnit', as: ADMIN_A, data: { jobId: 'objaccess-other-unit', filter: { memberIds: () => [w.q.memberId] } }, want: 'NOT_FOUND' },
    ],
    export: { exempt: 'the same roster filter as preview, always within the caller’s unit (export.test.ts)' },
  },
  files: {
    url: [
      { relation: 'own', as: P1, data: { fileID: () => w.fileP1 }, want: 'ok' },
      { relation: 'coworker', as: P2, data: { fileID: () => w.fileP1 }, want: 'FORBIDDEN' },
      // A form-level attachment: the unit and the reviewers see it, a person named on the form does not.
      { relation: 'coworker', as: P2, data: { fileID: () => w.fileF }, want: 'FORBIDDEN' },
      { relation: 'own', as: ORG, data: { fileID: () => w.fileF }, want: 'ok' },
      { relation: 'own', as: ADMIN_A, data: { fileID: () => w.fileJ }, want: 'ok' },
      { relation: 'otherUnit', as: ADMIN_B, data: { fileID: () => w.fileF }, want: 'FORBIDDEN' },
      { relation: 'otherUnit', as: ADMIN_A, data: { fileID: () => w.fileQ }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { fileID: MISSING_FILE }, want: 'NOT_FOUND' },
    ],
    confirm: [
      { relation: 'own', as: P1, data: { fileID: () => w.fileP1, purpose: 'idFront' }, want: 'ok' },
      { relation: 'coworker', as: P2, data: { fileID: () => w.fileP1, purpose: 'idFront' }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: P1, data: { fileID: MISSING_FILE, purpose: 'idFront' }, want: (r) => expect(err(r)).toBe('FILE_INVALID') },
    ],
  },
  units: {
    revokeInvite: [
      { relation: 'otherUnit', as: ADMIN_B, data: { inviteId: () => w.inviteA }, want: (r) => expect(['NOT_FOUND', 'FORBIDDEN']).toContain(err(r)) },
      { relation: 'nobody', as: ADMIN_A, data: { inviteId: 'nosuchinvite' }, want: 'NOT_FOUND' },
    ],
    removeSubAdmin: [{ relation: 'otherUnit', as: ADMIN_B, data: { openid: ADMIN_A }, want: (r) => expect(['NOT_FOUND', 'FORBIDDEN']).toContain(err(r)) }],
    transferMain: [{ relation: 'otherUnit', as: ADMIN_B, data: { openid: ADMIN_A }, want: (r) => expect(['NOT_FOUND', 'FORBIDDEN']).toContain(err(r)) }],
    resubmit: [
      { relation: 'otherUnit', as: ADMIN_B, data: { formId: () => w.formF.id }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_A, data: { formId: 'nosuchform' }, want: 'NOT_FOUND' },
    ],
    acceptInvite: { exempt: 'the invitee names the invitation by scanning it; phone-checked, counted in a transaction (races.test.ts)' },
    applyMembership: [
      { relation: 'coworker', as: ADMIN_B, data: { files: { applicationForm: () => w.fileP1 } }, want: 'FORBIDDEN' },
      { relation: 'nobody', as: ADMIN_B, data: { files: { applicationForm: MISSING_FILE } }, want: (r) => expect(err(r)).toBe('FILE_INVALID') },
    ],
    payMembership: [
      { relation: 'otherUnit', as: ADMIN_A, data: { year: () => Number(shanghaiDay().slice(0, 4)) + 1, receipt: () => w.receiptB }, want: 'FORBIDDEN' },
    ],
    requestInfoChange: [
      { relation: 'otherUnit', as: ADMIN_A, data: { address: '示例路100号', files: { commitment: () => w.receiptB } }, want: 'FORBIDDEN' },
    ],
  },
  notices: {
    todo: { exempt: 'names no record: counts only within the caller’s own roles and scopes (todo.test.ts: unit B’s counts do not move with unit A’s work)' },
    read: [
      { relation: 'otherUnit', as: ADMIN_B, data: { ids: () => [w.noticeA] }, want: 'NOT_FOUND' },
      { relation: 'coworker', as: P1, data: { ids: () => [w.noticeA] }, want: 'NOT_FOUND' },
      { relation: 'own', as: ADMIN_A, data: { ids: () => [w.noticeA] }, want: 'ok' },
    ],
  },
  studies: {
    report: { exempt: 'the learning platform names tasks with an HMAC signature, no WeChat user (business.test.ts)' },
    reportCourse: { exempt: 'the learning platform names a person by ID number only with an HMAC signature (registration.test.ts)' },
  },
  admin: {
    updateUnit: { exempt: 'the secretariat acts platform-wide by its role (access-matrix.test.ts)' },
    updateOrg: { exempt: 'the secretariat acts platform-wide by its role' },
    inviteRole: { exempt: 'the secretariat acts platform-wide by its role' },
    revokeRole: { exempt: 'the secretariat acts platform-wide by its role' },
    revokeInvite: { exempt: 'the secretariat acts platform-wide by its role' },
    unbind: { exempt: 'the secretariat acts platform-wide by its role' },
    createUnit: { exempt: 'the secretariat acts platform-wide by its role' },
    listUnits: { exempt: 'the secretariat acts platform-wide by its role' },
    listRoles: { exempt: 'the secretariat acts platform-wide by its role' },
    acceptRole: { exempt: 'the invitee names the invitation by scanning it (admin.test.ts)' },
    decideUnitRequest: { exempt: 'the secretariat decides any unit request by its role (unit-requests.test.ts)' },
    unitRequests: { exempt: 'the secretariat lists every unit request by its role' },
    bootstrap: { exempt: 'a one-time deployment code, not a record (admin-bootstrap.test.ts)' },
    correctMember: { exempt: 'the secretariat corrects any record by its role, audited with the reason (membership.test.ts)' },
    correctCertificate: { exempt: 'the secretariat corrects any record by its role, audited with the reason (membership.test.ts)' },
  },
  cleanup: {
    run: { exempt: 'names no record: the timer or the secretariat cleans platform-wide by its role (cleanup.test.ts)' },
  },
};

// ---------- which actions name records ----------

/** Field names that name a record somewhere in an input. */
const RECORD_FIELD = /(^|\.)(formId|memberId|memberIds|billId|certId|fileID|receipt|files|code|codeId|requestId|jobId|inviteId|grantId|taskId|unitId|orgId|scopeId|openid|ids)$/;

function recordFields(spec: Spec, path = ''): string[] {
  switch (spec.kind) {
    case 'object':
      return Object.entries(spec.shape).flatMap(([k, s]) => {
        const p = path ? `${path}.${k}` : k;
        return [...(RECORD_FIELD.test(p) ? [p] : []), ...recordFields(s, p)];
      });
    case 'optional':
      return recordFields(spec.inner, path);
    case 'list':
      return recordFields(spec.item, path);
    default:
      return [];
  }
}

const FUNCTIONS = ['forms', 'bills', 'review', 'members', 'codes', 'certs', 'files', 'units', 'notices', 'studies', 'admin'];

function namingActions(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const fn of FUNCTIONS) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const actions = require(`../../cloudfunctions/${fn}/index`).main.actions as Record<string, { input: { spec: Spec } }>;
    for (const [name, def] of Object.entries(actions)) if (recordFields(def.input.spec).length) (out[fn] ||= []).push(name);
  }
  return out;
}

// ---------- the world ----------

let sys: LocalSystem;
const db = () => database();

async function bind(memberId: string, openid: string) {
  await db().collection(C.members).doc(memberId).update({ data: { openid } });
  await db().collection(C.bindings).doc(openid).set({ data: { memberId, at: new Date() } });
}

beforeAll(async () => {
  sys = await startLocalSystem();
  const soon = addMonths(shanghaiDay(), 2);
  const p1 = await addMember({ name: '对象甲', certs: [{ validUntil: soon }] });
  const p2 = await addMember({ name: '对象乙', certs: [{ validUntil: soon }] });
  const q = await addMember({ name: '对象丙', unitId: 'unit-b', certs: [{}] });
  await bind(p1.memberId, P1);
  await bind(p2.memberId, P2);
  await bind(q.memberId, Q);
  w.p1 = { memberId: p1.memberId, idNumber: p1.idNumber, certId: p1.certIds[0] };
  w.p2 = { memberId: p2.memberId };
  w.q = { memberId: q.memberId, certId: q.certIds[0] };
  const up = (owner: string, purpose: any, bytes = jpeg(200, 240)) => sys.upload(bytes, `uploads/obj/${randomUUID()}`, owner, purpose);
  w.fileP1 = await up(P1, 'idFront');
  w.fileQ = await up(Q, 'idFront');
  w.receiptA = await up(ADMIN_A, 'receipt');
  w.receiptB = await up(ADMIN_B, 'receipt');
  w.fileF = await up(ADMIN_A, 'commitment');
  const draft = ok(await sys.call('forms', { action: 'create', type: 'continuing-education', certType: '监理员', memberIds: [p1.memberId, p2.memberId] }, ADMIN_A));
  const files = { commitment: w.fileF, insuranceProof: await up(ADMIN_A, 'insuranceProof'), applicationForm: await up(ADMIN_A, 'applicationForm', pdf(400)) };
  const people = await personFiles(sys, ADMIN_A, 'continuing-education', [p1.memberId, p2.memberId]);
  const sent = ok(await sys.call('forms', { action: 'submit', formId: draft.id, files, people }, ADMIN_A));
  // Business forms pay first (manual 2.5.2): submitted, the form waits at 待缴费 with its bill.
  expect(sent.status).toBe('awaiting_payment');
  w.formF = sent;
  const j = ok(await apply(sys, APPLICANT, profile({}, '1982-03-03')));
  w.joinJ = j.formId;
  w.fileJ = ok(await sys.call('forms', { action: 'get', formId: j.formId }, ADMIN_A)).people[0].files.idFront;
  w.codeP1 = ok(await sys.call('codes', { action: 'issue', kind: 'resign', memberId: p1.memberId }, ADMIN_A)).code;
  w.codeIdA = w.codeP1.slice(1, 11);
  const job = ok(await sys.call('certs', { action: 'batch', filter: { memberIds: [p1.memberId] } }, ADMIN_A));
  w.jobA = job.jobId;
  const old = await addMember({ name: '对象丁' });
  const idc = ok(await sys.call('codes', { action: 'issue', kind: 'id-update' }, ADMIN_A)).code;
  const idFiles = { idFront: await up('obj-old', 'idFront'), idBack: await up('obj-old', 'idBack') };
  w.requestA = ok(await sys.call('members', { action: 'idSupplement', code: idc, name: '对象丁', idNumber: old.idNumber, phone: '13900000000', files: idFiles }, 'obj-old')).requestId;
  w.inviteA = ok(await sys.call('units', { action: 'inviteSubAdmin', phone: '13700000123' }, ADMIN_A)).inviteId;
  w.noticeA = ok(await sys.call('notices', { action: 'list' }, ADMIN_A)).items[0].id;
});
afterAll(async () => {
  await sys?.close();
});

// ---------- the tests ----------

test('every action that names a record has a row (cases or a stated exemption)', () => {
  const missing: string[] = [];
  for (const [fn, names] of Object.entries(namingActions()))
    for (const name of names) if (!TABLE[fn]?.[name]) missing.push(`${fn}.${name}`);
  expect(missing).toEqual([]);
});

/** Resolve `() => value` placeholders against the world, at any depth. */
function resolve(x: unknown): unknown {
  if (typeof x === 'function') return (x as () => unknown)();
  if (Array.isArray(x)) return x.map(resolve);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, resolve(v)]));
  return x;
}

const rows = Object.entries(TABLE).flatMap(([fn, actions]) =>
  Object.entries(actions).flatMap(([name, row]) => (Array.isArray(row) ? [[`${fn}.${name}`, row] as const] : [])),
);

describe.each(rows)('%s', (label, cases) => {
  test.each(cases.map((c) => [c.relation, c.as, c] as const))('on a record that is %s (as %s)', async (_rel, _as, c) => {
    const [fn, action] = label.split('.');
    const r = await sys.call(fn, { action, ...(resolve(c.data) as object) }, c.as);
    if (typeof c.want === 'function') return c.want(r);
    if (c.want === 'ok') return expect(err(r)).toBe('ok');
    if (c.want === 'past') return expect(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'INTERNAL']).not.toContain(err(r));
    expect(err(r)).toBe(c.want);
  });
});

test('the table covers every relation somewhere, and its size is reported', () => {
  const all = rows.flatMap(([, cases]) => cases);
  for (const rel of ['own', 'coworker', 'otherUnit', 'nobody'] as Relation[]) expect(all.some((c) => c.relation === rel)).toBe(true);
  console.log(`object-level matrix: ${rows.length} actions with cases, ${all.length} calls; ${Object.values(TABLE).flatMap((a) => Object.values(a)).filter((r) => !Array.isArray(r)).length} exempt with reasons`);
});
