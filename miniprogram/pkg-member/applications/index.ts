/**
 * 我的申请: the caller's applications (from `members.me`), newest first, with status labels;
 * paged on the page (a person has few), refreshed on show so a decision appears without a restart.
 */
import type { FormSummary } from '../../../typings/api';
import { loadMe } from '../../services/session';
import { errorText } from '../../utils/format';

const PAGE_SIZE = 10;

Component({
  data: {
    loading: true,
    error: '',
    submitted: '',
    all: [] as FormSummary[],
    items: [] as FormSummary[],
    total: 0,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ submitted: (query && query.submitted) || '' });
      this.load(true);
    },
    onShow() {
      if (!this.data.loading) this.load(true);
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      this.onMore();
    },
    onRetry() {
      this.load(true);
    },

    async load(force: boolean) {
      if (!this.data.total) this.setData({ loading: true, error: '' });
      try {
        const me = await loadMe(force);
        const all = me.forms.slice().sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
        const shown = Math.max(PAGE_SIZE, this.data.items.length);
        this.setData({ loading: false, error: '', all, items: all.slice(0, shown), total: all.length });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onMore() {
      const { all, items } = this.data;
      if (items.length >= all.length) return;
      this.setData({ items: all.slice(0, items.length + PAGE_SIZE) });
    },
  },
});
