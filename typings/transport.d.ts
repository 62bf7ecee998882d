/** How the mini-program's request wrapper reaches the back end (no `wx` here: tests implement it in Node). */
import type { Envelope } from './api';

export interface Transport {
  /** Invoke cloud function `fn` with `data` (`{ action, ...payload }`); resolves to the envelope. */
  call(fn: string, data: Record<string, unknown>): Promise<Envelope<unknown>>;
  /** Upload a local temp file to `cloudPath`; resolves to its fileID. */
  upload(filePath: string, cloudPath: string): Promise<string>;
  /** A URL the page can show for a fileID (temp URL in the cloud, the local server's URL locally). */
  fileUrl(fileID: string): Promise<string>;
}
