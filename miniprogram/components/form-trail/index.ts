/** The approval trail of a form: who (by role), when, from → to, remark; returns in red (SPEC §2 Form). */
import type { FormStatus, TrailEntry } from '../../../typings/api';
import { FORM_STATUS_LABEL, ROLE_LABEL } from '../../shared/labels';
import { formatTime } from '../../utils/format';

interface Row {
  key: string;
  who: string;
  at: string;
  action: string;
  fromLabel: string;
  toLabel: string;
  remark: string;
  isReturn: boolean;
}

/** What happened in one step, in the words of the manual (发起, 通过, 退回, 重新发起, 缴费). */
function actionOf(e: TrailEntry): string {
  if (e.to === 'returned') return '退回';
  if (e.from === 'returned') return '重新发起';
  if (e.from === 'draft') return '提交申请';
  if (e.from === 'awaiting_payment') return '缴费';
  if (e.to === 'approved') return '审批通过';
  return '审核通过';
}

function label(s: FormStatus): string {
  return FORM_STATUS_LABEL[s] || s;
}

Component({
  properties: {
    trail: { type: Array, value: [] },
  },
  data: { rows: [] as Row[] },
  observers: {
    trail(trail: TrailEntry[]) {
      const rows = (trail || []).map((e, i) => ({
        key: `${i}-${e.at}`,
        who: e.role === 'applicant' ? '申请人' : ROLE_LABEL[e.role] || e.role,
        at: formatTime(e.at),
        action: actionOf(e),
        fromLabel: label(e.from),
        toLabel: label(e.to),
        remark: e.remark || '',
        isReturn: e.to === 'returned',
      }));
      this.setData({ rows });
    },
  },
});
