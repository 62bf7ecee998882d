/**
 * Rendering pages in tests with miniprogram-simulate (the pattern, measured here):
 * - pages render from a private staged root (support/stage.ts): our sources + TDesign's dist as
 *   `miniprogram_npm/tdesign-miniprogram`, so a concurrent build cannot delete TDesign mid-test;
 * - the official `wcc` compiler (`compiler: 'official'`): the pure-JS one cannot parse TDesign's
 *   templates (object shorthand in WXS calls);
 * - simulate's `usingComponents` option maps each npm-style tag (`tdesign-miniprogram/button/button`)
 *   to `/miniprogram_npm/tdesign-miniprogram/button/button` under `rootPath` (the staged root), as
 *   DevTools resolves npm components (with the pure-JS compiler that option breaks: components get
 *   registered before their own children);
 * - `getApp`/`getCurrentPages` and WeChat's services come from support/wx.ts (TDesign calls getApp);
 * - every page is loaded inside `jest.isolateModules`: simulate runs component JS with `require`,
 *   and jest caches modules, so a second load would never call `Component()` again. Each opened
 *   page is therefore a fresh mini-program process (its own session cache);
 * - its own copy of services/request.ts gets a transport that delegates to the test's current
 *   one (`setTransport` in the test), so pages talk to the real local system;
 * - no `Page()`: pages are `Component()`s, and `onLoad(query)` is called as WeChat would.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Transport } from '../../../miniprogram/services/request';
import * as request from '../../../miniprogram/services/request';
import { MINIPROGRAM, removeStage, stageRoot } from './stage';
import { installWx } from './wx';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const simulate = require('miniprogram-simulate');
installWx();
afterAll(() => removeStage());

let npmMap: Record<string, string> | null = null;

/** tag → `/miniprogram_npm/<path>` for every npm-style `usingComponents` entry of our pages and components. */
export function npmComponents(): Record<string, string> {
  if (npmMap) return npmMap;
  const map: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'miniprogram_npm' || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        const json = JSON.parse(fs.readFileSync(p, 'utf8'));
        for (const [tag, target] of Object.entries<string>(json.usingComponents || {})) {
          if (target.startsWith('/') || target.startsWith('.')) continue;
          const mapped = `/miniprogram_npm/${target}`;
          if (map[tag] && map[tag] !== mapped) throw new Error(`tag ${tag} maps to both ${map[tag]} and ${mapped}`);
          map[tag] = mapped;
        }
      }
    }
  };
  walk(MINIPROGRAM);
  npmMap = map;
  return map;
}

/** The test's transport, seen through the page's own copy of request.ts. */
const delegate: Transport = {
  call: (fn, data) => request.getTransport().call(fn, data),
  upload: (filePath, cloudPath) => request.getTransport().upload(filePath, cloudPath),
  fileUrl: (fileID) => request.getTransport().fileUrl(fileID),
};

type Node = any;

export interface PageDriver {
  comp: Node;
  readonly data: Record<string, any>;
  /** Everything rendered, as text. */
  text(): string;
  /** Find a node, descending into child components: find('#profile', '#idNumber'). */
  find(...selectors: string[]): Node | undefined;
  findAll(...selectors: string[]): Node[];
  /** Tap a node (the inner element of a TDesign component). */
  tap(...selectors: string[]): Promise<void>;
  /** Tap the `index`-th node matching the last selector (tabs, list items). */
  tapAt(index: number, ...selectors: string[]): Promise<void>;
  /** Type into a t-input / t-textarea. */
  input(value: string, ...selectors: string[]): Promise<void>;
  /** Choose in a native picker (`detail.value`). */
  pick(value: string | number, ...selectors: string[]): Promise<void>;
  /** Wait until `predicate` holds (polling); throws with the page text on timeout. */
  waitFor(predicate: () => unknown, what?: string, timeoutMs?: number): Promise<void>;
  /** Wait until the page's text contains `s`. */
  waitForText(s: string, timeoutMs?: number): Promise<void>;
  detach(): void;
}

function descend(root: Node, selectors: string[]): Node | undefined {
  let node = root;
  for (const sel of selectors) {
    if (!node) return undefined;
    node = node.querySelector(sel);
  }
  return node;
}

/** The element that carries a TDesign component's own tap handler (its root, `.t-<name>`). */
function tapTarget(node: Node): Node {
  const prefix = node && node.instance && node.instance.data && node.instance.data.classPrefix;
  if (typeof prefix === 'string') {
    const inner = node.querySelector(`.${prefix}`);
    if (inner) return inner;
  }
  return node;
}

