/**
 * A small input validator for action payloads: each action declares the shape it accepts, and the
 * router refuses anything else with INVALID_INPUT and per-field Chinese messages — before any
 * handler runs, so bad input changes nothing.
 *
 * Strict by construction (issue 9): every object refuses keys it does not declare, operator keys
 * (`$…`) and prototype keys (`__proto__`, `constructor`, `prototype`) at any depth; every string is
 * typed and capped, every enum checked, every list bounded. Each check carries a `spec` that says
 * what it accepts, so a property-based test can walk every action's input.
 */
import { AppError } from '../../miniprogram/shared/errors';

export type FieldErrors = Record<string, string>;

/** What a check accepts, readable by tests (fuzzing every action's schema). */
export type Spec =
  | { kind: 'string'; min: number; max: number; pattern?: RegExp }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'list'; item: Spec; min: number; max: number }
  | { kind: 'object'; shape: Record<string, Spec> }
  | { kind: 'optional'; inner: Spec };

export type Check<T> = ((value: unknown, path: string, errors: FieldErrors) => T) & { spec?: Spec };
export type Infer<C> = C extends Check<infer T> ? T : never;

const OPTIONAL = Symbol('optional');
type OptionalCheck<T> = Check<T | undefined> & { [OPTIONAL]: true };

/** Keys no payload may carry at any depth: query operators and prototype pollution. */
export function forbiddenKey(k: string): boolean {
  return k.startsWith('$') || k === '__proto__' || k === 'constructor' || k === 'prototype';
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Attach a spec to a check (also for custom checks built on top of `v`). */
export function withSpec<T>(check: (value: unknown, path: string, errors: FieldErrors) => T, spec: Spec): Check<T> {
  return Object.assign(check, { spec });
}

const at = (path: string, k: string | number) => (path ? `${path}.${k}` : String(k));

export const v = {
  string(opts: { min?: number; max?: number; pattern?: RegExp; label?: string } = {}): Check<string> {
    const { min = 1, max = 200, pattern, label = '该项' } = opts;
    return withSpec(
      (value, path, errors) => {
        if (typeof value !== 'string') {
          errors[path] = `${label}应为文本`;
          return '';
        }
        const s = value.trim();
        const len = Array.from(s).length;
        if (len < min) errors[path] = min <= 1 ? `请填写${label}` : `${label}至少${min}个字`;
        else if (len > max) errors[path] = `${label}不能超过${max}个字`;
        else if (pattern && !pattern.test(s)) errors[path] = `${label}格式不正确`;
        return s;
      },
      { kind: 'string', min, max, ...(pattern ? { pattern } : {}) },
    );
  },
  oneOf<T extends string>(values: readonly T[], label = '该项'): Check<T> {
    return withSpec(
      (value, path, errors) => {
        if (typeof value !== 'string' || !values.includes(value as T)) errors[path] = `${label}的取值不正确`;
        return value as T;
      },
      { kind: 'oneOf', values },
    );
  },
  int(opts: { min?: number; max?: number; label?: string } = {}): Check<number> {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, label = '该项' } = opts;
    return withSpec(
      (value, path, errors) => {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
          errors[path] = `${label}应为${min}到${max}之间的整数`;
        return value as number;
      },
      { kind: 'int', min, max },
    );
  },
  bool(label = '该项'): Check<boolean> {
    return withSpec(
      (value, path, errors) => {
        if (typeof value !== 'boolean') errors[path] = `${label}应为是或否`;
        return value as boolean;
      },
      { kind: 'bool' },
    );
  },
  list<T>(item: Check<T>, opts: { min?: number; max?: number; label?: string } = {}): Check<T[]> {
    const { min = 0, max = 100, label = '该项' } = opts;
    return withSpec(
      (value, path, errors) => {
        if (!Array.isArray(value)) {
          errors[path] = `${label}应为列表`;
          return [];
        }
        if (value.length < min) errors[path] = `请至少选择${min}项${label}`;
        else if (value.length > max) {
          errors[path] = `${label}最多${max}项`;
          return [];
        }
        return value.map((x, i) => item(x, at(path, i), errors));
      },
      { kind: 'list', item: specOf(item), min, max },
    );
  },
  optional<T>(check: Check<T>): OptionalCheck<T> {
    const c = withSpec(
      (value: unknown, path: string, errors: FieldErrors) =>
        value === undefined || value === null || value === '' ? undefined : check(value, path, errors),
      { kind: 'optional', inner: specOf(check) },
    ) as OptionalCheck<T>;
    c[OPTIONAL] = true;
    return c;
  },
  /** A closed object: exactly the declared keys (each checked), nothing else. */
  object<S extends Record<string, Check<unknown>>>(shape: S): Check<{ [K in keyof S]: Infer<S[K]> }> {
    return withSpec(
      (value, path, errors) => {
        const out: Record<string, unknown> = {};
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          errors[path || '_'] = '请求格式不正确';
          return out as { [K in keyof S]: Infer<S[K]> };
        }
        const input = value as Record<string, unknown>;
        for (const k of Object.keys(input)) {
          if (forbiddenKey(k)) errors[at(path, k)] = '请求中含有不允许的字段名';
          else if (!own(shape, k)) errors[at(path, k)] = `不支持的字段：${k}`;
        }
        for (const k of Object.keys(shape)) {
          const r = shape[k](own(input, k) ? input[k] : undefined, at(path, k), errors);
          if (r !== undefined) out[k] = r;
        }
        return out as { [K in keyof S]: Infer<S[K]> };
      },
      { kind: 'object', shape: Object.fromEntries(Object.entries(shape).map(([k, c]) => [k, specOf(c)])) },
    );
  },
};

/** The spec a check declares; a check without one is a programming error caught at start-up. */
export function specOf(check: Check<unknown>): Spec {
  if (!check.spec) throw new Error('validate: a check without a spec (build custom checks with withSpec)');
  return check.spec;
}

/** Run a check; throw INVALID_INPUT with every field problem, or return the cleaned value. */
export function parse<T>(check: Check<T>, input: unknown): T {
  // No prototype: a field named "__proto__" becomes an error entry like any other (on a plain
  // object, assigning it would silently change the prototype and lose the error).
  const errors: FieldErrors = Object.create(null);
  const out = check(input, '', errors);
  if (Object.keys(errors).length) {
    throw new AppError('INVALID_INPUT', Object.values(errors)[0], errors);
  }
  return out;
}

/** Throw INVALID_INPUT when domain validation found problems. */
export function failOn(errors: FieldErrors): void {
  const keys = Object.keys(errors);
  if (keys.length) throw new AppError('INVALID_INPUT', errors[keys[0]], errors);
}

/** A document id as the SDK generates them, or our own readable ids (`unit-a`, `org-demo`). */
export const ID = v.string({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, label: '编号' });
/** A storage fileID (`cloud://env.bucket/path`). */
export const FILE_ID = v.string({ min: 10, max: 512, pattern: /^cloud:\/\/[^\s]+$/, label: '文件' });
/** A calendar day, YYYY-MM-DD. */
export const DAY = v.string({ min: 10, max: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, label: '日期' });

/** A literal inside a database RegExp (name prefix searches). */
export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
