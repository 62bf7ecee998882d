/**
 * Where a scanned code comes from (SPEC §3.4; NOTES "Mini-program codes"):
 * - `wx.scanCode` → `result` (a plain-URL QR or the raw token) or `path` for this mini-program's own codes;
 * - a mini-program code opened by WeChat → `query.scene` (decodeURIComponent);
 * - a plain-URL QR opened by WeChat → `query.q`, the URL whose `code` parameter holds the token;
 * - our own navigation → `query.code`.
 */

/** Parse `a=1&b=2` (with or without a leading `?`/path) into a map; values decoded. */
export function parseQuery(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const q = s.indexOf('?') >= 0 ? s.slice(s.indexOf('?') + 1) : s;
  for (const part of q.split('#')[0].split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq >= 0 ? part.slice(0, eq) : part;
    const value = eq >= 0 ? part.slice(eq + 1) : '';
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch (e) {
      out[key] = value;
    }
  }
  return out;
}

/** decodeURIComponent that leaves a malformed string as it is. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return s;
  }
}

/** A URL (http…) carries the token in its `code` (or `scene`) parameter; anything else is the token itself. */
export function codeFromText(text: string): string {
  const t = String(text || '').trim();
  if (!t) return '';
  if (/^https?:\/\//i.test(t) || (t.indexOf('?') >= 0 && /[?&](code|scene)=/.test(t))) {
    const q = parseQuery(t);
    return (q.code || q.scene || '').trim();
  }
  return t;
}

/** The token from a page's launch query, or '' when the page was opened without one. */
export function codeFromQuery(query: Record<string, string | undefined>): string {
  if (query.code) return safeDecode(query.code).trim();
  if (query.scene) return safeDecode(query.scene).trim();
  if (query.q) return codeFromText(safeDecode(query.q));
  return '';
}

/** The token from a `wx.scanCode` result. */
export function codeFromScan(res: { result?: string; path?: string }): string {
  if (res.path) {
    const q = parseQuery(res.path);
    if (q.scene || q.code || q.q) return codeFromQuery(q);
  }
  return codeFromText(res.result || '');
}
