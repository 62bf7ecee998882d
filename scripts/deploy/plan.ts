/**
 * The deploy plan: a pure function from the repo's own files (function folders, cloudbaserc.json,
 * `SCHEMA`) and the names set in the deployer's environment to everything a CloudBase environment
 * should hold. No network, no credentials; the executor (./executor.ts) compares it with the live
 * environment.
 */
import type { CollectionSpec } from '../../cloudfunctions/infra/schema';
import { ENV_REF_RE, FunctionFolder, generateRc, RcFile, rcDrift, WRITE_RC_HINT } from './rc';
import {
  CLIENT_READS,
  collectionRule,
  MEMORY_SIZES,
  REQUIRED_ENV,
  Rule,
  SECRET_MIN_LENGTH,
  STORAGE_RULE,
  TimerTrigger,
} from './settings';

/** Runtimes CloudBase offers for Node functions that this code was checked against. */
export const KNOWN_RUNTIMES = ['Nodejs16.13', 'Nodejs18.15', 'Nodejs20.19'];

export interface EnvVarPlan {
  name: string;
  required: boolean;
  /** Set (non-empty) in the deployer's environment. Values never enter the plan. */
  set: boolean;
}

export interface FunctionPlan {
  name: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  installDependency: boolean;
  env: EnvVarPlan[];
  triggers: TimerTrigger[];
  httpPath?: string;
  /** From the folder's config.json; not granted by this deploy (see README). */
  openapi: string[];
}

export interface IndexPlan {
  name: string;
  fields: { field: string; direction: 1 | -1 }[];
  unique: boolean;
  sparse: boolean;
}

export interface CollectionPlan {
  name: string;
  indexes: IndexPlan[];
  rule: Rule;
}

export interface Plan {
  envId: string | null;
  dryRun: boolean;
  functionRoot: string;
  functions: FunctionPlan[];
  collections: CollectionPlan[];
  storageRule: Rule;
  httpAccess: { function: string; path: string }[];
  /** Every referenced variable once, with the functions that get it. */
  variables: (EnvVarPlan & { functions: string[] })[];
  /** Any of these stops a real deploy before it writes anything. */
  problems: string[];
  warnings: string[];
  notes: string[];
}

export interface PlanInput {
  folders: FunctionFolder[];
  rc: RcFile | null;
  schema: CollectionSpec[];
  /** The deployer's environment; only presence and length of the referenced names are read. */
  env: Record<string, string | undefined>;
  envId?: string | null;
  dryRun: boolean;
}

export const OPENAPI_FALLBACK =
  'upload the function once from WeChat DevTools (右键 dist/cloudfunctions/<name> → 上传并部署：云端安装依赖), which reads config.json';

export function makePlan(input: PlanInput): Plan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const expected = generateRc(input.folders);
  const drift = rcDrift(input.rc, expected);
  if (drift.length)
    problems.push(`cloudbaserc.json is out of step with cloudfunctions/ (${drift.join('; ')}): ${WRITE_RC_HINT}`);
  // The rc is the deploy configuration; when it is missing the generated one stands in (and the
  // problem above stops a real deploy).
  const rc = input.rc && Array.isArray(input.rc.functions) ? input.rc : expected;
  const isSet = (name: string) => !!input.env[name];

  const functions = rc.functions.map((f): FunctionPlan => {
    const where = `cloudbaserc.json ${f.name}`;
    if (!KNOWN_RUNTIMES.includes(f.runtime))
      warnings.push(`${where}: runtime ${f.runtime} is not one of ${KNOWN_RUNTIMES.join(', ')}`);
    if (!Number.isInteger(f.timeout) || f.timeout < 1 || f.timeout > 60)
      problems.push(`${where}: timeout must be 1–60 s (config.json)`);
    if (!(MEMORY_SIZES as readonly number[]).includes(f.memorySize))
      problems.push(`${where}: memorySize must be one of ${MEMORY_SIZES.join(', ')}`);
    if (f.name === 'certs' && f.memorySize < 512)
      problems.push(`${where}: certs needs at least 512 MB (a 500-certificate batch peaks near 250 MB)`);
    const triggers = f.triggers || [];
    if (triggers.length > 1) problems.push(`${where}: CloudBase allows one timer trigger per function`);
    for (const t of triggers) {
      if (t.type !== 'timer') problems.push(`${where}: trigger ${t.name} must be a timer`);
      if (t.config.trim().split(/\s+/).length !== 7)
        problems.push(`${where}: trigger ${t.name} needs a 7-field cron (s m h d M w y, UTC+8)`);
    }
    if (f.path !== undefined && !f.path.startsWith('/')) problems.push(`${where}: path must start with /`);
    const env = Object.entries(f.envVariables || {}).map(([name, value]): EnvVarPlan => {
      const m = ENV_REF_RE.exec(String(value));
      if (!m || m[1] !== name)
        problems.push(
          `${where}: envVariables.${name} must be the reference {{env.${name}}} (values stay out of the repo)`,
        );
      return { name, required: REQUIRED_ENV.includes(name), set: isSet(name) };
    });
    const openapi = f.permissions?.openapi || input.folders.find((d) => d.name === f.name)?.openapi || [];
    if (openapi.length) {
      notes.push(
        `${f.name}: open-API permissions ${openapi.join(', ')} — not granted by this deploy as far as verified; if a call fails with a permission error, ${OPENAPI_FALLBACK.replace('<name>', f.name)}`,
      );
    }
    return {
      name: f.name,
      runtime: f.runtime,
      handler: f.handler || 'index.main',
      timeout: f.timeout,
      memorySize: f.memorySize,
      installDependency: f.installDependency !== false,
      env,
      triggers: triggers.map((t) => ({ ...t })),
      ...(f.path ? { httpPath: f.path } : {}),
      openapi: [...openapi],
    };
  });

  const variables = new Map<string, EnvVarPlan & { functions: string[] }>();
  for (const f of functions) {
    for (const v of f.env) {
      const entry = variables.get(v.name) || { ...v, functions: [] };
      entry.functions.push(f.name);
      variables.set(v.name, entry);
    }
  }
  for (const name of REQUIRED_ENV) {
    const value = input.env[name] || '';
    if (!value) {
      if (input.dryRun)
        notes.push(
          `${name} is not set here: a real deploy requires it (≥${SECRET_MIN_LENGTH} random characters, the same for every function)`,
        );
      else
        problems.push(
          `${name} is not set: export ${name} (≥${SECRET_MIN_LENGTH} random characters, the one already used by the environment's functions) before deploying`,
        );
    } else if (value.length < SECRET_MIN_LENGTH) {
      (input.dryRun ? warnings : problems).push(
        `${name} is shorter than ${SECRET_MIN_LENGTH} characters: the functions refuse to run with it`,
      );
    }
  }
  if (variables.has('MSP_VERIFY_URL') && !isSet('MSP_VERIFY_URL')) {
    warnings.push(
      'MSP_VERIFY_URL is not set: e-certificate QR codes would carry a local address; set it to the public URL of cert-verify',
    );
  }

  const reads = Object.keys(CLIENT_READS).filter((c) => !input.schema.some((s) => s.name === c));
  if (reads.length)
    problems.push(`scripts/deploy/settings.ts CLIENT_READS names collections not in SCHEMA: ${reads.join(', ')}`);
  const collections = input.schema.map((c): CollectionPlan => {
    const names = new Set<string>();
    for (const i of c.indexes) {
      if (names.has(i.name)) problems.push(`SCHEMA ${c.name}: index name ${i.name} is used twice`);
      names.add(i.name);
    }
    return {
      name: c.name,
      indexes: c.indexes.map((i) => ({
        name: i.name,
        fields: i.fields.map(([field, direction]) => ({ field, direction })),
        unique: !!i.unique,
        sparse: !!i.sparse,
      })),
      rule: collectionRule(c.name),
    };
  });

  return {
    envId: input.envId || null,
    dryRun: input.dryRun,
    functionRoot: rc.functionRoot,
    functions,
    collections,
    storageRule: { ...STORAGE_RULE },
    httpAccess: functions.filter((f) => f.httpPath).map((f) => ({ function: f.name, path: f.httpPath as string })),
    variables: [...variables.values()].sort((a, b) => a.name.localeCompare(b.name)),
    problems,
    warnings,
    notes,
  };
}

