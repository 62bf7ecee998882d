/**
 * WeChat's own client services, faked for page tests: navigation, toasts, storage, the camera and
 * album pickers (returning real files written to a temp folder), the scanner, the file system.
 * The back end is never faked: pages reach the real cloud functions through request.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Callbacks = { success?: (r: any) => void; fail?: (e: any) => void; complete?: (r: any) => void };

export interface Navigation {
  kind: 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab' | 'navigateBack';
  url: string;
}

export interface MediaFile {
  path: string;
  size?: number;
  fileType?: 'image' | 'video';
}

/** What the pages asked WeChat to do, in order. */
export const wxLog = {
  navigations: [] as Navigation[],
  toasts: [] as string[],
  previews: [] as string[][],
  scans: 0,
  /** What was last put on the clipboard. */
  clipboard: '',
};

const queues = {
  media: [] as (MediaFile | 'cancel')[],
  scan: [] as ({ result?: string; path?: string } | 'cancel')[],
  actionSheet: [] as number[],
  messageFile: [] as (MediaFile & { name?: string })[],
};
const storage = new Map<string, unknown>();
let envVersion: 'develop' | 'trial' | 'release' = 'develop';

function ok<T>(opts: Callbacks | undefined, result: T): Promise<T> {
  // Like WeChat: callbacks run asynchronously; a promise is returned when none is given.
  return new Promise((resolve) =>
    setTimeout(() => {
      opts?.success?.(result);
      opts?.complete?.(result);
      resolve(result);
    }, 0),
  );
}

function fail(opts: Callbacks | undefined, errMsg: string): Promise<never> {
  return new Promise((_resolve, reject) =>
    setTimeout(() => {
      const e = { errMsg };
      opts?.fail?.(e);
      opts?.complete?.(e);
      if (!opts?.fail) reject(e);
    }, 0),
  );
}

/** The next `wx.chooseMedia` returns this file (or the user cancels). */
export function queueMedia(...files: (MediaFile | 'cancel')[]): void {
  queues.media.push(...files);
}
/** The next `wx.scanCode` reads this (or the user cancels). */
export function queueScan(...results: ({ result?: string; path?: string } | 'cancel')[]): void {
  queues.scan.push(...results);
}
export function queueActionSheet(...indexes: number[]): void {
  queues.actionSheet.push(...indexes);
}
export function queueMessageFile(...files: (MediaFile & { name?: string })[]): void {
  queues.messageFile.push(...files);
}
export function setEnvVersion(v: 'develop' | 'trial' | 'release'): void {
  envVersion = v;
}
export function storageGet(key: string): unknown {
  return storage.get(key);
}

/** Forget everything between tests. */
export function resetWx(): void {
  wxLog.navigations.length = 0;
  wxLog.toasts.length = 0;
  wxLog.clipboard = '';
  wxLog.previews.length = 0;
  wxLog.scans = 0;
  queues.media.length = 0;
  queues.scan.length = 0;
  queues.actionSheet.length = 0;
  queues.messageFile.length = 0;
  storage.clear();
  envVersion = 'develop';
}

