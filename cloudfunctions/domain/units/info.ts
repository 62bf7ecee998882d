/**
 * A unit's details (SPEC §2 Unit): the checks every write of them makes — a valid unified social
 * credit code (GB 32100), a name and a credit code no other unit has — and the view of a unit.
 * Used by `units` (information changes through review) and `admin` (the secretariat's own edits).
 */
import type { UnitFields, UnitView } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { checkCreditCode, normalizeCreditCode } from '../../../miniprogram/shared/credit-code';
import type { Database } from '../../infra/cloud';
import type { UnitDoc } from '../model';
import { C } from '../../infra/schema';
import { FieldErrors, v } from '../../infra/validate';

/** The editable fields, in the order a change lists them. */
export const UNIT_FIELDS = ['name', 'creditCode', 'address', 'legalRep', 'contactName', 'contactPhone'] as const;

export const UNIT_FIELD_LABEL: Record<(typeof UNIT_FIELDS)[number], string> = {
  name: '单位名称',
  creditCode: '统一社会信用代码',
  address: '单位地址',
  legalRep: '法定代表人',
  contactName: '联系人',
  contactPhone: '联系电话',
};

/** Input checks for each field (all optional: a change names only what changes). */
export const UNIT_FIELD_CHECKS = {
  name: v.optional(v.string({ min: 4, max: 60, label: '单位名称' })),
  // Checked for 18 characters after cleaning (spaces, dashes, full-width), like ID numbers.
  creditCode: v.optional(v.string({ min: 18, max: 40, label: '统一社会信用代码' })),
  address: v.optional(v.string({ min: 2, max: 100, label: '单位地址' })),
  legalRep: v.optional(v.string({ min: 2, max: 30, label: '法定代表人' })),
  contactName: v.optional(v.string({ min: 2, max: 30, label: '联系人' })),
  contactPhone: v.optional(v.string({ min: 7, max: 20, pattern: /^[0-9+\-\s]+$/, label: '联系电话' })),
};

/**
 * One spelling per name: whitespace dropped and ASCII parentheses made full-width, so
 * `示例(广东)有限公司` and `示例（广东）有限公司` cannot be registered as two units.
 */
export function normalizeUnitName(name: string): string {
  return String(name || '')
    .replace(/\s+/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
}

/** Normalise the given fields and check the credit code's format and check character. */
export function cleanUnitFields(input: UnitFields): UnitFields {
  const out: UnitFields = {};
  const errors: FieldErrors = {};
  for (const k of UNIT_FIELDS) {
    const raw = input[k];
    if (raw === undefined) continue;
    out[k] = String(raw).trim();
  }
  if (out.name !== undefined) out.name = normalizeUnitName(out.name);
  if (out.creditCode !== undefined) {
    out.creditCode = normalizeCreditCode(out.creditCode);
    const problem = checkCreditCode(out.creditCode);
    if (problem) errors.creditCode = problem;
  }
  const keys = Object.keys(errors);
  if (keys.length) throw new AppError('INVALID_INPUT', errors[keys[0]], errors);
  return out;
}

/** DUPLICATE when another unit already has this name or credit code (both unique-index lookups). */
export async function assertUnitUnique(db: Database, fields: UnitFields, exceptUnitId?: string): Promise<void> {
  const errors: FieldErrors = {};
  const [byName, byCode] = await Promise.all([
    fields.name ? db.collection(C.units).where({ name: fields.name }).limit(1).get() : { data: [] },
    fields.creditCode ? db.collection(C.units).where({ creditCode: fields.creditCode }).limit(1).get() : { data: [] },
  ]);
  const other = (r: { data: UnitDoc[] }) => r.data.some((u) => u._id !== exceptUnitId);
  if (other(byName)) errors.name = `单位名称“${fields.name}”已被其他单位使用`;
  if (other(byCode)) errors.creditCode = '该统一社会信用代码已被其他单位使用';
  const keys = Object.keys(errors);
  if (keys.length) throw new AppError('DUPLICATE', `${errors[keys[0]]}，请核对。`, errors);
}

/** The fields of `change` that differ from the unit's current values. */
export function changedFields(unit: UnitDoc, change: UnitFields): UnitFields {
  const out: UnitFields = {};
  for (const k of UNIT_FIELDS) if (change[k] !== undefined && change[k] !== (unit[k] || '')) out[k] = change[k];
  return out;
}

/** The unit's current values of the fields named in `change`. */
export function currentFields(unit: UnitDoc, change: UnitFields): UnitFields {
  const out: UnitFields = {};
  for (const k of UNIT_FIELDS) if (change[k] !== undefined) out[k] = unit[k] || '';
  return out;
}

/** "单位名称：甲 → 乙；…" for trails and audit remarks. */
export function describeChange(before: UnitFields, after: UnitFields): string {
  return UNIT_FIELDS.filter((k) => after[k] !== undefined)
    .map((k) => `${UNIT_FIELD_LABEL[k]}：${before[k] || '（空）'} → ${after[k]}`)
    .join('；');
}

/** Unit membership valid today (SPEC §2.2: to the end of the calendar year it was paid for). */
export function membershipActive(unit: Pick<UnitDoc, 'isMember' | 'memberUntil'>, today: string): boolean {
  return !!unit.isMember && !!unit.memberUntil && unit.memberUntil >= today;
}

export function unitView(unit: UnitDoc, orgName: string, today: string): UnitView {
  return {
    id: unit._id,
    name: unit.name,
    creditCode: unit.creditCode,
    isMember: !!unit.isMember,
    memberActive: membershipActive(unit, today),
    ...(unit.memberUntil ? { memberUntil: unit.memberUntil } : {}),
    ...(unit.memberSince ? { memberSince: unit.memberSince } : {}),
    org: { id: unit.orgId, name: orgName },
    ...(unit.address ? { address: unit.address } : {}),
    ...(unit.legalRep ? { legalRep: unit.legalRep } : {}),
    ...(unit.contactName ? { contactName: unit.contactName } : {}),
    ...(unit.contactPhone ? { contactPhone: unit.contactPhone } : {}),
  };
}

/** The `name` of these documents by id, in one read (a page's worth: at most 100 distinct ids). */
export async function namesById(db: Database, coll: typeof C.orgs | typeof C.units, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map();
  const r = await db.collection(coll).where({ _id: db.command.in(unique) }).field({ name: true }).limit(unique.length).get();
  return new Map((r.data as { _id: string; name: string }[]).map((d) => [d._id, d.name]));
}

/** Organisation names by id, for views of several units or grants. */
export function orgNames(db: Database, ids: string[]): Promise<Map<string, string>> {
  return namesById(db, C.orgs, ids);
}
