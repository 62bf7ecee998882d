/**
 * Test harness: a backend server on 127.0.0.1 with a temp data dir, and the REAL wx-server-sdk pointed at it.
 */
// Without this, @cloudbase/node-sdk probes metadata.tencentyun.com (30 ms timeout, twice) on every request.
process.env.TENCENTCLOUD = 'true';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CollectionSpec } from '../../cloudfunctions/infra/schema';
import { BackendServer, InvokeFunctionHook, localCloudInitOptions, startBackendServer } from '../../local/db';

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const cloud: any = require('wx-server-sdk');

/** A schema exercising every index flavour; `people` and `events` are large (index enforcement). */
export const TEST_SCHEMA: CollectionSpec[] = [
  { name: 'plain', indexes: [], note: 'no indexes: pure mingo semantics' },
  {
    name: 'items',
    indexes: [
      { name: 'code_unique', fields: [['code', 1]], unique: true },
      { name: 'group_created', fields: [['group', 1], ['createdAt', -1]] },
      { name: 'tags', fields: [['tags', 1]] },
      { name: 'score', fields: [['score', 1]] },
      { name: 'nested', fields: [['meta.kind', 1]] },
    ],
    note: 'indexed, small',
  },
  {
    name: 'people',
    large: true,
    indexes: [
      { name: 'idHash_unique', fields: [['idHash', 1]], unique: true },
      { name: 'openid', fields: [['openid', 1]], sparse: true },
      { name: 'unit_created', fields: [['unitId', 1], ['createdAt', -1]] },
      { name: 'cid', fields: [['cid', 1]] },
    ],
    note: 'large: every query must be index-served',
  },
  {
    name: 'forms',
    large: true,
    indexes: [
      { name: 'no_unique', fields: [['no', 1]], unique: true },
      { name: 'pendingKey_unique', fields: [['pendingKey', 1]], unique: true, sparse: true },
      { name: 'personHashes', fields: [['personHashes', 1]] },
    ],
    note: 'sparse unique + multikey',
  },
  { name: 'acc', indexes: [], note: 'transactions' },
];

export interface Local {
  server: BackendServer;
  db: any;
  _: any;
  dir: string;
  close(): Promise<void>;
}

export async function startLocal(opts: { schema?: CollectionSpec[]; onInvokeFunction?: InvokeFunctionHook } = {}): Promise<Local> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-test-'));
  const server = await startBackendServer({
    dataDir: dir,
    schema: opts.schema ?? TEST_SCHEMA,
    enforceIndexes: true,
    onInvokeFunction: opts.onInvokeFunction,
  });
  cloud.init(localCloudInitOptions(server.url));
  const db = cloud.database();
  return {
    server,
    db,
    _: db.command,
    dir,
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const ids = (res: { data: any[] }) => res.data.map((d) => d._id).sort();
