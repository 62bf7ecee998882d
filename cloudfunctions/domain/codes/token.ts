/**
 * Signed, expiring code tokens (SPEC §3.4), short enough for a mini-program code's `scene`
 * (≤32 characters from [A-Za-z0-9._-]): `<kind><id>.<expiry>.<mac>`, e.g.
 * `J3fK9aQ2xZ1.mhb0c5.pQ1w2e3r4t5y` — kind letter, 10-character record id, expiry in base-36
 * seconds, and an 8-byte HMAC-SHA256 in base64url. The record (unit, member, use) lives in the
 * `codes` collection; the signature stops forgery without a database read.
 */
import { randomBytes, timingSafeEqual } from 'crypto';
import type { CodeKind } from '../../../typings/api';
import { hmac } from '../../infra/secrets';

const KIND_LETTER: Record<CodeKind, string> = {
  join: 'J',
  'join-simple': 'S',
  transfer: 'T',
  resign: 'R',
  'id-update': 'I',
  'sub-admin': 'A',
  role: 'G',
};
const LETTER_KIND = Object.fromEntries(Object.entries(KIND_LETTER).map(([k, l]) => [l, k])) as Record<string, CodeKind>;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TOKEN_RE = /^([JSTRIAG])([0-9A-Za-z]{10})\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{11})$/;

export function newCodeId(): string {
  const bytes = randomBytes(10);
  return Array.from(bytes, (b) => ALPHABET[b % 62]).join('');
}

function mac(body: string): string {
  return hmac('code-sign', body).subarray(0, 8).toString('base64url');
}

export function signCode(kind: CodeKind, id: string, expiresAt: Date): string {
  const body = `${KIND_LETTER[kind]}${id}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(body)}`;
}

export type Verified =
  { ok: true; kind: CodeKind; id: string; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

/** Check shape and signature first (forged → invalid), then expiry. */
export function verifyCode(token: string, now: Date): Verified {
  const m = TOKEN_RE.exec(String(token || '').trim());
  if (!m) return { ok: false, reason: 'invalid' };
  const body = `${m[1]}${m[2]}.${m[3]}`;
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(m[4]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(parseInt(m[3], 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, kind: LETTER_KIND[m[1]], id: m[2], expiresAt };
}
