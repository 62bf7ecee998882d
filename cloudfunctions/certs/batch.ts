/**
 * Batch e-certificates (SPEC §3.5 Batch): a unit admin's filtered people → zips of their valid
 * certificates' PNGs (`姓名-证书编号.png`) in private storage — as a job that works in chunks, so
 * any number of certificates is packed by invocations that each stay well inside the timeout.
 *
 * The job (`cert_jobs`, `_id` = the job id the page chose):
 * - **Selection.** The first call runs the roster filter once and stores the certificate ids, in
 *   order (holder name, then number), in selection pages of the same collection
 *   (`<jobId>.<selection>.<n>`, 1,000 ids each; the dot keeps them out of `certs.job`'s reach).
 *   The filter is not re-run: a snapshot cannot shift under a cursor when people join or leave
 *   meanwhile, and a 3,000-person unit is read once, not once a chunk. Each chunk re-reads its
 *   certificates and holders, so one cancelled, expired or moved away since is skipped with a reason.
 * - **Chunks.** An invocation renders one chunk: the next certificates from `cursor`, at most
 *   `ecertChunkSize` and no new render started after `ecertChunkSeconds` (settings), never past the
 *   end of the open part. The chunk's zip entries (local headers + PNGs, STORE) stream into a file
 *   in /tmp, which is uploaded as a *segment* of the open part; only then, in a transaction that
 *   checks the lease, do the cursor, counts, skipped list and the segment's entry list (name, CRC,
 *   size) move in the job document. A chunk cut off before that commit is simply done again.
 * - **Parts.** When the open part holds `ecertPartSize` (≤ 500) certificates, or the selection is
 *   done, its segments are concatenated into one zip with a central directory written from the
 *   committed entry lists, uploaded under an unguessable name (`recordMade`, TEMP_FILE_HOURS: the
 *   unit's admins read it through `files.url`), and appended to `parts` in the same kind of
 *   transaction; then the segments are deleted. The view keeps `fileID/url/fileName/bytes` of the
 *   first part for the callers that know one zip.
 * - **Lease.** Work happens only under a lease (`leaseId`, `leaseAt`) taken in a transaction on the
 *   job document. A second call for the same job while the lease is fresh renders nothing and
 *   answers the job as it stands; a lease older than the function's timeout (plus a margin) belongs
 *   to an invocation the platform killed and is taken over (`resumed` counts those). Every commit
 *   checks the lease is still its own, so a late invocation that lost it discards its work
 *   (`wasted`) instead of recording it twice.
 * Files a killed invocation left (a segment or part uploaded but never committed) are recorded
 * with an expiry: the `cleanup` function removes them.
 *
 * Memory stays bounded as before: two renders in flight; resvg's native image memory is released by
 * a forced collection every few renders (V8 cannot see it, so it would not hurry); entries are
 * written to disk as they finish, and a part is assembled one segment at a time.
 */
import { createReadStream, createWriteStream, promises as fsp, WriteStream } from 'fs';
import { randomBytes } from 'crypto';
import { tmpdir } from 'os';
import { join } from 'path';
import * as zlib from 'zlib';
import type { CertJobView, RosterFilter } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { collectGarbage, renderCertificateAsync } from './render';
import { issuerName } from '../domain/certs/public';
import type { Database } from '../infra/cloud';
import { downloadFile, initCloud } from '../infra/cloud';
import type { CertificateDoc } from '../domain/model';
import { RosterMember, rosterPages, ROSTER_FIELDS } from '../domain/roster/roster';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { audit, chunks, getDoc, inTransaction } from '../infra/store';
import { fileKey, recordMade, TEMP_FILE_HOURS, unguessable } from '../domain/files/files';
import { artworkOf, ecertFileName, notDownloadable, photoOf, tempUrl, unprintableReason } from './artwork';

/**
 * Most certificates one job takes. Not a memory limit (a job renders in chunks into parts); the
 * job's view carries the skipped list on every poll and must stay far below the 6 MB response limit.
 */
