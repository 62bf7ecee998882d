/**
 * The secretariat (issue 4, SPEC §2.1, §3.5): units and organisations, reviewer and staff accounts
 * granted by invitation and revoked, 证书解绑 (manual FAQ 3.26), and the bootstrap code's rules —
 * each happy path and every refusal, with the audit events every grant, revocation and unbind leaves.
 */
import { shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import {
  bootstrapHash,
  bootstrapMatches,
  newBootstrapCode,
  normalizeBootstrapCode,
} from '../../cloudfunctions/admin/bootstrap';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ADMIN_A, ASSOC, FINANCE, ok, ORG } from '../support/journey';
import { addMember } from '../support/people';
import {
  addSubAdmin,
  auditOf,
  err,
  expiredCopy,
  forged,
  freshCreditCode,
  freshUnit,
  SECRETARIAT,
} from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const admin = (data: Record<string, unknown>, openid = SECRETARIAT) => sys.call('admin', data, openid);
const year = () => shanghaiDay().slice(0, 4);
let n = 0;
const uniq = (label: string) => `${label}${Date.now().toString(36)}${++n}`;

describe('units', () => {
  test('when the secretariat creates a unit, then it is listed by name prefix, credit code, organisation and membership, and the creation is audited', async () => {
    const name = `${uniq('新建单位')}有限公司`;
    const cc = freshCreditCode();
    const unit = ok(
      await admin({
        action: 'createUnit',
        name,
        creditCode: cc.toLowerCase(),
        orgId: 'org-demo',
        isMember: true,
        contactName: '李经办',
      }),
    );
    expect(unit).toMatchObject({
      name,
      creditCode: cc,
      isMember: true,
      memberActive: true,
      memberUntil: `${year()}-12-31`,
      memberSince: shanghaiDay(),
      org: { id: 'org-demo', name: '示例市建设监理行业协会' },
      contactName: '李经办',
    });
    expect(ok(await admin({ action: 'listUnits', name: name.slice(0, 6) })).items.map((u: any) => u.id)).toEqual([
      unit.id,
    ]);
    expect(ok(await admin({ action: 'listUnits', creditCode: cc })).items).toEqual([
      expect.objectContaining({ id: unit.id }),
    ]);
    const members = ok(await admin({ action: 'listUnits', isMember: true, pageSize: 50 }));
    expect(members.items.every((u: any) => u.isMember)).toBe(true);
    expect(members.items.map((u: any) => u.id)).toEqual(expect.arrayContaining([unit.id, 'unit-a']));
    const nonMembers = ok(await admin({ action: 'listUnits', isMember: false, pageSize: 50 }));
    expect(nonMembers.items.map((u: any) => u.id)).not.toContain(unit.id);
    const byOrg = ok(await admin({ action: 'listUnits', orgId: 'org-demo', pageSize: 50 }));
    expect(byOrg.total).toBeGreaterThanOrEqual(3);
    const all = ok(await admin({ action: 'listUnits', page: 1, pageSize: 2 }));
    expect(all).toMatchObject({ page: 1, pageSize: 2 });
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(3);
    expect(await auditOf(unit.id)).toEqual([
      expect.objectContaining({
        targetType: 'unit',
        action: 'create',
        actor: SECRETARIAT,
        role: 'secretariat',
        to: 'member',
      }),
    ]);
  });

  test('when a unit is created with a taken name or credit code, a bad credit code, an unknown organisation or a bad date, then DUPLICATE / INVALID_INPUT / NOT_FOUND and nothing is written', async () => {
    const before = ok(await admin({ action: 'listUnits' })).total;
    const base = { action: 'createUnit', orgId: 'org-demo' };
    const a = (await database().collection(C.units).doc('unit-a').get()).data;
    const dupName = await admin({ ...base, name: '示例监理有限公司', creditCode: freshCreditCode() });
    expect(dupName).toMatchObject({ ok: false, error: { code: 'DUPLICATE', fields: { name: expect.any(String) } } });
    const dupCode = await admin({ ...base, name: `${uniq('重码')}有限公司`, creditCode: a.creditCode });
    expect(dupCode).toMatchObject({
      ok: false,
      error: { code: 'DUPLICATE', fields: { creditCode: expect.any(String) } },
    });
    const cc = freshCreditCode();
    const badCheck = cc.slice(0, 17) + (cc[17] === '0' ? '1' : '0');
    const bad = await admin({ ...base, name: `${uniq('坏码')}有限公司`, creditCode: badCheck });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { creditCode: expect.stringMatching(/校验位/) } },
    });
    expect(err(await admin({ ...base, name: `${uniq('字母')}有限公司`, creditCode: 'I'.repeat(18) }))).toBe(
      'INVALID_INPUT',
    );
    expect(
      err(
        await admin({
          ...base,
          name: `${uniq('无机构')}有限公司`,
          creditCode: freshCreditCode(),
          orgId: 'no-such-org',
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      err(await admin({ ...base, name: `${uniq('协会')}有限公司`, creditCode: freshCreditCode(), orgId: 'assoc' })),
    ).toBe('NOT_FOUND');
    expect(
      err(
        await admin({
          ...base,
          name: `${uniq('日期')}有限公司`,
          creditCode: freshCreditCode(),
          memberUntil: '2025-02-30',
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      err(await admin({ ...base, name: `${uniq('布尔')}有限公司`, creditCode: freshCreditCode(), isMember: 'yes' })),
    ).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'createUnit', name: 'X', creditCode: freshCreditCode() }))).toBe('INVALID_INPUT');
    expect(ok(await admin({ action: 'listUnits' })).total).toBe(before);
  });

  test('when two units with one name are created at once, then one is created and the other is DUPLICATE', async () => {
    const name = `${uniq('同时')}有限公司`;
    const rs = await Promise.all(
      [0, 1].map(() => admin({ action: 'createUnit', name, creditCode: freshCreditCode(), orgId: 'org-demo' })),
    );
    expect(rs.map(err).sort()).toEqual(['DUPLICATE', 'ok']);
  });

  test('when the secretariat edits a unit, then the change is applied and audited; a taken name is DUPLICATE, no change INVALID_INPUT, an unknown unit NOT_FOUND', async () => {
    const org = ok(await admin({ action: 'createOrg', name: uniq('编辑用初审机构') }));
    const u = ok(
      await admin({
        action: 'createUnit',
        name: `${uniq('待编辑')}有限公司`,
        creditCode: freshCreditCode(),
        orgId: 'org-demo',
      }),
    );
    const renamed = `${uniq('已编辑')}有限公司`;
    const after = ok(
      await admin({
        action: 'updateUnit',
        unitId: u.id,
        name: renamed,
        orgId: org.id,
        isMember: true,
        remark: '工商变更',
      }),
    );
    expect(after).toMatchObject({ name: renamed, org: { id: org.id }, isMember: true, memberUntil: `${year()}-12-31` });
    const events = (await auditOf(u.id)).filter((e) => e.action === 'update');
    expect(events).toEqual([
      expect.objectContaining({
        actor: SECRETARIAT,
        remark: expect.stringMatching(/单位名称：.* → .*初审机构 → .*设为单位会员.*工商变更/),
      }),
    ]);
    expect(err(await admin({ action: 'updateUnit', unitId: u.id, name: '示例监理有限公司' }))).toBe('DUPLICATE');
    expect(err(await admin({ action: 'updateUnit', unitId: u.id, name: renamed }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'updateUnit', unitId: 'no-such-unit', name: `${uniq('无')}有限公司` }))).toBe(
      'NOT_FOUND',
    );
    const lapsed = ok(await admin({ action: 'updateUnit', unitId: u.id, memberUntil: '2020-12-31' }));
    expect(lapsed).toMatchObject({ isMember: true, memberActive: false, memberUntil: '2020-12-31' });
  });
});

