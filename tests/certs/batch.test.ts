/**
 * Batch e-certificates (issue 5) as a resumable job in chunks: a unit admin selects people by the
 * roster filters; each `certs.batch` call renders one chunk, and the job ends in one or more zips in
 * storage. Every zip is opened with yauzl, every entry checked — name `姓名-证书编号.png`, a real
 * 1414×1000 PNG whose QR code verifies. Chunk and part sizes are made small through the `config`
 * collection's `defaults` to walk a job over many calls, through a killed invocation, and with
 * continuation calls racing each other.
 */
import { existsSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addYears } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { fileKey } from '../../cloudfunctions/domain/files/files';
import { Killed, MAX_BATCH, runBatch } from '../../cloudfunctions/certs/batch';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { addPerson, addUnit, batchSizes, continueJob, decodePng, download, err, jobDoc, partEntries, readZip, today } from './helpers';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(120_000);

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const t = () => today();

test('when a unit admin packs its people’s e-certificates, then one zip holds 姓名-证书编号.png for every valid certificate, each a real certificate whose QR verifies, and the rest are listed as skipped', async () => {
  const u = await addUnit('打包测试监理公司');
  const a = await addPerson({ unitId: u.unitId, name: '甲建国', certs: [{ type: '监理员' }, { type: '安全监理员', status: 'cancelled' }] });
  const b = await addPerson({ unitId: u.unitId, name: '乙秀英', certs: [{ type: '专业监理工程师', specialties: ['房屋建筑工程', '市政公用工程'] }] });
  const c = await addPerson({ unitId: u.unitId, name: '丙涛', certs: [{ firstIssuedOn: addYears(t(), -4), validUntil: addYears(t(), -1) }] });
  const d = await addPerson({ unitId: u.unitId, name: '𠮷丁', certs: [{}] });
  await addPerson({ unitId: u.unitId, name: '戊无证', certs: [] });
  await addPerson({ unitId: 'unit-a', name: '别家人' });

  const job = ok(await sys.call('certs', { action: 'batch', jobId: 'batch-test-0001' }, u.admin));
  expect(job).toMatchObject({ jobId: 'batch-test-0001', status: 'done', total: 2, done: 2 });
  expect(job.fileName).toMatch(/^电子证书-打包测试监理公司-\d{8}-\d{4}\.zip$/);
  expect(job.skipped).toEqual(
    expect.arrayContaining([
      { name: '甲建国', no: a.certs[1].no, reason: expect.stringMatching(/注销/) },
      { name: '丙涛', no: c.certs[0].no, reason: expect.stringMatching(/过期/) },
      { name: '𠮷丁', no: d.certs[0].no, reason: expect.stringContaining('𠮷') },
    ]),
  );
  expect(job.skipped).toHaveLength(3);

  // A small job is done in one call, in one part; the first part is also at the top level.
  expect(job.parts).toEqual([{ fileID: job.fileID, url: job.url, fileName: job.fileName, bytes: job.bytes, count: 2 }]);
  const zip = await download(job.url);
  expect(job.bytes).toBe(zip.length);
  const entries = await readZip(zip);
  expect(entries.map((e) => e.name).sort()).toEqual([`乙秀英-${b.certs[0].no}.png`, `甲建国-${a.certs[0].no}.png`].sort());
  expect(entries.every((e) => e.utf8)).toBe(true);
  for (const e of entries) {
    const img = decodePng(e.data);
    expect(img).toMatchObject({ width: 1414, height: 1000 });
    const v = ok(await sys.call('cert-lookup', { action: 'verify', token: img.qr }, ''));
    expect(v.status).toBe('valid');
    expect(e.name).toBe(`${v.certificate.holderName}-${v.certificate.no}.png`);
  }
});

