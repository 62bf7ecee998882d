/**
 * A private mini-program root for this test file: our pages and components plus TDesign's
 * `miniprogram_dist` as `miniprogram_npm/tdesign-miniprogram` (what the build's npm step makes),
 * made of hard links under `.tmp/` (gitignored, inside the project so `tslib` and friends still
 * resolve from node_modules). It does not depend on `miniprogram/miniprogram_npm`, which every
 * `npm run build` / jest global setup deletes and re-copies — a concurrent run would otherwise pull
 * TDesign out from under the pages being rendered.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../../..');
export const MINIPROGRAM = path.join(ROOT, 'miniprogram');
const TDESIGN = path.join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist');

let staged: string | null = null;

/** Mirror `from` into `to` with hard links (a copy where linking is not possible). */
function linkTree(from: string, to: string, skip: (name: string) => boolean = () => false): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (skip(e.name)) continue;
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) linkTree(src, dst);
    else if (e.isFile()) {
      try {
        fs.linkSync(src, dst);
      } catch (err) {
        fs.copyFileSync(src, dst);
      }
    }
  }
}

/** The staged root (made on first use in this test file). */
export function stageRoot(): string {
  if (staged) return staged;
  const base = path.join(ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'pages-'));
  linkTree(MINIPROGRAM, dir, (name) => name === 'miniprogram_npm' || name === 'node_modules');
  linkTree(TDESIGN, path.join(dir, 'miniprogram_npm', 'tdesign-miniprogram'));
  staged = dir;
  return dir;
}

/** Remove this file's staged root. */
export function removeStage(): void {
  if (staged) fs.rmSync(staged, { recursive: true, force: true });
  staged = null;
}
