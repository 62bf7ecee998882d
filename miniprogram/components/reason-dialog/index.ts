/**
 * A dialog asking for a text before a decision: the mandatory return reason (SPEC §3.1 "return with
 * a mandatory reason") or an optional remark. `confirm` is emitted with `{ reason }` only when the
 * text is acceptable; an empty mandatory reason is refused here, before any request.
 */
Component({
  properties: {
    visible: { type: Boolean, value: false },
    title: { type: String, value: '退回' },
    message: { type: String, value: '' },
    placeholder: { type: String, value: '请填写退回原因，申请人将看到这段文字' },
    confirmText: { type: String, value: '确定' },
    required: { type: Boolean, value: true },
    requiredText: { type: String, value: '请填写退回原因' },
    busy: { type: Boolean, value: false },
  },
  data: { reason: '', error: '' },
  observers: {
    visible(visible: boolean) {
      if (visible) this.setData({ reason: '', error: '' });
    },
  },
  methods: {
    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ reason: e.detail.value, error: '' });
    },
    onConfirm() {
      if (this.data.busy) return;
      const reason = this.data.reason.trim();
      if (this.data.required && !reason) {
        this.setData({ error: this.data.requiredText });
        return;
      }
      if (this.data.required && Array.from(reason).length < 2) {
        this.setData({ error: '请把原因写清楚（至少2个字）' });
        return;
      }
      this.triggerEvent('confirm', { reason });
    },
    onCancel() {
      if (this.data.busy) return;
      this.triggerEvent('cancel');
    },
  },
});
