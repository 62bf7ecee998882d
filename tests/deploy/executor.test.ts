/**
 * The executor (scripts/deploy/executor.ts) against a fake CloudBase environment typed with
 * @cloudbase/manager-node's own signatures (./fake-cloud.ts). The cloud itself cannot be reached
 * here: these tests prove the calls match the library's interfaces and that every step reads before
 * it writes — a first run creates everything, a second run writes nothing.
 */
import { SCHEMA } from '../../cloudfunctions/infra/schema';
import { functionNames } from '../../scripts/build';
import { codeDescription, deploy, DeployOptions, formatReport } from '../../scripts/deploy/executor';
import { makePlan, Plan } from '../../scripts/deploy/plan';
import { generateRc, readFunctionFolders } from '../../scripts/deploy/rc';
import { FakeCloud } from './fake-cloud';

const SECRET = 's3cr3t-'.repeat(6);
const ENV = {
  MSP_SECRET: SECRET,
  MSP_VERIFY_URL: 'https://verify.example.org/cert-verify',
  MSP_TPL_BILL_DUE: 'tpl-bill-due-id',
};

// The repo's functions plus the planned `cleanup` (whether or not its folder exists yet), so the
// timer trigger is exercised.
const folders = [
  ...readFunctionFolders(functionNames()).filter((f) => f.name !== 'cleanup'),
  { name: 'cleanup', timeout: 60, openapi: ['subscribeMessage.send'] },
];
const plan: Plan = makePlan({
  folders,
  rc: generateRc(folders),
  schema: SCHEMA,
  env: ENV,
  envId: 'env-1',
  dryRun: false,
});
const hashes = (over: Record<string, string> = {}) => ({
  ...Object.fromEntries(plan.functions.map((f) => [f.name, `hash-${f.name}`])),
  ...over,
});
const options = (over: Partial<DeployOptions> = {}): DeployOptions => ({
  envId: 'env-1',
  env: ENV,
  codeHashes: hashes(),
  dryRun: false,
  buildDir: '/build/cloudfunctions',
  ...over,
});
const indexCount = SCHEMA.reduce((n, c) => n + c.indexes.length, 0);
const count = (cloud: FakeCloud, method: string) => cloud.writes().filter((c) => c.method.endsWith(method)).length;

async function deployed(): Promise<FakeCloud> {
  const cloud = new FakeCloud();
  await deploy(cloud, plan, options());
  cloud.calls = [];
  return cloud;
}

test('plan is complete and clean', () => {
  expect(plan.problems).toEqual([]);
});

test('when the environment is empty, the first run creates everything; the second writes nothing', async () => {
  const cloud = new FakeCloud();
  const first = await deploy(cloud, plan, options());
  expect(first.ok).toBe(true);
  expect(first.applied).toEqual(first.changes);
  expect(count(cloud, 'createCollectionIfNotExists')).toBe(SCHEMA.length);
  expect(count(cloud, 'updateCollection')).toBe(indexCount);
  expect(count(cloud, '.ModifySafeRule')).toBe(SCHEMA.length);
  expect(count(cloud, 'setStorageAcl')).toBe(1);
  expect(count(cloud, 'createFunction')).toBe(plan.functions.length);
  expect(count(cloud, 'createAccess')).toBe(1);

  // What the environment now holds.
  for (const spec of SCHEMA) {
    const c = cloud.collections.get(spec.name)!;
    expect([...c.indexes.keys()].sort()).toEqual(spec.indexes.map((i) => i.name).sort());
    for (const i of spec.indexes) {
      expect(c.indexes.get(i.name)).toEqual({
        keys: i.fields.map(([Name, d]) => ({ Name, Direction: String(d) })),
        unique: !!i.unique,
        sparse: !!i.sparse,
      });
    }
    expect(c.rule).toEqual({ AclTag: 'CUSTOM', Rule: JSON.stringify({ read: false, write: false }) });
  }
  expect(cloud.storageAcl).toEqual({ acl: 'CUSTOM', rule: { read: false, write: 'resource.openid == auth.openid' } });
  const certs = cloud.fns.get('certs')!;
  expect(certs).toMatchObject({
    runtime: 'Nodejs20.19',
    timeout: 60,
    memorySize: 1024,
    description: codeDescription('hash-certs'),
  });
  // Only the variables that are set, and only the ones each function gets.
  expect(Object.keys(certs.env).sort()).toEqual(['MSP_SECRET', 'MSP_TPL_BILL_DUE', 'MSP_VERIFY_URL']);
  expect(certs.env.MSP_SECRET).toBe(SECRET);
  expect(cloud.fns.get('cleanup')!.triggers).toEqual([{ name: 'daily-cleanup', cron: '0 0 3 * * * *' }]);
  expect(cloud.routes.map((r) => [r.Path, r.Name, r.Type, r.EnableAuth])).toEqual([
    ['/cert-verify', 'cert-verify', 1, false],
  ]);
  const create = cloud.calls.find(
    (c) => c.method === 'functions.createFunction' && (c.args[0] as { func: { name: string } }).func.name === 'certs',
  );
  expect(create?.args[0]).toMatchObject({ functionPath: '/build/cloudfunctions/certs', force: false });

  cloud.calls = [];
  const second = await deploy(cloud, plan, options());
  expect(second.changes).toEqual([]);
  expect(cloud.writes()).toEqual([]);
  expect(cloud.calls.length).toBeGreaterThan(0);
  expect(formatReport(second)).toMatch(/already as planned, nothing to change/);
  expect(cloud.dropped).toEqual([]);
});