describe('organisations', () => {
  test('when the secretariat adds and renames a service organisation, then it is listed with its unit count; a taken name is DUPLICATE; both are audited', async () => {
    const list = ok(await admin({ action: 'listOrgs' })).items;
    expect(list[0]).toMatchObject({ id: 'assoc', kind: 'association', name: '示例省建设监理协会' });
    expect(list.find((o: any) => o.id === 'org-demo')).toMatchObject({ kind: 'service-org', parentId: 'assoc' });
    expect(list.find((o: any) => o.id === 'org-demo').units).toBeGreaterThanOrEqual(2);
    const name = uniq('示例(东区)监理行业协会');
    const org = ok(await admin({ action: 'createOrg', name }));
    expect(org).toMatchObject({
      kind: 'service-org',
      name: name.replace('(', '（').replace(')', '）'),
      parentId: 'assoc',
      units: 0,
    });
    expect(err(await admin({ action: 'createOrg', name }))).toBe('DUPLICATE');
    expect(err(await admin({ action: 'createOrg', name: '示例市建设监理行业协会' }))).toBe('DUPLICATE');
    expect(err(await admin({ action: 'updateOrg', orgId: org.id, name: '示例市建设监理行业协会' }))).toBe('DUPLICATE');
    const renamed = ok(await admin({ action: 'updateOrg', orgId: org.id, name: `${name}二` }));
    expect(renamed.name).toMatch(/二$/);
    expect(err(await admin({ action: 'updateOrg', orgId: 'nope', name: '不存在的机构名' }))).toBe('NOT_FOUND');
    expect((await auditOf(org.id)).map((e) => `${e.targetType}:${e.action}`)).toEqual(['org:create', 'org:update']);
  });
});

