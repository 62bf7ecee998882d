/**
 * The slice of `@cloudbase/manager-node` the deployer uses, typed with the library's own
 * declarations (node_modules/@cloudbase/manager-node/types/…). `connect()` returns the library's
 * client; the tests pass a fake that satisfies the same type, so `tsc` checks every call the
 * executor makes against the library's signatures.
 */
import type CloudBase from '@cloudbase/manager-node';
import type { AccessService } from '@cloudbase/manager-node/types/access';
import type { CommonService } from '@cloudbase/manager-node/types/common';
import type { DatabaseService } from '@cloudbase/manager-node/types/database';
import type { FunctionService } from '@cloudbase/manager-node/types/function';
import type { AclType, IStorageAclRule, StorageService } from '@cloudbase/manager-node/types/storage';

export interface CloudPort {
  /** types/function/index.d.ts, lib/function/index.js */
  functions: Pick<
    FunctionService,
    | 'listAllFunctions'
    | 'getFunctionDetail'
    | 'createFunction'
    | 'updateFunctionWithProgress'
    | 'createFunctionTriggers'
    | 'deleteFunctionTrigger'
  >;
  /** types/database/index.d.ts, lib/database/index.js */
  database: Pick<
    DatabaseService,
    'listCollections' | 'describeCollection' | 'createCollectionIfNotExists' | 'checkIndexExists' | 'updateCollection'
  >;
  /** types/storage/index.d.ts (the `{ withRule: true }` overload of getStorageAcl), lib/storage/index.js */
  storage: {
    getStorageAcl(options: { withRule: true }): Promise<{ acl: AclType; rule?: IStorageAclRule }>;
    setStorageAcl: StorageService['setStorageAcl'];
  };
  /** types/access/index.d.ts, lib/access/index.js */
  access: Pick<AccessService, 'getAccessList' | 'createAccess'>;
  /** types/index.d.ts, lib/common/index.js: a plain Tencent Cloud API call (tcb 2018-06-08). */
  commonService(service?: string, version?: string): Pick<CommonService, 'call'>;
}

/** Compile-time proof that the library's client is a CloudPort. */
export const asCloudPort = (app: CloudBase): CloudPort => app;

export interface Credentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

/** TCB_SECRET_ID / TCB_SECRET_KEY / TCB_TOKEN (or the TENCENTCLOUD_* names the SDKs use). */
export function credentialsFrom(env: Record<string, string | undefined>): Credentials | null {
  const secretId = env.TCB_SECRET_ID || env.TENCENTCLOUD_SECRETID || '';
  const secretKey = env.TCB_SECRET_KEY || env.TENCENTCLOUD_SECRETKEY || '';
  const token = env.TCB_TOKEN || env.TENCENTCLOUD_SESSIONTOKEN || '';
  if (!secretId || !secretKey) return null;
  return { secretId, secretKey, ...(token ? { token } : {}) };
}

/** The library's client for one environment; loaded only when a deploy talks to the cloud. */
export async function connect(envId: string, credentials: Credentials, region?: string): Promise<CloudPort> {
  const { default: Manager } = await import('@cloudbase/manager-node');
  return asCloudPort(new Manager({ ...credentials, envId, ...(region ? { region } : {}) }));
}
