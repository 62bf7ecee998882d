/**
 * WeChat subscribe messages behind one small interface (WeChat's own service: it cannot run here).
 * Production: `subscribeMessage.send` (listed in the functions' config.json open-API permissions).
 * Locally: nothing leaves the machine — the message stays in the outbox marked `kept`, where the
 * tests and the local server can read it.
 *
 * Which template a message uses, and which of its keys carries what, is configuration (issue 10):
 * the `config` collection's `templates` document (or MSP_TPL_* for the ids alone) maps each message
 * kind to `{ id, fields: { <template key>: <part> } }`, so an association that applied for
 * different templates changes them without code. Values are cut to each key type's limit.
 */
import type { Database } from './cloud';
import { initCloud } from './cloud';
import { C } from './schema';

/** The templates the mini-program asks the user to accept (at most 3 per request, after a tap). */
export const TEMPLATES = ['review-result', 'bill-due', 'code-confirmed'] as const;
export type TemplateKey = (typeof TEMPLATES)[number];

/** What a notice can put into a template. */
export type Part = 'title' | 'body' | 'time';
export type Parts = Partial<Record<Part, string>>;

export interface TemplateConfig {
  /** The template id the association applied for (empty: the message stays in-app). */
  id: string;
  /** Template key (thing1, time3, character_string2 …) → the part it shows. */
  fields: Record<string, Part>;
}

/** Our default layout: 标题 (thing1), 内容 (thing2), 时间 (time3). */
const DEFAULT_FIELDS: Record<string, Part> = { thing1: 'title', thing2: 'body', time3: 'time' };

const envId = (key: TemplateKey) => process.env[`MSP_TPL_${key.replace(/-/g, '_').toUpperCase()}`] || '';

/** The templates in force: the stored document over the defaults (ids from MSP_TPL_* by default). */
export async function loadTemplates(db: Database): Promise<Record<TemplateKey, TemplateConfig>> {
  let stored: Partial<Record<TemplateKey, Partial<TemplateConfig>>> = {};
  try {
    stored = ((await db.collection(C.config).doc('templates').get()).data || {}) as typeof stored;
  } catch {
    stored = {};
  }
  const out = {} as Record<TemplateKey, TemplateConfig>;
  for (const key of TEMPLATES) {
    const s = stored[key] || {};
    out[key] = {
      id: typeof s.id === 'string' ? s.id : envId(key),
      fields: s.fields && typeof s.fields === 'object' ? (s.fields as Record<string, Part>) : DEFAULT_FIELDS,
    };
  }
  return out;
}

const chars = (s: string) => Array.from(s || '');
const cutTo = (s: string, n: number) => {
  const c = chars(s);
  return c.length > n ? c.slice(0, n - 1).join('') + '…' : c.join('');
};

/**
 * A value as a template key of this type takes it (shared/NOTES.md): thing ≤20 characters,
 * character_string / number / letter / symbol ≤32, name ≤10, phrase ≤5, amount ≤10 digits (with
 * 元), time / date as 2019年10月1日 15:01. Unknown types pass at most 20 characters.
 */
export function fitValue(templateKey: string, value: string): string {
  const type = templateKey.replace(/\d+$/, '');
  const v = String(value ?? '').trim() || '-';
  switch (type) {
    case 'thing':
      return cutTo(v, 20);
    case 'character_string':
    case 'letter':
    case 'symbol':
      return chars(v).filter((c) => /[\x21-\x7e]/.test(c)).join('').slice(0, 32) || '-';
    case 'number':
      return v.replace(/[^\d.]/g, '').slice(0, 32) || '0';
    case 'name':
      return cutTo(v, 10);
    case 'phrase':
      return chars(v).slice(0, 5).join('');
    case 'amount': {
      const n = v.replace(/[^\d.]/g, '').slice(0, 10) || '0';
      return `${n}元`;
    }
    case 'time':
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(v);
      if (!m) return cutTo(v, 20);
      const day = `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
      return type === 'date' || !m[4] ? day : `${day} ${m[4]}:${m[5]}`;
    }
    default:
      return cutTo(v, 20);
  }
}

/** The `data` of a subscribe message: each configured key with its part, fitted to its type. */
export function fill(cfg: TemplateConfig, parts: Parts): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(cfg.fields).map(([k, part]) => [k, { value: fitValue(k, parts[part] || '') }]));
}

export interface Messenger {
  send(openid: string, templateId: string, data: Record<string, { value: string }>, page: string): Promise<'sent' | 'kept'>;
}

/** `thing` fields hold at most 20 characters; longer text is cut with an ellipsis. */
export function thing(text: string): { value: string } {
  return { value: fitValue('thing', text) };
}

export const messenger: Messenger = {
  async send(openid, templateId, data, page) {
    if (process.env.MSP_LOCAL_SERVICE_URL || !templateId) return 'kept';
    const openapi = (initCloud() as unknown as { openapi: { subscribeMessage: { send(o: object): Promise<unknown> } } })
      .openapi;
    await openapi.subscribeMessage.send({ touser: openid, templateId, page, data, miniprogramState: 'formal' });
    return 'sent';
  },
};
