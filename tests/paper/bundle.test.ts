/**
 * The paper renderer as it runs in the cloud: bundled the way scripts/build.ts bundles a function
 * (cloudfunctions/forms/build.json: pdfkit and fontkit external, the fonts copied into fonts/), run
 * from its own folder in a separate Node process with the external packages installed beside it, as
 * CloudBase installs them — the fonts are found in fonts/, not in the project's node_modules.
 */
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { build } from 'esbuild';
import { readPdfs, squash } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const SETTINGS = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions', 'forms', 'build.json'), 'utf8')) as {
  external: string[];
  copy: { from: string; to: string }[];
};
const ROOT_DEPS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies as Record<string, string>;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paper-bundle-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** esbuild with scripts/build.ts's options; `external` as the function's build.json says, or not. */
async function bundle(out: string, external: string[]): Promise<void> {
  const entry = join(out, 'entry.ts');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    entry,
    `import { PAPERS, renderPaper } from ${JSON.stringify(join(ROOT, 'cloudfunctions', 'forms', 'paper', 'render'))};
import { paperFontPath } from ${JSON.stringify(join(ROOT, 'cloudfunctions', 'forms', 'paper', 'fonts'))};
import { writeFileSync } from 'fs';
export async function run(file: string) {
  const doc = PAPERS['change-application'].build({ association: '示例省建设监理协会', person: { name: '欧阳堃' }, toUnit: '示例监理有限公司' });
  writeFileSync(file, await renderPaper(doc));
  return { sans: paperFontPath('sans'), serif: paperFontPath('serif') };
}
`,
  );
  await build({
    entryPoints: [entry],
    outfile: join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk', ...external],
    legalComments: 'none',
    logLevel: 'silent',
  });
  for (const c of SETTINGS.copy) {
    mkdirSync(dirname(join(out, c.to)), { recursive: true });
    cpSync(join(ROOT, c.from), join(out, c.to));
  }
}

/** Run the bundle in its folder; NODE_PATH stands for the function's installed node_modules. */
function runBundle(out: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };
  delete env.MSP_FONT_DIR;
  const script = `require('./index.js').run(${JSON.stringify(join(out, 'out.pdf'))}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  return execFileSync(process.execPath, ['-e', script], {
    cwd: out,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('build.json: pdfkit and fontkit external at the root’s pinned versions, the fonts and their licences copied', () => {
  expect(SETTINGS.external).toEqual(expect.arrayContaining(['pdfkit', 'fontkit']));
  for (const dep of SETTINGS.external) expect(ROOT_DEPS[dep]).toMatch(/^\d+\.\d+\.\d+$/);
  expect(SETTINGS.copy.map((c) => c.to).sort()).toEqual([
    'fonts/NotoSansSC_400Regular.ttf',
    'fonts/NotoSerifSC_700Bold.ttf',
    'fonts/OFL-NotoSansSC.txt',
    'fonts/OFL-NotoSerifSC.txt',
  ]);
  for (const c of SETTINGS.copy) expect(existsSync(join(ROOT, c.from))).toBe(true);
});

test('the built forms function (jest’s global setup runs the build) has the fonts and lists pdfkit and fontkit for CloudBase to install', () => {
  const fn = join(ROOT, 'dist', 'cloudfunctions', 'forms');
  for (const c of SETTINGS.copy) expect(existsSync(join(fn, c.to))).toBe(true);
  const pkg = JSON.parse(readFileSync(join(fn, 'package.json'), 'utf8'));
  expect(pkg.dependencies).toMatchObject({ pdfkit: ROOT_DEPS.pdfkit, fontkit: ROOT_DEPS.fontkit });
});

test('bundled as the build does, the renderer runs from its own folder: fonts from fonts/, a readable A4 PDF', async () => {
  const out = join(dir, 'external');
  await bundle(out, SETTINGS.external);
  const fonts = JSON.parse(runBundle(out));
  expect(fonts).toEqual({
    sans: join(out, 'fonts', 'NotoSansSC_400Regular.ttf'),
    serif: join(out, 'fonts', 'NotoSerifSC_700Bold.ttf'),
  });
  const [pdf] = readPdfs([join(out, 'out.pdf')]);
  expect(pdf.pages).toHaveLength(1);
  expect(squash(pdf.pages[0].text)).toContain('变更登记申请表');
  expect(squash(pdf.pages[0].text)).toContain('欧阳堃');
});

test('why pdfkit stays external: bundled, it loses the data files it loads at run time (its standard fonts)', async () => {
  // Our renderer never asks for a standard font, but pdfkit itself resolves `#standard-fonts/*` from
  // its own package at run time: inside a bundle that resolution fails; installed beside, it works.
  const out = join(dir, 'helvetica');
  mkdirSync(out, { recursive: true });
  const entry = join(out, 'entry.js');
  writeFileSync(
    entry,
    `const PDFDocument = require('pdfkit');\nexports.run = async () => { const d = new PDFDocument(); d.text('x'); d.end(); return 'ok'; };\n`,
  );
  const opts = {
    entryPoints: [entry],
    bundle: true,
    platform: 'node' as const,
    target: 'node16',
    format: 'cjs' as const,
    logLevel: 'silent' as const,
    nodePaths: [join(ROOT, 'node_modules')],
  };
  await build({ ...opts, outfile: join(out, 'index.js') });
  expect(() => runBundle(out)).toThrow(/Cannot find module '#standard-fonts\/Helvetica'/);
  await build({ ...opts, outfile: join(out, 'index.js'), external: ['pdfkit'] });
  expect(runBundle(out)).toBe('"ok"');
});