test('when the filters select people (membership, education, title, lapsed, certificates, age, join date, picked ids), then preview and batch take exactly those', async () => {
  const u = await addUnit();
  const day = t();
  const young = addYears(day, -30);
  const old = addYears(day, -58);
  const p1 = await addPerson({ unitId: u.unitId, name: '赵一', birth: young, title: '高级工程师', education: { level: 'master', school: '甲大学', major: '土木', graduatedOn: '2015-07-01' }, memberships: [{ level: 'professional', since: '2020-05-01', validUntil: addYears(day, 1) }] });
  const p2 = await addPerson({ unitId: u.unitId, name: '钱二', birth: old, title: '工程师', memberships: [{ level: 'ordinary', since: '2010-01-01', validUntil: addYears(day, -1) }], certs: [{ type: '安全监理员' }] });
  const p3 = await addPerson({ unitId: u.unitId, name: '孙三', birth: young, memberships: [{ level: 'ordinary', since: '2024-06-01', validUntil: addYears(day, 2) }], certs: [] });
  const outsider = await addPerson({ unitId: 'unit-a' });
  const preview = async (filter: Record<string, unknown>) => ok(await sys.call('certs', { action: 'preview', filter }, u.admin));
  const people = async (filter: Record<string, unknown>) => (await preview(filter)).people;

  expect(await preview({})).toEqual({ people: 3, certificates: 2, downloadable: 2, max: MAX_BATCH });
  expect(await people({ level: 'professional' })).toBe(1);
  expect(await people({ education: 'master' })).toBe(1);
  expect(await people({ education: 'bachelor' })).toBe(2);
  expect(await people({ title: '高级' })).toBe(1);
  expect(await people({ title: '工程师' })).toBe(2);
  expect(await people({ lapsed: true })).toBe(1);
  expect(await people({ lapsed: false })).toBe(2);
  expect(await people({ hasCertificate: false })).toBe(1);
  expect(await people({ hasCertificate: true })).toBe(2);
  expect(await people({ hasCertificate: true, certType: '安全监理员' })).toBe(1);
  expect(await people({ ageMin: 50 })).toBe(1);
  expect(await people({ ageMax: 30 })).toBe(2);
  expect(await people({ ageMin: 31, ageMax: 57 })).toBe(0);
  expect(await people({ joinedFrom: '2020-01-01', joinedTo: '2024-12-31' })).toBe(2);
  expect(await people({ joinedFrom: '2024-01-01' })).toBe(1);
  expect(await people({ name: '钱' })).toBe(1);
  expect(await people({ memberIds: [p1.member._id, outsider.member._id] })).toBe(1);
  expect(await people({ level: 'ordinary', lapsed: false })).toBe(1);

  const job = ok(await sys.call('certs', { action: 'batch', filter: { certType: '安全监理员' } }, u.admin));
  const entries = await readZip(await download(job.url));
  expect(entries.map((e) => e.name)).toEqual([`钱二-${p2.certs[0].no}.png`]);
  expect(p3.certs).toHaveLength(0);

  expect(err(await sys.call('certs', { action: 'preview', filter: { ageMin: 40, ageMax: 30 } }, u.admin))).toBe('INVALID_INPUT');
  expect(err(await sys.call('certs', { action: 'preview', filter: { joinedFrom: '2024-02-30' } }, u.admin))).toBe('INVALID_INPUT');
  expect(err(await sys.call('certs', { action: 'preview', filter: { level: 'vip' } }, u.admin))).toBe('INVALID_INPUT');
  expect(err(await sys.call('certs', { action: 'preview', filter: { memberIds: ['a b'] } }, u.admin))).toBe('INVALID_INPUT');
});

