/**
 * Certificate benchmarks (issue 5; `npm run bench`, never a test):
 *  - render time per e-certificate and PNG size, and a loop of renders as the batch runs it;
 *  - a batch job of 3,000 certificates through the built `certs` bundle, in its own process like a
 *    warm cloud function instance called again and again (`certs.batch { jobId }` until done): total
 *    time, time per certificate against one render, the longest invocation, peak RSS of that process;
 *  - the roster export of 5,000 rows through the function;
 *  - public lookups at 100,000 members (by number, by name + ID number) through `cert-lookup`;
 *  - the legacy import CLI on a file of 100,000 people with their certificates, run twice.
 *
 * `benchCerts()` runs everything in a child process (wx-server-sdk honours only the first
 * cloud.init() of a process) and resolves to rows for a table; `npx tsx scripts/bench-certs.ts`
 * prints the table (`--only-batch`: the renders and the batch job alone).
 */
import { spawn } from 'child_process';
import jpegJs from 'jpeg-js';

export interface BenchRow {
  benchmark: string;
  result: string;
  detail: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A photo-like ID portrait (smooth shading, mild sensor noise), 358×441 JPEG — the size members upload. */
export function portrait(seed: number, w = 358, h = 441): Buffer {
  const data = Buffer.alloc(w * h * 4);
  let s = seed * 7919 + 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 9) - 4;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const dx = (x - w / 2) / (w * 0.24);
      const dy = (y - h * 0.4) / (h * 0.27);
      const face = dx * dx + dy * dy;
      const hair = y < h * 0.3 && dx * dx + ((y - h * 0.28) / (h * 0.22)) ** 2 < 1.25;
      const body = y > h * 0.72 && Math.abs(x - w / 2) < w * (0.25 + (y - h * 0.72) / h);
      let r: number, g: number, b: number;
      if (hair) [r, g, b] = [30 + y / 20, 25, 22];
      else if (face < 1) {
        const shade = 1 - face * 0.18;
        [r, g, b] = [236 * shade, 196 * shade, 172 * shade];
      } else if (body) [r, g, b] = [28 + x / 40, 36, 58];
      else [r, g, b] = [205 - y / 12, 24 + y / 40, 28];
      const n = rnd();
      data[i] = Math.max(0, Math.min(255, r + n));
      data[i + 1] = Math.max(0, Math.min(255, g + n));
      data[i + 2] = Math.max(0, Math.min(255, b + n));
      data[i + 3] = 255;
    }
  }
  return jpegJs.encode({ data, width: w, height: h }, 85).data;
}

/** Run the benchmarks in a child process; resolves to the table rows. */
export function benchCerts(opts: { onlyBatch?: boolean } = {}): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', ...(opts.onlyBatch ? ['--only-batch'] : [])], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TZ: 'Asia/Shanghai' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`certificate bench exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop() as string) as BenchRow[]);
    });
  });
}

// ---------------------------------------------------------------- child: the measurements

