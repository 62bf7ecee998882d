/**
 * 我的业务 (member): my study progress — hours and exam attempts of each task opened by an approved
 * education form (manual 3.3, 3.17) — and my forms of every type, from `members.me`, paged through
 * `behaviors/paged-list`. Refreshed on show, so a report from the learning platform appears without
 * a restart.
 */
import type { StudyView } from '../../../typings/api';
import { FORM_TYPE_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { myFormsPage } from '../my-forms';

Component({
  behaviors: [pagedList],
  data: {
    pageSize: 10,
    isMember: false,
    stateLabel: '',
    studies: [] as StudyView[],
    openStudies: 0,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      if (!this.data.loading) this.refresh();
    },

    /** My forms, and with the first page my state and study tasks. */
    async fetchPage(page: number, pageSize: number) {
      const { me, items, total } = await myFormsPage(page, pageSize);
      const studies = (me.studies || []).slice();
      const m = me.member;
      return {
        items,
        total,
        extra: {
          isMember: !!m,
          stateLabel: m ? (m.state === 'free' ? '没有在办的业务，可以办理新业务' : `${FORM_TYPE_LABEL[m.state]}办理中`) : '',
          studies,
          openStudies: studies.filter((s) => s.status === 'not_started' || s.status === 'studying').length,
        },
      };
    },
  },
});
