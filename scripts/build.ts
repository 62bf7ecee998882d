/**
 * `npm run build`: what WeChat DevTools and CloudBase take.
 * - Each cloud function → dist/cloudfunctions/<name>/ : one bundled index.js (shared domain code
 *   bundled in, wx-server-sdk left to CloudBase's install), package.json, config.json.
 * - The UI component library → miniprogram/miniprogram_npm/ (what DevTools' "构建 npm" would make).
 */
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'cloudfunctions');
export const DIST_FUNCTIONS = join(ROOT, 'dist', 'cloudfunctions');
const ROOT_DEPS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies;

/**
 * Optional per-function build settings (`cloudfunctions/<name>/build.json`):
 * - `external`: packages not bundled (native ones such as @resvg/resvg-js) — they go into the
 *   function's package.json with the root's pinned version, for CloudBase to install;
 * - `copy`: files copied into the function folder (e.g. fonts from node_modules), `{ from, to }`
 *   with `from` relative to the project root and `to` relative to the function folder.
 */
interface FunctionBuild {
  external?: string[];
  copy?: { from: string; to: string }[];
}

function buildSettings(name: string): FunctionBuild {
  const file = join(SRC, name, 'build.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FunctionBuild) : {};
}

/** Folders of cloudfunctions/ that are functions (have index.ts and config.json), not shared code. */
export function functionNames(): string[] {
  return readdirSync(SRC).filter(
    (d) => statSync(join(SRC, d)).isDirectory() && existsSync(join(SRC, d, 'index.ts')) && existsSync(join(SRC, d, 'config.json')),
  );
}

export async function buildFunctions(outDir = DIST_FUNCTIONS): Promise<string[]> {
  // Build beside the target and swap it in, so a running local server never sees half a bundle.
  const staging = `${outDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const names = functionNames();
  await Promise.all(
    names.map(async (name) => {
      const out = join(staging, name);
      mkdirSync(out, { recursive: true });
      const settings = buildSettings(name);
      const external = ['wx-server-sdk', ...(settings.external || [])];
      for (const dep of external) if (!ROOT_DEPS[dep]) throw new Error(`${name}: external ${dep} is not a dependency in package.json`);
      await build({
        entryPoints: [join(SRC, name, 'index.ts')],
        outfile: join(out, 'index.js'),
        bundle: true,
        platform: 'node',
        // CloudBase's Node.js 16 runtime is the oldest we deploy to.
        target: 'node16',
        format: 'cjs',
        external,
        legalComments: 'none',
        logLevel: 'warning',
      });
      const config = JSON.parse(readFileSync(join(SRC, name, 'config.json'), 'utf8'));
      if (typeof config.timeout !== 'number') throw new Error(`${name}/config.json must set timeout`);
      writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
      writeFileSync(
        join(out, 'package.json'),
        JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: Object.fromEntries(external.map((d) => [d, ROOT_DEPS[d]])) }, null, 2) + '\n',
      );
      for (const c of settings.copy || []) {
        mkdirSync(dirname(join(out, c.to)), { recursive: true });
        cpSync(join(ROOT, c.from), join(out, c.to), { recursive: true });
      }
    }),
  );
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return names;
}

/** Copy TDesign's built components where `usingComponents: "tdesign-miniprogram/..."` resolves. */
export function buildMiniprogramNpm(): void {
  const from = join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist');
  const to = join(ROOT, 'miniprogram', 'miniprogram_npm', 'tdesign-miniprogram');
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
}

/**
 * Why the repo is not ready for a release build (issue 10: configuration fails fast): the
 * mini-program's cloud environment id and a real AppID must be set.
 */
export function releaseProblems(root = ROOT): string[] {
  const problems: string[] = [];
  const config = readFileSync(join(root, 'miniprogram', 'services', 'config.ts'), 'utf8');
  const env = /cloudEnv:\s*'([^']*)'/.exec(config)?.[1] ?? '';
  if (!env.trim()) problems.push('miniprogram/services/config.ts: cloudEnv is empty — set the CloudBase environment id');
  const appid = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8')).appid;
  if (!appid || appid === 'touristappid') problems.push('project.config.json: appid is the tourist id — set the mini-program’s AppID');
  return problems;
}

/**
 * The release package (`npm run build -- --release`): dist/ as a WeChat DevTools project —
 * the mini-program without the local dev-identity page, and the built functions — after
 * `releaseProblems` found nothing.
 */
export function buildReleaseMiniprogram(root = ROOT, out = join(ROOT, 'dist')): void {
  const problems = releaseProblems(root);
  if (problems.length) throw new Error(`release build refused:\n  ${problems.join('\n  ')}`);
  const to = join(out, 'miniprogram');
  rmSync(to, { recursive: true, force: true });
  cpSync(join(root, 'miniprogram'), to, { recursive: true, filter: (src) => !src.includes(`${join('miniprogram', 'pages', 'dev')}`) });
  const app = JSON.parse(readFileSync(join(to, 'app.json'), 'utf8'));
  app.pages = (app.pages as string[]).filter((p) => p !== 'pages/dev/index');
  writeFileSync(join(to, 'app.json'), JSON.stringify(app, null, 2) + '\n');
  const project = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8'));
  writeFileSync(join(out, 'project.config.json'), JSON.stringify({ ...project, miniprogramRoot: 'miniprogram/', cloudfunctionRoot: 'cloudfunctions/' }, null, 2) + '\n');
}

if (require.main === module) {
  const t0 = Date.now();
  const release = process.argv.includes('--release');
  if (release) {
    const problems = releaseProblems();
    if (problems.length) {
      console.error(`release build refused:\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
  }
  buildFunctions()
    .then((names) => {
      buildMiniprogramNpm();
      if (release) buildReleaseMiniprogram();
      console.log(`built ${names.length} cloud functions (${names.join(', ')}) and miniprogram_npm in ${Date.now() - t0} ms`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
