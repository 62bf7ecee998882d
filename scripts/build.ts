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

if (require.main === module) {
  const t0 = Date.now();
  buildFunctions()
    .then((names) => {
      buildMiniprogramNpm();
      console.log(`built ${names.length} cloud functions (${names.join(', ')}) and miniprogram_npm in ${Date.now() - t0} ms`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
