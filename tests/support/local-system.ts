/**
 * A whole local system for tests: a fresh temp data directory, the real embedded backend, the built
 * cloud functions in worker instances, the demo world — reached over HTTP exactly as the
 * mini-program's dev build and `npm start` users reach it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import http from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Transport } from '../../typings/transport';
import type { FileKey } from '../../typings/api';
import { startLocalServer, LocalServer } from '../../local/server';

export interface LocalSystem {
  url: string;
  dataDir: string;
  server: LocalServer;
  /** Call a function as `openid` → the envelope. */
  call(fn: string, data: Record<string, unknown>, openid: string): Promise<any>;
  /**
   * Upload bytes to storage → fileID. With `owner`, also confirm the upload as that WeChat user for
   * `purpose` (`files.confirm`, as the mini-program does) — only confirmed files of one's own can be
   * attached; without, a raw file (as the functions' own writes, or an upload never confirmed).
   */
  upload(bytes: Buffer, cloudPath: string, owner?: string, purpose?: FileKey): Promise<string>;
  /** A request-wrapper Transport acting as `openid`; its upload(filePath) reads the file from disk. */
  transport(openid: string): Transport;
  close(): Promise<void>;
}

/** Plain Node HTTP (works in jsdom test environments too, where fetch may be absent). */
export function httpRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method || 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode || 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export async function startLocalSystem(opts: { seed?: boolean; enforceIndexes?: boolean; profile?: 'construction' | 'equipment' } = {}): Promise<LocalSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'msp-test-'));
  const server = await startLocalServer({
    dataDir,
    port: 0,
    seed: opts.seed !== false,
    // Tests catch any query that would scan a large collection in production.
    enforceIndexes: opts.enforceIndexes !== false,
    instances: 3,
    profile: opts.profile || 'construction',
  });
  const url = server.url;
  const call = async (fn: string, data: Record<string, unknown>, openid: string) => {
    const r = await httpRequest(`${url}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: JSON.stringify(data),
    });
    return JSON.parse(r.body.toString('utf8'));
  };
  const uploadRaw = async (bytes: Buffer, cloudPath: string) => {
    const r = await httpRequest(`${url}/storage?cloudPath=${encodeURIComponent(cloudPath)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    if (r.status !== 200) throw new Error(`upload failed: ${r.status} ${r.body}`);
    return JSON.parse(r.body.toString('utf8')).fileID as string;
  };
  const upload = async (bytes: Buffer, cloudPath: string, owner?: string, purpose?: FileKey) => {
    const fileID = await uploadRaw(bytes, cloudPath);
    if (owner) {
      const r = await call('files', { action: 'confirm', fileID, purpose: purpose || 'idFront' }, owner);
      if (!r.ok) throw new Error(`confirm ${cloudPath} as ${owner} failed: ${JSON.stringify(r)}`);
    }
    return fileID;
  };
  return {
    url,
    dataDir,
    server,
    call,
    upload,
    transport(openid: string): Transport {
      return {
        call: (fn, data) => call(fn, data, openid),
        upload: (filePath, cloudPath) => uploadRaw(readFileSync(filePath), cloudPath),
        fileUrl: async (fileID) => `${url}/storage/${encodeURIComponent(fileID)}`,
      };
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
