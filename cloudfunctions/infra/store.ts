/**
 * Data-access helpers shared by the functions: transactions, single-document reads that tolerate
 * absence, the audit log and ids.
 */
import { randomUUID } from 'crypto';
import type { FormStatus, Role } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import type { Database } from './cloud';
import { C, CollectionName } from './schema';

/** The transaction object the SDK hands to `runTransaction` callbacks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tx = any;

/** How many times a conflicted transaction is run again before the caller hears CONFLICT. */
export const TX_ROUNDS = 10;

/**
 * Is this the cloud telling a transaction it conflicted with another? Two shapes (shared/NOTES.md):
 * at commit, `code: 'DATABASE_TRANSACTION_CONFLICT'` (the SDK already retried those); at a write
 * inside the transaction, wx-server-sdk's `errCode -501001` with the server's
 * `[ResourceUnavailable.TransactionConflict]` message and no `.code` — which the SDK does not retry.
 */
export function isTxConflict(e: unknown): boolean {
  const x = e as { code?: unknown; errCode?: unknown; message?: unknown; errMsg?: unknown } | null;
  if (!x) return false;
  if (x.code === 'DATABASE_TRANSACTION_CONFLICT' || x.errCode === 'DATABASE_TRANSACTION_CONFLICT') return true;
  const text = `${x.message ?? ''} ${x.errMsg ?? ''}`;
  return (x.errCode === -501001 || x.errCode === '-501001') && /TransactionConflict|Transaction is conflict/i.test(text);
}

/**
 * Run `fn` in a CloudBase transaction, again on a conflict — whichever shape the cloud gives it —
 * with a growing, jittered pause (a day's form counter is busy), until TX_ROUNDS are spent: then
 * CONFLICT. Any other error rolls back and propagates.
 */
export async function inTransaction<T>(db: Database, fn: (t: Tx) => Promise<T>): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await db.runTransaction(fn);
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (!isTxConflict(e)) throw e;
      if (round >= TX_ROUNDS - 1) throw new AppError('CONFLICT');
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 15 * 2 ** Math.min(round, 5)));
    }
  }
}

/** Read one document by id inside or outside a transaction; null when absent. */
export async function getDoc<T>(dbOrTx: Database | Tx, coll: CollectionName, id: string): Promise<T | null> {
  const r = await dbOrTx.collection(coll).doc(id).get();
  const data = r?.data;
  if (!data || (Array.isArray(data) && data.length === 0)) return null;
  return (Array.isArray(data) ? data[0] : data) as T;
}

/**
 * One page of a collection, newest first by `orderBy`, and the query's total: the two reads every
 * paged list makes (one indexed query, one count). `field` keeps the answer to the fields a list shows.
 */
export async function pageOf<T>(
  db: Database,
  coll: CollectionName,
  where: Record<string, unknown>,
  opts: { page: number; pageSize: number; orderBy?: string; field?: Record<string, boolean> },
): Promise<{ docs: T[]; total: number }> {
  const c = db.collection(coll);
  let q = c
    .where(where)
    .orderBy(opts.orderBy || 'createdAt', 'desc')
    .skip((opts.page - 1) * opts.pageSize)
    .limit(opts.pageSize);
  if (opts.field) q = q.field(opts.field);
  const [list, count] = await Promise.all([q.get(), c.where(where).count()]);
  return { docs: list.data as T[], total: count.total as number };
}

/** Like getDoc, but NOT_FOUND when absent. */
export async function mustGet<T>(dbOrTx: Database | Tx, coll: CollectionName, id: string, what = '记录'): Promise<T> {
  const doc = await getDoc<T>(dbOrTx, coll, id);
  if (!doc) throw new AppError('NOT_FOUND', `${what}不存在或已被删除。`);
  return doc;
}

export interface AuditEvent {
  /** 'system': housekeeping with no one record as its subject (the daily cleanup). */
  targetType: 'form' | 'bill' | 'member' | 'code' | 'unit' | 'role' | 'certificate' | 'system';
  targetId: string;
  action: string;
  actor: string;
  role: Role | 'applicant' | 'system';
  from?: FormStatus | string;
  to?: FormStatus | string;
  remark?: string;
  at: Date;
}

/** Append an audit event (never edited) inside the caller's transaction. */
export async function audit(t: Tx, ev: AuditEvent): Promise<void> {
  await t.collection(C.audit).add({ data: { ...ev } });
}

/** A document id of our own (32 hex characters), so a transaction knows it before the insert. */
export const newId = (): string => randomUUID().replace(/-/g, '');

/** Split a list into slices of at most `n` (for `_.in` queries of bounded size). */
export const chunks = <T>(xs: T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
