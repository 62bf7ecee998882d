/**
 * 审核 (reviewer): everything a reviewer needs, as `components/form-detail` shows it — the people
 * (the full ID number only on request, sent only to the form's reviewers, each read audited),
 * attachments, the fee receipts, the stages done and ahead, the trail — and the decision of the
 * caller's stage from a bar fixed at the bottom of the screen: approve with an optional remark, or
 * return with a mandatory reason; at 协会初审 and 财务复核 also 不予通过 (`review.reject`), which ends
 * the form for good with a mandatory reason. Two reviewers at once: the second gets CONFLICT, shown as
 * "已被他人处理", and the page reloads (SPEC §3.1). Every form type: a business form (SPEC §3.3)
 * shows its certificate type, reason and specialties, each person with the certificate acted on,
 * the form-level attachments and the amount due.
 */
import type { FormStatus, FormView } from '../../../typings/api';
import { FORM_STATUS_LABEL } from '../../shared/labels';
import { formPage } from '../../behaviors/form-page';
import { formReturn } from '../../behaviors/form-return';
import { call } from '../../services/request';
import { loadMe, reviewStages } from '../../services/session';
import { isBusinessType } from '../../utils/business';
import { errorCode, errorText, toast } from '../../utils/format';

Component({
  behaviors: [formPage, formReturn],
  data: {
    missingText: '缺少表单编号，请从审核队列进入。',
    returnNotice: '已退回，等待单位修改后重新提交。',
    stages: [] as FormStatus[],
    canAct: false,
    /** The caller's stage may end the form with 不予通过 (协会初审, 财务复核). */
    canReject: false,
    rejectVisible: false,
    /** Who may read a full ID number here: any reviewer of a join form, the acting one of a business form. */
    revealable: false,
    notice: '',
    remark: '',
  },
  methods: {
    /** The form, and the stages the caller reviews (which decide whether they act on it here). */
    async fetchForm(): Promise<FormView> {
      const [form, me] = await Promise.all([call('forms', 'get', { formId: this.data.formId }), loadMe()]);
      this.setData({ stages: reviewStages(me.roles) });
      return form;
    },

    show(form: FormView, notice = '') {
      const canAct = this.data.stages.indexOf(form.status) >= 0;
      this.setData({
        loading: false,
        error: '',
        form,
        canAct,
        canReject: canAct && (form.status === 'assoc_review' || form.status === 'finance_review'),
        rejectVisible: false,
        revealable: isBusinessType(form.type) ? canAct : true,
        notice: notice || (canAct ? '' : `该表单当前处于“${FORM_STATUS_LABEL[form.status]}”，不在您的审核环节。`),
        remark: '',
        actionError: '',
        busy: false,
        returnVisible: false,
      });
    },

    onRemark(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ remark: e.detail.value });
    },

    failed(e: unknown) {
      if (errorCode(e) === 'CONFLICT') {
        toast('已被他人处理');
        this.setData({ busy: false, returnVisible: false, rejectVisible: false });
        this.load('该表单已被他人处理，以下为最新状态。');
        return;
      }
      this.setData({ busy: false, returnVisible: false, rejectVisible: false, actionError: errorText(e) });
    },

    async onApprove() {
      if (this.data.busy || !this.data.canAct) return;
      this.setData({ busy: true, actionError: '' });
      try {
        const remark = this.data.remark.trim();
        const version = this.data.form ? this.data.form.version : undefined;
        const form = await call('review', 'approve', remark ? { formId: this.data.formId, remark, version } : { formId: this.data.formId, version });
        wx.showToast({ title: '已审核通过', icon: 'success' });
        this.show(form, `已审核通过，表单进入“${FORM_STATUS_LABEL[form.status]}”。`);
      } catch (e) {
        this.failed(e);
      }
    },

    onReject() {
      if (!this.data.busy && this.data.canReject) this.setData({ rejectVisible: true, actionError: '' });
    },
    onRejectCancel() {
      this.setData({ rejectVisible: false });
    },
    /** 不予通过: final; the person is free again, an unpaid bill is voided, a paid one flagged for refund. */
    async onRejectConfirm(e: WechatMiniprogram.CustomEvent<{ reason: string }>) {
      const reason = (e.detail.reason || '').trim();
      if (!reason || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const version = this.data.form ? this.data.form.version : undefined;
        const form = await call('review', 'reject', { formId: this.data.formId, reason, version });
        wx.showToast({ title: '已不予通过', icon: 'success' });
        this.show(form, '已不予通过，表单办结。');
      } catch (err) {
        this.failed(err);
      }
    },

    /** The stage's 退回: back to the unit (or the applicant), which edits and resubmits. */
    sendReturn(reason: string, version: number | undefined): Promise<FormView> {
      return call('review', 'return', { formId: this.data.formId, reason, version });
    },

  },
});
