/**
 * The demo world (SPEC §5 "Local server"), seeded on an empty data directory through the same SDK
 * the functions use: the association, one service organisation, a member unit (A) and a non-member
 * unit (B), the reviewer and admin identities, and one member holding a valid 监理员 certificate.
 */
import { addYears, shanghaiDay } from '../miniprogram/shared/dates';
import { creditCodeCheckChar } from '../miniprogram/shared/credit-code';
import { residentCheckChar } from '../miniprogram/shared/id-number';
import type { Database } from '../cloudfunctions/infra/cloud';
import type { CertificateDoc, MemberDoc, UnitDoc } from '../cloudfunctions/domain/model';
import { protectId } from '../cloudfunctions/infra/pii';
import type { RoleGrant } from '../cloudfunctions/infra/roles';
import { C } from '../cloudfunctions/infra/schema';
import { DEFAULT_SETTINGS } from '../cloudfunctions/infra/settings';
import { DEMO_IDENTITIES } from '../miniprogram/shared/demo';

export { DEMO_IDENTITIES };

export const DEMO = {
  associationId: 'assoc',
  orgId: 'org-demo',
  unitA: 'unit-a',
  unitB: 'unit-b',
  member1: 'member-demo-1',
};

const withCheck = (body: string) => body + creditCodeCheckChar(body);

/** Is the database empty (no units yet)? */
export async function isEmpty(db: Database): Promise<boolean> {
  const r = await db.collection(C.units).where({ orgId: DEMO.orgId }).limit(1).get();
  const any = await db.collection(C.orgs).where({ kind: 'association' }).limit(1).get();
  return r.data.length === 0 && any.data.length === 0;
}

export async function seedDemo(db: Database, now = new Date()): Promise<void> {
  const today = shanghaiDay(now);
  const year = today.slice(0, 4);
  await db.collection(C.config).add({ data: { _id: 'defaults', ...DEFAULT_SETTINGS, updatedAt: now } });
  await db.collection(C.orgs).add({ data: { _id: DEMO.associationId, kind: 'association', name: '示例省建设监理协会' } });
  await db.collection(C.orgs).add({ data: { _id: DEMO.orgId, kind: 'service-org', name: '示例市建设监理行业协会', parentId: DEMO.associationId } });
  const units: UnitDoc[] = [
    { _id: DEMO.unitA, name: '示例监理有限公司', creditCode: withCheck('91440101MA59ABCD1'), isMember: true, memberUntil: `${year}-12-31`, orgId: DEMO.orgId },
    { _id: DEMO.unitB, name: '示例工程咨询有限公司', creditCode: withCheck('91440101MA59EFGH2'), isMember: false, orgId: DEMO.orgId },
  ];
  for (const u of units) await db.collection(C.units).add({ data: u });
  const roles: RoleGrant[] = [
    { openid: 'demo-secretariat', role: 'secretariat', scopeId: '' },
    { openid: 'demo-org-reviewer', role: 'org_reviewer', scopeId: DEMO.orgId },
    { openid: 'demo-assoc-reviewer', role: 'assoc_reviewer', scopeId: '' },
    { openid: 'demo-finance', role: 'finance', scopeId: '' },
    { openid: 'demo-unit-a-admin', role: 'unit_admin', scopeId: DEMO.unitA, main: true },
    { openid: 'demo-unit-b-admin', role: 'unit_admin', scopeId: DEMO.unitB, main: true },
  ];
  for (const r of roles) await db.collection(C.roles).add({ data: { ...r, grantedBy: 'seed', grantedAt: now } });

  // A mainland ID number that passes GB 11643 (born 1988-03-15, male).
  const idNumber = '44010619880315123' + residentCheckChar('44010619880315123');
  const joined = addYears(today, -1);
  const member: MemberDoc = {
    _id: DEMO.member1,
    name: '李建国',
    gender: 'male',
    idType: 'resident',
    ...protectId(idNumber),
    phone: '13800138001',
    birthDate: '1988-03-15',
    address: '示例省示例市示例路1号',
    education: { level: 'bachelor', school: '示例理工大学', major: '土木工程', graduatedOn: '2010-07-01' },
    title: '工程师',
    unitId: DEMO.unitA,
    openid: 'demo-member-1',
    memberships: [{ level: 'ordinary', since: joined, validUntil: addYears(joined, DEFAULT_SETTINGS.ordinaryMembershipYears) }],
    createdAt: now,
    updatedAt: now,
  };
  await db.collection(C.members).add({ data: member });
  await db.collection(C.bindings).doc('demo-member-1').set({ data: { memberId: DEMO.member1, at: now } });
  const cert: CertificateDoc = {
    _id: 'cert-demo-1',
    no: `JLY${year}000001`,
    type: '监理员',
    specialties: ['房屋建筑工程'],
    unitName: '示例监理有限公司',
    unitId: DEMO.unitA,
    memberId: DEMO.member1,
    holderName: member.name,
    idHash: member.idHash,
    idMasked: member.idMasked,
    firstIssuedOn: joined,
    validUntil: addYears(joined, 3),
    status: 'valid',
  };
  await db.collection(C.certificates).add({ data: cert });
}
