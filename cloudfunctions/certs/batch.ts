/**
 * Batch e-certificates (SPEC §3.5 Batch): a unit admin's filtered people → one zip of their valid
 * certificates' PNGs (`姓名-证书编号.png`), uploaded to storage, answered with a temporary URL.
 *
 * Progress: the call runs up to the function's timeout; meanwhile it keeps a `cert_jobs` document
 * (`done` / `total`) current, and the page polls `certs.job` with the job id it chose before calling.
 * Memory stays bounded: two certificates are in memory at a time; resvg's native image memory is
 * released by a forced collection every few renders (V8 cannot see it, so it would not hurry); the
 * zip streams to a temporary file (STORE: PNGs do not compress) with back-pressure, and the upload
 * streams from that file. Measured: see `npm run bench`.
 */
import { createReadStream, createWriteStream, promises as fsp } from 'fs';
import { Readable } from 'stream';
import { tmpdir } from 'os';
import { join } from 'path';
import type { CertJobView, RosterFilter } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { collectGarbage, renderCertificateAsync } from './render';
import { issuerName } from '../domain/certs/public';
import type { Database } from '../infra/cloud';
import { initCloud } from '../infra/cloud';
import type { CertificateDoc } from '../domain/model';
import { RosterMember, rosterPages } from '../domain/roster/roster';
import { C } from '../infra/schema';
import { audit, getDoc } from '../infra/store';
import { recordMade, TEMP_FILE_HOURS, unguessable } from '../domain/files/files';
import { artworkOf, ecertFileName, notDownloadable, photoOf, tempUrl, unprintableReason } from './artwork';

/** Most certificates one call packs: measured ~57 ms each on 2 cores (500 in ~29 s, ~109 MB zip). */
export const MAX_BATCH = 500;
/** Force a garbage collection after this many renders: peak RSS ~250 MB for 500 instead of growing. */
const GC_EVERY = 2;
/** Renders in flight at once: one per core of a cloud instance. */
const RENDER_CONCURRENCY = 2;
/** Stop before the function's 60 s timeout so the job is marked failed, not left running. */
const DEADLINE_MS = 52_000;
/** A job whose document has not moved for this long was cut off by the platform. */
const STALE_MS = 90_000;

export interface CertJobDoc {
  _id: string;
  kind: 'ecert-zip';
  unitId: string;
  openid: string;
  status: CertJobView['status'];
  total: number;
  done: number;
  skipped: CertJobView['skipped'];
  fileID?: string;
  url?: string;
  fileName?: string;
  bytes?: number;
  error?: string;
  createdAt: Date;
  updatedAt: Date;
}

