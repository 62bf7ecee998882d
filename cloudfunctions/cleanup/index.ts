/**
 * `cleanup`: the daily housekeeping (timer trigger `daily-cleanup`, 03:00 UTC+8, planned by the
 * deploy from scripts/deploy/settings.ts). It removes what has served its time:
 * - `files` records past their `expiresAt` (batch zips and their chunk files, exports, single
 *   e-certificates) and their storage objects (≤ 50 a `deleteFile` call, NOTES);
 * - `rate_limits` documents not updated for a day (a bucket idle that long is full anyway), and
 *   window counters (`<purpose>:w<n>`) of windows long past (idle an hour; the longest window in use,
 *   the certificate-lookup misses, is 10 minutes);
 * - `outbox` entries `done` or `failed` more than OUTBOX_KEEP_DAYS ago;
 * - `codes` that expired more than CODE_KEEP_DAYS ago and were never used, with their QR images;
 * - `cert_jobs` (jobs in any state, and their selection pages) made more than a day ago: a job
 *   cannot run that long (certs/batch.ts gives up after 20 hours), and its zips expire in a day.
 * Every kind is taken in bounded batches, oldest first, by an index (infra/schema.ts), and the run
 * stops starting new batches after RUN_BUDGET_MS, well inside the 60 s timeout; `more` says that
 * something was left for the next run. Each non-empty set of deletions is one `audit` event
 * (targetType 'system').
 *
 * Who may run it: the timer, or the secretariat by hand (`{ "action": "run" }`). A timer invokes
 * `main` with `{ Type: 'Timer', TriggerName, Time }` and no WeChat identity; `main` maps exactly
 * that event to the action `run` of a table only it reaches. Everything else goes through the
 * ordinary router, where `run` needs the secretariat role (no identity: UNAUTHENTICATED; any other
 * role: FORBIDDEN). Without a WeChat identity only the platform and the environment's operators
 * can invoke a function at all (no HTTP path is configured for this one).
 *
 * After the sweep it sends the day's membership reminders (30 days before a membership ends, and on
 * the day it lapses; each once — domain/membership/reminders.ts), so it lists `subscribeMessage.send`.
 */
import type { Envelope } from '../../typings/api';
import { callerOpenid, Database, initCloud } from '../infra/cloud';
import { action, createMain } from '../domain/app';
import { remindMemberships } from '../domain/membership/reminders';
import { shanghaiDay } from '../../miniprogram/shared/dates';
import { C } from '../infra/schema';
import { audit, AuditEvent, chunks } from '../infra/store';
import { v } from '../infra/validate';
import { fileKey } from '../domain/files/files';

/** Stop starting batches after this long (the function's timeout is 60 s). */
const RUN_BUDGET_MS = 40_000;
/** Documents read per batch. */
const BATCH = 100;
/** Storage objects per deleteFile call (CloudBase's limit). */
const STORAGE_BATCH = 50;
/** Most documents of one kind removed in one run; the rest waits for the next day. */
const MAX_PER_KIND = 5000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A rate-limit bucket idle this long is full again: removing it changes nothing. */
const RATE_LIMIT_IDLE_MS = DAY;
/** A window counter idle this long belongs to a past window (windows in use: ≤ 10 minutes). */
const WINDOW_IDLE_MS = HOUR;
/** Delivered (or failed) subscribe messages are kept this long, for questions about them. */
export const OUTBOX_KEEP_DAYS = 30;
/** Unused codes are kept this long after they expired (the unit's code list shows them as expired). */
export const CODE_KEEP_DAYS = 30;
/** Batch jobs (any state) are kept this long after they were made. */
const CERT_JOB_KEEP_MS = DAY;

export interface CleanupReport {
  /** `files` records removed, and storage objects deleted (their files, and the codes' QR images). */
  files: number;
  storage: number;
  rateLimits: number;
  outbox: number;
  codes: number;
  certJobs: number;
  /** Membership reminders sent this run: ending within 30 days, and lapsed. */
  reminders: { soon: number; lapsed: number };
  /** Something was left for the next run (a per-kind cap or the time budget was reached). */
  more: boolean;
  ms: number;
}

interface Who {
  actor: string;
  role: AuditEvent['role'];
}

/** The run's budget, shared by every kind. */
class Budget {
  readonly started = Date.now();
  more = false;
  left(): boolean {
    if (Date.now() - this.started < RUN_BUDGET_MS) return true;
    this.more = true;
    return false;
  }
}

type Doc = { _id: string } & Record<string, any>;

