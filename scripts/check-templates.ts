/**
 * WXML/WXSS check (DevTools compiles templates, CI has no DevTools): runs WeChat's own `wcc`/`wcsc`
 * compilers from `miniprogram-compiler` over the project's pages and components, and reports their
 * errors with file:line:col.
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, readdirSync, statSync } from 'fs';
import { dirname, join, relative } from 'path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { wxmlToJs } = require('miniprogram-compiler');

function list(root: string, ext: string, dir = root, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'miniprogram_npm' || name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) list(root, ext, p, out);
    else if (name.endsWith(ext)) out.push(relative(root, p).replace(/\\/g, '/'));
  }
  return out;
}

/** Compile every template and style sheet under `root`; returns the compilers' errors (empty when fine). */
export function checkTemplates(root: string): { files: number; errors: string[] } {
  const wxml = list(root, '.wxml');
  const wxs = list(root, '.wxs');
  const wxss = list(root, '.wxss');
  const errors: string[] = [];
  const opts = { maxBuffer: 64 * 1024 * 1024 };
  try {
    const js = wxmlToJs(root, { ...opts, wxmlList: wxml, wxsList: wxs });
    // The output must itself be a loadable $gwx function.
    new Function('global', js);
  } catch (e) {
    errors.push(String((e as Error).message || e));
  }
  // The package's wxss wrapper mis-parses this wcsc's output, so call the compiler directly:
  // component style sheets first, with their count, as DevTools does.
  const comp = wxss.filter((f) => existsSync(join(root, f.replace(/\.wxss$/, '.json'))));
  const rest = wxss.filter((f) => !comp.includes(f));
  const bin = join(dirname(require.resolve('miniprogram-compiler/package.json')), 'bin', 'linux', 'wcsc');
  chmodSync(bin, 0o755);
  const r = spawnSync(bin, ['-db', '-pc', String(comp.length), ...comp, ...rest], { cwd: root, maxBuffer: opts.maxBuffer });
  if (r.status !== 0) errors.push(`编译 .wxss 文件错误：${r.stderr?.toString() || r.error}`);
  return { files: wxml.length + wxss.length, errors };
}

if (require.main === module) {
  const root = join(__dirname, '..', 'miniprogram');
  const { files, errors } = checkTemplates(root);
  if (errors.length) {
    console.error(errors.join('\n'));
    process.exit(1);
  }
  console.log(`templates ok: ${files} WXML/WXSS files compiled by wcc/wcsc`);
}
