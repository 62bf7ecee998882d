/** Loading, error (with retry) and empty states, one look for every page and list. */
Component({
  properties: {
    loading: { type: Boolean, value: false },
    loadingText: { type: String, value: '加载中…' },
    /** A Chinese error sentence; shows the error state with a retry button. */
    error: { type: String, value: '' },
    empty: { type: Boolean, value: false },
    emptyText: { type: String, value: '暂无数据' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
