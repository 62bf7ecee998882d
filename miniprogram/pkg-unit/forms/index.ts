/**
 * 预审与业务 (unit admin): the unit's forms — join applications and business forms — by status with
 * counts per status, filtered by business type, searched by name or ID number, by creation-date
 * range, paged on the server (SPEC §3.1 "Every list shows counts per status, filters by name / ID
 * number / date range, and pages"). Drafts (暂存) of business forms have their own tab.
 */
import type { FormStatus, FormType, ReqOf } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { FORM_STATUS_LABEL, FORM_TYPE_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { listExport } from '../../behaviors/list-export';
const STATUSES: FormStatus[] = ['unit_review', 'awaiting_payment', 'org_review', 'assoc_review', 'finance_review', 'approved', 'returned', 'draft'];
/** Every form type, in the labels' order; index 0 of the picker is 全部业务. */
const TYPES = Object.keys(FORM_TYPE_LABEL) as FormType[];

type Tab = { value: string; label: string };

function tabsOf(counts: Partial<Record<FormStatus, number>>): Tab[] {
  const total = STATUSES.reduce((n, s) => n + (counts[s] || 0), 0);
  return [
    { value: 'all', label: `全部 ${total}` },
    ...STATUSES.map((s) => ({ value: s, label: `${FORM_STATUS_LABEL[s]} ${counts[s] || 0}` })),
  ];
}

/** A keyword with a digit is an ID number; otherwise a name. */
function searchOf(keyword: string): { name?: string; idNumber?: string } {
  const k = keyword.trim();
  if (!k) return {};
  return /\d/.test(k) ? { idNumber: k.toUpperCase() } : { name: k };
}

Component({
  behaviors: [pagedList, listExport],
  data: {
    today: shanghaiDay(),
    tabs: tabsOf({}),
    status: 'unit_review',
    typeNames: ['全部业务', ...TYPES.map((t) => FORM_TYPE_LABEL[t])],
    typeIndex: 0,
    keyword: '',
    from: '',
    to: '',
    emptyText: '暂无表单',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const status = query && query.status && (query.status === 'all' || STATUSES.indexOf(query.status as FormStatus) >= 0) ? query.status : 'unit_review';
      const typeIndex = query && query.type ? TYPES.indexOf(query.type as FormType) + 1 : 0;
      this.setData({ status, typeIndex });
      this.reload();
    },
    onShow() {
      // Back from a form after a decision: its status changed, the counts too.
      if (!this.data.loading && this.data.items.length) this.refresh();
    },

    query(page: number, pageSize: number): ReqOf<'forms', 'list'> {
      const q: ReqOf<'forms', 'list'> = { page, pageSize, as: 'unit_admin', ...searchOf(this.data.keyword) };
      if (this.data.status !== 'all') q.status = this.data.status as FormStatus;
      if (this.data.typeIndex > 0) q.type = TYPES[this.data.typeIndex - 1];
      if (this.data.from) q.from = this.data.from;
      if (this.data.to) q.to = this.data.to;
      return q;
    },

    /** 导出Excel: the list as it is filtered now (every page, up to the server's cap). */
    exportCall() {
      const { page: _page, pageSize: _size, ...filters } = this.query(1, 1);
      return call('forms', 'export', filters);
    },

    /** A page of the unit's forms with the counts per status (the tabs). */
    async fetchPage(page: number, pageSize: number) {
      const r = await call('forms', 'list', this.query(page, pageSize));
      const searching = !!(this.data.keyword || this.data.from || this.data.to || this.data.typeIndex > 0);
      return {
        items: r.items,
        total: r.total,
        extra: {
          tabs: tabsOf(r.counts || {}),
          emptyText: searching ? '没有符合条件的表单' : this.data.status === 'all' ? '暂无表单' : `没有“${FORM_STATUS_LABEL[this.data.status as FormStatus]}”的表单`,
        },
      };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      if (e.detail.value === this.data.status) return;
      this.setData({ status: e.detail.value });
      this.reload();
    },
    onKeyword(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ keyword: e.detail.value });
    },
    onSearch() {
      this.reload();
    },
    onClear() {
      this.setData({ keyword: '' });
      this.reload();
    },
    onFrom(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ from: e.detail.value });
      this.reload();
    },
    onTo(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ to: e.detail.value });
      this.reload();
    },
    onType(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const typeIndex = Number(e.detail.value) || 0;
      if (typeIndex === this.data.typeIndex) return;
      this.setData({ typeIndex });
      this.reload();
    },
    onNew() {
      const type = this.data.typeIndex > 0 ? TYPES[this.data.typeIndex - 1] : '';
      wx.navigateTo({ url: type && type !== 'join' ? `/pkg-unit/business/index?type=${type}` : '/pkg-unit/business/index' });
    },
    onClearDates() {
      this.setData({ from: '', to: '' });
      this.reload();
    },
  },
});
