/**
 * `npm test`: everything CI checks, from a fresh clone — build, type checks of each side, the
 * WXML/WXSS compile check, then every jest test — ending with one plain `N passed, N failed` line
 * (each check counts as one). Exits non-zero on any failure, or when no test ran.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, rmSync } from 'fs';
import { jestVerdict } from './test-verdict';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const env = { ...process.env, TZ: 'Asia/Shanghai', FORCE_COLOR: '0' };
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;

function step(label: string, cmd: string, args: string[]): boolean {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`${ok ? '✓' : '✗'} ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (ok) passed++;
  else failed++;
  return ok;
}

step('build: cloud functions and miniprogram_npm', bin('tsx'), ['scripts/build.ts']);
step('types: mini-program (wx typings)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
step('types: cloud functions (node only)', bin('tsc'), ['--noEmit', '-p', 'cloudfunctions/tsconfig.json']);
step('types: local server, scripts, tests', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']);
step('types: page tests (wx typings)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.pages.json']);
step('templates: WXML/WXSS compile (wcc/wcsc)', bin('tsx'), ['scripts/check-templates.ts']);

mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const report = join(ROOT, '.tmp', 'jest-results.json');
// A result file left by an earlier run must never stand in for this one.
rmSync(report, { force: true });
const run = spawnSync(bin('jest'), ['--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});
const { passed: jestPassed, failed: jestFailed, why } = jestVerdict(run.status, report);
if (why) console.error(why);
passed += jestPassed;
failed += jestFailed;
console.log(`jest: ${jestPassed} passed, ${jestFailed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || jestPassed === 0 ? 1 : 0);
