/**
 * The one-time bootstrap code that binds the first secretariat account (SPEC §2.1). Deployment runs
 * `npm run bootstrap-code`, which prints a fresh code and its SHA-256; the hash goes into the `admin`
 * function's environment (MSP_BOOTSTRAP_CODE_HASH) and the code to the person who becomes the
 * secretariat. Only the hash is ever stored server-side, and the code works only while no
 * secretariat exists.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/** The environment variable holding the hex SHA-256 of the current bootstrap code. */
export const BOOTSTRAP_ENV = 'MSP_BOOTSTRAP_CODE_HASH';

/** Crockford-style alphabet: no I, L, O, U, so a code read aloud or typed by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Case and separators do not matter: `abcd-efgh` and `ABCDEFGH` are the same code. */
export function normalizeBootstrapCode(code: string): string {
  return String(code || '')
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '');
}

export function bootstrapHash(code: string): string {
  return createHash('sha256').update(normalizeBootstrapCode(code), 'utf8').digest('hex');
}

/** A fresh code: 20 characters (100 bits) in groups of four, e.g. `7KQ2-M9XD-…`. */
export function newBootstrapCode(): string {
  const chars = Array.from(randomBytes(20), (b) => ALPHABET[b % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** Does `code` match the configured hash? Constant-time on the digest. */
export function bootstrapMatches(code: string, configuredHash: string): boolean {
  const want = Buffer.from(
    String(configuredHash || '')
      .trim()
      .toLowerCase(),
    'utf8',
  );
  const got = Buffer.from(bootstrapHash(code), 'utf8');
  return want.length === got.length && normalizeBootstrapCode(code).length >= 16 && timingSafeEqual(want, got);
}
