/**
 * WeChat subscribe messages behind one small interface (WeChat's own service: it cannot run here).
 * Production: `subscribeMessage.send` (listed in the function's config.json open-API permissions).
 * Locally: nothing leaves the machine — the message stays in the outbox marked `kept`, where the
 * tests and the local server can read it.
 */
import { initCloud } from './cloud';

/** The templates the mini-program asks the user to accept (at most 3 per request, after a tap). */
export const TEMPLATES = ['review-result', 'bill-due', 'code-confirmed'] as const;
export type TemplateKey = (typeof TEMPLATES)[number];

export interface Messenger {
  send(
    openid: string,
    template: TemplateKey,
    data: Record<string, { value: string }>,
    page: string,
  ): Promise<'sent' | 'kept'>;
}

/** `thing` fields hold at most 20 characters; longer text is cut with an ellipsis. */
export function thing(text: string): { value: string } {
  const chars = Array.from(text || '-');
  return { value: chars.length > 20 ? chars.slice(0, 19).join('') + '…' : chars.join('') };
}

const templateId = (key: TemplateKey) => process.env[`MSP_TPL_${key.replace(/-/g, '_').toUpperCase()}`] || '';

export const messenger: Messenger = {
  async send(openid, template, data, page) {
    const id = templateId(template);
    if (process.env.MSP_LOCAL_SERVICE_URL || !id) return 'kept';
    const openapi = (initCloud() as unknown as { openapi: { subscribeMessage: { send(o: object): Promise<unknown> } } })
      .openapi;
    await openapi.subscribeMessage.send({ touser: openid, templateId: id, page, data, miniprogramState: 'formal' });
    return 'sent';
  },
};
