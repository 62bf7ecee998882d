/** Members and certificates written straight into the local system's database, for scenarios. */
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import type { CertificateDoc, MemberDoc } from '../../cloudfunctions/domain/model';
import { protectId } from '../../cloudfunctions/infra/pii';
import { C } from '../../cloudfunctions/infra/schema';
import { validIdNumber } from './fixtures';

let seq = 0;

export interface NewMember {
  name?: string;
  unitId?: string;
  birthDate?: string;
  ordinaryUntil?: string | null;
  professionalUntil?: string;
  education?: MemberDoc['education'];
  title?: string;
  certs?: Partial<CertificateDoc>[];
}

/** Add a member (and certificates) of unit A by default; returns ids. */
export async function addMember(opts: NewMember = {}): Promise<{ memberId: string; certIds: string[]; idNumber: string }> {
  const db = database();
  const n = ++seq;
  const today = shanghaiDay();
  const birthDate = opts.birthDate || `19${70 + (n % 25)}-0${1 + (n % 9)}-1${n % 9}`;
  const idNumber = validIdNumber(birthDate, 'male', n % 100);
  const memberId = `m-${Date.now().toString(36)}-${n}`;
  const memberships: MemberDoc['memberships'] = [];
  if (opts.ordinaryUntil !== null) memberships.push({ level: 'ordinary', since: addYears(today, -1), validUntil: opts.ordinaryUntil || addYears(today, 2) });
  if (opts.professionalUntil) memberships.push({ level: 'professional', since: addYears(today, -1), validUntil: opts.professionalUntil });
  const stored = protectId(idNumber);
  const member: MemberDoc = {
    _id: memberId,
    name: opts.name || `测试${n}号`,
    gender: 'male',
    idType: 'resident',
    ...stored,
    phone: '13900000000',
    birthDate,
    education: opts.education || { level: 'bachelor', school: '示例大学', major: '土木工程', graduatedOn: '2005-07-01' },
    ...(opts.title ? { title: opts.title } : {}),
    unitId: opts.unitId || 'unit-a',
    memberships,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  await db.collection(C.members).add({ data: member });
  const certIds: string[] = [];
  for (const [i, c] of (opts.certs || []).entries()) {
    const id = `${memberId}-c${i}`;
    const doc: CertificateDoc = {
      _id: id,
      no: `T${Date.now().toString(36).toUpperCase()}${n}${i}`,
      type: '监理员',
      specialties: ['房屋建筑工程'],
      unitName: '示例监理有限公司',
      unitId: member.unitId,
      memberId,
      holderName: member.name,
      idHash: stored.idHash,
      idMasked: stored.idMasked,
      firstIssuedOn: addYears(today, -2),
      validUntil: addYears(today, 1),
      status: 'valid',
      ...c,
    };
    await db.collection(C.certificates).add({ data: doc });
    certIds.push(id);
  }
  return { memberId, certIds, idNumber };
}
