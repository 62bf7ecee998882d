/**
 * The build copies TDesign's `miniprogram_dist` to `miniprogram/miniprogram_npm/tdesign-miniprogram`
 * (the folder DevTools' "构建 npm" would make). Page tests need the same folder; this makes it
 * once when it is missing, the same way the build does.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../../..');
export const MINIPROGRAM = path.join(ROOT, 'miniprogram');
export const NPM_DIR = path.join(MINIPROGRAM, 'miniprogram_npm');
const SOURCE = path.join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist');
const TARGET = path.join(NPM_DIR, 'tdesign-miniprogram');

/** Make `miniprogram/miniprogram_npm/tdesign-miniprogram` if it is not there yet. */
export function ensureTdesign(): void {
  const marker = path.join(TARGET, 'button', 'button.json');
  if (fs.existsSync(marker)) return;
  // Copy into a temp folder and rename, so parallel test workers never see a half copy.
  fs.mkdirSync(NPM_DIR, { recursive: true });
  const tmp = `${TARGET}.tmp-${process.pid}-${Date.now()}`;
  fs.cpSync(SOURCE, tmp, { recursive: true });
  try {
    fs.renameSync(tmp, TARGET);
  } catch (e) {
    // Another worker won the race; its copy is as good as ours.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(marker)) throw e;
  }
}
