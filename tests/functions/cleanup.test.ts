/**
 * The daily `cleanup` (timer trigger; by hand for the secretariat): through the real local system,
 * expired and live records of every kind it looks at — temporary files with their storage objects,
 * rate-limit buckets and window counters, outbox entries, codes with their QR images, batch jobs —
 * then exactly the expired ones are gone, the live ones stay, each set of deletions is one audit
 * event, a second run removes nothing, the timer's own event runs it, and nobody else may. The timer
 * run also sends the day's membership reminders, once.
 */
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { fileKey } from '../../cloudfunctions/domain/files/files';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ADMIN_A, ok } from '../support/journey';
import { auditOf, err, SECRETARIAT } from '../support/accounts';
import { png } from '../support/fixtures';
import { addMember } from '../support/people';
import { addDays, shanghaiDay } from '../../miniprogram/shared/dates';

jest.setTimeout(60_000);

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const db = () => database();
let seq = 0;

async function exists(coll: string, id: string): Promise<boolean> {
  const r = await db().collection(coll).doc(id).get();
  const d = Array.isArray(r.data) ? r.data[0] : r.data;
  return !!d;
}

/** A real file in storage with its `files` record, expiring at `expiresAt` (none: kept for good). */
async function storedFile(expiresAt?: Date, opts: { purpose?: string; kind?: string } = {}): Promise<string> {
  const n = ++seq;
  const fileID = await sys.upload(png(8, 8), `ecert-batches/cleanup-test/${n}-${Date.now()}.zip`);
  await db()
    .collection(C.files)
    .doc(fileKey(fileID))
    .set({ data: { fileID, openid: ADMIN_A, purpose: opts.purpose || 'ecert-zip', kind: opts.kind || 'zip', size: 100, unitId: 'unit-a', createdAt: ago(2 * DAY), ...(expiresAt ? { expiresAt } : {}) } });
  return fileID;
}

const gone = (fileID: string) => sys.server.backend.getFile(fileID) === null;

/** The world: for each kind, records the cleanup must remove and records it must keep. */
async function world() {
  // Temporary files: two expired (one whose object is already gone), one live, one permanent upload.
  const expiredFiles = [await storedFile(ago(HOUR)), await storedFile(ago(3 * DAY))];
  const vanished = `cloud://local.local-bucket/ecert-batches/cleanup-test/vanished-${Date.now()}.zip`;
  await db().collection(C.files).doc(fileKey(vanished)).set({ data: { fileID: vanished, openid: ADMIN_A, purpose: 'export', kind: 'xlsx', size: 1, createdAt: ago(2 * DAY), expiresAt: ago(DAY) } });
  const liveFiles = [await storedFile(new Date(Date.now() + HOUR)), await storedFile(undefined, { purpose: 'photo', kind: 'jpeg' })];

  // Rate limits: a bucket idle for two days and a window counter of a window two hours gone go; a
  // bucket used two hours ago and the current window's counter stay.
  const window = (at: Date) => `cert-lookup-miss:w${Math.floor(at.getTime() / 1000 / 600)}`;
  const limits = {
    remove: [`cert-lookup:old-${seq}`, window(ago(2 * HOUR))],
    keep: [`cert-lookup:recent-${seq}`, window(new Date())],
  };
  await db().collection(C.rateLimits).add({ data: { _id: limits.remove[0], tokens: 3, updatedAt: ago(2 * DAY) } });
  await db().collection(C.rateLimits).add({ data: { _id: limits.remove[1], count: 4, updatedAt: ago(2 * HOUR) } });
  await db().collection(C.rateLimits).add({ data: { _id: limits.keep[0], tokens: 1, updatedAt: ago(2 * HOUR) } });
  await db().collection(C.rateLimits).doc(limits.keep[1]).set({ data: { count: 1, updatedAt: new Date() } });

  // Outbox: done and failed long ago go; done yesterday and pending long ago stay.
  const outbox = { remove: [`ob-done-${seq}`, `ob-failed-${seq}`], keep: [`ob-recent-${seq}`, `ob-pending-${seq}`] };
  const entry = (status: string, createdAt: Date) => ({ noticeId: 'n', to: ADMIN_A, template: 'review-result', status, createdAt });
  await db().collection(C.outbox).add({ data: { _id: outbox.remove[0], ...entry('done', ago(40 * DAY)) } });
  await db().collection(C.outbox).add({ data: { _id: outbox.remove[1], ...entry('failed', ago(40 * DAY)) } });
  await db().collection(C.outbox).add({ data: { _id: outbox.keep[0], ...entry('done', ago(DAY)) } });
  await db().collection(C.outbox).add({ data: { _id: outbox.keep[1], ...entry('pending', ago(40 * DAY)) } });

  // Codes, issued for real (QR image in storage), then aged: unused and expired 40 days ago goes
  // with its image; used long ago, expired two days ago, and live ones stay.
  const issue = async () => {
    const r = ok(await sys.call('codes', { action: 'issue', kind: 'id-update' }, ADMIN_A));
    return { id: (r.code as string).slice(1, 11), qrImage: r.qrImage as string };
  };
  const codes = { spent: await issue(), used: await issue(), recent: await issue(), live: await issue() };
  for (const c of Object.values(codes)) expect(await exists(C.codes, c.id)).toBe(true);
  await db().collection(C.codes).doc(codes.spent.id).update({ data: { expiresAt: ago(40 * DAY) } });
  await db().collection(C.codes).doc(codes.used.id).update({ data: { expiresAt: ago(40 * DAY), usedAt: ago(41 * DAY), usedBy: 'someone' } });
  await db().collection(C.codes).doc(codes.recent.id).update({ data: { expiresAt: ago(2 * DAY) } });

  // Batch jobs: one made two days ago with its selection page goes; today's stays.
  const jobs = { remove: [`old-job-${seq}`, `old-job-${seq}.abcd.0`], keep: [`new-job-${seq}`] };
  const job = (id: string, createdAt: Date) => ({ _id: id, kind: 'ecert-zip', unitId: 'unit-a', status: 'done', total: 1, done: 1, skipped: [], parts: [], createdAt, updatedAt: createdAt });
  await db().collection(C.certJobs).add({ data: job(jobs.remove[0], ago(2 * DAY)) });
  await db().collection(C.certJobs).add({ data: { _id: jobs.remove[1], kind: 'ecert-selection', jobId: jobs.remove[0], unitId: 'unit-a', certIds: ['c1'], createdAt: ago(2 * DAY) } });
  await db().collection(C.certJobs).add({ data: job(jobs.keep[0], new Date()) });

  return { expiredFiles, vanished, liveFiles, limits, outbox, codes, jobs };
}

