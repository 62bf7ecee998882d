/**
 * Who the caller is, as `members.me` says (member record, applications, certificates, roles).
 * Cached for the life of the mini-program process; pages that change it call `invalidateMe()`.
 */
import type { FormStatus, ResOf, Role } from '../../typings/api';
import type { StageStatus } from '../shared/flow';
import { config } from './config';
import { call, DEV_OPENID_KEY } from './request';

export type Me = ResOf<'members', 'me'>;
export type RoleGrant = Me['roles'][number];

let cached: Promise<Me> | null = null;

/** `members.me`, once; `force` asks again. A failure is not cached. */
export function loadMe(force = false): Promise<Me> {
  if (!cached || force) {
    const p = call('members', 'me', {});
    cached = p;
    p.catch(() => {
      if (cached === p) cached = null;
    });
  }
  return cached;
}

export function invalidateMe(): void {
  cached = null;
}

/** Review stages each reviewer role works on (SPEC §3.1; shared/flow STAGE_ACTOR). */
export const ROLE_STAGES: Partial<Record<Role, StageStatus[]>> = {
  org_reviewer: ['org_review'],
  assoc_reviewer: ['assoc_review'],
  finance: ['finance_review'],
};

/** The review stages the caller may open, in pipeline order, without repeats. */
export function reviewStages(roles: RoleGrant[]): FormStatus[] {
  const order: StageStatus[] = ['org_review', 'assoc_review', 'finance_review'];
  const mine = new Set<StageStatus>();
  for (const r of roles) for (const s of ROLE_STAGES[r.role] || []) mine.add(s);
  return order.filter((s) => mine.has(s));
}

/** The caller's unit-admin grant, if any. */
export function unitAdminRole(roles: RoleGrant[]): RoleGrant | undefined {
  return roles.find((r) => r.role === 'unit_admin');
}

/** A develop build talking to the local server (`npm start`): the demo identity switcher is shown. */
export function isDevBuild(): boolean {
  if (config.cloudEnv) return false;
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion === 'develop';
  } catch (e) {
    return false;
  }
}

/** The demo identity the local server acts as (DEV_OPENID_KEY of request.ts). */
export function devOpenid(): string {
  try {
    return (wx.getStorageSync(DEV_OPENID_KEY) as string) || 'demo-newcomer';
  } catch (e) {
    return 'demo-newcomer';
  }
}

export function setDevOpenid(openid: string): void {
  wx.setStorageSync(DEV_OPENID_KEY, openid);
  invalidateMe();
}
