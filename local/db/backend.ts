/**
 * The embedded CloudBase database/storage/functions backend: answers the JSON the CloudBase SDK POSTs to
 * `<serviceUrl>` (see index.ts for the seam). One SQLite file (WAL) holds every collection as a table of
 * `(id, rev, doc JSON)` rows with expression indexes for the declared indexes; mingo gives the exact
 * query/update/aggregate semantics.
 *
 * Everything runs synchronously on one connection inside `handle()`, so each request is atomic with respect to
 * every other (Node is single-threaded); only the invokeFunction hook is awaited.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Database = require('libsql');
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import type { CollectionSpec } from '../../cloudfunctions/infra/schema';
import {
  T, classOf, fromStored, fromWire, getPath, isPlainObject, multikeyValues, pathClass, sqlValue, toStored, toWire,
} from './codec';
import { PathInfo, Plan, PlanTarget, jsonPath, pathExpr, planFilter, planOrder, tieDirection } from './planner';
import { LocalStorage, cloudPathOf, fileIdOf } from './storage';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const mingoCompare: (a: any, b: any) => number = require('mingo/util').compare;

/**
 * Error codes as the SDK expects them (`{ code, message }` in the answer; wx-server-sdk maps `code` through its
 * TCB_ERR_CODE table to `errCode`). Only names in that table give a distinct errCode.
 */
export const ERR = {
  /** -502001: duplicate key (CloudBase reports E11000 under this generic code), other request failures. */
  REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  /** -502005 */
  NO_COLLECTION: 'DATABASE_COLLECTION_NOT_EXIST',
  /** -502002: mingo rejected an operator. */
  INVALID_OPERATOR: 'DATABASE_INVALID_OPERRATOR',
  /**
   * -502003 locally means: a query on a `large` collection that no declared index serves (enforceIndexes).
   * The admin SDK never meets a permission error in production, so this code is unambiguous in tests.
   */
  UNINDEXED: 'DATABASE_PERMISSION_DENIED',
  /** The code @cloudbase/database's runTransaction retries on (it surfaces as `err.code`, not errCode). */
  CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  /**
   * -501001: how CloudBase answers a *write* inside a transaction that conflicts with another
   * transaction (wx-server-sdk re-wraps it as errCode -501001, "resource system error", with the
   * server's `[ResourceUnavailable.TransactionConflict]` message and no `.code`, so the SDK does not
   * retry it — the caller must). See shared/NOTES.md.
   */
  SYS_ERR: 'SYS_ERR',
  /** -501007 */
  INVALID_PARAM: 'INVALID_PARAM',
  COLLECTION_EXISTS: 'DATABASE_COLLECTION_ALREADY_EXIST',
  /** -503003 */
  FILE_NONEXIST: 'STORAGE_FILE_NONEXIST',
  /** -504001 / -504002 */
  FUNCTION_REQUEST_FAIL: 'FUNCTIONS_REQUEST_FAIL',
  FUNCTION_EXECUTE_FAIL: 'FUNCTIONS_EXECUTE_FAIL',
} as const;

/** errCode wx-server-sdk reports for an unindexed query refused on a large collection. */
export const UNINDEXED_ERRCODE = -502003;

/** The server message CloudBase gives a conflicting write inside a transaction. */
export const TX_WRITE_CONFLICT_MESSAGE = '[ResourceUnavailable.TransactionConflict] Transaction is conflict, please retry.';

export class CloudError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** What the HTTP layer knows about a request (passed to the invokeFunction hook as `caller`). */
export interface RequestContext {
  headers?: Record<string, string | string[] | undefined>;
  /**
   * The caller's OPENID when the request carries an `x-wx-openid` header. The SDK itself sends no user identity
   * (WX_OPENID stays in the calling process), so only a caller that adds the header (cloud.init `headers`) has one.
   */
  openid?: string;
  /** e.g. http://127.0.0.1:1234 — used for storage URLs when no publicUrl is configured. */
  baseUrl?: string;
}

export type InvokeFunctionHook = (name: string, event: any, caller?: RequestContext) => Promise<any>;

export interface BackendOptions {
  dataDir: string;
  schema: CollectionSpec[];
  /** Refuse queries on `large` collections that no declared index serves (tests). */
  enforceIndexes?: boolean;
  /** Base URL (scheme://host:port) for storage upload/download URLs. */
  publicUrl?: () => string;
  onInvokeFunction?: InvokeFunctionHook;
  /** An open transaction is aborted after this long (default 10 s, like CloudBase's transaction time limit). */
  txTimeoutMs?: number;
  /**
   * Signs the storage URLs the backend hands out (upload and temporary download URLs), as COS signs
   * its own: storage is private, a URL works only as signed and until it expires. Random per start
   * when not given.
   */
  secret?: string;
}

/** `get()` limits: the SDK sends 100 when no limit is set and caps at 1000 itself; the server caps too. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Aggregations without a `$limit` stage return 20 results on CloudBase (measured by its users). */
export const AGGREGATE_DEFAULT_LIMIT = 20;
export const TX_TIMEOUT_MS = 10_000;

type Order = [string, 1 | -1][];

interface Loaded {
  rowid: number;
  rev: number;
  doc: any;
}

interface IndexInfo {
  name: string;
  unique: boolean;
  sparse: boolean;
  fields: PathInfo[];
}

interface Coll extends PlanTarget {
  name: string;
  raw: string;
  table: string;
  large: boolean;
  indexes: IndexInfo[];
  leading: PathInfo[];
}

