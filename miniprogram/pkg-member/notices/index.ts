/**
 * 消息及通知 (SPEC §5 notices): the caller's notices (and the unit's, for unit admins), newest first,
 * paged, with unread marks; tapping one marks it read and opens its page; 全部已读 marks the
 * loaded unread ones. The home page shows the unread count.
 */
import type { NoticeView } from '../../../typings/api';
import { call } from '../../services/request';
import { errorText, formatTime } from '../../utils/format';

const PAGE_SIZE = 20;
type Row = NoticeView & { time: string };

let seq = 0;

Component({
  data: {
    unreadOnly: false,
    loading: true,
    loadingMore: false,
    error: '',
    items: [] as Row[],
    total: 0,
    unread: 0,
    page: 1,
  },
  methods: {
    onLoad() {
      this.load(1);
    },
    onPullDownRefresh() {
      this.load(1).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      this.onMore();
    },
    onRetry() {
      this.load(1);
    },

    async load(page: number) {
      const mine = ++seq;
      this.setData(page === 1 ? { loading: true, error: '' } : { loadingMore: true });
      try {
        const r = await call('notices', 'list', { page, pageSize: PAGE_SIZE, ...(this.data.unreadOnly ? { unreadOnly: 'yes' as const } : {}) });
        if (mine !== seq) return;
        const rows = r.items.map((n) => ({ ...n, time: formatTime(n.createdAt) }));
        this.setData({
          loading: false,
          loadingMore: false,
          items: page === 1 ? rows : this.data.items.concat(rows),
          total: r.total,
          unread: r.unread,
          page,
        });
      } catch (e) {
        if (mine !== seq) return;
        if (page === 1) this.setData({ loading: false, loadingMore: false, error: errorText(e), items: [], total: 0 });
        else {
          this.setData({ loadingMore: false });
          wx.showToast({ title: errorText(e), icon: 'none' });
        }
      }
    },

    onMore() {
      if (this.data.loading || this.data.loadingMore || this.data.items.length >= this.data.total) return;
      this.load(this.data.page + 1);
    },

    onFilter() {
      this.setData({ unreadOnly: !this.data.unreadOnly });
      this.load(1);
    },

    /** Mark these read on the server, then in the list (the count follows the server's answer). */
    async markRead(ids: string[]): Promise<boolean> {
      if (!ids.length) return true;
      try {
        const r = await call('notices', 'read', { ids });
        const items = this.data.items.map((n) => (ids.indexOf(n.id) >= 0 ? { ...n, read: true } : n));
        this.setData({ items, unread: Math.max(0, this.data.unread - r.changed) });
        return true;
      } catch (e) {
        wx.showToast({ title: errorText(e), icon: 'none' });
        return false;
      }
    },

    async onOpen(e: WechatMiniprogram.CustomEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const n = this.data.items.find((x) => x.id === id);
      if (!n) return;
      if (!n.read) await this.markRead([id]);
      if (n.page) wx.navigateTo({ url: n.page.charAt(0) === '/' ? n.page : `/${n.page}` });
    },

    async onReadAll() {
      const ids = this.data.items.filter((n) => !n.read).map((n) => n.id);
      if (!ids.length) return;
      if (await this.markRead(ids)) wx.showToast({ title: '已全部标为已读', icon: 'none' });
    },
  },
});
