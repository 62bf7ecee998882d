/**
 * `npm run bench`: speed measured, never asserted in tests (issue 2 §5).
 * 1. The embedded database through the real SDK at 1k and 100k documents: indexed get, a filtered
 *    page of 20 sorted, count, a two-document transaction (medians; the 100k/1k ratio should stay
 *    under 1.5 because each is index-served).
 * 2. The wall time of one whole join journey on the local server over HTTP (median of 5).
 */
import { spawn } from 'child_process';
import { benchDb, Row } from '../local/db/bench';
import { startLocalSystem } from '../tests/support/local-system';
import { buildFunctions } from './build';
import { benchCerts } from './bench-certs';
import { ok, apply, profile, walkToMember } from '../tests/support/journey';

function table(rows: Record<string, string | number>[]): string {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(width[i])).join(' | ') + ' |';
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}

async function journeys(n: number): Promise<number[]> {
  const sys = await startLocalSystem({ enforceIndexes: false });
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const { formId } = ok(await apply(sys, `bench-${i}`, profile({}, `1980-01-${String(i + 10)}`)));
      await walkToMember(sys, formId);
      times.push(performance.now() - t0);
    }
  } finally {
    await sys.close();
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The journey runs in a child process: wx-server-sdk honours only the first cloud.init() of a process. */
function journeyInChild(): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--journey'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string)) : reject(new Error(`journey bench exited ${code}`))));
  });
}

async function main() {
  if (process.argv.includes('--journey')) {
    console.log(JSON.stringify(await journeys(5)));
    return;
  }
  await buildFunctions();
  console.log('## Embedded database through wx-server-sdk (median ms per operation, 300 runs)\n');
  const rows = await benchDb([1000, 100000]);
  const ops = [...new Set(rows.filter((r) => r.runs > 1).map((r) => r.op))];
  const at = (size: number, op: string) => rows.find((r) => r.size === size && r.op === op) as Row;
  console.log(
    table(
      ops.map((op) => ({
        operation: op,
        'ms @1k': at(1000, op).medianMs.toFixed(3),
        'ms @100k': at(100000, op).medianMs.toFixed(3),
        '100k/1k': (at(100000, op).medianMs / at(1000, op).medianMs).toFixed(2) + '×',
        'p90 @100k': at(100000, op).p90Ms.toFixed(3),
      })),
    ),
  );
  console.log(`\nseeding 100k documents directly: ${at(100000, 'seed (direct insert, not via SDK)').medianMs.toFixed(0)} ms; target: 100k/1k ≤ 1.5× for every indexed operation`);
  const times = await journeyInChild();
  console.log('\n## One whole join journey on the local server (HTTP, real files, median of 5)\n');
  console.log(
    table([
      {
        steps: 'upload 5 files, issue code, apply, pre-review, pay, 3 approvals',
        'median ms': median(times).toFixed(0),
        'min ms': Math.min(...times).toFixed(0),
        'max ms': Math.max(...times).toFixed(0),
      },
    ]),
  );
  console.log('\n## Certificates: rendering, batch zip, export, lookup at 100k, import\n');
  console.log(table((await benchCerts()) as unknown as Record<string, string | number>[]));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
