/** Small display helpers shared by the pages: times, errors, field-error keys. */
import { AppError, ERROR_MESSAGES } from '../shared/errors';
import { shanghaiIso } from '../shared/dates';

/** An API instant as `YYYY-MM-DD HH:mm` in Asia/Shanghai; '' when missing. */
export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  return shanghaiIso(ms).slice(0, 16).replace('T', ' ');
}

/** An API instant or day as `YYYY-MM-DD`. */
export function formatDay(iso: string | undefined | null): string {
  return formatTime(iso).slice(0, 10);
}

/** The Chinese sentence to show for any failure (AppError from request.ts or anything else). */
export function errorText(e: unknown): string {
  if (e instanceof AppError) return e.message || ERROR_MESSAGES[e.code];
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return String((e as AppError).message);
  return ERROR_MESSAGES.INTERNAL;
}

/** The stable code of a failure, or INTERNAL. */
export function errorCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e) return String((e as AppError).code);
  return 'INTERNAL';
}

/** Per-field errors of the API (`education.school`, `files.photo`) → WXML-safe keys (`education_school`). */
export function flattenErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fields) return out;
  for (const key of Object.keys(fields)) out[key.replace(/[.[\]]+/g, '_').replace(/_$/, '')] = fields[key];
  return out;
}

/** Keep only the errors of fields the user has touched (live feedback without a wall of red). */
export function pickErrors(errors: Record<string, string>, touched: Record<string, boolean>, all: boolean): Record<string, string> {
  if (all) return errors;
  const out: Record<string, string> = {};
  for (const key of Object.keys(errors)) if (touched[key]) out[key] = errors[key];
  return out;
}

/** `{ a: 1, b: undefined }` → `a=1`, for navigateTo URLs. */
export function toQuery(params: Record<string, string | number | undefined>): string {
  return Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== '')
    .map((k) => `${k}=${encodeURIComponent(String(params[k]))}`)
    .join('&');
}

/** Show a short message (WeChat toast; long texts wrap in the `none` style). */
export function toast(title: string, icon: 'success' | 'none' | 'error' = 'none'): void {
  wx.showToast({ title, icon, duration: 2000 });
}
