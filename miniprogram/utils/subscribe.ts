/**
 * Subscribe messages (SPEC §5 notices.subscribe): ask right after a tap, only for templates the
 * association configured (`config.templates`; empty ids are skipped), and tell the server which the
 * user accepted. Never throws: notices stay in-app when anything here fails.
 */
import type { SubscribeTemplate } from '../../typings/api';
import { config } from '../services/config';
import { call } from '../services/request';

export function askSubscribe(keys: SubscribeTemplate[]): Promise<void> {
  const wanted = keys.filter((k) => !!config.templates[k]);
  if (!wanted.length || typeof wx.requestSubscribeMessage !== 'function') return Promise.resolve();
  return new Promise<void>((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: wanted.map((k) => config.templates[k]),
      success: (r) => {
        const res = r as unknown as Record<string, string>;
        const accepted = wanted.filter((k) => res[config.templates[k]] === 'accept');
        if (!accepted.length) return resolve();
        call('notices', 'subscribe', { accepted }).then(
          () => resolve(),
          () => resolve(),
        );
      },
      fail: () => resolve(),
    });
  });
}
