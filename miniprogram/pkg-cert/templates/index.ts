/**
 * 表格下载 (everyone signed in): the association's blank forms (`forms.templates`) — for the
 * equipment association the 延续 / 变更登记申请表 (seed 000), for the construction association its
 * 申请表, 承诺书 … — each opened in the phone's viewer (from the list's URL: `files.url` serves only
 * files someone uploaded), from where it is forwarded or saved.
 */
import type { ResOf } from '../../../typings/api';
import { loadPage } from '../../behaviors/load-page';
import { call } from '../../services/request';
import { documentTypeOf, openDocumentAt, openStoredDocument } from '../../services/upload';
import { errorText } from '../../utils/format';

type Template = ResOf<'forms', 'templates'>[number];

Component({
  behaviors: [loadPage],
  data: {
    loading: true,
    error: '',
    items: [] as (Template & { typeLabel: string })[],
    openingId: '',
  },
  methods: {
    async load() {
      this.setData({ loading: !this.data.items.length, error: '' });
      try {
        const list = await call('forms', 'templates', {});
        const items = list.map((t) => ({ ...t, typeLabel: documentTypeOf(t.fileID || t.url).toUpperCase() }));
        this.setData({ loading: false, items });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    async onOpen(e: WechatMiniprogram.TouchEvent) {
      const kind = String(e.currentTarget.dataset.kind || '');
      const t = this.data.items.find((x) => x.kind === kind);
      if (!t || this.data.openingId) return;
      this.setData({ openingId: kind });
      try {
        // Blank forms are nobody's upload: the list's own short-lived URL, else the stored file.
        const type = documentTypeOf(t.fileID || t.url);
        if (t.url) await openDocumentAt(t.url, type, '表格打开失败，请稍后重试');
        else await openStoredDocument(t.fileID, type, '表格打开失败，请稍后重试');
      } finally {
        this.setData({ openingId: '' });
      }
    },
  },
});
