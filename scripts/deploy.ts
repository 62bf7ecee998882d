/**
 * `npm run deploy -- --env <envId> [--dry-run] [--json] [--prune-env] [--force-code] [--region <region>]`:
 * builds the cloud functions, then creates or updates, idempotently, in a CloudBase environment:
 * every function (code, runtime, timeout, memory, environment variables, timer trigger), every
 * collection of cloudfunctions/infra/schema.ts with its indexes and security rule, the storage
 * rule, and cert-verify's HTTP access path. A second run changes nothing.
 *
 *   --dry-run    change nothing. Without credentials: no build, no network — print the plan from
 *                the repo's files (function folders, cloudbaserc.json, SCHEMA). With credentials:
 *                also build into a temporary folder (dist/ untouched), read the environment and
 *                print what would change.
 *   --json       print the plan / report as one JSON object on stdout (progress stays on stderr)
 *   --prune-env  allow removing function environment variables that are set in the cloud but not
 *                in your environment (refused otherwise: the cloud-side set is replaced whole)
 *   --force-code upload every existing function's code even when the hash recorded in its
 *                description matches the build (e.g. after an upload from WeChat DevTools)
 *   --write-rc   regenerate cloudbaserc.json from the function folders and scripts/deploy/settings.ts
 *
 * Credentials: TCB_SECRET_ID, TCB_SECRET_KEY, optional TCB_TOKEN. Function variables come from the
 * environment by name (MSP_SECRET required; see README "Function environment variables").
 * Exit code: 0 done (or nothing to do), 1 refused or failed, 2 dry run found problems.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SCHEMA } from '../cloudfunctions/infra/schema';
import { buildFunctions, DIST_FUNCTIONS, functionNames } from './build';
import { connect, credentialsFrom } from './deploy/cloud';
import { deploy, DeployReport, formatReport, hashDir } from './deploy/executor';
import { formatPlan, makePlan } from './deploy/plan';
import { generateRc, RC_FILE, readFunctionFolders, readRc, ROOT, writeRc } from './deploy/rc';

interface Args {
  envId: string;
  dryRun: boolean;
  json: boolean;
  pruneEnv: boolean;
  forceCode: boolean;
  writeRc: boolean;
  region: string;
}

const USAGE =
  'usage: npm run deploy -- --env <envId> [--dry-run] [--json] [--prune-env] [--force-code] [--region <region>] | --write-rc';

function parseArgs(argv: string[]): Args {
  const a: Args = {
    envId: '',
    dryRun: false,
    json: false,
    pruneEnv: false,
    forceCode: false,
    writeRc: false,
    region: process.env.TCB_REGION || '',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--env' || arg === '-e') a.envId = value();
    else if (arg === '--dry-run') a.dryRun = true;
    else if (arg === '--json') a.json = true;
    else if (arg === '--prune-env') a.pruneEnv = true;
    else if (arg === '--force-code') a.forceCode = true;
    else if (arg === '--write-rc') a.writeRc = true;
    else if (arg === '--region') a.region = value();
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return a;
}

/** The mini-program's AppID from project.config.json, unless it is the tourist placeholder. */
function wxAppId(): string | undefined {
  try {
    const id = JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8')).appid;
    return typeof id === 'string' && /^wx[0-9a-f]{16}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const err = (line: string) => {
    if (!args.json) console.error(line);
  };
  const names = functionNames();
  const folders = readFunctionFolders(names);

  if (args.writeRc) {
    const rc = generateRc(folders);
    writeRc(rc);
    console.log(`wrote ${RC_FILE} (${rc.functions.map((f) => f.name).join(', ')})`);
    return 0;
  }

  const plan = makePlan({
    folders,
    rc: readRc(),
    schema: SCHEMA,
    env: process.env,
    envId: args.envId,
    dryRun: args.dryRun,
  });
  const credentials = credentialsFrom(process.env);

  if (args.dryRun && !credentials) {
    if (args.json) console.log(JSON.stringify({ plan, report: null }));
    else {
      console.log(formatPlan(plan));
      console.log(
        '\nNot compared with a live environment (no TCB_SECRET_ID / TCB_SECRET_KEY): this is everything a first deploy creates.',
      );
      console.log('What only the console can do: README "Deploying to CloudBase" → "What only the console can do".');
    }
    return plan.problems.length ? 2 : 0;
  }
  if (!args.envId) {
    console.error(`--env <envId> is required\n${USAGE}`);
    return 1;
  }
  if (!credentials) {
    console.error(
      'A deploy needs TCB_SECRET_ID and TCB_SECRET_KEY (a Tencent Cloud API key with access to the environment; TCB_TOKEN for temporary keys).',
    );
    return 1;
  }
  if (!args.dryRun && plan.problems.length) {
    console.error(
      `Refusing to deploy to ${args.envId}; nothing was built or changed:\n${plan.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    return 1;
  }

  // A dry run builds beside, never into dist/: it changes nothing on this machine either.
  const scratch = args.dryRun ? mkdtempSync(join(tmpdir(), 'msp-deploy-')) : '';
  const buildDir = args.dryRun ? join(scratch, 'cloudfunctions') : DIST_FUNCTIONS;
  let report: DeployReport;
  try {
    err(`building ${names.length} functions into ${buildDir} …`);
    await buildFunctions(buildDir);
    const codeHashes = Object.fromEntries(plan.functions.map((f) => [f.name, hashDir(join(buildDir, f.name))]));
    const cloud = await connect(args.envId, credentials, args.region || undefined);
    err(`reading ${args.envId} …`);
    report = await deploy(cloud, plan, {
      envId: args.envId,
      wxAppId: wxAppId(),
      env: process.env,
      codeHashes,
      pruneEnv: args.pruneEnv,
      forceCode: args.forceCode,
      dryRun: args.dryRun,
      buildDir,
      log: err,
    });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  if (args.json) console.log(JSON.stringify({ plan, report }));
  else {
    if (args.dryRun) console.log(formatPlan(plan) + '\n');
    console.log(formatReport(report));
    if (!args.dryRun && plan.notes.length) console.log(`\nNotes:\n${plan.notes.map((n) => `  - ${n}`).join('\n')}`);
  }
  if (!report.ok) return 1;
  return args.dryRun && report.problems.length ? 2 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    // CloudBase errors carry the API's code and request id; the stack only with DEBUG set.
    const { code, requestId } = (e || {}) as { code?: string; requestId?: string };
    console.error(
      `deploy failed: ${e instanceof Error ? e.message : String(e)}${code ? ` [${code}]` : ''}${requestId ? ` (request ${requestId})` : ''}`,
    );
    if (process.env.DEBUG && e instanceof Error) console.error(e.stack);
    console.error(
      'A deploy stops at its first failure; what it changed before stays, and running the same command again continues.',
    );
    process.exit(1);
  });
