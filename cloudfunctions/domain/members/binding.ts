/**
 * One WeChat user ↔ at most one member record (issue 9), enforced by the database: each binding
 * is a `bindings` document whose id is the OPENID, written in the same transaction as the member's
 * `openid`. Two bindings of one OPENID cannot both commit (the second finds the first, or conflicts
 * with it and finds it on retry), so no interleaving binds one WeChat to two records.
 */
import { AppError } from '../../../miniprogram/shared/errors';
import { C } from '../../infra/schema';
import { getDoc, Tx } from '../../infra/store';

export interface BindingDoc {
  _id: string;
  memberId: string;
  at: Date;
}

/** Bind `openid` to `memberId` inside a transaction; CONFLICT when it is bound to another record. */
export async function bindOpenid(t: Tx, openid: string, memberId: string, now: Date): Promise<void> {
  const cur = await getDoc<BindingDoc>(t, C.bindings, openid);
  if (cur && cur.memberId !== memberId) throw new AppError('CONFLICT', '该微信已绑定另一条会员记录，一个微信只能绑定一名会员。');
  if (!cur) await t.collection(C.bindings).doc(openid).set({ data: { memberId, at: now } });
}

/** Release a binding (unbind, or the record bound elsewhere), inside a transaction. */
export async function releaseOpenid(t: Tx, openid: string, memberId: string): Promise<void> {
  const cur = await getDoc<BindingDoc>(t, C.bindings, openid);
  if (cur && cur.memberId === memberId) await t.collection(C.bindings).doc(openid).remove();
}
