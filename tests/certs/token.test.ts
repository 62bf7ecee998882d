/**
 * Verification tokens (issue 5): `<certNo>.<keyId><8-byte HMAC, base64url>` — short enough for a
 * mini-program scene, rejected when forged or altered in any character, rotatable by key id.
 */
process.env.MSP_SECRET = 'test-secret-for-certificate-tokens-0123456789';
import { activeKeyId, signCert, tokenFrom, verifyCertToken, verifyUrl } from '../../cloudfunctions/domain/certs/token';

afterEach(() => {
  delete process.env.MSP_CERT_KEYS;
  delete process.env.MSP_CERT_KEY_ID;
});

test('when a certificate number is signed, then the token is the number plus 13 characters (≤32, a mini-program scene, for numbers up to 19) and verifies to that number', () => {
  const t = signCert('JLY2025000001');
  expect(t).toMatch(/^JLY2025000001\.1[A-Za-z0-9_-]{11}$/);
  expect(t).toHaveLength('JLY2025000001'.length + 13);
  expect(signCert('ABCDEFGHIJ123456789').length).toBeLessThanOrEqual(32);
  expect(verifyCertToken(t)).toBe('JLY2025000001');
  expect(signCert('JLY2025000001')).toBe(t); // deterministic: reprinting gives the same QR code
});

test('when any character of a token is changed, then it no longer verifies', () => {
  const t = signCert('JLY2025000001');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '.') continue;
    const swapped = alphabet[(alphabet.indexOf(t[i]) + 7) % alphabet.length];
    expect(verifyCertToken(t.slice(0, i) + swapped + t.slice(i + 1))).toBeNull();
  }
  expect(verifyCertToken('')).toBeNull();
  expect(verifyCertToken('JLY2025000001')).toBeNull();
  expect(verifyCertToken(`${t}x`)).toBeNull();
  expect(() => signCert('含中文')).toThrow();
  expect(() => signCert('A.B')).toThrow();
});

test('when keys rotate, then new tokens carry the new key id and old tokens still verify while their key is listed', () => {
  const old = signCert('ZS2025000009');
  process.env.MSP_CERT_KEYS = '2:another-master-secret-of-at-least-32-chars';
  process.env.MSP_CERT_KEY_ID = '2';
  expect(activeKeyId()).toBe('2');
  const fresh = signCert('ZS2025000009');
  expect(fresh).toMatch(/^ZS2025000009\.2/);
  expect(fresh).not.toBe(old);
  expect(verifyCertToken(fresh)).toBe('ZS2025000009');
  expect(verifyCertToken(old)).toBe('ZS2025000009');
  // A token claiming key 2 with key 1's signature is forged.
  expect(verifyCertToken(old.replace('.1', '.2'))).toBeNull();
  delete process.env.MSP_CERT_KEYS;
  expect(verifyCertToken(fresh)).toBeNull(); // key 2 retired
  expect(activeKeyId()).toBe('1');
});

test('when a scanner hands over the whole URL, encoded or not, then the token inside is found', () => {
  const t = signCert('JLY2025000001');
  const url = verifyUrl(t, 'https://verify.example.org/c/');
  expect(url).toBe(`https://verify.example.org/c/?t=${t}`);
  expect(verifyUrl(t, 'https://x.example/v?src=qr')).toBe(`https://x.example/v?src=qr&t=${t}`);
  expect(tokenFrom(url)).toBe(t);
  expect(tokenFrom(encodeURIComponent(url))).toBe(t);
  expect(tokenFrom(encodeURIComponent(encodeURIComponent(url)))).toBe(t);
  expect(tokenFrom(`  ${t} `)).toBe(t);
});