interface Tx {
  id: string;
  timer: NodeJS.Timeout;
  /** rev (or null = absent) of every document the transaction read or wrote, when it first touched it. */
  observed: Map<string, { c: Coll; id: any; rev: number | null }>;
  /** Buffered writes; doc null = delete. Applied atomically at commit. */
  writes: Map<string, { c: Coll; id: any; doc: any | null }>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export class Backend {
  readonly db: Database.Database;
  readonly storage: LocalStorage;
  private readonly colls = new Map<string, Coll>();
  private readonly stmts = new Map<string, any>();
  private readonly txs = new Map<string, Tx>();
  /** Documents written by an open transaction (key → transaction id): a second writer conflicts at once. */
  private readonly writeLocks = new Map<string, string>();
  private readonly expired = new Set<string>();
  private seq = 0;
  private reqSeq = 0;
  private closed = false;
  private readonly urlKey: string;

  constructor(private readonly opts: BackendOptions) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    this.urlKey = opts.secret || crypto.randomBytes(32).toString('hex');
    this.storage = new LocalStorage(path.join(path.resolve(opts.dataDir), 'storage'));
    this.db = new Database(path.join(opts.dataDir, 'db.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: every commit is in the WAL file (the OS page cache) before the answer is sent, so a
    // process crash (kill -9) loses nothing; only a power loss could lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    // one backend owns a data dir; a second reader (a script, a test reopening it) just waits for the lock
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _ldb_collections (name TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS _ldb_paths (coll TEXT NOT NULL, path TEXT NOT NULL, mask INTEGER NOT NULL,
        mk INTEGER NOT NULL, PRIMARY KEY (coll, path));`);
    const added = (this.db.prepare('SELECT name FROM _ldb_collections').all() as any[]).map((r) => String(r.name));
    this.atomic(() => {
      for (const spec of opts.schema) this.openCollection(spec.name, spec);
      for (const name of added) if (!this.colls.has(name)) this.openCollection(name, null);
    });
    for (const c of this.colls.values()) {
      const m = Number((this.db.prepare(`SELECT MAX(rev) AS m FROM ${c.table}`).get() as any)?.m ?? 0);
      this.seq = Math.max(this.seq, m);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Public API

  /** Answer one SDK request body (`{ action, ... }`) with the JSON the SDK expects. Never throws. */
  async handle(body: any, ctx: RequestContext = {}): Promise<any> {
    const requestId = `local-${++this.reqSeq}`;
    try {
      if (this.closed) throw new CloudError('SYS_ERR', 'local backend is closed');
      const out = await this.dispatch(body ?? {}, ctx);
      return { requestId, ...out };
    } catch (e: any) {
      let code: string = e instanceof CloudError ? e.code : ERR.REQUEST_FAILED;
      if (!(e instanceof CloudError) && /operator/i.test(String(e?.message))) code = ERR.INVALID_OPERATOR;
      return { requestId, code, message: String(e?.message ?? e) };
    }
  }

  /** Insert native documents directly (fixtures, benchmark seeding): one SQLite transaction, no HTTP. */
  insertMany(collection: string, docs: any[]): any[] {
    const c = this.coll(collection);
    return this.atomic(() =>
      docs.map((d) => {
        const doc = withId(d);
        this.insertDoc(c, doc);
        return doc._id;
      }),
    );
  }

  /**
   * How a get() would run (filter/order in native values): the SQL narrowing, whether it is exact (no mingo pass)
   * and index-served, and SQLite's own query plan — to check that a query really uses an index.
   */
  explain(collection: string, filter: any = {}, order: Order = []) {
    const c = this.coll(collection);
    const plan = planFilter(c, filter);
    const orderBy = order.length ? planOrder(c, order) : '';
    const sql = `SELECT rowid, doc FROM ${c.table} WHERE ${plan.where}${orderBy ? ` ORDER BY ${orderBy}` : ''} LIMIT 20`;
    const sqlite = (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(plan.params) as any[]).map((r) => String(r.detail));
    // orderBy: '' = no order, null = SQL cannot order like Mongo here (sorted in JS)
    return { where: plan.where, exact: plan.exact, served: plan.served, orderBy, sqlite };
  }

  /** `?t=<expiry>&sign=<mac>` for a storage path: what makes a storage URL work, and only until `t`. */
  signedQuery(cloudPath: string, expiresAtSec: number): string {
    const sign = crypto.createHmac('sha256', this.urlKey).update(`${cloudPath}\n${expiresAtSec}`).digest('hex').slice(0, 32);
    return `t=${expiresAtSec}&sign=${sign}`;
  }

  /** Does this signed storage URL still hold (right signature, not expired)? */
  storageUrlValid(cloudPath: string, t: string | null, sign: string | null, nowMs = Date.now()): boolean {
    const exp = Number(t);
    if (!t || !sign || !Number.isInteger(exp) || exp * 1000 < nowMs) return false;
    const want = Buffer.from(this.signedQuery(cloudPath, exp).split('sign=')[1]);
    const got = Buffer.from(sign);
    return want.length === got.length && crypto.timingSafeEqual(want, got);
  }

  putFile(cloudPath: string, data: Buffer): string {
    return this.storage.put(cloudPath, data);
  }

  getFile(fileID: string): Buffer | null {
    const p = cloudPathOf(fileID);
    return p ? this.storage.get(p) : null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const tx of this.txs.values()) clearTimeout(tx.timer);
    this.txs.clear();
    this.db.close();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Dispatch

  private async dispatch(b: any, ctx: RequestContext): Promise<any> {
    const now = Date.now();
    switch (b.action) {
      case 'database.getDocument':
        return this.getDocument(b, now);
      case 'database.calculateDocument':
        return this.countDocuments(b, now);
      case 'database.insertDocument':
        return this.insertDocuments(b, now);
      case 'database.modifyDocument':
        return this.modifyDocuments(b, now);
      case 'database.modifyAndReturnDoc':
        return this.modifyAndReturn(b, now);
      case 'database.removeDocument':
        return this.removeDocuments(b, now);
      case 'database.aggregateDocuments':
        return this.aggregate(b, now);
      case 'database.addCollection':
        return this.addCollection(b.collectionName);
      case 'database.startTransaction':
        return this.startTx();
      case 'database.commitTransaction':
        return this.commitTx(b.transactionId);
      case 'database.abortTransaction':
        return this.abortTx(b.transactionId);
      case 'functions.invokeFunction':
        return this.invokeFunction(b, ctx);
      case 'storage.getUploadMetadata':
      case 'storage.batchGetDownloadUrl':
      case 'storage.batchDeleteFile':
        return this.storageAction(b, ctx);
      default:
        throw new CloudError(ERR.INVALID_PARAM, `the local backend does not implement action ${b.action}`);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Database actions

  private getDocument(b: any, now: number): any {
    const c = this.coll(b.collectionName);
    const filter = parseQuery(b.query, now);
    const projection = b.projection ? fromWire(b.projection, now) : undefined;
    if (b.transactionId) {
      const tx = this.tx(b.transactionId);
      const doc = this.txView(tx, c, txDocId(filter));
      return { data: { list: project(doc ? [doc] : [], projection).map(toWire), limit: 1, offset: 0 } };
    }
    const n = Number(b.limit);
    const limit = n > 0 ? Math.min(n, MAX_LIMIT) : DEFAULT_LIMIT;
    const offset = Math.max(0, Number(b.offset) || 0);
    const order: Order = b.order
      ? Object.entries(fromWire(b.order, now)).map(([k, d]) => [k, Number(d) < 0 ? -1 : 1])
      : [];
    const rows = this.find(c, filter, { order, skip: offset, limit, op: 'get' });
    return { data: { list: project(rows.map((r) => r.doc), projection).map(toWire), limit, offset } };
  }

  private countDocuments(b: any, now: number): any {
    const c = this.coll(b.collectionName);
    const filter = parseQuery(b.query, now);
    const plan = planFilter(c, filter);
    this.enforce(c, plan, filter, [], 'count');
    const total = plan.exact
      ? Number((this.stmt(`SELECT COUNT(*) AS n FROM ${c.table} WHERE ${plan.where}`).get(plan.params) as any).n)
      : this.find(c, filter, { op: 'count', plan }).length;
    return { data: { total } };
  }

  private insertDocuments(b: any, now: number): any {
    const c = this.coll(b.collectionName);
    const docs = (Array.isArray(b.data) ? b.data : [b.data]).map((s: any) => {
      const d = fromWire(s, now);
      if (!isPlainObject(d)) throw new CloudError(ERR.INVALID_PARAM, 'a document must be an object');
      if (d._id !== undefined && typeof d._id !== 'string' && typeof d._id !== 'number') {
        throw new CloudError(ERR.INVALID_PARAM, '_id must be a string or a number');
      }
      return withId(d);
    });
    if (b.transactionId) {
      const tx = this.tx(b.transactionId);
      for (const doc of docs) {
        if (this.txView(tx, c, doc._id)) throw duplicate(c, '_id_');
        this.txWrite(tx, c, doc._id, doc);
      }
    } else {
      this.atomic(() => docs.forEach((d: any) => this.insertDoc(c, d)));
    }
    return { data: { insertedIds: docs.map((d: any) => d._id) } };
  }

  private modifyDocuments(b: any, now: number): any {
    const c = this.coll(b.collectionName);
    const filter = parseQuery(b.query, now);
    const data = fromWire(b.data ?? '{}', now);
    // merge:false is doc().set(): replace the whole document, creating it if needed (upsert).
    const replace = b.merge === false;
    if (replace && !isPlainObject(data)) throw new CloudError(ERR.INVALID_PARAM, 'set() needs an object');
    if (b.transactionId) {
      const tx = this.tx(b.transactionId);
      const id = txDocId(filter);
      const cur = this.txView(tx, c, id);
      if (replace) {
        this.txWrite(tx, c, id, { _id: id, ...withoutId(data) });
        return { data: cur ? { updated: 1 } : { updated: 0, upsert_id: id } };
      }
      if (!cur) return { data: { updated: 0 } };
      const next = clone(cur);
      const changed = applyUpdate(next, data);
      if (changed) this.txWrite(tx, c, id, next);
      return { data: { updated: changed ? 1 : 0 } };
    }
    if (replace) {
      const id = txDocId(filter);
      return this.atomic(() => {
        const cur = this.byId(c, id);
        const doc = { _id: id, ...withoutId(data) };
        if (cur) {
          const changed = toStored(cur.doc) !== toStored(doc);
          if (changed) this.replaceDoc(c, cur, doc);
          return { data: { updated: changed ? 1 : 0 } };
        }
        if (b.upsert === false) return { data: { updated: 0 } };
        this.insertDoc(c, doc);
        return { data: { updated: 0, upsert_id: id } };
      });
    }
    const multi = b.multi !== false;
    return this.atomic(() => {
      let updated = 0;
      for (const row of this.find(c, filter, { limit: multi ? Infinity : 1, op: 'update' })) {
        const next = clone(row.doc);
        if (applyUpdate(next, data)) {
          this.replaceDoc(c, row, next);
          updated++;
        }
      }
      return { data: { updated } };
    });
  }

  private modifyAndReturn(b: any, now: number): any {
    if (b.transactionId) throw notInTransaction();
    const c = this.coll(b.collectionName);
    const filter = parseQuery(b.query, now);
    const data = fromWire(b.data ?? '{}', now);
    return this.atomic(() => {
      const [row] = this.find(c, filter, { limit: 1, op: 'update' });
      if (!row) return { data: { updated: 0, doc: null } };
      const next = clone(row.doc);
      const changed = applyUpdate(next, data);
      if (changed) this.replaceDoc(c, row, next);
      return { data: { updated: changed ? 1 : 0, doc: toWire(next) } };
    });
  }

  private removeDocuments(b: any, now: number): any {
    const c = this.coll(b.collectionName);
    const filter = parseQuery(b.query, now);
    if (b.transactionId) {
      const tx = this.tx(b.transactionId);
      const id = txDocId(filter);
      const cur = this.txView(tx, c, id);
      if (cur) this.txWrite(tx, c, id, null);
      return { data: { deleted: cur ? 1 : 0 } };
    }
    const multi = b.multi !== false;
    return this.atomic(() => {
      const rows = this.find(c, filter, { limit: multi ? Infinity : 1, op: 'remove' });
      for (const row of rows) this.deleteDoc(c, row);
      return { data: { deleted: rows.length } };
    });
  }

  private aggregate(b: any, now: number): any {
    const c = this.coll(b.collectionName);
    const stages: any[] = (b.stages ?? []).map((s: any) => ({ [s.stageKey]: fromWire(s.stageValue, now) }));
    let docs: any[];
    let rest = stages;
    if (stages.length && '$match' in stages[0]) {
      // the leading $match is answered by the planner (indexes + mingo), exactly like find()
      docs = this.find(c, stages[0].$match, { op: 'aggregate' }).map((r) => r.doc);
      rest = stages.slice(1);
    } else {
      docs = this.allDocs(c, 'aggregate');
    }
    const options = { collectionResolver: (name: string) => this.allDocs(this.coll(name), 'aggregate') };
    let segment: any[] = [];
    const flush = () => {
      if (segment.length) docs = new Aggregator(segment, options).run(docs);
      segment = [];
    };
    for (const stage of rest) {
      if (isPlainObject(stage.$lookup)) {
        flush(); // $lookup needs the documents as they are at this point of the pipeline
        segment.push({ $lookup: this.resolveLookup(stage.$lookup, docs) });
      } else {
        segment.push(stage);
      }
    }
    flush();
    if (!stages.some((s) => '$limit' in s)) docs = docs.slice(0, AGGREGATE_DEFAULT_LIMIT);
    return { data: { list: docs.map(toWire) } };
  }

  /**
   * `$lookup {from, localField, foreignField}`: fetch only the foreign documents whose foreignField matches one
   * of the local values — through the planner, so an indexed foreignField is served by its index (and an
   * unindexed one on a large collection is refused, as production would scan it per document).
   */
  private resolveLookup(spec: any, docs: any[]): any {
    if (typeof spec.from !== 'string') return spec;
    const fc = this.coll(spec.from);
    if (typeof spec.localField !== 'string' || typeof spec.foreignField !== 'string' || spec.pipeline) {
      return { ...spec, from: this.allDocs(fc, 'aggregate $lookup') };
    }
    const values = new Map<string, any>();
    let scalarOnly = true;
    for (const d of docs) {
      const vs = multikeyValues(d, spec.localField.split('.'));
      if (!vs.length) values.set('null', null); // a missing localField joins foreign null/missing values
      for (const v of vs) {
        const cls = classOf(v);
        if (cls & (T.ARR | T.OBJ | T.OTHER)) scalarOnly = false;
        else values.set(`${cls}:${String(sqlValue(v ?? null))}`, v ?? null);
      }
    }
    if (!scalarOnly) return { ...spec, from: this.allDocs(fc, 'aggregate $lookup') };
    const from = this.find(fc, { [spec.foreignField]: { $in: [...values.values()] } }, { op: 'aggregate $lookup' });
    return { ...spec, from: from.map((r) => r.doc) };
  }

  private addCollection(name: any): any {
    if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
      throw new CloudError(ERR.INVALID_PARAM, `invalid collection name: ${name}`);
    }
    if (this.colls.has(name)) throw new CloudError(ERR.COLLECTION_EXISTS, `collection ${name} already exists`);
    this.atomic(() => {
      this.openCollection(name, null);
      this.stmt('INSERT OR IGNORE INTO _ldb_collections (name) VALUES (?)').run(name);
    });
    return {};
  }

  // ------------------------------------------------------------------------------------------------------------
  // Query execution

  /**
   * Documents matching `filter`, in `order`, paged. SQL narrows (superset), mingo decides; when the plan is exact
   * the page comes straight from SQL, otherwise candidates stream in SQL order and stop once the page is full.
   */
  private find(
    c: Coll,
    filter: any,
    o: { order?: Order; skip?: number; limit?: number; op: string; plan?: Plan },
  ): Loaded[] {
    const order = o.order ?? [];
    const plan = o.plan ?? planFilter(c, filter);
    if (!o.plan) this.enforce(c, plan, filter, order, o.op);
    const skip = o.skip ?? 0;
    const limit = o.limit ?? Infinity;
    const base = `SELECT rowid AS r, rev, doc FROM ${c.table} WHERE ${plan.where}`;
    const orderSql = order.length ? planOrder(c, order) : '';
    if (orderSql === null || !Number.isFinite(limit)) {
      const q = new Query(filter);
      const all = this.load(base + (orderSql ? ` ORDER BY ${orderSql}` : ''), plan.params);
      const hits = plan.exact ? all : all.filter((d) => q.test(d.doc));
      if (orderSql === null) hits.sort(compareBy(order, tieDirection(c, order)));
      return hits.slice(skip, skip + limit);
    }
    const sql = `${base}${orderSql ? ` ORDER BY ${orderSql}` : ''} LIMIT ? OFFSET ?`;
    if (plan.exact) return this.load(sql, [...plan.params, limit, skip]);
    const q = new Query(filter);
    const out: Loaded[] = [];
    let toSkip = skip;
    let offset = 0;
    for (let chunk = Math.max(64, limit); ; chunk = Math.min(chunk * 4, 8192)) {
      const batch = this.load(sql, [...plan.params, chunk, offset]);
      for (const d of batch) {
        if (!q.test(d.doc)) continue;
        if (toSkip > 0) toSkip--;
        else if (out.push(d) >= limit) return out;
      }
      if (batch.length < chunk) return out;
      offset += batch.length;
    }
  }

  /** Refuse what production would answer with a collection scan on a large collection. */
  private enforce(c: Coll, plan: Plan, filter: any, order: Order, op: string): void {
    if (!this.opts.enforceIndexes || !c.large || plan.served) return;
    const empty = !filter || Object.keys(filter).length === 0;
    if (empty && op === 'count') return; // counting a whole collection reads its metadata
    if (empty && order.length && (order[0][0] === '_id' || c.paths.get(order[0][0])?.leading)) return; // index walk
    const fields = filter && typeof filter === 'object' ? Object.keys(filter).join(', ') || '(none)' : '(none)';
    const indexes = c.indexes.map((ix) => `${ix.name}(${ix.fields.map((f) => f.path).join(', ')})`).join('; ');
    throw new CloudError(
      ERR.UNINDEXED,
      `[local-db] ${op} on large collection '${c.name}' is not served by any declared index ` +
        `(filter fields: ${fields}; indexes: ${indexes || 'none'}). Query by _id or an index's leading field, ` +
        'or declare an index in cloudfunctions/infra/schema.ts.',
    );
  }

  private allDocs(c: Coll, op: string): any[] {
    if (this.opts.enforceIndexes && c.large) this.enforce(c, planFilter(c, {}), {}, [], op);
    return this.load(`SELECT rowid AS r, rev, doc FROM ${c.table}`, []).map((r) => r.doc);
  }

  private load(sql: string, params: any[]): Loaded[] {
    return (this.stmt(sql).all(params) as any[]).map((r) => ({ rowid: Number(r.r), rev: Number(r.rev), doc: fromStored(r.doc) }));
  }

  private byId(c: Coll, id: any): Loaded | null {
    return this.load(`SELECT rowid AS r, rev, doc FROM ${c.table} WHERE id = ?`, [sqlValue(id)])[0] ?? null;
  }

  private revOf(c: Coll, id: any): number | null {
    const row = this.stmt(`SELECT rev FROM ${c.table} WHERE id = ?`).get([sqlValue(id)]) as any;
    return row ? Number(row.rev) : null;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Writes (always inside atomic())

  private insertDoc(c: Coll, doc: any): void {
    this.checkNullUnique(c, doc, null);
    let info: Database.RunResult;
    try {
      info = this.stmt(`INSERT INTO ${c.table} (id, rev, doc) VALUES (?, ?, ?)`).run([
        sqlValue(doc._id), ++this.seq, toStored(doc),
      ]);
    } catch (e) {
      throw constraintError(c, e);
    }
    this.afterWrite(c, Number(info.lastInsertRowid), doc, null);
  }

  private replaceDoc(c: Coll, row: Loaded, doc: any): void {
    this.checkNullUnique(c, doc, row.rowid);
    try {
      this.stmt(`UPDATE ${c.table} SET rev = ?, doc = ? WHERE rowid = ?`).run([++this.seq, toStored(doc), row.rowid]);
    } catch (e) {
      throw constraintError(c, e);
    }
    this.afterWrite(c, row.rowid, doc, row.doc);
  }

  private deleteDoc(c: Coll, row: Loaded): void {
    this.stmt(`DELETE FROM ${c.table} WHERE rowid = ?`).run([row.rowid]);
    if (c.leading.length) this.stmt(`DELETE FROM ${c.mkTable} WHERE rid = ?`).run([row.rowid]);
  }

  /** Keep the per-path value classes and the multikey rows of leading paths in step with the document. */
  private afterWrite(c: Coll, rowid: number, doc: any, old: any | null): void {
    for (const p of c.paths.values()) {
      const cls = pathClass(doc, p.parts);
      if (cls & ~p.mask) {
        p.mask |= cls;
        this.saveMask(c, p);
      }
    }
    if (!c.leading.length) return;
    if (old && c.leading.some((p) => pathClass(old, p.parts) & T.ARR)) {
      this.stmt(`DELETE FROM ${c.mkTable} WHERE rid = ?`).run([rowid]);
    }
    for (const p of c.leading) if (pathClass(doc, p.parts) & T.ARR) this.writeMultikey(c, p, rowid, doc);
  }

  private writeMultikey(c: Coll, p: PathInfo, rowid: number, doc: any): void {
    const seen = new Set<string>();
    for (const v of multikeyValues(doc, p.parts)) {
      if (classOf(v) & (T.ARR | T.OBJ | T.OTHER | T.NULL) || v === undefined) continue;
      const k = sqlValue(v);
      const key = `${typeof k}:${k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.stmt(`INSERT INTO ${c.mkTable} (path, k, rid) VALUES (?, ?, ?)`).run([p.path, k, rowid]);
    }
  }

  private saveMask(c: Coll, p: PathInfo): void {
    this.stmt('INSERT OR REPLACE INTO _ldb_paths (coll, path, mask, mk) VALUES (?, ?, ?, ?)').run([
      c.name, p.path, p.mask, p.leading ? 1 : 0,
    ]);
  }

  /**
   * SQLite's UNIQUE index treats NULLs as distinct, Mongo does not: a missing unique field counts as null and
   * only one document may have it — unless the index is sparse, where documents missing the indexed fields are
   * not in the index at all (an explicit null still is).
   */
  private checkNullUnique(c: Coll, doc: any, rowid: number | null): void {
    for (const ix of c.indexes) {
      if (!ix.unique) continue;
      const vals = ix.fields.map((f) => getPath(doc, f.parts));
      if (vals.some(Array.isArray)) continue; // multikey unique indexes: not reproduced
      const isNull = vals.map((v) => classOf(v) === T.NULL || v === undefined);
      if (!isNull.some(Boolean)) continue; // fully non-null keys: the SQLite UNIQUE index enforces them
      if (ix.sparse && vals.every((v) => v === undefined)) continue;
      const where = ix.fields.map((f, i) => (isNull[i] ? `${f.expr} IS NULL` : `${f.expr} = ?`));
      const params = vals.filter((_, i) => !isNull[i]).map(sqlValue);
      if (ix.sparse) where.push(`NOT (${ix.fields.map((f) => `json_type(doc, '${jsonPath(f.parts)}') IS NULL`).join(' AND ')})`);
      if (rowid !== null) {
        where.push('rowid != ?');
        params.push(rowid);
      }
      if (this.stmt(`SELECT 1 AS x FROM ${c.table} WHERE ${where.join(' AND ')} LIMIT 1`).get(params)) {
        throw duplicate(c, ix.name);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Transactions: optimistic; reads record the revision they saw, writes are buffered, commit re-checks every
  // recorded revision and applies all writes in one SQLite transaction.

  private startTx(): any {
    const id = `local-tx-${crypto.randomBytes(8).toString('hex')}`;
    const timer = setTimeout(() => this.expireTx(id), this.opts.txTimeoutMs ?? TX_TIMEOUT_MS);
    timer.unref?.();
    this.txs.set(id, { id, timer, observed: new Map(), writes: new Map() });
    return { transactionId: id };
  }

  private tx(id: string): Tx {
    const tx = this.txs.get(id);
    if (tx) return tx;
    const ms = this.opts.txTimeoutMs ?? TX_TIMEOUT_MS;
    throw new CloudError(
      ERR.REQUEST_FAILED,
      this.expired.has(id) ? `transaction ${id} was aborted: open longer than ${ms} ms` : `no open transaction ${id}`,
    );
  }

  private expireTx(id: string): void {
    const tx = this.txs.get(id);
    if (!tx) return;
    this.txs.delete(id);
    this.releaseLocks(tx);
    this.expired.add(id);
    if (this.expired.size > 1000) this.expired.delete(this.expired.values().next().value as string);
  }

  private dropTx(tx: Tx): void {
    clearTimeout(tx.timer);
    this.txs.delete(tx.id);
    this.releaseLocks(tx);
  }

  private releaseLocks(tx: Tx): void {
    for (const key of tx.writes.keys()) if (this.writeLocks.get(key) === tx.id) this.writeLocks.delete(key);
  }

  /** The transaction's view: its own buffered write, else the committed document (recording its revision). */
  private txView(tx: Tx, c: Coll, id: any): any | null {
    const key = txKey(c, id);
    const w = tx.writes.get(key);
    if (w) return w.doc ? clone(w.doc) : null;
    const row = this.byId(c, id);
    if (!tx.observed.has(key)) tx.observed.set(key, { c, id, rev: row ? row.rev : null });
    return row ? row.doc : null;
  }

  /**
   * Buffer a write — or refuse it now, as CloudBase does, when another open transaction already wrote
   * the document, or it changed since this transaction read it: the conflict surfaces at the write
   * (`-501001 … TransactionConflict`), not only at commit.
   */
  private txWrite(tx: Tx, c: Coll, id: any, doc: any | null): void {
    const key = txKey(c, id);
    const holder = this.writeLocks.get(key);
    const seen = tx.observed.get(key);
    if ((holder && holder !== tx.id) || (seen && this.revOf(c, id) !== seen.rev)) {
      throw new CloudError(ERR.SYS_ERR, TX_WRITE_CONFLICT_MESSAGE);
    }
    if (!seen) tx.observed.set(key, { c, id, rev: this.revOf(c, id) });
    this.writeLocks.set(key, tx.id);
    tx.writes.set(key, { c, id, doc });
  }

  private commitTx(id: string): any {
    const tx = this.tx(id);
    this.dropTx(tx);
    this.atomic(() => {
      for (const o of tx.observed.values()) {
        if (this.revOf(o.c, o.id) !== o.rev) {
          throw new CloudError(
            ERR.CONFLICT,
            `transaction ${id} conflicts: ${o.c.name}/${String(o.id)} changed since the transaction read it`,
          );
        }
      }
      for (const w of tx.writes.values()) {
        const row = this.byId(w.c, w.id);
        if (w.doc === null) {
          if (row) this.deleteDoc(w.c, row);
        } else if (row) this.replaceDoc(w.c, row, w.doc);
        else this.insertDoc(w.c, w.doc);
      }
    });
    return {};
  }

  private abortTx(id: string): any {
    // The SDK also rolls back after a failed commit (when the transaction is already gone): that is fine.
    const tx = this.txs.get(id);
    if (tx) this.dropTx(tx);
    return {};
  }

  // ------------------------------------------------------------------------------------------------------------
  // Functions and storage

  private async invokeFunction(b: any, ctx: RequestContext): Promise<any> {
    const hook = this.opts.onInvokeFunction;
    const name = String(b.function_name ?? '');
    if (!hook) throw new CloudError(ERR.FUNCTION_REQUEST_FAIL, `no onInvokeFunction hook to run function ${name}`);
    const event = b.request_data ? JSON.parse(b.request_data) : {};
    let result: any;
    try {
      result = await hook(name, event, ctx);
    } catch (e: any) {
      throw new CloudError(ERR.FUNCTION_EXECUTE_FAIL, `function ${name} failed: ${e?.message ?? e}`);
    }
    return { data: { response_data: JSON.stringify(result === undefined ? null : result) } };
  }

  private storageAction(b: any, ctx: RequestContext): any {
    const base = this.opts.publicUrl?.() ?? ctx.baseUrl ?? 'http://127.0.0.1';
    switch (b.action) {
      case 'storage.getUploadMetadata': {
        const cloudPath = String(b.path ?? '');
        if (!this.storage.resolve(cloudPath)) throw new CloudError(ERR.INVALID_PARAM, `invalid cloudPath: ${cloudPath}`);
        const exp = Math.floor(Date.now() / 1000) + 600;
        const url = `${base}/admin/storage/${cloudPath.split('/').map(encodeURIComponent).join('/')}?${this.signedQuery(cloudPath, exp)}`;
        return { data: { url, token: 'local', authorization: 'local', fileId: fileIdOf(cloudPath), cosFileId: 'local' } };
      }
      case 'storage.batchGetDownloadUrl':
        return {
          data: {
            download_list: (b.file_list ?? []).map((f: any) => {
              const p = cloudPathOf(String(f.fileid));
              if (!p || !this.storage.exists(p)) return { fileID: f.fileid, tempFileURL: '', code: ERR.FILE_NONEXIST };
              // unencoded, like COS URLs: downloadFile() runs encodeURI on it; signed and expiring
              const maxAge = Number(f.max_age) > 0 ? Number(f.max_age) : 7200;
              const exp = Math.floor(Date.now() / 1000) + maxAge;
              return { fileID: f.fileid, tempFileURL: `${base}/admin/storage/${p}?${this.signedQuery(p, exp)}`, code: 'SUCCESS', maxAge };
            }),
          },
        };
      default:
        return {
          data: {
            delete_list: (b.fileid_list ?? []).map((id: any) => {
              const p = cloudPathOf(String(id));
              return { fileID: id, code: p && this.storage.delete(p) ? 'SUCCESS' : ERR.FILE_NONEXIST };
            }),
          },
        };
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Setup

  private coll(name: any): Coll {
    const c = this.colls.get(String(name));
    if (!c) throw new CloudError(ERR.NO_COLLECTION, `Db or Table not exist: ${name}`);
    return c;
  }

  private stmt(sql: string): any {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private atomic<R>(fn: () => R): R {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      this.db.exec('COMMIT');
      return r;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Create/upgrade a collection's table, its expression indexes and multikey table; load path classes. */
  private openCollection(name: string, spec: CollectionSpec | null): void {
    const raw = `c:${name}`;
    const c: Coll = {
      name, raw, table: quote(raw), mkTable: quote(`${raw}$mk`), large: !!spec?.large,
      indexes: [], leading: [], paths: new Map(),
    };
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${c.table} (id NOT NULL UNIQUE, rev INTEGER NOT NULL, doc TEXT NOT NULL)`);
    const wanted = new Set<string>();
    for (const ix of spec?.indexes ?? []) {
      const fields = ix.fields.map(([p, dir]) => {
        let info = c.paths.get(p);
        if (!info) c.paths.set(p, (info = { path: p, parts: p.split('.'), expr: pathExpr(p), mask: 0, leading: false, dir }));
        return info;
      });
      fields[0].leading = true;
      c.indexes.push({ name: ix.name, unique: !!ix.unique, sparse: !!ix.sparse, fields });
      const sqlName = `${raw}$${ix.name}`;
      wanted.add(sqlName);
      const cols = ix.fields.map(([p, dir]) => `${pathExpr(p)} ${dir < 0 ? 'DESC' : 'ASC'}`).join(', ');
      const sql = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quote(sqlName)} ON ${c.table} (${cols})`;
      const existing = this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get([sqlName]) as any;
      if (existing?.sql === sql) continue;
      if (existing) this.db.exec(`DROP INDEX ${quote(sqlName)}`);
      try {
        this.db.exec(sql);
      } catch (e: any) {
        throw new Error(`cannot create index ${ix.name} on ${name}: ${e?.message} (existing data violates it?)`);
      }
    }
    for (const r of this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all([raw]) as any[]) {
      if (!wanted.has(r.name)) this.db.exec(`DROP INDEX ${quote(r.name)}`); // index removed from the schema
    }
    c.leading = [...c.paths.values()].filter((p) => p.leading);
    if (c.paths.size) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${c.mkTable} (path TEXT NOT NULL, k, rid INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ${quote(`${raw}$mk$k`)} ON ${c.mkTable} (path, k);
        CREATE INDEX IF NOT EXISTS ${quote(`${raw}$mk$rid`)} ON ${c.mkTable} (rid);`);
    }
    const known = new Map<string, { mask: number; mk: number }>();
    for (const r of this.db.prepare('SELECT path, mask, mk FROM _ldb_paths WHERE coll = ?').all([name]) as any[]) {
      known.set(String(r.path), { mask: Number(r.mask), mk: Number(r.mk) });
    }
    // Paths new to this data (index added to the schema), or newly leading: learn them from the existing rows.
    const rescan = [...c.paths.values()].filter((p) => !known.has(p.path) || (p.leading && !known.get(p.path)!.mk));
    for (const p of c.paths.values()) p.mask = known.get(p.path)?.mask ?? 0;
    if (rescan.length) {
      for (const p of rescan) p.mask = 0;
      for (const p of rescan) if (p.leading) this.stmt(`DELETE FROM ${c.mkTable} WHERE path = ?`).run([p.path]);
      for (const row of this.db.prepare(`SELECT rowid AS r, doc FROM ${c.table}`).all() as any[]) {
        const doc = fromStored(row.doc);
        for (const p of rescan) {
          const cls = pathClass(doc, p.parts);
          p.mask |= cls;
          if (p.leading && cls & T.ARR) this.writeMultikey(c, p, Number(row.r), doc);
        }
      }
    }
    for (const p of c.paths.values()) {
      const k = known.get(p.path);
      if (!k || k.mask !== p.mask || k.mk !== (p.leading ? 1 : 0)) this.saveMask(c, p);
    }
    this.colls.set(name, c);
  }
}

// --------------------------------------------------------------------------------------------------------------
// Helpers

function newId(): string {
  return crypto.randomBytes(16).toString('hex');
}

function parseQuery(q: any, now: number): any {
  if (q === undefined || q === null || q === '') return {};
  const f = fromWire(q, now);
  return isPlainObject(f) ? f : {};
}

function notInTransaction(): CloudError {
  return new CloudError(
    ERR.INVALID_PARAM,
    'transactions support only single-document operations: doc(id).get/set/update/remove and add()',
  );
}

/** Transactions take only doc(id) operations: the query must be exactly `{ _id: <id> }`. */
function txDocId(filter: any): any {
  const keys = Object.keys(filter);
  const id = filter._id;
  if (keys.length !== 1 || (typeof id !== 'string' && typeof id !== 'number')) throw notInTransaction();
  return id;
}

function txKey(c: Coll, id: any): string {
  return `${c.name}\u0000${typeof id}:${id}`;
}

/** The document with its _id first (generated like CloudBase's 32-hex ids when absent). */
function withId(d: any): any {
  const { _id, ...rest } = d;
  return { _id: _id ?? newId(), ...rest };
}

function withoutId(d: any): any {
  const { _id, ...rest } = d;
  return rest;
}

function clone(doc: any): any {
  return fromStored(toStored(doc));
}

function duplicate(c: Coll, index: string): CloudError {
  return new CloudError(ERR.REQUEST_FAILED, `E11000 duplicate key error collection: ${c.name} index: ${index}`);
}

function constraintError(c: Coll, e: any): any {
  if (!String(e?.code ?? '').startsWith('SQLITE_CONSTRAINT')) return e;
  const m = /index '([^']+)'/.exec(String(e.message));
  const name = m ? m[1].slice(c.raw.length + 1) : '_id_';
  return duplicate(c, name);
}

