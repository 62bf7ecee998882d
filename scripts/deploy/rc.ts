/**
 * `cloudbaserc.json`: the deploy configuration in the CloudBase CLI's own format (`tcb fn deploy`
 * reads it; so does `npm run deploy`). It is generated from the function folders
 * (`cloudfunctions/<name>/{index.ts,config.json}`) and the table in ./settings.ts, and a test
 * checks that the committed file is in step: after adding a function or changing a timeout, run
 * `npm run deploy -- --write-rc`.
 *
 * Format (CLI ≥0.9.1, "version": "2.0"): flat `functions[]` items; `{{env.NAME}}` is the CLI's
 * template for a value taken from the deployer's environment (the CLI reads `.env`, `.env.local`,
 * `.env.<mode>`; `npm run deploy` reads the process environment). `permissions` repeats the
 * function's config.json open-API list: neither the CLI nor manager-node reads it (see README).
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { DEFAULT_MEMORY, FUNCTION_SETTINGS, RUNTIME, SHARED_ENV, TimerTrigger } from './settings';

export const ROOT = join(__dirname, '..', '..');
export const RC_FILE = join(ROOT, 'cloudbaserc.json');
export const FUNCTION_ROOT = './dist/cloudfunctions';
export const WRITE_RC_HINT = 'run `npm run deploy -- --write-rc` and commit cloudbaserc.json';

/** What the repo says about one function: its folder's config.json. */
export interface FunctionFolder {
  name: string;
  timeout: number;
  openapi: string[];
  /** Timer triggers written in config.json (the format DevTools reads); they win over settings.ts. */
  triggers?: TimerTrigger[];
}

export interface RcFunction {
  name: string;
  handler: string;
  runtime: string;
  timeout: number;
  memorySize: number;
  installDependency: boolean;
  envVariables: Record<string, string>;
  triggers?: TimerTrigger[];
  /** The CLI's HTTP access path for the function. */
  path?: string;
  permissions: { openapi: string[] };
}

export interface RcFile {
  version: string;
  envId: string;
  functionRoot: string;
  functions: RcFunction[];
}

/** `{{env.NAME}}`, the CLI's reference to a deployer-side variable. */
export const envRef = (name: string) => `{{env.${name}}}`;
export const ENV_REF_RE = /^\{\{env\.([A-Za-z_][A-Za-z0-9_]*)\}\}$/;

/** Read `cloudfunctions/<name>/config.json` for the given function names (see functionNames()). */
export function readFunctionFolders(names: string[], root = ROOT): FunctionFolder[] {
  return names.map((name) => {
    const config = JSON.parse(readFileSync(join(root, 'cloudfunctions', name, 'config.json'), 'utf8')) as {
      timeout?: unknown;
      permissions?: { openapi?: unknown };
      triggers?: unknown;
    };
    const openapi = config.permissions?.openapi;
    return {
      name,
      timeout: typeof config.timeout === 'number' ? config.timeout : NaN,
      openapi: Array.isArray(openapi) ? openapi.map(String) : [],
      ...(Array.isArray(config.triggers) ? { triggers: config.triggers as TimerTrigger[] } : {}),
    };
  });
}

/** The cloudbaserc.json the folders and ./settings.ts describe. */
export function generateRc(folders: FunctionFolder[]): RcFile {
  const functions = [...folders]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f): RcFunction => {
      const s = FUNCTION_SETTINGS[f.name] || {};
      const env = [...SHARED_ENV, ...(s.env || [])];
      const triggers = f.triggers ?? s.triggers ?? [];
      return {
        name: f.name,
        handler: 'index.main',
        runtime: RUNTIME,
        timeout: f.timeout,
        memorySize: s.memorySize ?? DEFAULT_MEMORY,
        installDependency: true,
        envVariables: Object.fromEntries(env.map((n) => [n, envRef(n)])),
        ...(triggers.length
          ? { triggers: triggers.map((t) => ({ name: t.name, type: t.type, config: t.config })) }
          : {}),
        ...(s.httpPath ? { path: s.httpPath } : {}),
        permissions: { openapi: [...f.openapi] },
      };
    });
  return { version: '2.0', envId: envRef('ENV_ID'), functionRoot: FUNCTION_ROOT, functions };
}

export function readRc(file = RC_FILE): RcFile | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RcFile) : null;
}

export function writeRc(rc: RcFile, file = RC_FILE): void {
  writeFileSync(file, JSON.stringify(rc, null, 2) + '\n');
}

/**
 * How the committed rc differs from the generated one, one line per difference (empty: in
 * step). Compared as data, so reformatting the file is not a difference.
 */
export function rcDrift(actual: RcFile | null, expected: RcFile): string[] {
  if (!actual) return ['cloudbaserc.json is missing'];
  const out: string[] = [];
  const byName = new Map((actual.functions || []).map((f) => [f.name, f]));
  const wanted = new Set(expected.functions.map((f) => f.name));
  for (const f of expected.functions) {
    const a = byName.get(f.name);
    if (!a) out.push(`function ${f.name}: folder cloudfunctions/${f.name}/ has no entry`);
    else {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(f)])].filter(
        (k) =>
          stable((a as unknown as Record<string, unknown>)[k]) !== stable((f as unknown as Record<string, unknown>)[k]),
      );
      if (keys.length)
        out.push(`function ${f.name}: ${keys.join(', ')} differ from its folder and scripts/deploy/settings.ts`);
    }
  }
  for (const name of byName.keys())
    if (!wanted.has(name)) out.push(`function ${name}: entry has no folder cloudfunctions/${name}/`);
  for (const key of ['version', 'envId', 'functionRoot'] as const) {
    if (actual[key] !== expected[key])
      out.push(`${key}: ${JSON.stringify(actual[key])}, expected ${JSON.stringify(expected[key])}`);
  }
  return out;
}

/** JSON with sorted keys, for comparing data regardless of key order. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