export function jobView(j: CertJobDoc, now = new Date()): CertJobView {
  const stale = j.status === 'running' && now.getTime() - new Date(j.updatedAt).getTime() > STALE_MS;
  return {
    jobId: j._id,
    status: stale ? 'failed' : j.status,
    total: j.total,
    done: j.done,
    ...(j.fileID ? { fileID: j.fileID } : {}),
    ...(j.url ? { url: j.url } : {}),
    ...(j.fileName ? { fileName: j.fileName } : {}),
    ...(j.bytes !== undefined ? { bytes: j.bytes } : {}),
    skipped: j.skipped || [],
    ...(stale ? { error: '打包超时中断，请缩小筛选范围后重试。' } : j.error ? { error: j.error } : {}),
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
  if (!job || job.unitId !== unitId) throw new AppError('NOT_FOUND', '打包任务不存在。');
  return job;
}

/** A stream of one buffer that lets go of it once read. */
function onceStream(buf: Buffer): Readable {
  let pending: Buffer | null = buf;
  return new Readable({
    read() {
      this.push(pending);
      pending = null;
      this.push(null);
    },
  });
}

function stamp(now: Date): string {
  return shanghaiIso(now).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
}

export async function runBatch(
  db: Database,
  opts: { unitId: string; unitName: string; openid: string; filter: RosterFilter; jobId: string; now: Date; today: string; deadlineMs?: number },
): Promise<CertJobView> {
  const { unitId, openid, jobId, now, today } = opts;
  const deadline = opts.deadlineMs ?? DEADLINE_MS;
  const started = Date.now();
  const job: CertJobDoc = { _id: jobId, kind: 'ecert-zip', unitId, openid, status: 'running', total: 0, done: 0, skipped: [], createdAt: now, updatedAt: now };
  await db.collection(C.certJobs).add({ data: job });
  const jobs = db.collection(C.certJobs).doc(jobId);
  const fail = async (message: string) => {
    await jobs.update({ data: { status: 'failed', error: message, updatedAt: new Date() } }).catch(() => undefined);
  };

  const tmp = join(tmpdir(), `ecerts-${jobId}.zip`);
  let out: ReturnType<typeof createWriteStream> | null = null;
  let zipOut: NodeJS.ReadableStream | null = null;
  /** Set when the batch gives up: the other render loop stops at its next step. */
  let aborted = false;
  try {
    const issuer = await issuerName(db);
    const { items, skipped } = await selectCertificates(db, unitId, opts.filter, today, issuer);
    if (items.length === 0) {
      const msg = skipped.length ? '所选人员没有可下载的有效证书（已注销或已过期的证书不能下载）。' : '没有符合条件的证书。';
      await jobs.update({ data: { skipped, updatedAt: new Date() } });
      throw new AppError('NOT_FOUND', msg);
    }
    if (items.length > MAX_BATCH) {
      throw new AppError('INVALID_INPUT', `一次最多打包${MAX_BATCH}张证书，当前筛选出${items.length}张，请缩小筛选范围后分批下载。`);
    }
    await jobs.update({ data: { total: items.length, skipped, updatedAt: new Date() } });

    const { ZipFile } = await import('yazl');
    const zip = new ZipFile();
    const file = createWriteStream(tmp);
    out = file;
    zipOut = zip.outputStream;
    const written = new Promise<void>((resolve, reject) => {
      file.on('close', resolve);
      file.on('error', reject);
      zip.outputStream.on('error', reject);
    });
    written.catch(() => undefined); // awaited below; an abandoned zip must not crash the instance
    zip.outputStream.pipe(file);
    let queued = 0;
    const mtime = now;

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

    let lastReport = Date.now();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < items.length && !aborted) {
        const i = next++;
        const { cert, member } = items[i];
        for (let k = i + 1; k < Math.min(items.length, i + 4); k++) void photo(items[k].member);
        if (Date.now() - started > deadline) throw new AppError('INTERNAL', '打包时间过长，请缩小筛选范围后重试。');
        const { art } = artworkOf(cert, member, issuer, await photo(member), now);
        // Rendered on libuv's thread pool, two at a time: the second core does half the work.
        const png = await renderCertificateAsync(art);
        // As a one-shot stream, not addBuffer: yazl keeps every added Buffer until the zip ends.
        zip.addReadStream(onceStream(png), ecertFileName(cert), { compress: false, mtime, size: png.length });
        queued += png.length;
        if (items[next]?.member._id !== member._id) photos.delete(member._id);
        // resvg's images hold native memory V8 cannot see, so V8 is in no hurry to collect them.
        if (i % GC_EVERY === GC_EVERY - 1) collectGarbage();
        // Back-pressure: never hold more than a few MB of zip data ahead of the disk.
        while (!aborted && queued - file.bytesWritten > 8 * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
        done++;
        if (done === items.length || done % 10 === 0 || Date.now() - lastReport > 1000) {
          lastReport = Date.now();
          await jobs.update({ data: { done, updatedAt: new Date() } });
        }
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
    zip.end();
    await written;

    const bytes = (await fsp.stat(tmp)).size;
    // Private storage under a name nobody can guess; the unit's admins may read it (issue 9).
    const cloudPath = `ecert-batches/${unitId}/${unguessable()}.zip`;
    let up: { fileID: string };
    try {
      up = (await initCloud().uploadFile({ cloudPath, fileContent: createReadStream(tmp) })) as { fileID: string };
    } catch (e) {
      console.error('[certs.batch] upload failed', bytes, e);
      throw new AppError('INTERNAL', `证书压缩包（${Math.ceil(bytes / 1024 / 1024)}MB）上传失败，请稍后重试或缩小筛选范围。`);
    }
    await recordMade(db, { fileID: up.fileID, openid, purpose: 'ecert-zip', kind: 'zip', size: bytes, unitId, now, ttlHours: TEMP_FILE_HOURS });
    const url = await tempUrl(up.fileID);
    const fileName = `电子证书-${opts.unitName}-${stamp(now)}.zip`;
    const end = new Date();
    await jobs.update({ data: { status: 'done', done: items.length, fileID: up.fileID, url, fileName, bytes, updatedAt: end } });
    await audit(db, {
      targetType: 'unit',
      targetId: unitId,
      action: 'ecert-batch',
      actor: openid,
      role: 'unit_admin',
      remark: `批量下载电子证书${items.length}张（任务 ${jobId}）`,
      at: end,
    });
    return jobView({ ...job, status: 'done', total: items.length, done: items.length, skipped, fileID: up.fileID, url, fileName, bytes, updatedAt: end });
  } catch (e) {
    aborted = true;
    await fail(e instanceof AppError ? e.message : '打包失败，请稍后重试。');
    throw e;
  } finally {
    // A warm instance runs many batches: never leave a file handle or a temporary zip behind. An
    // abandoned zip may still be writing: detach it first, and let late writes fail quietly.
    if (out && !out.closed) {
      const abandoned = out;
      if (zipOut) zipOut.unpipe(abandoned);
      abandoned.on('error', () => undefined);
      abandoned.destroy();
    }
    await fsp.rm(tmp, { force: true });
  }
}
