import { newCodeId, signCode, verifyCode } from '../../cloudfunctions/domain/codes/token';

beforeAll(() => {
  process.env.MSP_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
});

describe('signed code tokens', () => {
  const now = new Date('2026-11-23T04:00:00Z');
  const later = new Date(now.getTime() + 3600_000);

  test('when a code is signed, then it fits a mini-program scene and verifies', () => {
    const id = newCodeId();
    const code = signCode('join', id, later);
    expect(code.length).toBeLessThanOrEqual(32);
    expect(code).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(verifyCode(code, now)).toEqual({ ok: true, kind: 'join', id, expiresAt: new Date(Math.floor(later.getTime() / 1000) * 1000) });
  });

  test('when any character is changed, then the code is invalid', () => {
    const code = signCode('join-simple', newCodeId(), later);
    for (let i = 0; i < code.length; i++) {
      const c = code[i] === 'A' ? 'B' : 'A';
      const forged = code.slice(0, i) + c + code.slice(i + 1);
      if (forged !== code) expect(verifyCode(forged, now)).toMatchObject({ ok: false });
    }
  });

  test('when the kind letter is swapped to another kind, then the signature fails', () => {
    const code = signCode('join-simple', newCodeId(), later);
    expect(verifyCode('J' + code.slice(1), now)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('when the expiry has passed, then it is expired (and a forged expiry is invalid)', () => {
    const code = signCode('join', newCodeId(), later);
    expect(verifyCode(code, new Date(later.getTime() + 1000))).toEqual({ ok: false, reason: 'expired' });
    const [head, , mac] = code.split('.');
    const extended = `${head}.${Math.floor(later.getTime() / 1000 + 86400).toString(36)}.${mac}`;
    expect(verifyCode(extended, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('when signed with another secret, then it is invalid here', () => {
    const code = signCode('join', newCodeId(), later);
    jest.isolateModules(() => {
      process.env.MSP_SECRET = 'another-secret-0123456789abcdef0123456789abcdef';
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const fresh = require('../../cloudfunctions/domain/codes/token');
      expect(fresh.verifyCode(code, now)).toEqual({ ok: false, reason: 'invalid' });
    });
    process.env.MSP_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
  });
});
