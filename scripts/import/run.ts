/**
 * The legacy import (SPEC §5 "Legacy import file"): read → check every row → match against what is
 * already stored → write in batches.
 *
 * Idempotent: records are matched by natural keys — a unit by 统一社会信用代码 (or its unique name), a
 * person by the keyed hash of the ID number, a certificate by its number — and new records get ids
 * derived from those keys. A second run of the same file finds everything stored and unchanged and
 * writes nothing. A corrected file updates what changed; the file wins for the fields it carries,
 * an empty cell never erases, memberships keep the later expiry per level, and what the file does
 * not carry (WeChat binding, photos, ID-card images, forms) is never touched.
 * A bad row is reported with its sheet, row and reason and left out; the good rows still load (or
 * nothing at all with --dry-run). A person's certificates are left out with the person.
 */
import { createHash } from 'crypto';
import type { MembershipLevel } from '../../typings/api';
import { protectId, idHash } from '../../cloudfunctions/infra/pii';
import { C } from '../../cloudfunctions/infra/schema';
import type { CertificateDoc, MemberDoc, UnitDoc } from '../../cloudfunctions/domain/model';
import { shanghaiDay } from '../../miniprogram/shared/dates';
import { normalizeIdNumber } from '../../miniprogram/shared/id-number';
import { readLegacyFile, SheetName, SourceRow } from './read';
import { CertRow, checkCert, checkPerson, checkUnit, PersonRow, UnitRow } from './validate';
import type { Db } from './target';

export interface Problem {
  sheet: SheetName;
  row: number;
  reason: string;
}

