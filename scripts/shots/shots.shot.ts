/**
 * `npm run shots`, the rendering half (run by scripts/shots.ts through jest with
 * scripts/shots/jest.config.js — not a test, and not matched by the test globs).
 *
 * Renders key pages as the demo identities with the page tests' machinery (miniprogram-simulate in
 * jsdom, the real local system running the built functions on the embedded database), and writes
 * each page as a standalone HTML document with its CSS into .tmp/shots/html/, plus manifest.json
 * saying which pages rendered. scripts/shots.ts then photographs them in headless Chromium.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Transport } from '../../miniprogram/services/request';
import { setTransport } from '../../miniprogram/services/request';
import { jpeg, validIdNumber } from '../../tests/support/fixtures';
import { ADMIN_A, apply, FINANCE, issue, ok, ORG, profile } from '../../tests/support/journey';
import { httpRequest, type LocalSystem } from '../../tests/support/local-system';
import { closePages, openPage, settle, type PageDriver } from '../../tests/pages/support/render';
import { stageRoot } from '../../tests/pages/support/stage';
import { newOpenid, useLocalSystem } from '../../tests/pages/support/system';
import { setEnvVersion } from '../../tests/pages/support/wx';
import { BUILTIN_CSS, browserWxss, fontFaceCss, htmlDocument, iconCss, rpxToPx } from './css';

// simulate compiles each page's and component's WXSS (prefixing classes with the tag name, as
// the DOM carries them) and inserts it into <head>. Hook the compile step so the WXSS is first made
// browser CSS: rpx at 375 px, built-in tags → wx-*, `page` → body, `:host` → the component's tag.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const simWxss = require('miniprogram-simulate/src/wxss') as {
  compile: (wxss: string, options: { prefix?: string }) => string;
  getContent: (file: string) => string;
};
const compileWxss = simWxss.compile;
simWxss.compile = (wxss, options) => compileWxss(browserWxss(wxss, options.prefix || 'main'), options);
// Inline `style="…rpx"` goes through j-component's own converter (1 rpx = 1 px there): the same 375 px rule.
// (j-component is simulate's own dependency: resolved from simulate's folder.)
const nodeRequire = require as unknown as NodeJS.Require; // the wx typings declare WeChat's `require`
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jUtils = require(
  nodeRequire.resolve('j-component/src/tool/utils', {
    paths: [path.dirname(nodeRequire.resolve('miniprogram-simulate'))],
  }),
) as {
  transformRpx: (style: string) => string;
};
jUtils.transformRpx = (style) => rpxToPx(style);

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, '.tmp', 'shots', 'html');
const TDESIGN = path.join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist');
/** Fonts are served by scripts/shots.ts under this origin (the same constant there): no network, no file:// font rules. */
const ASSET_ORIGIN = 'http://shots.local';

const system = useLocalSystem();

/** The caller's transport, counting requests in flight so a shot waits until the page has its answers. */
let inFlight = 0;
let lastActivity = Date.now();
function counted(t: Transport): Transport {
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight++;
    lastActivity = Date.now();
    return p.finally(() => {
      inFlight--;
      lastActivity = Date.now();
    });
  };
  return {
    call: (fn, data) => track(t.call(fn, data)),
    upload: (filePath, cloudPath) => track(t.upload(filePath, cloudPath)),
    fileUrl: (fileID) => track(t.fileUrl(fileID)),
  };
}
function actAs(sys: LocalSystem, openid: string): void {
  setTransport(counted(sys.transport(openid)));
}

interface Shot {
  role: string;
  page: string;
  openid: () => string;
  route: string;
  query?: () => Promise<Record<string, string>> | Record<string, string>;
  /** Text that shows once the page has its data. */
  text?: string;
  /** What a user does before the picture (type and search…). */
  act?: (page: PageDriver) => Promise<void>;
}

interface Result {
  name: string;
  route: string;
  html?: string;
  error?: string;
}

let seq = 700;
const state: { orgFormId?: string; certNo?: string } = {};

/** A real membership application, pre-reviewed and paid: waiting at 机构初审. */
async function atOrgReview(sys: LocalSystem, name: string): Promise<string> {
  const birth = '1985-04-12';
  const idNumber = validIdNumber(birth, 'male', seq++);
  const { formId } = ok(await apply(sys, newOpenid('shots'), profile({ name, idNumber }, birth)));
  ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
  const form = ok(await sys.call('forms', { action: 'get', formId }, ADMIN_A));
  const receipt = await sys.upload(jpeg(160, 240, 80, seq), `uploads/receipt/${formId}.jpg`, ADMIN_A, 'receipt');
  ok(await sys.call('bills', { action: 'pay', billId: form.bills[0].id, receipt }, ADMIN_A));
  return formId;
}

