/** Reading forms: who may see which, list queries served by indexes, paging and status counts. */
import type { FormStatus, FormSummary, Role } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { FORM_STATUS_LABEL, FORM_STATUSES } from '../../../miniprogram/shared/labels';
import { FLOWS, STAGE_ACTOR, StageStatus } from '../../../miniprogram/shared/flow';
import { addDays, shanghaiDayStart } from '../../../miniprogram/shared/dates';
import type { Database } from '../../infra/cloud';
import { BillDoc, FormDoc, formSummary, SUMMARY_FIELDS } from '../model';
import { idHash } from '../../infra/pii';
import { canActAt, grantOf, RoleGrant } from '../../infra/roles';
import { C } from '../../infra/schema';
import { mustGet, pageOf } from '../../infra/store';

/**
 * The capacities in which a caller may see a form. `person` is a member named on a business form
 * their unit started: they see only their own entry (issue 9), never a co-worker's.
 */
export type Party =
  | 'applicant'
  | 'person'
  | 'unit_admin'
  | 'org_reviewer'
  | 'assoc_reviewer'
  | 'finance'
  | 'secretariat';

/** The capacities in which `openid` may see `form` (empty: none); `person` is added by loadVisibleForm. */
export function partiesOf(form: FormDoc, openid: string, roles: RoleGrant[]): Party[] {
  const out: Party[] = [];
  if (form.applicantOpenid && form.applicantOpenid === openid) out.push('applicant');
  if (grantOf(roles, 'unit_admin', form.unitId)) out.push('unit_admin');
  if (grantOf(roles, 'org_reviewer', form.orgId)) out.push('org_reviewer');
  for (const r of ['assoc_reviewer', 'finance', 'secretariat'] as const) if (grantOf(roles, r)) out.push(r);
  return out;
}

/** The member record bound to a WeChat user, or null. */
export async function memberOfOpenid(db: Database, openid: string): Promise<{ _id: string } | null> {
  if (!openid) return null;
  const r = await db.collection(C.members).where({ openid }).limit(1).get();
  return (r.data[0] as { _id: string } | undefined) || null;
}

export interface VisibleForm {
  form: FormDoc;
  parties: Party[];
  /** The caller's index in `form.people` when they see it as a named person. */
  personIndex?: number;
}

/** Load a form the caller is a party of; FORBIDDEN otherwise. */
export async function loadVisibleForm(db: Database, formId: string, openid: string, roles: RoleGrant[]): Promise<VisibleForm> {
  const form = await mustGet<FormDoc>(db, C.forms, formId, '表单');
  const parties = partiesOf(form, openid, roles);
  let personIndex: number | undefined;
  // A person named on a business form their unit started sees it too — their own entry only.
  if (form.memberIds?.length && openid) {
    const me = await memberOfOpenid(db, openid);
    const i = me ? form.memberIds.indexOf(me._id) : -1;
    if (i >= 0) {
      personIndex = i;
      if (!parties.length) parties.push('person');
    }
  }
  if (!parties.length) throw new AppError('FORBIDDEN', '您无权查看该表单。');
  return { form, parties, ...(personIndex !== undefined ? { personIndex } : {}) };
}

/** Only a named person, with no wider capacity: the narrow view. */
export function onlyPerson(v: VisibleForm): boolean {
  return v.parties.length === 1 && v.parties[0] === 'person';
}

export async function billsOf(db: Database, form: Pick<FormDoc, '_id' | 'billIds'>): Promise<BillDoc[]> {
  if (!form.billIds?.length) return [];
  const r = await db.collection(C.bills).where({ formId: form._id }).limit(100).get();
  return r.data as BillDoc[];
}

/** The widest list scope the caller's roles give (or `as`, when they hold it). */
export function listScope(openid: string, roles: RoleGrant[], as?: Role): Record<string, unknown> {
  const pick = (role: Role) => (!as || as === role) && grantOf(roles, role);
  for (const r of ['secretariat', 'assoc_reviewer', 'finance'] as const) if (pick(r)) return {};
  const org = pick('org_reviewer');
  if (org) return { orgId: org.scopeId };
  const unit = pick('unit_admin');
  if (unit) return { unitId: unit.scopeId };
  if (as && as !== 'member') throw new AppError('FORBIDDEN');
  return { applicantOpenid: openid };
}

