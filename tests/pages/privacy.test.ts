/**
 * The privacy guide (issue 10): every privacy-relevant API the mini-program calls is declared, and
 * WeChat's consent request is answered through the popup's agreePrivacyAuthorization button.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { PRIVACY_APIS } from '../../miniprogram/services/privacy';

const ROOT = join(__dirname, '..', '..', 'miniprogram');
/** WeChat's list of APIs that need a privacy declaration (the ones a mini-program like this may call). */
const RELEVANT = ['chooseMedia', 'chooseImage', 'chooseVideo', 'chooseMessageFile', 'saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum', 'setClipboardData', 'getClipboardData', 'getLocation', 'chooseLocation', 'chooseAddress', 'getPhoneNumber', 'getUserProfile', 'startRecord', 'chooseInvoiceTitle'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'miniprogram_npm' ? [] : sources(p);
    return /\.(ts|wxml)$/.test(n) ? [p] : [];
  });
}

test('every privacy-relevant API the code calls is declared in the privacy guide list', () => {
  const used = new Set<string>();
  for (const f of sources(ROOT)) {
    const src = readFileSync(f, 'utf8');
    for (const api of RELEVANT) if (new RegExp(`wx\\.${api}\\b|open-type="${api}"`).test(src)) used.add(api);
  }
  expect([...used].filter((api) => !PRIVACY_APIS[api])).toEqual([]);
  // And the list names nothing the code no longer calls (the console declaration stays honest).
  expect(Object.keys(PRIVACY_APIS).filter((api) => !used.has(api))).toEqual([]);
});

test('when WeChat asks for consent, then the popup shows, and its agree button answers with the button id', async () => {
  let ask: ((resolve: (r: unknown) => void) => void) | undefined;
  (global as any).wx = { onNeedPrivacyAuthorization: (cb: any) => (ask = cb) };
  jest.isolateModules(() => undefined);
  const privacy = await import('../../miniprogram/services/privacy');
  privacy.watchPrivacy();
  const shown: boolean[] = [];
  privacy.onPrivacyPopup((s) => shown.push(s));
  const answer = new Promise((r) => ask!(r));
  privacy.answerPrivacy(true, 'privacy-agree');
  expect(await answer).toEqual({ event: 'agree', buttonId: 'privacy-agree' });
  expect(shown).toEqual([true, false]);
  const wxml = readFileSync(join(ROOT, 'components', 'privacy-popup', 'index.wxml'), 'utf8');
  expect(wxml).toMatch(/open-type="agreePrivacyAuthorization"/);
  expect(wxml).toMatch(/bindagreeprivacyauthorization="onAgree"/);
});
