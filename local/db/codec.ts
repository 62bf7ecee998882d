/**
 * Value encodings used by the local CloudBase backend.
 *
 * Three representations meet here:
 *  - wire:    the SDK sends EJSON strings (canonical: `{"$numberInt":"1"}`, `{"$date":{"$numberLong":…}}`,
 *             `{"$regularExpression":…}`, plus CloudBase's own `{"$tcb_server_date":{"offset":n}}`), and parses
 *             our answers with the EJSON of its own `bson` package;
 *  - native:  plain JS values (Date, RegExp, numbers…) that mingo evaluates;
 *  - stored:  JSON text in SQLite. JSON has no Date, so a Date is stored as a *tagged string*
 *             `"\u0001D" + 17 zero-padded digits of (ms + 8.64e15)`: lossless, and — being fixed-width — it sorts
 *             and range-compares correctly inside SQLite's expression indexes. Other non-JSON values (ObjectId,
 *             Decimal128, NaN, …) are kept as `"\u0001E" + canonical EJSON`, RegExps as `"\u0001R" + JSON`,
 *             and a user string that itself starts with U+0001 is escaped as `"\u0001S" + string`.
 */

import { createRequire } from 'module';

/** The SDK's own bson (resolved next to @cloudbase/database, so answers are parsed by the same EJSON). */
const nodeRequire = createRequire(__filename);
const bson: any = nodeRequire(nodeRequire.resolve('bson', { paths: [nodeRequire.resolve('@cloudbase/database')] }));
export const EJSON: { stringify(v: any, o?: any): string; parse(s: string, o?: any): any; deserialize(v: any, o?: any): any } =
  bson.EJSON;

const TAG = '\u0001';
const DATE_OFFSET = 8.64e15; // the Date range is ±8.64e15 ms, so ms + offset is never negative
const EJSON_TYPE_KEYS = new Set([
  '$oid', '$binary', '$numberDecimal', '$timestamp', '$uuid', '$minKey', '$maxKey', '$symbol', '$code', '$dbPointer', '$undefined',
]);

/** Mongo/JS regex flags: JS has no `x`; `g`/`y` make RegExp.test stateful, so they are dropped. */
export function toRegExp(pattern: string, options = ''): RegExp {
  return new RegExp(pattern, [...new Set(options)].filter((f) => 'imsu'.includes(f)).join(''));
}

/**
 * Wire EJSON (already JSON-parsed or still a string) → native values.
 * `$tcb_server_date` becomes the server's current time (+offset), which is what `db.serverDate()` means.
 */
export function fromWire(v: any, now = Date.now()): any {
  if (typeof v === 'string') return reviveWire(JSON.parse(v), now);
  return reviveWire(v, now);
}

function reviveWire(v: any, now: number): any {
  if (Array.isArray(v)) return v.map((x) => reviveWire(x, now));
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const k = keys[0];
    const x = v[k];
    switch (k) {
      case '$numberInt':
      case '$numberDouble':
      case '$numberLong': // like the SDK's relaxed EJSON.parse: a JS number (precision beyond 2^53 is lost)
        return Number(x);
      case '$date':
        if (x && typeof x === 'object' && '$numberLong' in x) return new Date(Number(x.$numberLong));
        if (x && typeof x === 'object' && 'offset' in x) return new Date(now + Number(reviveWire(x.offset, now)));
        return new Date(x);
      case '$regularExpression':
        return toRegExp(String(x.pattern), String(x.options ?? ''));
      case '$tcb_server_date':
        return new Date(now + Number(reviveWire(x?.offset ?? 0, now)));
      default:
        if (EJSON_TYPE_KEYS.has(k)) return EJSON.deserialize(v, { relaxed: true });
    }
  }
  const out: any = {};
  for (const k of keys) out[k] = reviveWire(v[k], now);
  return out;
}

