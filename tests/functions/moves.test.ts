/**
 * Codes scanned in WeChat (issue 4, SPEC §3.4): transfer to a new unit, resignation by one named
 * person, the ID-card supplement of members from the old system, OCR's honest local answer, and the
 * notices (with the kept subscribe messages) those moves produce.
 */
import { randomUUID } from 'crypto';
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { ADMIN_A, ADMIN_B, ASSOC, ok, ORG } from '../support/journey';
import { addMember } from '../support/people';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const err = (r: any) => (r.ok ? 'ok' : r.error.code);
const db = () => database();

/** A member bound to a WeChat identity. */
async function bound(opts: Parameters<typeof addMember>[0] = {}) {
  const m = await addMember(opts);
  const openid = `wx-${randomUUID().slice(0, 8)}`;
  await db().collection(C.members).doc(m.memberId).update({ data: { openid } });
  return { ...m, openid };
}

/** A cancellation for the member, submitted: business in flight. */
async function submitCancel(memberId: string) {
  const draft = ok(await sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: [memberId] }, ADMIN_A));
  const file = await sys.upload(pdf(300), `uploads/m/${randomUUID()}.pdf`, ADMIN_A, 'applicationForm');
  return ok(await sys.call('forms', { action: 'submit', formId: draft.id, files: { applicationForm: file } }, ADMIN_A));
}

async function code(kind: string, admin = ADMIN_A, memberId?: string) {
  return ok(await sys.call('codes', { action: 'issue', kind, ...(memberId ? { memberId } : {}) }, admin))
    .code as string;
}

describe('transfer (更换单位)', () => {
  test('when a member confirms the new unit’s transfer code, then member, certificates’ unit link and audit move together', async () => {
    const m = await bound({ certs: [{}, { type: '安全监理员' }] });
    const c = await code('transfer', ADMIN_B);
    expect(ok(await sys.call('codes', { action: 'resolve', code: c }, m.openid))).toMatchObject({
      kind: 'transfer',
      unit: { id: 'unit-b', name: '示例工程咨询有限公司' },
    });
    expect(ok(await sys.call('members', { action: 'confirmTransfer', code: c }, m.openid))).toEqual({
      unit: { id: 'unit-b', name: '示例工程咨询有限公司' },
    });
    expect((await db().collection(C.members).doc(m.memberId).get()).data.unitId).toBe('unit-b');
    for (const id of m.certIds)
      expect((await db().collection(C.certificates).doc(id).get()).data.unitId).toBe('unit-b');
    const events = (await db().collection(C.audit).where({ targetId: m.memberId }).get()).data;
    expect(events).toEqual([
      expect.objectContaining({ action: 'transfer', actor: m.openid, from: 'unit-a', to: 'unit-b' }),
    ]);
    // Both units hear of it; the new unit now sees the person in its picker, the old one does not.
    const notesB = ok(await sys.call('notices', { action: 'list' }, ADMIN_B));
    expect(notesB.items[0]).toMatchObject({ title: '单位变更已确认', forUnit: true, read: false });
    expect(notesB.unread).toBeGreaterThan(0);
    expect(ok(await sys.call('notices', { action: 'list' }, ADMIN_A)).items.map((n: any) => n.body)).toContain(
      notesB.items[0].body,
    );
    expect(
      err(await sys.call('forms', { action: 'create', type: 'cert-cancel', memberIds: [m.memberId] }, ADMIN_A)),
    ).toBe('FORBIDDEN');
    // The transfer code is unit-wide: it works again for someone else until it expires.
    const other = await bound({ certs: [{}] });
    expect(err(await sys.call('members', { action: 'confirmTransfer', code: c }, other.openid))).toBe('ok');
  });

  test('when business is in flight, then the transfer is refused with the reason and nothing moves', async () => {
    const m = await bound({ certs: [{}] });
    const draft = await submitCancel(m.memberId);
    const r = await sys.call('members', { action: 'confirmTransfer', code: await code('transfer', ADMIN_B) }, m.openid);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'NOT_ELIGIBLE', message: expect.stringMatching(/证书注销.*办结后才能变更单位/) },
    });
    expect((await db().collection(C.members).doc(m.memberId).get()).data.unitId).toBe('unit-a');
  });

  test('when someone without a member record scans, or the member is already there, then a clear refusal', async () => {
    expect(
      err(
        await sys.call(
          'members',
          { action: 'confirmTransfer', code: await code('transfer', ADMIN_B) },
          'demo-newcomer',
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      err(
        await sys.call(
          'members',
          { action: 'confirmTransfer', code: await code('transfer', ADMIN_A) },
          'demo-member-1',
        ),
      ),
    ).toBe('CONFLICT');
    expect(
      err(await sys.call('members', { action: 'confirmTransfer', code: await code('join', ADMIN_B) }, 'demo-member-1')),
    ).toBe('CODE_INVALID');
  });

  test('when a transfer is confirmed while the old unit submits a form for the same person, then exactly one wins', async () => {
    for (let round = 0; round < 4; round++) {
      const m = await bound({ certs: [{}] });
      const draft = ok(
        await sys.call(
          'forms',
          {
            action: 'create',
            type: 'cert-cancel',
            memberIds: [m.memberId],
            files: {
            applicationForm: await sys.upload(pdf(300), `uploads/m/${randomUUID()}.pdf`, ADMIN_A, 'applicationForm'),
            commitment: await sys.upload(pdf(300), `uploads/m/${randomUUID()}.pdf`, ADMIN_A, 'commitment'),
          },
          },
          ADMIN_A,
        ),
      );
      const c = await code('transfer', ADMIN_B);
      const [submit, transfer] = await Promise.all([
        sys.call('forms', { action: 'submit', formId: draft.id }, ADMIN_A),
        sys.call('members', { action: 'confirmTransfer', code: c }, m.openid),
      ]);
      expect([err(submit), err(transfer)].filter((x) => x === 'ok')).toHaveLength(1);
      const member = (await db().collection(C.members).doc(m.memberId).get()).data;
      const busy = (await db().collection(C.busy).doc(m.memberId).get()).data;
      if (err(transfer) === 'ok') expect([member.unitId, busy?.entries?.length || 0]).toEqual(['unit-b', 0]);
      else expect([member.unitId, busy.entries.length]).toEqual(['unit-a', 1]);
    }
  });
});