test('when a larger batch runs, then the page can poll its progress: done only grows, and ends equal to the total with the zip', async () => {
  const u = await addUnit();
  const n = 24;
  for (let i = 0; i < n; i++) await addPerson({ unitId: u.unitId, name: `进度${String.fromCharCode(0x4e00 + i)}` });
  const jobId = `progress-${Date.now().toString(36)}`;
  const seen: { status: string; done: number; total: number }[] = [];
  let finished = false;
  const batch = sys.call('certs', { action: 'batch', jobId }, u.admin).finally(() => (finished = true));
  while (!finished) {
    const r = await sys.call('certs', { action: 'job', jobId }, u.admin);
    if (r.ok) seen.push({ status: r.data.status, done: r.data.done, total: r.data.total });
    else expect(r.error.code).toBe('NOT_FOUND'); // polled before the job was recorded
    await new Promise((res) => setTimeout(res, 25));
  }
  const job = ok(await batch);
  expect(job).toMatchObject({ status: 'done', total: n, done: n });
  const after = ok(await sys.call('certs', { action: 'job', jobId }, u.admin));
  expect(after).toMatchObject({ status: 'done', done: n, total: n, fileID: job.fileID, fileName: job.fileName });
  for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
  for (const s of seen) expect(s.done).toBeLessThanOrEqual(n);
  expect((await readZip(await download(job.url))).length).toBe(n);

  // The job belongs to its unit: another unit can neither read nor continue it. Continuing a
  // finished job answers it as it is (nothing is rendered again).
  expect(err(await sys.call('certs', { action: 'job', jobId }, 'demo-unit-b-admin'))).toBe('NOT_FOUND');
  expect(err(await sys.call('certs', { action: 'batch', jobId }, 'demo-unit-b-admin'))).toBe('NOT_FOUND');
  const again = ok(await sys.call('certs', { action: 'batch', jobId, filter: { name: '别人' } }, u.admin));
  expect(again).toMatchObject({ status: 'done', done: n, fileID: job.fileID, parts: job.parts });
  expect((await jobDoc(jobId)).invocations).toBe(1);
  expect(err(await sys.call('certs', { action: 'job', jobId: 'x' }, u.admin))).toBe('INVALID_INPUT');
});

test('when nothing downloadable is selected, or the caller is not a unit admin, then the batch is refused and a failed job says why', async () => {
  const u = await addUnit();
  await addPerson({ unitId: u.unitId, certs: [{ status: 'cancelled' }] });
  const r = await sys.call('certs', { action: 'batch', jobId: 'empty-batch-1' }, u.admin);
  expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/没有可下载/) } });
  const job = ok(await sys.call('certs', { action: 'job', jobId: 'empty-batch-1' }, u.admin));
  expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/没有可下载/) });
  expect(job.skipped).toHaveLength(1);
  expect(err(await sys.call('certs', { action: 'batch' }, 'demo-member-1'))).toBe('FORBIDDEN');
  expect(err(await sys.call('certs', { action: 'batch' }, ''))).toBe('UNAUTHENTICATED');
  expect(err(await sys.call('certs', { action: 'preview' }, 'demo-org-reviewer'))).toBe('FORBIDDEN');
});


// ---------------------------------------------------------------- the job in chunks

/** What the unit's batch folder in storage holds now: finished zips and chunk files. */
function stored(unitId: string): { zips: string[]; chunks: string[] } {
  const dir = join(sys.dataDir, 'storage', 'ecert-batches', unitId);
  const names = existsSync(dir) ? readdirSync(dir) : [];
  return { zips: names.filter((n) => n.endsWith('.zip')), chunks: names.filter((n) => n.endsWith('.chunk')) };
}

/** Nothing of this job left in /tmp (a warm instance runs many jobs). */
const tmpLeft = (jobId: string) => readdirSync(tmpdir()).filter((n) => n.startsWith(`ecerts-${jobId}`));

/** Check every entry of a finished job: names unique, each a real certificate whose QR verifies. */
async function checkParts(job: any, expected: string[]) {
  const entries = await partEntries(job);
  expect(entries.map((e) => e.name).sort()).toEqual([...expected].sort());
  expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  for (const e of entries) {
    expect(e.utf8).toBe(true);
    const img = decodePng(e.data);
    expect(img).toMatchObject({ width: 1414, height: 1000 });
    const v = ok(await sys.call('cert-lookup', { action: 'verify', token: img.qr }, ''));
    expect(v.status).toBe('valid');
    expect(e.name).toBe(`${v.certificate.holderName}-${v.certificate.no}.png`);
  }
  return entries;
}

