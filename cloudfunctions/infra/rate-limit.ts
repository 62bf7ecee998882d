/**
 * Limits that hold whatever the interleaving (issue 9): every counter is read and written inside
 * one transaction, so twenty parallel calls cannot all see the last free slot.
 * - `takeToken`: a token bucket per purpose and caller (burst, then one token per `refillSeconds`).
 * - `windowCount` / `countInWindow`: a shared budget per fixed time window (e.g. certificate lookup
 *   misses across all callers), so many accounts together cannot enumerate either.
 */
import { AppError } from '../../miniprogram/shared/errors';
import type { Database } from './cloud';
import { C } from './schema';
import { getDoc, inTransaction } from './store';

interface Bucket {
  _id: string;
  tokens: number;
  updatedAt: Date;
}

/** How many tokens a bucket holds `now`, given what it held at `updatedAt` (pure: tested alone). */
export function refill(tokens: number, updatedAt: Date, now: Date, burst: number, refillSeconds: number): number {
  const elapsed = Math.max(0, (now.getTime() - updatedAt.getTime()) / 1000);
  return Math.min(burst, tokens + elapsed / refillSeconds);
}

/** Take one token from the bucket `purpose:key`, or throw RATE_LIMITED with the wait in seconds. */
export async function takeToken(
  db: Database,
  purpose: string,
  key: string,
  now: Date,
  burst: number,
  refillSeconds: number,
  message = (wait: number) => `操作过于频繁，请${wait}秒后再试。`,
): Promise<void> {
  const id = `${purpose}:${key}`;
  await inTransaction(db, async (t) => {
    const b = await getDoc<Bucket>(t, C.rateLimits, id);
    const tokens = b ? refill(b.tokens, new Date(b.updatedAt), now, burst, refillSeconds) : burst;
    if (tokens < 1) throw new AppError('RATE_LIMITED', message(Math.ceil((1 - tokens) * refillSeconds)));
    await t
      .collection(C.rateLimits)
      .doc(id)
      .set({ data: { tokens: tokens - 1, updatedAt: now } });
  }).catch((e) => {
    // Still conflicting after the retries: this key is being hammered at once.
    if (e instanceof AppError && e.code === 'CONFLICT') throw new AppError('RATE_LIMITED', message(refillSeconds));
    throw e;
  });
}

const windowId = (purpose: string, now: Date, windowSeconds: number) =>
  `${purpose}:w${Math.floor(now.getTime() / 1000 / windowSeconds)}`;

/** The count of the current window of a shared budget (a plain read). */
export async function windowCount(db: Database, purpose: string, now: Date, windowSeconds: number): Promise<number> {
  const d = await getDoc<{ count: number }>(db, C.rateLimits, windowId(purpose, now, windowSeconds));
  return d?.count || 0;
}

/** Count one event in the current window (in a transaction); the new count. */
export async function countInWindow(db: Database, purpose: string, now: Date, windowSeconds: number): Promise<number> {
  const id = windowId(purpose, now, windowSeconds);
  return inTransaction(db, async (t) => {
    const d = await getDoc<{ count: number }>(t, C.rateLimits, id);
    const count = (d?.count || 0) + 1;
    await t
      .collection(C.rateLimits)
      .doc(id)
      .set({ data: { count, updatedAt: now } });
    return count;
  }).catch((e) => {
    if (e instanceof AppError && e.code === 'CONFLICT') return Number.MAX_SAFE_INTEGER;
    throw e;
  });
}
