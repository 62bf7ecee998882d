/**
 * The one place a function initialises `wx-server-sdk`.
 * Production: the current CloudBase environment. Locally, the local runner sets
 * MSP_LOCAL_SERVICE_URL and the SDK's own `serviceUrl` option sends database, storage and
 * callFunction traffic to the embedded backend instead — the function code is the same.
 */
import cloud from 'wx-server-sdk';

let inited = false;

export function initCloud(): typeof cloud {
  if (inited) return cloud;
  const local = process.env.MSP_LOCAL_SERVICE_URL;
  if (local) {
    // Fake keys: the SDK checks they are set before it sends; the local backend ignores signatures.
    (cloud.init as (o: object) => void)({
      env: 'local',
      serviceUrl: local,
      secretId: 'local',
      secretKey: 'local',
      throwOnNotFound: false,
    });
  } else {
    (cloud.init as (o: object) => void)({
      env: cloud.DYNAMIC_CURRENT_ENV as unknown as string,
      // A missing document reads as `data: null` instead of throwing, in and out of transactions.
      throwOnNotFound: false,
    });
  }
  inited = true;
  return cloud;
}

/** The SDK's database handle. Its typings are loose (`any`); the data-access modules type results. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = any;

export function database(): Database {
  return initCloud().database();
}

/** The caller's OPENID from the WeChat context (never from the request body). */
export function callerOpenid(): string {
  const ctx = initCloud().getWXContext() as { OPENID?: string };
  return typeof ctx.OPENID === 'string' ? ctx.OPENID : ctx.OPENID != null ? String(ctx.OPENID) : '';
}

export async function uploadFile(cloudPath: string, content: Buffer): Promise<string> {
  const r = (await initCloud().uploadFile({ cloudPath, fileContent: content })) as { fileID: string };
  return r.fileID;
}

export async function downloadFile(fileID: string): Promise<Buffer> {
  const r = (await initCloud().downloadFile({ fileID })) as { fileContent: Buffer };
  return r.fileContent;
}