export interface SheetCounts {
  rows: number;
  bad: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportReport {
  file: string;
  dryRun: boolean;
  sheets: Record<SheetName, SheetCounts>;
  problems: Problem[];
  warnings: Problem[];
  ms: number;
}

export interface Progress {
  (phase: string, done: number, total?: number): void;
}

const BATCH = 500;
const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const counts = (): SheetCounts => ({ rows: 0, bad: 0, inserted: 0, updated: 0, unchanged: 0 });
/** A stable document id from a natural key (short, URL-safe, no personal data in clear). */
const keyId = (prefix: string, key: string) => `${prefix}-${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;

/** Documents whose `field` is one of `values`, in batches (every query index-served). */
async function findIn<T>(db: Db, coll: string, field: string, values: string[], fields?: Record<string, boolean>): Promise<T[]> {
  const _ = db.command;
  const out: T[] = [];
  for (const part of chunks([...new Set(values)], BATCH)) {
    let q = db.collection(coll).where({ [field]: _.in(part) });
    if (fields) q = q.field(fields);
    const r = await q.limit(1000).get();
    if (r.code) throw new Error(`${coll} 查询失败：${r.message}`);
    out.push(...(r.data as T[]));
  }
  return out;
}

type Change<T> = { id: string; set: Partial<T> };

/** The fields of `next` that differ from `cur` (deep, by JSON), skipping empty values in `next`. */
function diff<T extends object>(cur: T, next: Partial<T>): Partial<T> {
  const set: Partial<T> = {};
  for (const [k, v] of Object.entries(next) as [keyof T, unknown][]) {
    if (v === undefined || v === '' || v === null) continue;
    if (JSON.stringify(cur[k]) !== JSON.stringify(v)) (set as Record<keyof T, unknown>)[k] = v;
  }
  return set;
}

export async function runImport(opts: { file: string; db: Db; dryRun: boolean; now?: Date; progress?: Progress }): Promise<ImportReport> {
  const t0 = Date.now();
  const now = opts.now || new Date();
  const today = shanghaiDay(now);
  const db = opts.db;
  const _ = db.command;
  const progress: Progress = opts.progress || (() => undefined);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const sheets = { 单位: counts(), 人员: counts(), 证书: counts() } as Record<SheetName, SheetCounts>;
  const bad = (sheet: SheetName, row: number, reasons: string[]) => {
    sheets[sheet].bad++;
    for (const reason of reasons) problems.push({ sheet, row, reason });
  };

  // ---- read
  const file = await readLegacyFile(opts.file, (sheet, n) => progress(`读取${sheet}表`, n));
  for (const s of Object.keys(file) as SheetName[]) sheets[s].rows = file[s].length;

  // ---- units
  progress('检查单位', 0, file.单位.length);
  const orgs = ((await db.collection(C.orgs).where({ kind: 'service-org' }).limit(1000).get()).data || []) as { _id: string; name: string }[];
  const orgByName = new Map(orgs.map((o) => [o.name, o._id]));
  const unitRows: UnitRow[] = [];
  const seenCode = new Map<string, number>();
  const seenName = new Map<string, number>();
  for (const r of file.单位) {
    const c = checkUnit(r);
    if (!c.ok) {
      bad('单位', r.row, c.reasons);
      continue;
    }
    const u = c.value;
    const reasons: string[] = [];
    if (!orgByName.has(u.orgName)) reasons.push(`初审机构“${u.orgName}”不存在，请先在系统中创建`);
    if (seenCode.has(u.creditCode)) reasons.push(`统一社会信用代码与第${seenCode.get(u.creditCode)}行重复`);
    if (seenName.has(u.name)) reasons.push(`单位名称与第${seenName.get(u.name)}行重复`);
    if (reasons.length) {
      bad('单位', r.row, reasons);
      continue;
    }
    seenCode.set(u.creditCode, r.row);
    seenName.set(u.name, r.row);
    unitRows.push(u);
  }
  const storedByCode = new Map(
    (await findIn<UnitDoc>(db, C.units, 'creditCode', unitRows.map((u) => u.creditCode))).map((u) => [u.creditCode, u]),
  );
  const storedByName = new Map((await findIn<UnitDoc>(db, C.units, 'name', unitRows.map((u) => u.name))).map((u) => [u.name, u]));
  const unitInserts: UnitDoc[] = [];
  const unitUpdates: Change<UnitDoc>[] = [];
  /** Unit name → id, for the people: the file's good units, then stored units by name. */
  const unitIdByName = new Map<string, string>();
  for (const u of unitRows) {
    const stored = storedByCode.get(u.creditCode) || storedByName.get(u.name);
    const sameName = storedByName.get(u.name);
    if (sameName && stored && sameName._id !== stored._id) {
      bad('单位', u.row, [`单位名称“${u.name}”已被统一社会信用代码为${sameName.creditCode}的单位使用`]);
      continue;
    }
    const next: Omit<UnitDoc, '_id'> = {
      name: u.name,
      creditCode: u.creditCode,
      isMember: u.isMember,
      ...(u.memberUntil ? { memberUntil: u.memberUntil } : {}),
      orgId: orgByName.get(u.orgName) as string,
    };
    if (!stored) {
      const doc = { _id: keyId('u', u.creditCode), ...next };
      unitInserts.push(doc);
      unitIdByName.set(u.name, doc._id);
    } else {
      const set = diff(stored, next as Partial<UnitDoc>);
      if (Object.keys(set).length) unitUpdates.push({ id: stored._id, set });
      else sheets.单位.unchanged++;
      unitIdByName.set(u.name, stored._id);
    }
  }

  // ---- people
  progress('检查人员', 0, file.人员.length);
  const people: (PersonRow & { idHash: string })[] = [];
  const seenId = new Map<string, number>();
  file.人员.forEach((r: SourceRow, i: number) => {
    if (i % 5000 === 0) progress('检查人员', i, file.人员.length);
    const c = checkPerson(r, today);
    if (!c.ok) return bad('人员', r.row, c.reasons);
    for (const w of c.warnings) warnings.push({ sheet: '人员', row: r.row, reason: w });
    const p = c.value;
    if (seenId.has(p.idNumber)) return bad('人员', r.row, [`身份证号与第${seenId.get(p.idNumber)}行重复`]);
    seenId.set(p.idNumber, r.row);
    people.push({ ...p, idHash: idHash(p.idNumber) });
  });
  const badUnitNames = new Set(file.单位.map((r) => (r.cells['单位名称']?.text || '').trim()).filter((n) => n && !unitIdByName.has(n)));
  const unknownUnits = [...new Set(people.map((p) => p.unitName).filter((n) => n && !unitIdByName.has(n) && !badUnitNames.has(n)))];
  for (const u of await findIn<UnitDoc>(db, C.units, 'name', unknownUnits, { name: true })) unitIdByName.set(u.name, u._id);
  const storedMembers = new Map<string, MemberDoc>();
  for (const part of chunks(people, 5000)) {
    progress('比对已有人员', storedMembers.size, people.length);
    for (const m of await findIn<MemberDoc>(db, C.members, 'idHash', part.map((p) => p.idHash), { idCipher: false })) storedMembers.set(m.idHash, m);
  }
  const memberInserts: MemberDoc[] = [];
  const memberUpdates: Change<MemberDoc>[] = [];
  /** ID hash → member id and what a certificate copies from its holder. */
  const holders = new Map<string, { id: string; name: string; idMasked: string; unitId: string | null; unitName: string }>();
  const badPeople = new Map<string, number>();
  for (const p of people) {
    let unitId: string | null = null;
    if (p.unitName) {
      const id = unitIdByName.get(p.unitName);
      if (!id) {
        const why = badUnitNames.has(p.unitName) ? `工作单位“${p.unitName}”在单位表中有误，未能导入` : `工作单位“${p.unitName}”不存在（单位表和系统中都没有）`;
        bad('人员', p.row, [why]);
        badPeople.set(p.idHash, p.row);
        continue;
      }
      unitId = id;
    }
    const memberships: MemberDoc['memberships'] = [];
    const add = (level: MembershipLevel, until?: string) => until && memberships.push({ level, since: p.joinedOn || '', validUntil: until });
    add('ordinary', p.ordinaryUntil);
    add('professional', p.professionalUntil);
    const stored = storedMembers.get(p.idHash);
    if (!stored) {
      const doc: MemberDoc = {
        _id: keyId('m', p.idHash),
        name: p.name,
        gender: p.gender,
        idType: p.idType,
        ...protectId(p.idNumber),
        phone: p.phone,
        birthDate: p.birthDate,
        ...(p.education ? { education: p.education } : {}),
        ...(p.title ? { title: p.title } : {}),
        unitId,
        memberships,
        createdAt: now,
        updatedAt: now,
      };
      memberInserts.push(doc);
      holders.set(p.idHash, { id: doc._id, name: doc.name, idMasked: doc.idMasked, unitId, unitName: p.unitName });
      continue;
    }
    // Memberships: per level, the later expiry wins (the platform may already have renewed one).
    const merged = [...(stored.memberships || [])].map((m) => ({ ...m }));
    for (const m of memberships) {
      const cur = merged.find((x) => x.level === m.level);
      if (!cur) merged.push(m);
      else if (m.validUntil > cur.validUntil) Object.assign(cur, { validUntil: m.validUntil, since: cur.since || m.since });
    }
    const set = diff(stored, {
      name: p.name,
      gender: p.gender,
      phone: p.phone,
      birthDate: p.birthDate,
      education: p.education,
      title: p.title,
      ...(p.unitName ? { unitId } : {}),
      memberships: merged,
    } as Partial<MemberDoc>);
    if (Object.keys(set).length) memberUpdates.push({ id: stored._id, set: { ...set, updatedAt: now } });
    else sheets.人员.unchanged++;
    holders.set(p.idHash, { id: stored._id, name: p.name, idMasked: stored.idMasked, unitId: p.unitName ? unitId : stored.unitId, unitName: p.unitName });
  }

  // ---- certificates
  progress('检查证书', 0, file.证书.length);
  const certRows: (CertRow & { idHash: string })[] = [];
  const seenNo = new Map<string, number>();
  const fileRowOfId = new Map(file.人员.map((r) => [normalizeIdNumber(r.cells['身份证号']?.text || ''), r.row]));
  for (const r of file.证书) {
    const c = checkCert(r, today);
    if (!c.ok) {
      bad('证书', r.row, c.reasons);
      continue;
    }
    const cr = c.value;
    if (seenNo.has(cr.no)) {
      bad('证书', r.row, [`证书编号与第${seenNo.get(cr.no)}行重复`]);
      continue;
    }
    seenNo.set(cr.no, r.row);
    certRows.push({ ...cr, idHash: idHash(cr.idNumber) });
  }
  // Holders not in this file: people already stored.
  const outside = certRows.filter((c) => !holders.has(c.idHash) && !badPeople.has(c.idHash)).map((c) => c.idHash);
  const storedHolders = new Map((await findIn<MemberDoc>(db, C.members, 'idHash', outside, { name: true, idHash: true, idMasked: true, unitId: true })).map((m) => [m.idHash, m]));
  const unitNameById = new Map([...unitIdByName].map(([name, id]) => [id, name]));
  const missingUnitIds = [...new Set([...storedHolders.values()].map((m) => m.unitId).filter((id): id is string => !!id && !unitNameById.has(id)))];
  for (const u of await findIn<UnitDoc>(db, C.units, '_id', missingUnitIds, { name: true })) unitNameById.set(u._id, u.name);
  for (const m of storedHolders.values()) {
    holders.set(m.idHash, { id: m._id, name: m.name, idMasked: m.idMasked, unitId: m.unitId, unitName: m.unitId ? unitNameById.get(m.unitId) || '' : '' });
  }
  const storedCerts = new Map<string, CertificateDoc>();
  for (const part of chunks(certRows, 5000)) {
    progress('比对已有证书', storedCerts.size, certRows.length);
    for (const c of await findIn<CertificateDoc>(db, C.certificates, 'no', part.map((c) => c.no))) storedCerts.set(c.no, c);
  }
  const certInserts: CertificateDoc[] = [];
  const certUpdates: Change<CertificateDoc>[] = [];
  for (const c of certRows) {
    const holder = holders.get(c.idHash);
    if (!holder) {
      const personRow = badPeople.get(c.idHash) || fileRowOfId.get(c.idNumber);
      bad('证书', c.row, [personRow ? `持证人（人员表第${personRow}行）有误，未能导入` : '持证人不存在：人员表和系统中都没有该身份证号']);
      continue;
    }
    const next = {
      no: c.no,
      type: c.type,
      specialties: c.specialties,
      unitName: holder.unitName,
      unitId: holder.unitId,
      memberId: holder.id,
      holderName: holder.name,
      idHash: c.idHash,
      idMasked: holder.idMasked,
      firstIssuedOn: c.firstIssuedOn,
      ...(c.renewedOn ? { renewedOn: c.renewedOn } : {}),
      validUntil: c.validUntil,
      status: c.status,
    };
    const stored = storedCerts.get(c.no);
    if (!stored) {
      certInserts.push({ _id: keyId('c', c.no), ...next });
      continue;
    }
    if (stored.idHash !== c.idHash) {
      bad('证书', c.row, [`证书编号${c.no}已属于系统中的另一位持证人`]);
      continue;
    }
    const set = diff(stored, next as Partial<CertificateDoc>);
    // A certificate cancelled on the platform stays cancelled whatever an older export says.
    if (stored.status === 'cancelled') delete set.status;
    if (Object.keys(set).length) certUpdates.push({ id: stored._id, set });
    else sheets.证书.unchanged++;
  }

  // ---- write
  if (!opts.dryRun) {
    const write = async <T extends { _id: string }>(sheet: SheetName, coll: string, inserts: T[], updates: Change<T>[]) => {
      const total = inserts.length + updates.length;
      let done = 0;
      for (const part of chunks(inserts, BATCH)) {
        const r = await db.collection(coll).add(part);
        if (r.code) throw new Error(`${sheet}写入失败：${r.message}`);
        done += part.length;
        sheets[sheet].inserted += part.length;
        progress(`写入${sheet}`, done, total);
      }
      for (const u of updates) {
        const set: Record<string, unknown> = {};
        // Objects and arrays are replaced whole, not merged key by key.
        for (const [k, v] of Object.entries(u.set)) set[k] = v && typeof v === 'object' && !(v instanceof Date) ? _.set(v) : v;
        const r = await db.collection(coll).doc(u.id).update(set);
        if (r.code) throw new Error(`${sheet}更新失败：${r.message}`);
        sheets[sheet].updated++;
        if (++done % 100 === 0 || done === total) progress(`写入${sheet}`, done, total);
      }
    };
    await write('单位', C.units, unitInserts, unitUpdates);
    await write('人员', C.members, memberInserts, memberUpdates);
    await write('证书', C.certificates, certInserts, certUpdates);
  } else {
    sheets.单位.inserted = unitInserts.length;
    sheets.单位.updated = unitUpdates.length;
    sheets.人员.inserted = memberInserts.length;
    sheets.人员.updated = memberUpdates.length;
    sheets.证书.inserted = certInserts.length;
    sheets.证书.updated = certUpdates.length;
  }

  problems.sort((a, b) => ['单位', '人员', '证书'].indexOf(a.sheet) - ['单位', '人员', '证书'].indexOf(b.sheet) || a.row - b.row);
  return { file: opts.file, dryRun: opts.dryRun, sheets, problems, warnings, ms: Date.now() - t0 };
}
