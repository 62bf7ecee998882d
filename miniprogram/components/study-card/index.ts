/**
 * One study task (SPEC §2 Study task; manual 3.3, 3.17): who, which business and form number, the
 * certificate it leads to, hours done of hours required and exam attempts used of the maximum, each
 * as a progress bar, and the status tag (开课未学习 / 学习中 / 已完成 / 考试未通过).
 */
import type { StudyView } from '../../../typings/api';
import { studyRow } from '../../utils/business';
import { formatDay } from '../../utils/format';

const THEME: Record<StudyView['status'], string> = {
  not_started: 'default',
  studying: 'primary',
  completed: 'success',
  failed: 'danger',
};

Component({
  properties: {
    item: { type: Object, value: {} },
    /** Show the person's name (the unit's list); a member's own list leaves it out. */
    showName: { type: Boolean, value: true },
  },
  data: {
    row: null as ReturnType<typeof studyRow> | null,
    theme: 'default',
    createdAt: '',
    completedAt: '',
  },
  observers: {
    item(item: StudyView) {
      if (!item || !item.id) return;
      this.setData({
        row: studyRow(item),
        theme: THEME[item.status] || 'default',
        createdAt: formatDay(item.createdAt),
        completedAt: item.completedAt ? formatDay(item.completedAt) : '',
      });
    },
  },
});
