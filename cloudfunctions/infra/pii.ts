/**
 * ID numbers at rest (SPEC §4, PIPL Art. 51): AES-256-GCM ciphertext for the holder and the
 * reviewers who need it, a keyed hash (HMAC-SHA256) for lookups and uniqueness, and the masked
 * form for display. The plain number is never stored.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';
import { maskIdNumber, normalizeIdNumber } from '../../miniprogram/shared/id-number';
import { hmac, key } from './secrets';

export interface StoredId {
  idCipher: string;
  idHash: string;
  idMasked: string;
}

export function idHash(idNumber: string): string {
  return hmac('id-hash', normalizeIdNumber(idNumber)).toString('base64url');
}

export function protectId(idNumber: string): StoredId {
  const id = normalizeIdNumber(idNumber);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key('id-enc'), iv);
  const body = Buffer.concat([c.update(id, 'utf8'), c.final()]);
  return {
    idCipher: Buffer.concat([iv, c.getAuthTag(), body]).toString('base64'),
    idHash: idHash(id),
    idMasked: maskIdNumber(id),
  };
}

export function revealId(idCipher: string): string {
  const raw = Buffer.from(idCipher, 'base64');
  const d = createDecipheriv('aes-256-gcm', key('id-enc'), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
