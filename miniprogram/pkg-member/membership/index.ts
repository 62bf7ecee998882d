/**
 * 我的会籍 (member; issue 11): each membership with its end date and whether it is valid, ends
 * within 30 days or has lapsed; 续缴会费 for oneself (`members.renew`) — one bill the member pays
 * with a receipt (`bills.pay`), then the association's finance confirms and the membership runs on
 * from its end (from today when lapsed). A renewal in flight shows where it is; the record's
 * history (renewals, moves, corrections with their reasons) closes the page.
 */
import type { BillView, FormView, HistoryEntry, MembershipLevel } from '../../../typings/api';
import { addDays, shanghaiDay } from '../../shared/dates';
import { FINAL } from '../../shared/flow';
import { FORM_STATUS_LABEL, LEVEL_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { invalidateMe, loadMe } from '../../services/session';
import { errorText, formatTime } from '../../utils/format';
import { loadPage } from '../../behaviors/load-page';

interface Row {
  level: MembershipLevel;
  label: string;
  validUntil: string;
  state: 'valid' | 'soon' | 'lapsed';
  stateLabel: string;
}

/** Where a renewal is now, in the member's words. */
const RENEWAL_HINT: Record<string, string> = {
  awaiting_payment: '请按协会通知的账户转账后上传缴费凭证',
  finance_review: '已缴费，等待协会财务确认',
  returned: '财务退回，请重新上传缴费凭证',
};

function rowsOf(memberships: { level: MembershipLevel; validUntil: string }[], today: string): Row[] {
  const soon = addDays(today, 30);
  return memberships.map((m) => {
    const state = m.validUntil < today ? 'lapsed' : m.validUntil <= soon ? 'soon' : 'valid';
    return { level: m.level, label: LEVEL_LABEL[m.level], validUntil: m.validUntil, state, stateLabel: { valid: '有效', soon: '30天内到期', lapsed: '已过期' }[state] };
  });
}

Component({
  behaviors: [loadPage],
  data: {
    loading: true,
    error: '',
    rows: [] as Row[],
    hasMember: false,
    renewal: null as FormView | null,
    renewalHint: '',
    renewalStatus: '',
    unpaidBill: null as BillView | null,
    receipt: '',
    receiptError: '',
    busy: false,
    actionError: '',
    /** The level whose renewal waits for 确认续缴. */
    confirming: '' as MembershipLevel | '',
    confirmTitle: '',
    history: [] as (HistoryEntry & { time: string })[],
  },
  methods: {

    async load() {
      if (!this.data.rows.length) this.setData({ loading: true, error: '' });
      try {
        const me = await loadMe(true);
        const inFlight = me.forms.find((f) => f.type === 'membership-renewal' && FINAL.indexOf(f.status) < 0);
        const renewal = inFlight ? await call('forms', 'get', { formId: inFlight.id }) : null;
        this.setData({
          loading: false,
          error: '',
          hasMember: !!me.member,
          rows: me.member ? rowsOf(me.member.memberships, shanghaiDay()) : [],
          history: (me.history || []).slice(0, 20).map((h) => ({ ...h, time: formatTime(h.at) })),
        });
        this.showRenewal(renewal);
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    showRenewal(form: FormView | null) {
      // A renewal the unit started for several people is the unit's to pay: the member only follows it.
      const mine = !!form && form.startedBy === 'applicant';
      const unpaid = mine && form && (form.status === 'awaiting_payment' || form.status === 'returned') ? form.bills.find((b) => b.status === 'unpaid') || null : null;
      this.setData({
        renewal: form,
        renewalStatus: form ? FORM_STATUS_LABEL[form.status] : '',
        renewalHint: form ? (mine ? RENEWAL_HINT[form.status] || '' : '单位已为您办理个人会员费缴纳，由单位缴费') : '',
        unpaidBill: unpaid,
        receipt: '',
        receiptError: '',
      });
    },

    /** 续缴: the first tap asks to confirm (in the page), 确认续缴 makes the renewal form and its bill. */
    onRenew(e: WechatMiniprogram.TouchEvent) {
      const level = e.currentTarget.dataset.level as MembershipLevel;
      if (!level || this.data.busy || this.data.renewal) return;
      this.setData({ confirming: level, confirmTitle: `续缴${LEVEL_LABEL[level]}会费`, actionError: '' });
    },
    onCancelRenew() {
      this.setData({ confirming: '' });
    },
    async onConfirmRenew() {
      const level = this.data.confirming as MembershipLevel | '';
      if (!level || this.data.busy) return;
      this.setData({ busy: true, actionError: '' });
      try {
        const form = await call('members', 'renew', { level });
        invalidateMe();
        this.setData({ busy: false, confirming: '' });
        this.showRenewal(form);
      } catch (err) {
        this.setData({ busy: false, confirming: '', actionError: errorText(err) });
      }
    },

    onReceipt(e: WechatMiniprogram.CustomEvent<{ fileID: string }>) {
      this.setData({ receipt: e.detail.fileID, receiptError: '' });
    },

    async onPay() {
      const bill = this.data.unpaidBill;
      if (this.data.busy || !bill || !this.data.renewal) return;
      if (!this.data.receipt) {
        this.setData({ receiptError: '请先上传缴费凭证' });
        return;
      }
      this.setData({ busy: true, actionError: '' });
      try {
        await call('bills', 'pay', { billId: bill.id, receipt: this.data.receipt });
        wx.showToast({ title: '缴费凭证已提交', icon: 'success' });
        const form = await call('forms', 'get', { formId: this.data.renewal.id });
        this.setData({ busy: false });
        this.showRenewal(form);
      } catch (err) {
        this.setData({ busy: false, actionError: errorText(err) });
      }
    },

    onOpenRenewal() {
      if (this.data.renewal) wx.navigateTo({ url: `/pkg-member/application/index?formId=${this.data.renewal.id}` });
    },
  },
});