describe('a job in chunks', () => {
  afterEach(async () => {
    await batchSizes(null);
  });

  test('when the selection is larger than a chunk, then each call renders one chunk, progress only grows, parts close at the part size, a certificate cancelled meanwhile is skipped, and nothing is left behind', async () => {
    await batchSizes({ chunk: 2, part: 5 });
    const u = await addUnit('分段打包监理公司');
    const people = [];
    for (let i = 0; i < 11; i++) people.push(await addPerson({ unitId: u.unitId, name: `分段${String.fromCharCode(0x4e00 + i * 7)}` }));
    const cancelledEarly = await addPerson({ unitId: u.unitId, name: '分段注销', certs: [{ status: 'cancelled' }] });
    const jobId = `chunks-${Date.now().toString(36)}`;

    const first = ok(await sys.call('certs', { action: 'batch', jobId }, u.admin));
    expect(first).toMatchObject({ jobId, status: 'running', total: 11, done: 2, parts: [] });
    expect(first.skipped).toEqual([{ name: '分段注销', no: cancelledEarly.certs[0].no, reason: expect.stringMatching(/注销/) }]);
    // The last in the job's order is cancelled after the job was made: skipped when its chunk comes.
    const order = [...people].sort((a, b) => a.member.name.localeCompare(b.member.name, 'zh') || a.certs[0].no.localeCompare(b.certs[0].no));
    const late = order[order.length - 1];
    await database().collection(C.certificates).doc(late.certs[0]._id).update({ data: { status: 'cancelled' } });

    const answers = [first, ...(await continueJob(sys, u.admin, jobId))];
    const job = answers[answers.length - 1];
    expect(job).toMatchObject({ status: 'done', total: 10, done: 10 });
    expect(answers.length).toBeGreaterThanOrEqual(5); // 10 certificates, 2 a call
    for (let i = 1; i < answers.length; i++) {
      expect(answers[i].done).toBeGreaterThanOrEqual(answers[i - 1].done);
      expect(answers[i].parts.length).toBeGreaterThanOrEqual(answers[i - 1].parts.length);
    }
    expect(answers.slice(0, -1).every((a) => a.status === 'running')).toBe(true);
    expect(job.skipped).toEqual(
      expect.arrayContaining([{ name: late.member.name, no: late.certs[0].no, reason: expect.stringMatching(/注销/) }]),
    );
    expect(job.skipped).toHaveLength(2);

    // Two parts of at most 5, numbered; the first part is also the top-level zip.
    expect(job.parts.map((p: any) => p.count)).toEqual([5, 5]);
    expect(job.parts.map((p: any) => p.fileName)).toEqual([expect.stringMatching(/^电子证书-分段打包监理公司-\d{8}-\d{4}-1\.zip$/), expect.stringMatching(/-2\.zip$/)]);
    expect(job).toMatchObject({ fileID: job.parts[0].fileID, fileName: job.parts[0].fileName, bytes: job.parts[0].bytes });
    await checkParts(
      job,
      order.filter((p) => p !== late).map((p) => `${p.member.name}-${p.certs[0].no}.png`),
    );
    // The unit's admins read each part through files.url, as any zip of theirs.
    for (const p of job.parts) expect(ok(await sys.call('files', { action: 'url', fileID: p.fileID }, u.admin)).url).toBeTruthy();
    expect(err(await sys.call('files', { action: 'url', fileID: job.parts[1].fileID }, 'demo-unit-b-admin'))).toBe('FORBIDDEN');

    // Polling agrees; the chunk files are gone once their part is made; nothing in /tmp.
    expect(ok(await sys.call('certs', { action: 'job', jobId }, u.admin))).toEqual(job);
    expect(stored(u.unitId).chunks).toEqual([]);
    expect(stored(u.unitId).zips).toHaveLength(2);
    expect(tmpLeft(jobId)).toEqual([]);
    const doc = await jobDoc(jobId);
    expect(doc).toMatchObject({ leaseId: '', resumed: 0, wasted: 0, cursor: 11, selected: 11, segments: [] });
    expect(doc.chunks).toBe(answers.length);
  });

  test('when an invocation is killed after uploading its chunk, then its fresh lease is respected, a stale one is taken over, the chunk is done again, and every certificate ends in the zips exactly once', async () => {
    await batchSizes({ chunk: 2, part: 4 });
    const u = await addUnit();
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await addPerson({ unitId: u.unitId, name: `续做${String.fromCharCode(0x4e00 + i * 11)}` }));
    const jobId = `resume-${Date.now().toString(36)}`;
    expect(ok(await sys.call('certs', { action: 'batch', jobId }, u.admin))).toMatchObject({ status: 'running', done: 2, total: 7 });

    // The next invocation renders and uploads its chunk, then dies before recording it.
    const killed = runBatch(database(), { unitId: u.unitId, unitName: u.name, openid: u.admin, filter: {}, jobId, now: new Date(), today: today(), crashAfterUpload: true });
    await expect(killed).rejects.toBeInstanceOf(Killed);
    const dead = await jobDoc(jobId);
    expect(dead).toMatchObject({ cursor: 2, done: 2, segments: [expect.anything()] });
    expect(dead.leaseId).not.toBe('');
    // Its chunk file is in storage, unrecorded by the job, but with an expiry the cleanup honours.
    expect(stored(u.unitId).chunks).toHaveLength(2);
    const orphan = stored(u.unitId).chunks.map((n) => `cloud://local.local-bucket/ecert-batches/${u.unitId}/${n}`).find((f) => f !== dead.segments[0].fileID) as string;
    const record = (await database().collection(C.files).doc(fileKey(orphan)).get()).data;
    expect(new Date((Array.isArray(record) ? record[0] : record).expiresAt).getTime()).toBeGreaterThan(Date.now());

    // Within the function's timeout the lease may still be a live invocation's: nothing is rendered.
    const busy = ok(await sys.call('certs', { action: 'batch', jobId }, u.admin));
    expect(busy).toMatchObject({ status: 'running', done: 2 });
    expect((await jobDoc(jobId)).invocations).toBe(dead.invocations);

    // Past the timeout the lease is stale: the next call takes the job over and redoes that chunk.
    await database().collection(C.certJobs).doc(jobId).update({ data: { leaseAt: new Date(Date.now() - 120_000) } });
    const answers = await continueJob(sys, u.admin, jobId);
    expect(answers[0]).toMatchObject({ status: 'running', done: 4, parts: [{ count: 4 }] });
    const job = answers[answers.length - 1];
    expect(job).toMatchObject({ status: 'done', total: 7, done: 7 });
    expect(job.parts.map((p: any) => p.count)).toEqual([4, 3]);
    await checkParts(
      job,
      people.map((p) => `${p.member.name}-${p.certs[0].no}.png`),
    );
    expect(await jobDoc(jobId)).toMatchObject({ resumed: 1, wasted: 0, leaseId: '' });
    // The killed chunk's file stays until the cleanup; the recorded ones went with their part.
    expect(stored(u.unitId).chunks).toEqual([orphan.split('/').pop()]);
  });

  test('when several calls continue the same job at once, then one holds the lease and the others render nothing: every certificate is rendered and packed once', async () => {
    await batchSizes({ chunk: 2, part: 4 });
    const u = await addUnit();
    const people = [];
    for (let i = 0; i < 9; i++) people.push(await addPerson({ unitId: u.unitId, name: `并发${String.fromCharCode(0x4e00 + i * 13)}` }));
    const jobId = `race-${Date.now().toString(36)}`;
    // Three calls make the same job at once: one makes it, the others continue it.
    let answers: any[] = (await Promise.all([0, 1, 2].map(() => sys.call('certs', { action: 'batch', jobId }, u.admin)))).map(ok);
    let calls = 3;
    for (let round = 0; round < 40 && !answers.some((a) => a.status === 'done'); round++) {
      answers = (await Promise.all([0, 1, 2].map(() => sys.call('certs', { action: 'batch', jobId }, u.admin)))).map(ok);
      calls += 3;
    }
    const job = ok(await sys.call('certs', { action: 'job', jobId }, u.admin));
    expect(job).toMatchObject({ status: 'done', total: 9, done: 9 });
    expect(job.parts.map((p: any) => p.count)).toEqual([4, 4, 1]);
    await checkParts(
      job,
      people.map((p) => `${p.member.name}-${p.certs[0].no}.png`),
    );
    const doc = await jobDoc(jobId);
    // No chunk was rendered twice (a second render could only be recorded as wasted), none thrown away,
    // and calls that found the job leased did no work.
    expect(doc).toMatchObject({ wasted: 0, resumed: 0, leaseId: '' });
    expect(doc.invocations).toBeLessThan(calls);
    expect(doc.chunks).toBe(5); // 2+2 | 2+2 | 1
    expect(stored(u.unitId).chunks).toEqual([]);
    expect(tmpLeft(jobId)).toEqual([]);
    // A job of another unit with the same id cannot be continued (and is not revealed).
    expect(err(await sys.call('certs', { action: 'batch', jobId }, 'demo-unit-a-admin'))).toBe('NOT_FOUND');
  });
});
