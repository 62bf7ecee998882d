/**
 * The local system (SPEC §5 "Local server"): the cloud functions, run by local workers on the
 * embedded database, behind the HTTP endpoints the mini-program's dev build and the tests use.
 *   POST /functions/<name>       JSON event; caller identity in `x-wx-openid` (local only)
 *   POST /storage?cloudPath=…    raw bytes → { fileID }
 *   GET  /storage/<fileID>       the file, to a caller (`x-wx-openid`) who may see it (files.url's rule)
 *   ANY  /http/<name>/<path>     a function behind the HTTP access service (public web pages)
 *   GET  /outbox                 subscribe messages that would have been sent (kept locally)
 *   /admin/<key>                 the embedded backend the SDK's `serviceUrl` points at (key per start)
 * It binds to 127.0.0.1 only.
 */
import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { SCHEMA } from '../cloudfunctions/infra/schema';
import { profileOf } from '../miniprogram/shared/association';
import { Backend, createAdminHandler } from './db';
import { FunctionNotFound, Runner } from './runner';

export interface LocalServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** Seed the demo world when the data directory is empty (default true). */
  seed?: boolean;
  /** Refuse queries no declared index serves on large collections (tests). */
  enforceIndexes?: boolean;
  /** Function instances at once (default 4). */
  instances?: number;
  distDir?: string;
  /** The association profile (issue 12): `construction` (default) or `equipment`; else MSP_PROFILE. */
  profile?: string;
}

export interface LocalServer {
  url: string;
  /** The database API's URL with this start's key: for trusted local tools (tests), never a browser. */
  serviceUrl: string;
  port: number;
  dataDir: string;
  backend: Backend;
  runner: Runner;
  seeded: boolean;
  /** The association profile the functions run with. */
  profile: string;
  close(): Promise<void>;
}

const MAX_EVENT = 6 * 1024 * 1024; // CloudBase's request limit
const MAX_UPLOAD = 60 * 1024 * 1024;

