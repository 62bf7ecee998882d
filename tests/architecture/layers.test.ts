/**
 * The layers of the server code (issue 13): functions → domain → infrastructure → shared rules.
 * Every relative import of every file is read, and an import against that direction fails here —
 * so "where does a new rule belong" has one answer, and infrastructure never grows domain knowledge.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';

const ROOT = join(__dirname, '..', '..');
const CF = join(ROOT, 'cloudfunctions');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' || n === 'miniprogram_npm' ? [] : tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of a file, resolved to project paths (import/export from, dynamic import, require). */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:from\s+|import\s*\(\s*|require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (let m = re.exec(src); m; m = re.exec(src)) out.push(relative(ROOT, resolve(dirname(file), m[1])).split(sep).join('/'));
  return out;
}

/** The layer a project path belongs to. */
function layerOf(path: string): string {
  if (path.startsWith('typings/')) return 'contract';
  if (path.startsWith('miniprogram/shared/')) return 'shared';
  if (path.startsWith('cloudfunctions/infra/')) return 'infra';
  if (path.startsWith('cloudfunctions/domain/')) return 'domain';
  if (path.startsWith('cloudfunctions/')) return `function:${path.split('/')[1]}`;
  return 'outside';
}

/** What each layer may import. A function may import its own folder and every lower layer. */
function allowed(from: string, to: string): boolean {
  const order = ['contract', 'shared', 'infra', 'domain'];
  if (from.startsWith('function:')) return to === from || order.includes(to);
  if (to.startsWith('function:') || to === 'outside') return false;
  return order.indexOf(to) <= order.indexOf(from);
}

test('server code imports only downwards: functions → domain → infrastructure → shared rules', () => {
  const wrong: string[] = [];
  const files = [...tsFiles(CF), ...tsFiles(join(ROOT, 'miniprogram', 'shared'))];
  for (const file of files) {
    const from = layerOf(relative(ROOT, file).split(sep).join('/'));
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (!allowed(from, to)) wrong.push(`${relative(ROOT, file)} (${from}) imports ${target} (${to})`);
    }
  }
  expect(wrong).toEqual([]);
});

test('the layers exist and the old catch-all folder is gone', () => {
  const dirs = readdirSync(CF).filter((d) => statSync(join(CF, d)).isDirectory());
  expect(dirs).toEqual(expect.arrayContaining(['infra', 'domain']));
  expect(dirs).not.toContain('common');
  // Each domain lives in a folder of its own.
  const domains = readdirSync(join(CF, 'domain')).filter((d) => statSync(join(CF, 'domain', d)).isDirectory());
  expect(domains.length).toBeGreaterThanOrEqual(8);
});

test('the check itself catches an upward import', () => {
  expect(allowed('infra', 'domain')).toBe(false);
  expect(allowed('domain', 'function:forms')).toBe(false);
  expect(allowed('shared', 'infra')).toBe(false);
  expect(allowed('function:forms', 'function:members')).toBe(false);
  expect(allowed('function:certs', 'function:certs')).toBe(true);
  expect(allowed('domain', 'infra')).toBe(true);
});
