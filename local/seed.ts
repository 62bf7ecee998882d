/**
 * The demo world (SPEC §5 "Local server"), seeded on an empty data directory through the same SDK
 * the functions use: the association, one service organisation, a member unit (A) and a non-member
 * unit (B), the reviewer and admin identities, and one member holding a valid 监理员 certificate.
 */
import { addMonths, addYears, shanghaiDay } from '../miniprogram/shared/dates';
import { creditCodeCheckChar } from '../miniprogram/shared/credit-code';
import { residentCheckChar } from '../miniprogram/shared/id-number';
import type { Database } from '../cloudfunctions/infra/cloud';
import type { CertificateDoc, MemberDoc, UnitDoc } from '../cloudfunctions/domain/model';
import { protectId } from '../cloudfunctions/infra/pii';
import type { RoleGrant } from '../cloudfunctions/infra/roles';
import { C } from '../cloudfunctions/infra/schema';
import { DEFAULT_SETTINGS } from '../cloudfunctions/infra/settings';
import { DEMO_IDENTITIES } from '../miniprogram/shared/demo';
import { PROFILES } from '../miniprogram/shared/association';

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

export async function seedDemo(db: Database, now = new Date(), profile = 'construction'): Promise<void> {
  const today = shanghaiDay(now);
  const year = today.slice(0, 4);
  const equipment = profile === 'equipment';
  await db.collection(C.config).add({ data: { _id: 'defaults', ...DEFAULT_SETTINGS, updatedAt: now } });
  await db.collection(C.orgs).add({ data: { _id: DEMO.associationId, kind: 'association', name: equipment ? `${PROFILES.equipment.name}（演示）` : '示例省建设监理协会' } });
  await db.collection(C.orgs).add({ data: { _id: DEMO.orgId, kind: 'service-org', name: equipment ? '登记初审组' : '示例市建设监理行业协会', parentId: DEMO.associationId } });
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
  if (equipment) return seedHolders(db, today, now);

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

/**
 * The equipment association's holders (issue 12): `demo-holder-ready` holds a valid 专业知识培训合格证书
 * with its 20 hours done inside the registration's validity; `demo-holder-short` a valid
 * 总监理工程师培训合格证书 with 12 of 20 hours.
 */
async function seedHolders(db: Database, today: string, now: Date): Promise<void> {
  const year = today.slice(0, 4);
  const holders = [
    { openid: 'demo-holder-ready', name: '王设备', body: '11010519850412301', born: '1985-04-12', unitId: DEMO.unitA, unitName: '示例监理有限公司', type: '专业知识培训合格证书', prefix: 'SBZS', hours: [8, 8, 4] },
    { openid: 'demo-holder-short', name: '赵监理', body: '31010419790823402', born: '1979-08-23', unitId: DEMO.unitB, unitName: '示例工程咨询有限公司', type: '总监理工程师培训合格证书', prefix: 'SBZJ', hours: [8, 4] },
  ];
  let seq = 1;
  for (const h of holders) {
    const idNumber = h.body + residentCheckChar(h.body);
    const memberId = `member-${h.openid}`;
    const validUntil = addMonths(today, 8);
    const firstIssuedOn = addYears(validUntil, -3);
    const member: MemberDoc = {
      _id: memberId,
      name: h.name,
      gender: Number(h.body[16]) % 2 ? 'male' : 'female',
      idType: 'resident',
      ...protectId(idNumber),
      phone: `1390000000${seq}`,
      birthDate: h.born,
      address: '示例省示例市示例路8号',
      title: '高级工程师',
      unitId: h.unitId,
      openid: h.openid,
      memberships: [],
      createdAt: now,
      updatedAt: now,
    };
    await db.collection(C.members).add({ data: member });
    await db.collection(C.bindings).doc(h.openid).set({ data: { memberId, at: now } });
    const cert: CertificateDoc = {
      _id: `cert-${h.openid}`,
      no: `${h.prefix}${year}${String(seq).padStart(6, '0')}`,
      type: h.type,
      specialties: [],
      unitName: h.unitName,
      unitId: h.unitId,
      memberId,
      holderName: h.name,
      idHash: member.idHash,
      idMasked: member.idMasked,
      firstIssuedOn,
      validUntil,
      status: 'valid',
    };
    await db.collection(C.certificates).add({ data: cert });
    let day = addMonths(firstIssuedOn, 6);
    for (const [i, hours] of h.hours.entries()) {
      await db.collection(C.learning).add({ data: { memberId, hours, course: `设备监理继续教育课程${i + 1}`, finishedOn: day, source: 'demo', createdAt: now } });
      day = addMonths(day, 5);
    }
    seq++;
  }
}