describe('accounts by invitation', () => {
  test('when the secretariat invites an organisation reviewer with a phone, then the invitee confirms it and reviews that organisation’s queue; grant and invitation are audited', async () => {
    const org = ok(await admin({ action: 'createOrg', name: uniq('北区监理行业协会') }));
    const inv = ok(
      await admin({
        action: 'inviteRole',
        role: 'org_reviewer',
        scopeId: org.id,
        phone: '13700000001',
        name: '赵初审',
      }),
    );
    expect(inv).toMatchObject({ role: 'org_reviewer', scopeId: org.id, main: false });
    expect(ok(await sys.call('codes', { action: 'resolve', code: inv.code }, 'new-org-reviewer'))).toMatchObject({
      kind: 'role',
      unit: { id: org.id, name: org.name },
    });
    const pending = ok(await admin({ action: 'listRoles', role: 'org_reviewer' })).pending;
    expect(pending).toEqual([expect.objectContaining({ id: inv.inviteId, scopeName: org.name, phone: '13700000001' })]);
    expect(err(await admin({ action: 'acceptRole', code: inv.code }, 'new-org-reviewer'))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'acceptRole', code: inv.code, phone: '13700000002' }, 'new-org-reviewer'))).toBe(
      'FORBIDDEN',
    );
    const grant = ok(await admin({ action: 'acceptRole', code: inv.code, phone: '13700000001' }, 'new-org-reviewer'));
    expect(grant).toMatchObject({ role: 'org_reviewer', scopeId: org.id, scopeName: org.name, name: '赵初审' });
    // The new reviewer reviews their organisation's queue, and cannot act at other stages.
    const q = ok(await sys.call('review', { action: 'queue', stage: 'org_review' }, 'new-org-reviewer'));
    expect(q.total).toBe(0);
    expect(err(await sys.call('review', { action: 'queue', stage: 'assoc_review' }, 'new-org-reviewer'))).toBe(
      'FORBIDDEN',
    );
    const roles = ok(await admin({ action: 'listRoles', role: 'org_reviewer' }));
    expect(roles.pending).toEqual([]);
    expect(roles.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ grantId: grant.grantId, scopeName: org.name, phone: '13700000001' }),
      ]),
    );
    expect(ok(await admin({ action: 'listRoles', scopeId: org.id })).items.map((g: any) => g.grantId)).toEqual([
      grant.grantId,
    ]);
    expect(await auditOf(inv.inviteId)).toEqual([
      expect.objectContaining({ action: 'invite', actor: SECRETARIAT, role: 'secretariat', to: 'org_reviewer' }),
    ]);
    expect(await auditOf(grant.grantId)).toEqual([
      expect.objectContaining({ action: 'grant', actor: 'new-org-reviewer', to: 'org_reviewer' }),
    ]);
  });

  test('when association staff are invited (reviewer, finance, secretariat), then each confirms by scanning and works at their stage', async () => {
    const staff = [
      {
        role: 'assoc_reviewer',
        who: 'new-assoc',
        check: { fn: 'review', data: { action: 'queue', stage: 'assoc_review' } },
      },
      {
        role: 'finance',
        who: 'new-finance',
        check: { fn: 'review', data: { action: 'queue', stage: 'finance_review' } },
      },
      { role: 'secretariat', who: 'new-secretariat', check: { fn: 'admin', data: { action: 'listOrgs' } } },
    ];
    for (const s of staff) {
      expect(err(await sys.call(s.check.fn, s.check.data, s.who))).toBe('FORBIDDEN');
      const inv = ok(await admin({ action: 'inviteRole', role: s.role }));
      expect(ok(await admin({ action: 'listRoles', role: s.role })).pending.map((p: any) => p.id)).toContain(
        inv.inviteId,
      );
      const g = ok(await sys.call('units', { action: 'acceptInvite', code: inv.code }, s.who));
      expect(g).toMatchObject({ role: s.role, scopeId: '' });
      ok(await sys.call(s.check.fn, s.check.data, s.who));
      expect((await auditOf(g.grantId)).map((e) => e.action)).toEqual(['grant']);
    }
    // Someone who already holds the role is told so.
    const again = ok(await admin({ action: 'inviteRole', role: 'finance' }));
    expect(err(await admin({ action: 'acceptRole', code: again.code }, FINANCE))).toBe('DUPLICATE');
  });

  test('when the secretariat invites a unit’s main admin, then it binds if the unit has none; CONFLICT when it has one, DUPLICATE for a second pending invitation; sub-admins by phone count toward 3', async () => {
    const u = ok(
      await admin({
        action: 'createUnit',
        name: `${uniq('无主')}有限公司`,
        creditCode: freshCreditCode(),
        orgId: 'org-demo',
      }),
    );
    const inv = ok(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.id, phone: '13700000011' }));
    expect(inv).toMatchObject({ role: 'unit_admin', scopeId: u.id, main: true });
    expect(ok(await sys.call('codes', { action: 'resolve', code: inv.code }, 'x'))).toMatchObject({
      kind: 'role',
      unit: { id: u.id },
    });
    expect(err(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.id }))).toBe('DUPLICATE');
    expect(ok(await admin({ action: 'listRoles', role: 'unit_admin', scopeId: u.id })).pending).toEqual([
      expect.objectContaining({ id: inv.inviteId, main: true, scopeName: u.name }),
    ]);
    ok(await admin({ action: 'acceptRole', code: inv.code, phone: '13700000011' }, 'new-main'));
    expect(ok(await sys.call('units', { action: 'admins' }, 'new-main'))).toMatchObject({
      canManage: true,
      main: { openid: 'new-main', phone: '13700000011' },
    });
    expect(err(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.id }))).toBe('CONFLICT');
    expect(err(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: 'unit-a' }))).toBe('CONFLICT');
    // Sub-admins through the secretariat: by phone, within the same 3.
    expect(err(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.id, main: false }))).toBe(
      'INVALID_INPUT',
    );
    const sub = ok(
      await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.id, main: false, phone: '13700000012' }),
    );
    expect(ok(await sys.call('units', { action: 'admins' }, 'new-main')).pending).toEqual([
      expect.objectContaining({ id: sub.inviteId, main: false }),
    ]);
    ok(await sys.call('units', { action: 'inviteSubAdmin', phone: '13700000013' }, 'new-main'));
    ok(await sys.call('units', { action: 'inviteSubAdmin', phone: '13700000014' }, 'new-main'));
    expect(
      err(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.id, main: false, phone: '13700000015' })),
    ).toBe('NOT_ELIGIBLE');
    const g = ok(
      await sys.call('units', { action: 'acceptInvite', code: sub.code, phone: '13700000012' }, 'sec-made-sub'),
    );
    expect(g).toMatchObject({ role: 'unit_admin', scopeId: u.id, main: false });
  });

  test('when an invitation is malformed, then INVALID_INPUT or NOT_FOUND names the problem', async () => {
    expect(err(await admin({ action: 'inviteRole', role: 'finance', scopeId: 'org-demo' }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'inviteRole', role: 'finance', main: true }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'inviteRole', role: 'org_reviewer' }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'inviteRole', role: 'unit_admin' }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'inviteRole', role: 'member' }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'inviteRole', role: 'finance', phone: '110' }))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'inviteRole', role: 'org_reviewer', scopeId: 'unit-a' }))).toBe('NOT_FOUND');
    expect(err(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: 'no-such-unit' }))).toBe('NOT_FOUND');
  });

  test('when a role invitation is reused, forged, expired or revoked, then CODE_USED / CODE_INVALID / CODE_EXPIRED / CODE_INVALID and no role is granted', async () => {
    const inv = ok(await admin({ action: 'inviteRole', role: 'assoc_reviewer' }));
    expect(err(await admin({ action: 'acceptRole', code: forged(inv.code) }, 'cand-1'))).toBe('CODE_INVALID');
    expect(err(await admin({ action: 'acceptRole', code: expiredCopy(inv.code) }, 'cand-1'))).toBe('CODE_EXPIRED');
    ok(await admin({ action: 'acceptRole', code: inv.code }, 'cand-1'));
    expect(err(await admin({ action: 'acceptRole', code: inv.code }, 'cand-2'))).toBe('CODE_USED');
    const second = ok(await admin({ action: 'inviteRole', role: 'assoc_reviewer' }));
    ok(await admin({ action: 'revokeInvite', inviteId: second.inviteId }));
    expect(err(await admin({ action: 'acceptRole', code: second.code }, 'cand-3'))).toBe('CODE_INVALID');
    expect(err(await admin({ action: 'revokeInvite', inviteId: second.inviteId }))).toBe('CONFLICT');
    expect(err(await admin({ action: 'revokeInvite', inviteId: 'no-such-invite' }))).toBe('NOT_FOUND');
    expect((await auditOf(second.inviteId)).map((e) => e.action)).toEqual(['invite', 'revoke-invite']);
    // A join code is not an invitation.
    const join = ok(await sys.call('codes', { action: 'issue', kind: 'join' }, ADMIN_A));
    expect(err(await admin({ action: 'acceptRole', code: join.code }, 'cand-4'))).toBe('CODE_INVALID');
    const held = (
      await database()
        .collection(C.roles)
        .where({ openid: database().command.in(['cand-2', 'cand-3', 'cand-4']) })
        .get()
    ).data;
    expect(held).toEqual([]);
  });

  test('when the secretariat revokes a grant, then the person loses the role at once and the revocation is audited; the last secretariat account cannot be revoked', async () => {
    const inv = ok(await admin({ action: 'inviteRole', role: 'finance' }));
    const g = ok(await admin({ action: 'acceptRole', code: inv.code }, 'temp-finance'));
    ok(await sys.call('review', { action: 'queue', stage: 'finance_review' }, 'temp-finance'));
    expect(ok(await admin({ action: 'revokeRole', grantId: g.grantId, reason: '调岗' }))).toMatchObject({
      grantId: g.grantId,
      role: 'finance',
    });
    expect(err(await sys.call('review', { action: 'queue', stage: 'finance_review' }, 'temp-finance'))).toBe(
      'FORBIDDEN',
    );
    expect(err(await admin({ action: 'revokeRole', grantId: g.grantId }))).toBe('NOT_FOUND');
    expect((await auditOf(g.grantId)).map((e) => e.action)).toEqual(['grant', 'revoke']);
    expect((await auditOf(g.grantId))[1]).toMatchObject({
      actor: SECRETARIAT,
      role: 'secretariat',
      from: 'finance',
      remark: expect.stringMatching(/调岗/),
    });

    // Revoking a unit's main admin works the same way; a main-admin invitation scanned by one of
    // the unit's sub-admins then promotes them (another unit's admin cannot take it).
    const u = await freshUnit(sys, '撤销主管理员');
    const sub = await addSubAdmin(sys, u.main, 'loyal-sub', '13700000021');
    const mainGrant = ok(await admin({ action: 'listRoles', scopeId: u.unitId })).items.find((x: any) => x.main);
    ok(await admin({ action: 'revokeRole', grantId: mainGrant.grantId }));
    expect(err(await sys.call('units', { action: 'info' }, u.main))).toBe('FORBIDDEN');
    expect(ok(await sys.call('units', { action: 'admins' }, 'loyal-sub'))).toMatchObject({
      main: null,
      canManage: false,
    });
    const again = ok(await admin({ action: 'inviteRole', role: 'unit_admin', scopeId: u.unitId }));
    expect(err(await admin({ action: 'acceptRole', code: again.code }, ADMIN_A))).toBe('NOT_ELIGIBLE');
    const promoted = ok(await admin({ action: 'acceptRole', code: again.code }, 'loyal-sub'));
    expect(promoted).toMatchObject({ grantId: sub.grantId, main: true, phone: '13700000021' });
    expect(ok(await sys.call('units', { action: 'admins' }, 'loyal-sub'))).toMatchObject({ canManage: true, subs: [] });
    expect((await auditOf(sub.grantId)).map((e) => `${e.action}:${e.from || ''}>${e.to}`)).toEqual([
      'grant:>unit_admin',
      'grant:sub>main',
    ]);

    // Secretariat accounts: never fewer than one.
    const secs = ok(await admin({ action: 'listRoles', role: 'secretariat', pageSize: 50 })).items;
    const others = secs.filter((s: any) => s.grantedByMasked !== 'seed');
    expect(others.length).toBeGreaterThanOrEqual(1);
    for (const s of others) ok(await admin({ action: 'revokeRole', grantId: s.grantId }));
    const [only] = ok(await admin({ action: 'listRoles', role: 'secretariat' })).items;
    const last = await admin({ action: 'revokeRole', grantId: only.grantId });
    expect(last).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/最后一个秘书处账号/) },
    });
    ok(await admin({ action: 'listUnits' }));
  });
});

