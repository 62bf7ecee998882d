/**
 * 开票 (finance; manual FAQ 3.5, issue 11): 待开票 lists paid bills with no invoice yet — unit, form
 * number, people, amount and the title the payer asked for; finance uploads the issued document
 * (PDF or a photo) as 电子财政收据 for membership fees or 电子发票 for the rest
 * (`bills.issueInvoice`), and the unit is notified. 开票记录 lists what was issued (`bills.invoices`).
 */
import type { BillView, InvoiceKind } from '../../../typings/api';
import { pagedList } from '../../behaviors/paged-list';
import { INVOICE_KIND_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { BILL_KIND_LABEL } from '../../utils/business';
import { errorText, formatTime, toast } from '../../utils/format';

type Tab = 'todo' | 'done';
type Row = BillView & { formNo: string; names: string[]; unitName?: string; kindLabel: string; namesText: string; paid: string; issued: string; invoiceLabel: string };

const KINDS: InvoiceKind[] = ['fiscal-receipt', 'e-invoice'];
const KIND_LABEL = INVOICE_KIND_LABEL;

function rowOf(b: BillView & { formNo: string; names: string[]; unitName?: string }): Row {
  return {
    ...b,
    kindLabel: BILL_KIND_LABEL[b.kind] || b.kind,
    namesText: b.names.length > 3 ? `${b.names.slice(0, 3).join('、')}等${b.names.length}人` : b.names.join('、'),
    paid: formatTime(b.paidAt),
    issued: b.invoice ? formatTime(b.invoice.issuedAt) : '',
    invoiceLabel: b.invoice ? KIND_LABEL[b.invoice.kind] : '',
  };
}

Component({
  behaviors: [pagedList],
  data: {
    tab: 'todo' as Tab,
    tabs: [
      { value: 'todo', label: '待开票' },
      { value: 'done', label: '开票记录' },
    ],
    emptyText: '没有待开票的缴费单',
    issuing: '',
    kindNames: KINDS.map((k) => KIND_LABEL[k]),
    kindIndex: 1,
    file: '',
    fileError: '',
    busy: false,
    /** 开票记录's period. */
    from: '',
    to: '',
  },
  methods: {
    onLoad() {
      this.reload();
    },

    async fetchPage(page: number, pageSize: number) {
      const done = this.data.tab === 'done';
      const period = { ...(this.data.from ? { from: this.data.from } : {}), ...(this.data.to ? { to: this.data.to } : {}) };
      const r = done ? await call('bills', 'invoices', { ...period, page, pageSize }) : await call('bills', 'uninvoiced', { page, pageSize });
      return { items: r.items.map(rowOf), total: r.total, extra: { emptyText: done ? (period.from || period.to ? '该期间没有开具的票据' : '还没有开具的票据') : '没有待开票的缴费单' } };
    },
    onPeriod(e: WechatMiniprogram.CustomEvent<{ from: string; to: string }>) {
      this.setData({ from: e.detail.from, to: e.detail.to });
      this.reload();
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const tab = e.detail.value as Tab;
      if (tab === this.data.tab) return;
      this.setData({ tab, issuing: '' });
      this.reload();
    },

    /** 开票: membership fees get a 电子财政收据, the rest an 电子发票 (the default; finance may change it). */
    onIssue(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const row = (this.data.items as Row[]).find((r) => r.id === id);
      if (!row) return;
      const kind: InvoiceKind = row.kind === 'auxiliary' ? 'e-invoice' : 'fiscal-receipt';
      this.setData({ issuing: id, kindIndex: KINDS.indexOf(kind), file: '', fileError: '' });
    },
    onKind(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ kindIndex: Number(e.detail.value) || 0 });
    },
    onFile(e: WechatMiniprogram.CustomEvent<{ fileID: string }>) {
      this.setData({ file: e.detail.fileID, fileError: '' });
    },
    onCancel() {
      if (!this.data.busy) this.setData({ issuing: '' });
    },
    async onConfirm() {
      const billId = this.data.issuing;
      if (!billId || this.data.busy) return;
      if (!this.data.file) {
        this.setData({ fileError: '请上传开具的票据（PDF或照片）' });
        return;
      }
      this.setData({ busy: true });
      try {
        await call('bills', 'issueInvoice', { billId, file: this.data.file, kind: KINDS[this.data.kindIndex] });
        this.setData({ busy: false, issuing: '' });
        toast('已开票，已通知单位', 'success');
        await this.reload();
      } catch (err) {
        this.setData({ busy: false, fileError: errorText(err) });
      }
    },
  },
});