export const MAX_BATCH = 20_000;
/** Most certificates in one zip part: assembled in /tmp (~110 MB at 500) and uploaded whole. */
export const MAX_PART = 500;
/** Certificate ids per selection page (~30 KB). */
const SELECTION_PAGE = 1000;
/** Force a garbage collection after this many renders: peak RSS stays flat instead of growing. */
const GC_EVERY = 2;
/** Renders in flight at once: one per core of a cloud instance. */
const RENDER_CONCURRENCY = 2;
/** The certs function's timeout (config.json) plus a margin for clocks: an older lease was killed. */
export const LEASE_STALE_MS = 70_000;
/** A job this old is given up: the chunk files it would still need expire after TEMP_FILE_HOURS. */
const JOB_MAX_AGE_MS = 20 * 3600_000;
/** Failed invocations in a row (without a commit between) before the job is marked failed. */
const MAX_FAILURES = 3;

/** One zip entry of a segment, as committed: name, CRC-32, size (stored, so compressed = size). */
interface EntryMeta {
  n: string;
  c: number;
  s: number;
}
/** A chunk's entries, uploaded: part of the open zip part. */
interface Segment {
  fileID: string;
  bytes: number;
  entries: EntryMeta[];
}
export type JobPart = NonNullable<CertJobView['parts']>[number];

export interface CertJobDoc {
  _id: string;
  kind: 'ecert-zip';
  unitId: string;
  unitName: string;
  openid: string;
  status: CertJobView['status'];
  /** Certificates to render: the selection less those skipped since it was made. */
  total: number;
  /** Rendered and committed. */
  done: number;
  skipped: CertJobView['skipped'];
  /** Selection pages `<jobId>.<selection>.<n>` hold `selected` certificate ids in order. */
  selection: string;
  selected: number;
  /** The next position in the selection. */
  cursor: number;
  chunkSize: number;
  chunkMs: number;
  partSize: number;
  /** The open part's segments, in order. */
  segments: Segment[];
  parts: JobPart[];
  /** The invocation working on the job ('' when none), and when it took or last renewed the lease. */
  leaseId: string;
  leaseAt: Date | null;
  /** Bookkeeping: chunks committed, invocations that worked, stale leases taken over, chunks
   *  rendered and thrown away (lost lease), failed invocations in a row. */
  chunks: number;
  invocations: number;
  resumed: number;
  wasted: number;
  failures: number;
  error?: string;
  createdAt: Date;
  updatedAt: Date;
}

interface SelectionDoc {
  _id: string;
  kind: 'ecert-selection';
  jobId: string;
  unitId: string;
  certIds: string[];
  createdAt: Date;
}

const expired = (j: CertJobDoc, now: Date) => j.status === 'running' && now.getTime() - new Date(j.createdAt).getTime() > JOB_MAX_AGE_MS;
const EXPIRED_TEXT = '打包任务已过期，请重新打包。';

export function jobView(j: CertJobDoc, now = new Date()): CertJobView {
  // A job made before parts existed kept its one zip at the top level.
  const legacy = j as CertJobDoc & { fileID?: string; url?: string; fileName?: string; bytes?: number };
  const stored = j.parts || (legacy.fileID ? [{ fileID: legacy.fileID, url: legacy.url || '', fileName: legacy.fileName || '', bytes: legacy.bytes || 0, count: j.done }] : []);
  const parts = stored.map((p) => ({ fileID: p.fileID, url: p.url, fileName: p.fileName, bytes: p.bytes, count: p.count }));
  const first = parts[0];
  const gone = expired(j, now);
  return {
    jobId: j._id,
    status: gone ? 'failed' : j.status,
    total: j.total,
    done: j.done,
    ...(first ? { fileID: first.fileID, url: first.url, fileName: first.fileName, bytes: first.bytes } : {}),
    parts,
    skipped: j.skipped || [],
    ...(gone ? { error: EXPIRED_TEXT } : j.error ? { error: j.error } : {}),
    createdAt: shanghaiIso(new Date(j.createdAt)),
    updatedAt: shanghaiIso(new Date(j.updatedAt)),
  };
}

interface Item {
  cert: CertificateDoc;
  member: RosterMember;
}

