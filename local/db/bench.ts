/**
 * Benchmark of the local backend through the REAL wx-server-sdk over HTTP: does an index-served query cost the
 * same at 100k documents as at 1k? Data shape: members of units with 50 members each (so a unit's page and
 * count have the same size at every collection size), a unique `code`, and `createdAt` in random order.
 *
 *   npx tsx local/db/bench.ts            # 1k and 100k
 *   npx tsx local/db/bench.ts 1000 20000
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CollectionSpec } from '../../cloudfunctions/infra/schema';
import { localCloudInitOptions } from './index';
import { startBackendServer } from './http';

export interface Row {
  size: number;
  op: string;
  medianMs: number;
  p90Ms: number;
  runs: number;
}

const SCHEMA: CollectionSpec[] = [
  {
    name: 'members',
    large: true,
    indexes: [
      { name: 'code_unique', fields: [['code', 1]], unique: true },
      { name: 'unit_created', fields: [['unitId', 1], ['createdAt', -1]] },
    ],
    note: 'benchmark',
  },
];
const PER_UNIT = 50;

/** Deterministic PRNG (mulberry32) so every run measures the same queries. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function measure(runs: number, fn: (i: number) => Promise<unknown>): Promise<{ median: number; p90: number }> {
  for (let i = 0; i < Math.min(50, runs); i++) await fn(i); // warm-up: statement cache, JIT, connections
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(runs / 2)], p90: ms[Math.floor(runs * 0.9)] };
}

export async function benchDb(sizes = [1000, 100000], runs = 300): Promise<Row[]> {
  // An unreported first pass warms the process (JIT, SDK code paths, sockets): otherwise whichever size runs first
  // looks slower, whatever its size.
  const sizesToRun = [Math.min(500, ...sizes), ...sizes];
  // Without it @cloudbase/node-sdk probes the Tencent metadata host on every request (see index.ts).
  process.env.TENCENTCLOUD = 'true';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const cloud = require('wx-server-sdk');
  const rows: Row[] = [];
  // wx-server-sdk honours only the first cloud.init() of a process: every size reuses the first server's port.
  let port = 0;
  for (const [pass, size] of sizesToRun.entries()) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-bench-'));
    const server = await startBackendServer({ dataDir: dir, schema: SCHEMA, enforceIndexes: true, port });
    if (!port) cloud.init(localCloudInitOptions(server.url));
    port = server.port;
    try {
      const rand = rng(size);
      const base = Date.UTC(2024, 0, 1);
      const docs = Array.from({ length: size }, (_, i) => ({
        _id: `id${i}`,
        code: `m${i}`,
        unitId: `u${Math.floor(i / PER_UNIT)}`,
        createdAt: new Date(base + Math.floor(rand() * 365 * 86_400_000)),
        status: i % 3 ? 'active' : 'left',
        balance: 0,
        name: `member ${i}`,
      }));
      const t0 = Date.now();
      for (let i = 0; i < size; i += 10_000) server.backend.insertMany('members', docs.slice(i, i + 10_000));
      const seedMs = Date.now() - t0;
      const db = cloud.database();
      const members = db.collection('members');
      const pick = rng(7);
      const anyDoc = () => Math.floor(pick() * size);
      const anyUnit = () => `u${Math.floor(pick() * (size / PER_UNIT))}`;

      const ops: [string, (i: number) => Promise<unknown>][] = [
        ['get by unique field', async () => {
          const res = await members.where({ code: `m${anyDoc()}` }).get();
          if (res.data.length !== 1) throw new Error('unique get returned ' + res.data.length);
        }],
        ['page of 20 sorted by indexed date', async () => {
          const res = await members.where({ unitId: anyUnit() }).orderBy('createdAt', 'desc').limit(20).get();
          if (res.data.length !== 20) throw new Error('page returned ' + res.data.length);
        }],
        ['count with indexed filter', async () => {
          const res = await members.where({ unitId: anyUnit() }).count();
          if (res.total !== PER_UNIT) throw new Error('count returned ' + res.total);
        }],
        ['two-document transaction', () =>
          db.runTransaction(async (t: any) => {
            const [a, b] = [anyDoc(), anyDoc()];
            const da = (await t.collection('members').doc(`id${a}`).get()).data;
            const dbb = (await t.collection('members').doc(`id${b}`).get()).data;
            await t.collection('members').doc(`id${a}`).update({ data: { balance: da.balance - 1 } });
            if (b !== a) await t.collection('members').doc(`id${b}`).update({ data: { balance: dbb.balance + 1 } });
          })],
      ];
      const report = pass > 0;
      if (report) rows.push({ size, op: 'seed (direct insert, not via SDK)', medianMs: seedMs, p90Ms: seedMs, runs: 1 });
      for (const [op, fn] of ops) {
        const { median, p90 } = await measure(runs, fn);
        if (report) rows.push({ size, op, medianMs: median, p90Ms: p90, runs });
      }
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const sizes = [...new Set(rows.map((r) => r.size))];
  const ops = [...new Set(rows.map((r) => r.op))];
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(3));
  const head = ['operation', ...sizes.map((s) => `median ms @${s}`), ...sizes.map((s) => `p90 ms @${s}`)];
  if (sizes.length > 1) head.push(`ratio ${sizes[sizes.length - 1]}/${sizes[0]}`);
  const lines = [head];
  for (const op of ops) {
    const by = sizes.map((s) => rows.find((r) => r.size === s && r.op === op)!);
    const line = [op, ...by.map((r) => fmt(r.medianMs)), ...by.map((r) => fmt(r.p90Ms))];
    if (sizes.length > 1) line.push((by[by.length - 1].medianMs / by[0].medianMs).toFixed(2) + '×');
    lines.push(line);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  for (const l of lines) console.log('| ' + l.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |');
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  benchDb(sizes.length ? sizes : undefined)
    .then(printTable)
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
