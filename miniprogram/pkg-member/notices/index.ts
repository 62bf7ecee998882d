/**
 * 消息及通知 (SPEC §5 notices): the caller's notices (and the unit's, for unit admins), newest first,
 * paged, with unread marks; tapping one marks it read and opens its page; 全部已读 marks the
 * loaded unread ones. The home page shows the unread count.
 */
import type { NoticeView } from '../../../typings/api';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { errorText, formatTime } from '../../utils/format';

type Row = NoticeView & { time: string };

Component({
  behaviors: [pagedList],
  data: {
    unreadOnly: false,
    items: [] as Row[],
    unread: 0,
  },
  methods: {
    onLoad() {
      this.reload();
    },

    /** A page of notices; the unread count comes with it. */
    async fetchPage(page: number, pageSize: number) {
      const r = await call('notices', 'list', { page, pageSize, ...(this.data.unreadOnly ? { unreadOnly: 'yes' as const } : {}) });
      return { items: r.items.map((n) => ({ ...n, time: formatTime(n.createdAt) })), total: r.total, extra: { unread: r.unread } };
    },

    onFilter() {
      this.setData({ unreadOnly: !this.data.unreadOnly });
      this.reload();
    },

    /** Mark these read on the server, then in the list (the count follows the server's answer). */
    async markRead(ids: string[]): Promise<boolean> {
      if (!ids.length) return true;
      try {
        const r = await call('notices', 'read', { ids });
        const items = (this.data.items as Row[]).map((n) => (ids.indexOf(n.id) >= 0 ? { ...n, read: true } : n));
        this.setData({ items, unread: Math.max(0, this.data.unread - r.changed) });
        return true;
      } catch (e) {
        wx.showToast({ title: errorText(e), icon: 'none' });
        return false;
      }
    },

    async onOpen(e: WechatMiniprogram.CustomEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const n = (this.data.items as Row[]).find((x) => x.id === id);
      if (!n) return;
      if (!n.read) await this.markRead([id]);
      if (n.page) wx.navigateTo({ url: n.page.charAt(0) === '/' ? n.page : `/${n.page}` });
    },

    async onReadAll() {
      const ids = (this.data.items as Row[]).filter((n) => !n.read).map((n) => n.id);
      if (!ids.length) return;
      if (await this.markRead(ids)) wx.showToast({ title: '已全部标为已读', icon: 'none' });
    },
  },
});
