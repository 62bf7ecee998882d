/**
 * The executor: reads the live environment through manager-node (`inspect`), compares it with the
 * plan (`diff`, pure), and makes only the changes that differ (`apply`). Every write is preceded by
 * a read of the same resource, so a second run writes nothing:
 * - function: absent → create (code, config, triggers); present → code re-uploaded only when the
 *   hash of the built folder differs from the one recorded in the function's description, config
 *   (timeout, memory, environment variables, description) updated only when a field differs;
 * - timer trigger: kept when its name and cron match, otherwise deleted and re-created;
 * - collection: created when absent; index: created only when no index of that name exists (an
 *   index of that name with other keys is reported, never re-created: re-creating drops it first);
 * - security rules (collections and storage): written only when the live rule differs;
 * - HTTP access path: created only when no route has that path.
 * Secret values never leave this module's inputs: changes and reports carry variable names only.
 */
import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { IApi } from '@cloudbase/manager-node/types/access/types';
import type { IFunctionInfo } from '@cloudbase/manager-node/types/function/types';
import type { CreateIndex, IndexInfo, MgoKeySchema } from '@cloudbase/manager-node/types/interfaces';
import type { AclType, IStorageAclRule } from '@cloudbase/manager-node/types/storage';
import type { CloudPort } from './cloud';
import type { CollectionPlan, FunctionPlan, IndexPlan, Plan } from './plan';
import { stable } from './rc';
import type { Rule, TimerTrigger } from './settings';

// ---------------------------------------------------------------------------------------------
// Code hash, recorded in the function's description.

/** sha256 over the built function folder: every file's relative path and bytes, in sorted order. */
export function hashDir(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else
        h.update(`${p}\0`)
          .update(readFileSync(join(dir, p)))
          .update('\0');
    }
  };
  walk('');
  return h.digest('hex').slice(0, 32);
}

const CODE_TAG = 'deployed by npm run deploy; code sha256:';
export const codeDescription = (hash: string) => `${CODE_TAG}${hash}`;
export const codeHashOf = (description: string | undefined) => /code sha256:(\S+)/.exec(description || '')?.[1] || null;

// ---------------------------------------------------------------------------------------------
// The live state.

export interface LiveCollection {
  indexes: IndexInfo[];
  /** DescribeSafeRule's answer. */
  rule: { AclTag?: string; Rule?: string | null };
}

export interface LiveState {
  functions: Record<string, IFunctionInfo | null>;
  /** Functions in the environment that the repo does not have (left alone). */
  otherFunctions: string[];
  collections: Record<string, LiveCollection | null>;
  storage: { acl: AclType; rule?: IStorageAclRule };
  access: Record<string, { apis: IApi[]; enabled: boolean }>;
}

export interface CloudContext {
  envId: string;
  /** The mini-program's AppID, passed as WxAppId to the safe-rule actions when known. */
  wxAppId?: string;
}

const safeRuleParam = (ctx: CloudContext, collection: string) => ({
  EnvId: ctx.envId,
  CollectionName: collection,
  ...(ctx.wxAppId ? { WxAppId: ctx.wxAppId } : {}),
});

async function collectionNames(cloud: CloudPort): Promise<Set<string>> {
  const names = new Set<string>();
  const limit = 100;
  for (let offset = 0; ; offset += limit) {
    const page = await cloud.database.listCollections({ MgoLimit: limit, MgoOffset: offset });
    const list = page.Collections || [];
    for (const c of list) names.add(c.CollectionName);
    if (list.length < limit || names.size >= (page.Pager?.Total ?? 0)) return names;
  }
}

/** Read everything the plan covers. Reads only; any failure propagates (never read as "absent"). */
export async function inspect(cloud: CloudPort, plan: Plan, ctx: CloudContext): Promise<LiveState> {
  const listed = await cloud.functions.listAllFunctions({ envId: ctx.envId });
  const existing = new Set(listed.map((f) => f.FunctionName));
  const functions: LiveState['functions'] = {};
  for (const f of plan.functions)
    functions[f.name] = existing.has(f.name) ? await cloud.functions.getFunctionDetail(f.name) : null;
  const planned = new Set(plan.functions.map((f) => f.name));
  const otherFunctions = [...existing].filter((n) => !planned.has(n)).sort();

  const names = await collectionNames(cloud);
  const common = cloud.commonService('tcb');
  const collections: LiveState['collections'] = {};
  for (const c of plan.collections) {
    if (!names.has(c.name)) {
      collections[c.name] = null;
      continue;
    }
    const table = await cloud.database.describeCollection(c.name);
    const rule = (await common.call({
      Action: 'DescribeSafeRule',
      Param: safeRuleParam(ctx, c.name),
    })) as LiveCollection['rule'];
    collections[c.name] = { indexes: table.Indexes || [], rule: rule || {} };
  }

  const storage = await cloud.storage.getStorageAcl({ withRule: true });
  const access: LiveState['access'] = {};
  for (const a of plan.httpAccess) {
    const res = await cloud.access.getAccessList({ path: a.path });
    access[a.path] = { apis: res.APISet || [], enabled: res.EnableService !== false };
  }
  return { functions, otherFunctions, collections, storage, access };
}

