/**
 * A small input validator for action payloads: each action declares the shape it accepts, and the
 * router refuses anything else with INVALID_INPUT and per-field Chinese messages — before any
 * handler runs, so bad input changes nothing.
 */
import { AppError } from '../../miniprogram/shared/errors';

export type FieldErrors = Record<string, string>;
export type Check<T> = (value: unknown, path: string, errors: FieldErrors) => T;
export type Infer<C> = C extends Check<infer T> ? T : never;

const OPTIONAL = Symbol('optional');
type OptionalCheck<T> = Check<T | undefined> & { [OPTIONAL]: true };

export const v = {
  string(opts: { min?: number; max?: number; pattern?: RegExp; label?: string } = {}): Check<string> {
    const { min = 1, max = 200, pattern, label = '该项' } = opts;
    return (value, path, errors) => {
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
    };
  },
  oneOf<T extends string>(values: readonly T[], label = '该项'): Check<T> {
    return (value, path, errors) => {
      if (!values.includes(value as T)) errors[path] = `${label}的取值不正确`;
      return value as T;
    };
  },
  int(opts: { min?: number; max?: number; label?: string } = {}): Check<number> {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, label = '该项' } = opts;
    return (value, path, errors) => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
        errors[path] = `${label}应为${min}到${max}之间的整数`;
      return value as number;
    };
  },
  list<T>(item: Check<T>, opts: { min?: number; max?: number; label?: string } = {}): Check<T[]> {
    const { min = 0, max = 100, label = '该项' } = opts;
    return (value, path, errors) => {
      if (!Array.isArray(value)) {
        errors[path] = `${label}应为列表`;
        return [];
      }
      if (value.length < min) errors[path] = `请至少选择${min}项${label}`;
      else if (value.length > max) errors[path] = `${label}最多${max}项`;
      return value.map((x, i) => item(x, `${path}.${i}`, errors));
    };
  },
  /** Any JSON object, checked later by domain code (e.g. a profile, which has its own rules). */
  record(label = '该项'): Check<Record<string, unknown>> {
    return (value, path, errors) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) errors[path] = `${label}应为对象`;
      return (value || {}) as Record<string, unknown>;
    };
  },
  optional<T>(check: Check<T>): OptionalCheck<T> {
    const c = ((value: unknown, path: string, errors: FieldErrors) =>
      value === undefined || value === null || value === ''
        ? undefined
        : check(value, path, errors)) as OptionalCheck<T>;
    c[OPTIONAL] = true;
    return c;
  },
  object<S extends Record<string, Check<unknown>>>(shape: S): Check<{ [K in keyof S]: Infer<S[K]> }> {
    return (value, path, errors) => {
      const out: Record<string, unknown> = {};
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        errors[path || '_'] = '请求格式不正确';
        return out as { [K in keyof S]: Infer<S[K]> };
      }
      const input = value as Record<string, unknown>;
      for (const k of Object.keys(shape)) {
        const r = shape[k](input[k], path ? `${path}.${k}` : k, errors);
        if (r !== undefined) out[k] = r;
      }
      return out as { [K in keyof S]: Infer<S[K]> };
    };
  },
};

/** Run a check; throw INVALID_INPUT with every field problem, or return the cleaned value. */
export function parse<T>(check: Check<T>, input: unknown): T {
  const errors: FieldErrors = {};
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
