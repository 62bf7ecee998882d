/**
 * The small typed router every cloud function uses (STYLE §4): identity from the WeChat context →
 * role check → input validation → handler → `{ ok, data | error }` envelope.
 */
import type { Envelope, Role } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { shanghaiDay } from '../../miniprogram/shared/dates';
import { callerOpenid, database, Database } from './cloud';
import { loadRoles, RoleGrant } from './roles';
import { Check, parse } from './validate';

export interface Ctx {
  /** OPENID from the WeChat context; '' when the platform gave none. */
  openid: string;
  roles: RoleGrant[];
  db: Database;
  now: Date;
  /** Today in Asia/Shanghai, YYYY-MM-DD. */
  today: string;
}

export interface ActionDef<I = unknown, O = unknown> {
  input: Check<I>;
  /** 'anyone': no identity needed; 'user': any WeChat user; Role[]: must hold one of these roles. */
  auth: 'anyone' | 'user' | Role[];
  handler(input: I, ctx: Ctx): Promise<O>;
}

/**
 * Declare an action: `action(inputCheck, { auth, handler })`. The check comes first, as its own
 * argument, so TypeScript infers the handler's input from it; inside one object literal an inline
 * `v.object({...})` is inferred against the contextual `Check<I>` and leaves the input `unknown`.
 */
export function action<I, O>(input: Check<I>, def: Omit<ActionDef<I, O>, 'input'>): ActionDef<I, O>;
/** @deprecated the single-object form types `input` as unknown when the check is inline. */
export function action<I, O>(def: ActionDef<I, O>): ActionDef<I, O>;
export function action<I, O>(a: Check<I> | ActionDef<I, O>, b?: Omit<ActionDef<I, O>, 'input'>): ActionDef<I, O> {
  return typeof a === 'function' ? { ...(b as Omit<ActionDef<I, O>, 'input'>), input: a } : a;
}

/**
 * What a function does around every invocation, supplied by the domain layer (the router knows no
 * domain): `before` runs first (e.g. forget an earlier invocation's undelivered messages), `after`
 * runs once the handler's changes are committed (e.g. send the subscribe messages they owe).
 */
export interface Hooks {
  before?: () => void;
  after?: (db: Database) => Promise<void>;
}

export function createMain(actions: Record<string, ActionDef<any, any>>, hooks: Hooks = {}) {
  const main = async function main(event: unknown): Promise<Envelope<unknown>> {
    // Read identity first, synchronously: a cloud instance serves one request at a time and the
    // SDK reads it from this invocation's environment.
    const openid = callerOpenid();
    hooks.before?.();
    try {
      const body = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
      const name = typeof body.action === 'string' ? body.action : '';
      const def = Object.prototype.hasOwnProperty.call(actions, name) ? actions[name] : undefined;
      if (!def) throw new AppError('INVALID_INPUT', `不支持的操作：${name || '(空)'}`);
      if (def.auth !== 'anyone' && !openid) throw new AppError('UNAUTHENTICATED');
      const db = database();
      const roles = openid && def.auth !== 'anyone' ? await loadRoles(db, openid) : [];
      if (Array.isArray(def.auth) && !roles.some((r) => (def.auth as Role[]).includes(r.role))) {
        throw new AppError('FORBIDDEN');
      }
      // Own keys copied one by one: a transpiled `...rest` assigns, and assigning "__proto__" would
      // set the prototype instead of keeping the key for the schema to refuse.
      const payload: Record<string, unknown> = {};
      for (const k of Object.keys(body))
        if (k !== 'action') Object.defineProperty(payload, k, { value: body[k], enumerable: true, configurable: true, writable: true });
      const input = parse(def.input, payload);
      const now = new Date();
      const data = await def.handler(input, { openid, roles, db, now, today: shanghaiDay(now) });
      // After-commit work (never undoes the action).
      if (hooks.after) await hooks.after(db);
      return { ok: true, data };
    } catch (e) {
      return { ok: false, error: toApiError(e).toJSON() };
    }
  };
  // The action table, for tests that walk every action's input schema.
  return Object.assign(main, { actions });
}

/** Known failures keep their code; SDK errors with CloudBase codes map to ours; the rest is INTERNAL. */
export function toApiError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  // CloudBase reports a unique-index violation as MongoDB's E11000 under the generic -502001
  // (DATABASE_REQUEST_FAILED), so the message, not the code, tells a duplicate from other failures.
  const message = String((e as { message?: string })?.message || (e as { errMsg?: string })?.errMsg || '');
  if (/E11000|duplicate key/i.test(message)) return new AppError('DUPLICATE');
  // Unknown failures are logged with their detail for the operator, answered without it.
  console.error('[internal]', e);
  return new AppError('INTERNAL');
}