describe('证书解绑 (unbinding a member record from a WeChat user)', () => {
  test('when the secretariat unbinds a mis-bound record, then that WeChat user no longer sees the certificates, and the audit keeps the old OPENID masked', async () => {
    const wrongUser = 'wx-wrongly-bound-user-0001';
    const p = await addMember({ name: '误绑人', certs: [{}] });
    await database()
      .collection(C.members)
      .doc(p.memberId)
      .update({ data: { openid: wrongUser } });
    const seen = ok(await sys.call('members', { action: 'me' }, wrongUser));
    expect(seen.member).toMatchObject({ id: p.memberId });
    expect(seen.certificates).toHaveLength(1);

    expect(ok(await admin({ action: 'findMember', idNumber: p.idNumber, name: '别人' }))).toEqual({ member: null });
    const found = ok(await admin({ action: 'findMember', idNumber: p.idNumber.toLowerCase(), name: '误绑人' })).member;
    expect(found).toMatchObject({ id: p.memberId, bound: true, openidMasked: 'wx-w****0001', unit: { id: 'unit-a' } });
    expect(found.idMasked).toMatch(/^\d{4}\*+/);
    expect(found.certificates).toHaveLength(1);

    const r = ok(await admin({ action: 'unbind', memberId: p.memberId, reason: '本人反映非其微信' }));
    expect(r).toEqual({ memberId: p.memberId, unboundOpenidMasked: 'wx-w****0001' });
    const after = ok(await sys.call('members', { action: 'me' }, wrongUser));
    expect(after.member).toBeNull();
    expect(after.certificates).toEqual([]);
    expect(ok(await admin({ action: 'findMember', idNumber: p.idNumber })).member).toMatchObject({ bound: false });
    const events = await auditOf(p.memberId);
    expect(events).toEqual([
      expect.objectContaining({
        targetType: 'member',
        action: 'unbind',
        actor: SECRETARIAT,
        role: 'secretariat',
        from: 'wx-w****0001',
        remark: expect.stringMatching(/本人反映非其微信/),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(wrongUser);

    expect(err(await admin({ action: 'unbind', memberId: p.memberId }))).toBe('CONFLICT');
    expect(err(await admin({ action: 'unbind', memberId: 'no-such-member' }))).toBe('NOT_FOUND');
    expect(ok(await admin({ action: 'findMember', idNumber: '110101199001011237' }))).toEqual({ member: null });
    expect(err(await admin({ action: 'unbind', memberId: p.memberId }, ASSOC))).toBe('FORBIDDEN');
  });
});

describe('bootstrap', () => {
  test('when a secretariat already exists (the demo world), then the bootstrap code is refused for anyone', async () => {
    for (const who of ['demo-newcomer', SECRETARIAT, ORG])
      expect(err(await admin({ action: 'bootstrap', code: newBootstrapCode() }, who))).toBe('CONFLICT');
    expect(err(await admin({ action: 'bootstrap', code: 'short' }, 'demo-newcomer'))).toBe('INVALID_INPUT');
    expect(err(await admin({ action: 'bootstrap', code: newBootstrapCode() }, ''))).toBe('UNAUTHENTICATED');
  });

  test('the code is case- and separator-insensitive, and only its own hash matches', () => {
    const code = newBootstrapCode();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeBootstrapCode(code.toLowerCase())).toBe(code.replace(/-/g, ''));
    expect(bootstrapMatches(code.toLowerCase().replace(/-/g, ' '), bootstrapHash(code))).toBe(true);
    expect(bootstrapMatches(code, bootstrapHash(newBootstrapCode()))).toBe(false);
    expect(bootstrapMatches(code, '')).toBe(false);
    expect(bootstrapMatches('', bootstrapHash(''))).toBe(false);
  });
});
