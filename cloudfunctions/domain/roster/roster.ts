/**
 * The unit roster (花名册): a unit admin's own people, narrowed by the roster filters (membership
 * type, title, education, lapsed, certificates, age, join date, name, hand-picked ids), each person
 * with their certificates. Used by the e-certificate batch and the Excel export, and written for the
 * roster screen to reuse: `rosterPages` streams bounded pages, so a 5k-person unit never sits in
 * memory at once.
 *
 * Every query starts with the unit (`members.unit_created`, `certificates.holder`), so nothing scans
 * a collection (SPEC §4 Scale). Certificates are joined per page; "has a certificate" and the join
 * date are decided after that read (a unit has thousands of people at most, so this stays bounded).
 */
import type { EducationLevel, MembershipLevel, RosterFilter } from '../../../typings/api';
import { addDays, addYears, isDay } from '../../../miniprogram/shared/dates';
import { AppError } from '../../../miniprogram/shared/errors';
import type { Database } from '../../infra/cloud';
import type { CertificateDoc, MemberDoc } from '../model';
import { C } from '../../infra/schema';
import { chunks } from '../../infra/store';
import { Check, DAY, escapeRe, FieldErrors, ID, specOf, v, withSpec } from '../../infra/validate';

/** A person as the roster shows them: no ciphertext, no ID-card images. */
export type RosterMember = Pick<
  MemberDoc,
  | '_id'
  | 'name'
  | 'gender'
  | 'idType'
  | 'idMasked'
  | 'phone'
  | 'birthDate'
  | 'education'
  | 'title'
  | 'photo'
  | 'unitId'
  | 'memberships'
  | 'createdAt'
>;

export interface RosterEntry {
  member: RosterMember;
  certs: CertificateDoc[];
}

/** Fields a roster read returns (projection): keeps `idCipher` and ID-card images out of the traffic. */
export const ROSTER_FIELDS = {
  name: true,
  gender: true,
  idType: true,
  idMasked: true,
  phone: true,
  birthDate: true,
  education: true,
  title: true,
  photo: true,
  unitId: true,
  memberships: true,
  createdAt: true,
};

const LEVELS: MembershipLevel[] = ['ordinary', 'professional'];
const EDUCATION: EducationLevel[] = ['secondary', 'college', 'bachelor', 'master', 'doctor'];

/** Hand-picked people: at most 1000 ids. */
const idList = v.list(ID, { max: 1000, label: '所选人员' });

const FILTER_SHAPE = v.object({
  level: v.optional(v.oneOf(LEVELS, '会员类型')),
  title: v.optional(v.string({ max: 30, label: '职称' })),
  education: v.optional(v.oneOf(EDUCATION, '学历')),
  lapsed: v.optional(v.bool('会籍是否过期')),
  /** 即将到期: a membership valid today that ends within 30 days (renew the selected people in one form). */
  expiring: v.optional(v.bool('会籍即将到期')),
  hasCertificate: v.optional(v.bool('是否持证')),
  certType: v.optional(v.string({ max: 30, label: '证书类型' })),
  ageMin: v.optional(v.int({ min: 0, max: 120, label: '最小年龄' })),
  ageMax: v.optional(v.int({ min: 0, max: 120, label: '最大年龄' })),
  joinedFrom: v.optional(DAY),
  joinedTo: v.optional(DAY),
  name: v.optional(v.string({ max: 30, label: '姓名' })),
  memberIds: v.optional(idList),
});

/** The input check for a `filter` field of an action: every key optional, each validated. */
export const ROSTER_FILTER: Check<RosterFilter> = withSpec((value, path, errors: FieldErrors) => {
  const f = FILTER_SHAPE(value, path, errors) as RosterFilter;
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const k of ['joinedFrom', 'joinedTo'] as const) if (f[k] && !isDay(f[k])) errors[at(k)] = '日期不正确';
  if (f.joinedFrom && f.joinedTo && f.joinedFrom > f.joinedTo) errors[at('joinedFrom')] = '开始日期不能晚于结束日期';
  if (f.ageMin !== undefined && f.ageMax !== undefined && f.ageMin > f.ageMax)
    errors[at('ageMin')] = '最小年龄不能大于最大年龄';
  return f;
}, specOf(FILTER_SHAPE));


/** The members query of a filter, as a list of conditions ANDed together (the unit first). */
export function rosterConditions(
  db: Database,
  unitId: string,
  f: RosterFilter,
  today: string,
): Record<string, unknown>[] {
  const _ = db.command;
  const conds: Record<string, unknown>[] = [{ unitId }];
  if (f.memberIds) conds.push({ _id: _.in(f.memberIds) });
  if (f.level) conds.push({ 'memberships.level': f.level });
  if (f.title) conds.push({ title: db.RegExp({ regexp: escapeRe(f.title), options: '' }) });
  if (f.education) conds.push({ 'education.level': f.education });
  if (f.name) conds.push({ name: db.RegExp({ regexp: `^${escapeRe(f.name)}`, options: '' }) });
  const validNow = { memberships: _.elemMatch({ validUntil: _.gte(today) }) };
  if (f.lapsed === false) conds.push(validNow);
  if (f.lapsed === true) conds.push(_.nor([validNow]));
  // 即将到期: one bound on the index here, the other after the read (one array element, two bounds).
  if (f.expiring) conds.push({ 'memberships.validUntil': _.gte(today) });
  // Age in full years today: ageMin ≤ age  ⇔  born on or before today − ageMin years;
  // age ≤ ageMax  ⇔  born after today − (ageMax + 1) years.
  if (f.ageMin !== undefined) conds.push({ birthDate: _.lte(addYears(today, -f.ageMin)) });
  if (f.ageMax !== undefined) conds.push({ birthDate: _.gt(addYears(today, -(f.ageMax + 1))) });
  // The join date (earliest membership start) is checked per page after the read: a range on one
  // array element needs `_.gte().and()` inside `_.elemMatch`, which the SDK does not serialise.
  return conds;
}

