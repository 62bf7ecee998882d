/**
 * Mini-program codes behind one small interface (WeChat's own service: it cannot run here).
 * Production: `wxacode.getUnlimited` (listed in the issuing functions' config.json open-API
 * permissions) draws a code that WeChat's 扫一扫 and a long press open at `page`, which reads
 * `decodeURIComponent(options.scene)`. Locally: a plain QR code of the same scene — decoded back in
 * tests, and what the local scan page reads as `scene`. As OCR, the local twin is honest: it does
 * not pretend to be WeChat's drawing.
 */
import QRCode from 'qrcode';
import { AppError } from '../../miniprogram/shared/errors';
import { initCloud } from './cloud';

/** The page every code opens (it resolves the scene with `codes.resolve`). */
export const SCAN_PAGE = 'pages/scan/index';

/** `scene`: ≤32 visible characters of WeChat's set (shared/NOTES.md). */
const SCENE_RE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

export interface MiniCodes {
  /** A PNG that opens `page` with `scene`. */
  render(scene: string, page?: string): Promise<Buffer>;
}

/** Error correction M at 8 px a module decodes reliably (shared/NOTES.md). */
export function plainQr(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', scale: 8, margin: 2 });
}

type GetUnlimited = (o: { scene: string; page: string; checkPath: boolean; envVersion: string; width: number }) => Promise<{ buffer?: Buffer; contentType?: string; errCode?: number; errMsg?: string }>;

/** The production drawing through WeChat's open API (`getUnlimited` injected for tests of the call). */
export function wechatCodes(getUnlimited: GetUnlimited): MiniCodes {
  return {
    async render(scene, page = SCAN_PAGE) {
      if (!SCENE_RE.test(scene)) throw new Error(`wxacode: scene not allowed: ${scene}`);
      // checkPath false: the code works before the page is published (41030 otherwise).
      const r = await getUnlimited({ scene, page, checkPath: false, envVersion: process.env.MSP_WXACODE_ENV || 'release', width: 430 });
      if (!r?.buffer || !Buffer.isBuffer(r.buffer)) {
        // 45009: the minute's quota (5000); anything else is a configuration problem.
        throw new AppError(r?.errCode === 45009 ? 'RATE_LIMITED' : 'INTERNAL', r?.errCode === 45009 ? '二维码生成过于频繁，请稍后再试。' : undefined);
      }
      return r.buffer;
    },
  };
}

export const miniCodes: MiniCodes = {
  render(scene, page) {
    if (process.env.MSP_LOCAL_SERVICE_URL) return plainQr(scene);
    const openapi = (initCloud() as unknown as { openapi: { wxacode: { getUnlimited: GetUnlimited } } }).openapi;
    return wechatCodes((o) => openapi.wxacode.getUnlimited(o)).render(scene, page);
  },
};