/**
 * CloudBase update semantics: the SDK already turns `update({a: {b: 1}})` into `$set: {'a.b': 1}` (merge) and
 * `_.set({…})` into a whole-value `$set`; plain fields (raw mode) are treated as `$set`. Returns "modified".
 */
function applyUpdate(doc: any, data: any): boolean {
  if (!isPlainObject(data)) throw new CloudError(ERR.INVALID_PARAM, 'update data must be an object');
  const ops: any = {};
  for (const k of Object.keys(data)) {
    if (k.startsWith('$')) ops[k] = { ...(ops[k] ?? {}), ...data[k] };
    else ops.$set = { ...(ops.$set ?? {}), [k]: data[k] };
  }
  for (const op of Object.values(ops) as any[]) {
    if (isPlainObject(op) && Object.keys(op).some((p) => p === '_id' || p.startsWith('_id.'))) {
      throw new CloudError(ERR.INVALID_PARAM, '不能更新_id的值');
    }
  }
  return mingoUpdate(doc, ops, undefined, undefined, { cloneMode: 'deep' }).length > 0;
}

function project(docs: any[], projection: any): any[] {
  if (!isPlainObject(projection) || !Object.keys(projection).length) return docs;
  return new Query({}).find(docs, projection).all();
}

/** JS sort with the SQL path's rules: Mongo value order (null = missing), ties by insertion order. */
function compareBy(order: Order, tie: 1 | -1): (a: Loaded, b: Loaded) => number {
  const parts = order.map(([p, d]) => [p.split('.'), d] as const);
  return (a, b) => {
    for (const [p, d] of parts) {
      const c = mingoCompare(getPath(a.doc, p) ?? null, getPath(b.doc, p) ?? null);
      if (c) return d * c;
    }
    return tie * (a.rowid - b.rowid);
  };
}