async function measureRender(rows: BenchRow[]): Promise<{ single: number; paired: number }> {
  const { renderCertificate, renderCertificateAsync } = await import('../cloudfunctions/certs/render');
  process.env.MSP_SECRET ||= 'bench-secret-bench-secret-bench-secret-0123';
  const { signCert, verifyUrl } = await import('../cloudfunctions/domain/certs/token');
  const photo = portrait(1);
  const art = (i: number) => ({
    holderName: ['李建国', '欧阳赟珺', '王堃喆'][i % 3],
    gender: 'male' as const,
    idMasked: '4401**********123X',
    type: '专业监理工程师',
    no: `JLY2025${String(i).padStart(6, '0')}`,
    specialties: ['房屋建筑工程', '市政公用工程'],
    unitName: '示例监理有限公司',
    firstIssuedOn: '2024-03-01',
    validUntil: '2027-03-01',
    issuer: '示例省建设监理协会',
    photo,
    verifyUrl: verifyUrl(signCert(`JLY2025${String(i).padStart(6, '0')}`), 'https://verify.example.org/'),
    generatedAt: new Date(),
  });
  const t0 = performance.now();
  renderCertificate(art(0)); // fonts load here
  const cold = performance.now() - t0;
  const times: number[] = [];
  let size = 0;
  for (let i = 1; i <= 40; i++) {
    const t = performance.now();
    size = renderCertificate(art(i)).length;
    times.push(performance.now() - t);
  }
  rows.push({ benchmark: 'render one e-certificate (sync, warm)', result: `${median(times).toFixed(0)} ms median`, detail: `p90 ${p90(times).toFixed(0)} ms; first render with font loading ${cold.toFixed(0)} ms; PNG 1414×1000 ${(size / 1024).toFixed(0)} KB with a photo` });
  // As the batch renders: two at a time on the thread pool, a forced collection every 2 renders.
  const { collectGarbage } = await import('../cloudfunctions/certs/render');
  collectGarbage();
  const n = 90;
  const t1 = performance.now();
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < n) {
        const i = next++;
        await renderCertificateAsync(art(i));
        if (i % 2 === 1) collectGarbage();
      }
    }),
  );
  const per = (performance.now() - t1) / n;
  rows.push({ benchmark: `render ${n} as the batch does (2 at a time, GC every 2)`, result: `${per.toFixed(0)} ms per certificate`, detail: `${((performance.now() - t1) / 1000).toFixed(1)} s on ${require('os').cpus().length} cores` });
  return { single: median(times), paired: per };
}

/**
 * Run a `certs.batch` job from the BUILT bundle in a fresh process (one warm function instance),
 * calling it again with the job id until the job is no longer running, as the page does; sample RSS.
 */
