/**
 * A release build fails fast without its configuration, and ships no dev-identity page (issue 10).
 * Run on a copy of the repo's mini-program and project files in a temporary folder.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildReleaseMiniprogram, releaseProblems } from '../../scripts/build';

const ROOT = join(__dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-'));
  cpSync(join(ROOT, 'miniprogram'), join(dir, 'miniprogram'), { recursive: true, filter: (s) => !s.includes('miniprogram_npm') });
  cpSync(join(ROOT, 'project.config.json'), join(dir, 'project.config.json'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('when the cloud environment id and the AppID are not set, then the release build is refused with both reasons', () => {
  expect(releaseProblems(dir)).toEqual([expect.stringMatching(/cloudEnv is empty/), expect.stringMatching(/appid/)]);
  expect(() => buildReleaseMiniprogram(dir, join(dir, 'dist'))).toThrow(/release build refused/);
  expect(existsSync(join(dir, 'dist', 'miniprogram'))).toBe(false);
});

test('when they are set, then dist/ is a DevTools project whose mini-program has no dev-identity page', () => {
  const config = join(dir, 'miniprogram', 'services', 'config.ts');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/cloudEnv:\s*''/, "cloudEnv: 'prod-1a2b3c'"));
  const project = JSON.parse(readFileSync(join(dir, 'project.config.json'), 'utf8'));
  writeFileSync(join(dir, 'project.config.json'), JSON.stringify({ ...project, appid: 'wx0123456789abcdef' }));
  expect(releaseProblems(dir)).toEqual([]);
  buildReleaseMiniprogram(dir, join(dir, 'dist'));
  const app = JSON.parse(readFileSync(join(dir, 'dist', 'miniprogram', 'app.json'), 'utf8'));
  expect(app.pages).not.toContain('pages/dev/index');
  expect(app.pages).toContain('pages/home/index');
  expect(existsSync(join(dir, 'dist', 'miniprogram', 'pages', 'dev'))).toBe(false);
  expect(JSON.parse(readFileSync(join(dir, 'dist', 'project.config.json'), 'utf8'))).toMatchObject({ appid: 'wx0123456789abcdef', miniprogramRoot: 'miniprogram/', cloudfunctionRoot: 'cloudfunctions/' });
});