// ---------------------------------------------------------------------------------------------
// Differences.

export type Change =
  | { kind: 'collection.create'; collection: string; summary: string }
  | { kind: 'index.create'; collection: string; index: IndexPlan; summary: string }
  | { kind: 'collection.rule'; collection: string; rule: Rule; summary: string }
  | { kind: 'storage.rule'; rule: Rule; summary: string }
  | { kind: 'function.create'; function: string; summary: string }
  | { kind: 'function.update'; function: string; code: boolean; config: string[]; summary: string }
  | { kind: 'trigger.delete'; function: string; trigger: string; summary: string }
  | { kind: 'trigger.create'; function: string; trigger: TimerTrigger; summary: string }
  | { kind: 'access.create'; function: string; path: string; summary: string };

export interface DiffOptions {
  /** The deployer's environment: values for the functions' variables. */
  env: Record<string, string | undefined>;
  /** Hash of each built function folder; absent in a dry run without a build. */
  codeHashes?: Record<string, string>;
  /** Allow removing cloud-side variables that are not set in the deployer's environment. */
  pruneEnv?: boolean;
  /** Upload the code of every existing function even when its recorded hash matches. */
  forceCode?: boolean;
}

export interface Diff {
  changes: Change[];
  /** Stop the deploy before any write. */
  problems: string[];
  warnings: string[];
  /** Resources checked and found as planned. */
  unchanged: string[];
}

/** The variables a function gets: its referenced names that are set in `env`. */
export function envValues(f: FunctionPlan, env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(f.env.filter((v) => env[v.name]).map((v) => [v.name, env[v.name] as string]));
}

/** A timer's cron as GetFunction reports it (`{"cron":"…"}`) or as it was given. */
function cronOf(desc: string | undefined): string {
  try {
    const o = JSON.parse(desc || '');
    if (o && typeof o.cron === 'string') return o.cron.trim();
  } catch {
    // not JSON: the cron itself
  }
  return (desc || '').trim();
}

const keysOf = (i: IndexInfo) => (i.Keys || []).map((k) => `${k.Name}:${Number(k.Direction)}`).join(',');
const keysPlanned = (i: IndexPlan) => i.fields.map((f) => `${f.field}:${f.direction}`).join(',');

function ruleEquals(live: { AclTag?: string; Rule?: string | null } | undefined, want: Rule): boolean {
  if (!live || live.AclTag !== 'CUSTOM' || !live.Rule) return false;
  try {
    return stable(JSON.parse(live.Rule)) === stable(want);
  } catch {
    return false;
  }
}

function diffCollection(c: CollectionPlan, live: LiveCollection | null, d: Diff): void {
  if (!live) {
    d.changes.push({ kind: 'collection.create', collection: c.name, summary: `create collection ${c.name}` });
  }
  for (const i of c.indexes) {
    const found = live?.indexes.find((x) => x.Name === i.name);
    if (!found) {
      const flags = [i.unique ? 'unique' : '', i.sparse ? 'sparse' : ''].filter(Boolean).join(', ');
      d.changes.push({
        kind: 'index.create',
        collection: c.name,
        index: i,
        summary: `create index ${c.name}.${i.name} (${keysPlanned(i)}${flags ? `; ${flags}` : ''})`,
      });
    } else if (keysOf(found) !== keysPlanned(i) || !!found.Unique !== i.unique) {
      d.warnings.push(
        `index ${c.name}.${i.name} differs (live ${keysOf(found)}${found.Unique ? ' unique' : ''}, schema ${keysPlanned(i)}${i.unique ? ' unique' : ''}): ` +
          'left as is — re-creating drops it first; drop it in the console (数据库 → 集合 → 索引管理) or give the new index another name',
      );
    } else d.unchanged.push(`index ${c.name}.${i.name}`);
  }
  if (live && ruleEquals(live.rule, c.rule)) d.unchanged.push(`rule ${c.name}`);
  else
    d.changes.push({
      kind: 'collection.rule',
      collection: c.name,
      rule: c.rule,
      summary: `set rule of ${c.name} to ${JSON.stringify(c.rule)}`,
    });
}