/** The stages a caller may act on, with the scope each implies. */
export function actableStages(roles: RoleGrant[]): { stage: StageStatus; where: Record<string, unknown> }[] {
  const out: { stage: StageStatus; where: Record<string, unknown> }[] = [];
  for (const stage of Object.keys(STAGE_ACTOR) as StageStatus[]) {
    const actor = STAGE_ACTOR[stage];
    const g = grantOf(roles, actor.role);
    if (!g) continue;
    out.push({
      stage,
      where: actor.scope === 'unit' ? { unitId: g.scopeId } : actor.scope === 'org' ? { orgId: g.scopeId } : {},
    });
  }
  return out;
}

export interface ListFilter {
  type?: string;
  name?: string;
  idNumber?: string;
  from?: string;
  to?: string;
}

/** Build the filter part of a list query (everything but status and scope). */
export function filterWhere(db: Database, f: ListFilter): Record<string, unknown> {
  const _ = db.command;
  const where: Record<string, unknown> = {};
  if (f.type) where.type = f.type;
  if (f.name) where.personNames = f.name;
  if (f.idNumber) where.personHashes = idHash(f.idNumber);
  if (f.from && f.to) where.createdAt = _.gte(shanghaiDayStart(f.from)).and(_.lt(shanghaiDayStart(addDays(f.to, 1))));
  else if (f.from) where.createdAt = _.gte(shanghaiDayStart(f.from));
  else if (f.to) where.createdAt = _.lt(shanghaiDayStart(addDays(f.to, 1)));
  return where;
}

/** One page of summaries, newest first. */
export async function pageForms(
  db: Database,
  where: Record<string, unknown>,
  page: number,
  pageSize: number,
): Promise<{ items: FormSummary[]; total: number }> {
  const { docs, total } = await pageOf<FormDoc>(db, C.forms, where, { page, pageSize, field: SUMMARY_FIELDS });
  return { items: docs.map(formSummary), total };
}

/** Counts per status under a scope and filter: one indexed count per status. */
export async function countByStatus(
  db: Database,
  where: Record<string, unknown>,
  statuses: FormStatus[] = FORM_STATUSES,
): Promise<Record<FormStatus, number>> {
  const coll = db.collection(C.forms);
  const totals = await Promise.all(statuses.map((status) => coll.where({ ...where, status }).count()));
  const out = Object.fromEntries(FORM_STATUSES.map((s) => [s, 0])) as Record<FormStatus, number>;
  statuses.forEach((s, i) => (out[s] = totals[i].total as number));
  return out;
}

/**
 * The stage the caller acts at now. When the form has moved past what the caller saw (another
 * reviewer acted first, or `version` differs), CONFLICT; when the caller has no part in this
 * form's pipeline at all, FORBIDDEN.
 */
export function requireActor(
  form: FormDoc,
  roles: RoleGrant[],
  stages: readonly StageStatus[],
  version?: number,
): StageStatus {
  const flow = FLOWS[form.type];
  const mine = flow.filter((s) => stages.includes(s) && canActAt(roles, s, form));
  if (!mine.length) throw new AppError('FORBIDDEN', '您不是该表单当前环节的处理人。');
  const now = form.status as StageStatus;
  // Not yet at the caller's stage: acting early is not theirs to do.
  const at = flow.indexOf(now);
  if (at >= 0 && at < flow.indexOf(mine[0])) throw new AppError('FORBIDDEN', '该表单尚未到您负责的审核环节。');
  if (!mine.includes(now) || (version !== undefined && version !== form.version)) {
    throw new AppError(
      'CONFLICT',
      `该表单已是“${FORM_STATUS_LABEL[form.status]}”状态，可能已被他人处理，请刷新后查看。`,
    );
  }
  return now;
}
