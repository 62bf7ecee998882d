/**
 * Local CloudBase: the same cloud-function code using `wx-server-sdk` runs against an embedded, durable,
 * file-backed database (SQLite) instead of WeChat cloud development.
 *
 * The seam
 *   cloud.init({ env: 'local', serviceUrl: 'http://127.0.0.1:PORT/admin', secretId: 'local', secretKey: 'local' })
 * makes the SDK POST JSON `{ action, ...fields }` to /admin (fake credentials are required, or the SDK's
 * credential check fails first). `createAdminHandler(backend)` answers those posts the way CloudBase does:
 * `{ requestId, data }` on success, `{ requestId, code, message }` on failure — the SDK throws on `code`, and
 * wx-server-sdk maps it to `errCode` (DATABASE_REQUEST_FAILED → -502001, DATABASE_COLLECTION_NOT_EXIST → -502005…).
 * Also set `process.env.TENCENTCLOUD = 'true'` in processes using the SDK locally: otherwise @cloudbase/node-sdk
 * probes metadata.tencentyun.com (30 ms timeout, twice) on EVERY request, making each call ~30-60 ms.
 * wx-server-sdk honours only the first cloud.init() of a process, so a restarted backend must keep its port.
 * SDK quirks reproduced as-is: errors from aggregate().end(), callFunction() and runTransaction()'s commit
 * surface with the CloudBase `code` string on the error (errCode -1 or none), not a mapped errCode.
 *
 * Reproduced: all server-side db.command query operators (mingo semantics, incl. array element matching, dotted
 * paths, db.RegExp with options), all update operators incl. push each/position/slice/sort and CloudBase's merge
 * (update) vs replace (set); orderBy/skip/limit (default 100, capped at 1000), field projections, count,
 * multi update/remove, add (single/array), aggregate via mingo (default 20 results without a $limit stage, as on
 * CloudBase), Date round trips and db.serverDate(); unique indexes (-502001; sparse vs non-sparse null handling);
 * unknown collections (-502005) until created with db.createCollection; transactions (snapshot of committed data +
 * own writes, buffered writes applied atomically at commit, optimistic conflict detection answered with
 * DATABASE_TRANSACTION_CONFLICT so runTransaction retries, rollback, 10 s lifetime, doc()/add() only);
 * storage upload/download/temp URL/delete; callFunction via an onInvokeFunction hook.
 * Local-only: with enforceIndexes, a query on a `large` collection that no declared index serves is refused
 * with DATABASE_PERMISSION_DENIED (errCode -502003).
 *
 * Not reproduced: geo queries/indexes, watch(), security rules, $text, multikey *unique* indexes, Mongo's exact
 * BSON numeric types (Int32 vs Double) — numbers are JS numbers; a failing multi-document update is rolled back
 * whole (Mongo keeps the documents written before the error); a plain write to a document held by an open
 * transaction does not block — the transaction fails at commit instead; regex flags x/g/y are dropped (JS has no
 * x); strings starting with U+0000/U+0001 may compare imprecisely in index-narrowed range queries.
 * One Backend per data dir (transaction conflict detection is in-process).
 */
export { Backend, CloudError, ERR, UNINDEXED_ERRCODE, DEFAULT_LIMIT, MAX_LIMIT, AGGREGATE_DEFAULT_LIMIT, TX_TIMEOUT_MS } from './backend';
export type { BackendOptions, InvokeFunctionHook, RequestContext } from './backend';
export { createAdminHandler, startBackendServer } from './http';
export type { BackendServer } from './http';
export { fileIdOf, cloudPathOf, contentTypeOf, STORAGE_BUCKET } from './storage';

/** Options for `cloud.init` pointing the SDK at a local backend URL (the …/admin URL). */
export function localCloudInitOptions(serviceUrl: string): Record<string, string> {
  return { env: 'local', serviceUrl, secretId: 'local', secretKey: 'local' };
}
