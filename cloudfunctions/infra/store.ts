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

/**
 * Run `fn` in a CloudBase transaction. The SDK retries on a write conflict (3 times) and rolls back
 * on any thrown error; when conflicts persist, the caller gets CONFLICT.
 */
export async function inTransaction<T>(db: Database, fn: (t: Tx) => Promise<T>): Promise<T> {
  // Busy documents (a day's form counter) can outlast the SDK's own retries under load: a few
  // more rounds with a jittered pause before giving up with CONFLICT.
  for (let round = 0; ; round++) {
    try {
      return await db.runTransaction(fn);
    } catch (e) {
      if (e instanceof AppError) throw e;
      const code =
        (e as { code?: string; errCode?: string | number })?.code ?? (e as { errCode?: string | number })?.errCode;
      if (code !== 'DATABASE_TRANSACTION_CONFLICT') throw e;
      if (round >= 3) throw new AppError('CONFLICT');
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (round + 1)));
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

/** Like getDoc, but NOT_FOUND when absent. */
export async function mustGet<T>(dbOrTx: Database | Tx, coll: CollectionName, id: string, what = '记录'): Promise<T> {
  const doc = await getDoc<T>(dbOrTx, coll, id);
  if (!doc) throw new AppError('NOT_FOUND', `${what}不存在或已被删除。`);
  return doc;
}

export interface AuditEvent {
  targetType: 'form' | 'bill' | 'member' | 'code' | 'unit' | 'role' | 'certificate';
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
