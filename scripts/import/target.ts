/**
 * Where the legacy import writes — through the same SDK in every case (`@cloudbase/node-sdk`):
 * - a CloudBase environment: `init({ env, secretId, secretKey })`, with MSP_SECRET set to the
 *   functions' secret (ID numbers are encrypted and hashed with keys derived from it);
 * - a running local server (`npm start`): its embedded backend at `<url>/admin/<key>` (printed at start);
 * - a local data directory (default): the embedded backend opened here for the duration of the run
 *   (stop `npm start` on that directory first: one backend per data directory).
 * Locally the secret is the data directory's own `secret.key`.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import tcb from '@cloudbase/node-sdk';
import { SCHEMA } from '../../cloudfunctions/infra/schema';
import { startBackendServer } from '../../local/db';
import { localSecret } from '../../local/server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = any;

export interface Target {
  db: Db;
  describe: string;
  close(): Promise<void>;
}

export type TargetSpec =
  | { kind: 'local'; dataDir: string }
  | { kind: 'service'; serviceUrl: string; dataDir: string }
  | { kind: 'cloudbase'; env: string; secretId: string; secretKey: string };

function sdk(opts: Record<string, unknown>): Db {
  // Without this @cloudbase/node-sdk probes Tencent's metadata host before every request (NOTES).
  process.env.TENCENTCLOUD = 'true';
  return tcb.init({ timeout: 60_000, ...opts } as Parameters<typeof tcb.init>[0]).database();
}

export async function openTarget(spec: TargetSpec): Promise<Target> {
  if (spec.kind === 'cloudbase') {
    if (!process.env.MSP_SECRET || process.env.MSP_SECRET.length < 32) {
      throw new Error('导入到云开发环境需要设置 MSP_SECRET（与云函数相同的主密钥），否则身份证号无法加密与查重。');
    }
    return { db: sdk({ env: spec.env, secretId: spec.secretId, secretKey: spec.secretKey }), describe: `云开发环境 ${spec.env}`, close: async () => undefined };
  }
  if (!existsSync(join(spec.dataDir, 'db.sqlite')) && spec.kind === 'local') {
    // A fresh directory has no service organisations, so no unit could be placed: say so plainly.
    throw new Error(`数据目录 ${spec.dataDir} 还没有数据库：请先运行一次 npm start（会创建数据库并写入示例数据），或用 DATA_DIR 指定已有的数据目录。`);
  }
  process.env.MSP_SECRET = localSecret(spec.dataDir);
  if (spec.kind === 'service') {
    return { db: sdk({ env: 'local', serviceUrl: spec.serviceUrl, secretId: 'local', secretKey: 'local' }), describe: `本地服务 ${spec.serviceUrl}`, close: async () => undefined };
  }
  const server = await startBackendServer({ dataDir: spec.dataDir, schema: SCHEMA });
  return {
    db: sdk({ env: 'local', serviceUrl: server.url, secretId: 'local', secretKey: 'local' }),
    describe: `本地数据目录 ${spec.dataDir}`,
    close: () => server.close(),
  };
}
