/**
 * 缴费业务 (unit admin; SPEC §2 Bill, manual 缴费业务/开票记录): the unit's bills by status —
 * 待缴费, 已缴费待确认 (receipt uploaded, waiting for finance), 已确认 (the paid-invoice records) —
 * paged on the server (`bills.list`). An unpaid bill is paid here with a receipt once its form has
 * reached 待缴费 (the form is read first: the bills of a business form are issued at submission,
 * but paid after the association's review).
 */
import type { BillStatus, BillView, Files, ResOf } from '../../../typings/api';
import { BILL_STATUS_LABEL, FORM_STATUS_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { BILL_KIND_LABEL } from '../../utils/business';
import { errorCode, errorText, formatTime, toQuery, toast } from '../../utils/format';

const PAGE_SIZE = 20;
const STATUSES: BillStatus[] = ['unpaid', 'paid', 'confirmed'];
const TAB_LABEL: Record<BillStatus, string> = {
  unpaid: BILL_STATUS_LABEL.unpaid,
  paid: BILL_STATUS_LABEL.paid,
  confirmed: `${BILL_STATUS_LABEL.confirmed}(开票记录)`,
};
const EMPTY: Record<BillStatus, string> = {
  unpaid: '没有待缴费的缴费单',
  paid: '没有等待协会确认的缴费',
  confirmed: '还没有已确认的缴费（开票记录）',
};

type Item = ResOf<'bills', 'list'>['items'][number];
type Row = Item & { kindLabel: string; namesText: string; paidText: string; confirmedText: string; receiptFiles: Files };

function rowOf(b: Item): Row {
  return {
    ...b,
    kindLabel: BILL_KIND_LABEL[b.kind] || b.kind,
    namesText: (b.names || []).join('、'),
    paidText: b.paidAt ? formatTime(b.paidAt) : '',
    confirmedText: b.confirmedAt ? formatTime(b.confirmedAt) : '',
    receiptFiles: b.receipt ? { receipt: b.receipt } : {},
  };
}

function tabsOf(counts: Partial<Record<BillStatus, number>>) {
  return STATUSES.map((s) => ({ value: s, label: counts[s] !== undefined ? `${TAB_LABEL[s]} ${counts[s]}` : TAB_LABEL[s] }));
}

let seq = 0;

Component({
  data: {
    status: 'unpaid' as BillStatus,
    tabs: tabsOf({}),
    counts: {} as Partial<Record<BillStatus, number>>,
    loading: true,
    loadingMore: false,
    error: '',
    items: [] as Row[],
    total: 0,
    page: 1,
    emptyText: EMPTY.unpaid,
    // paying one bill
    payingId: '',
    checking: false,
    payBlocked: '',
    receipt: '',
    payError: '',
    busy: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const status = query && STATUSES.indexOf(query.status as BillStatus) >= 0 ? (query.status as BillStatus) : 'unpaid';
      this.setData({ status, emptyText: EMPTY[status] });
      this.load(1);
    },
    onShow() {
      if (!this.data.loading && this.data.items.length) this.load(1);
    },
    onPullDownRefresh() {
      this.load(1).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      this.onMore();
    },
    onRetry() {
      this.load(1);
    },

    async load(page: number) {
      const mine = ++seq;
      const status = this.data.status;
      this.setData(page === 1 ? { loading: !this.data.items.length || this.data.error !== '', error: '' } : { loadingMore: true });
      try {
        // The other tabs' counts come with the first page (their totals, one row each).
        const others = page === 1 ? STATUSES.filter((s) => s !== status) : [];
        const [r, ...rest] = await Promise.all([
          call('bills', 'list', { status, page, pageSize: PAGE_SIZE }),
          ...others.map((s) => call('bills', 'list', { status: s, page: 1, pageSize: 1 })),
        ]);
        if (mine !== seq) return;
        const counts: Partial<Record<BillStatus, number>> = { ...this.data.counts, [status]: r.total };
        others.forEach((s, i) => (counts[s] = rest[i].total));
        const rows = r.items.map(rowOf);
        this.setData({
          loading: false,
          loadingMore: false,
          counts,
          tabs: tabsOf(counts),
          items: page === 1 ? rows : this.data.items.concat(rows),
          total: r.total,
          page,
          emptyText: EMPTY[status],
        });
      } catch (e) {
        if (mine !== seq) return;
        if (page === 1) this.setData({ loading: false, loadingMore: false, error: errorText(e), items: [], total: 0 });
        else {
          this.setData({ loadingMore: false });
          toast(errorText(e));
        }
      }
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const status = e.detail.value as BillStatus;
      if (status === this.data.status) return;
      this.setData({ status, items: [], total: 0, loading: true, payingId: '' });
      this.load(1);
    },
    onMore() {
      if (this.data.loadingMore || this.data.loading || this.data.items.length >= this.data.total) return;
      this.load(this.data.page + 1);
    },
    onOpenForm(e: WechatMiniprogram.TouchEvent) {
      const formId = String(e.currentTarget.dataset.form || '');
      if (formId) wx.navigateTo({ url: `/pkg-unit/form/index?${toQuery({ formId })}` });
    },

    /** Open the pay panel of one bill: only a form at 待缴费 takes the money. */
    async onStartPay(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const bill = this.data.items.find((b) => b.id === id);
      if (!bill || this.data.busy) return;
      if (this.data.payingId === id) {
        this.setData({ payingId: '' });
        return;
      }
      this.setData({ payingId: id, checking: true, payBlocked: '', receipt: '', payError: '' });
      try {
        const form = await call('forms', 'get', { formId: bill.formId });
        if (this.data.payingId !== id) return;
        this.setData({
          checking: false,
          payBlocked:
            form.status === 'awaiting_payment'
              ? ''
              : `表单 ${form.no} 当前为“${FORM_STATUS_LABEL[form.status] || form.status}”，进入“待缴费”环节后才能缴费。`,
        });
      } catch (err) {
        if (this.data.payingId === id) this.setData({ checking: false, payBlocked: errorText(err) });
      }
    },
    onReceipt(e: WechatMiniprogram.CustomEvent<{ fileID: string }>) {
      this.setData({ receipt: e.detail.fileID, payError: '' });
    },
    async onPay() {
      const bill = this.data.items.find((b) => b.id === this.data.payingId) as BillView | undefined;
      if (!bill || this.data.busy) return;
      if (!this.data.receipt) {
        this.setData({ payError: '请先上传缴费凭证' });
        return;
      }
      this.setData({ busy: true, payError: '' });
      try {
        await call('bills', 'pay', { billId: bill.id, receipt: this.data.receipt });
        wx.showToast({ title: '缴费凭证已提交', icon: 'success' });
        this.setData({ busy: false, payingId: '', receipt: '' });
        await this.load(1);
      } catch (e) {
        this.setData({ busy: false, payError: errorText(e) });
        if (errorCode(e) === 'CONFLICT') this.load(1);
      }
    },
  },
});
