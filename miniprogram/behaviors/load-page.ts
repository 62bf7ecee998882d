/**
 * A page that shows one thing it reads with its own `load()`: read on open, again on pull-down
 * (the spinner stops when the answer is in), and on page-state's 重新加载.
 */

/** The method a page using `loadPage` must have. */
export interface Loader {
  load(): Promise<void>;
}

export const loadPage = Behavior({
  methods: {
    onLoad() {
      (this as unknown as Loader).load();
    },
    onPullDownRefresh() {
      (this as unknown as Loader).load().then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      (this as unknown as Loader).load();
    },
  },
});