const ruleText = (r: Rule) => JSON.stringify(r);

/** The plan as text, for a person. */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  lines.push(
    `Deploy plan${plan.envId ? ` for ${plan.envId}` : ''}${plan.dryRun ? ' (dry run: nothing is changed)' : ''}`,
  );
  lines.push(
    '',
    `Functions (${plan.functions.length}, code from ${plan.functionRoot}/<name>, handler index.main, dependencies installed in the cloud):`,
  );
  // Variables every function gets are listed once below; per function only the extras.
  const common = plan.functions.length
    ? plan.functions[0].env
        .map((v) => v.name)
        .filter((n) => plan.functions.every((f) => f.env.some((v) => v.name === n)))
    : [];
  for (const f of plan.functions) {
    const extra = [
      f.triggers.map((t) => `timer ${t.name} "${t.config}"`).join(', '),
      f.httpPath ? `HTTP ${f.httpPath}` : '',
      f.openapi.length ? `open APIs: ${f.openapi.join(', ')}` : '',
    ].filter(Boolean);
    lines.push(
      `  ${f.name}: ${f.runtime}, ${f.timeout} s, ${f.memorySize} MB${extra.length ? `; ${extra.join('; ')}` : ''}`,
    );
    const own = f.env.filter((v) => !common.includes(v.name)).map((v) => v.name);
    if (own.length) lines.push(`    env: the shared set + ${own.join(', ')}`);
  }
  lines.push(
    '',
    `Environment variables (shared set: ${common.join(', ')}; * required; values come from your environment and are never printed):`,
  );
  for (const v of plan.variables) {
    const who = v.functions.length === plan.functions.length ? 'all functions' : v.functions.join(', ');
    lines.push(`  ${v.name}${v.required ? '*' : ''}: ${v.set ? 'set' : 'unset'} → ${who}`);
  }
  const indexCount = plan.collections.reduce((n, c) => n + c.indexes.length, 0);
  lines.push('', `Collections (${plan.collections.length}, ${indexCount} indexes; rule per collection):`);
  for (const c of plan.collections) {
    lines.push(`  ${c.name}  rule ${ruleText(c.rule)}`);
    for (const i of c.indexes) {
      const flags = [i.unique ? 'unique' : '', i.sparse ? 'sparse' : ''].filter(Boolean).join(', ');
      lines.push(
        `    ${i.name}: ${i.fields.map((x) => `${x.field} ${x.direction}`).join(', ')}${flags ? ` (${flags})` : ''}`,
      );
    }
  }
  lines.push('', `Storage rule: ${ruleText(plan.storageRule)}`);
  lines.push('', 'HTTP access service:');
  for (const a of plan.httpAccess) lines.push(`  ${a.path} → ${a.function}`);
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push('', `${title}:`);
    for (const i of items) lines.push(`  - ${i}`);
  };
  list('Problems (a real deploy refuses to start)', plan.problems);
  list('Warnings', plan.warnings);
  list('Notes', plan.notes);
  return lines.join('\n');
}
