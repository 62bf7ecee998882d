/**
 * 找不到单位 (issue 12, seed 000 §4.1: "变更后工作单位如不在列表，请点击“找不到单位”"): a holder asks for
 * their employer to be added; the secretariat approves it (a new unit), merges it into a unit that
 * already exists under another spelling, or refuses it with a reason. The requester hears the outcome.
 */
import type { UnitRequestView } from '../../../typings/api';
import { shanghaiIso } from '../../../miniprogram/shared/dates';

export interface UnitRequestDoc {
  _id: string;
  name: string;
  creditCode: string;
  contact?: string;
  openid: string;
  status: UnitRequestView['status'];
  unitId?: string;
  unitName?: string;
  reason?: string;
  createdAt: Date;
  decidedAt?: Date;
  decidedBy?: string;
}

export function unitRequestView(r: UnitRequestDoc): UnitRequestView {
  return {
    id: r._id,
    name: r.name,
    creditCode: r.creditCode,
    ...(r.contact ? { contact: r.contact } : {}),
    status: r.status,
    ...(r.unitId ? { unit: { id: r.unitId, name: r.unitName || '' } } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    createdAt: shanghaiIso(new Date(r.createdAt)),
  };
}