test('when the secretariat runs the cleanup, then exactly the expired records of every kind are gone (files from storage too), the live ones stay, each set is audited once, and a second run removes nothing', async () => {
  const w = await world();
  const before = (await auditOf('cleanup')).length;

  const report = ok(await sys.call('cleanup', { action: 'run' }, SECRETARIAT));
  expect(report).toMatchObject({ files: 3, storage: 3, rateLimits: 2, outbox: 2, codes: 1, certJobs: 2, more: false });
  expect(report.ms).toBeLessThan(60_000);

  // Files: records and storage objects of the expired ones gone; the live and permanent ones kept.
  for (const f of [...w.expiredFiles, w.vanished]) expect(await exists(C.files, fileKey(f))).toBe(false);
  for (const f of w.expiredFiles) expect(gone(f)).toBe(true);
  for (const f of w.liveFiles) {
    expect(await exists(C.files, fileKey(f))).toBe(true);
    expect(gone(f)).toBe(false);
  }
  for (const id of w.limits.remove) expect(await exists(C.rateLimits, id)).toBe(false);
  for (const id of w.limits.keep) expect(await exists(C.rateLimits, id)).toBe(true);
  for (const id of w.outbox.remove) expect(await exists(C.outbox, id)).toBe(false);
  for (const id of w.outbox.keep) expect(await exists(C.outbox, id)).toBe(true);
  // Codes: the spent one with its QR image (object and record); the others with theirs.
  expect(await exists(C.codes, w.codes.spent.id)).toBe(false);
  expect(gone(w.codes.spent.qrImage)).toBe(true);
  expect(await exists(C.files, fileKey(w.codes.spent.qrImage))).toBe(false);
  for (const c of [w.codes.used, w.codes.recent, w.codes.live]) {
    expect(await exists(C.codes, c.id)).toBe(true);
    expect(gone(c.qrImage)).toBe(false);
  }
  for (const id of w.jobs.remove) expect(await exists(C.certJobs, id)).toBe(false);
  for (const id of w.jobs.keep) expect(await exists(C.certJobs, id)).toBe(true);

  // One audit event per kind, by the secretariat.
  const events = (await auditOf('cleanup')).slice(before);
  expect(events.map((e) => e.action).sort()).toEqual(['cleanup-cert-jobs', 'cleanup-codes', 'cleanup-files', 'cleanup-outbox', 'cleanup-rate-limits']);
  for (const e of events) expect(e).toMatchObject({ targetType: 'system', actor: SECRETARIAT, role: 'secretariat', remark: expect.any(String) });

  // Nothing left to do: a second run removes nothing and audits nothing.
  expect(ok(await sys.call('cleanup', { action: 'run' }, SECRETARIAT))).toMatchObject({ files: 0, storage: 0, rateLimits: 0, outbox: 0, codes: 0, certJobs: 0, more: false });
  expect(await auditOf('cleanup')).toHaveLength(before + events.length);
});

