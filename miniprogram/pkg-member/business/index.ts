/**
 * 我的业务 (member): my study progress — hours and exam attempts of each task opened by an approved
 * education form (manual 3.3, 3.17) — and my forms of every type, from `members.me`. Refreshed on
 * show, so a report from the learning platform appears without a restart.
 */
import type { FormSummary, StudyView } from '../../../typings/api';
import { FORM_TYPE_LABEL } from '../../shared/labels';
import { loadMe } from '../../services/session';
import { errorText } from '../../utils/format';

const PAGE_SIZE = 10;

Component({
  data: {
    loading: true,
    error: '',
    isMember: false,
    stateLabel: '',
    studies: [] as StudyView[],
    openStudies: 0,
    all: [] as FormSummary[],
    forms: [] as FormSummary[],
    total: 0,
  },
  methods: {
    onLoad() {
      this.load(true);
    },
    onShow() {
      if (!this.data.loading) this.load(true);
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      this.onMore();
    },
    onRetry() {
      this.load(true);
    },

    async load(force: boolean) {
      if (!this.data.total && !this.data.studies.length) this.setData({ loading: true, error: '' });
      try {
        const me = await loadMe(force);
        const all = me.forms.slice().sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
        const studies = (me.studies || []).slice();
        const m = me.member;
        this.setData({
          loading: false,
          error: '',
          isMember: !!m,
          stateLabel: m ? (m.state === 'free' ? '自由态（没有在办业务）' : `${FORM_TYPE_LABEL[m.state]}办理中`) : '',
          studies,
          openStudies: studies.filter((s) => s.status === 'not_started' || s.status === 'studying').length,
          all,
          forms: all.slice(0, Math.max(PAGE_SIZE, this.data.forms.length)),
          total: all.length,
        });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onMore() {
      const { all, forms } = this.data;
      if (forms.length >= all.length) return;
      this.setData({ forms: all.slice(0, forms.length + PAGE_SIZE) });
    },
  },
});