test('an index that exists is not re-created (re-creating drops it first); one with other keys is reported, not touched', async () => {
  const cloud = new FakeCloud();
  cloud.collections.set('orgs', {
    indexes: new Map([
      ['kind', { keys: [{ Name: 'kind', Direction: '1' }], unique: false, sparse: undefined }],
      ['name_unique', { keys: [{ Name: 'title', Direction: '1' }], unique: true, sparse: undefined }],
    ]),
    rule: { AclTag: 'CUSTOM', Rule: '{ "write": false, "read": false }' },
  });
  const report = await deploy(cloud, plan, options());
  expect(report.ok).toBe(true);
  const orgsIndexWrites = cloud
    .writes()
    .filter((c) => c.method === 'database.updateCollection' && c.args[0] === 'orgs');
  expect(orgsIndexWrites).toEqual([]);
  expect(cloud.dropped).toEqual([]);
  expect(report.warnings.join('\n')).toMatch(/index orgs\.name_unique differs .*left as is/);
  // The equal rule (other key order and spacing) is not rewritten.
  expect(
    cloud
      .writes()
      .some(
        (c) =>
          c.method.endsWith('ModifySafeRule') && (c.args[0] as { CollectionName: string }).CollectionName === 'orgs',
      ),
  ).toBe(false);
  // Before each index write the executor checked that the index is still absent.
  const forms = cloud.calls.filter((c) => c.args[0] === 'forms');
  expect(forms.filter((c) => c.method === 'database.checkIndexExists').length).toBe(
    forms.filter((c) => c.method === 'database.updateCollection').length,
  );
});

test('changed code re-uploads only that function; a changed setting updates config without code', async () => {
  const cloud = await deployed();
  cloud.fns.get('units')!.timeout = 3;
  const report = await deploy(cloud, plan, options({ codeHashes: hashes({ members: 'hash-members-2' }) }));
  const updates = cloud.writes();
  expect(updates.map((c) => c.method)).toEqual([
    'functions.updateFunctionWithProgress',
    'functions.updateFunctionWithProgress',
  ]);
  const byName = (n: string) =>
    updates.find((c) => (c.args[0] as { name: string }).name === n)!.args[0] as {
      code?: object;
      config: { description?: string; timeout?: number };
    };
  expect(byName('members').code).toEqual({ functionPath: '/build/cloudfunctions/members' });
  expect(byName('members').config.description).toBe(codeDescription('hash-members-2'));
  expect(byName('units').code).toBeUndefined();
  expect(byName('units').config.timeout).toBe(20);
  expect(report.changes.map((c) => c.summary)).toEqual([
    'update function members: code hash-members → hash-members-2',
    'update function units: timeout 3 → 20 s',
  ]);
  cloud.calls = [];
  await deploy(cloud, plan, options({ codeHashes: hashes({ members: 'hash-members-2' }) }));
  expect(cloud.writes()).toEqual([]);
});

test('a timer with another cron is deleted and re-created; a stray timer is removed', async () => {
  const cloud = await deployed();
  cloud.fns.get('cleanup')!.triggers = [{ name: 'daily-cleanup', cron: '0 0 4 * * * *' }];
  cloud.fns.get('notices')!.triggers = [{ name: 'old', cron: '0 0 1 * * * *' }];
  await deploy(cloud, plan, options());
  expect(
    cloud
      .writes()
      .map((c) => [c.method, ...c.args.slice(0, 2).map((a) => (Array.isArray(a) ? a.map((t) => t.config) : a))]),
  ).toEqual([
    ['functions.deleteFunctionTrigger', 'cleanup', 'daily-cleanup'],
    ['functions.createFunctionTriggers', 'cleanup', ['0 0 3 * * * *']],
    ['functions.deleteFunctionTrigger', 'notices', 'old'],
  ]);
  expect(cloud.fns.get('cleanup')!.triggers).toEqual([{ name: 'daily-cleanup', cron: '0 0 3 * * * *' }]);
});