/** The certificates a filter selects, split into those to render and those left out (with reasons). */
export async function selectCertificates(db: Database, unitId: string, filter: RosterFilter, today: string, issuer: string) {
  const items: Item[] = [];
  const skipped: CertJobView['skipped'] = [];
  let people = 0;
  let certificates = 0;
  for await (const page of rosterPages(db, unitId, filter, today)) {
    for (const { member, certs } of page) {
      people++;
      for (const cert of filter.certType ? certs.filter((c) => c.type === filter.certType) : certs) {
        certificates++;
        const reason = notDownloadable(cert, today) || unprintableReason(cert, issuer);
        if (reason) skipped.push({ name: cert.holderName, no: cert.no, reason });
        else items.push({ cert, member });
      }
    }
  }
  items.sort((a, b) => a.cert.holderName.localeCompare(b.cert.holderName, 'zh') || a.cert.no.localeCompare(b.cert.no));
  return { items, skipped, people, certificates };
}

/** Read a job for its owner (the admin who started it, or another admin of the same unit). */
export async function loadJob(db: Database, jobId: string, unitId: string): Promise<CertJobDoc> {
  const job = await getDoc<CertJobDoc>(db, C.certJobs, jobId);
  if (!job || job.kind !== 'ecert-zip' || job.unitId !== unitId) throw new AppError('NOT_FOUND', '打包任务不存在。');
  return job;
}

// ---------------------------------------------------------------- zip, written by hand
// A segment is a run of local file headers + data; a part is its segments back to back, then the
// central directory (offsets computed from the committed entry lists) and the end record. STORE
// (PNGs do not compress), sizes and CRC known before each header: no data descriptors, no ZIP64
// (a part of ≤ 500 certificates stays far below 4 GB and 65,535 entries). Names are UTF-8 (bit 11).

