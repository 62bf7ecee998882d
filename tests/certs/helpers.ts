/**
 * Certificate test worlds: members and certificates written straight into the local system's
 * database (the same SDK and `{ data }` wrapper the functions use), real photos in storage, and
 * readers for what the functions hand back — PNGs decoded with pngjs + jsQR, zips opened with yauzl.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import yauzl from 'yauzl';
import { addYears, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import type { CertificateDoc, MemberDoc } from '../../cloudfunctions/domain/model';
import { protectId } from '../../cloudfunctions/infra/pii';
import { C } from '../../cloudfunctions/infra/schema';
import { httpRequest, LocalSystem } from '../support/local-system';
import { jpeg, validIdNumber } from '../support/fixtures';

export const today = () => shanghaiDay();
let seq = 0;

export interface Person {
  member: MemberDoc;
  idNumber: string;
  certs: CertificateDoc[];
}

/** Add a member of `unitId` holding the given certificates (defaults: one valid 监理员 certificate). */
export async function addPerson(
  opts: {
    unitId?: string | null;
    name?: string;
    gender?: 'male' | 'female';
    birth?: string;
    openid?: string;
    photo?: string;
    title?: string;
    education?: MemberDoc['education'];
    memberships?: MemberDoc['memberships'];
    certs?: Partial<CertificateDoc>[];
  } = {},
): Promise<Person> {
  const db = database();
  const n = ++seq;
  const gender = opts.gender || (n % 2 ? 'male' : 'female');
  const birth = opts.birth || `19${70 + (n % 25)}-0${1 + (n % 9)}-1${n % 10}`;
  const idNumber = validIdNumber(birth, gender, 20 + (n % 70));
  const t = today();
  const unitId = opts.unitId === undefined ? 'unit-a' : opts.unitId;
  const member: MemberDoc = {
    _id: `tm-${Date.now().toString(36)}-${n}`,
    name: opts.name || `测试员${n}`,
    gender,
    idType: 'resident',
    ...protectId(idNumber),
    phone: `1370000${String(n).padStart(4, '0')}`,
    birthDate: birth,
    ...(opts.education ? { education: opts.education } : { education: { level: 'bachelor', school: '示例理工大学', major: '土木工程', graduatedOn: '2010-07-01' } }),
    ...(opts.title ? { title: opts.title } : {}),
    ...(opts.photo ? { photo: opts.photo } : {}),
    unitId,
    ...(opts.openid ? { openid: opts.openid } : {}),
    memberships: opts.memberships || [{ level: 'ordinary', since: addYears(t, -1), validUntil: addYears(t, 2) }],
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  await db.collection(C.members).add({ data: member });
  const certs: CertificateDoc[] = [];
  for (const [i, c] of (opts.certs || [{}]).entries()) {
    const cert: CertificateDoc = {
      _id: `tc-${member._id}-${i}`,
      no: `TS${Date.now().toString(36).toUpperCase()}${String(n).padStart(4, '0')}${i}`,
      type: '监理员',
      specialties: ['房屋建筑工程'],
      unitName: '示例监理有限公司',
      unitId: unitId,
      memberId: member._id,
      holderName: member.name,
      idHash: member.idHash,
      idMasked: member.idMasked,
      firstIssuedOn: addYears(t, -1),
      validUntil: addYears(t, 2),
      status: 'valid',
      ...c,
    };
    await db.collection(C.certificates).add({ data: cert });
    certs.push(cert);
  }
  return { member, idNumber, certs };
}

/** A real ID photo JPEG in storage (smooth, like a photo: a face on a red background). */
export async function uploadPhoto(sys: LocalSystem, n = 1): Promise<string> {
  return sys.upload(jpeg(150, 200, 85, n), `uploads/photo/test-${n}-${Date.now()}.jpg`);
}

export async function download(url: string): Promise<Buffer> {
  const r = await httpRequest(url);
  if (r.status !== 200) throw new Error(`GET ${url} → ${r.status}`);
  return r.body;
}

export function decodePng(png: Buffer): { width: number; height: number; qr: string | null } {
  const img = PNG.sync.read(png);
  const decoded = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  return { width: img.width, height: img.height, qr: decoded ? decoded.data : null };
}

/** Every entry of a zip: name, flags (UTF-8 names) and bytes. */
export function readZip(buf: Buffer): Promise<{ name: string; utf8: boolean; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: { name: string; utf8: boolean; data: Buffer }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: entry.fileName, utf8: (entry.generalPurposeBitFlag & 0x800) !== 0, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export const err = (r: any) => (r.ok ? 'ok' : r.error.code);

let units = 0;
/** A fresh unit with its own main admin, so a scenario's roster holds exactly its own people. */
export async function addUnit(name?: string): Promise<{ unitId: string; admin: string; name: string }> {
  const db = database();
  const n = ++units;
  const unitId = `tu-${Date.now().toString(36)}-${n}`;
  const admin = `admin-${unitId}`;
  const unitName = name || `测试监理公司${n}`;
  await db.collection(C.units).add({ data: { _id: unitId, name: unitName, creditCode: `TEST${unitId}`.slice(0, 18), isMember: true, memberUntil: '2099-12-31', orgId: 'org-demo' } });
  await db.collection(C.roles).add({ data: { openid: admin, role: 'unit_admin', scopeId: unitId, main: true, grantedBy: 'test', grantedAt: new Date() } });
  return { unitId, admin, name: unitName };
}

/**
 * Batch-job sizes for the scenarios that follow (the `config` collection's `defaults` document, read
 * by `loadSettings` when a job is made); `null` puts the defaults back.
 */
export async function batchSizes(s: { chunk: number; part: number } | null): Promise<void> {
  const { DEFAULT_SETTINGS } = await import('../../cloudfunctions/infra/settings');
  const data = s
    ? { ecertChunkSize: s.chunk, ecertPartSize: s.part }
    : { ecertChunkSize: DEFAULT_SETTINGS.ecertChunkSize, ecertPartSize: DEFAULT_SETTINGS.ecertPartSize };
  await database().collection(C.config).doc('defaults').update({ data });
}

/** Call `certs.batch { jobId }` until the job is no longer running; every answer, in order. */
export async function continueJob(sys: LocalSystem, admin: string, jobId: string, max = 60): Promise<any[]> {
  const answers: any[] = [];
  for (let i = 0; i < max; i++) {
    const r = await sys.call('certs', { action: 'batch', jobId }, admin);
    if (!r.ok) throw new Error(`batch ${jobId}: ${JSON.stringify(r.error)}`);
    answers.push(r.data);
    if (r.data.status !== 'running') return answers;
  }
  throw new Error(`job ${jobId} still running after ${max} calls`);
}

/** Every entry of every part of a finished job, each part downloaded and opened. */
export async function partEntries(job: { parts: { url: string; bytes: number; count: number }[] }) {
  const out: { part: number; name: string; utf8: boolean; data: Buffer }[] = [];
  for (const [i, p] of job.parts.entries()) {
    const zip = await download(p.url);
    if (zip.length !== p.bytes) throw new Error(`part ${i + 1}: ${zip.length} bytes, ${p.bytes} announced`);
    const entries = await readZip(zip);
    if (entries.length !== p.count) throw new Error(`part ${i + 1}: ${entries.length} entries, ${p.count} announced`);
    out.push(...entries.map((e) => ({ part: i + 1, ...e })));
  }
  return out;
}

/** The stored job document (progress, lease and bookkeeping the view does not show). */
export async function jobDoc(jobId: string): Promise<any> {
  const r = await database().collection(C.certJobs).doc(jobId).get();
  return Array.isArray(r.data) ? r.data[0] : r.data;
}
