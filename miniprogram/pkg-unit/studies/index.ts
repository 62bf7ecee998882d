/**
 * 学习进度 (unit admin; manual 3.3, 3.17): the study tasks of the unit's people, opened when an
 * education form is approved — 开课未学习 / 学习中 / 已完成 / 考试未通过 — with hours done of hours
 * required and exam attempts used of the maximum, paged on the server (`studies.list`).
 * Unfinished tasks block new business for the person (SPEC §3.3).
 */
import type { StudyView } from '../../../typings/api';
import { STUDY_STATUS_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { STUDY_STATUSES } from '../../utils/business';

type Filter = StudyView['status'] | 'all';

const EMPTY: Record<Filter, string> = {
  all: '还没有学习任务：教育类业务审批完成后自动开课',
  not_started: '没有开课未学习的任务',
  studying: '没有学习中的任务',
  completed: '没有已完成的任务',
  failed: '没有考试未通过的任务',
};

function tabsOf(status: Filter, total: number | null) {
  const all: { value: Filter; label: string }[] = [{ value: 'all', label: '全部' }, ...STUDY_STATUSES.map((s) => ({ value: s as Filter, label: STUDY_STATUS_LABEL[s] }))];
  // studies.list answers the total of the tab asked for; the active tab shows it.
  return all.map((t) => ({ value: t.value, label: t.value === status && total !== null ? `${t.label} ${total}` : t.label }));
}

Component({
  behaviors: [pagedList],
  data: {
    status: 'all' as Filter,
    tabs: tabsOf('all', null),
    emptyText: EMPTY.all,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const q = (query && query.status) as Filter | undefined;
      const status: Filter = q && (q === 'all' || STUDY_STATUSES.indexOf(q as StudyView['status']) >= 0) ? q : 'all';
      this.setData({ status, tabs: tabsOf(status, null) });
      this.reload();
    },
    onShow() {
      if (!this.data.loading && this.data.items.length) this.refresh();
    },

    /** A page of the tab's study tasks; the tab shows the total. */
    async fetchPage(page: number, pageSize: number) {
      const status = this.data.status;
      const r = await call('studies', 'list', status === 'all' ? { page, pageSize } : { status, page, pageSize });
      return { items: r.items, total: r.total, extra: { tabs: tabsOf(status, r.total), emptyText: EMPTY[status] } };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const status = e.detail.value as Filter;
      if (status === this.data.status) return;
      this.setData({ status });
      this.reload();
    },
  },
});
