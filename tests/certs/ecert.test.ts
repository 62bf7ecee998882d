/**
 * E-certificates and verification (issue 5): real PNGs rendered by the built `certs` bundle, fetched
 * from storage, decoded back (dimensions, QR content), and their tokens checked by `certs.verify` and
 * `cert-lookup.verify` — live status, forged and altered tokens, masked ID numbers.
 */
import { addYears } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { signCert, tokenFrom } from '../../cloudfunctions/domain/certs/token';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { addPerson, decodePng, download, err, today, uploadPhoto } from './helpers';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(60_000);

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const ecert = (certId: string, openid: string) => sys.call('certs', { action: 'ecert', certId }, openid);

describe('downloading an e-certificate', () => {
  test('when the holder downloads a valid certificate, then a 1414×1000 PNG whose QR code opens the verification page with a valid token', async () => {
    const photo = await uploadPhoto(sys, 1);
    const p = await addPerson({ name: '欧阳赟珺', openid: 'holder-1', photo, certs: [{ specialties: ['房屋建筑工程', '市政公用工程'] }] });
    const r = ok(await ecert(p.certs[0]._id, 'holder-1'));
    expect(r).toMatchObject({ width: 1414, height: 1000, fileName: `欧阳赟珺-${p.certs[0].no}.png` });
    expect(r.fileID).toMatch(/^cloud:\/\//);
    expect(r.token).toMatch(new RegExp(`^${p.certs[0].no}\\.1[A-Za-z0-9_-]{11}$`));
    // The verification page of the HTTP function; its base is MSP_VERIFY_URL / MSP_PUBLIC_URL.
    expect(r.verifyUrl).toMatch(/^https?:\/\/[^/]+\/http\/cert-verify\/\?t=/);
    expect(new URL(r.verifyUrl).searchParams.get('t')).toBe(r.token);

    const png = await download(r.url);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const img = decodePng(png);
    expect(img).toMatchObject({ width: 1414, height: 1000 });
    expect(img.qr).toBe(r.verifyUrl);

    const v = ok(await sys.call('certs', { action: 'verify', token: img.qr }, ''));
    expect(v).toMatchObject({ status: 'valid', issuer: '示例省建设监理协会', certificate: { no: p.certs[0].no, holderName: '欧阳赟珺', status: 'valid' } });
    expect(v.certificate.idMasked).toBe(p.idNumber.slice(0, 4) + '**********' + p.idNumber.slice(-4));
    expect(JSON.stringify(r) + JSON.stringify(v)).not.toContain(p.idNumber);
  });

  test('when the unit admin downloads a member’s certificate, then it is rendered; another member or another unit’s admin is FORBIDDEN', async () => {
    const p = await addPerson({ openid: 'holder-2' });
    await addPerson({ openid: 'someone-else' });
    const r = ok(await ecert(p.certs[0]._id, 'demo-unit-a-admin'));
    expect(decodePng(await download(r.url)).qr).toBe(r.verifyUrl);
    expect(err(await ecert(p.certs[0]._id, 'someone-else'))).toBe('FORBIDDEN');
    expect(err(await ecert(p.certs[0]._id, 'demo-unit-b-admin'))).toBe('FORBIDDEN');
    expect(err(await ecert(p.certs[0]._id, ''))).toBe('UNAUTHENTICATED');
    expect(err(await ecert('no-such-cert', 'holder-2'))).toBe('NOT_FOUND');
    expect(err(await sys.call('certs', { action: 'ecert', certId: '../x' }, 'holder-2'))).toBe('INVALID_INPUT');
  });

  test('when the certificate is cancelled or expired, then no e-certificate is issued (NOT_ELIGIBLE) and nothing is stored', async () => {
    const cancelled = await addPerson({ openid: 'holder-3', certs: [{ status: 'cancelled' }] });
    const expired = await addPerson({ openid: 'holder-4', certs: [{ firstIssuedOn: addYears(today(), -4), validUntil: addYears(today(), -1) }] });
    const a = await ecert(cancelled.certs[0]._id, 'holder-3');
    expect(a).toMatchObject({ ok: false, error: { code: 'NOT_ELIGIBLE', message: expect.stringMatching(/注销/) } });
    const b = await ecert(expired.certs[0]._id, 'holder-4');
    expect(b).toMatchObject({ ok: false, error: { code: 'NOT_ELIGIBLE', message: expect.stringMatching(/过期/) } });
    expect(sys.server.backend.storage.exists(`ecerts/${cancelled.certs[0]._id}.png`)).toBe(false);
    expect(sys.server.backend.storage.exists(`ecerts/${expired.certs[0]._id}.png`)).toBe(false);
  });

  test('when the holder’s name has a character the font lacks (𠮷), then the download is refused before anything is printed', async () => {
    const p = await addPerson({ name: '𠮷田', openid: 'holder-5' });
    const r = await ecert(p.certs[0]._id, 'holder-5');
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ELIGIBLE', message: expect.stringContaining('“𠮷”') } });
    expect(sys.server.backend.storage.exists(`ecerts/${p.certs[0]._id}.png`)).toBe(false);
  });

  test('when names use rare characters the font has (堃喆赟龑), then the e-certificates are issued and decode', async () => {
    const a = await addPerson({ name: '王堃喆', openid: 'rare-1' });
    const b = await addPerson({ name: '李赟龑', openid: 'rare-2' });
    const pa = decodePng(await download(ok(await ecert(a.certs[0]._id, 'rare-1')).url));
    const pb = decodePng(await download(ok(await ecert(b.certs[0]._id, 'rare-2')).url));
    expect(pa.qr).toContain(a.certs[0].no);
    expect(pb.qr).toContain(b.certs[0].no);
  });
});

describe('verifying a token', () => {
  test('when a token is forged, altered or from an unknown key, then the answer is forged and names no certificate', async () => {
    const p = await addPerson({ openid: 'holder-6' });
    const { token } = ok(await ecert(p.certs[0]._id, 'holder-6'));
    const other = await addPerson();
    const [no, sig] = token.split('.');
    const cases = [
      `${other.certs[0].no}.${sig}`, // another certificate's number under this signature
      `${no}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, // one character of the MAC changed
      `${no}.2${sig.slice(1)}`, // a key id that does not exist
      `${no}`, // no signature
      'hello',
      `${sys.url}/http/cert-verify/?t=${no}.1AAAAAAAAAAA`,
    ];
    for (const t of cases) {
      const v = ok(await sys.call('cert-lookup', { action: 'verify', token: t }, ''));
      expect(v.status).toBe('forged');
      expect(v).not.toHaveProperty('certificate');
    }
    expect(ok(await sys.call('cert-lookup', { action: 'verify', token }, '')).status).toBe('valid');
    expect(err(await sys.call('cert-lookup', { action: 'verify', token: '' }, ''))).toBe('INVALID_INPUT');
  });

  test('when a certificate is cancelled or expires after its e-certificate was printed, then its old QR code verifies as cancelled / expired', async () => {
    const p = await addPerson({ openid: 'holder-7', certs: [{}, {}] });
    const t1 = ok(await ecert(p.certs[0]._id, 'holder-7')).token;
    const t2 = ok(await ecert(p.certs[1]._id, 'holder-7')).token;
    await database().collection(C.certificates).doc(p.certs[0]._id).update({ data: { status: 'cancelled' } });
    await database().collection(C.certificates).doc(p.certs[1]._id).update({ data: { validUntil: addYears(today(), -1) } });
    expect(ok(await sys.call('certs', { action: 'verify', token: t1 }, ''))).toMatchObject({ status: 'cancelled', certificate: { status: 'cancelled' } });
    expect(ok(await sys.call('certs', { action: 'verify', token: t2 }, ''))).toMatchObject({ status: 'expired', certificate: { status: 'expired' } });
  });

  test('when WeChat hands the page the scanned URL (query.q, encoded), then the token inside is verified', async () => {
    const p = await addPerson();
    const token = signCert(p.certs[0].no);
    const q = encodeURIComponent(`${sys.url}/http/cert-verify/?t=${token}`);
    expect(tokenFrom(q)).toBe(token);
    expect(ok(await sys.call('cert-lookup', { action: 'verify', token: q }, 'anyone')).status).toBe('valid');
  });
});
