/**
 * Turns a Mongo filter into a SQL condition over a collection table, so SQLite's expression indexes narrow the
 * candidates before mingo applies the exact semantics.
 *
 * The SQL condition is always a *superset* of the Mongo matches (correctness never depends on it). It is also
 * flagged `exact` when SQL semantics provably equal Mongo's for this data: only then are COUNT and LIMIT/OFFSET
 * pushed into SQL without a mingo pass. Exactness is decided from the value classes each indexed path has ever held
 * (see codec `T`): e.g. `{a: 5}` is exact in SQL only if `a` never held an array (Mongo would match an element),
 * an object, or a boolean (json_extract returns true as 1).
 */
import { DATE_HI, DATE_LO, STRING_LO, T, isPlainObject, sqlValue } from './codec';

export interface PathInfo {
  path: string;
  parts: string[];
  /** SQL expression, textually identical to the one in CREATE INDEX so SQLite uses the index. */
  expr: string;
  /** Union of value classes ever stored at this path (T bits); never shrinks. */
  mask: number;
  /** Leading field of some declared index: it has multikey rows for array values and serves queries. */
  leading: boolean;
  /** Direction of this field in the first index that declares it. */
  dir: 1 | -1;
}

export interface PlanTarget {
  paths: Map<string, PathInfo>;
  /** Quoted multikey table: (path, k, rid) rows for array values under leading paths. */
  mkTable: string;
}

export interface Plan {
  where: string;
  params: any[];
  /** SQL condition ≡ Mongo filter on this data. */
  exact: boolean;
  /** Some condition is answered by an index's leading field (or _id): production would not scan. */
  served: boolean;
}

const ID_PATH: PathInfo = { path: '_id', parts: ['_id'], expr: 'id', mask: T.STR | T.NUM, leading: true, dir: 1 };
const NONE: Plan = { where: '1', params: [], exact: false, served: false };

export function jsonPath(parts: string[]): string {
  return '$' + parts.map((p) => `."${p}"`).join('');
}

