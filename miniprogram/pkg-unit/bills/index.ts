/**
 * 缴费业务 (unit admin; SPEC §2 Bill, manual 缴费业务/开票记录): the unit's bills by status —
 * 待缴费, 已缴费待确认 (receipt uploaded, waiting for finance), 已确认 (the paid-invoice records) —
 * paged on the server (`bills.list`). An unpaid bill is paid here with a receipt once its form has
 * reached 待缴费 (the form is read first: the bills of a business form are issued at submission,
 * but paid after the association's review).
 */
import type { BillStatus, BillView, Files, ResOf } from '../../../typings/api';
import { BILL_STATUS_LABEL, FORM_STATUS_LABEL, INVOICE_KIND_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { BILL_KIND_LABEL } from '../../utils/business';
import { errorCode, errorText, formatTime, toQuery } from '../../utils/format';
import { listExport } from '../../behaviors/list-export';

const STATUSES: BillStatus[] = ['unpaid', 'paid', 'confirmed'];
/** The tabs: the bills by status, and 开票记录 (manual 缴费业务: the receipts and invoices issued, by period). */
type Tab = BillStatus | 'invoiced';
const TAB_LABEL: Record<Tab, string> = {
  unpaid: BILL_STATUS_LABEL.unpaid,
  paid: BILL_STATUS_LABEL.paid,
  confirmed: BILL_STATUS_LABEL.confirmed,
  void: BILL_STATUS_LABEL.void,
  refund: BILL_STATUS_LABEL.refund,
  invoiced: '开票记录',
};
const EMPTY: Record<Tab, string> = {
  unpaid: '没有待缴费的缴费单',
  paid: '没有等待协会确认的缴费',
  confirmed: '还没有已确认的缴费',
  void: '没有作废的缴费单',
  refund: '没有待退款的缴费',
  invoiced: '该期间没有开具的票据',
};

type Item = ResOf<'bills', 'list'>['items'][number];
type Row = Item & { kindLabel: string; namesText: string; paidText: string; confirmedText: string; receiptFiles: Files; invoiceText: string; invoiceFiles: Files };

function rowOf(b: Item): Row {
  return {
    ...b,
    kindLabel: BILL_KIND_LABEL[b.kind] || b.kind,
    namesText: (b.names || []).join('、'),
    paidText: b.paidAt ? formatTime(b.paidAt) : '',
    confirmedText: b.confirmedAt ? formatTime(b.confirmedAt) : '',
    receiptFiles: b.receipt ? { receipt: b.receipt } : {},
    invoiceText: b.invoice ? `${INVOICE_KIND_LABEL[b.invoice.kind]} · 开具于 ${formatTime(b.invoice.issuedAt).slice(0, 10)}` : '',
    invoiceFiles: b.invoice ? { receipt: b.invoice.file } : {},
  };
}

function tabsOf(counts: Partial<Record<BillStatus, number>>) {
  const tabs = STATUSES.map((s) => ({ value: s as Tab, label: counts[s] !== undefined ? `${TAB_LABEL[s]} ${counts[s]}` : TAB_LABEL[s] }));
  return [...tabs, { value: 'invoiced' as Tab, label: TAB_LABEL.invoiced }];
}

Component({
  behaviors: [pagedList, listExport],
  data: {
    status: 'unpaid' as Tab,
    /** The issued file's title in 开票记录. */
    invoiceLabels: { receipt: '票据' },
    /** 开票记录's period. */
    from: '',
    to: '',
    tabs: tabsOf({}),
    counts: {} as Partial<Record<BillStatus, number>>,
    items: [] as Row[],
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
      const status = query && (STATUSES.indexOf(query.status as BillStatus) >= 0 || query.status === 'invoiced') ? (query.status as Tab) : 'unpaid';
      this.setData({ status, emptyText: EMPTY[status] });
      this.reload();
    },
    onShow() {
      if (!this.data.loading && this.data.items.length) this.refresh();
    },

    /** 导出Excel: the tab's bills; 开票记录 for its period. */
    async exportCall() {
      const status = this.data.status;
      if (status !== 'invoiced') return call('bills', 'export', { status });
      const r = await call('bills', 'invoices', { ...this.period(), format: 'xlsx' });
      if (!r.file) throw new Error('导出失败，请稍后再试');
      return { ...r.file, rows: r.total };
    },
    period(): { from?: string; to?: string } {
      return { ...(this.data.from ? { from: this.data.from } : {}), ...(this.data.to ? { to: this.data.to } : {}) };
    },
    onPeriod(e: WechatMiniprogram.CustomEvent<{ from: string; to: string }>) {
      this.setData({ from: e.detail.from, to: e.detail.to, exported: null, exportError: '' });
      this.reload();
    },

    /** A page of the tab's bills; with the first page, the other tabs' counts (their totals, one row each). */
    async fetchPage(page: number, pageSize: number) {
      const status = this.data.status;
      if (status === 'invoiced') {
        const r = await call('bills', 'invoices', { ...this.period(), page, pageSize });
        return { items: r.items.map(rowOf), total: r.total, extra: { emptyText: EMPTY.invoiced } };
      }
      const others = page === 1 ? STATUSES.filter((s) => s !== status) : [];
      const [r, ...rest] = await Promise.all([
        call('bills', 'list', { status, page, pageSize }),
        ...others.map((s) => call('bills', 'list', { status: s, page: 1, pageSize: 1 })),
      ]);
      const counts: Partial<Record<BillStatus, number>> = { ...this.data.counts, [status]: r.total };
      others.forEach((s, i) => (counts[s] = rest[i].total));
      return { items: r.items.map(rowOf), total: r.total, extra: { counts, tabs: tabsOf(counts), emptyText: EMPTY[status] } };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const status = e.detail.value as Tab;
      if (status === this.data.status) return;
      this.setData({ status, payingId: '', exported: null, exportError: '' }); // an export was of the other tab
      this.reload();
    },
    onOpenForm(e: WechatMiniprogram.TouchEvent) {
      const formId = String(e.currentTarget.dataset.form || '');
      if (formId) wx.navigateTo({ url: `/pkg-unit/form/index?${toQuery({ formId })}` });
    },

    /** Open the pay panel of one bill: only a form at 待缴费 takes the money. */
    async onStartPay(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const bill = (this.data.items as Row[]).find((b) => b.id === id);
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
      const bill = (this.data.items as Row[]).find((b) => b.id === this.data.payingId) as BillView | undefined;
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
        await this.refresh();
      } catch (e) {
        this.setData({ busy: false, payError: errorText(e) });
        if (errorCode(e) === 'CONFLICT') this.refresh();
      }
    },
  },
});
