/**
 * A period to filter by (开票记录, 数据统计): 开始日期 – 结束日期 with native date pickers and 全部时间
 * to clear. Emits `period` with `{ from, to }` ('' for an open end) only when the period is valid;
 * an end before the start is said here and not emitted.
 */
Component({
  properties: {
    from: { type: String, value: '' },
    to: { type: String, value: '' },
  },
  data: { error: '' },
  methods: {
    onFrom(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.emit(e.detail.value, this.data.to);
    },
    onTo(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.emit(this.data.from, e.detail.value);
    },
    onClear() {
      this.emit('', '');
    },
    emit(from: string, to: string) {
      this.setData({ from, to });
      if (from && to && from > to) {
        this.setData({ error: '开始日期不能晚于结束日期' });
        return;
      }
      this.setData({ error: '' });
      this.triggerEvent('period', { from, to });
    },
  },
});