const LOCAL_HEADER = 30;
const UTF8 = 0x0800;
const crcTable = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();
/** CRC-32 of the bytes: zlib's native one (Node ≥ 20.15), or a table. */
function crc32(buf: Buffer): number {
  const native = (zlib as unknown as { crc32?: (b: Buffer) => number }).crc32;
  if (typeof native === 'function') return native(buf) >>> 0;
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The job's creation time on a Shanghai wall clock, in MS-DOS form. */
function dosTime(d: Date): { time: number; date: number } {
  const s = new Date(new Date(d).getTime() + 8 * 3600_000);
  return {
    time: (s.getUTCHours() << 11) | (s.getUTCMinutes() << 5) | Math.floor(s.getUTCSeconds() / 2),
    date: ((s.getUTCFullYear() - 1980) << 9) | ((s.getUTCMonth() + 1) << 5) | s.getUTCDate(),
  };
}

function localHeader(e: EntryMeta, t: { time: number; date: number }): Buffer {
  const name = Buffer.from(e.n, 'utf8');
  const h = Buffer.alloc(LOCAL_HEADER + name.length);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(UTF8, 6);
  h.writeUInt16LE(0, 8);
  h.writeUInt16LE(t.time, 10);
  h.writeUInt16LE(t.date, 12);
  h.writeUInt32LE(e.c, 14);
  h.writeUInt32LE(e.s, 18);
  h.writeUInt32LE(e.s, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  name.copy(h, LOCAL_HEADER);
  return h;
}

function centralHeader(e: EntryMeta, offset: number, t: { time: number; date: number }): Buffer {
  const name = Buffer.from(e.n, 'utf8');
  const h = Buffer.alloc(46 + name.length);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below is read)
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(UTF8, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(t.time, 12);
  h.writeUInt16LE(t.date, 14);
  h.writeUInt32LE(e.c, 16);
  h.writeUInt32LE(e.s, 20);
  h.writeUInt32LE(e.s, 24);
  h.writeUInt16LE(name.length, 28);
  // extra, comment, disk, internal attributes: 0
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  h.writeUInt32LE(offset, 42);
  name.copy(h, 46);
  return h;
}

function endRecord(count: number, cdSize: number, cdOffset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(cdSize, 12);
  e.writeUInt32LE(cdOffset, 16);
  return e;
}

const entryBytes = (e: EntryMeta) => LOCAL_HEADER + Buffer.byteLength(e.n, 'utf8') + e.s;

/** Write and wait until the stream took it (back-pressure: nothing piles up ahead of the disk). */
function put(out: WriteStream, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => out.write(buf, (e) => (e ? reject(e) : resolve())));
}

function closeStream(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** Close a stream that may still be writing, without letting a late error crash the instance. */
function abandon(out: WriteStream | null): void {
  if (out && !out.closed) {
    out.on('error', () => undefined);
    out.destroy();
  }
}

// ---------------------------------------------------------------- the job

/** The invocation working on a job: its lease, its clock, its budget. */
interface Run {
  leaseId: string;
  openid: string;
  today: string;
  started: number;
  /** The invocation's `now` plus the time it has run (tests start from a past `now`). */
  clock(): Date;
  /** No new render starts after this (ms since the epoch, on the real clock). */
  renderUntil: number;
  crashAfterUpload?: boolean;
}

class LeaseLost extends Error {}
/** A test seam: the invocation stops dead, as if the platform killed it (nothing committed or released). */
export class Killed extends Error {}

const isDuplicate = (e: unknown) => /E11000|duplicate key/i.test(String((e as { message?: string })?.message || (e as { errMsg?: string })?.errMsg || ''));

const openCount = (j: CertJobDoc) => j.segments.reduce((n, s) => n + s.entries.length, 0);
const partReady = (j: CertJobDoc) => j.segments.length > 0 && (openCount(j) >= j.partSize || j.cursor >= j.selected);
const jobs = (db: Database) => db.collection(C.certJobs);

/** Take the job's lease, unless another invocation holds a fresh one or the job is over. */
async function claim(db: Database, jobId: string, unitId: string, run: Run): Promise<{ job: CertJobDoc; mine: boolean }> {
  return inTransaction(db, async (t) => {
    const job = await getDoc<CertJobDoc>(t, C.certJobs, jobId);
    if (!job || job.kind !== 'ecert-zip' || job.unitId !== unitId) throw new AppError('NOT_FOUND', '打包任务不存在。');
    if (job.status !== 'running') return { job, mine: false };
    const at = run.clock();
    if (job.leaseId && job.leaseAt && at.getTime() - new Date(job.leaseAt).getTime() <= LEASE_STALE_MS) return { job, mine: false };
    const patch = {
      leaseId: run.leaseId,
      leaseAt: at,
      invocations: (job.invocations || 0) + 1,
      resumed: (job.resumed || 0) + (job.leaseId ? 1 : 0),
      updatedAt: at,
    };
    await t.collection(C.certJobs).doc(jobId).update({ data: patch });
    return { job: { ...job, ...patch }, mine: true };
  });
}

/** Change the job only if this invocation still holds its lease (renewing it). */
async function commit(db: Database, job: CertJobDoc, run: Run, patch: (cur: CertJobDoc) => Partial<CertJobDoc>): Promise<CertJobDoc> {
  return inTransaction(db, async (t) => {
    const cur = await getDoc<CertJobDoc>(t, C.certJobs, job._id);
    if (!cur || cur.leaseId !== run.leaseId) throw new LeaseLost();
    const at = run.clock();
    const p = { ...patch(cur), updatedAt: at };
    if (!('leaseId' in p)) p.leaseAt = at;
    await t.collection(C.certJobs).doc(job._id).update({ data: p });
    return { ...cur, ...p };
  });
}

/** Certificate ids `from` … `from + n` of the selection. */
async function selectionSlice(db: Database, job: CertJobDoc, from: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let p = Math.floor(from / SELECTION_PAGE); p <= Math.floor((from + n - 1) / SELECTION_PAGE); p++) {
    const page = await getDoc<SelectionDoc>(db, C.certJobs, `${job._id}.${job.selection}.${p}`);
    if (!page) throw new AppError('NOT_FOUND', EXPIRED_TEXT);
    const base = p * SELECTION_PAGE;
    out.push(...page.certIds.slice(Math.max(0, from - base), Math.max(0, from + n - base)));
  }
  return out;
}

/** The certificates and their holders, read again now (both by `_id`). */
async function loadItems(db: Database, ids: string[]) {
  const _ = db.command;
  const certs = new Map<string, CertificateDoc>();
  for (const part of chunks(ids, 100)) {
    const r = await db.collection(C.certificates).where({ _id: _.in(part) }).limit(100).get();
    for (const c of r.data as CertificateDoc[]) certs.set(c._id, c);
  }
  const members = new Map<string, RosterMember>();
  for (const part of chunks([...new Set([...certs.values()].map((c) => c.memberId))], 100)) {
    const r = await db.collection(C.members).where({ _id: _.in(part) }).field(ROSTER_FIELDS).limit(100).get();
    for (const m of r.data as RosterMember[]) members.set(m._id, m);
  }
  return { certs, members };
}

async function upload(cloudPath: string, file: string): Promise<string> {
  const r = (await initCloud().uploadFile({ cloudPath, fileContent: createReadStream(file) })) as { fileID: string };
  return r.fileID;
}

/** Remove stored files and their records (best effort: the cleanup removes what is left). */
async function removeFiles(db: Database, fileIDs: string[]): Promise<void> {
  for (const ids of chunks(fileIDs, 50)) {
    try {
      await initCloud().deleteFile({ fileList: ids });
      await db.collection(C.files).where({ _id: db.command.in(ids.map(fileKey)) }).remove();
    } catch (e) {
      console.error('[certs.batch] could not remove chunk files', e);
    }
  }
}

/** Render the next chunk into a segment of the open part, upload it, commit it. */
async function renderChunk(db: Database, job: CertJobDoc, run: Run): Promise<CertJobDoc> {
  const n = Math.min(job.chunkSize, job.partSize - openCount(job), job.selected - job.cursor);
  const ids = await selectionSlice(db, job, job.cursor, n);
  const { certs, members } = await loadItems(db, ids);
  const issuer = await issuerName(db);
  // Each position decided now: rendered, or skipped with the reason it has today.
  const slots = ids.map((id): { item?: Item; skip?: CertJobView['skipped'][number] } => {
    const cert = certs.get(id);
    if (!cert) return { skip: { name: '（证书已删除）', no: id, reason: '证书记录已不存在' } };
    const member = members.get(cert.memberId);
    if (!member || member.unitId !== job.unitId) return { skip: { name: cert.holderName, no: cert.no, reason: '持证人已不在本单位，不能下载电子证书' } };
    const reason = notDownloadable(cert, run.today) || unprintableReason(cert, issuer);
    return reason ? { skip: { name: cert.holderName, no: cert.no, reason } } : { item: { cert, member } };
  });

  const tmp = join(tmpdir(), `ecerts-${job._id}-${run.leaseId}.seg`);
  let out: WriteStream | null = null;
  try {
    const file = createWriteStream(tmp);
    out = file;
    file.on('error', () => undefined); // surfaced by put()
    const when = dosTime(job.createdAt);
    const entries: EntryMeta[] = [];
    const skipped: CertJobView['skipped'] = [];
    // Photos are fetched ahead of the renders; a person's photo is fetched once for all their certificates.
    const photos = new Map<string, Promise<Buffer | null>>();
    const photo = (m: RosterMember) => {
      let p = photos.get(m._id);
      if (!p) {
        p = photoOf(m);
        photos.set(m._id, p);
      }
      return p;
    };
    let next = 0;
    let started = 0;
    let aborted = false;
    const worker = async () => {
      while (!aborted) {
        while (next < slots.length && slots[next].skip) skipped.push(slots[next++].skip!);
        if (next >= slots.length) return;
        // At least one render a chunk, so every invocation moves the job on.
        if (started > 0 && Date.now() > run.renderUntil) return;
        const i = next++;
        started++;
        const { cert, member } = slots[i].item!;
        for (let k = i + 1; k < Math.min(slots.length, i + 4); k++) {
          const ahead = slots[k].item;
          if (ahead) void photo(ahead.member);
        }
        const { art } = artworkOf(cert, member, issuer, await photo(member), new Date(job.createdAt));
        // Rendered on libuv's thread pool, two at a time: the second core does half the work.
        const png = await renderCertificateAsync(art);
        const e: EntryMeta = { n: ecertFileName(cert), c: crc32(png), s: png.length };
        // Header and data go in one synchronous pair of writes: the other worker cannot come between.
        entries.push(e);
        file.write(localHeader(e, when));
        await put(file, png);
        if (!slots.slice(next).some((s) => s.item?.member._id === member._id)) photos.delete(member._id);
        // resvg's images hold native memory V8 cannot see, so V8 is in no hurry to collect them.
        if (started % GC_EVERY === 0) collectGarbage();
      }
    };
    await Promise.all(
      Array.from({ length: RENDER_CONCURRENCY }, () =>
        worker().catch((e) => {
          aborted = true;
          throw e;
        }),
      ),
    );
    // Skipped certificates right after the last render belong to this chunk too.
    while (next < slots.length && slots[next].skip) skipped.push(slots[next++].skip!);
    await closeStream(file);
    out = null;

    let segment: Segment | null = null;
    if (entries.length) {
      const bytes = (await fsp.stat(tmp)).size;
      if (bytes !== entries.reduce((s, e) => s + entryBytes(e), 0)) throw new Error(`segment of ${bytes} bytes does not match its entries`);
      let fileID: string;
      try {
        fileID = await upload(`ecert-batches/${job.unitId}/${unguessable()}.chunk`, tmp);
      } catch (e) {
        console.error('[certs.batch] chunk upload failed', bytes, e);
        throw new AppError('INTERNAL', '证书上传失败，请稍后继续打包。');
      }
      // Recorded with an expiry before the commit: if this invocation dies here, the cleanup removes it.
      await recordMade(db, { fileID, openid: job.openid, purpose: 'ecert-zip', kind: 'zip', size: bytes, unitId: job.unitId, now: run.clock(), ttlHours: TEMP_FILE_HOURS });
      segment = { fileID, bytes, entries };
    }
    if (run.crashAfterUpload) throw new Killed('killed after the chunk upload');
    const consumed = next;
    return await commit(db, job, run, (cur) => {
      if (cur.cursor !== job.cursor) throw new LeaseLost();
      return {
        cursor: cur.cursor + consumed,
        done: cur.done + entries.length,
        total: cur.total - skipped.length,
        skipped: [...(cur.skipped || []), ...skipped],
        segments: segment ? [...cur.segments, segment] : cur.segments,
        chunks: (cur.chunks || 0) + 1,
        failures: 0,
        error: '',
      };
    });
  } finally {
    abandon(out);
    await fsp.rm(tmp, { force: true });
  }
}

function partName(job: CertJobDoc, index: number): string {
  const stamp = shanghaiIso(new Date(job.createdAt)).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const several = job.selected > job.partSize;
  return `电子证书-${job.unitName}-${stamp}${several ? `-${index + 1}` : ''}.zip`;
}

/** Concatenate the open part's segments into one zip, upload it, commit it, delete the segments. */
async function closePart(db: Database, job: CertJobDoc, run: Run): Promise<CertJobDoc> {
  const tmp = join(tmpdir(), `ecerts-${job._id}-${run.leaseId}.zip`);
  let out: WriteStream | null = null;
  let committed: CertJobDoc;
  try {
    const file = createWriteStream(tmp);
    out = file;
    file.on('error', () => undefined); // surfaced by put()
    const when = dosTime(job.createdAt);
    const central: Buffer[] = [];
    let offset = 0;
    let count = 0;
    for (const seg of job.segments) {
      let at = offset;
      for (const e of seg.entries) {
        central.push(centralHeader(e, at, when));
        at += entryBytes(e);
        count++;
      }
      const data = await downloadFile(seg.fileID);
      if (data.length !== seg.bytes || at - offset !== seg.bytes) throw new Error(`segment ${seg.fileID} is ${data.length} bytes, ${seg.bytes} expected`);
      await put(file, data);
      offset += data.length;
      // A downloaded segment is tens of MB: let it go before the next one arrives.
      collectGarbage();
    }
    const cd = Buffer.concat(central);
    await put(file, cd);
    await put(file, endRecord(count, cd.length, offset));
    await closeStream(file);
    out = null;
    const bytes = offset + cd.length + 22;
    if (bytes > 0xffffffff || count > 0xffff) throw new Error('zip part too large without ZIP64');

    const index = (job.parts || []).length;
    let fileID: string;
    try {
      // Private storage under a name nobody can guess; the unit's admins may read it (issue 9).
      fileID = await upload(`ecert-batches/${job.unitId}/${unguessable()}.zip`, tmp);
    } catch (e) {
      console.error('[certs.batch] part upload failed', bytes, e);
      throw new AppError('INTERNAL', `证书压缩包（${Math.ceil(bytes / 1024 / 1024)}MB）上传失败，请稍后继续打包。`);
    }
    collectGarbage(); // the upload's buffers
    await recordMade(db, { fileID, openid: job.openid, purpose: 'ecert-zip', kind: 'zip', size: bytes, unitId: job.unitId, now: run.clock(), ttlHours: TEMP_FILE_HOURS });
    const part: JobPart = { fileID, url: await tempUrl(fileID), fileName: partName(job, index), bytes, count };
    committed = await commit(db, job, run, (cur) => {
      if ((cur.parts || []).length !== index) throw new LeaseLost();
      return { parts: [...(cur.parts || []), part], segments: [], failures: 0, error: '' };
    });
  } finally {
    abandon(out);
    await fsp.rm(tmp, { force: true });
  }
  await removeFiles(
    db,
    job.segments.map((s) => s.fileID),
  );
  return committed;
}

/** Release the lease; when everything is rendered and packed, the job is done. */
async function settle(db: Database, job: CertJobDoc, run: Run): Promise<CertJobDoc> {
  const finished = job.cursor >= job.selected && job.segments.length === 0;
  const after = await commit(db, job, run, (cur) => ({
    leaseId: '',
    leaseAt: null,
    ...(finished
      ? (cur.parts || []).length
        ? { status: 'done' as const }
        : { status: 'failed' as const, error: '所选人员没有可下载的有效证书（已注销或已过期的证书不能下载）。' }
      : {}),
  }));
  if (finished && after.status === 'done') {
    await audit(db, {
      targetType: 'unit',
      targetId: job.unitId,
      action: 'ecert-batch',
      actor: run.openid,
      role: 'unit_admin',
      remark: `批量下载电子证书${after.done}张，${after.parts.length}个压缩包（任务 ${job._id}）`,
      at: run.clock(),
    });
  }
  return after;
}

/** Make the job: the selection stored in pages, then the job document (the commit point), leased. */
async function createJob(
  db: Database,
  opts: { unitId: string; unitName: string; openid: string; filter: RosterFilter; jobId: string; now: Date; today: string },
  run: Run,
): Promise<CertJobDoc | null> {
  const { unitId, jobId, now } = opts;
  const issuer = await issuerName(db);
  const { items, skipped } = await selectCertificates(db, unitId, opts.filter, opts.today, issuer);
  const settings = await loadSettings(db);
  const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.floor(x)));
  const base: CertJobDoc = {
    _id: jobId,
    kind: 'ecert-zip',
    unitId,
    unitName: opts.unitName,
    openid: opts.openid,
    status: 'running',
    total: items.length,
    done: 0,
    skipped,
    selection: randomBytes(4).toString('hex'),
    selected: items.length,
    cursor: 0,
    chunkSize: clamp(settings.ecertChunkSize, 1, 1000),
    chunkMs: clamp(settings.ecertChunkSeconds, 1, 40) * 1000,
    partSize: clamp(settings.ecertPartSize, 1, MAX_PART),
    segments: [],
    parts: [],
    leaseId: run.leaseId,
    leaseAt: run.clock(),
    chunks: 0,
    invocations: 1,
    resumed: 0,
    wasted: 0,
    failures: 0,
    createdAt: now,
    updatedAt: now,
  };
  const refuse = async (code: 'NOT_FOUND' | 'INVALID_INPUT', message: string) => {
    try {
      await jobs(db).add({ data: { ...base, status: 'failed', leaseId: '', leaseAt: null, total: 0, selected: 0, error: message } });
    } catch (e) {
      if (isDuplicate(e)) return; // the id is taken: the caller continues that job instead
      throw e;
    }
    throw new AppError(code, message);
  };
  if (items.length === 0) {
    await refuse('NOT_FOUND', skipped.length ? '所选人员没有可下载的有效证书（已注销或已过期的证书不能下载）。' : '没有符合条件的证书。');
    return null;
  }
  if (items.length > MAX_BATCH) {
    await refuse('INVALID_INPUT', `一次最多打包${MAX_BATCH}张证书，当前筛选出${items.length}张，请缩小筛选范围后分批下载。`);
    return null;
  }
  const pages: string[] = [];
  for (let p = 0; p * SELECTION_PAGE < items.length; p++) {
    const page: SelectionDoc = {
      _id: `${jobId}.${base.selection}.${p}`,
      kind: 'ecert-selection',
      jobId,
      unitId,
      certIds: items.slice(p * SELECTION_PAGE, (p + 1) * SELECTION_PAGE).map((x) => x.cert._id),
      createdAt: now,
    };
    await jobs(db).add({ data: page });
    pages.push(page._id);
  }
  try {
    await jobs(db).add({ data: base });
    return base;
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    // Another call made a job with this id first: ours was never visible; continue theirs.
    await jobs(db)
      .where({ _id: db.command.in(pages) })
      .remove()
      .catch(() => undefined);
    return null;
  }
}