/**
 * Remove documents batch by batch: `next()` reads the oldest candidates (≤ BATCH), `remove(docs)`
 * removes what may go and says how many went. Stops when nothing is left, at the cap or the budget,
 * or when a batch removes nothing (something refuses: left for the next run).
 */
async function sweep(budget: Budget, next: () => Promise<Doc[]>, remove: (docs: Doc[]) => Promise<number>): Promise<number> {
  let removed = 0;
  for (;;) {
    if (!budget.left()) return removed;
    if (removed >= MAX_PER_KIND) {
      budget.more = true;
      return removed;
    }
    const docs = await next();
    if (!docs.length) return removed;
    const n = await remove(docs);
    removed += n;
    if (n === 0) {
      budget.more = true;
      return removed;
    }
  }
}

async function removeByIds(db: Database, coll: string, ids: string[], still: Record<string, unknown>): Promise<number> {
  if (!ids.length) return 0;
  // The condition again: a document changed since it was read (a bucket used again) stays.
  const r = await db
    .collection(coll)
    .where({ _id: db.command.in(ids), ...still })
    .remove();
  return (r as { stats?: { removed?: number } }).stats?.removed || 0;
}

/** Delete storage objects; the fileIDs that are gone now (deleted, or not there to begin with). */
async function deleteStored(fileIDs: string[]): Promise<{ gone: Set<string>; deleted: number }> {
  const gone = new Set<string>();
  let deleted = 0;
  for (const list of chunks([...new Set(fileIDs)], STORAGE_BATCH)) {
    try {
      const r = (await initCloud().deleteFile({ fileList: list })) as { fileList?: { fileID: string; status?: number; code?: string; errMsg?: string }[] };
      for (const f of r.fileList || []) {
        if (f.status === 0 || f.code === 'SUCCESS') {
          gone.add(f.fileID);
          deleted++;
        } else if (/not ?exist|NONEXIST/i.test(`${f.code || ''} ${f.errMsg || ''}`)) gone.add(f.fileID);
        else console.error('[cleanup] storage refused to delete', f.fileID, f.status, f.errMsg);
      }
    } catch (e) {
      // Storage unavailable: the records stay, the next run tries again.
      console.error('[cleanup] deleteFile failed', e);
    }
  }
  return { gone, deleted };
}

async function note(db: Database, who: Who, at: Date, action: string, count: number, remark: string): Promise<void> {
  if (!count) return;
  await audit(db, { targetType: 'system', targetId: 'cleanup', action, actor: who.actor, role: who.role, remark, at });
}

