/**
 * A deployment from nothing (SPEC §2.1): no demo world, a bootstrap code printed by
 * `npm run bootstrap-code` and its hash in MSP_BOOTSTRAP_CODE_HASH — the first secretariat binds with
 * it once, then builds the association's world (organisation, unit, its main admin) by invitation.
 */
import { spawn, ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { BOOTSTRAP_ENV, bootstrapHash, newBootstrapCode } from '../../cloudfunctions/admin/bootstrap';
import { httpRequest } from '../support/local-system';
import { ok } from '../support/journey';
import { auditOf, err, freshCreditCode } from '../support/accounts';

const ROOT = join(__dirname, '..', '..');
const code = newBootstrapCode();

/**
 * The local system in its own process, started with the hash in its environment as a deployment
 * configures the function (a jest test's process.env is a sandbox copy that function instances,
 * being threads of the real process, never see).
 */
let child: ChildProcess;
let url = '';
let dataDir = '';
const sys = {
  async call(fn: string, data: Record<string, unknown>, openid: string) {
    const r = await httpRequest(`${url}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: JSON.stringify(data),
    });
    return JSON.parse(r.body.toString('utf8'));
  },
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'msp-bootstrap-'));
  const script =
    `import('./local/server.ts').then((m) => (m.startLocalServer ? m : m.default).startLocalServer({ dataDir: ${JSON.stringify(dataDir)}, port: 0, ` +
    `seed: false, enforceIndexes: true, instances: 3 })).then((s) => console.log('READY ' + s.url + ' ' + s.serviceUrl))`;
  child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, [BOOTSTRAP_ENV]: bootstrapHash(code), TZ: 'Asia/Shanghai' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let serviceUrl = '';
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\S+) (\S+)/.exec(out);
      if (m) {
        serviceUrl = m[2];
        resolve(m[1]);
      }
    });
    child.on('exit', (c) => reject(new Error(`local server exited with ${c}: ${out}`)));
  });
  // This process reads and writes the same database directly, as the other scenarios do.
  process.env.MSP_LOCAL_SERVICE_URL = serviceUrl;
  process.env.MSP_SECRET = readFileSync(join(dataDir, 'secret.key'), 'utf8').trim();
  process.env.TENCENTCLOUD = 'true';
}, 30_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('when the first secretariat enters the bootstrap code, then they are bound once; a wrong code is CODE_INVALID, a second use CONFLICT, a reuse after losing every secretariat CODE_USED', async () => {
  expect(err(await sys.call('admin', { action: 'listUnits' }, 'first-sec'))).toBe('FORBIDDEN');
  expect(err(await sys.call('admin', { action: 'bootstrap', code: newBootstrapCode() }, 'first-sec'))).toBe(
    'CODE_INVALID',
  );
  expect(err(await sys.call('admin', { action: 'bootstrap', code }, ''))).toBe('UNAUTHENTICATED');

  // Typed by hand: lower case, spaces instead of dashes.
  const grant = ok(
    await sys.call('admin', { action: 'bootstrap', code: code.toLowerCase().replace(/-/g, ' ') }, 'first-sec'),
  );
  expect(grant).toMatchObject({ role: 'secretariat', scopeId: '', grantedByMasked: 'boot****trap' });
  expect(await auditOf(grant.grantId)).toEqual([
    expect.objectContaining({
      targetType: 'role',
      action: 'bootstrap',
      actor: 'first-sec',
      role: 'system',
      to: 'secretariat',
    }),
  ]);
  ok(await sys.call('admin', { action: 'listUnits' }, 'first-sec'));
  expect(err(await sys.call('admin', { action: 'bootstrap', code }, 'intruder'))).toBe('CONFLICT');

  // Even if every secretariat grant disappeared, the same code does not work twice.
  await database().collection(C.roles).doc(grant.grantId).remove();
  expect(err(await sys.call('admin', { action: 'bootstrap', code }, 'intruder'))).toBe('CODE_USED');
  await database()
    .collection(C.roles)
    .add({ data: { _id: grant.grantId, openid: 'first-sec', role: 'secretariat', scopeId: '' } });
});

test('when two people race with the code, then exactly one becomes the secretariat', async () => {
  // As if the platform had lost its secretariat and the record of the code's use.
  await database().collection(C.roles).where({ role: 'secretariat', scopeId: '' }).remove();
  await database().collection(C.config).doc('bootstrap').remove();
  const rs = await Promise.all(
    ['racer-1', 'racer-2', 'racer-3'].map((who) => sys.call('admin', { action: 'bootstrap', code }, who)),
  );
  expect(rs.filter((r) => r.ok)).toHaveLength(1);
  expect(
    rs
      .filter((r) => !r.ok)
      .map(err)
      .every((c) => c === 'CODE_USED' || c === 'CONFLICT'),
  ).toBe(true);
  const secs = (await database().collection(C.roles).where({ scopeId: '', role: 'secretariat' }).get()).data;
  expect(secs).toHaveLength(1);
});

test('when the bootstrapped secretariat builds the world, then an organisation, a unit and its main admin exist, all by invitation', async () => {
  const sec = (
    (await database().collection(C.roles).where({ scopeId: '', role: 'secretariat' }).get()).data[0] as {
      openid: string;
    }
  ).openid;
  const assocLess = ok(await sys.call('admin', { action: 'createOrg', name: '东区建设监理行业协会' }, sec));
  expect(assocLess).toMatchObject({ kind: 'service-org', units: 0 });
  const unit = ok(
    await sys.call(
      'admin',
      { action: 'createUnit', name: '首家监理有限公司', creditCode: freshCreditCode(), orgId: assocLess.id },
      sec,
    ),
  );
  const inv = ok(
    await sys.call('admin', { action: 'inviteRole', role: 'unit_admin', scopeId: unit.id, phone: '13600000001' }, sec),
  );
  ok(await sys.call('units', { action: 'acceptInvite', code: inv.code, phone: '13600000001' }, 'first-unit-admin'));
  expect(ok(await sys.call('units', { action: 'info' }, 'first-unit-admin'))).toMatchObject({
    main: true,
    unit: { id: unit.id, org: { id: assocLess.id, name: '东区建设监理行业协会' } },
  });
  const rev = ok(await sys.call('admin', { action: 'inviteRole', role: 'org_reviewer', scopeId: assocLess.id }, sec));
  ok(await sys.call('admin', { action: 'acceptRole', code: rev.code }, 'first-org-reviewer'));
  ok(await sys.call('review', { action: 'queue', stage: 'org_review' }, 'first-org-reviewer'));
});
