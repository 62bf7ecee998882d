/** A form status as a coloured tag with its Chinese label (SPEC §5 form statuses). */
import type { FormStatus } from '../../../typings/api';
import { FORM_STATUS_LABEL } from '../../shared/labels';

const THEME: Record<FormStatus, string> = {
  draft: 'default',
  unit_review: 'primary',
  org_review: 'primary',
  assoc_review: 'primary',
  awaiting_payment: 'warning',
  finance_review: 'primary',
  approved: 'success',
  returned: 'danger',
  withdrawn: 'default',
  rejected: 'danger',
};

Component({
  properties: {
    status: { type: String, value: '' },
  },
  data: { label: '', theme: 'default' },
  observers: {
    status(status: string) {
      const s = status as FormStatus;
      this.setData({ label: FORM_STATUS_LABEL[s] || status, theme: THEME[s] || 'default' });
    },
  },
});