function diffFunction(f: FunctionPlan, info: IFunctionInfo | null, o: DiffOptions, d: Diff): void {
  const hash = o.codeHashes?.[f.name];
  if (!info) {
    d.changes.push({
      kind: 'function.create',
      function: f.name,
      summary: `create function ${f.name} (${f.runtime}, ${f.timeout} s, ${f.memorySize} MB, env ${f.env
        .filter((v) => o.env[v.name])
        .map((v) => v.name)
        .join(', ')}${f.triggers.length ? `, timer ${f.triggers.map((t) => `"${t.config}"`).join(', ')}` : ''})`,
    });
    return;
  }
  if (info.Runtime && info.Runtime !== f.runtime) {
    d.warnings.push(
      `function ${f.name} runs ${info.Runtime}, planned ${f.runtime}: the runtime is set only at creation — delete the function in the console and deploy again to change it (its triggers and HTTP path go with it)`,
    );
  }
  const config: string[] = [];
  if (Number(info.Timeout) !== f.timeout) config.push(`timeout ${info.Timeout} → ${f.timeout} s`);
  if (Number(info.MemorySize) !== f.memorySize) config.push(`memory ${info.MemorySize} → ${f.memorySize} MB`);
  const live = Object.fromEntries((info.Environment?.Variables || []).map((v) => [v.Key, v.Value]));
  const want = envValues(f, o.env);
  const added = Object.keys(want).filter((k) => !(k in live));
  const changed = Object.keys(want).filter((k) => k in live && live[k] !== want[k]);
  // A required variable that is unset here is the plan's problem (or, in a dry run, its note), not a removal.
  const unsetRequired = new Set(f.env.filter((v) => v.required && !o.env[v.name]).map((v) => v.name));
  const removed = Object.keys(live).filter((k) => !(k in want) && !unsetRequired.has(k));
  if (live.MSP_SECRET && want.MSP_SECRET && live.MSP_SECRET !== want.MSP_SECRET) {
    d.problems.push(
      `MSP_SECRET differs from the one deployed on ${f.name}: every encrypted ID number, ID hash and signed code is derived from it, so changing it makes the data unreadable — export the secret the environment already uses (console: 云函数 → ${f.name} → 函数配置 → 环境变量)`,
    );
  }
  if (removed.length && !o.pruneEnv) {
    d.problems.push(
      `function ${f.name}: ${removed.join(', ')} would be removed (set in the cloud, not in your environment; environment variables replace the whole set) — export them, or pass --prune-env to remove them`,
    );
  }
  if (added.length || changed.length || (removed.length && o.pruneEnv)) {
    const parts = [
      added.length ? `add ${added.join(', ')}` : '',
      changed.length ? `change ${changed.join(', ')}` : '',
      removed.length ? `remove ${removed.join(', ')}` : '',
    ];
    config.push(`env: ${parts.filter(Boolean).join('; ')}`);
  }
  const liveHash = codeHashOf(info.Description);
  const code = !!hash && (liveHash !== hash || !!o.forceCode);
  if (code) config.push('description (code hash)');
  if (code || config.length) {
    d.changes.push({
      kind: 'function.update',
      function: f.name,
      code,
      config,
      summary: `update function ${f.name}: ${[code ? (liveHash === hash ? `code ${hash} (forced)` : `code ${liveHash || '(no recorded hash)'} → ${hash}`) : '', ...config.filter((c) => !c.startsWith('description'))].filter(Boolean).join('; ')}`,
    });
  } else d.unchanged.push(`function ${f.name}${hash ? '' : ' (config; code is compared when built)'}`);

  const timers = (info.Triggers || []).filter((t) => t.Type === 'timer');
  for (const t of timers) {
    const wanted = f.triggers.find((x) => x.name === t.TriggerName);
    if (!wanted || cronOf(t.TriggerDesc) !== wanted.config.trim()) {
      d.changes.push({
        kind: 'trigger.delete',
        function: f.name,
        trigger: t.TriggerName,
        summary: `delete timer ${f.name}/${t.TriggerName} ("${cronOf(t.TriggerDesc)}")`,
      });
    }
  }
  for (const t of f.triggers) {
    const kept = timers.find((x) => x.TriggerName === t.name && cronOf(x.TriggerDesc) === t.config.trim());
    if (kept) d.unchanged.push(`timer ${f.name}/${t.name}`);
    else
      d.changes.push({
        kind: 'trigger.create',
        function: f.name,
        trigger: t,
        summary: `create timer ${f.name}/${t.name} "${t.config}"`,
      });
  }
}

