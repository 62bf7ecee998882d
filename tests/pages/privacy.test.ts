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

/** The files a page's code reaches: its own script, the project modules it imports, its components'. */
function reached(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !statSync(file, { throwIfNoEntry: false })) return seen;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/from '(\.[^']+)'/g)) reached(join(file, '..', `${m[1]}.ts`), seen);
  const json = file.replace(/\.ts$/, '.json');
  if (statSync(json, { throwIfNoEntry: false })) {
    const using: Record<string, string> = JSON.parse(readFileSync(json, 'utf8')).usingComponents || {};
    for (const c of Object.values(using)) if (c.startsWith('/components/')) reached(join(ROOT, `${c}.ts`), seen);
  }
  return seen;
}

test('every page whose code can ask for a privacy-relevant API shows the privacy popup', () => {
  const app = JSON.parse(readFileSync(join(ROOT, 'app.json'), 'utf8'));
  const pages: string[] = [
    ...app.pages,
    ...(app.subPackages || app.subpackages).flatMap((p: { root: string; pages: string[] }) => p.pages.map((x) => `${p.root}/${x}`)),
  ];
  const calls = new RegExp(`wx\\.(${Object.keys(PRIVACY_APIS).join('|')})\\b`);
  const needing = pages.filter((p) => [...reached(join(ROOT, `${p}.ts`))].some((f) => calls.test(readFileSync(f, 'utf8'))));
  // The photo and file slots, the certificate pages' album and link copying at least.
  expect(needing).toEqual(expect.arrayContaining(['pkg-member/join/index', 'pkg-member/id-update/index', 'pkg-cert/unit/index']));
  const without = needing.filter((p) => !/<privacy-popup\b/.test(readFileSync(join(ROOT, `${p}.wxml`), 'utf8')));
  expect(without).toEqual([]);
});
