/**
 * The join journey end to end (issue 2 §4): real cloud-function bundles in worker instances,
 * the real embedded database, real files, over the local server's HTTP endpoints.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { signCode, verifyCode } from '../../cloudfunctions/domain/codes/token';
import { httpRequest, LocalSystem, startLocalSystem } from '../support/local-system';
import { badChecksum, jpeg, pdf, png, validIdNumber } from '../support/fixtures';
import { residentCheckChar } from '../../miniprogram/shared/id-number';
import { ADMIN_A, ADMIN_B, apply, ASSOC, FINANCE, issue, joinFiles, ok, ORG, profile, walkToMember } from '../support/journey';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const err = (r: any) => (r.ok ? 'ok' : r.error.code);

async function auditOf(targetId: string) {
  const r = await database().collection(C.audit).where({ targetId }).orderBy('at', 'asc').get();
  return r.data as { action: string; actor: string; role?: string; from?: string; to?: string; remark?: string }[];
}

describe('join codes', () => {
  test('when a unit admin issues a join code, then its QR PNG in storage decodes back to the code', async () => {
    const { code, scene, qrImage, expiresAt } = await issue(sys);
    expect(code.length).toBeLessThanOrEqual(32);
    expect(scene).toBe(code);
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    // Storage is private: the issuing unit's admin reads the image, a stranger or nobody does not.
    const path = `${sys.url}/storage/${encodeURIComponent(qrImage)}`;
    expect((await httpRequest(path)).status).toBe(401);
    expect((await httpRequest(path, { headers: { 'x-wx-openid': ADMIN_B } })).status).toBe(403);
    const file = await httpRequest(path, { headers: { 'x-wx-openid': ADMIN_A } });
    expect(file.status).toBe(200);
    const img = PNG.sync.read(file.body);
    const decoded = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
    expect(decoded?.data).toBe(code);
  });

  test('when someone who is not a unit admin asks for a code, then FORBIDDEN; with no identity, UNAUTHENTICATED', async () => {
    expect(err(await sys.call('codes', { action: 'issue', kind: 'join' }, 'demo-member-1'))).toBe('FORBIDDEN');
    expect(err(await sys.call('codes', { action: 'issue', kind: 'join' }, ORG))).toBe('FORBIDDEN');
    expect(err(await sys.call('codes', { action: 'issue', kind: 'join' }, ''))).toBe('UNAUTHENTICATED');
    expect(err(await sys.call('codes', { action: 'issue', kind: 'bogus' }, ADMIN_A))).toBe('INVALID_INPUT');
  });

  test('when a code is resolved, then the unit is named; a tampered code is CODE_INVALID and an expired one CODE_EXPIRED', async () => {
    const { code } = await issue(sys, 'join-simple');
    const r = ok(await sys.call('codes', { action: 'resolve', code }, 'demo-newcomer'));
    expect(r).toMatchObject({ kind: 'join-simple', unit: { id: 'unit-a', name: '示例监理有限公司' } });
    const tampered = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    expect(err(await sys.call('codes', { action: 'resolve', code: tampered }, 'demo-newcomer'))).toBe('CODE_INVALID');
    expect(err(await sys.call('codes', { action: 'resolve', code: 'hello' }, 'demo-newcomer'))).toBe('CODE_INVALID');
    // Re-sign the same record with a past expiry using this data directory's secret.
    process.env.MSP_SECRET = readFileSync(join(sys.dataDir, 'secret.key'), 'utf8').trim();
    const v = verifyCode(code, new Date());
    if (!v.ok) throw new Error('fresh code must verify');
    const expired = signCode('join-simple', v.id, new Date(Date.now() - 1000));
    const r2 = await sys.call('codes', { action: 'resolve', code: expired }, 'demo-newcomer');
    expect(r2).toMatchObject({ ok: false, error: { code: 'CODE_EXPIRED', message: expect.stringMatching(/过期/) } });
  });
});

describe('applying to join', () => {
  test('when a newcomer applies with a full code, then a numbered form waits for unit pre-review with the ID masked', async () => {
    const prof = profile({}, '1991-02-03', 'female');
    const r = ok(await apply(sys, 'applicant-1', prof));
    expect(r.formNo).toMatch(new RegExp(`^RH-${shanghaiDay().replace(/-/g, '')}\\d{6}$`));
    const form = ok(await sys.call('forms', { action: 'get', formId: r.formId }, ADMIN_A));
    expect(form).toMatchObject({ status: 'unit_review', type: 'join', unit: { id: 'unit-a' }, codeKind: 'join' });
    expect(form.people[0].idMasked).toBe(prof.idNumber.slice(0, 4) + '**********' + prof.idNumber.slice(-4));
    expect(JSON.stringify(form)).not.toContain(prof.idNumber);
    expect(form.people[0]).not.toHaveProperty('idCipher');
    expect(form.trail).toEqual([expect.objectContaining({ by: 'applicant-1', role: 'applicant', from: 'draft', to: 'unit_review' })]);
    // The applicant sees it in "my applications".
    const me = ok(await sys.call('members', { action: 'me' }, 'applicant-1'));
    expect(me.member).toBeNull();
    expect(me.forms.map((f: any) => f.id)).toContain(r.formId);
    // Stored: ciphertext and keyed hash, never the number.
    const stored = (await database().collection(C.forms).doc(r.formId).get()).data;
    expect(JSON.stringify(stored)).not.toContain(prof.idNumber);
  });

  test('when the ID number fails its checksum, the age is out of range or a field is missing, then INVALID_INPUT with field reasons and nothing is written', async () => {
    const before = ok(await sys.call('forms', { action: 'list' }, ADMIN_A)).total;
    const files = await joinFiles(sys, true, 'applicant-bad');
    const cases: [Record<string, unknown>, string][] = [
      [profile({ idNumber: badChecksum(validIdNumber('1990-01-01', 'male')) }), 'idNumber'],
      [profile({}, shanghaiDay().replace(/^\d{4}/, (y) => String(+y - 18)), 'male'), 'idNumber'],
      [profile({}, shanghaiDay().replace(/^\d{4}/, (y) => String(+y - 66)), 'male'), 'idNumber'],
      [profile({ gender: 'female' }), 'gender'],
      [profile({ phone: '1234' }), 'phone'],
      [profile({ education: undefined }), 'education'],
    ];
    for (const [prof, field] of cases) {
      const r = await apply(sys, 'applicant-bad', prof as any, { files });
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { [field]: expect.any(String) } } });
      expect(r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const noDiploma = { ...files };
    delete noDiploma.diploma;
    expect(await apply(sys, 'applicant-bad', profile(), { files: noDiploma })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { 'files.diploma': expect.any(String) } } });
    expect(ok(await sys.call('forms', { action: 'list' }, ADMIN_A)).total).toBe(before);
  });

  test('when an attachment has the wrong content or is too large, then FILE_INVALID whatever its name says', async () => {
    const files = await joinFiles(sys, true, 'applicant-files');
    // Confirmed for slots that take them, then attached where they do not fit.
    const pngAsJpg = await sys.upload(png(90, 120), 'uploads/fake/photo.jpg', 'applicant-files', 'idFront');
    const bigPhoto = await sys.upload(Buffer.concat([jpeg(90, 120), Buffer.alloc(300 * 1024)]), 'uploads/fake/big.jpg', 'applicant-files', 'diploma');
    // Too large for any image slot: refused when confirmed, and never confirmed, refused when attached.
    const bigId = await sys.upload(Buffer.concat([jpeg(320, 200), Buffer.alloc(2 * 1024 * 1024)]), 'uploads/fake/big-id.jpg');
    const confirm = await sys.call('files', { action: 'confirm', fileID: bigId, purpose: 'idFront' }, 'applicant-files');
    expect(confirm).toMatchObject({ ok: false, error: { code: 'FILE_INVALID', message: expect.stringMatching(/2MB/) } });
    for (const [slot, id, reason] of [
      ['photo', pngAsJpg, /JPG/],
      ['photo', bigPhoto, /200KB/],
      ['idFront', bigId, /重新上传/],
    ] as const) {
      const r = await apply(sys, 'applicant-files', profile(), { files: { ...files, [slot]: id } });
      expect(r).toMatchObject({ ok: false, error: { code: 'FILE_INVALID', fields: { [`files.${slot}`]: expect.stringMatching(reason) } } });
    }
  });

  test('when the same person applies twice, or an existing member applies, then DUPLICATE', async () => {
    const prof = profile({}, '1985-09-09', 'male');
    ok(await apply(sys, 'applicant-dup', prof));
    const again = await apply(sys, 'applicant-dup-2', prof);
    expect(again).toMatchObject({ ok: false, error: { code: 'DUPLICATE', message: expect.stringMatching(/办理中/) } });
    // demo-member-1 (seeded) holds 44010619880315123 + its check character.
    const member = profile({ name: '李建国', idNumber: '44010619880315123' + residentCheckChar('44010619880315123') }, '1988-03-15');
    expect(await apply(sys, 'applicant-dup-3', member)).toMatchObject({ ok: false, error: { code: 'DUPLICATE', message: expect.stringMatching(/已是本会会员/) } });
  });
});

describe('the review pipeline', () => {
  test('when every stage approves, then the applicant is a member with an ordinary membership for 3 years, and every step is audited', async () => {
    const { formId } = ok(await apply(sys, 'applicant-ok', profile({}, '1992-12-01')));
    const done = await walkToMember(sys, formId);
    expect(done.status).toBe('approved');
    expect(done.trail.map((t: any) => `${t.from}>${t.to}`)).toEqual([
      'draft>unit_review',
      'unit_review>awaiting_payment',
      'awaiting_payment>org_review',
      'org_review>assoc_review',
      'assoc_review>finance_review',
      'finance_review>approved',
    ]);
    expect(done.bills).toEqual([expect.objectContaining({ status: 'confirmed', amount: 300, kind: 'membership-personal' })]);
    const me = ok(await sys.call('members', { action: 'me' }, 'applicant-ok'));
    const today = shanghaiDay();
    expect(me.member).toMatchObject({ unit: { id: 'unit-a' }, memberships: [{ level: 'ordinary', validUntil: addYears(today, 3) }] });
    const events = await auditOf(formId);
    expect(events.map((e) => e.action)).toEqual(['apply', 'prereview-approve', 'pay', 'approve', 'approve', 'approve']);
    expect(events.map((e) => e.actor)).toEqual(['applicant-ok', ADMIN_A, ADMIN_A, ORG, ASSOC, FINANCE]);
    // Once a member, the same person cannot join again.
    const prof = ok(await sys.call('forms', { action: 'revealId', formId }, 'applicant-ok')).idNumber;
    expect(err(await apply(sys, 'applicant-ok-2', profile({ idNumber: prof }, '1992-12-01')))).toBe('DUPLICATE');
  });

  test('when a professional membership is chosen, then it lasts one year and costs the professional fee', async () => {
    // Without the 注册监理工程师注册证书 (manual 2.11.3 (4)) a professional application is incomplete.
    const without = await apply(sys, 'applicant-pro', profile({}, '1980-01-20'), { level: 'professional' });
    expect(without).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { 'files.qualificationCert': expect.stringContaining('注册监理工程师注册证书') } } });
    const files = { ...(await joinFiles(sys, true, 'applicant-pro')), qualificationCert: await sys.upload(pdf(600), 'uploads/pro/applicant-pro.pdf', 'applicant-pro', 'qualificationCert') };
    const { formId } = ok(await apply(sys, 'applicant-pro', profile({}, '1980-01-20'), { level: 'professional', files }));
    const done = await walkToMember(sys, formId);
    expect(done.bills[0].amount).toBe(200);
    const me = ok(await sys.call('members', { action: 'me' }, 'applicant-pro'));
    expect(me.member.memberships).toEqual([{ level: 'professional', validUntil: addYears(shanghaiDay(), 1) }]);
  });

  test('when someone acts out of turn, then FORBIDDEN; when a stage was already approved, then CONFLICT', async () => {
    const { formId } = ok(await apply(sys, 'applicant-turns', profile({}, '1993-03-03')));
    expect(err(await sys.call('review', { action: 'approve', formId }, ORG))).toBe('FORBIDDEN');
    expect(err(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_B))).toBe('FORBIDDEN');
    expect(err(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, 'applicant-turns'))).toBe('FORBIDDEN');
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    expect(err(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A))).toBe('CONFLICT');
    const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
    const receipt = await sys.upload(jpeg(100, 100), `uploads/r-${formId}.jpg`, ADMIN_A, 'receipt');
    expect(err(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_B))).toBe('FORBIDDEN');
    ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
    expect(err(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A))).toBe('CONFLICT');
    expect(err(await sys.call('review', { action: 'approve', formId }, ASSOC))).toBe('FORBIDDEN');
    expect(err(await sys.call('review', { action: 'approve', formId }, FINANCE))).toBe('FORBIDDEN');
    expect(err(await sys.call('review', { action: 'approve', formId }, ADMIN_A))).toBe('FORBIDDEN');
    ok(await sys.call('review', { action: 'approve', formId }, ORG));
    expect(err(await sys.call('review', { action: 'approve', formId }, ORG))).toBe('CONFLICT');
    expect(err(await sys.call('review', { action: 'approve', formId, version: 1 }, ASSOC))).toBe('CONFLICT');
  });

  test('when two reviewers approve the same stage at once, then exactly one wins and the other gets CONFLICT', async () => {
    await database().collection(C.roles).add({ data: { openid: 'org-reviewer-2', role: 'org_reviewer', scopeId: 'org-demo' } });
    for (let round = 0; round < 3; round++) {
      const { formId } = ok(await apply(sys, `applicant-race-${round}`, profile({}, `1970-0${round + 1}-15`)));
      ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
      const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
      const receipt = await sys.upload(jpeg(100, 100), `uploads/race-${formId}.jpg`, ADMIN_A, 'receipt');
      ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
      const results = await Promise.all([
        sys.call('review', { action: 'approve', formId }, ORG),
        sys.call('review', { action: 'approve', formId }, 'org-reviewer-2'),
      ]);
      expect(results.map(err).sort()).toEqual(['CONFLICT', 'ok']);
      const after = ok(await sys.call('forms', { action: 'get', formId }, ORG));
      expect(after.trail.filter((t: any) => t.from === 'org_review')).toHaveLength(1);
      expect((await auditOf(formId)).filter((e) => e.action === 'approve')).toHaveLength(1);
    }
  });

  test('when a reviewer returns a form, then a reason is required, it goes back to the unit, and the resubmitted form skips the paid fee', async () => {
    const { formId } = ok(await apply(sys, 'applicant-ret', profile({}, '1975-05-05')));
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    const f0 = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
    ok(await sys.call('bills', { action: 'pay', billId: f0.bills[0].id, receipt: await sys.upload(jpeg(80, 80), `uploads/r2-${formId}.jpg`, ADMIN_A, 'receipt') }, ADMIN_A));
    expect(err(await sys.call('review', { action: 'return', formId }, ORG))).toBe('INVALID_INPUT');
    expect(err(await sys.call('review', { action: 'return', formId, reason: ' ' }, ORG))).toBe('INVALID_INPUT');
    const returned = ok(await sys.call('review', { action: 'return', formId, reason: '学历验证报告不清晰，请重新上传' }, ORG));
    expect(returned).toMatchObject({ status: 'returned', returned: { to: 'unit', from: 'org_review', reason: '学历验证报告不清晰，请重新上传' } });
    expect(err(await sys.call('forms', { action: 'resubmit', formId }, 'applicant-ret'))).toBe('FORBIDDEN');
    // The unit may not change the applicant's identity fields.
    expect(err(await sys.call('forms', { action: 'resubmit', formId, profile: { name: '别人' } }, ADMIN_A))).toBe('INVALID_INPUT');
    const newCheck = await sys.upload(jpeg(300, 400, 90), `uploads/r3-${formId}.jpg`, ADMIN_A, 'diplomaCheck');
    const again = ok(await sys.call('forms', { action: 'resubmit', formId, files: { diplomaCheck: newCheck } }, ADMIN_A));
    expect(again.status).toBe('org_review');
    expect(again.people[0].files.diplomaCheck).toBe(newCheck);
    expect(again).not.toHaveProperty('returned');
  });

  test('when finance returns a form, then its bill is reopened and the unit pays again after resubmitting', async () => {
    const { formId } = ok(await apply(sys, 'applicant-fin', profile({}, '1979-07-07')));
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    const f0 = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
    ok(await sys.call('bills', { action: 'pay', billId: f0.bills[0].id, receipt: await sys.upload(jpeg(80, 80), `uploads/f-${formId}.jpg`, ADMIN_A, 'receipt') }, ADMIN_A));
    ok(await sys.call('review', { action: 'approve', formId }, ORG));
    ok(await sys.call('review', { action: 'approve', formId }, ASSOC));
    const ret = ok(await sys.call('review', { action: 'return', formId, reason: '缴费凭证金额不符' }, FINANCE));
    expect(ret.bills[0].status).toBe('unpaid');
    const again = ok(await sys.call('forms', { action: 'resubmit', formId }, ADMIN_A));
    expect(again.status).toBe('awaiting_payment');
    ok(await sys.call('bills', { action: 'pay', billId: f0.bills[0].id, receipt: await sys.upload(jpeg(81, 81), `uploads/f2-${formId}.jpg`, ADMIN_A, 'receipt') }, ADMIN_A));
    expect(ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A)).status).toBe('org_review');
  });

  test('when the unit returns an application at pre-review, then the applicant fixes and resubmits it', async () => {
    const { formId } = ok(await apply(sys, 'applicant-fix', profile({ phone: '13000000000' }, '1988-08-08')));
    expect(err(await sys.call('forms', { action: 'prereview', formId, decision: 'return' }, ADMIN_A))).toBe('INVALID_INPUT');
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'return', reason: '手机号码填写错误' }, ADMIN_A));
    expect(err(await sys.call('forms', { action: 'resubmit', formId }, ADMIN_A))).toBe('FORBIDDEN');
    expect(err(await sys.call('forms', { action: 'resubmit', formId, profile: { phone: '12' } }, 'applicant-fix'))).toBe('INVALID_INPUT');
    const again = ok(await sys.call('forms', { action: 'resubmit', formId, profile: { phone: '13111111111' } }, 'applicant-fix'));
    expect(again).toMatchObject({ status: 'unit_review', people: [expect.objectContaining({ phone: '13111111111' })] });
  });

  test('when a simple code was used, then the unit must complete education and diploma at pre-review', async () => {
    const prof = { name: '赵简码', gender: 'male', idType: 'resident', idNumber: validIdNumber('1990-10-10', 'male', 77), phone: '13222222222' };
    const { formId } = ok(await apply(sys, 'applicant-simple', prof, { kind: 'join-simple' }));
    const r = await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { education: expect.any(String), 'files.diploma': expect.any(String) } } });
    const full = await joinFiles(sys, true, ADMIN_A);
    const done = ok(
      await sys.call(
        'forms',
        {
          action: 'prereview',
          formId,
          decision: 'approve',
          level: 'professional',
          supplement: {
            profile: { education: { level: 'college', school: '示例职业学院', major: '建筑工程技术', graduatedOn: '2011-06-30' } },
            files: { diploma: full.diploma, diplomaCheck: full.diplomaCheck, qualificationCert: await sys.upload(pdf(600), 'uploads/pro/unit-supplement.pdf', ADMIN_A, 'qualificationCert') },
          },
        },
        ADMIN_A,
      ),
    );
    expect(done).toMatchObject({ status: 'awaiting_payment', level: 'professional', amountDue: 200 });
    expect(done.people[0].education.school).toBe('示例职业学院');
  });
});

describe('lists, privacy and identity', () => {
  test('when lists are read, then each role sees only its scope, pages, filters and counts per status', async () => {
    const listA = ok(await sys.call('forms', { action: 'list', pageSize: 2 }, ADMIN_A));
    expect(listA.items).toHaveLength(2);
    expect(listA.total).toBeGreaterThan(5);
    const sum = Object.values(listA.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBe(listA.total);
    const page2 = ok(await sys.call('forms', { action: 'list', pageSize: 2, page: 2 }, ADMIN_A));
    expect(page2.items.map((i: any) => i.id)).not.toContain(listA.items[0].id);
    expect(ok(await sys.call('forms', { action: 'list' }, ADMIN_B)).total).toBe(0);
    expect(err(await sys.call('forms', { action: 'get', formId: listA.items[0].id }, ADMIN_B))).toBe('FORBIDDEN');
    const approved = ok(await sys.call('forms', { action: 'list', status: 'approved' }, ADMIN_A));
    expect(approved.items.every((i: any) => i.status === 'approved')).toBe(true);
    expect(approved.total).toBe(listA.counts.approved);
    const byName = ok(await sys.call('forms', { action: 'list', name: '赵简码' }, ORG));
    expect(byName.items.map((i: any) => i.names[0])).toEqual(['赵简码']);
    const byId = ok(await sys.call('forms', { action: 'list', idNumber: validIdNumber('1990-10-10', 'male', 77) }, ASSOC));
    expect(byId.total).toBe(1);
    const today = shanghaiDay();
    expect(ok(await sys.call('forms', { action: 'list', from: today, to: today }, ASSOC)).total).toBe(listA.total);
    expect(ok(await sys.call('forms', { action: 'list', to: addYears(today, -1) }, ASSOC)).total).toBe(0);
    expect(err(await sys.call('forms', { action: 'list', from: '2026-02-30' }, ASSOC))).toBe('INVALID_INPUT');
    const queue = ok(await sys.call('review', { action: 'queue', stage: 'org_review' }, ORG));
    expect(queue.items.every((i: any) => i.status === 'org_review')).toBe(true);
    expect(queue.counts.org_review).toBe(queue.total);
    expect(err(await sys.call('review', { action: 'queue', stage: 'finance_review' }, ORG))).toBe('FORBIDDEN');
  });

  test('when a full ID number is revealed, then only the unit, the reviewer of the current stage and the holder may, and each read is audited', async () => {
    const prof = profile({}, '1982-02-02', 'female');
    const { formId } = ok(await apply(sys, 'applicant-reveal', prof));
    // At the unit's pre-review: the unit's admin and the holder; no reviewer yet, no other unit.
    expect(ok(await sys.call('forms', { action: 'revealId', formId }, ADMIN_A)).idNumber).toBe(prof.idNumber);
    expect(err(await sys.call('forms', { action: 'revealId', formId }, ORG))).toBe('FORBIDDEN');
    expect(err(await sys.call('forms', { action: 'revealId', formId }, ADMIN_B))).toBe('FORBIDDEN');
    expect(ok(await sys.call('forms', { action: 'revealId', formId }, 'applicant-reveal')).idNumber).toBe(prof.idNumber);
    // At the organisation's stage: its reviewer may, the association's (a later stage) may not.
    ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
    const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
    const receipt = await sys.upload(jpeg(200, 300, 80, 7), `uploads/receipt-reveal.jpg`, ADMIN_A, 'receipt');
    ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
    expect(ok(await sys.call('forms', { action: 'revealId', formId }, ORG)).idNumber).toBe(prof.idNumber);
    expect(err(await sys.call('forms', { action: 'revealId', formId }, ASSOC))).toBe('FORBIDDEN');
    const reads = (await auditOf(formId)).filter((e) => e.action === 'reveal-id');
    expect(reads.map((e) => `${e.actor}/${e.role}`)).toEqual([
      `${ADMIN_A}/unit_admin`,
      'applicant-reveal/applicant',
      `${ORG}/org_reviewer`,
    ]);
  });

  test('when many identities call at once, then each invocation sees its own OPENID', async () => {
    const who = ['demo-secretariat', ORG, ASSOC, FINANCE, ADMIN_A, ADMIN_B, 'demo-member-1', 'demo-newcomer'];
    const calls = await Promise.all([...who, ...who, ...who].map((id) => sys.call('members', { action: 'me' }, id).then((r) => [id, ok(r)] as const)));
    for (const [id, me] of calls) {
      const roles = me.roles.map((r: any) => r.role);
      if (id === ADMIN_A) expect(me.roles).toEqual([expect.objectContaining({ role: 'unit_admin', scopeId: 'unit-a', scopeName: '示例监理有限公司', main: true })]);
      if (id === ORG) expect(roles).toEqual(['org_reviewer']);
      if (id === 'demo-member-1') {
        expect(me.member).toMatchObject({ name: '李建国', unit: { id: 'unit-a' } });
        expect(me.certificates).toEqual([expect.objectContaining({ type: '监理员', status: 'valid' })]);
      }
      if (id === 'demo-newcomer') expect(me).toMatchObject({ member: null, roles: [] });
    }
  });

  test('when the request is malformed, then a clear Chinese error and a stable code', async () => {
    expect(await sys.call('forms', { action: 'nope' }, ADMIN_A)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/不支持/) } });
    expect(err(await sys.call('forms', { action: 'get', formId: '../x' }, ADMIN_A))).toBe('INVALID_INPUT');
    expect(err(await sys.call('forms', { action: 'get', formId: 'missing' }, ADMIN_A))).toBe('NOT_FOUND');
    expect(err(await sys.call('members', { action: 'apply', code: 'x', level: 'gold', profile: {}, files: {} }, 'someone'))).toBe('INVALID_INPUT');
    const raw = await httpRequest(`${sys.url}/functions/forms`, { method: 'POST', body: '{not json', headers: { 'x-wx-openid': ADMIN_A } });
    expect(raw.status).toBe(400);
    const none = await httpRequest(`${sys.url}/functions/nothing`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(404);
  });
});