const opened: PageDriver[] = [];

/** Detach every page opened since the last call (after each test), so no late update renders into a torn-down document. */
export function closePages(): void {
  while (opened.length) {
    try {
      opened.pop()!.detach();
    } catch (e) {
      // already detached
    }
  }
}

export function settle(ms = 0): Promise<void> {
  return simulate.sleep(ms);
}

/** Load `route` from the staged root as a fresh process (its own modules, the test's transport) and render it with `properties`. */
function renderFresh(route: string, properties?: Record<string, unknown>): { comp: Node; parent: Node } {
  const root = stageRoot();
  let id = '';
  jest.isolateModules(() => {
    id = simulate.load(path.join(root, route), {
      rootPath: root,
      compiler: 'official',
      // wcc compiles the whole staged root at once; its output outgrew spawnSync's 1 MB default.
      compilerOptions: { maxBuffer: 64 * 1024 * 1024 },
      usingComponents: npmComponents(),
    });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const own = require(path.join(root, 'services/request')) as typeof request;
    own.setTransport(delegate);
  });
  const comp = simulate.render(id, properties);
  const parent = document.createElement('parent-wrapper');
  document.body.appendChild(parent);
  comp.attach(parent);
  return { comp, parent };
}

/** Load `route` (e.g. 'pages/scan/index') as a fresh process, render it and call `onLoad(query)`. */
export async function openPage(route: string, query: Record<string, string> = {}): Promise<PageDriver> {
  const { comp, parent } = renderFresh(route);
  if (typeof comp.instance.onLoad === 'function') comp.instance.onLoad(query);
  await settle();
  return drive(comp, parent);
}

/** Render a component (e.g. 'components/form-detail/index') with `properties`, driven like a page. */
export async function openComponent(route: string, properties: Record<string, unknown>): Promise<PageDriver> {
  const { comp, parent } = renderFresh(route, properties);
  await settle();
  return drive(comp, parent);
}

function drive(comp: Node, parent: Node): PageDriver {

  const driver: PageDriver = {
    comp,
    get data() {
      return comp.data;
    },
    text: () => (comp.dom ? comp.dom.textContent || '' : '').replace(/\s+/g, ' '),
    find: (...selectors) => descend(comp, selectors),
    findAll: (...selectors) => {
      const parentNode = descend(comp, selectors.slice(0, -1));
      return parentNode ? parentNode.querySelectorAll(selectors[selectors.length - 1]) : [];
    },
    async tap(...selectors) {
      const node = descend(comp, selectors);
      if (!node) throw new Error(`nothing to tap at ${selectors.join(' ')}\n${driver.text()}`);
      tapTarget(node).dispatchEvent('tap');
      await settle();
    },
    async tapAt(index, ...selectors) {
      const node = driver.findAll(...selectors)[index];
      if (!node) throw new Error(`nothing to tap at ${selectors.join(' ')} [${index}]\n${driver.text()}`);
      tapTarget(node).dispatchEvent('tap');
      await settle();
    },
    async input(value, ...selectors) {
      const node = descend(comp, selectors);
      if (!node) throw new Error(`no input at ${selectors.join(' ')}`);
      const inner = node.querySelector('.t-input__control') || node.querySelector('.t-textarea__wrapper-inner') || node;
      inner.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
      await settle();
    },
    async pick(value, ...selectors) {
      const node = descend(comp, selectors);
      if (!node) throw new Error(`no picker at ${selectors.join(' ')}`);
      node.dispatchEvent('change', { detail: { value } });
      await settle();
    },
    // Generous: only a hang should trip it, not a busy 2-core CI machine; speed is `npm run bench`'s.
    async waitFor(predicate, what = 'condition', timeoutMs = 30000) {
      const start = Date.now();
      for (;;) {
        let okNow = false;
        try {
          okNow = !!predicate();
        } catch (e) {
          okNow = false;
        }
        if (okNow) return;
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; page shows:\n${driver.text()}`);
        await settle(5);
      }
    },
    waitForText(s, timeoutMs) {
      return driver.waitFor(() => driver.text().includes(s), `text “${s}”`, timeoutMs);
    },
    detach() {
      comp.detach();
      parent.remove();
    },
  };
  opened.push(driver);
  return driver;
}
