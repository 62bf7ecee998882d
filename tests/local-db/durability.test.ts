import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startBackendServer } from '../../local/db';
import { DURABILITY_SCHEMA } from './fixtures/durability-schema';
import { cloud } from './helpers';

jest.setTimeout(30_000);

const ROOT = path.resolve(__dirname, '../..');

/** Run the crash writer until it has confirmed `adds` inserts and `txs` transactions, then SIGKILL it. */
function writeThenKill(dataDir: string, adds: number, txs: number): Promise<{ added: string[]; lastTx: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/crash-writer.ts'), dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const added: string[] = [];
    let lastTx = 0;
    let buf = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000); // never leave it running
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const [kind, a] = buf.slice(0, i).split(' ');
        buf = buf.slice(i + 1);
        if (kind === 'ADD') added.push(a);
        if (kind === 'TX') lastTx = Number(a);
        if (!killed && added.length >= adds && lastTx >= txs) {
          killed = true;
          child.kill('SIGKILL'); // writes are still in flight: 3 adders and a transaction loop never pause
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && killed) resolve({ added, lastTx });
      else reject(new Error(`crash writer exited early (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

test('when the server process is killed with SIGKILL mid-writes, then every SDK-confirmed write is still there after reopening', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-crash-'));
  try {
    const { added, lastTx } = await writeThenKill(dir, 300, 20);
    expect(added.length).toBeGreaterThanOrEqual(300);

    const server = await startBackendServer({ dataDir: dir, schema: DURABILITY_SCHEMA });
    try {
      cloud.init({ env: 'local', serviceUrl: server.url, secretId: 'local', secretKey: 'local' });
      const db = cloud.database();
      const found = new Set<string>();
      for (let i = 0; i < added.length; i += 500) {
        const res = await db.collection('log').where({ _id: db.command.in(added.slice(i, i + 500)) }).limit(1000).get();
        for (const d of res.data) found.add(d._id);
      }
      expect(added.filter((id) => !found.has(id))).toEqual([]);
      // the transaction moved A and B together: both equal, and at least the last confirmed value
      const a = (await db.collection('pairs').doc('A').get()).data.n;
      const b = (await db.collection('pairs').doc('B').get()).data.n;
      expect(a).toBe(b);
      expect(a).toBeGreaterThanOrEqual(lastTx);
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
