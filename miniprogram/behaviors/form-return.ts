/**
 * Returning a form with a mandatory reason (SPEC §3.1), for the pages that decide on a form (the
 * unit's pre-review, the reviewers' stages): 退回 opens the `reason-dialog`, its confirm sends the
 * return. The page provides `sendReturn(reason, version)` (its own action), `show(form, notice)`
 * and `failed(error)`; `canAct` false keeps the dialog shut, `returnNotice` is passed to `show`.
 */
import type { FormView } from '../../typings/api';

/** The methods a page using `formReturn` must have. */
export interface FormReturner {
  sendReturn(reason: string, version: number | undefined): Promise<FormView>;
  show(form: FormView, notice?: string): void;
  failed(e: unknown): void;
}

export const formReturn = Behavior({
  data: {
    returnVisible: false,
    busy: false,
    actionError: '',
    canAct: true,
    returnNotice: '',
  },
  methods: {
    onReturn() {
      if (!this.data.busy && this.data.canAct) this.setData({ returnVisible: true, actionError: '' });
    },
    onReturnCancel() {
      this.setData({ returnVisible: false });
    },
    async onReturnConfirm(e: WechatMiniprogram.CustomEvent<{ reason: string }>) {
      const reason = (e.detail.reason || '').trim();
      if (!reason || this.data.busy) return;
      const host = this as unknown as FormReturner;
      const form = (this.data as { form?: FormView | null }).form;
      this.setData({ busy: true });
      try {
        const after = await host.sendReturn(reason, form ? form.version : undefined);
        wx.showToast({ title: '已退回', icon: 'success' });
        host.show(after, this.data.returnNotice);
      } catch (err) {
        this.setData({ returnVisible: false });
        host.failed(err);
      }
    },
  },
});