/** Native document → the EJSON string the SDK parses (Dates come back as Date objects). */
export function toWire(doc: any): string {
  return EJSON.stringify(doc, { relaxed: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Stored form

function padDate(ms: number): string {
  return String(ms + DATE_OFFSET).padStart(17, '0');
}

/** A native scalar as SQLite sees it through json_extract (used for query parameters and multikey rows). */
export function sqlValue(v: any): any {
  if (v instanceof Date) return TAG + 'D' + padDate(v.getTime());
  if (typeof v === 'string') return v.startsWith(TAG) ? TAG + 'S' + v : v;
  if (typeof v === 'boolean') return v ? 1 : 0; // json_extract returns 1/0 for true/false
  return v;
}

/** Tagged-string bounds (TEXT compares bytewise): every Date tag lies in [DATE_LO, DATE_HI). */
export const DATE_LO = TAG + 'D';
export const DATE_HI = TAG + 'E';
/** Smallest stored string that is a real string (escaped U+0001 strings start with "\u0001S"). */
export const STRING_LO = TAG + 'S';

function encodeStored(v: any): any {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : TAG + 'E' + EJSON.stringify(v, { relaxed: false });
  if (typeof v === 'string') return v.startsWith(TAG) ? TAG + 'S' + v : v;
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? null : TAG + 'D' + padDate(v.getTime());
  }
  if (v instanceof RegExp) return TAG + 'R' + JSON.stringify([v.source, v.flags]);
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : encodeStored(x)));
  if (typeof v === 'object') {
    if (v._bsontype) return TAG + 'E' + EJSON.stringify(v, { relaxed: false });
    const out: any = {};
    for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = encodeStored(v[k]);
    return out;
  }
  return null; // functions, symbols, undefined: not storable (the SDK drops them before sending anyway)
}

export function toStored(doc: any): string {
  return JSON.stringify(encodeStored(doc));
}

function decodeTag(s: string): any {
  switch (s[1]) {
    case 'D':
      return new Date(Number(s.slice(2)) - DATE_OFFSET);
    case 'S':
      return s.slice(2);
    case 'R': {
      const [src, flags] = JSON.parse(s.slice(2));
      return new RegExp(src, flags);
    }
    case 'E':
      return EJSON.parse(s.slice(2), { relaxed: true });
    default:
      return s;
  }
}

function revive(_k: string, v: any): any {
  return typeof v === 'string' && v.charCodeAt(0) === 1 ? decodeTag(v) : v;
}

export function fromStored(text: string): any {
  // JSON.stringify writes U+0001 as the escape "\u0001"; without it no reviver (the slow path) is needed.
  return text.includes('\\u0001') ? JSON.parse(text, revive) : JSON.parse(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Value classes of an indexed path, tracked per collection so the planner knows when SQL semantics equal Mongo's.

export const T = { NUM: 1, STR: 2, DATE: 4, BOOL: 8, NULL: 16, ARR: 32, OBJ: 64, OTHER: 128 } as const;

export function classOf(v: any): number {
  if (v === undefined) return 0;
  if (v === null) return T.NULL;
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? T.NUM : T.OTHER;
    case 'string':
      return T.STR;
    case 'boolean':
      return T.BOOL;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? T.NULL : T.DATE;
  if (Array.isArray(v)) return T.ARR;
  if (isPlainObject(v)) return T.OBJ;
  return T.OTHER;
}

export function isPlainObject(v: any): boolean {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Classes met along a dotted path: an array anywhere on the way counts as ARR (json_extract can't see into it). */
export function pathClass(doc: any, parts: string[]): number {
  let cur = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(cur)) return T.ARR;
    if (cur === null || typeof cur !== 'object' || cur instanceof Date) return 0;
    cur = cur[parts[i]];
  }
  return classOf(cur);
}

/** Mongo-style values reachable at a path, descending into arrays (the keys of a multikey index). */
export function multikeyValues(doc: any, parts: string[], out: any[] = []): any[] {
  if (parts.length === 0) {
    if (Array.isArray(doc)) for (const x of doc) out.push(x);
    else out.push(doc);
    return out;
  }
  if (Array.isArray(doc)) {
    for (const x of doc) if (x && typeof x === 'object') multikeyValues(x, parts, out);
    return out;
  }
  if (doc === null || typeof doc !== 'object') return out;
  const next = doc[parts[0]];
  if (next === undefined) return out;
  return multikeyValues(next, parts.slice(1), out);
}

/** Plain (non-array-traversing) value at a dotted path. */
export function getPath(doc: any, parts: string[]): any {
  let cur = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[p];
  }
  return cur;
}