/** The last navigation, parsed: `{ route: 'pkg-member/join/index', query: { code } }`. */
export function lastNavigation(): { kind: string; route: string; query: Record<string, string> } | null {
  const n = wxLog.navigations[wxLog.navigations.length - 1];
  if (!n) return null;
  const [p, q = ''] = n.url.split('?');
  const query: Record<string, string> = {};
  for (const part of q.split('&').filter(Boolean)) {
    const i = part.indexOf('=');
    query[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1));
  }
  return { kind: n.kind, route: p.replace(/^\//, ''), query };
}

let tmpDir = '';
/** Write bytes to a temp file like WeChat's `http://tmp/...` paths; returns its path and size. */
export function tempFile(bytes: Buffer, name: string): MediaFile {
  if (!tmpDir) tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-wx-'));
  const p = path.join(tmpDir, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${name}`);
  fs.writeFileSync(p, bytes);
  return { path: p, size: bytes.length, fileType: /\.(mp4|mov)$/i.test(name) ? 'video' : 'image' };
}

function sizeOf(f: MediaFile): number {
  return f.size !== undefined ? f.size : fs.statSync(f.path).size;
}

function navigate(kind: Navigation['kind']) {
  return (opts: Callbacks & { url?: string; delta?: number }) => {
    wxLog.navigations.push({ kind, url: opts.url || '' });
    return ok(opts, { errMsg: `${kind}:ok` });
  };
}

/** Install the fakes over miniprogram-simulate's `wx` (call after requiring miniprogram-simulate). */
export function installWx(): void {
  const g = global as any;
  g.getApp = () => ({ globalData: {} });
  g.getCurrentPages = () => [];
  const fakes: Record<string, unknown> = {
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    switchTab: navigate('switchTab'),
    navigateBack: navigate('navigateBack'),
    showToast: (opts: Callbacks & { title: string }) => {
      wxLog.toasts.push(opts.title);
      return ok(opts, { errMsg: 'showToast:ok' });
    },
    setClipboardData: (opts: Callbacks & { data: string }) => {
      wxLog.clipboard = opts.data;
      return ok(opts, { errMsg: 'setClipboardData:ok' });
    },
    showLoading: (opts: Callbacks) => ok(opts, { errMsg: 'showLoading:ok' }),
    hideLoading: (opts?: Callbacks) => ok(opts, { errMsg: 'hideLoading:ok' }),
    stopPullDownRefresh: (opts?: Callbacks) => ok(opts, { errMsg: 'stopPullDownRefresh:ok' }),
    showActionSheet: (opts: Callbacks) => {
      const i = queues.actionSheet.shift();
      return i === undefined ? ok(opts, { tapIndex: 0, errMsg: 'showActionSheet:ok' }) : ok(opts, { tapIndex: i, errMsg: 'showActionSheet:ok' });
    },
    scanCode: (opts: Callbacks) => {
      wxLog.scans++;
      const r = queues.scan.shift();
      if (!r || r === 'cancel') return fail(opts, 'scanCode:fail cancel');
      return ok(opts, { result: r.result || '', path: r.path || '', scanType: 'QR_CODE', charSet: 'utf-8', errMsg: 'scanCode:ok' });
    },
    chooseMedia: (opts: Callbacks) => {
      const f = queues.media.shift();
      if (!f || f === 'cancel') return fail(opts, 'chooseMedia:fail cancel');
      return ok(opts, {
        type: f.fileType || 'image',
        tempFiles: [{ tempFilePath: f.path, size: sizeOf(f), fileType: f.fileType || 'image', width: 0, height: 0, duration: 0, thumbTempFilePath: '' }],
        errMsg: 'chooseMedia:ok',
      });
    },
    chooseMessageFile: (opts: Callbacks) => {
      const f = queues.messageFile.shift();
      if (!f) return fail(opts, 'chooseMessageFile:fail cancel');
      return ok(opts, { tempFiles: [{ path: f.path, size: sizeOf(f), name: f.name || path.basename(f.path), type: 'file', time: 0 }], errMsg: 'chooseMessageFile:ok' });
    },
    // No image codec here: compression is "unavailable", as on a device where it fails.
    compressImage: (opts: Callbacks) => fail(opts, 'compressImage:fail not supported'),
    previewImage: (opts: Callbacks & { urls: string[] }) => {
      wxLog.previews.push(opts.urls);
      return ok(opts, { errMsg: 'previewImage:ok' });
    },
    previewMedia: (opts: Callbacks) => ok(opts, { errMsg: 'previewMedia:ok' }),
    downloadFile: (opts: Callbacks) => fail(opts, 'downloadFile:fail not available in tests'),
    openDocument: (opts: Callbacks) => ok(opts, { errMsg: 'openDocument:ok' }),
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      storage.set(key, value);
    },
    removeStorageSync: (key: string) => {
      storage.delete(key);
    },
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion, version: '' }, plugin: {} }),
    getFileSystemManager: () => ({
      readFileSync: (p: string) => {
        const b = fs.readFileSync(p);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      },
      statSync: (p: string) => ({ size: fs.statSync(p).size, isFile: () => true, isDirectory: () => false }),
    }),
  };
  g.wx = Object.assign(g.wx || {}, fakes);
}
