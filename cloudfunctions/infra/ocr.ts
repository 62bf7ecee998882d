/**
 * ID-card OCR behind one small interface. Production: the `ocr.idcard` open API (WeChat's own
 * service, listed in `members/config.json`; a small free quota). Locally it cannot run, and says so
 * honestly: manual entry always works, so the page asks the member to type the fields.
 */
import { initCloud } from './cloud';

export interface IdCardFields {
  name?: string;
  idNumber?: string;
  gender?: 'male' | 'female';
  address?: string;
  validDate?: string;
}

export type OcrResult = { available: true; fields: IdCardFields } | { available: false; message: string };

export interface IdCardOcr {
  recognize(imageUrl: string, side: 'front' | 'back'): Promise<OcrResult>;
}

export const UNAVAILABLE = '识别服务不可用，请手动填写';

export const idCardOcr: IdCardOcr = {
  async recognize(imageUrl, side) {
    if (process.env.MSP_LOCAL_SERVICE_URL) return { available: false, message: UNAVAILABLE };
    try {
      const openapi = (
        initCloud() as unknown as { openapi: { ocr: { idcard(o: object): Promise<Record<string, unknown>> } } }
      ).openapi;
      const r = await openapi.ocr.idcard({ type: 'photo', imgUrl: imageUrl });
      if (side === 'back') return { available: true, fields: { validDate: String(r.validDate || '') } };
      const gender = r.gender === '男' ? 'male' : r.gender === '女' ? 'female' : undefined;
      return {
        available: true,
        fields: {
          name: String(r.name || ''),
          idNumber: String(r.id || ''),
          ...(gender ? { gender } : {}),
          address: String(r.addr || ''),
        },
      };
    } catch {
      // Quota exhausted or the picture unreadable: the member types the fields instead.
      return { available: false, message: UNAVAILABLE };
    }
  },
};
