/**
 * The deploy plan (scripts/deploy/plan.ts) from the repo's own files: the function folders,
 * cloudbaserc.json and SCHEMA. Pure: no network, no credentials.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { SCHEMA } from '../../cloudfunctions/infra/schema';
import { functionNames } from '../../scripts/build';
import { makePlan, Plan } from '../../scripts/deploy/plan';
import {
  FunctionFolder,
  generateRc,
  RC_FILE,
  rcDrift,
  readFunctionFolders,
  readRc,
  ROOT,
  WRITE_RC_HINT,
} from '../../scripts/deploy/rc';
import { CLIENT_READS, FUNCTION_SETTINGS, RUNTIME, SHARED_ENV, STORAGE_RULE } from '../../scripts/deploy/settings';

const SECRET = 'x'.repeat(40);
const folders = () => readFunctionFolders(functionNames());
// The plan's own tests use the rc generated from today's folders, so that a stale committed rc
// fails only the in-step test below, with the command that fixes it.
const planFor = (over: Partial<Parameters<typeof makePlan>[0]> = {}): Plan =>
  makePlan({
    folders: folders(),
    rc: generateRc(folders()),
    schema: SCHEMA,
    env: { MSP_SECRET: SECRET, MSP_VERIFY_URL: 'https://x/cert-verify' },
    envId: 'env-1',
    dryRun: false,
    ...over,
  });

describe('cloudbaserc.json', () => {
  test('cloudbaserc.json is in step with the function folders', () => {
    const drift = rcDrift(readRc(RC_FILE), generateRc(folders()));
    if (drift.length)
      throw new Error(
        `cloudbaserc.json is out of step with cloudfunctions/:\n  ${drift.join('\n  ')}\n→ ${WRITE_RC_HINT}`,
      );
  });

  test('every function folder has an entry and every entry has a folder', () => {
    const rc = readRc();
    expect(rc?.functions.map((f) => f.name).sort()).toEqual(functionNames().sort());
  });

  test('a planned function (cleanup) is listed with its daily timer once its folder exists, and not before', () => {
    const now = generateRc(folders());
    expect(now.functions.some((f) => f.name === 'cleanup')).toBe(functionNames().includes('cleanup'));
    const withCleanup = generateRc([
      ...folders().filter((f) => f.name !== 'cleanup'),
      { name: 'cleanup', timeout: 60, openapi: [] },
    ]);
    const cleanup = withCleanup.functions.find((f) => f.name === 'cleanup');
    expect(cleanup?.triggers).toEqual([{ name: 'daily-cleanup', type: 'timer', config: '0 0 3 * * * *' }]);
    expect(cleanup?.triggers?.[0].config.split(' ')).toHaveLength(7);
    // …and the committed rc then reports the missing entry, with the command that fixes it.
    const drift = rcDrift(now, withCleanup);
    if (!functionNames().includes('cleanup'))
      expect(drift).toContain('function cleanup: folder cloudfunctions/cleanup/ has no entry');
  });

  test("timers written in a folder's config.json (DevTools' format) win over settings.ts", () => {
    const rc = generateRc([
      {
        name: 'cleanup',
        timeout: 60,
        openapi: [],
        triggers: [{ name: 'nightly', type: 'timer', config: '0 30 2 * * * *' }],
      },
    ]);
    expect(rc.functions[0].triggers).toEqual([{ name: 'nightly', type: 'timer', config: '0 30 2 * * * *' }]);
  });

  test('an entry without a folder, or with a changed timeout, is drift; key order and formatting are not', () => {
    const base = generateRc(folders());
    const reordered = JSON.parse(
      JSON.stringify({
        functions: base.functions.map((f) => Object.fromEntries(Object.entries(f).reverse())),
        functionRoot: base.functionRoot,
        envId: base.envId,
        version: base.version,
      }),
    );
    expect(rcDrift(reordered, base)).toEqual([]);
    const stale = {
      ...base,
      functions: [
        ...base.functions.map((f) => (f.name === 'certs' ? { ...f, timeout: 3 } : f)),
        { ...base.functions[0], name: 'gone' },
      ],
    };
    expect(rcDrift(stale, base)).toEqual([
      'function certs: timeout differ from its folder and scripts/deploy/settings.ts',
      'function gone: entry has no folder cloudfunctions/gone/',
    ]);
  });

  test('environment variables are references ({{env.NAME}}), never values', () => {
    const text = readFileSync(join(ROOT, 'cloudbaserc.json'), 'utf8');
    for (const f of readRc()!.functions) {
      for (const [k, v] of Object.entries(f.envVariables)) expect(v).toBe(`{{env.${k}}}`);
    }
    expect(text).not.toMatch(/MSP_SECRET"\s*:\s*"(?!\{\{env\.MSP_SECRET\}\})/);
  });
});

describe('the plan', () => {
  test('every collection of SCHEMA appears with every index, its fields, unique and sparse flags', () => {
    const plan = planFor();
    expect(plan.collections.map((c) => c.name)).toEqual(SCHEMA.map((c) => c.name));
    for (const spec of SCHEMA) {
      const c = plan.collections.find((x) => x.name === spec.name)!;
      expect(c.indexes).toEqual(
        spec.indexes.map((i) => ({
          name: i.name,
          fields: i.fields.map(([field, direction]) => ({ field, direction })),
          unique: !!i.unique,
          sparse: !!i.sparse,
        })),
      );
    }
    const flagged = plan.collections.flatMap((c) => c.indexes.filter((i) => i.unique || i.sparse));
    expect(flagged.length).toBe(SCHEMA.flatMap((c) => c.indexes.filter((i) => i.unique || i.sparse)).length);
  });

  test('every collection denies client writes; reads only where a page reads directly (today none)', () => {
    const plan = planFor();
    for (const c of plan.collections) {
      expect(c.rule.write).toBe(false);
      expect(c.rule.read).toBe(CLIENT_READS[c.name] ?? false);
    }
    expect(plan.collections.every((c) => c.rule.read === false)).toBe(true);
  });

  test('a collection can opt into a read rule in settings (data, not code); a typo is a problem', () => {
    CLIENT_READS.notices = 'doc.to == auth.openid';
    CLIENT_READS.noticez = true;
    try {
      const plan = planFor();
      expect(plan.collections.find((c) => c.name === 'notices')!.rule).toEqual({
        read: 'doc.to == auth.openid',
        write: false,
      });
      expect(plan.problems.join('\n')).toMatch(/CLIENT_READS names collections not in SCHEMA: noticez/);
    } finally {
      delete CLIENT_READS.notices;
      delete CLIENT_READS.noticez;
    }
  });

  test('every function with its timeout from config.json, memory, runtime, variables, triggers and open APIs', () => {
    const plan = planFor();
    const dirs: FunctionFolder[] = folders();
    expect(plan.functions.map((f) => f.name).sort()).toEqual(dirs.map((d) => d.name).sort());
    for (const d of dirs) {
      const f = plan.functions.find((x) => x.name === d.name)!;
      const config = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions', d.name, 'config.json'), 'utf8'));
      expect(f.timeout).toBe(config.timeout);
      expect(f.openapi).toEqual(config.permissions?.openapi || []);
      expect(f.runtime).toBe(RUNTIME);
      expect(f.handler).toBe('index.main');
      expect(f.installDependency).toBe(true);
      expect(f.memorySize).toBe(d.name === 'certs' ? 1024 : (FUNCTION_SETTINGS[d.name]?.memorySize ?? 256));
      const names = f.env.map((v) => v.name);
      expect(names).toEqual(expect.arrayContaining([...SHARED_ENV]));
      expect(f.env.find((v) => v.name === 'MSP_SECRET')).toEqual({ name: 'MSP_SECRET', required: true, set: true });
      expect(f.triggers).toEqual(FUNCTION_SETTINGS[d.name]?.triggers || []);
    }
    const by = (n: string) => plan.functions.find((f) => f.name === n)!;
    expect(by('certs').memorySize).toBeGreaterThanOrEqual(512);
    expect(by('admin').env.map((v) => v.name)).toContain('MSP_BOOTSTRAP_CODE_HASH');
    expect(by('studies').env.map((v) => v.name)).toContain('MSP_STUDY_SECRET');
    expect(by('members').env.map((v) => v.name)).not.toContain('MSP_STUDY_SECRET');
    expect(by('cert-verify').env.map((v) => v.name)).toContain('MSP_WX_VERIFY_FILE');
    expect(by('members').openapi).toEqual(['ocr.idcard', 'subscribeMessage.send']);
    // Each function with open APIs is named with the DevTools fallback.
    for (const f of plan.functions.filter((x) => x.openapi.length)) {
      expect(
        plan.notes.some(
          (n) => n.startsWith(`${f.name}: open-API permissions`) && n.includes('上传并部署：云端安装依赖'),
        ),
      ).toBe(true);
    }
  });

  test("cert-verify's HTTP access path, and the storage rule", () => {
    const plan = planFor();
    expect(plan.httpAccess).toEqual([{ function: 'cert-verify', path: '/cert-verify' }]);
    expect(plan.storageRule).toEqual({ read: false, write: 'resource.openid == auth.openid' });
    expect(plan.storageRule).toEqual(STORAGE_RULE);
    expect(plan.problems).toEqual([]);
  });

  test('a real deploy requires MSP_SECRET (≥32 characters); a dry run only says it would', () => {
    expect(planFor({ env: {} }).problems.join('\n')).toMatch(/MSP_SECRET is not set/);
    expect(planFor({ env: { MSP_SECRET: 'short' } }).problems.join('\n')).toMatch(/shorter than 32/);
    const dry = planFor({ env: {}, dryRun: true });
    expect(dry.problems).toEqual([]);
    expect(dry.notes.join('\n')).toMatch(/MSP_SECRET is not set here: a real deploy requires it/);
  });

  test('a literal value, a bad cron, two timers or certs under 512 MB in the rc are problems', () => {
    const rc = generateRc(folders());
    const bad = {
      ...rc,
      functions: rc.functions.map((f) =>
        f.name === 'certs'
          ? { ...f, memorySize: 256, envVariables: { ...f.envVariables, MSP_SECRET: 'in-the-repo' } }
          : f.name === 'notices'
            ? {
                ...f,
                triggers: [
                  { name: 'a', type: 'timer' as const, config: '0 3 * * *' },
                  { name: 'b', type: 'timer' as const, config: '0 0 3 * * * *' },
                ],
              }
            : f,
      ),
    };
    const problems = planFor({ rc: bad }).problems.join('\n');
    expect(problems).toMatch(/certs needs at least 512 MB/);
    expect(problems).toMatch(/envVariables.MSP_SECRET must be the reference/);
    expect(problems).toMatch(/one timer trigger per function/);
    expect(problems).toMatch(/7-field cron/);
    expect(problems).toMatch(/out of step/);
    expect(problems).toContain(WRITE_RC_HINT);
  });

  test('the runtime is at least the Node version the bundles are built for', () => {
    const target = /target:\s*'node(\d+)'/.exec(readFileSync(join(ROOT, 'scripts', 'build.ts'), 'utf8'))![1];
    expect(Number(/^Nodejs(\d+)\./.exec(RUNTIME)![1])).toBeGreaterThanOrEqual(Number(target));
  });

  test('the subscribe-message template variables are the ones the messenger reads', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TEMPLATES } = require('../../cloudfunctions/infra/messenger') as { TEMPLATES: readonly string[] };
    const expected = TEMPLATES.map((t) => `MSP_TPL_${t.replace(/-/g, '_').toUpperCase()}`).sort();
    expect(SHARED_ENV.filter((n) => n.startsWith('MSP_TPL_')).sort()).toEqual(expected);
  });
});