function batchJobInOwnProcess(env: Record<string, string>): Promise<{ ms: number; invocations: number[]; peaks: number[]; baseline: number; peak: number; result: any }> {
  return new Promise((resolve, reject) => {
    const code = `
      const bundle = require(process.env.BENCH_BUNDLE);
      let peak = 0;
      const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
      const baseline = process.memoryUsage().rss;
      const timer = setInterval(sample, 10);
      const jobId = 'bench-' + Date.now().toString(36);
      const invocations = [];
      const peaks = [];
      const t0 = Date.now();
      (async () => {
        let result;
        do {
          const t = Date.now();
          const before = peak;
          peak = 0;
          result = await bundle.main({ action: 'batch', jobId });
          sample();
          invocations.push(Date.now() - t);
          peaks.push(peak);
          peak = Math.max(before, peak);
          if (!result.ok) throw new Error(JSON.stringify(result));
        } while (result.data.status === 'running' && invocations.length < 500);
        sample(); clearInterval(timer);
        process.stdout.write(JSON.stringify({ ms: Date.now() - t0, invocations, peaks, baseline, peak, result }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (c) => (c === 0 ? resolve(JSON.parse(out)) : reject(new Error(`batch process exited ${c}`))));
  });
}

/**
 * The embedded backend on its own HTTP server for the batch: the same admin handler as the local
 * server, except that storage uploads are taken whole without the local server's cap (COS takes up
 * to 5 GB, and 500 certificates with photos make a ~100 MB zip).
 */
async function batchBackend(dataDir: string) {
  const http = await import('http');
  const { Backend, createAdminHandler } = await import('../local/db');
  const { SCHEMA } = await import('../cloudfunctions/infra/schema');
  let base = '';
  const backend = new Backend({ dataDir, schema: SCHEMA, publicUrl: () => base });
  const key = (await import('crypto')).randomBytes(16).toString('hex');
  const admin = createAdminHandler(backend, { key });
  const server = http.createServer((req, res) => {
    if (req.method === 'PUT' && (req.url || '').startsWith('/admin/storage/')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = decodeURIComponent((req.url as string).slice('/admin/storage/'.length).split('?')[0]);
        backend.putFile(path, Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('');
      });
      return;
    }
    admin(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: `${base}/admin/${key}`,
    backend,
    close: () => new Promise<void>((r) => server.close(() => (backend.close(), r()))),
  };
}

async function child() {
  const rows: BenchRow[] = [];
  const render = await measureRender(rows);

  const { join } = await import('path');
  const { mkdtempSync, rmSync } = await import('fs');
  const { tmpdir } = await import('os');
  const { buildFunctions, DIST_FUNCTIONS } = await import('./build');
  const { residentCheckChar } = await import('../miniprogram/shared/id-number');
  await buildFunctions();
  const now = new Date();
  /** A distinct valid ID number per n < 1,000,000 (born 1980-01-01). */
  const idOf = (n: number) => {
    const body = `${110100 + Math.floor(n / 1000)}19800101${String(n % 1000).padStart(3, '0')}`;
    return body + residentCheckChar(body);
  };

  // --- a batch job of 3,000 certificates: the built bundle in its own process, called until done
  {
    const N = 3000;
    const dir = mkdtempSync(join(tmpdir(), 'msp-bench-batch-'));
    const server = await batchBackend(dir);
    try {
      const b = server.backend;
      const { DEFAULT_SETTINGS } = await import('../cloudfunctions/infra/settings');
      b.insertMany('config', [{ _id: 'defaults', ...DEFAULT_SETTINGS }]);
      b.insertMany('orgs', [{ _id: 'assoc', kind: 'association', name: '示例省建设监理协会' }]);
      b.insertMany('units', [{ _id: 'bench-batch', name: '批量基准监理公司', creditCode: 'BENCHBATCH00000000', isMember: true, orgId: 'org' }]);
      b.insertMany('roles', [{ openid: 'bench-batch-admin', role: 'unit_admin', scopeId: 'bench-batch', main: true }]);
      // Every member has a photo file of their own; 60 different portraits among them.
      const portraits = Array.from({ length: 60 }, (_, i) => portrait(i + 1));
      const members: any[] = [];
      const certs: any[] = [];
      for (let n = 1; n <= N; n++) {
        const photo = b.putFile(`uploads/photo/bench-${n}.jpg`, portraits[n % portraits.length]);
        // The batch never reads ID numbers: stand-ins keep the unique index happy without a key.
        members.push({ _id: `bm-${n}`, name: `员工${n}`, gender: n % 2 ? 'male' : 'female', idType: 'resident', idCipher: '-', idHash: `bench-${n}`, idMasked: '1101**********0000', phone: '13900000000', birthDate: '1980-01-01', unitId: 'bench-batch', photo, memberships: [{ level: 'ordinary', since: '2024-01-01', validUntil: '2099-01-01' }], createdAt: now, updatedAt: now });
        certs.push({ _id: `bc-${n}`, no: `BB${String(n).padStart(9, '0')}`, type: '专业监理工程师', specialties: ['房屋建筑工程', '市政公用工程'], unitName: '批量基准监理公司', unitId: 'bench-batch', memberId: `bm-${n}`, holderName: `员工${n}`, idHash: `bench-${n}`, idMasked: '1101**********0000', firstIssuedOn: '2024-01-01', validUntil: '2099-01-01', status: 'valid' });
      }
      b.insertMany('members', members);
      b.insertMany('certificates', certs);
      const r = await batchJobInOwnProcess({
        BENCH_BUNDLE: join(DIST_FUNCTIONS, 'certs', 'index.js'),
        MSP_LOCAL_SERVICE_URL: server.url,
        MSP_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
        TENCENTCLOUD: 'true',
        WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
        WX_OPENID: 'bench-batch-admin',
        WX_APPID: 'wxlocaldevelopment',
      });
      const job = r.result.data;
      if (job.status !== 'done' || job.done !== N) throw new Error(`batch job ended ${JSON.stringify({ ...job, skipped: job.skipped.length })}`);
      // Each part is a whole zip: its end record counts its entries.
      let entries = 0;
      for (const p of job.parts) {
        const zip = b.storage.get(p.fileID.replace(/^cloud:\/\/[^/]+\//, '')) as Buffer;
        if (zip.length !== p.bytes || zip.readUInt32LE(zip.length - 22) !== 0x06054b50) throw new Error(`part ${p.fileName} is not a whole zip`);
        entries += zip.readUInt16LE(zip.length - 12);
      }
      if (entries !== N) throw new Error(`the parts hold ${entries} certificates, not ${N}`);
      const inv = r.invocations;
      if (process.env.BENCH_VERBOSE) console.error(inv.map((ms, i) => `${i + 1}: ${(ms / 1000).toFixed(1)} s, peak ${mb(r.peaks[i])}`).join('\n'));
      const bytes = job.parts.reduce((s: number, p: any) => s + p.bytes, 0);
      const per = r.ms / N;
      rows.push({
        benchmark: `batch job of ${N.toLocaleString()} e-certificates with photos (certs.batch bundle, one warm instance, called until done)`,
        result: `${(r.ms / 1000).toFixed(0)} s`,
        detail:
          `${inv.length} invocations, longest ${(Math.max(...inv) / 1000).toFixed(1)} s, median ${(median(inv) / 1000).toFixed(1)} s; ` +
          `${per.toFixed(0)} ms per certificate (one render alone: ${render.single.toFixed(0)} ms; two at a time: ${render.paired.toFixed(0)} ms each) incl. selection, photos, chunk uploads, part assembly; ` +
          `${job.parts.length} zips of ≤500, ${mb(bytes)}; peak RSS ${mb(r.peak)} (${mb(r.baseline)} at start)`,
      });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (process.argv.includes('--only-batch')) {
    console.log(JSON.stringify(rows));
    return;
  }

  const { startLocalSystem } = await import('../tests/support/local-system');
  const { protectId } = await import('../cloudfunctions/infra/pii');
  const sys = await startLocalSystem();
  const backend = sys.server.backend;
  const http = await import('http');
  /** A function call over HTTP on a fresh connection (bulk seeding blocks the loop longer than keep-alive lasts). */
  const call = (fn: string, data: Record<string, unknown>, openid: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const req = http.request(`${sys.url}/functions/${fn}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'x-wx-openid': openid } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(JSON.stringify(data));
    });
  let seq = 0;
  const unit = (id: string, admin: string, name: string) => {
    backend.insertMany('units', [{ _id: id, name, creditCode: `BENCH${id}`.padEnd(18, '0').slice(0, 18), isMember: true, memberUntil: '2099-12-31', orgId: 'org-demo' }]);
    backend.insertMany('roles', [{ openid: admin, role: 'unit_admin', scopeId: id, main: true }]);
  };
  /** `count` people of a unit, each with one valid certificate. */
  const people = (unitId: string, count: number) => {
    const members: any[] = [];
    const certs: any[] = [];
    for (let i = 0; i < count; i++) {
      const n = ++seq;
      const pid = protectId(idOf(n));
      members.push({ _id: `bm-${n}`, name: `员工${n}`, gender: 'male', idType: 'resident', ...pid, phone: '13900000000', birthDate: '1980-01-01', unitId, education: { level: 'bachelor', school: '示例理工大学', major: '土木工程', graduatedOn: '2002-07-01' }, title: '工程师', memberships: [{ level: 'ordinary', since: '2024-01-01', validUntil: '2099-01-01' }], createdAt: now, updatedAt: now });
      certs.push({ _id: `bc-${n}`, no: `BC${String(n).padStart(9, '0')}`, type: '监理员', specialties: ['房屋建筑工程'], unitName: unitId, unitId, memberId: `bm-${n}`, holderName: `员工${n}`, idHash: pid.idHash, idMasked: pid.idMasked, firstIssuedOn: '2024-01-01', validUntil: '2099-01-01', status: 'valid' });
    }
    backend.insertMany('members', members);
    backend.insertMany('certificates', certs);
  };

  try {
    // --- export of 5,000 rows
    unit('bench-export', 'bench-export-admin', '导出基准监理公司');
    people('bench-export', 5000);
    const t0 = performance.now();
    const ex = await call('certs', { action: 'export' }, 'bench-export-admin');
    const exMs = performance.now() - t0;
    if (!ex.ok) throw new Error(`export failed: ${JSON.stringify(ex)}`);
    const xlsx = backend.storage.get(ex.data.fileID.replace(/^cloud:\/\/[^/]+\//, '')) as Buffer;
    rows.push({ benchmark: 'roster export, 5,000 rows (certs.export)', result: `${(exMs / 1000).toFixed(2)} s`, detail: `${ex.data.rows} rows, ${ex.data.people} people; .xlsx ${mb(xlsx.length)}` });

    // --- lookups at 100,000 members
    for (let i = 0; i < 10; i++) people(`bench-unit-${i}`, 9_500);
    const total = seq + 1; // and the demo world's member
    const lookupTimes = async (payload: (i: number) => Record<string, unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < 220; i++) {
        const t = performance.now();
        const r = await call('cert-lookup', { action: 'lookup', ...payload(i) }, `bench-caller-${i}-${Math.random()}`);
        if (i >= 20) ms.push(performance.now() - t);
        if (!r.ok) throw new Error(`lookup failed: ${JSON.stringify(r)}`);
      }
      return ms;
    };
    const pick = (i: number) => 1 + ((i * 7919) % seq);
    const byNo = await lookupTimes((i) => ({ certNo: `BC${String(pick(i)).padStart(9, '0')}` }));
    const byId = await lookupTimes((i) => ({ name: `员工${pick(i)}`, idNumber: idOf(pick(i)) }));
    rows.push({ benchmark: `lookup by certificate number at ${total.toLocaleString()} members`, result: `${median(byNo).toFixed(1)} ms median`, detail: `p90 ${p90(byNo).toFixed(1)} ms; 200 calls over HTTP through cert-lookup, incl. the rate-limit transaction (index no_unique)` });
    rows.push({ benchmark: `lookup by name + ID number at ${total.toLocaleString()} members`, result: `${median(byId).toFixed(1)} ms median`, detail: `p90 ${p90(byId).toFixed(1)} ms (index idHash)` });
  } finally {
    await sys.close();
  }

  // --- the legacy import of 100,000 people with their certificates (the CLI, as users run it)
  {
    const { startLocalServer } = await import('../local/server');
    const { bigFile, writeLegacyFile } = await import('../tests/import/legacy-file');
    const dir = mkdtempSync(join(tmpdir(), 'msp-bench-import-'));
    try {
      const seeded = await startLocalServer({ dataDir: dir, port: 0, seed: false, instances: 1 });
      await seeded.close();
      // The file's units belong to a service organisation that must exist.
      const { Backend } = await import('../local/db');
      const { SCHEMA } = await import('../cloudfunctions/infra/schema');
      const b = new Backend({ dataDir: dir, schema: SCHEMA });
      b.insertMany('orgs', [{ _id: 'org-demo', kind: 'service-org', name: '示例市建设监理行业协会' }]);
      b.close();
      const file = join(dir, 'legacy.xlsx');
      await writeLegacyFile(file, bigFile(5000, 100_000));
      const run = () =>
        new Promise<{ ms: number; report: any }>((resolve, reject) => {
          const t = performance.now();
          const c = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'import.ts'), file, '--data-dir', dir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let err = '';
          c.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
          let out = '';
          c.stdout.on('data', (d) => (out += d));
          c.on('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - t, report: JSON.parse(out.trim().split('\n').pop() as string) }) : reject(new Error(`import exited ${code}: ${err}`))));
        });
      const first = await run();
      const again = await run();
      const s = first.report.sheets;
      rows.push({ benchmark: 'legacy import: 100,000 people, 5,000 units, 133,334 certificates (npm run import)', result: `${(first.ms / 1000).toFixed(0)} s`, detail: `inserted ${s['人员'].inserted} people, ${s['证书'].inserted} certificates; the same file again: ${(again.ms / 1000).toFixed(0)} s, nothing written` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(JSON.stringify(rows));
}

function table(rows: BenchRow[]): string {
  const cols = Object.keys(rows[0]) as (keyof BenchRow)[];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(width[i])).join(' | ') + ' |';
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}

if (require.main === module) {
  if (process.argv.includes('--child')) {
    child().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  } else {
    benchCerts({ onlyBatch: process.argv.includes('--only-batch') })
      .then((rows) => console.log(`## Certificates\n\n${table(rows)}`))
      .catch((e) => {
        console.error(e);
        process.exit(1);
      });
  }
}