export function pathExpr(path: string): string {
  const parts = path.split('.');
  if (parts.some((p) => !p || /["'\\\u0000-\u001f]/.test(p))) throw new Error(`unsupported index path: ${path}`);
  return `json_extract(doc, '${jsonPath(parts)}')`;
}

export function planFilter(t: PlanTarget, filter: any): Plan {
  if (!isPlainObject(filter)) return { ...NONE };
  return planAnd(t, filter);
}

function planAnd(t: PlanTarget, filter: any): Plan {
  const where: string[] = [];
  const params: any[] = [];
  let exact = true;
  let served = false;
  for (const key of Object.keys(filter)) {
    const v = filter[key];
    let p: Plan | null;
    if (key === '$and') p = Array.isArray(v) ? combineAnd(v.map((f) => planFilter(t, f))) : null;
    else if (key === '$or') p = Array.isArray(v) ? planOr(v.map((f) => planFilter(t, f))) : null;
    else if (key.startsWith('$')) p = null; // $nor, $expr, $where, …: mingo only
    else p = planField(t, key, v);
    if (!p) {
      exact = false;
      continue;
    }
    if (p.where !== '1') {
      where.push(p.where);
      params.push(...p.params);
    }
    exact &&= p.exact;
    served ||= p.served;
  }
  return { where: where.length ? where.join(' AND ') : '1', params, exact, served };
}

function combineAnd(ps: Plan[]): Plan {
  const parts = ps.filter((p) => p.where !== '1');
  return {
    where: parts.length ? parts.map((p) => `(${p.where})`).join(' AND ') : '1',
    params: parts.flatMap((p) => p.params),
    exact: ps.every((p) => p.exact),
    served: ps.some((p) => p.served),
  };
}

function planOr(ps: Plan[]): Plan | null {
  // One branch SQL can't narrow makes the whole disjunction un-narrowable (and unserved, as in Mongo).
  if (ps.length === 0 || ps.some((p) => p.where === '1')) return null;
  return {
    where: '(' + ps.map((p) => `(${p.where})`).join(' OR ') + ')',
    params: ps.flatMap((p) => p.params),
    exact: ps.every((p) => p.exact),
    served: ps.every((p) => p.served),
  };
}

interface Cond {
  sql: string;
  params: any[];
  exact: boolean;
}

function isOperatorObject(v: any): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

function isScalar(v: any): boolean {
  return (
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ||
    (v instanceof Date && !Number.isNaN(v.getTime()))
  );
}

function planField(t: PlanTarget, path: string, v: any): Plan | null {
  const info = path === '_id' ? ID_PATH : t.paths.get(path);
  if (!info) return null;
  const ops: Record<string, any> = isOperatorObject(v) ? v : v instanceof RegExp ? { $regex: v } : { $eq: v };
  const conds: Cond[] = [];
  let exact = true;
  for (const op of Object.keys(ops)) {
    const arg = ops[op];
    let c: Cond | null = null;
    switch (op) {
      case '$eq':
        c = inCond(t, info, [arg]);
        break;
      case '$in':
        c = Array.isArray(arg) ? inCond(t, info, arg) : null;
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        c = rangeCond(t, info, op, arg);
        break;
      case '$regex':
        c = 'options' in ops || '$options' in ops ? null : prefixCond(info, arg);
        break;
    }
    if (!c) {
      exact = false;
      continue;
    }
    conds.push(c);
    exact &&= c.exact;
  }
  if (!conds.length) return null;
  return {
    where: conds.map((c) => c.sql).join(' AND '),
    params: conds.flatMap((c) => c.params),
    exact,
    served: info.leading,
  };
}

/** True when SQL comparison of stored values with `v` behaves exactly as Mongo's for this path's classes. */
function exactFor(mask: number, v: any): boolean {
  if (mask & (T.ARR | T.OBJ | T.OTHER)) return false;
  if (typeof v === 'number' && mask & T.BOOL) return false;
  if (typeof v === 'boolean' && mask & T.NUM) return false;
  return true;
}

/** Rows whose array at `path` holds a key satisfying `kCond` (a condition on column k). */
function mkBranch(t: PlanTarget, info: PathInfo, kCond: string): string {
  return `rowid IN (SELECT rid FROM ${t.mkTable} WHERE path = ? AND ${kCond})`;
}

function inCond(t: PlanTarget, info: PathInfo, values: any[]): Cond | null {
  const hasNull = values.some((x) => x === null);
  const scalars = values.filter((x) => x !== null);
  if (!scalars.every(isScalar)) return null; // regexes, objects, arrays: mingo only
  const ph = scalars.map(() => '?').join(', ');
  const sv = scalars.map(sqlValue);
  if (info.mask & T.ARR) {
    // Mongo matches array elements too; only leading paths keep multikey rows to find them.
    if (hasNull || !info.leading || !scalars.length) return null;
    return {
      sql: `(${info.expr} IN (${ph}) OR ${mkBranch(t, info, `k IN (${ph})`)})`,
      params: [...sv, info.path, ...sv],
      exact: false,
    };
  }
  const parts: string[] = [];
  if (hasNull) parts.push(`${info.expr} IS NULL`); // null matches missing too, as in Mongo
  if (scalars.length === 1) parts.push(`${info.expr} = ?`);
  else if (scalars.length) parts.push(`${info.expr} IN (${ph})`);
  return {
    sql: parts.length ? (parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0]) : '0',
    params: sv,
    exact: scalars.every((x) => exactFor(info.mask, x)),
  };
}

const SQL_OP: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** Mongo ranges only match values of the bound's type; SQLite orders NULL < numbers < TEXT, so bracket by type. */
function bracket(col: string, op: string, v: any): { sql: string; params: any[] } | null {
  const cmp = `${col} ${SQL_OP[op]} ?`;
  if (typeof v === 'number' && Number.isFinite(v)) {
    // numbers sort below every TEXT value (strings, date tags, JSON text of objects)
    return op === '$gt' || op === '$gte' ? { sql: `${cmp} AND ${col} < ''`, params: [v] } : { sql: cmp, params: [v] };
  }
  if (typeof v === 'string') return { sql: `${cmp} AND ${col} >= ?`, params: [sqlValue(v), STRING_LO] };
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    return { sql: `${cmp} AND ${col} >= ? AND ${col} < ?`, params: [sqlValue(v), DATE_LO, DATE_HI] };
  }
  return null;
}

function rangeCond(t: PlanTarget, info: PathInfo, op: string, v: any): Cond | null {
  const own = bracket(info.expr, op, v);
  if (!own) return null;
  if (info.mask & T.ARR) {
    if (!info.leading) return null;
    const k = bracket('k', op, v)!;
    return { sql: `(${own.sql} OR ${mkBranch(t, info, k.sql)})`, params: [...own.params, info.path, ...k.params], exact: false };
  }
  return { sql: own.sql, params: own.params, exact: exactFor(info.mask, v) };
}

/** `^literal…` without i/m flags can use an index range, as in Mongo; mingo still applies the regex. */
function prefixCond(info: PathInfo, re: any): Cond | null {
  if (!(re instanceof RegExp) || /[im]/.test(re.flags) || info.mask & T.ARR) return null;
  const m = /^\^([^.*+?()[\]{}|\\^$]+)/.exec(re.source);
  if (!m) return null;
  const lo = m[1];
  const hi = lo.slice(0, -1) + String.fromCharCode(lo.charCodeAt(lo.length - 1) + 1);
  return { sql: `${info.expr} >= ? AND ${info.expr} < ?`, params: [sqlValue(lo), sqlValue(hi)], exact: false };
}

/**
 * Direction of the rowid tie-break: an index stores (fields…, rowid ASC), so a scan in the last sort key's
 * declared direction yields rowid ascending and the reverse scan descending — ties then cost no extra sort.
 * The JS fallback sort uses the same rule, so both paths page identically.
 */
export function tieDirection(t: PlanTarget, order: [string, 1 | -1][]): 1 | -1 {
  if (!order.length) return 1;
  const [path, dir] = order[order.length - 1];
  const info = path === '_id' ? ID_PATH : t.paths.get(path);
  return dir === (info?.dir ?? 1) ? 1 : -1;
}

/**
 * ORDER BY for a sort spec, or null when SQL order would differ from Mongo's (a path that held several value
 * classes, arrays or objects). Ties break on rowid (insertion order), see tieDirection().
 */
export function planOrder(t: PlanTarget, order: [string, 1 | -1][]): string | null {
  const terms: string[] = [];
  for (const [path, dir] of order) {
    const info = path === '_id' ? ID_PATH : t.paths.get(path);
    if (!info) return null;
    const classes = info.mask & ~T.NULL;
    if (path !== '_id' && classes & (classes - 1)) return null; // more than one class
    if (classes & (T.ARR | T.OBJ | T.OTHER)) return null;
    terms.push(`${info.expr} ${dir < 0 ? 'DESC' : 'ASC'}`);
  }
  terms.push(`rowid ${tieDirection(t, order) < 0 ? 'DESC' : 'ASC'}`);
  return terms.join(', ');
}
