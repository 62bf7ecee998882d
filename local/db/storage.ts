/**
 * Cloud storage on the local disk: files live under `<dataDir>/storage/<cloudPath>`, and fileIDs have the
 * CloudBase shape `cloud://<env>.<bucket>/<cloudPath>` (env `local`, bucket `local-bucket`).
 */
import * as fs from 'fs';
import * as path from 'path';

export const STORAGE_ENV = 'local';
export const STORAGE_BUCKET = 'local-bucket';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.xlsx':
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Content type guessed from the extension (uploads through the SDK carry none). */
export function contentTypeOf(cloudPath: string): string {
  return CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream';
}

export function fileIdOf(cloudPath: string): string {
  return `cloud://${STORAGE_ENV}.${STORAGE_BUCKET}/${cloudPath}`;
}

/** cloudPath of a fileID (any env/bucket prefix is accepted), or null when it is not a cloud:// id. */
export function cloudPathOf(fileID: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID);
  return m ? m[1] : null;
}

export class LocalStorage {
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  /** Absolute file path for a cloudPath, refusing anything that would escape the storage root. */
  resolve(cloudPath: string): string | null {
    if (!cloudPath || cloudPath.includes('\0')) return null;
    const abs = path.resolve(this.root, cloudPath.replace(/^\/+/, ''));
    return abs.startsWith(this.root + path.sep) ? abs : null;
  }

  put(cloudPath: string, data: Buffer): string {
    const abs = this.resolve(cloudPath);
    if (!abs) throw new Error(`invalid cloudPath: ${cloudPath}`);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    // write-then-rename: a crash never leaves a half-written file under the real name
    const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, abs);
    return fileIdOf(cloudPath);
  }

  get(cloudPath: string): Buffer | null {
    const abs = this.resolve(cloudPath);
    if (!abs) return null;
    try {
      return fs.readFileSync(abs);
    } catch {
      return null;
    }
  }

  exists(cloudPath: string): boolean {
    const abs = this.resolve(cloudPath);
    return !!abs && fs.existsSync(abs) && fs.statSync(abs).isFile();
  }

  delete(cloudPath: string): boolean {
    const abs = this.resolve(cloudPath);
    if (!abs || !this.exists(cloudPath)) return false;
    fs.unlinkSync(abs);
    return true;
  }
}
