/**
 * HTTP face of the backend: `POST /admin/<key>` is what the SDK calls (cloud.init's serviceUrl; the
 * per-start key is given only to the functions), and `/admin/storage/<cloudPath>?t=…&sign=…` is where
 * the signed, expiring upload (PUT) and temporary download (GET) URLs it hands out point.
 *
 * Locked like the cloud's own API (issue 9): a request without the key, or sent by a browser (an
 * `Origin` or `Sec-Fetch-*` header — a web page the developer opens cannot reach the database), is
 * refused; a storage URL works only as signed and until it expires.
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { CollectionSpec } from '../../cloudfunctions/infra/schema';
import { Backend, InvokeFunctionHook } from './backend';
import { contentTypeOf } from './storage';

const STORAGE_PREFIX = '/admin/storage/';
const MAX_BODY = 256 * 1024 * 1024; // a 500-certificate zip with photos is ~110 MB; cloud storage takes far more

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Was this request sent by a web browser (a page's fetch/form), not by the SDK? */
export function fromBrowser(req: http.IncomingMessage): boolean {
  return !!(req.headers.origin || req.headers['sec-fetch-site'] || req.headers['sec-fetch-mode'] || req.headers.referer);
}

export function createAdminHandler(
  backend: Backend,
  opts: { key: string },
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const apiPath = `/admin/${opts.key}`;
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!url.pathname.startsWith(STORAGE_PREFIX)) {
        if (fromBrowser(req)) return send(res, 403, JSON.stringify({ code: 'PERMISSION_DENIED', message: 'browser requests are refused' }));
        if (url.pathname !== apiPath || req.method !== 'POST')
          return send(res, 403, JSON.stringify({ code: 'PERMISSION_DENIED', message: 'a key is required' }));
      }
      if (url.pathname === apiPath && req.method === 'POST') {
        let body: any;
        try {
          body = JSON.parse((await readBody(req)).toString('utf8'));
        } catch (e: any) {
          return send(res, 200, JSON.stringify({ code: 'INVALID_PARAM', message: `bad request body: ${e?.message}` }));
        }
        const openid = req.headers['x-wx-openid'];
        const ctx = {
          headers: req.headers,
          baseUrl: `http://${req.headers.host ?? '127.0.0.1'}`,
          openid: typeof openid === 'string' && openid ? openid : undefined,
        };
        return send(res, 200, JSON.stringify(await backend.handle(body, ctx)));
      }
      if (url.pathname.startsWith(STORAGE_PREFIX)) {
        let cloudPath: string;
        try {
          cloudPath = url.pathname.slice(STORAGE_PREFIX.length).split('/').map(decodeURIComponent).join('/');
        } catch {
          return send(res, 400, 'bad path', 'text/plain');
        }
        if (!backend.storageUrlValid(cloudPath, url.searchParams.get('t'), url.searchParams.get('sign')))
          return send(res, 403, 'AccessDenied', 'text/plain');
        if (req.method === 'PUT') {
          backend.putFile(cloudPath, await readBody(req));
          return send(res, 200, '', 'application/xml'); // COS answers an empty body; the SDK parses it as XML
        }
        if (req.method === 'GET' || req.method === 'HEAD') {
          const data = backend.storage.get(cloudPath);
          if (!data) return send(res, 404, 'NoSuchKey', 'text/plain');
          res.writeHead(200, { 'content-type': contentTypeOf(cloudPath), 'content-length': data.length });
          return res.end(req.method === 'HEAD' ? undefined : data);
        }
      }
      send(res, 404, JSON.stringify({ code: 'NOT_FOUND', message: `${req.method} ${url.pathname}` }));
    })().catch((e) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ code: 'SYS_ERR', message: String(e?.message ?? e) }));
      else res.destroy();
    });
  };
}

export interface BackendServer {
  /** The serviceUrl for cloud.init: http://host:port/admin/<key> */
  url: string;
  port: number;
  backend: Backend;
  close(): Promise<void>;
}

/** A backend on its own HTTP server (tests, bench). port 0 picks a free port. */
export async function startBackendServer(opts: {
  dataDir: string;
  schema: CollectionSpec[];
  port?: number;
  host?: string;
  enforceIndexes?: boolean;
  onInvokeFunction?: InvokeFunctionHook;
  txTimeoutMs?: number;
}): Promise<BackendServer> {
  const host = opts.host ?? '127.0.0.1';
  const key = randomBytes(16).toString('hex');
  let base = '';
  const backend = new Backend({
    dataDir: opts.dataDir,
    schema: opts.schema,
    enforceIndexes: opts.enforceIndexes,
    onInvokeFunction: opts.onInvokeFunction,
    txTimeoutMs: opts.txTimeoutMs,
    publicUrl: () => base,
  });
  const server = http.createServer(createAdminHandler(backend, { key }));
  server.keepAliveTimeout = 5000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    backend.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  return {
    url: `${base}/admin/${key}`,
    port,
    backend,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          backend.close();
          // let in-process SDK clients see their keep-alive sockets close before anything reuses this port
          setTimeout(resolve, 20);
        });
        server.closeAllConnections(); // the SDK keeps connections alive; don't wait for them to idle out
      }),
  };
}
