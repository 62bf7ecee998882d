/**
 * A paged list, once for every list page (SPEC §3.1 "every list … pages"): the first page, paging at
 * the bottom, pull-down refresh, retry, and the flags `components/page-state` shows (loading, error,
 * empty). The page provides `fetchPage(page, pageSize)` answering `{ items, total }` (and, in `extra`,
 * anything else the same answer brings: tab counts, unread counts), keeps its filters in its own
 * data and calls `reload()` when one changes. Only the newest request's answer is shown: a filter
 * changed while a page was loading never mixes two queries in one list.
 */
import { errorText, toast } from '../utils/format';

/** What a page's `fetchPage` answers. */
export interface PageAnswer<T = unknown> {
  items: T[];
  total: number;
  /** More data of the same answer, set with the items (and dropped with them when stale). */
  extra?: Record<string, unknown>;
}

/** The method a page using `pagedList` must have. */
export interface PageSource {
  fetchPage(page: number, pageSize: number): Promise<PageAnswer>;
}

/** The newest request per list instance; an older answer is dropped. */
const latest = new WeakMap<object, number>();

export const pagedList = Behavior({
  data: {
    items: [] as unknown[],
    total: 0,
    /** The last page loaded (0 before the first answer). */
    page: 0,
    pageSize: 20,
    /** The first page is loading and nothing is shown yet (page-state's spinner). */
    loading: true,
    loadingMore: false,
    /** A Chinese sentence when the first page failed (page-state's error with its retry). */
    error: '',
    /** Every item of the query is loaded. */
    finished: false,
    /** A pull-down refresh is under way. */
    refreshing: false,
  },
  methods: {
    /** A new query (a filter changed, a retry): the list empties and its first page loads. */
    reload(): Promise<void> {
      this.setData({ items: [], total: 0, page: 0, finished: false, loading: true, loadingMore: false, error: '' });
      return this.loadPage(1);
    },

    /** The same query again (back on the page, after a change made here): what is shown stays until the answer. */
    refresh(): Promise<void> {
      this.setData({ loading: !this.data.items.length || this.data.error !== '', loadingMore: false, error: '' });
      return this.loadPage(1);
    },

    /** The next page, unless one is loading or all are in. */
    loadMore(): Promise<void> {
      const d = this.data;
      if (d.loading || d.loadingMore || d.finished || d.error) return Promise.resolve();
      this.setData({ loadingMore: true });
      return this.loadPage(d.page + 1);
    },

    onRetry(): Promise<void> {
      return this.reload();
    },

    /** Page event: the list starts again from its first page. */
    onPullDownRefresh(): Promise<void> {
      this.setData({ refreshing: true });
      return this.refresh().then(() => {
        this.setData({ refreshing: false });
        wx.stopPullDownRefresh();
      });
    },

    /** Page event. */
    onReachBottom() {
      this.loadMore();
    },

    /** Ask the page for `page`; the first page replaces the list, a later one appends to it. */
    async loadPage(page: number): Promise<void> {
      const mine = (latest.get(this) || 0) + 1;
      latest.set(this, mine);
      try {
        const r = await (this as unknown as PageSource).fetchPage(page, this.data.pageSize);
        if (latest.get(this) !== mine) return;
        const items = page === 1 ? r.items : this.data.items.concat(r.items);
        this.setData({
          ...(r.extra || {}),
          items,
          total: r.total,
          page,
          loading: false,
          loadingMore: false,
          error: '',
          finished: items.length >= r.total || !r.items.length,
        });
      } catch (e) {
        if (latest.get(this) !== mine) return;
        if (page === 1)
          this.setData({
            items: [],
            total: 0,
            page: 0,
            finished: false,
            loading: false,
            loadingMore: false,
            error: errorText(e),
          });
        else {
          // The shown pages stay; the next tap at the bottom tries again.
          this.setData({ loadingMore: false });
          toast(errorText(e));
        }
      }
    },
  },
});
