/**
 * What `npm run deploy` needs beyond the function folders and `cloudfunctions/infra/schema.ts`:
 * the runtime, the per-function memory / trigger / HTTP-path settings, which environment
 * variables each function gets, and the client-side security rules. `cloudbaserc.json` is generated
 * from the folders plus this table (`npm run deploy -- --write-rc`); edit here, not there.
 */

/**
 * One runtime for every function. The bundles are built with esbuild `target: 'node16'`
 * (scripts/build.ts), a floor: they run unchanged on any newer Node. Nodejs20.19 is the runtime the
 * test suite runs the same bundles on (Node 20), is manager-node 5.6.5's own default, and is not
 * end-of-life as Node 16 is. The runtime is fixed when a function is created (CloudBase cannot
 * change it afterwards): the deployer reports a mismatch rather than recreating the function.
 */
export const RUNTIME = 'Nodejs20.19';

/** CloudBase's sizes (MB); 256 is its default. */
export const MEMORY_SIZES = [128, 256, 512, 1024, 2048] as const;
export type MemorySize = (typeof MEMORY_SIZES)[number];
export const DEFAULT_MEMORY: MemorySize = 256;

export interface TimerTrigger {
  name: string;
  type: 'timer';
  /** 7 fields, `second minute hour day month weekday year`, in UTC+8. */
  config: string;
}

export interface FunctionSettings {
  memorySize?: MemorySize;
  /** CloudBase allows one timer per function. */
  triggers?: TimerTrigger[];
  /** Public path on the HTTP access service (`https://<env>.service.tcloudbase.com<path>`). */
  httpPath?: string;
  /** Environment variables only this function gets, on top of SHARED_ENV. */
  env?: string[];
}

/** Every function gets these (by reference: the values come from the deployer's environment). */
export const SHARED_ENV = [
  'MSP_SECRET',
  'MSP_TPL_REVIEW_RESULT',
  'MSP_TPL_BILL_DUE',
  'MSP_TPL_CODE_CONFIRMED',
  'MSP_VERIFY_URL',
  'MSP_CERT_KEYS',
  'MSP_CERT_KEY_ID',
  // The association profile (construction | equipment; unset: construction).
  'MSP_PROFILE',
] as const;

/** A real deploy refuses to start without these. */
export const REQUIRED_ENV: readonly string[] = ['MSP_SECRET'];

/** Minimum length of MSP_SECRET (cloudfunctions/infra/secrets.ts refuses shorter). */
export const SECRET_MIN_LENGTH = 32;

/**
 * Per-function settings; a function folder without an entry gets the defaults (256 MB, no
 * trigger, no HTTP path). An entry whose folder does not exist (yet) is ignored.
 */
export const FUNCTION_SETTINGS: Record<string, FunctionSettings> = {
  // A 500-certificate batch peaks near 250 MB; 512 is the floor, 1024 leaves room for GC lag.
  certs: { memorySize: 1024 },
  // The public verification page; also serves WeChat's domain-verification file.
  'cert-verify': { httpPath: '/cert-verify', env: ['MSP_WX_VERIFY_FILE'] },
  // Only the bootstrap action reads it; refused once a secretariat exists.
  admin: { env: ['MSP_BOOTSTRAP_CODE_HASH'] },
  // The secret shared with the learning platform: only `studies.report` verifies it.
  studies: { env: ['MSP_STUDY_SECRET'] },
  // Daily at 03:00 (UTC+8): expired batch zips and exports, spent rate-limit and outbox records,
  // expired codes.
  cleanup: { triggers: [{ name: 'daily-cleanup', type: 'timer', config: '0 0 3 * * * *' }] },
};

export type Rule = { read: boolean | string; write: boolean | string };

/**
 * Collections a mini-program page reads directly, with the read rule it needs. Today no page reads
 * the database directly (everything goes through functions), so this is empty and every
 * collection gets `{ read: false, write: false }`. Clients never write: all writes go through
 * cloud functions, which the rules do not bind.
 * Example: `notices: 'doc.to == auth.openid'`.
 */
export const CLIENT_READS: Record<string, string | true> = {};

export function collectionRule(collection: string): Rule {
  return { read: CLIENT_READS[collection] ?? false, write: false };
}

/**
 * Storage is private: clients read nothing directly (they get short-lived URLs from the
 * `files.url` action) and each user writes only files they create.
 */
export const STORAGE_RULE: Rule = { read: false, write: 'resource.openid == auth.openid' };