/** A real application the unit has pre-reviewed, its fee not paid yet (a bill for 缴费管理). */
async function awaitingPayment(sys: LocalSystem, name: string): Promise<string> {
  const birth = '1992-11-03';
  const idNumber = validIdNumber(birth, 'female', seq++);
  const { formId } = ok(await apply(sys, newOpenid('shots'), profile({ name, idNumber }, birth, 'female')));
  ok(await sys.call('forms', { action: 'prereview', formId, decision: 'approve' }, ADMIN_A));
  return formId;
}

const NEWCOMER = newOpenid('shots-newcomer');
const MEMBER = 'demo-member-1';
const SHOTS: Shot[] = [
  { role: 'newcomer', page: 'home', openid: () => NEWCOMER, route: 'pages/home/index' },
  { role: 'member', page: 'home', openid: () => MEMBER, route: 'pages/home/index', text: '我的会籍' },
  {
    role: 'unit-admin',
    page: 'home',
    openid: () => ADMIN_A,
    route: 'pages/home/index',
    text: '单位管理 · 示例监理有限公司',
  },
  { role: 'org-reviewer', page: 'home', openid: () => ORG, route: 'pages/home/index', text: '审核工作' },
  { role: 'finance', page: 'home', openid: () => FINANCE, route: 'pages/home/index' },
  { role: 'secretariat', page: 'home', openid: () => 'demo-secretariat', route: 'pages/home/index' },
  { role: 'member', page: 'membership', openid: () => MEMBER, route: 'pkg-member/membership/index' },
  { role: 'member', page: 'applications', openid: () => MEMBER, route: 'pkg-member/applications/index' },
  { role: 'unit-admin', page: 'forms', openid: () => ADMIN_A, route: 'pkg-unit/forms/index' },
  { role: 'unit-admin', page: 'roster', openid: () => ADMIN_A, route: 'pkg-unit/roster/index' },
  { role: 'unit-admin', page: 'bills', openid: () => ADMIN_A, route: 'pkg-unit/bills/index' },
  { role: 'secretariat', page: 'dashboard', openid: () => 'demo-secretariat', route: 'pkg-admin/dashboard/index', text: '有效证书' },
  {
    role: 'org-reviewer',
    page: 'queue',
    openid: () => ORG,
    route: 'pkg-review/queue/index',
    query: () => ({ stage: 'org_review' }),
    text: '截图甲',
  },
  {
    role: 'org-reviewer',
    page: 'review-form',
    openid: () => ORG,
    route: 'pkg-review/form/index',
    query: () => ({ formId: state.orgFormId as string }),
    text: '截图甲',
  },
  {
    role: 'newcomer',
    page: 'join',
    openid: () => NEWCOMER,
    route: 'pkg-member/join/index',
    query: async () => ({ code: (await issue(system(), 'join', ADMIN_A)).code, kind: 'join' }),
    text: '示例监理有限公司',
  },
  {
    role: 'newcomer',
    page: 'cert-lookup',
    openid: () => NEWCOMER,
    route: 'pkg-cert/lookup/index',
    async act(page) {
      if (!page.find('#cert-no')) return;
      await page.input(state.certNo as string, '#cert-no');
      await page.tap('#search');
      await page.waitForText(state.certNo as string);
    },
  },
];

/** WXSS of the page (and of app.wxss), compiled for `prefix` as simulate does for the page. */
function sharedCss(route: string, prefixes: string[]): string {
  const root = stageRoot();
  const app = simWxss.getContent(path.join(root, 'app.wxss'));
  const page = simWxss.getContent(path.join(root, `${route}.wxss`));
  // The page's own sheet is already in <head> for `main`; components that share page styles get both.
  return prefixes
    .map((p) => simWxss.compile(app, { prefix: p }) + (p === 'main' ? '' : simWxss.compile(page, { prefix: p })))
    .join('\n');
}

