/**
 * `MSP_PROFILE=equipment npm start` (issue 12, the README's words): the local system starts with the
 * equipment association's demo world — the holders with their hours — and says which profile it runs.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { httpRequest } from '../support/local-system';

const ROOT = join(__dirname, '..', '..');

test('when the local system starts with MSP_PROFILE=equipment, then the holders of that association are there with their hours', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'msp-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, MSP_PROFILE: 'equipment', DATA_DIR: dataDir, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /local server: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && out.includes('demo identities')) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 100);
      child.on('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`npm start exited (${code}):\n${out}`));
      });
    });
    expect(out).toContain('association profile: equipment');
    expect(out).toContain('demo-holder-ready');
    expect(out).toContain('demo-holder-short');
    const ask = async (openid: string, action: string) =>
      JSON.parse((await httpRequest(`${url}/functions/members`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': openid }, body: JSON.stringify({ action }) })).body.toString());
    expect((await ask('demo-holder-ready', 'me')).data.association).toMatchObject({ id: 'equipment', unitBusiness: false });
    const ready = (await ask('demo-holder-ready', 'registrationOptions')).data;
    const short = (await ask('demo-holder-short', 'registrationOptions')).data;
    expect(ready[0]).toMatchObject({ hoursDone: 20, renewal: { ok: true }, certificate: { type: '专业知识培训合格证书' } });
    expect(short[0]).toMatchObject({ hoursDone: 12, renewal: { ok: false }, certificate: { type: '总监理工程师培训合格证书' } });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
