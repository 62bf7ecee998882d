/**
 * Certificate verification tokens (SPEC §3.5 "a signature that proves the certificate is genuine"):
 * `<certNo>.<keyId><mac>` — the certificate number, one key-id character, and the first 8 bytes of
 * HMAC-SHA256(key, `<keyId>.<certNo>`) in base64url (11 characters): the number plus 13 characters
 * (26 for `JLY2025000001`), within a mini-program code's `scene` (≤32) for numbers up to 19
 * characters, and a small QR code.
 *
 * The token proves the number was issued by us; the certificate's *status* is always read live
 * (valid / expired / cancelled), so a printed certificate that was later cancelled verifies as
 * cancelled. Key rotation: key id `1` is derived from MSP_SECRET (`key('cert-sign')`); further keys
 * come from `MSP_CERT_KEYS` (`2:<secret>,3:<secret>`, each ≥32 characters) and `MSP_CERT_KEY_ID`
 * picks the one that signs new tokens. Old ids keep verifying as long as they stay listed.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'crypto';
import { key, misconfigured } from '../../infra/secrets';

/** Certificate numbers a token can carry: no `.` (the separator), URL- and scene-safe. */
export const CERT_NO_RE = /^[A-Za-z0-9_-]{3,32}$/;
const TOKEN_RE = /^([A-Za-z0-9_-]{3,32})\.([0-9A-Za-z])([A-Za-z0-9_-]{11})$/;

const extraKeys = new Map<string, Buffer>();
let extraLoaded = '';

function keyFor(id: string): Buffer | null {
  if (id === '1') return key('cert-sign');
  const spec = process.env.MSP_CERT_KEYS || '';
  if (spec !== extraLoaded) {
    extraKeys.clear();
    for (const part of spec.split(',')) {
      const m = /^\s*([0-9A-Za-z]):(.{32,})\s*$/.exec(part);
      if (m && m[1] !== '1') extraKeys.set(m[1], Buffer.from(hkdfSync('sha256', m[2], 'member-service-platform', 'cert-sign', 32)));
    }
    extraLoaded = spec;
  }
  return extraKeys.get(id) || null;
}

/** The key id that signs new tokens. */
export function activeKeyId(): string {
  const id = process.env.MSP_CERT_KEY_ID || '1';
  return keyFor(id) ? id : '1';
}

function mac(k: Buffer, keyId: string, certNo: string): string {
  return createHmac('sha256', k).update(`${keyId}.${certNo}`).digest().subarray(0, 8).toString('base64url');
}

/** Sign a certificate number; throws when the number cannot travel in a token. */
export function signCert(certNo: string): string {
  if (!CERT_NO_RE.test(certNo)) throw new Error(`certificate number not signable: ${certNo}`);
  const id = activeKeyId();
  return `${certNo}.${id}${mac(keyFor(id) as Buffer, id, certNo)}`;
}

/** The certificate number a token vouches for, or null when it is malformed, unknown-keyed or forged. */
export function verifyCertToken(token: string): string | null {
  const m = TOKEN_RE.exec(String(token || '').trim());
  if (!m) return null;
  const k = keyFor(m[2]);
  if (!k) return null;
  const expected = Buffer.from(mac(k, m[2], m[1]));
  const given = Buffer.from(m[3]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : null;
}

/**
 * The token inside whatever a scanner handed over: the token itself, or the verification URL
 * (`…?t=<token>`, as printed in the QR code and as WeChat passes it to the page in `query.q`).
 */
export function tokenFrom(input: string): string {
  let s = String(input || '').trim();
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      break;
    }
  }
  const m = /[?&]t=([^&#\s]+)/.exec(s);
  return m ? m[1] : s;
}

/**
 * The base of the public verification page the QR code points at. Production: MSP_VERIFY_URL (the
 * HTTPS address of the `cert-verify` HTTP function, also registered as the mini-program's
 * "扫普通链接二维码打开小程序" rule). Locally: the server's own `/http/cert-verify/` route, from
 * MSP_PUBLIC_URL (set by the local server), defaulting to `npm start`'s http://127.0.0.1:8787.
 */
export function verifyBaseUrl(): string {
  const explicit = process.env.MSP_VERIFY_URL;
  const local = !!process.env.MSP_LOCAL_SERVICE_URL;
  // In the cloud, a certificate must never carry a link to this machine: no public URL configured
  // (or one pointing at a loopback or private host) refuses to issue, with a configuration error.
  if (!local && (!explicit || !/^https:\/\/[^/]+/i.test(explicit) || /^https?:\/\/(localhost|127\.|0\.0\.0\.0|10\.|192\.168\.)/i.test(explicit)))
    throw misconfigured('MSP_VERIFY_URL', 'MSP_VERIFY_URL 未设置或不是公网 https 地址，不能签发电子证书');
  if (explicit) return explicit;
  const pub = (process.env.MSP_PUBLIC_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');
  return `${pub}/http/cert-verify/`;
}

/** The URL printed in a certificate's QR code. */
export function verifyUrl(token: string, base = verifyBaseUrl()): string {
  return `${base}${base.includes('?') ? '&' : '?'}t=${token}`;
}