describe('resignation (离职)', () => {
  test('when the named member confirms, then they have no unit; a second use is CODE_USED; another member is FORBIDDEN', async () => {
    const m = await bound({ certs: [{}] });
    const other = await bound({ certs: [{}] });
    expect(err(await sys.call('codes', { action: 'issue', kind: 'resign' }, ADMIN_A))).toBe('INVALID_INPUT');
    expect(err(await sys.call('codes', { action: 'issue', kind: 'resign', memberId: m.memberId }, ADMIN_B))).toBe(
      'FORBIDDEN',
    );
    const c = await code('resign', ADMIN_A, m.memberId);
    expect(ok(await sys.call('codes', { action: 'resolve', code: c }, other.openid)).member).toMatchObject({
      id: m.memberId,
      maskedName: expect.stringMatching(/\*/),
    });
    expect(err(await sys.call('members', { action: 'confirmResign', code: c }, other.openid))).toBe('FORBIDDEN');
    expect(ok(await sys.call('members', { action: 'confirmResign', code: c }, m.openid))).toEqual({ unit: null });
    expect((await db().collection(C.members).doc(m.memberId).get()).data.unitId).toBeNull();
    expect((await db().collection(C.certificates).doc(m.certIds[0]).get()).data.unitId).toBeNull();
    expect(err(await sys.call('members', { action: 'confirmResign', code: c }, m.openid))).toBe('CODE_USED');
    expect(err(await sys.call('codes', { action: 'resolve', code: c }, m.openid))).toBe('CODE_USED');
    const me = ok(await sys.call('members', { action: 'me' }, m.openid));
    expect(me.member).toMatchObject({ unit: null });
  });

  test('when two members race for one resignation code, or the person confirms twice at once, then exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const m = await bound({ certs: [{}] });
      const other = await bound({ certs: [{}] });
      const c = await code('resign', ADMIN_A, m.memberId);
      const results = await Promise.all([
        sys.call('members', { action: 'confirmResign', code: c }, other.openid),
        sys.call('members', { action: 'confirmResign', code: c }, m.openid),
        sys.call('members', { action: 'confirmResign', code: c }, m.openid),
      ]);
      expect(results.map(err).sort()).toEqual(['CODE_USED', 'FORBIDDEN', 'ok']);
      const events = (await db().collection(C.audit).where({ targetId: m.memberId }).get()).data;
      expect(events.filter((e: any) => e.action === 'resign')).toHaveLength(1);
    }
  });

  test('when business is in flight, then resignation is refused and the code stays unused', async () => {
    const m = await bound({ certs: [{}] });
    const draft = await submitCancel(m.memberId);
    const c = await code('resign', ADMIN_A, m.memberId);
    expect(err(await sys.call('members', { action: 'confirmResign', code: c }, m.openid))).toBe('NOT_ELIGIBLE');
    expect(ok(await sys.call('codes', { action: 'resolve', code: c }, m.openid)).kind).toBe('resign');
    // Once the cancellation is approved the person is free and the same code works.
    ok(await sys.call('review', { action: 'approve', formId: draft.id }, ASSOC));
    expect(err(await sys.call('members', { action: 'confirmResign', code: c }, m.openid))).toBe('ok');
  });
});

