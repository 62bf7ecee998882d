/**
 * 单位会员 (unit admin; manual 缴费业务 → 单位会员费, issue 11): the unit's own membership — member
 * or not, valid until when — and, for the main admin, 单位会费缴纳: pick the year (this one or
 * the next), photograph the transfer receipt, ask for the 电子财政收据's title, and submit
 * (`units.payMembership`); finance approves it and the unit's membership runs to that year's end.
 * The unit's own forms in flight are listed with a link to their detail.
 */
import type { FormSummary, UnitView } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { FORM_STATUS_LABEL, FORM_TYPE_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { errorText, flattenErrors, toQuery } from '../../utils/format';

const TAX_ID = /^[0-9A-Z]{15,20}$/;

Component({
  data: {
    loading: true,
    error: '',
    unit: null as UnitView | null,
    main: false,
    fee: 0,
    pending: [] as (FormSummary & { label: string })[],
    years: [] as number[],
    yearNames: [] as string[],
    yearIndex: 0,
    receipt: '',
    invoiceTitle: '',
    taxId: '',
    errors: {} as Record<string, string>,
    busy: false,
    submitError: '',
    sentFormId: '',
  },
  methods: {
    onLoad() {
      this.load();
    },
    onRetry() {
      this.load();
    },

    async load() {
      this.setData({ loading: !this.data.unit, error: '' });
      try {
        const r = await call('units', 'info', {});
        const thisYear = Number(shanghaiDay().slice(0, 4));
        // A year already paid for is not offered again.
        const years = [thisYear, thisYear + 1].filter((y) => !r.unit.memberUntil || r.unit.memberUntil < `${y}-12-31`);
        this.setData({
          loading: false,
          unit: r.unit,
          main: r.main,
          fee: r.membershipFee,
          pending: r.pending.map((f) => ({ ...f, label: `${FORM_TYPE_LABEL[f.type]} · ${FORM_STATUS_LABEL[f.status]}` })),
          years,
          yearNames: years.map((y) => `${y}年度`),
          yearIndex: 0,
          invoiceTitle: this.data.invoiceTitle || r.unit.name,
        });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onYear(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ yearIndex: Number(e.detail.value) || 0 });
    },
    onReceipt(e: WechatMiniprogram.CustomEvent<{ fileID: string }>) {
      this.setData({ receipt: e.detail.fileID, 'errors.receipt': '' });
    },
    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (key !== 'invoiceTitle' && key !== 'taxId') return;
      const value = key === 'taxId' ? String(e.detail.value).toUpperCase() : String(e.detail.value);
      this.setData({ [key]: value, [`errors.${key}`]: '' });
    },

    async onPay() {
      if (this.data.busy || !this.data.years.length) return;
      const errors: Record<string, string> = {};
      if (!this.data.receipt) errors.receipt = '请上传转账回单或缴费凭证';
      const title = this.data.invoiceTitle.trim();
      if (title.length < 2) errors.invoiceTitle = '请填写票据抬头';
      const taxId = this.data.taxId.trim();
      if (taxId && !TAX_ID.test(taxId)) errors.taxId = '纳税人识别号为15–20位数字或大写字母';
      if (Object.keys(errors).length) {
        this.setData({ errors, submitError: '请按提示修改标红的项目' });
        return;
      }
      this.setData({ busy: true, submitError: '', errors: {} });
      try {
        const r = await call('units', 'payMembership', {
          year: this.data.years[this.data.yearIndex],
          receipt: this.data.receipt,
          invoice: { title, ...(taxId ? { taxId } : {}) },
        });
        await this.load();
        this.setData({ busy: false, sentFormId: r.formId, receipt: '' });
      } catch (e) {
        const flat = flattenErrors((e as { fields?: Record<string, string> }).fields);
        this.setData({ busy: false, submitError: errorText(e), errors: { receipt: flat.receipt || '', invoiceTitle: flat.invoice_title || '', taxId: flat.invoice_taxId || '' } });
      }
    },

    onOpenForm(e: WechatMiniprogram.TouchEvent) {
      const formId = String(e.currentTarget.dataset.id || this.data.sentFormId || '');
      if (formId) wx.navigateTo({ url: `/pkg-unit/form/index?${toQuery({ formId })}` });
    },
  },
});
