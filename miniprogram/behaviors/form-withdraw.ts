/**
 * 撤回 on a form page (issue 11): whoever started a form — the applicant, or the unit for its
 * business forms — may withdraw it until it is approved. The first tap asks (with an optional
 * reason), 确认撤回 calls `forms.withdraw`; the server voids unpaid bills and flags paid ones for
 * refund. The page provides `show(form)` (from `formPage`) and decides `withdrawable`.
 */
import type { FormStatus, FormView } from '../../typings/api';
import { call } from '../services/request';
import { invalidateMe } from '../services/session';
import { errorText } from '../utils/format';
import type { FormShower } from './form-page';

/** Statuses from which the starter may still withdraw (the server's rule; it decides). */
export const WITHDRAWABLE: FormStatus[] = ['unit_review', 'org_review', 'assoc_review', 'awaiting_payment', 'finance_review', 'returned'];

export const formWithdraw = Behavior({
  data: {
    withdrawable: false,
    confirmWithdraw: false,
    withdrawReason: '',
    withdrawing: false,
    withdrawError: '',
  },
  methods: {
    onWithdraw() {
      this.setData({ confirmWithdraw: true, withdrawReason: '', withdrawError: '' });
    },
    onCancelWithdraw() {
      this.setData({ confirmWithdraw: false });
    },
    onWithdrawReason(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ withdrawReason: e.detail.value });
    },
    async onConfirmWithdraw() {
      if (this.data.withdrawing) return;
      this.setData({ withdrawing: true, withdrawError: '' });
      const current = (this.data as unknown as { formId: string; form: FormView | null });
      try {
        const reason = this.data.withdrawReason.trim();
        const form = await call('forms', 'withdraw', {
          formId: current.formId,
          ...(reason ? { reason } : {}),
          version: current.form ? current.form.version : undefined,
        });
        invalidateMe();
        wx.showToast({ title: '已撤回', icon: 'success' });
        this.setData({ withdrawing: false });
        (this as unknown as FormShower).show(form);
      } catch (e) {
        this.setData({ withdrawing: false, confirmWithdraw: false, withdrawError: errorText(e) });
      }
    },
  },
});