describe('ID-card supplement (会员身份资料更新)', () => {
  test('when an old-system member looks themself up, uploads the ID card and gives the phone on record, then the binding waits for the unit and takes effect when it confirms', async () => {
    const m = await addMember({ name: '老会员甲', certs: [{}] });
    const c = await code('id-update', ADMIN_A);
    const me = 'wx-old-member-1';
    expect(
      err(await sys.call('members', { action: 'idLookup', code: c, name: '老会员乙', idNumber: m.idNumber }, me)),
    ).toBe('NOT_FOUND');
    const miss = await sys.call(
      'members',
      { action: 'idLookup', code: c, name: '老会员甲', idNumber: '110105194912310021' },
      me,
    );
    expect(miss).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The same answer for a wrong name and an unknown number: nothing to enumerate.
    expect(miss.error.message).toBe(
      (await sys.call('members', { action: 'idLookup', code: c, name: '老会员乙', idNumber: m.idNumber }, me)).error
        .message,
    );
    const found = ok(await sys.call('members', { action: 'idLookup', code: c, name: '老会员甲', idNumber: m.idNumber }, me));
    expect(found).toEqual({ memberId: m.memberId, maskedName: '老**甲', idMasked: expect.any(String), hasIdCard: false, bound: false, boundToYou: false });
    const front = await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, me, 'idFront');
    const back = await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, me, 'idBack');
    const supplement = (phone: string, files: Record<string, string>, who = me) =>
      sys.call('members', { action: 'idSupplement', code: c, name: '老会员甲', idNumber: m.idNumber, phone, files }, who);
    expect(err(await supplement('13900000000', { idFront: front }))).toBe('INVALID_INPUT');
    // Knowing a name and an ID number is not enough: the phone on record must match.
    expect(err(await supplement('13612345678', { idFront: front, idBack: back }))).toBe('NOT_ELIGIBLE');
    const asked = ok(await supplement('13900000000', { idFront: front, idBack: back }));
    expect(asked).toEqual({ memberId: m.memberId, requestId: expect.any(String), status: 'pending' });
    // Nothing is bound until the unit confirms.
    expect((await db().collection(C.members).doc(m.memberId).get()).data.openid).toBeUndefined();
    expect(ok(await sys.call('members', { action: 'me' }, me)).member).toBeNull();
    // Only the member's own unit sees and decides the request.
    expect(ok(await sys.call('members', { action: 'bindRequests' }, ADMIN_B)).items).toEqual([]);
    expect(err(await sys.call('members', { action: 'decideBind', requestId: asked.requestId, decision: 'approve' }, ADMIN_B))).toBe('NOT_FOUND');
    const pending = ok(await sys.call('members', { action: 'bindRequests' }, ADMIN_A)).items;
    expect(pending).toEqual([expect.objectContaining({ id: asked.requestId, memberId: m.memberId, status: 'pending', files: { idFront: front, idBack: back } })]);
    // The unit's admin may look at the uploaded pictures before confirming; a stranger may not.
    expect(ok(await sys.call('files', { action: 'url', fileID: front }, ADMIN_A)).url).toMatch(/^http/);
    expect(err(await sys.call('files', { action: 'url', fileID: front }, ADMIN_B))).toBe('FORBIDDEN');
    const decided = ok(await sys.call('members', { action: 'decideBind', requestId: asked.requestId, decision: 'approve' }, ADMIN_A));
    expect(decided).toMatchObject({ status: 'approved' });
    expect(err(await sys.call('members', { action: 'decideBind', requestId: asked.requestId, decision: 'approve' }, ADMIN_A))).toBe('CONFLICT');
    const rec = (await db().collection(C.members).doc(m.memberId).get()).data;
    expect(rec).toMatchObject({ openid: me, idFront: front, idBack: back, phone: '13900000000' });
    expect(ok(await sys.call('members', { action: 'me' }, me)).member).toMatchObject({ id: m.memberId });
    // Another WeChat cannot claim the bound record; another unit's code cannot find it.
    const otherFront = await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, 'wx-someone-else', 'idFront');
    const otherBack = await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, 'wx-someone-else', 'idBack');
    expect(err(await supplement('13900000000', { idFront: otherFront, idBack: otherBack }, 'wx-someone-else'))).toBe('CONFLICT');
    // Nor may anyone attach pictures someone else uploaded.
    expect(err(await supplement('13900000000', { idFront: front, idBack: back }, 'wx-someone-else'))).toBe('FORBIDDEN');
    expect(
      err(
        await sys.call(
          'members',
          { action: 'idLookup', code: await code('id-update', ADMIN_B), name: '老会员甲', idNumber: m.idNumber },
          me,
        ),
      ),
    ).toBe('NOT_FOUND');
    const events = (await db().collection(C.audit).where({ targetId: m.memberId }).get()).data;
    expect(events.map((e: any) => `${e.action}/${e.role}`)).toEqual(['bind-request/member', 'id-supplement/unit_admin']);
  });

  test('when the unit refuses a binding request, then a reason is required and nothing is bound', async () => {
    const m = await addMember({ name: '老会员丙', certs: [{}] });
    const c = await code('id-update', ADMIN_A);
    const me = 'wx-old-member-3';
    const files = {
      idFront: await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, me, 'idFront'),
      idBack: await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, me, 'idBack'),
    };
    const asked = ok(await sys.call('members', { action: 'idSupplement', code: c, name: '老会员丙', idNumber: m.idNumber, phone: '13900000000', files }, me));
    expect(err(await sys.call('members', { action: 'decideBind', requestId: asked.requestId, decision: 'refuse' }, ADMIN_A))).toBe('INVALID_INPUT');
    expect(ok(await sys.call('members', { action: 'decideBind', requestId: asked.requestId, decision: 'refuse', reason: '本单位无此人' }, ADMIN_A))).toMatchObject({ status: 'refused', reason: '本单位无此人' });
    expect((await db().collection(C.members).doc(m.memberId).get()).data.openid).toBeUndefined();
  });

  test('when a unit issued codes, then it lists them with their state and a revoked code no longer scans', async () => {
    const c = await code('id-update', ADMIN_A);
    const listed = ok(await sys.call('codes', { action: 'list', kind: 'id-update', state: 'active' }, ADMIN_A));
    const mine = listed.items.find((x: any) => c.slice(1, 11) === x.id);
    expect(mine).toMatchObject({ kind: 'id-update', state: 'active' });
    // Another unit neither sees nor revokes it.
    expect(ok(await sys.call('codes', { action: 'list' }, ADMIN_B)).items.some((x: any) => x.id === mine.id)).toBe(false);
    expect(err(await sys.call('codes', { action: 'revoke', codeId: mine.id }, ADMIN_B))).toBe('NOT_FOUND');
    expect(ok(await sys.call('codes', { action: 'revoke', codeId: mine.id }, ADMIN_A))).toMatchObject({ state: 'revoked' });
    expect(err(await sys.call('codes', { action: 'revoke', codeId: mine.id }, ADMIN_A))).toBe('CONFLICT');
    expect(err(await sys.call('codes', { action: 'resolve', code: c }, 'anyone'))).toBe('CODE_INVALID');
    expect(err(await sys.call('members', { action: 'idLookup', code: c, name: '张三', idNumber: '110101199003076633' }, 'anyone'))).toBe('CODE_INVALID');
    const events = (await db().collection(C.audit).where({ targetId: mine.id }).get()).data;
    expect(events.map((e: any) => `${e.action}/${e.actor}`)).toEqual([`revoke/${ADMIN_A}`]);
  });

  test('when one caller keeps looking people up, then RATE_LIMITED after a few tries, whatever the answers', async () => {
    const c = await code('id-update', ADMIN_A);
    const who = 'wx-id-prober';
    const answers: string[] = [];
    for (let i = 0; i < 12; i++)
      answers.push(err(await sys.call('members', { action: 'idLookup', code: c, name: '某某', idNumber: `11010519491231${String(1000 + i)}` }, who)));
    expect(answers.slice(0, 8)).toEqual(Array(8).fill('NOT_FOUND'));
    expect(answers.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  test('when OCR is asked for locally, then it says honestly that the service is unavailable; nobody reads another person\'s ID card with it', async () => {
    const front = await sys.upload(jpeg(320, 200), `uploads/id/${randomUUID()}.jpg`, 'demo-newcomer', 'idFront');
    expect(
      ok(await sys.call('members', { action: 'ocrIdCard', fileID: front, side: 'front' }, 'demo-newcomer')),
    ).toEqual({ available: false, message: '识别服务不可用，请手动填写' });
    expect(err(await sys.call('members', { action: 'ocrIdCard', fileID: front, side: 'front' }, 'wx-curious'))).toBe('FORBIDDEN');
  });
});

describe('notices (消息及通知)', () => {
  test('when a form is returned and approved, then the right inbox gets notices; subscribed users get one kept message per grant', async () => {
    const m = await bound({ certs: [{}] });
    const draft = await submitCancel(m.memberId);
    const formId = draft.id;
    // The unit admin accepted one 审核结果 message after a tap.
    expect(
      ok(await sys.call('notices', { action: 'subscribe', accepted: ['review-result'] }, ADMIN_A)).grants[
        'review-result'
      ],
    ).toBeGreaterThanOrEqual(1);
    expect(err(await sys.call('notices', { action: 'subscribe', accepted: ['a', 'b', 'c', 'd'] }, ADMIN_A))).toBe(
      'INVALID_INPUT',
    );
    ok(await sys.call('review', { action: 'return', formId, reason: '注销申请表未盖章，请补充后重新提交' }, ASSOC));
    ok(await sys.call('forms', { action: 'resubmit', formId }, ADMIN_A));
    ok(await sys.call('review', { action: 'approve', formId }, ASSOC));
    const list = ok(await sys.call('notices', { action: 'list', pageSize: 50 }, ADMIN_A));
    const mine = list.items.filter((n: any) => n.formId === formId);
    expect(mine.map((n: any) => n.title)).toEqual(['审批完成', '已退回']);
    expect(mine[1].body).toMatch(/注销申请表未盖章/);
    // Another unit's admin sees none of them; marking read lowers the unread count.
    expect(
      ok(await sys.call('notices', { action: 'list', pageSize: 50 }, ADMIN_B)).items.some(
        (n: any) => n.formId === formId,
      ),
    ).toBe(false);
    expect(err(await sys.call('notices', { action: 'read', ids: [mine[0].id] }, ADMIN_B))).toBe('NOT_FOUND');
    ok(await sys.call('notices', { action: 'read', ids: [mine[0].id] }, ADMIN_A));
    expect(ok(await sys.call('notices', { action: 'list', pageSize: 50 }, ADMIN_A)).unread).toBe(list.unread - 1);
    // The outbox kept exactly one message for the one grant; the second notice found none.
    const outbox = (
      await db().collection(C.outbox).where({ status: 'done' }).orderBy('createdAt', 'desc').limit(50).get()
    ).data as any[];
    const forForm = outbox.filter((o) => mine.some((n: any) => n.id === o.noticeId));
    const results = forForm.flatMap((o) => o.results).filter((r: any) => r.openid === ADMIN_A);
    expect(results.map((r: any) => r.result).sort()).toEqual(['kept', 'not-subscribed']);
    const http = await fetch(`${sys.url}/outbox`).then((r) => r.json());
    expect(http.items.length).toBeGreaterThan(0);
  });

  test('when a form reaches payment, then the unit is told what is due', async () => {
    const m = await addMember({ certs: [{ unitName: '旧单位' }] });
    const draft = ok(
      await sys.call(
        'forms',
        { action: 'create', type: 'cert-unit-change', certType: '监理员', reason: 'renamed', memberIds: [m.memberId] },
        ADMIN_A,
      ),
    );
    ok(
      await sys.call(
        'forms',
        {
          action: 'submit',
          formId: draft.id,
          files: {
            applicationForm: await sys.upload(pdf(300), `uploads/m/${randomUUID()}.pdf`, ADMIN_A, 'applicationForm'),
            commitment: await sys.upload(pdf(300), `uploads/m/${randomUUID()}.pdf`, ADMIN_A, 'commitment'),
          },
        },
        ADMIN_A,
      ),
    );
    // Paying comes first (manual 2.5.2): the notice comes with the submission.
    const notes = ok(await sys.call('notices', { action: 'list', pageSize: 50 }, ADMIN_A)).items.filter(
      (n: any) => n.formId === draft.id,
    );
    expect(notes).toEqual([expect.objectContaining({ title: '待缴费', body: expect.stringMatching(/待缴费20元/) })]);
  });
});

describe('the roster (单位人员档案)', () => {
  test('when the unit filters its roster, then only its own people match each filter, with certificates, paged', async () => {
    const today = shanghaiDay();
    const old = await addMember({
      name: '花名册老',
      birthDate: '1965-01-01',
      title: '高级工程师',
      education: { level: 'master', school: '示例大学', major: '土木工程', graduatedOn: '1990-07-01' },
      certs: [{}],
    });
    const lapsed = await addMember({ name: '花名册过期', ordinaryUntil: addYears(today, -1), certs: [] });
    await addMember({ name: '花名册乙单位', unitId: 'unit-b', certs: [{}] });
    const all = ok(await sys.call('members', { action: 'roster', pageSize: 100 }, ADMIN_A));
    expect(all.items.every((i: any) => i.name !== '花名册乙单位')).toBe(true);
    expect(all.total).toBe(all.items.length);
    const byAge = ok(await sys.call('members', { action: 'roster', filter: { ageMin: 60 } }, ADMIN_A));
    expect(byAge.items.map((i: any) => i.memberId)).toContain(old.memberId);
    expect(byAge.items.every((i: any) => i.age >= 60)).toBe(true);
    const byLapsed = ok(await sys.call('members', { action: 'roster', filter: { lapsed: true } }, ADMIN_A));
    expect(byLapsed.items.map((i: any) => i.memberId)).toContain(lapsed.memberId);
    expect(byLapsed.items.every((i: any) => i.lapsed)).toBe(true);
    const noCert = ok(await sys.call('members', { action: 'roster', filter: { hasCertificate: false } }, ADMIN_A));
    expect(noCert.items.every((i: any) => i.certificates.length === 0)).toBe(true);
    const titled = ok(
      await sys.call('members', { action: 'roster', filter: { title: '高级', education: 'master' } }, ADMIN_A),
    );
    expect(titled.items.map((i: any) => i.name)).toContain('花名册老');
    const p1 = ok(await sys.call('members', { action: 'roster', pageSize: 2, page: 1 }, ADMIN_A));
    const p2 = ok(await sys.call('members', { action: 'roster', pageSize: 2, page: 2 }, ADMIN_A));
    expect(p1.items).toHaveLength(2);
    expect(p2.items.map((i: any) => i.memberId)).not.toContain(p1.items[0].memberId);
    expect(err(await sys.call('members', { action: 'roster', filter: { ageMin: 50, ageMax: 40 } }, ADMIN_A))).toBe(
      'INVALID_INPUT',
    );
    expect(err(await sys.call('members', { action: 'roster' }, 'demo-member-1'))).toBe('FORBIDDEN');
  });
});
