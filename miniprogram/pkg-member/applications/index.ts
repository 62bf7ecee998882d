/**
 * 我的申请: the caller's applications (from `members.me`), newest first, with status labels;
 * paged on the page (a person has few) through `behaviors/paged-list`, refreshed on show so a
 * decision appears without a restart.
 */
import { pagedList } from '../../behaviors/paged-list';
import { myFormsPage } from '../my-forms';

Component({
  behaviors: [pagedList],
  data: {
    pageSize: 10,
    submitted: '',
  },
  methods: {
    fetchPage(page: number, pageSize: number) {
      return myFormsPage(page, pageSize);
    },

    /** `?submitted=<form number>`: just applied (from the join page). */
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ submitted: (query && query.submitted) || '' });
      this.reload();
    },
    onShow() {
      if (!this.data.loading) this.refresh();
    },
  },
});
