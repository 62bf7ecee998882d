/**
 * `npm run deploy` as users run it — the CLI in a child process — with no TCB credentials. A
 * preloaded guard (./side-effect-guard.js) ends the process on any write under the repository or
 * any TCP/DNS use, so "a dry run changes nothing and needs no network" is checked, not assumed.
 * The dry run does not build either: the plan comes from the repo's files.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { SCHEMA } from '../../cloudfunctions/infra/schema';
import { functionNames } from '../../scripts/build';
import type { Plan } from '../../scripts/deploy/plan';
import { generateRc, rcDrift, readFunctionFolders, readRc, WRITE_RC_HINT } from '../../scripts/deploy/rc';

const ROOT = join(__dirname, '..', '..');

/** A stale cloudbaserc.json fails its own test (plan.test.ts); here it must make a dry run exit 2. */
const stale = () => rcDrift(readRc(), generateRc(readFunctionFolders(functionNames()))).length > 0;

function run(args: string[], extraEnv: Record<string, string> = {}) {
  // A clean environment: no credentials, no MSP_* left by other test files in this worker.
  const env = Object.fromEntries(
    Object.entries({ ...process.env, TZ: 'Asia/Shanghai', FORCE_COLOR: '0' }).filter(
      ([k]) => !/^(MSP_|TCB_|TENCENTCLOUD_)/.test(k),
    ),
  );
  const r = spawnSync(
    process.execPath,
    [
      '--require',
      join(__dirname, 'side-effect-guard.js'),
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'deploy.ts'),
      ...args,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, ...extraEnv },
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--dry-run without credentials prints the whole plan, touches nothing and uses no network', () => {
  const r = run(['--dry-run']);
  expect(r.stderr).not.toMatch(/SIDE-EFFECT/);
  expect(r.code).toBe(stale() ? 2 : 0);
  if (stale()) expect(r.stdout).toContain(WRITE_RC_HINT);
  expect(r.stdout).toMatch(/^Deploy plan \(dry run: nothing is changed\)/);
  for (const name of functionNames()) expect(r.stdout).toMatch(new RegExp(`^  ${name}: Nodejs`, 'm'));
  for (const c of SCHEMA)
    expect(r.stdout).toMatch(new RegExp(`^  ${c.name}  rule \\{"read":false,"write":false\\}`, 'm'));
  expect(r.stdout).toContain('/cert-verify → cert-verify');
  expect(r.stdout).toContain('Storage rule: {"read":false,"write":"resource.openid == auth.openid"}');
  expect(r.stdout).toContain('MSP_SECRET is not set here: a real deploy requires it');
  expect(r.stdout).toContain('Not compared with a live environment');
});

test('--dry-run --json prints the plan as one JSON object', () => {
  const r = run(['--dry-run', '--json', '--env', 'env-1'], { MSP_SECRET: 'x'.repeat(40) });
  expect(r.stderr).not.toMatch(/SIDE-EFFECT/);
  expect(r.code).toBe(stale() ? 2 : 0);
  const out = JSON.parse(r.stdout) as { plan: Plan; report: null };
  expect(out.report).toBeNull();
  expect(out.plan.envId).toBe('env-1');
  expect(out.plan.functions.map((f) => f.name).sort()).toEqual(functionNames().sort());
  expect(out.plan.collections.map((c) => c.name)).toEqual(SCHEMA.map((c) => c.name));
  expect(out.plan.problems.length).toBe(stale() ? 1 : 0);
  expect(r.stdout).not.toContain('x'.repeat(40));
});

test('a real deploy without MSP_SECRET refuses before building or connecting', () => {
  const r = run(['--env', 'env-1'], { TCB_SECRET_ID: 'id', TCB_SECRET_KEY: 'key' });
  expect(r.stderr).not.toMatch(/SIDE-EFFECT/);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Refusing to deploy to env-1; nothing was built or changed/);
  expect(r.stderr).toMatch(/MSP_SECRET is not set/);
});

test('a real deploy needs --env and credentials; unknown arguments are refused', () => {
  const secret = { MSP_SECRET: 'x'.repeat(40) };
  expect(run([], secret)).toMatchObject({ code: 1, stderr: expect.stringMatching(/--env <envId> is required/) });
  expect(run(['--env', 'env-1'], secret)).toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/needs TCB_SECRET_ID and TCB_SECRET_KEY/),
  });
  expect(run(['--envv', 'env-1'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/unknown argument --envv/) });
});