/** The master secret of this data directory, made on first start and kept beside the data. */
export function localSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function contentType(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xd8) return 'image/jpeg';
  if (buf[0] === 0x89 && buf[1] === 0x50) return 'image/png';
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return 'application/octet-stream';
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const host = opts.host || '127.0.0.1';
  const profile = profileOf(opts.profile || process.env.MSP_PROFILE).id;
  mkdirSync(opts.dataDir, { recursive: true });
  const secret = localSecret(opts.dataDir);
  // The database API's key: new at every start, handed only to the function instances.
  const adminKey = randomBytes(24).toString('hex');
  let baseUrl = '';
  let runner: Runner | null = null;
  const backend = new Backend({
    dataDir: opts.dataDir,
    schema: SCHEMA,
    enforceIndexes: !!opts.enforceIndexes,
    publicUrl: () => baseUrl,
    // callFunction from inside a function: same runner, same caller.
    onInvokeFunction: (name: string, event: unknown, caller?: { openid?: string }) =>
      (runner as Runner).invoke(name, event, caller?.openid || ''),
  });
  const admin = createAdminHandler(backend, { key: adminKey });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url || '/', 'http://local');
    try {
      if (url.pathname === '/admin' || url.pathname.startsWith('/admin/')) return admin(req, res);
      const fn = /^\/functions\/([a-z][a-z0-9-]*)$/.exec(url.pathname);
      if (fn && req.method === 'POST') {
        let event: unknown;
        try {
          const raw = await readBody(req, MAX_EVENT);
          event = raw.length ? JSON.parse(raw.toString('utf8')) : {};
        } catch (e) {
          return send(res, (e as { status?: number }).status || 400, {
            ok: false,
            error: { code: 'INVALID_INPUT', message: '请求内容不是有效的 JSON 或超过 6MB。' },
          });
        }
        const openid = String(req.headers['x-wx-openid'] || '');
        try {
          return send(res, 200, await (runner as Runner).invoke(fn[1], event, openid));
        } catch (e) {
          if (e instanceof FunctionNotFound) return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `云函数 ${fn[1]} 不存在。` } });
          throw e;
        }
      }
      // HTTP access service (CloudBase 云接入): /http/<fn>/<path> runs `fn` with the integration-request
      // event and answers its { statusCode, headers, body, isBase64Encoded } — no WeChat identity.
      const httpFn = /^\/http\/([a-z][a-z0-9-]*)(\/.*)?$/.exec(url.pathname);
      if (httpFn) {
        const raw = await readBody(req, MAX_EVENT);
        const event = {
          path: httpFn[2] || '/',
          httpMethod: req.method,
          headers: req.headers,
          queryStringParameters: Object.fromEntries(url.searchParams),
          body: raw.toString('base64'),
          isBase64Encoded: true,
        };
        let out: { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };
        try {
          out = (await (runner as Runner).invoke(httpFn[1], event, '')) as typeof out;
        } catch (e) {
          if (e instanceof FunctionNotFound) return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `云函数 ${httpFn[1]} 不存在。` } });
          throw e;
        }
        const body = Buffer.from(out?.body || '', out?.isBase64Encoded ? 'base64' : 'utf8');
        res.writeHead(out?.statusCode || 200, { 'content-type': 'text/html; charset=utf-8', ...(out?.headers || {}), 'content-length': body.length });
        return res.end(body);
      }
      if (url.pathname === '/storage' && req.method === 'POST') {
        const cloudPath = url.searchParams.get('cloudPath') || '';
        if (!/^[A-Za-z0-9_\-./]{1,200}$/.test(cloudPath) || cloudPath.includes('..') || cloudPath.startsWith('/'))
          return send(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: 'cloudPath 不正确。' } });
        const body = await readBody(req, MAX_UPLOAD);
        if (!body.length) return send(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: '文件为空。' } });
        return send(res, 200, { fileID: backend.putFile(cloudPath, body) });
      }
      // Storage is private (issue 9): the caller reads a file only if `files.url` would give them
      // one — the same rule, asked of the same function, as the caller named in `x-wx-openid`.
      if (url.pathname.startsWith('/storage/') && req.method === 'GET') {
        const fileID = decodeURIComponent(url.pathname.slice('/storage/'.length));
        const openid = String(req.headers['x-wx-openid'] || '');
        if (!openid) return send(res, 401, { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
        const allowed = (await (runner as Runner).invoke('files', { action: 'url', fileID }, openid)) as {
          ok: boolean;
          error?: unknown;
        };
        if (!allowed?.ok) return send(res, 403, allowed);
        const file = backend.getFile(fileID);
        if (!file) return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '文件不存在。' } });
        res.writeHead(200, { 'content-type': contentType(file), 'content-length': file.length });
        return res.end(file);
      }
      // The subscribe messages that would have been sent (kept locally), newest first.
      if (url.pathname === '/outbox' && req.method === 'GET') {
        const { database } = await import('../cloudfunctions/infra/cloud');
        const r = await database().collection('outbox').where({ status: 'done' }).orderBy('createdAt', 'desc').limit(50).get();
        return send(res, 200, { items: r.data });
      }
      if (url.pathname === '/' && req.method === 'GET') {
        return send(res, 200, { name: '会员服务平台 local server', functions: '/functions/<name>', storage: '/storage' });
      }
      send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个地址。' } });
    } catch (e) {
      console.error('[local-server]', e);
      if (!res.headersSent) send(res, (e as { status?: number }).status || 500, { ok: false, error: { code: 'INTERNAL', message: '本地服务出错。' } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  const serviceUrl = `${baseUrl}/admin/${adminKey}`;
  runner = new Runner({
    distDir: opts.distDir || join(__dirname, '..', 'dist', 'cloudfunctions'),
    size: opts.instances || 4,
    env: {
      MSP_LOCAL_SERVICE_URL: serviceUrl,
      // Where the public verification page lives (QR codes on e-certificates point here).
      MSP_PUBLIC_URL: baseUrl,
      MSP_SECRET: secret,
      TCB_ENV: 'local',
      // Without this the SDK probes Tencent Cloud's metadata service (30 ms timeouts, twice) on
      // every request to learn where it runs; a CloudBase instance never probes (it is SCF).
      TENCENTCLOUD: 'true',
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
      WX_APPID: 'wxlocaldevelopment',
      MSP_PROFILE: profile,
    },
  });

  // The server process seeds through the same SDK seam the functions use.
  process.env.MSP_LOCAL_SERVICE_URL = serviceUrl;
  process.env.MSP_SECRET = secret;
  process.env.TENCENTCLOUD = 'true';
  let seeded = false;
  if (opts.seed !== false) {
    const { database } = await import('../cloudfunctions/infra/cloud');
    const { isEmpty, seedDemo } = await import('./seed');
    const db = database();
    if (await isEmpty(db)) {
      await seedDemo(db, new Date(), profile);
      seeded = true;
    }
  }

  return {
    url: baseUrl,
    serviceUrl,
    port,
    dataDir: opts.dataDir,
    backend,
    runner,
    seeded,
    profile,
    async close() {
      await (runner as Runner).close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold close() open until they time out.
      server.closeAllConnections?.();
      await closed;
      backend.close();
    },
  };
}
