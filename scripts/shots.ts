/**
 * `npm run shots`: phone-sized screenshots of the key pages, per role, from the real local system.
 *
 * 1. jest (scripts/shots/jest.config.js: the page tests' jsdom setup, its global setup building the
 *    functions) runs scripts/shots/shots.shot.ts, which renders each page as a demo identity with
 *    miniprogram-simulate and writes it as a standalone HTML page with its CSS to .tmp/shots/html/;
 * 2. headless Chromium opens each at 375×812, device scale 2, and saves a full-page PNG to
 *    .tmp/shots/<role>-<page>.png.
 *
 * `npm run shots -- member-home,join` renders only the shots whose name contains one of the words.
 * Exits non-zero when a page failed to render (the others are still written).
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'fs';
import { extname, join, relative } from 'path';
import { chromium } from 'playwright-core';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.tmp', 'shots');
const HTML = join(OUT, 'html');
const ASSET_ORIGIN = 'http://shots.local';
const FONTS = join(ROOT, 'node_modules', '@expo-google-fonts', 'noto-sans-sc');

interface Rendered {
  name: string;
  route: string;
  html?: string;
  error?: string;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  const only = process.argv.slice(2).join(',');
  const jest = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'jest'),
    ['--config', 'scripts/shots/jest.config.js', '--runInBand', '--ci'],
    {
      cwd: ROOT,
      env: { ...process.env, TZ: 'Asia/Shanghai', FORCE_COLOR: '0', SHOTS_ONLY: only },
      stdio: 'inherit',
    },
  );
  const manifestFile = join(HTML, 'manifest.json');
  if (!existsSync(manifestFile)) {
    console.error(`shots: no pages rendered (jest exited with ${jest.status})`);
    return 1;
  }
  const rendered = JSON.parse(readFileSync(manifestFile, 'utf8')) as Rendered[];
  console.log(
    `rendered ${rendered.filter((r) => r.html).length}/${rendered.length} pages in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let failed = rendered.filter((r) => !r.html).length;
  const lines: string[] = [];
  try {
    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      colorScheme: 'light',
      isMobile: true,
      hasTouch: true,
    });
    // Everything the pages load comes from disk through this origin; anything else (TDesign's icon
    // font on tdesign.gtimg.com) is refused at once instead of waiting for a network there is not.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ASSET_ORIGIN) return route.abort();
      const file = url.pathname.startsWith('/fonts/')
        ? join(FONTS, decodeURIComponent(url.pathname.slice('/fonts/'.length)))
        : join(HTML, decodeURIComponent(url.pathname.slice(1)));
      if (!file.startsWith(FONTS) && !file.startsWith(HTML)) return route.abort();
      if (!existsSync(file)) return route.fulfill({ status: 404, body: '' });
      const type = extname(file) === '.ttf' ? 'font/ttf' : 'text/html; charset=utf-8';
      return route.fulfill({
        status: 200,
        body: readFileSync(file),
        headers: { 'content-type': type, 'access-control-allow-origin': '*' },
      });
    });
    const page = await context.newPage();
    for (const r of rendered) {
      if (!r.html) {
        lines.push(`✗ ${r.name} (${r.route}): ${(r.error || 'not rendered').split('\n')[0]}`);
        continue;
      }
      const png = join(OUT, `${r.name}.png`);
      try {
        await page.goto(`${ASSET_ORIGIN}/${relative(HTML, r.html)}`, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        // A phone as tall as the page rather than Chromium's full-page stitching, so bars fixed at
        // the bottom (审核 actions, submit bars) end up at the bottom of the picture, as on a phone
        // scrolled to the end, not in the middle of it.
        await page.setViewportSize({ width: 375, height: 812 });
        let height = 812;
        for (let i = 0; i < 3; i++) {
          const h = Math.max(812, await page.evaluate(() => document.documentElement.scrollHeight));
          if (h === height) break;
          height = h;
          await page.setViewportSize({ width: 375, height });
        }
        await page.screenshot({ path: png });
        const size = await page.evaluate(() => ({
          w: document.documentElement.scrollWidth,
          h: document.documentElement.scrollHeight,
        }));
        lines.push(`✓ ${relative(ROOT, png)}  ${size.w}×${size.h} css px, ${kb(statSync(png).size)}`);
      } catch (e) {
        failed++;
        lines.push(`✗ ${r.name}: screenshot failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
  }
  for (const l of lines) console.log(l);
  const made = rendered.length - failed;
  console.log(
    `shots: ${made} PNGs in ${relative(ROOT, OUT)}/, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return failed > 0 || jest.status !== 0 || made === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