test('when the timer fires, then its event (no WeChat identity) runs the cleanup as the system', async () => {
  const before = (await auditOf('cleanup')).length;
  const f = await storedFile(ago(HOUR));
  const live = await storedFile(new Date(Date.now() + DAY));
  const report = ok(await sys.call('cleanup', { Type: 'Timer', TriggerName: 'daily-cleanup', Time: new Date().toISOString() }, ''));
  expect(report).toMatchObject({ files: 1, storage: 1, more: false });
  expect(gone(f)).toBe(true);
  expect(gone(live)).toBe(false);
  const events = (await auditOf('cleanup')).slice(before);
  expect(events).toEqual([expect.objectContaining({ action: 'cleanup-files', targetType: 'system', actor: 'timer:daily-cleanup', role: 'system' })]);
});

test('when the timer fires on a day a membership is 30 days from its end, then the member is reminded, and a second run the same day reminds nobody again', async () => {
  const m = await addMember({ name: '续费提醒', ordinaryUntil: addDays(shanghaiDay(), 30) });
  await db().collection(C.members).doc(m.memberId).update({ data: { openid: 'wx-cleanup-remind' } });
  await db().collection(C.bindings).doc('wx-cleanup-remind').set({ data: { memberId: m.memberId, at: new Date() } });
  const timer = { Type: 'Timer', TriggerName: 'daily-cleanup', Time: new Date().toISOString() };
  const first = ok(await sys.call('cleanup', timer, ''));
  expect(first.reminders.soon).toBeGreaterThanOrEqual(1);
  const mine = () => sys.call('notices', { action: 'list' }, 'wx-cleanup-remind').then((r) => ok(r).items.filter((n: any) => n.title === '会籍即将到期'));
  expect(await mine()).toHaveLength(1);
  const second = ok(await sys.call('cleanup', timer, ''));
  expect(second.reminders).toEqual({ soon: 0, lapsed: 0 });
  expect(await mine()).toHaveLength(1);
});

test('when anyone but the secretariat asks, then the cleanup is refused and nothing is removed; a timer event from a WeChat user is no timer', async () => {
  const f = await storedFile(ago(HOUR));
  for (const who of ['demo-org-reviewer', 'demo-assoc-reviewer', 'demo-finance', 'demo-unit-a-admin', 'demo-unit-b-admin', 'demo-member-1', 'demo-newcomer', 'stranger-0001'])
    expect([who, err(await sys.call('cleanup', { action: 'run' }, who))]).toEqual([who, 'FORBIDDEN']);
  expect(err(await sys.call('cleanup', { action: 'run' }, ''))).toBe('UNAUTHENTICATED');
  // The timer's event shape sent by a signed-in user goes through the ordinary router: no such action.
  expect(err(await sys.call('cleanup', { Type: 'Timer', TriggerName: 'daily-cleanup' }, 'demo-unit-a-admin'))).toBe('INVALID_INPUT');
  expect(err(await sys.call('cleanup', { action: 'run', extra: 1 }, SECRETARIAT))).toBe('INVALID_INPUT');
  expect(gone(f)).toBe(false);
  expect(await exists(C.files, fileKey(f))).toBe(true);
});

test('when more expired files wait than one storage call takes, then they go in batches of at most 50, all in one run', async () => {
  ok(await sys.call('cleanup', { action: 'run' }, SECRETARIAT)); // what earlier scenarios left
  const files: string[] = [];
  for (let i = 0; i < 120; i++) files.push(await storedFile(ago(HOUR + i * 1000)));
  const report = ok(await sys.call('cleanup', { action: 'run' }, SECRETARIAT));
  expect(report).toMatchObject({ files: 120, storage: 120, more: false });
  expect(files.filter((f) => !gone(f))).toEqual([]);
});
