/**
 * 审核队列: the forms waiting at the stages the caller's roles act on (机构初审 / 协会初审 /
 * 财务复核), one tab per stage with counts, paged on the server (`review.queue`) through
 * `behaviors/paged-list`. The stages are read with the first page, so a retry or a pull-down after
 * a failure starts from the roles again.
 */
import type { FormStatus } from '../../../typings/api';
import { AppError } from '../../shared/errors';
import { FORM_STATUS_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { loadMe, reviewStages } from '../../services/session';

function stageName(s: FormStatus): string {
  return FORM_STATUS_LABEL[s].replace(/中$/, '');
}

Component({
  behaviors: [pagedList],
  data: {
    /** The stage asked for in the URL (a home entry per stage). */
    wanted: '',
    stages: [] as FormStatus[],
    tabs: [] as { value: string; label: string }[],
    stage: '' as FormStatus | '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ wanted: (query && query.stage) || '' });
      this.reload();
    },
    onShow() {
      // Back from a decision: the form left the queue.
      if (this.data.stage && !this.data.loading) this.refresh();
    },

    /** The stage shown; the first time, the stages the caller's roles review (refused when there are none). */
    async currentStage(): Promise<FormStatus> {
      if (this.data.stage) return this.data.stage;
      const stages = reviewStages((await loadMe()).roles);
      if (!stages.length) throw new AppError('FORBIDDEN', '您没有审核权限。如需开通，请联系协会秘书处。');
      const wanted = this.data.wanted as FormStatus;
      const stage = stages.indexOf(wanted) >= 0 ? wanted : stages[0];
      this.setData({ stages, stage, tabs: stages.map((s) => ({ value: s, label: stageName(s) })) });
      return stage;
    },

    /** A page of the stage's queue; the tabs show this stage's total and the others' counts. */
    async fetchPage(page: number, pageSize: number) {
      const stage = await this.currentStage();
      const r = await call('review', 'queue', { stage, page, pageSize });
      const counts = r.counts || {};
      const tabs = this.data.stages.map((s) => ({
        value: s,
        label: `${stageName(s)} ${s === stage ? r.total : counts[s] !== undefined ? counts[s] : ''}`.trim(),
      }));
      return { items: r.items, total: r.total, extra: { tabs } };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      if (e.detail.value === this.data.stage) return;
      this.setData({ stage: e.detail.value as FormStatus });
      this.reload();
    },
  },
});
