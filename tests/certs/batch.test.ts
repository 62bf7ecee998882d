/**
 * Batch e-certificates (issue 5): a unit admin selects people by the roster filters and gets one
 * zip of their e-certificates in storage. The zip is opened with yauzl, every entry checked — name
 * `姓名-证书编号.png`, a real 1414×1000 PNG whose QR code verifies — and progress is polled while
 * the call runs.
 */
import { existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { addYears } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { runBatch } from '../../cloudfunctions/certs/batch';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { addPerson, addUnit, decodePng, download, err, readZip, today } from './helpers';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(60_000);

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

  expect(await preview({})).toEqual({ people: 3, certificates: 2, downloadable: 2, max: 500 });
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

  // The job belongs to its unit; the id is the caller's and cannot be reused.
  expect(err(await sys.call('certs', { action: 'job', jobId }, 'demo-unit-b-admin'))).toBe('NOT_FOUND');
  expect(err(await sys.call('certs', { action: 'batch', jobId }, u.admin))).toBe('DUPLICATE');
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

test('when a batch runs out of time, then its job is marked failed with a Chinese reason, nothing is left in /tmp, and polling says so', async () => {
  const u = await addUnit();
  for (let i = 0; i < 3; i++) await addPerson({ unitId: u.unitId });
  const jobId = `deadline-${Date.now().toString(36)}`;
  // The use case itself, with a deadline already passed (the function's own is 52 s of its 60).
  const run = runBatch(database(), { unitId: u.unitId, unitName: u.name, openid: u.admin, filter: {}, jobId, now: new Date(), today: today(), deadlineMs: -1 });
  await expect(run).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/打包时间过长/) });
  expect(existsSync(join(tmpdir(), `ecerts-${jobId}.zip`))).toBe(false);
  const job = ok(await sys.call('certs', { action: 'job', jobId }, u.admin));
  expect(job).toMatchObject({ status: 'failed', total: 3, error: expect.stringMatching(/打包时间过长/) });
});