/** Tags (as the DOM carries them) of our components that take page styles (`styleIsolation: 'apply-shared'`/`'shared'`, `addGlobalClass`). */
function sharedStyleTags(route: string): string[] {
  const root = stageRoot();
  const tags = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const json = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
    for (const [tag, target] of Object.entries(json.usingComponents || {})) {
      if (!target.startsWith('/') && !target.startsWith('.')) continue; // TDesign: isolated
      const comp = target.startsWith('/') ? path.join(root, target) : path.join(path.dirname(file), target);
      const src = ['.ts', '.js'].map((e) => comp + e).find((f) => fs.existsSync(f));
      if (
        src &&
        /styleIsolation:\s*['"](apply-shared|shared)['"]|addGlobalClass:\s*true/.test(fs.readFileSync(src, 'utf8'))
      )
        tags.add(tag);
      visit(comp);
    }
  };
  visit(path.join(root, route));
  return [...tags];
}

/** TDesign's theme tokens (light and dark, each behind its media query), defined on :root. */
function tdesignTheme(): string {
  return browserWxss(
    fs.readFileSync(path.join(TDESIGN, 'common', 'style', 'theme', '_index.wxss'), 'utf8'),
    ':root',
    ':root',
  );
}

function fetchBytes(url: string): Promise<Buffer> {
  return httpRequest(url).then((r) => {
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status}`);
    return r.body;
  });
}

function mime(bytes: Buffer): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.slice(0, 4).toString() === 'RIFF') return 'image/webp';
  if (bytes.slice(0, 5).toString().startsWith('<svg') || bytes.slice(0, 5).toString() === '<?xml')
    return 'image/svg+xml';
  return 'application/octet-stream';
}

/** An image the page shows, as a data: URL (the local system is gone by the time Chromium runs). */
async function inlineImage(src: string): Promise<string | null> {
  try {
    if (src.startsWith('data:')) return src;
    let bytes: Buffer;
    if (/^https?:\/\//.test(src)) bytes = await fetchBytes(src);
    else if (fs.existsSync(src)) bytes = fs.readFileSync(src);
    else if (src.startsWith('/') && fs.existsSync(path.join(stageRoot(), src)))
      bytes = fs.readFileSync(path.join(stageRoot(), src));
    else return null;
    return `data:${mime(bytes)};base64,${bytes.toString('base64')}`;
  } catch (e) {
    return null;
  }
}

/** A WXML attribute as the template evaluated it: `{ name, value }` on the node's virtual tree. */
interface VtAttr {
  name: string;
  value: unknown;
}
function wxmlAttrs(el: Element): VtAttr[] {
  const node = (el as unknown as { __wxElement?: { _vt?: { attrs?: VtAttr[] } } }).__wxElement;
  return (node && node._vt && node._vt.attrs) || [];
}

/**
 * The page's DOM as static HTML: built-in components carry their WXML attributes (`mode`, `type`,
 * `hidden`…, which simulate keeps off the DOM), images are loaded, inputs show their value (or
 * placeholder), rpx in inline styles converted.
 */
async function serialize(page: PageDriver): Promise<string> {
  const live = page.comp.dom as Element;
  const dom = live.cloneNode(true) as Element;
  const liveEls = Array.from(live.querySelectorAll('*'));
  const copyEls = Array.from(dom.querySelectorAll('*'));
  for (let i = 0; i < copyEls.length; i++) {
    const el = copyEls[i];
    const tag = el.tagName.toLowerCase();
    if (!tag.startsWith('wx-')) continue;
    const attrs: Record<string, unknown> = {};
    for (const a of wxmlAttrs(liveEls[i])) attrs[a.name] = a.value;
    for (const [name, value] of Object.entries(attrs)) {
      if (
        ['class', 'style', 'id', 'slot'].includes(name) ||
        name.startsWith('data-') ||
        !/^[a-z][-a-z0-9]*$/i.test(name)
      )
        continue;
      if (value === true) el.setAttribute(name, '');
      else if (typeof value === 'string' || typeof value === 'number') el.setAttribute(name, String(value));
    }
    if (tag === 'wx-image') {
      el.innerHTML = '';
      const url = typeof attrs.src === 'string' && attrs.src ? await inlineImage(attrs.src) : null;
      el.removeAttribute('src');
      if (url) {
        const img = el.ownerDocument.createElement('img');
        img.setAttribute('src', url);
        el.appendChild(img);
      }
    }
    if (tag === 'wx-input' || tag === 'wx-textarea') {
      const value = attrs.value === undefined || attrs.value === null ? '' : String(attrs.value);
      const placeholder = typeof attrs.placeholder === 'string' ? attrs.placeholder : '';
      const password = attrs.password === true || attrs.type === 'safe-password';
      el.textContent = value ? (password ? '•'.repeat(value.length) : value) : '';
      if (!value && placeholder) {
        const span = el.ownerDocument.createElement('span');
        // The placeholder class is the component's own: scope it as simulate scopes the element's classes.
        const scope = (el.getAttribute('class') || '')
          .split(/\s+/)
          .find((c) => c.includes('--'))
          ?.split('--')[0];
        const own =
          typeof attrs['placeholder-class'] === 'string' ? attrs['placeholder-class'].split(/\s+/).filter(Boolean) : [];
        span.className = ['shots-placeholder', ...own.map((c) => (scope ? `${scope}--${c}` : c))].join(' ');
        if (typeof attrs['placeholder-style'] === 'string')
          span.setAttribute('style', rpxToPx(attrs['placeholder-style']));
        span.textContent = placeholder;
        el.appendChild(span);
      }
    }
  }
  for (const el of Array.from(dom.querySelectorAll('[style]'))) {
    const style = el.getAttribute('style') || '';
    if (style.includes('rpx')) el.setAttribute('style', rpxToPx(style));
  }
  return dom.outerHTML;
}

function titleOf(route: string): string {
  const root = stageRoot();
  const own = JSON.parse(fs.readFileSync(path.join(root, `${route}.json`), 'utf8')) as {
    navigationBarTitleText?: string;
  };
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
    window?: { navigationBarTitleText?: string };
  };
  return own.navigationBarTitleText || app.window?.navigationBarTitleText || '';
}

/** Wait until the page's requests have all been answered and nothing new started for `quietMs`. */
async function quiet(page: PageDriver, quietMs = 400): Promise<void> {
  await page.waitFor(
    () => inFlight === 0 && Date.now() - lastActivity >= quietMs && page.data.loading !== true,
    'requests to finish',
  );
}

const FONTS = [
  { weight: 400, file: '400Regular/NotoSansSC_400Regular.ttf' },
  { weight: 500, file: '500Medium/NotoSansSC_500Medium.ttf' },
  { weight: 600, file: '600SemiBold/NotoSansSC_600SemiBold.ttf' },
  { weight: 700, file: '700Bold/NotoSansSC_700Bold.ttf' },
];

const results: Result[] = [];
const only = (process.env.SHOTS_ONLY || '').split(',').filter(Boolean);
const selected = SHOTS.filter((s) => !only.length || only.some((o) => `${s.role}-${s.page}`.includes(o)));

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const sys = system();
  // Something for the reviewer's queue and form, and an unpaid bill for the unit.
  state.orgFormId = await atOrgReview(sys, '截图甲');
  await awaitingPayment(sys, '截图乙');
  const me = ok(await sys.call('members', { action: 'me' }, MEMBER));
  state.certNo = me.certificates[0]?.no;
}, 120_000);

afterAll(() => {
  fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(results, null, 2) + '\n');
});

describe('shots', () => {
  for (const shot of selected) {
    const name = `${shot.role}-${shot.page}`;
    test(name, async () => {
      try {
        // What a user of the released mini-program sees (no develop-build identity switcher).
        setEnvVersion('release');
        actAs(system(), shot.openid());
        const query = shot.query ? await shot.query() : {};
        for (const s of Array.from(document.head.querySelectorAll('style'))) s.remove();
        const page = await openPage(shot.route, query);
        if (shot.text) await page.waitForText(shot.text);
        await quiet(page);
        if (shot.act) {
          await shot.act(page);
          await quiet(page);
        }
        await settle(50);
        const simulated = Array.from(document.head.querySelectorAll('style'))
          .map((s) => s.textContent || '')
          .join('\n');
        const html = htmlDocument({
          title: titleOf(shot.route),
          background: '#f3f3f3',
          styles: [
            fontFaceCss(FONTS.map((f) => ({ url: `${ASSET_ORIGIN}/fonts/${f.file}`, weight: f.weight }))),
            BUILTIN_CSS,
            tdesignTheme(),
            sharedCss(shot.route, ['main', ...sharedStyleTags(shot.route)]),
            simulated,
            iconCss(),
          ],
          body: await serialize(page),
        });
        const file = path.join(OUT, `${name}.html`);
        fs.writeFileSync(file, html);
        results.push({ name, route: shot.route, html: file });
      } catch (e) {
        results.push({ name, route: shot.route, error: String((e as Error).stack || e) });
        throw e;
      } finally {
        closePages();
        setTransport(null);
      }
    });
  }
});
