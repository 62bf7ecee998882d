/**
 * 导出Excel under a list: the button, then what was made (rows, file name) with 打开 (the phone's
 * document viewer) and 复制链接 (for a computer's browser), or why it failed. The page does the
 * exporting (`behaviors/list-export`); this shows it and says what was tapped.
 */
Component({
  properties: {
    busy: { type: Boolean, value: false },
    /** `{ fileName, rows }` of the last export, or null. */
    result: { type: Object, value: null as unknown as Record<string, unknown> },
    error: { type: String, value: '' },
  },
  methods: {
    onRun() {
      if (!this.data.busy) this.triggerEvent('export');
    },
    onOpen() {
      this.triggerEvent('open');
    },
    onCopy() {
      this.triggerEvent('copy');
    },
  },
});