/**
 * `certs.batch`: make the job (a new `jobId`) or continue it (an existing one of the caller's unit),
 * do one invocation's share of the work, and answer the job as it then stands.
 */
export async function runBatch(
  db: Database,
  opts: { unitId: string; unitName: string; openid: string; filter: RosterFilter; jobId: string; now: Date; today: string; crashAfterUpload?: boolean },
): Promise<CertJobView> {
  const started = Date.now();
  const run: Run = {
    leaseId: randomBytes(8).toString('hex'),
    openid: opts.openid,
    today: opts.today,
    started,
    clock: () => new Date(opts.now.getTime() + (Date.now() - started)),
    renderUntil: Number.POSITIVE_INFINITY,
    ...(opts.crashAfterUpload ? { crashAfterUpload: true } : {}),
  };
  let job: CertJobDoc | null = null;
  if (!(await getDoc<CertJobDoc>(db, C.certJobs, opts.jobId))) job = await createJob(db, opts, run);
  if (!job) {
    const c = await claim(db, opts.jobId, opts.unitId, run);
    if (!c.mine) return jobView(c.job, run.clock());
    job = c.job;
  }
  run.renderUntil = started + job.chunkMs;

  try {
    if (expired(job, run.clock()) || !job.selection) {
      job = await commit(db, job, run, () => ({ status: 'failed', error: EXPIRED_TEXT, leaseId: '', leaseAt: null }));
      return jobView(job, run.clock());
    }
    // One chunk an invocation; parts are closed when full (or at the end) while the budget lasts.
    let rendered = false;
    for (;;) {
      if (partReady(job)) {
        if (Date.now() > run.renderUntil && rendered) break;
        job = await closePart(db, job, run);
        continue;
      }
      if (job.cursor < job.selected && !rendered) {
        job = await renderChunk(db, job, run);
        rendered = true;
        continue;
      }
      break;
    }
    job = await settle(db, job, run);
    return jobView(job, run.clock());
  } catch (e) {
    if (e instanceof Killed) throw e;
    if (e instanceof LeaseLost) {
      // Another invocation took the job over (ours outlived its lease): our work is thrown away.
      await jobs(db)
        .doc(opts.jobId)
        .update({ data: { wasted: db.command.inc(1) } })
        .catch(() => undefined);
      return jobView(await loadJob(db, opts.jobId, opts.unitId), run.clock());
    }
    const message = e instanceof AppError ? e.message : '打包失败，请稍后继续打包。';
    const failures = (job.failures || 0) + 1;
    await commit(db, job, run, () => ({
      leaseId: '',
      leaseAt: null,
      failures,
      error: message,
      ...(failures >= MAX_FAILURES ? { status: 'failed' as const } : {}),
    })).catch(() => undefined);
    throw e;
  }
}
