/**
 * 预审与业务 (unit admin): the unit's forms — join applications and business forms — by status with
 * counts per status, filtered by business type, searched by name or ID number, by creation-date
 * range, paged on the server (SPEC §3.1 "Every list shows counts per status, filters by name / ID
 * number / date range, and pages"). Drafts (暂存) of business forms have their own tab.
 */
import type { FormStatus, FormSummary, FormType, ReqOf } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { FORM_STATUS_LABEL, FORM_TYPE_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { errorText } from '../../utils/format';

const PAGE_SIZE = 20;
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

let seq = 0;

Component({
  data: {
    today: shanghaiDay(),
    tabs: tabsOf({}),
    status: 'unit_review',
    typeNames: ['全部业务', ...TYPES.map((t) => FORM_TYPE_LABEL[t])],
    typeIndex: 0,
    keyword: '',
    from: '',
    to: '',
    loading: true,
    loadingMore: false,
    error: '',
    items: [] as FormSummary[],
    total: 0,
    page: 1,
    emptyText: '暂无表单',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const status = query && query.status && (query.status === 'all' || STATUSES.indexOf(query.status as FormStatus) >= 0) ? query.status : 'unit_review';
      const typeIndex = query && query.type ? TYPES.indexOf(query.type as FormType) + 1 : 0;
      this.setData({ status, typeIndex });
      this.load(1);
    },
    onShow() {
      // Back from a form after a decision: its status changed, the counts too.
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

    query(page: number): ReqOf<'forms', 'list'> {
      const q: ReqOf<'forms', 'list'> = { page, pageSize: PAGE_SIZE, as: 'unit_admin', ...searchOf(this.data.keyword) };
      if (this.data.status !== 'all') q.status = this.data.status as FormStatus;
      if (this.data.typeIndex > 0) q.type = TYPES[this.data.typeIndex - 1];
      if (this.data.from) q.from = this.data.from;
      if (this.data.to) q.to = this.data.to;
      return q;
    },

    async load(page: number) {
      const mine = ++seq;
      this.setData(page === 1 ? { loading: !this.data.items.length || this.data.error !== '', error: '' } : { loadingMore: true });
      try {
        const r = await call('forms', 'list', this.query(page));
        if (mine !== seq) return; // a newer query (tab, search) answered first or is pending
        const searching = !!(this.data.keyword || this.data.from || this.data.to || this.data.typeIndex > 0);
        this.setData({
          loading: false,
          loadingMore: false,
          tabs: tabsOf(r.counts || {}),
          items: page === 1 ? r.items : this.data.items.concat(r.items),
          total: r.total,
          page,
          emptyText: searching ? '没有符合条件的表单' : this.data.status === 'all' ? '暂无表单' : `没有“${FORM_STATUS_LABEL[this.data.status as FormStatus]}”的表单`,
        });
      } catch (e) {
        if (mine !== seq) return;
        if (page === 1) this.setData({ loading: false, loadingMore: false, error: errorText(e), items: [], total: 0 });
        else {
          this.setData({ loadingMore: false });
          wx.showToast({ title: errorText(e), icon: 'none' });
        }
      }
    },

    reload() {
      this.setData({ items: [], total: 0, loading: true });
      this.load(1);
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
    onMore() {
      if (this.data.loadingMore || this.data.loading || this.data.items.length >= this.data.total) return;
      this.load(this.data.page + 1);
    },
  },
});
