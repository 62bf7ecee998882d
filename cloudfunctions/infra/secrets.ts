/**
 * Keys derived from one master secret (MSP_SECRET, a function environment variable in production;
 * generated into the data directory locally). Separate keys per purpose, so the code-signing key
 * never doubles as the ID-number encryption key.
 */
import { createHmac, hkdfSync } from 'crypto';

const cache = new Map<string, Buffer>();

export function key(purpose: 'id-enc' | 'id-hash' | 'code-sign' | 'cert-sign' | 'study-report'): Buffer {
  const hit = cache.get(purpose);
  if (hit) return hit;
  const master = process.env.MSP_SECRET;
  if (!master || master.length < 32) {
    // Refuse to run with a weak or missing secret rather than silently using a default.
    throw new Error('MSP_SECRET is not set (at least 32 characters)');
  }
  const k = Buffer.from(hkdfSync('sha256', master, 'member-service-platform', purpose, 32));
  cache.set(purpose, k);
  return k;
}

export function hmac(purpose: Parameters<typeof key>[0], data: string): Buffer {
  return createHmac('sha256', key(purpose)).update(data).digest();
}