export function rosterWhere(db: Database, unitId: string, f: RosterFilter, today: string): unknown {
  const conds = rosterConditions(db, unitId, f, today);
  return conds.length === 1 ? conds[0] : db.command.and(conds);
}

/** Does this person pass the parts of the filter decided after the read (join date, certificates)? */
export function passesAfterRead(
  member: Pick<MemberDoc, 'memberships'>,
  certs: CertificateDoc[],
  f: RosterFilter,
  today?: string,
): boolean {
  if (f.expiring && today) {
    const limit = addDays(today, 30);
    if (!member.memberships.some((x) => x.validUntil >= today && x.validUntil <= limit)) return false;
  }
  if (f.joinedFrom || f.joinedTo) {
    const joined = joinedOn(member);
    if (!joined || (f.joinedFrom && joined < f.joinedFrom) || (f.joinedTo && joined > f.joinedTo)) return false;
  }
  if (f.hasCertificate === undefined && !f.certType) return true;
  const held = f.certType ? certs.filter((c) => c.type === f.certType) : certs;
  if (f.hasCertificate === false) return held.length === 0;
  return held.length > 0;
}

/** The certificates of these members (index `holder`), grouped by member id. */
export async function certsOf(db: Database, memberIds: string[]): Promise<Map<string, CertificateDoc[]>> {
  const _ = db.command;
  const out = new Map<string, CertificateDoc[]>(memberIds.map((id) => [id, []]));
  for (const ids of chunks(memberIds, 100)) {
    for (let skip = 0; ; skip += 1000) {
      const r = await db
        .collection(C.certificates)
        .where({ memberId: _.in(ids) })
        .orderBy('_id', 'asc')
        .skip(skip)
        .limit(1000)
        .get();
      const data = r.data as CertificateDoc[];
      for (const c of data) out.get(c.memberId)?.push(c);
      if (data.length < 1000) break;
    }
  }
  for (const list of out.values())
    list.sort((a, b) => a.firstIssuedOn.localeCompare(b.firstIssuedOn) || a.no.localeCompare(b.no));
  return out;
}

/**
 * The roster in pages of at most `pageSize` people (newest first), each with certificates,
 * certificate filters applied. Bounded memory: one page of people at a time.
 */
export async function* rosterPages(
  db: Database,
  unitId: string,
  f: RosterFilter,
  today: string,
  pageSize = 500,
): AsyncGenerator<RosterEntry[]> {
  if (!unitId) throw new AppError('FORBIDDEN', '只有单位管理员可以查看单位人员。');
  const where = rosterWhere(db, unitId, f, today);
  for (let skip = 0; ; skip += pageSize) {
    const r = await db
      .collection(C.members)
      .where(where)
      .field(ROSTER_FIELDS)
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'asc')
      .skip(skip)
      .limit(pageSize)
      .get();
    const members = r.data as RosterMember[];
    if (members.length) {
      const certs = await certsOf(
        db,
        members.map((m) => m._id),
      );
      const page = members
        .map((member) => ({ member, certs: certs.get(member._id) || [] }))
        .filter((e) => passesAfterRead(e.member, e.certs, f, today));
      if (page.length) yield page;
    }
    if (members.length < pageSize) return;
  }
}

/** Membership valid on `today` (any level). */
export function hasValidMembership(m: Pick<MemberDoc, 'memberships'>, today: string): boolean {
  return (m.memberships || []).some((x) => x.validUntil >= today);
}

/** The earliest membership start (入会日期), or ''. */
export function joinedOn(m: Pick<MemberDoc, 'memberships'>): string {
  const days = (m.memberships || [])
    .map((x) => x.since)
    .filter(Boolean)
    .sort();
  return days[0] || '';
}

/**
 * How many of a unit's people hold a membership valid today that ends within 30 days (the roster's
 * 即将到期, counted for the home page): the range on the index, the one-element check after the read.
 */
export async function countExpiring(db: Database, unitId: string, today: string): Promise<number> {
  const _ = db.command;
  const limit = addDays(today, 30);
  let n = 0;
  for (let skip = 0; ; skip += 1000) {
    const r = await db
      .collection(C.members)
      .where({ unitId, 'memberships.validUntil': _.gte(today).and(_.lte(limit)) })
      .field({ memberships: true })
      .orderBy('_id', 'asc')
      .skip(skip)
      .limit(1000)
      .get();
    const data = r.data as Pick<MemberDoc, 'memberships'>[];
    n += data.filter((m) => passesAfterRead(m, [], { expiring: true }, today)).length;
    if (data.length < 1000) return n;
  }
}
