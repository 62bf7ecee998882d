/**
 * The one request wrapper (STYLE §3): only this module calls the cloud. `call(fn, action, payload)`
 * unwraps the `{ ok, data | error }` envelope and throws an `AppError` with the stable code.
 * The transport is chosen once: cloud in production, the local server in a dev build, injected in tests.
 */
import type { ActionOf, Envelope, FunctionName, ReqOf, ResOf } from '../../typings/api';
import type { Transport } from '../../typings/transport';

export type { Transport };
import { AppError } from '../shared/errors';
import { config } from './config';

let transport: Transport | null = null;

/** Replace the transport (tests, or the dev identity switcher). */
export function setTransport(t: Transport | null): void {
  transport = t;
}

export function getTransport(): Transport {
  if (!transport) transport = config.cloudEnv ? cloudTransport(config.cloudEnv) : localTransport(config.localServer);
  return transport;
}

/** Call `fn.action` with `payload`; resolves to `data` or throws `AppError`. */
export async function call<F extends FunctionName, A extends ActionOf<F>>(
  fn: F,
  action: A,
  payload?: ReqOf<F, A>,
): Promise<ResOf<F, A>> {
  let env: Envelope<unknown>;
  try {
    env = await getTransport().call(fn, { ...(payload as object), action });
  } catch (e) {
    throw new AppError('INTERNAL', '网络异常，请检查网络后重试。');
  }
  if (!env || typeof env !== 'object') throw new AppError('INTERNAL');
  if (env.ok) return env.data as ResOf<F, A>;
  throw new AppError(env.error.code, env.error.message, env.error.fields);
}

/** Production: WeChat cloud development. */
export function cloudTransport(env: string): Transport {
  let inited = false;
  const init = () => {
    if (!inited) wx.cloud.init({ env, traceUser: true });
    inited = true;
  };
  return {
    async call(fn, data) {
      init();
      const r = await wx.cloud.callFunction({ name: fn, data });
      return r.result as Envelope<unknown>;
    },
    async upload(filePath, cloudPath) {
      init();
      const r = await wx.cloud.uploadFile({ filePath, cloudPath });
      return r.fileID;
    },
    async fileUrl(fileID) {
      init();
      const r = await wx.cloud.getTempFileURL({ fileList: [fileID] });
      return r.fileList[0]?.tempFileURL || '';
    },
  };
}

/** The dev identity the local server should act as (the demo world's OPENIDs). */
export const DEV_OPENID_KEY = 'dev-openid';

/**
 * Development: the local server of `npm start` (SPEC §5 "Local server"). The caller's identity
 * travels in `x-wx-openid`, which only the local server honours; production identity comes from WeChat.
 */
export function localTransport(base: string): Transport {
  const openid = () => (wx.getStorageSync(DEV_OPENID_KEY) as string) || 'demo-newcomer';
  const request = <T>(opts: WechatMiniprogram.RequestOption) =>
    new Promise<T>((resolve, reject) =>
      wx.request({
        ...opts,
        success: (r) => (r.statusCode >= 200 && r.statusCode < 300 ? resolve(r.data as T) : reject(r)),
        fail: reject,
      }),
    );
  return {
    call(fn, data) {
      return request<Envelope<unknown>>({
        url: `${base}/functions/${fn}`,
        method: 'POST',
        data,
        header: { 'content-type': 'application/json', 'x-wx-openid': openid() },
      });
    },
    async upload(filePath, cloudPath) {
      const body = wx.getFileSystemManager().readFileSync(filePath) as ArrayBuffer;
      const r = await request<{ fileID: string }>({
        url: `${base}/storage?cloudPath=${encodeURIComponent(cloudPath)}`,
        method: 'POST',
        data: body,
        header: { 'content-type': 'application/octet-stream', 'x-wx-openid': openid() },
      });
      return r.fileID;
    },
    async fileUrl(fileID) {
      return `${base}/storage/${encodeURIComponent(fileID)}`;
    },
  };
}