/** What must change for the environment to match the plan. Pure. */
export function diff(plan: Plan, live: LiveState, o: DiffOptions): Diff {
  const d: Diff = { changes: [], problems: [], warnings: [], unchanged: [] };
  for (const c of plan.collections) diffCollection(c, live.collections[c.name] ?? null, d);

  if (live.storage.acl === 'CUSTOM' && live.storage.rule && stable(live.storage.rule) === stable(plan.storageRule))
    d.unchanged.push('storage rule');
  else
    d.changes.push({
      kind: 'storage.rule',
      rule: plan.storageRule,
      summary: `set storage rule to ${JSON.stringify(plan.storageRule)} (takes 1–3 minutes to apply)`,
    });

  for (const f of plan.functions) diffFunction(f, live.functions[f.name] ?? null, o, d);

  for (const a of plan.httpAccess) {
    const state = live.access[a.path] || { apis: [], enabled: true };
    const route = state.apis.find((x) => x.Path === a.path);
    if (!state.enabled)
      d.warnings.push(
        `the HTTP access service is off: turn it on (console: 云开发 → 环境 → HTTP 访问服务) for ${a.path} to answer`,
      );
    if (!route)
      d.changes.push({
        kind: 'access.create',
        function: a.function,
        path: a.path,
        summary: `create HTTP access path ${a.path} → ${a.function}`,
      });
    else if (route.Name !== a.function || route.Type !== 1)
      d.problems.push(
        `HTTP access path ${a.path} is bound to ${route.Name} (type ${route.Type}), not to the function ${a.function}: remove that route in the console first`,
      );
    else {
      d.unchanged.push(`HTTP access ${a.path}`);
      if (route.EnableAuth)
        d.warnings.push(
          `HTTP access path ${a.path} requires authentication: the public verification page must not (console: HTTP 访问服务 → 路由 → 身份认证 off)`,
        );
    }
  }
  if (live.otherFunctions.length)
    d.warnings.push(`functions not in the repo, left alone: ${live.otherFunctions.join(', ')}`);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Writes.

/** MgoIsSparse is in the Tencent Cloud API's MgoKeySchema (tcb 2018-06-08 UpdateTable) but not in
 *  manager-node 5.6.5's type; updateCollection passes the object through unchanged. */
type CreateIndexWithSparse = CreateIndex & { MgoKeySchema: MgoKeySchema & { MgoIsSparse: boolean } };

export function createIndexPayload(i: IndexPlan): CreateIndexWithSparse {
  return {
    IndexName: i.name,
    MgoKeySchema: {
      MgoIndexKeys: i.fields.map((f) => ({ Name: f.field, Direction: String(f.direction) })),
      MgoIsUnique: i.unique,
      MgoIsSparse: i.sparse,
    },
  };
}

export interface ApplyOptions extends CloudContext {
  /** Where the built function folders are (dist/cloudfunctions). */
  buildDir: string;
  env: Record<string, string | undefined>;
  codeHashes: Record<string, string>;
  log?: (line: string) => void;
}

/** Make the changes, in order; stops at the first failure (what was done stays done; rerun). */
export async function apply(cloud: CloudPort, plan: Plan, changes: Change[], o: ApplyOptions): Promise<Change[]> {
  const done: Change[] = [];
  const fn = (name: string) => {
    const f = plan.functions.find((x) => x.name === name);
    if (!f) throw new Error(`no planned function ${name}`);
    return f;
  };
  const common = cloud.commonService('tcb');
  for (const c of changes) {
    o.log?.(`… ${c.summary}`);
    switch (c.kind) {
      case 'collection.create':
        await cloud.database.createCollectionIfNotExists(c.collection);
        break;
      case 'index.create': {
        // Checked again right before writing: creating an index that exists drops it first.
        const { Exists } = await cloud.database.checkIndexExists(c.collection, c.index.name);
        if (!Exists)
          await cloud.database.updateCollection(c.collection, { CreateIndexes: [createIndexPayload(c.index)] });
        break;
      }
      case 'collection.rule':
        await common.call({
          Action: 'ModifySafeRule',
          Param: { ...safeRuleParam(o, c.collection), AclTag: 'CUSTOM', Rule: JSON.stringify(c.rule) },
        });
        break;
      case 'storage.rule':
        await cloud.storage.setStorageAcl('CUSTOM', { read: c.rule.read, write: c.rule.write });
        break;
      case 'function.create': {
        const f = fn(c.function);
        const hash = o.codeHashes[f.name];
        await cloud.functions.createFunction({
          func: {
            name: f.name,
            runtime: f.runtime,
            handler: f.handler,
            timeout: f.timeout,
            memorySize: f.memorySize,
            installDependency: f.installDependency,
            envVariables: envValues(f, o.env),
            triggers: f.triggers.map((t) => ({ name: t.name, type: t.type, config: t.config })),
            ...(hash ? { description: codeDescription(hash) } : {}),
          },
          functionPath: join(o.buildDir, f.name),
          force: false,
        });
        break;
      }
      case 'function.update': {
        const f = fn(c.function);
        const hash = o.codeHashes[f.name];
        await cloud.functions.updateFunctionWithProgress({
          name: f.name,
          ...(c.code ? { code: { functionPath: join(o.buildDir, f.name) } } : {}),
          config: {
            runtime: f.runtime,
            handler: f.handler,
            timeout: f.timeout,
            memorySize: f.memorySize,
            installDependency: f.installDependency,
            envVariables: envValues(f, o.env),
            ...(hash ? { description: codeDescription(hash) } : {}),
          },
        });
        break;
      }
      case 'trigger.delete':
        await cloud.functions.deleteFunctionTrigger(c.function, c.trigger);
        break;
      case 'trigger.create':
        await cloud.functions.createFunctionTriggers(c.function, [
          { name: c.trigger.name, type: c.trigger.type, config: c.trigger.config },
        ]);
        break;
      case 'access.create':
        await cloud.access.createAccess({ name: c.function, path: c.path, type: 1, auth: false });
        break;
    }
    done.push(c);
  }
  return done;
}

// ---------------------------------------------------------------------------------------------

export interface DeployOptions extends DiffOptions, CloudContext {
  dryRun: boolean;
  buildDir: string;
  log?: (line: string) => void;
}

export interface DeployReport {
  envId: string;
  dryRun: boolean;
  /** false when problems stopped it before any write. */
  ok: boolean;
  changes: Change[];
  applied: Change[];
  problems: string[];
  warnings: string[];
  unchanged: string[];
}

/** Read, compare, and (unless a dry run, or something is wrong) write. */
export async function deploy(cloud: CloudPort, plan: Plan, o: DeployOptions): Promise<DeployReport> {
  const live = await inspect(cloud, plan, o);
  const d = diff(plan, live, o);
  const problems = [...plan.problems, ...d.problems];
  const report: DeployReport = {
    envId: o.envId,
    dryRun: o.dryRun,
    ok: problems.length === 0,
    changes: d.changes,
    applied: [],
    problems,
    warnings: [...plan.warnings, ...d.warnings],
    unchanged: d.unchanged,
  };
  if (o.dryRun || problems.length) return report;
  report.applied = await apply(cloud, plan, d.changes, { ...o, codeHashes: o.codeHashes || {} });
  return report;
}

export function formatReport(r: DeployReport): string {
  const lines: string[] = [];
  const verb = r.dryRun ? 'would change' : r.ok ? 'changed' : 'refused; nothing changed';
  lines.push(
    `Environment ${r.envId}: ${r.changes.length ? `${r.changes.length} change(s) ${verb}` : 'already as planned, nothing to change'}`,
  );
  for (const c of r.dryRun || !r.ok ? r.changes : r.applied)
    lines.push(`  ${r.dryRun || !r.ok ? '·' : '✓'} ${c.summary}`);
  lines.push(`  (${r.unchanged.length} resources checked and unchanged)`);
  if (r.problems.length) lines.push('', 'Problems:', ...r.problems.map((p) => `  - ${p}`));
  if (r.warnings.length) lines.push('', 'Warnings:', ...r.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}
