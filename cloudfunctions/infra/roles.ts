/** Role grants of a WeChat identity (SPEC §2.1) and the checks actions make against them. */
import type { Role } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { STAGE_ACTOR, StageStatus } from '../../miniprogram/shared/flow';
import type { Database } from './cloud';
import { C } from './schema';

export interface RoleGrant {
  _id?: string;
  openid: string;
  role: Role;
  /** unit id for unit_admin, organisation id for org_reviewer, '' otherwise */
  scopeId: string;
  /** main admin of the unit (unit_admin only) */
  main?: boolean;
}

export async function loadRoles(db: Database, openid: string): Promise<RoleGrant[]> {
  const r = await db.collection(C.roles).where({ openid }).limit(50).get();
  return r.data as RoleGrant[];
}

export function grantOf(roles: RoleGrant[], role: Role, scopeId?: string): RoleGrant | undefined {
  return roles.find((g) => g.role === role && (scopeId === undefined || g.scopeId === scopeId));
}

/** The unit a unit admin manages; FORBIDDEN for anyone else. */
export function adminUnitId(roles: RoleGrant[]): string {
  const g = grantOf(roles, 'unit_admin');
  if (!g) throw new AppError('FORBIDDEN', '只有单位管理员可以进行此操作。');
  return g.scopeId;
}

/** May these roles act at `stage` of a form of `unitId` / `orgId`? */
export function canActAt(roles: RoleGrant[], stage: StageStatus, form: { unitId: string; orgId: string }): boolean {
  const actor = STAGE_ACTOR[stage];
  const scopeId = actor.scope === 'unit' ? form.unitId : actor.scope === 'org' ? form.orgId : undefined;
  return !!grantOf(roles, actor.role, scopeId);
}
