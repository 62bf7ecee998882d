/**
 * 审核队列: the forms waiting at the stages the caller's roles act on (机构初审 / 协会初审 /
 * 财务复核), one tab per stage with counts, paged on the server (`review.queue`).
 */
import type { FormStatus, FormSummary } from '../../../typings/api';
import { FORM_STATUS_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { loadMe, reviewStages } from '../../services/session';
import { errorText } from '../../utils/format';

const PAGE_SIZE = 20;

function stageName(s: FormStatus): string {
  return FORM_STATUS_LABEL[s].replace(/中$/, '');
}

let seq = 0;

Component({
  data: {
    stages: [] as FormStatus[],
    tabs: [] as { value: string; label: string }[],
    stage: '' as FormStatus | '',
    loading: true,
    loadingMore: false,
    error: '',
    items: [] as FormSummary[],
    total: 0,
    page: 1,
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const wanted = (query && query.stage) || '';
      try {
        const me = await loadMe();
        const stages = reviewStages(me.roles);
        if (!stages.length) {
          this.setData({ loading: false, error: '您没有审核权限。如需开通，请联系协会秘书处。' });
          return;
        }
        const stage = stages.indexOf(wanted as FormStatus) >= 0 ? (wanted as FormStatus) : stages[0];
        this.setData({ stages, stage, tabs: stages.map((s) => ({ value: s, label: stageName(s) })) });
        await this.load(1);
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },
    onShow() {
      // Back from a decision: the form left the queue.
      if (this.data.stage && !this.data.loading) this.load(1);
    },
    onPullDownRefresh() {
      this.load(1).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      this.onMore();
    },
    onRetry() {
      if (!this.data.stage) this.onLoad({});
      else this.load(1);
    },

    async load(page: number) {
      const stage = this.data.stage;
      if (!stage) return;
      const mine = ++seq;
      this.setData(page === 1 ? { loading: !this.data.items.length || this.data.error !== '', error: '' } : { loadingMore: true });
      try {
        const r = await call('review', 'queue', { stage, page, pageSize: PAGE_SIZE });
        if (mine !== seq) return;
        const counts = r.counts || {};
        this.setData({
          loading: false,
          loadingMore: false,
          tabs: this.data.stages.map((s) => ({
            value: s,
            label: `${stageName(s)} ${s === stage ? r.total : counts[s] !== undefined ? counts[s] : ''}`.trim(),
          })),
          items: page === 1 ? r.items : this.data.items.concat(r.items),
          total: r.total,
          page,
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

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      if (e.detail.value === this.data.stage) return;
      this.setData({ stage: e.detail.value as FormStatus, items: [], total: 0, loading: true });
      this.load(1);
    },
    onMore() {
      if (this.data.loadingMore || this.data.loading || this.data.items.length >= this.data.total) return;
      this.load(this.data.page + 1);
    },
  },
});
