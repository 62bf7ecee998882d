/**
 * Codes WeChat opens (issue 10): in the cloud a code is drawn by `wxacode.getUnlimited` with the
 * short code as its scene and the scan page as its page; that open API cannot run here, so its
 * call is checked against a stand-in of its interface, and every function whose bundle calls an
 * open API must list it in its config.json (CloudBase refuses unlisted ones).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { plainQr, SCAN_PAGE, wechatCodes } from '../../cloudfunctions/infra/wxacode';

test('the production drawing asks WeChat for the scan page with the code as scene, unchecked path', async () => {
  const calls: unknown[] = [];
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  const codes = wechatCodes(async (o) => {
    calls.push(o);
    return { buffer: png, contentType: 'image/png' };
  });
  expect(await codes.render('J3fK9aQ2xZ1.mhb0c5.pQ1w2e3r4t5y')).toBe(png);
  expect(calls).toEqual([{ scene: 'J3fK9aQ2xZ1.mhb0c5.pQ1w2e3r4t5y', page: SCAN_PAGE, checkPath: false, envVersion: 'release', width: 430 }]);
  expect(SCAN_PAGE).not.toMatch(/^\/|\?/); // WeChat wants no leading slash and no query
});

test('a scene WeChat would refuse (too long, or outside its character set) is never sent', async () => {
  const codes = wechatCodes(async () => ({ buffer: Buffer.alloc(1) }));
  await expect(codes.render('x'.repeat(33))).rejects.toThrow(/scene/);
  await expect(codes.render('有中文')).rejects.toThrow(/scene/);
});

test('WeChat’s rate limit (45009) is RATE_LIMITED; other failures are not silently drawn as something else', async () => {
  await expect(wechatCodes(async () => ({ errCode: 45009 })).render('abc')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  await expect(wechatCodes(async () => ({ errCode: 40169 })).render('abc')).rejects.toMatchObject({ code: 'INTERNAL' });
});

test('the local twin is a plain QR code of the same scene, decoded back', async () => {
  const img = PNG.sync.read(await plainQr('S1234567890.abc.def'));
  expect(jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data).toBe('S1234567890.abc.def');
});

test('every open API a function’s bundle calls is listed in its config.json', () => {
  const dist = join(__dirname, '..', '..', 'dist', 'cloudfunctions');
  const APIS: Record<string, RegExp> = {
    'wxacode.getUnlimited': /wxacode\.getUnlimited/,
    'ocr.idcard': /ocr\.idcard/,
    'subscribeMessage.send': /subscribeMessage\.send/,
  };
  const missing: string[] = [];
  for (const fn of readdirSync(dist)) {
    const bundle = join(dist, fn, 'index.js');
    if (!existsSync(bundle)) continue;
    const code = readFileSync(bundle, 'utf8');
    const listed: string[] = JSON.parse(readFileSync(join(dist, fn, 'config.json'), 'utf8')).permissions?.openapi || [];
    for (const [api, re] of Object.entries(APIS)) if (re.test(code) && !listed.includes(api)) missing.push(`${fn}: ${api}`);
  }
  expect(missing).toEqual([]);
});