export async function runCleanup(db: Database, now: Date, who: Who): Promise<CleanupReport> {
  const _ = db.command;
  const budget = new Budget();
  const report: CleanupReport = { files: 0, storage: 0, rateLimits: 0, outbox: 0, codes: 0, certJobs: 0, reminders: { soon: 0, lapsed: 0 }, more: false, ms: 0 };
  const get = async (coll: string, where: Record<string, unknown>, order: string, limit = BATCH): Promise<Doc[]> =>
    (await db.collection(coll).where(where).orderBy(order, 'asc').limit(limit).get()).data as Doc[];

  // 1. Temporary files past their expiry: the storage object first, then the record.
  const expiredFile = { expiresAt: _.lt(now) };
  report.files = await sweep(
    budget,
    () => get(C.files, expiredFile, 'expiresAt', STORAGE_BATCH),
    async (docs) => {
      const { gone, deleted } = await deleteStored(docs.map((d) => d.fileID as string));
      report.storage += deleted;
      return removeByIds(db, C.files, docs.filter((d) => gone.has(d.fileID)).map((d) => d._id), expiredFile);
    },
  );
  await note(db, who, now, 'cleanup-files', report.files, `删除过期临时文件${report.files}个（存储对象${report.storage}个）`);

  // 2. Rate limits: idle buckets and counters of any kind after a day; window counters after an hour.
  const idle = { updatedAt: _.lt(new Date(now.getTime() - RATE_LIMIT_IDLE_MS)) };
  const window = { updatedAt: _.lt(new Date(now.getTime() - WINDOW_IDLE_MS)), _id: db.RegExp({ regexp: ':w[0-9]+$' }) };
  report.rateLimits += await sweep(
    budget,
    () => get(C.rateLimits, idle, 'updatedAt'),
    (docs) => removeByIds(db, C.rateLimits, docs.map((d) => d._id), idle),
  );
  report.rateLimits += await sweep(
    budget,
    () => get(C.rateLimits, window, 'updatedAt'),
    (docs) => removeByIds(db, C.rateLimits, docs.map((d) => d._id), window),
  );
  await note(db, who, now, 'cleanup-rate-limits', report.rateLimits, `删除闲置的限流记录${report.rateLimits}条（一天未更新的令牌桶、已过去的时间窗计数）`);

  // 3. Subscribe messages sent (or given up) long ago.
  const outboxBefore = new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY);
  for (const status of ['done', 'failed']) {
    const old = { status, createdAt: _.lt(outboxBefore) };
    report.outbox += await sweep(
      budget,
      () => get(C.outbox, old, 'createdAt'),
      (docs) => removeByIds(db, C.outbox, docs.map((d) => d._id), old),
    );
  }
  await note(db, who, now, 'cleanup-outbox', report.outbox, `删除${OUTBOX_KEEP_DAYS}天前已发送或发送失败的订阅消息记录${report.outbox}条`);

  // 4. Codes expired long ago and never used, with their QR images (one image per code).
  const spent = { expiresAt: _.lt(new Date(now.getTime() - CODE_KEEP_DAYS * DAY)), usedAt: _.exists(false) };
  report.codes = await sweep(
    budget,
    () => get(C.codes, spent, 'expiresAt', STORAGE_BATCH),
    async (docs) => {
      const images = docs.map((d) => d.qrImage as string).filter(Boolean);
      const { gone, deleted } = await deleteStored(images);
      report.storage += deleted;
      const removable = docs.filter((d) => !d.qrImage || gone.has(d.qrImage));
      const keys = removable.map((d) => d.qrImage as string).filter(Boolean).map(fileKey);
      if (keys.length) await removeByIds(db, C.files, keys, {});
      return removeByIds(db, C.codes, removable.map((d) => d._id), spent);
    },
  );
  await note(db, who, now, 'cleanup-codes', report.codes, `删除过期${CODE_KEEP_DAYS}天以上且未使用的二维码${report.codes}个及其图片`);

  // 5. Batch jobs and their selection pages, a day after they were made (their zips are files: step 1).
  const oldJob = { createdAt: _.lt(new Date(now.getTime() - CERT_JOB_KEEP_MS)) };
  report.certJobs = await sweep(
    budget,
    () => get(C.certJobs, oldJob, 'createdAt'),
    (docs) => removeByIds(db, C.certJobs, docs.map((d) => d._id), oldJob),
  );
  await note(db, who, now, 'cleanup-cert-jobs', report.certJobs, `删除一天前的电子证书打包任务记录${report.certJobs}条`);

  // 6. The day's membership reminders (each reminder once: a second run sends nothing new).
  if (budget.left()) report.reminders = await remindMemberships(db, shanghaiDay(now), now);

  report.more = budget.more;
  report.ms = Date.now() - budget.started;
  console.log('[cleanup]', JSON.stringify(report));
  return report;
}

const RUN = v.object({});

/** Callers with a WeChat identity (the secretariat by hand), through the ordinary router. */
const byHand = createMain({
  run: action(RUN, {
    auth: ['secretariat'],
    async handler(_input, ctx): Promise<CleanupReport> {
      return runCleanup(ctx.db, ctx.now, { actor: ctx.openid, role: 'secretariat' });
    },
  }),
});

/** The timer: reached only from `main`, for a timer event without a WeChat identity. */
const byTimer = createMain({
  run: action(v.object({ trigger: v.string({ min: 1, max: 60, label: '触发器' }) }), {
    auth: 'anyone',
    async handler(input, ctx): Promise<CleanupReport> {
      return runCleanup(ctx.db, ctx.now, { actor: `timer:${input.trigger}`, role: 'system' });
    },
  }),
});

/** CloudBase's timer event: `{ Type: 'Timer', TriggerName, Time }`. */
function timerEvent(event: unknown): { TriggerName: string } | null {
  if (!event || typeof event !== 'object') return null;
  const e = event as Record<string, unknown>;
  return e.Type === 'Timer' && typeof e.TriggerName === 'string' && !('action' in e) ? { TriggerName: e.TriggerName } : null;
}

export const main = Object.assign(
  async function main(event: unknown): Promise<Envelope<unknown>> {
    const timer = timerEvent(event);
    if (timer && !callerOpenid()) return byTimer({ action: 'run', trigger: timer.TriggerName.slice(0, 60) || 'timer' });
    return byHand(event);
  },
  { actions: byHand.actions },
);
