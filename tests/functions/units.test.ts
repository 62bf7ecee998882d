/**
 * Unit accounts (issue 4, SPEC §3.6, manual FAQ 3.15 / 3.24): sub-admins by phone and invitation,
 * removal and transfer of the main role, a non-member unit's membership application through the one
 * engine with its fee, and information changes through review — each happy path and every refusal,
 * with the audit events every grant and revocation leaves.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { httpRequest, LocalSystem, startLocalSystem } from '../support/local-system';
import { mp4 } from '../support/fixtures';
import { randomUUID } from 'crypto';
import { ADMIN_A, ADMIN_B, ASSOC, FINANCE, ok, ORG } from '../support/journey';
import {
  addSubAdmin,
  auditOf,
  err,
  expiredCopy,
  forged,
  freshCreditCode,
  freshUnit,
  jpegFile,
  pdfFile,
  SECRETARIAT,
} from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const units = (data: Record<string, unknown>, openid: string) => sys.call('units', data, openid);
const unitDoc = async (id: string) => (await database().collection(C.units).doc(id).get()).data as any;
const grantsOf = async (unitId: string) =>
  (await database().collection(C.roles).where({ scopeId: unitId, role: 'unit_admin' }).get()).data as any[];

describe('sub-admins', () => {
  test('when the main admin invites a sub-admin by phone and the invitee scans and confirms that phone, then they administer the unit; invitation and grant are audited', async () => {
    const inv = ok(await units({ action: 'inviteSubAdmin', phone: '13900000001', name: '张子管' }, ADMIN_A));
    expect(inv).toMatchObject({ role: 'unit_admin', scopeId: 'unit-a', main: false, scene: inv.code });
    expect(inv.code.length).toBeLessThanOrEqual(32);
    const hours = (new Date(inv.expiresAt).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71);
    expect(hours).toBeLessThanOrEqual(72);
    // The QR image in storage decodes back to the code.
    const file = await httpRequest(`${sys.url}/storage/${encodeURIComponent(inv.qrImage)}`, { headers: { 'x-wx-openid': ADMIN_A } });
    const img = PNG.sync.read(file.body);
    expect(jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data).toBe(inv.code);
    // The scanner sees which unit invites them.
    expect(ok(await sys.call('codes', { action: 'resolve', code: inv.code }, 'sub-a-1'))).toMatchObject({
      kind: 'sub-admin',
      unit: { id: 'unit-a', name: '示例监理有限公司' },
    });
    const before = ok(await units({ action: 'admins' }, ADMIN_A));
    expect(before.pending).toEqual([
      expect.objectContaining({ id: inv.inviteId, phone: '13900000001', name: '张子管' }),
    ]);

    const grant = ok(await units({ action: 'acceptInvite', code: inv.code, phone: '139 0000 0001' }, 'sub-a-1'));
    expect(grant).toMatchObject({ role: 'unit_admin', scopeId: 'unit-a', scopeName: '示例监理有限公司', main: false });

    const asMain = ok(await units({ action: 'admins' }, ADMIN_A));
    expect(asMain).toMatchObject({
      canManage: true,
      max: 3,
      pending: [],
      main: { openid: ADMIN_A, main: true, me: true },
    });
    expect(asMain.subs).toEqual([
      expect.objectContaining({ openid: 'sub-a-1', phone: '13900000001', name: '张子管', me: false }),
    ]);
    // A sub-admin sees the list with phones masked and no OPENIDs.
    const asSub = ok(await units({ action: 'admins' }, 'sub-a-1'));
    expect(asSub.canManage).toBe(false);
    expect(asSub.subs[0]).toMatchObject({ phone: '139****0001', me: true });
    expect(asSub.subs[0].openid).toBeUndefined();
    expect(asSub.main.openid).toBeUndefined();
    // The sub-admin acts for the unit (issues a join code, reads the unit).
    ok(await sys.call('codes', { action: 'issue', kind: 'join' }, 'sub-a-1'));
    expect(ok(await units({ action: 'info' }, 'sub-a-1'))).toMatchObject({ main: false, unit: { id: 'unit-a' } });

    expect(await auditOf(inv.inviteId)).toEqual([
      expect.objectContaining({
        targetType: 'code',
        action: 'invite',
        actor: ADMIN_A,
        role: 'unit_admin',
        to: 'unit_admin',
      }),
    ]);
    expect(await auditOf(grant.grantId)).toEqual([
      expect.objectContaining({
        targetType: 'role',
        action: 'grant',
        actor: 'sub-a-1',
        to: 'unit_admin',
        remark: expect.stringContaining(inv.inviteId),
      }),
    ]);
  });

  test('when an invitation is scanned with the wrong phone, then FORBIDDEN and it stays usable; reused CODE_USED, forged CODE_INVALID, expired CODE_EXPIRED, revoked CODE_INVALID', async () => {
    const u = await freshUnit(sys, '邀请校验');
    const inv = ok(await units({ action: 'inviteSubAdmin', phone: '13900000002' }, u.main));
    expect(err(await units({ action: 'acceptInvite', code: inv.code }, 'sub-x'))).toBe('INVALID_INPUT');
    const wrong = await units({ action: 'acceptInvite', code: inv.code, phone: '13900000003' }, 'sub-x');
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/手机号码/) },
    });
    expect(err(await units({ action: 'acceptInvite', code: forged(inv.code), phone: '13900000002' }, 'sub-x'))).toBe(
      'CODE_INVALID',
    );
    expect(err(await units({ action: 'acceptInvite', code: 'hello', phone: '13900000002' }, 'sub-x'))).toBe(
      'CODE_INVALID',
    );
    expect(
      err(await units({ action: 'acceptInvite', code: expiredCopy(inv.code), phone: '13900000002' }, 'sub-x')),
    ).toBe('CODE_EXPIRED');
    expect(await grantsOf(u.unitId)).toHaveLength(1);

    ok(await units({ action: 'acceptInvite', code: inv.code, phone: '13900000002' }, 'sub-x'));
    const reused = await units({ action: 'acceptInvite', code: inv.code, phone: '13900000002' }, 'sub-y');
    expect(reused).toMatchObject({
      ok: false,
      error: { code: 'CODE_USED', message: expect.stringMatching(/已被使用/) },
    });

    const second = ok(await units({ action: 'inviteSubAdmin', phone: '13900000004' }, u.main));
    const after = ok(await units({ action: 'revokeInvite', inviteId: second.inviteId }, u.main));
    expect(after.pending).toEqual([]);
    expect(err(await units({ action: 'acceptInvite', code: second.code, phone: '13900000004' }, 'sub-z'))).toBe(
      'CODE_INVALID',
    );
    expect(err(await units({ action: 'revokeInvite', inviteId: second.inviteId }, u.main))).toBe('CONFLICT');
    expect(await auditOf(second.inviteId)).toEqual([
      expect.objectContaining({ action: 'invite' }),
      expect.objectContaining({ action: 'revoke-invite', actor: u.main, from: 'pending', to: 'revoked' }),
    ]);
    expect((await grantsOf(u.unitId)).map((g) => g.openid).sort()).toEqual([u.main, 'sub-x'].sort());
  });

  test('when someone keeps guessing the phone, then after 5 wrong numbers the invitation is revoked', async () => {
    const u = await freshUnit(sys, '猜号码');
    const inv = ok(await units({ action: 'inviteSubAdmin', phone: '13900000010' }, u.main));
    for (let i = 1; i <= 5; i++)
      expect(err(await units({ action: 'acceptInvite', code: inv.code, phone: `1390000002${i}` }, 'guesser'))).toBe(
        'FORBIDDEN',
      );
    expect(err(await units({ action: 'acceptInvite', code: inv.code, phone: '13900000010' }, 'guesser'))).toBe(
      'CODE_INVALID',
    );
  });

  test('when the identity already administers a unit, then accepting another unit’s invitation is NOT_ELIGIBLE and its own unit’s DUPLICATE', async () => {
    const inv = ok(await units({ action: 'inviteSubAdmin', phone: '13900000030' }, ADMIN_A));
    const other = await units({ action: 'acceptInvite', code: inv.code, phone: '13900000030' }, ADMIN_B);
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'NOT_ELIGIBLE', message: expect.stringMatching(/示例工程咨询有限公司/) },
    });
    expect(err(await units({ action: 'acceptInvite', code: inv.code, phone: '13900000030' }, ADMIN_A))).toBe(
      'DUPLICATE',
    );
    ok(await units({ action: 'revokeInvite', inviteId: inv.inviteId }, ADMIN_A));
  });

  test('when a unit has 3 sub-admins counting pending invitations, then the 4th is NOT_ELIGIBLE until one is revoked; a phone already invited or already an admin is DUPLICATE', async () => {
    const u = await freshUnit(sys, '满额');
    await addSubAdmin(sys, u.main, 'full-1', '13900000041');
    const p2 = ok(await units({ action: 'inviteSubAdmin', phone: '13900000042' }, u.main));
    ok(await units({ action: 'inviteSubAdmin', phone: '13900000043' }, u.main));
    const fourth = await units({ action: 'inviteSubAdmin', phone: '13900000044' }, u.main);
    expect(fourth).toMatchObject({
      ok: false,
      error: { code: 'NOT_ELIGIBLE', message: expect.stringMatching(/最多设3个子管理员/) },
    });
    expect(err(await units({ action: 'inviteSubAdmin', phone: '13900000041' }, u.main))).toBe('DUPLICATE');
    expect(err(await units({ action: 'inviteSubAdmin', phone: '13900000043' }, u.main))).toBe('DUPLICATE');
    expect(err(await units({ action: 'inviteSubAdmin', phone: '12345' }, u.main))).toBe('INVALID_INPUT');
    ok(await units({ action: 'revokeInvite', inviteId: p2.inviteId }, u.main));
    ok(await units({ action: 'inviteSubAdmin', phone: '13900000044' }, u.main));
    const list = ok(await units({ action: 'admins' }, u.main));
    expect(list.subs.length + list.pending.length).toBe(3);
  });

  test('when two invitations race for the last slot, then exactly one is issued', async () => {
    const u = await freshUnit(sys, '并发邀请');
    await addSubAdmin(sys, u.main, 'race-1', '13900000051');
    await addSubAdmin(sys, u.main, 'race-2', '13900000052');
    const rs = await Promise.all(
      ['13900000053', '13900000054', '13900000055'].map((phone) => units({ action: 'inviteSubAdmin', phone }, u.main)),
    );
    expect(rs.filter((r) => r.ok)).toHaveLength(1);
    expect(rs.filter((r) => !r.ok).map(err)).toEqual(['NOT_ELIGIBLE', 'NOT_ELIGIBLE']);
  });

  test('when two people scan one invitation at once, then one becomes admin and the other gets CODE_USED', async () => {
    const u = await freshUnit(sys, '并发确认');
    const inv = ok(await units({ action: 'inviteSubAdmin', phone: '13900000061' }, u.main));
    const rs = await Promise.all(
      ['twin-1', 'twin-2'].map((who) => units({ action: 'acceptInvite', code: inv.code, phone: '13900000061' }, who)),
    );
    expect(rs.map(err).sort()).toEqual(['CODE_USED', 'ok']);
    expect(await grantsOf(u.unitId)).toHaveLength(2);
  });

  test('when a sub-admin tries to manage sub-admins, then FORBIDDEN for each of invite, remove, revoke and transfer', async () => {
    const u = await freshUnit(sys, '子管理员越权');
    await addSubAdmin(sys, u.main, 'sub-only-1', '13900000071');
    await addSubAdmin(sys, u.main, 'sub-only-2', '13900000072');
    const inv = ok(await units({ action: 'inviteSubAdmin', phone: '13900000073' }, u.main));
    for (const data of [
      { action: 'inviteSubAdmin', phone: '13900000074' },
      { action: 'removeSubAdmin', openid: 'sub-only-2' },
      { action: 'revokeInvite', inviteId: inv.inviteId },
      { action: 'transferMain', openid: 'sub-only-2' },
    ]) {
      const r = await units(data, 'sub-only-1');
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/主管理员/) } });
    }
    // Another unit's main admin cannot reach this unit's admins either.
    expect(err(await units({ action: 'removeSubAdmin', openid: 'sub-only-2' }, ADMIN_B))).toBe('NOT_FOUND');
    expect(err(await units({ action: 'revokeInvite', inviteId: inv.inviteId }, ADMIN_B))).toBe('NOT_FOUND');
    expect(await grantsOf(u.unitId)).toHaveLength(3);
  });

  test('when the main admin removes a sub-admin, then the grant is gone, the person is FORBIDDEN, and the revocation is audited', async () => {
    const u = await freshUnit(sys, '移除');
    const g = await addSubAdmin(sys, u.main, 'leaver', '13900000081');
    ok(await units({ action: 'info' }, 'leaver'));
    const after = ok(await units({ action: 'removeSubAdmin', openid: 'leaver' }, u.main));
    expect(after.subs).toEqual([]);
    expect(err(await units({ action: 'info' }, 'leaver'))).toBe('FORBIDDEN');
    expect(err(await units({ action: 'removeSubAdmin', openid: 'leaver' }, u.main))).toBe('NOT_FOUND');
    expect(err(await units({ action: 'removeSubAdmin', openid: u.main }, u.main))).toBe('FORBIDDEN');
    const events = await auditOf(g.grantId);
    expect(events.map((e) => e.action)).toEqual(['grant', 'revoke']);
    expect(events[1]).toMatchObject({
      actor: u.main,
      role: 'unit_admin',
      from: 'unit_admin',
      remark: expect.stringMatching(/移除子管理员/),
    });
    // The freed identity may be invited again (by this or another unit).
    await addSubAdmin(sys, u.main, 'leaver', '13900000081');
  });

  test('when the main admin transfers the main role to a sub-admin, then both swap in one step, each audited, and only the new main manages', async () => {
    const u = await freshUnit(sys, '转让');
    const sub = await addSubAdmin(sys, u.main, 'heir', '13900000091');
    expect(err(await units({ action: 'transferMain', openid: 'nobody' }, u.main))).toBe('NOT_FOUND');
    expect(err(await units({ action: 'transferMain', openid: u.main }, u.main))).toBe('INVALID_INPUT');
    const after = ok(await units({ action: 'transferMain', openid: 'heir' }, u.main));
    expect(after).toMatchObject({
      canManage: false,
      main: { main: true, me: false },
      subs: [expect.objectContaining({ me: true, main: false })],
    });
    const grants = await grantsOf(u.unitId);
    expect(grants.filter((g) => g.main).map((g) => g.openid)).toEqual(['heir']);
    expect(grants).toHaveLength(2);
    expect(err(await units({ action: 'inviteSubAdmin', phone: '13900000092' }, u.main))).toBe('FORBIDDEN');
    expect(ok(await units({ action: 'admins' }, 'heir')).canManage).toBe(true);
    ok(await units({ action: 'inviteSubAdmin', phone: '13900000092' }, 'heir'));
    // The old main admin can now be removed by the new one.
    expect((await auditOf(sub.grantId)).map((e) => `${e.action}:${e.from || ''}>${e.to}`)).toEqual([
      'grant:>unit_admin',
      'transfer-main:sub>main',
    ]);
    ok(await units({ action: 'removeSubAdmin', openid: u.main }, 'heir'));
    expect(err(await units({ action: 'admins' }, u.main))).toBe('FORBIDDEN');
  });

  test('when the main admin transfers twice at once, then the second finds it is no longer main', async () => {
    const u = await freshUnit(sys, '并发转让');
    await addSubAdmin(sys, u.main, 'heir-a', '13900000101');
    await addSubAdmin(sys, u.main, 'heir-b', '13900000102');
    const rs = await Promise.all(
      ['heir-a', 'heir-b'].map((openid) => units({ action: 'transferMain', openid }, u.main)),
    );
    expect(rs.map(err).sort()).toEqual(['CONFLICT', 'ok']);
    expect((await grantsOf(u.unitId)).filter((g) => g.main)).toHaveLength(1);
  });
});

describe('unit membership', () => {
  test('when a non-member unit applies, then a DWRH form with the unit fee runs org → association → payment → finance, and the unit is a member to the end of the year', async () => {
    const before = ok(await units({ action: 'info' }, ADMIN_B));
    expect(before).toMatchObject({
      unit: { id: 'unit-b', isMember: false, memberActive: false },
      canApplyMembership: true,
      membershipFee: 2000,
      pending: [],
    });
    expect(err(await units({ action: 'applyMembership', files: {} }, ADMIN_B))).toBe('INVALID_INPUT');
    expect(
      // A photo of the signed form is accepted (seed 001 asks for no PDF); a video is not.
      err(await units({ action: 'applyMembership', files: { applicationForm: await sys.upload(mp4(), `uploads/units/${randomUUID()}.mp4`, ADMIN_B, 'video') } }, ADMIN_B)),
    ).toBe('FILE_INVALID');
    expect(
      err(
        await units(
          { action: 'applyMembership', files: { applicationForm: await pdfFile(sys, ADMIN_B), photo: await jpegFile(sys, ADMIN_B) } },
          ADMIN_B,
        ),
      ),
    ).toBe('INVALID_INPUT');

    const form = ok(
      await units({ action: 'applyMembership', files: { applicationForm: await pdfFile(sys, ADMIN_B) } }, ADMIN_B),
    );
    expect(form).toMatchObject({
      type: 'unit-membership',
      status: 'org_review',
      unit: { id: 'unit-b' },
      amountDue: 2000,
      people: [],
    });
    expect(form.no).toMatch(new RegExp(`^DWRH-${shanghaiDay().replace(/-/g, '')}\\d{6}$`));
    expect(form.bills).toEqual([expect.objectContaining({ kind: 'membership-unit', amount: 2000, status: 'unpaid' })]);
    expect(
      err(await units({ action: 'applyMembership', files: { applicationForm: await pdfFile(sys, ADMIN_B) } }, ADMIN_B)),
    ).toBe('DUPLICATE');
    expect(ok(await units({ action: 'info' }, ADMIN_B)).pending).toEqual([
      expect.objectContaining({ id: form.id, status: 'org_review' }),
    ]);
    // The reviewers find it in their queues; the member unit cannot apply.
    expect(
      ok(await sys.call('review', { action: 'queue', stage: 'org_review' }, ORG)).items.map((i: any) => i.id),
    ).toContain(form.id);
    expect(
      err(await units({ action: 'applyMembership', files: { applicationForm: await pdfFile(sys, ADMIN_A) } }, ADMIN_A)),
    ).toBe('NOT_ELIGIBLE');

    ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    const due = ok(await sys.call('review', { action: 'approve', formId: form.id }, ASSOC));
    expect(due.status).toBe('awaiting_payment');
    const paid = ok(
      await sys.call('bills', { action: 'pay', billId: due.bills[0].id, receipt: await jpegFile(sys, ADMIN_B) }, ADMIN_B),
    );
    expect(paid.formStatus).toBe('finance_review');
    const done = ok(await sys.call('review', { action: 'approve', formId: form.id }, FINANCE));
    expect(done).toMatchObject({ status: 'approved', bills: [expect.objectContaining({ status: 'confirmed' })] });

    const year = shanghaiDay().slice(0, 4);
    expect(await unitDoc('unit-b')).toMatchObject({
      isMember: true,
      memberUntil: `${year}-12-31`,
      memberSince: shanghaiDay(),
    });
    expect(ok(await units({ action: 'info' }, ADMIN_B))).toMatchObject({
      unit: { isMember: true, memberActive: true, memberUntil: `${year}-12-31` },
      canApplyMembership: false,
      pending: [],
    });
    expect(await auditOf('unit-b')).toEqual([
      expect.objectContaining({
        action: 'membership',
        actor: FINANCE,
        role: 'finance',
        from: 'non-member',
        to: 'member',
      }),
    ]);
    expect(
      err(await units({ action: 'applyMembership', files: { applicationForm: await pdfFile(sys, ADMIN_B) } }, ADMIN_B)),
    ).toBe('NOT_ELIGIBLE');
  });

  test('when a reviewer returns the application, then the unit resubmits it with a new file and it re-enters review', async () => {
    const u = await freshUnit(sys, '退回重报');
    const form = ok(await units({ action: 'applyMembership', files: { applicationForm: await pdfFile(sys, u.main) } }, u.main));
    ok(await sys.call('review', { action: 'return', formId: form.id, reason: '申请表未盖公章' }, ORG));
    expect(err(await units({ action: 'resubmit', formId: form.id, changes: { address: '新地址1号' } }, u.main))).toBe(
      'INVALID_INPUT',
    );
    expect(err(await units({ action: 'resubmit', formId: form.id }, ADMIN_A))).toBe('FORBIDDEN');
    const again = ok(
      await units(
        { action: 'resubmit', formId: form.id, files: { applicationForm: await pdfFile(sys, u.main, 900) }, remark: '已盖章' },
        u.main,
      ),
    );
    expect(again.status).toBe('org_review');
    expect(again.returned).toBeUndefined();
    expect(again.trail.map((t: any) => `${t.from}>${t.to}`)).toEqual([
      'draft>org_review',
      'org_review>returned',
      'returned>org_review',
    ]);
    expect(err(await units({ action: 'resubmit', formId: form.id }, u.main))).toBe('CONFLICT');
  });
});

describe('unit information changes', () => {
  test('when the unit asks to change its name and credit code, then nothing changes until the association approves; the reviewers see before and after', async () => {
    const u = await freshUnit(sys, '更名前');
    const newName = `更名后${Date.now().toString(36)}有限公司`;
    const newCode = freshCreditCode();
    const form = ok(
      await units(
        { action: 'requestInfoChange', name: newName, creditCode: newCode.toLowerCase(), contactName: '王经办' },
        u.main,
      ),
    );
    expect(form).toMatchObject({
      type: 'unit-info-change',
      status: 'org_review',
      bills: [],
      unitChange: {
        before: { name: u.name, creditCode: u.creditCode, contactName: '' },
        after: { name: newName, creditCode: newCode, contactName: '王经办' },
      },
    });
    expect(form.no).toMatch(/^DWBG-/);
    expect((await unitDoc(u.unitId)).name).toBe(u.name);
    expect(err(await units({ action: 'requestInfoChange', address: '另一个地址' }, u.main))).toBe('DUPLICATE');
    expect(ok(await sys.call('forms', { action: 'get', formId: form.id }, ORG)).unitChange.after.name).toBe(newName);

    ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    const done = ok(await sys.call('review', { action: 'approve', formId: form.id }, ASSOC));
    expect(done.status).toBe('approved');
    expect(await unitDoc(u.unitId)).toMatchObject({ name: newName, creditCode: newCode, contactName: '王经办' });
    expect(ok(await units({ action: 'info' }, u.main)).unit).toMatchObject({ name: newName, creditCode: newCode });
    const events = (await auditOf(u.unitId)).filter((e) => e.action === 'info-change');
    expect(events).toEqual([
      expect.objectContaining({
        actor: ASSOC,
        role: 'assoc_reviewer',
        remark: expect.stringContaining(`单位名称：${u.name} → ${newName}`),
      }),
    ]);
  });

  test('when the change is invalid, then INVALID_INPUT for a bad credit code or no change, DUPLICATE for a name or code another unit has', async () => {
    const u = await freshUnit(sys, '变更校验');
    const valid = (await unitDoc(u.unitId)).creditCode as string;
    const badCode = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const bad = await units({ action: 'requestInfoChange', creditCode: badCode }, u.main);
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { creditCode: expect.stringMatching(/校验位/) } },
    });
    expect(err(await units({ action: 'requestInfoChange', creditCode: '123' }, u.main))).toBe('INVALID_INPUT');
    expect(err(await units({ action: 'requestInfoChange' }, u.main))).toBe('INVALID_INPUT');
    expect(err(await units({ action: 'requestInfoChange', name: u.name }, u.main))).toBe('INVALID_INPUT');
    const taken = await units({ action: 'requestInfoChange', name: '示例监理有限公司' }, u.main);
    expect(taken).toMatchObject({ ok: false, error: { code: 'DUPLICATE', fields: { name: expect.any(String) } } });
    const unitA = await unitDoc('unit-a');
    expect(err(await units({ action: 'requestInfoChange', creditCode: unitA.creditCode }, u.main))).toBe('DUPLICATE');
    // ASCII and full-width parentheses are one spelling.
    const other = await freshUnit(sys, '括号（广东）');
    expect(
      err(await units({ action: 'requestInfoChange', name: other.name.replace('（', '(').replace('）', ')') }, u.main)),
    ).toBe('DUPLICATE');
  });

  test('when another unit takes the requested name before approval, then the approval is refused with DUPLICATE and the unit keeps its name', async () => {
    const u = await freshUnit(sys, '抢名');
    const wanted = `抢注${Date.now().toString(36)}有限公司`;
    const form = ok(await units({ action: 'requestInfoChange', name: wanted }, u.main));
    ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    ok(
      await sys.call(
        'admin',
        { action: 'createUnit', name: wanted, creditCode: freshCreditCode(), orgId: 'org-demo' },
        SECRETARIAT,
      ),
    );
    const r = await sys.call('review', { action: 'approve', formId: form.id }, ASSOC);
    expect(r).toMatchObject({ ok: false, error: { code: 'DUPLICATE', message: expect.stringContaining(wanted) } });
    expect((await unitDoc(u.unitId)).name).toBe(u.name);
    expect(ok(await sys.call('forms', { action: 'get', formId: form.id }, ASSOC)).status).toBe('assoc_review');
    // The association returns it; the unit picks another name and it goes through.
    ok(await sys.call('review', { action: 'return', formId: form.id, reason: '名称已被占用' }, ASSOC));
    const renamed = `${wanted.slice(0, -4)}二号有限公司`;
    ok(await units({ action: 'resubmit', formId: form.id, changes: { name: renamed } }, u.main));
    ok(await sys.call('review', { action: 'approve', formId: form.id }, ORG));
    ok(await sys.call('review', { action: 'approve', formId: form.id }, ASSOC));
    expect((await unitDoc(u.unitId)).name).toBe(renamed);
  });
});