test('a different MSP_SECRET in the cloud stops the deploy before any write', async () => {
  const cloud = await deployed();
  cloud.fns.get('codes')!.env.MSP_SECRET = 'another-secret-'.repeat(3);
  cloud.collections.delete('audit');
  const report = await deploy(cloud, plan, options());
  expect(report.ok).toBe(false);
  expect(report.problems.join('\n')).toMatch(/MSP_SECRET differs from the one deployed on codes/);
  expect(cloud.writes()).toEqual([]);
  expect(JSON.stringify(report)).not.toContain(SECRET);
  expect(JSON.stringify(report)).not.toContain('another-secret-');
});

test('a cloud-side variable missing here is not silently removed: refused, or removed with --prune-env', async () => {
  const cloud = await deployed();
  cloud.fns.get('certs')!.env.MSP_CERT_KEYS = '2:' + 'k'.repeat(40);
  const refused = await deploy(cloud, plan, options());
  expect(refused.ok).toBe(false);
  expect(refused.problems.join('\n')).toMatch(/function certs: MSP_CERT_KEYS would be removed .*--prune-env/);
  expect(cloud.writes()).toEqual([]);

  const pruned = await deploy(cloud, plan, options({ pruneEnv: true }));
  expect(pruned.ok).toBe(true);
  expect(pruned.changes.map((c) => c.summary)).toEqual(['update function certs: env: remove MSP_CERT_KEYS']);
  expect(cloud.fns.get('certs')!.env).not.toHaveProperty('MSP_CERT_KEYS');
});

test('a new variable is added to every function that references it', async () => {
  const cloud = await deployed();
  const report = await deploy(cloud, plan, options({ env: { ...ENV, MSP_STUDY_SECRET: 'study-secret-value' } }));
  expect(report.changes.map((c) => c.summary)).toEqual(['update function studies: env: add MSP_STUDY_SECRET']);
  expect(cloud.fns.get('studies')!.env.MSP_STUDY_SECRET).toBe('study-secret-value');
  expect(JSON.stringify(report)).not.toContain('study-secret-value');
});

test('a dry run reads and reports, and writes nothing', async () => {
  const cloud = new FakeCloud();
  const report = await deploy(cloud, plan, options({ dryRun: true }));
  expect(report.changes.length).toBe(SCHEMA.length * 2 + indexCount + 1 + plan.functions.length + 1);
  expect(report.applied).toEqual([]);
  expect(cloud.writes()).toEqual([]);
  expect(formatReport(report)).toMatch(/would change/);
});

test('without a build, code is not compared (a dry run without hashes)', async () => {
  const cloud = await deployed();
  const report = await deploy(cloud, plan, options({ dryRun: true, codeHashes: undefined }));
  expect(report.changes).toEqual([]);
});

test('an HTTP path bound to another function is a problem; a wrong runtime is a warning', async () => {
  const cloud = await deployed();
  cloud.routes = [{ ...cloud.routes[0], Name: 'someone-else' }];
  cloud.fns.get('admin')!.runtime = 'Nodejs16.13';
  const report = await deploy(cloud, plan, options());
  expect(report.ok).toBe(false);
  expect(report.problems.join('\n')).toMatch(/\/cert-verify is bound to someone-else/);
  expect(report.warnings.join('\n')).toMatch(/admin runs Nodejs16.13, planned Nodejs20.19/);
  expect(cloud.writes()).toEqual([]);
});

test('functions in the environment that the repo does not have are left alone', async () => {
  const cloud = await deployed();
  cloud.fns.set('legacy', { ...cloud.fns.get('codes')!, triggers: [] });
  const report = await deploy(cloud, plan, options());
  expect(report.warnings.join('\n')).toMatch(/not in the repo, left alone: legacy/);
  expect(cloud.writes()).toEqual([]);
});

test('a dry run without MSP_SECRET here does not report it as a removal', async () => {
  const cloud = await deployed();
  const report = await deploy(cloud, plan, options({ dryRun: true, env: { ...ENV, MSP_SECRET: '' } }));
  expect(report.problems).toEqual([]);
  expect(report.changes).toEqual([]);
});

test('--force-code re-uploads code whose recorded hash matches (e.g. after a DevTools upload)', async () => {
  const cloud = await deployed();
  const report = await deploy(cloud, plan, options({ forceCode: true }));
  expect(report.changes.length).toBe(plan.functions.length);
  expect(
    cloud
      .writes()
      .every((c) => c.method === 'functions.updateFunctionWithProgress' && (c.args[0] as { code?: object }).code),
  ).toBe(true);
});
