/**
 * 审核 (reviewer): everything a reviewer needs — the person with the full ID number (sent only to
 * the form's reviewers, each read audited), attachments, the fee receipts, the trail — and the
 * decision of the caller's stage: approve with an optional remark, or return with a mandatory
 * reason. Two reviewers at once: the second gets CONFLICT, shown as "已被他人处理", and the page
 * reloads (SPEC §3.1). Every form type: a business form (SPEC §3.3) shows its certificate type,
 * reason and specialties, each person with the certificate acted on, the form-level attachments
 * and the amount due.
 */
import type { BillView, CodeKind, Files, FormStatus, FormView } from '../../../typings/api';
import { BILL_STATUS_LABEL, CERT_REASON_LABEL, CODE_KIND_LABEL, FORM_STATUS_LABEL, FORM_TYPE_LABEL, LEVEL_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { loadMe, reviewStages } from '../../services/session';
import { BILL_KIND_LABEL, isBusinessType } from '../../utils/business';
import { errorCode, errorText, formatTime, toast } from '../../utils/format';

Component({
  data: {
    formId: '',
    loading: true,
    error: '',
    stages: [] as FormStatus[],
    form: null as FormView | null,
    typeLabel: '',
    levelLabel: '',
    codeKindLabel: '',
    createdAt: '',
    returned: null as null | { title: string; reason: string; at: string },
    bills: [] as (BillView & { kindLabel: string; statusLabel: string; receiptFiles: Files })[],
    business: false,
    reasonLabel: '',
    specialtiesTitle: '',
    specialtiesLabel: '',
    canAct: false,
    revealing: false,
    revealingIndex: -1,
    revealed: false,
    notice: '',
    remark: '',
    actionError: '',
    busy: false,
    returnVisible: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ formId: (query && query.formId) || '' });
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },

    async load(notice = '') {
      if (!this.data.formId) {
        this.setData({ loading: false, error: '缺少表单编号，请从审核队列进入。' });
        return;
      }
      this.setData({ loading: !this.data.form, error: '' });
      try {
        const [form, me] = await Promise.all([call('forms', 'get', { formId: this.data.formId }), loadMe()]);
        this.setData({ stages: reviewStages(me.roles) });
        this.show(form, notice);
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    show(form: FormView, notice = '') {
      const r = form.status === 'returned' ? form.returned : undefined;
      const codeKind: CodeKind | undefined = form.codeKind;
      const canAct = this.data.stages.indexOf(form.status) >= 0;
      this.setData({
        business: isBusinessType(form.type),
        reasonLabel: form.reason ? CERT_REASON_LABEL[form.reason] || form.reason : '',
        specialtiesTitle: form.type === 'initial-education' ? '报名专业' : form.type === 'specialty-change' ? '变更后专业' : '专业',
        specialtiesLabel: (form.specialties || []).join('、'),
        revealingIndex: -1,
        loading: false,
        error: '',
        form,
        typeLabel: FORM_TYPE_LABEL[form.type] || form.type,
        levelLabel: form.level ? LEVEL_LABEL[form.level] : '',
        codeKindLabel: codeKind === 'join' || codeKind === 'join-simple' ? `扫描${CODE_KIND_LABEL[codeKind]}` : '',
        createdAt: formatTime(form.createdAt),
        returned: r
          ? { title: `${FORM_STATUS_LABEL[r.from] || r.from}环节已退回${r.to === 'unit' ? '单位' : '申请人'}`, reason: r.reason, at: formatTime(r.at) }
          : null,
        bills: form.bills.map((b) => ({
          ...b,
          kindLabel: BILL_KIND_LABEL[b.kind] || b.kind,
          statusLabel: BILL_STATUS_LABEL[b.status] || b.status,
          paidAt: b.paidAt ? formatTime(b.paidAt) : '',
          receiptFiles: b.receipt ? { receipt: b.receipt } : {},
        })),
        canAct,
        revealed: false,
        notice: notice || (canAct ? '' : `该表单当前处于“${FORM_STATUS_LABEL[form.status]}”，不在您的审核环节。`),
        remark: '',
        actionError: '',
        busy: false,
        returnVisible: false,
      });
    },

    /** The full ID number, on request only: the server audits every read (SPEC §4). */
    async onRevealId() {
      const form = this.data.form;
      if (!form || this.data.revealing) return;
      this.setData({ revealing: true });
      try {
        const r = await call('forms', 'revealId', { formId: this.data.formId, person: 0 });
        this.setData({ revealing: false, revealed: true, 'form.people[0].idNumber': r.idNumber });
      } catch (e) {
        this.setData({ revealing: false });
        toast(errorText(e));
      }
    },

    /** One person of a business form: the full ID number, on request only (audited). */
    async onRevealPerson(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const index = Number(e.detail.index);
      if (!this.data.form || this.data.revealingIndex >= 0 || !(index >= 0)) return;
      this.setData({ revealingIndex: index });
      try {
        const r = await call('forms', 'revealId', { formId: this.data.formId, person: index });
        this.setData({ revealingIndex: -1, [`form.people[${index}].idNumber`]: r.idNumber });
      } catch (err) {
        this.setData({ revealingIndex: -1 });
        toast(errorText(err));
      }
    },

    onRemark(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ remark: e.detail.value });
    },

    failed(e: unknown) {
      if (errorCode(e) === 'CONFLICT') {
        toast('已被他人处理');
        this.setData({ busy: false, returnVisible: false });
        this.load('该表单已被他人处理，以下为最新状态。');
        return;
      }
      this.setData({ busy: false, returnVisible: false, actionError: errorText(e) });
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

    onReturn() {
      if (!this.data.busy && this.data.canAct) this.setData({ returnVisible: true, actionError: '' });
    },
    onReturnCancel() {
      this.setData({ returnVisible: false });
    },
    async onReturnConfirm(e: WechatMiniprogram.CustomEvent<{ reason: string }>) {
      const reason = (e.detail.reason || '').trim();
      if (!reason || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const version = this.data.form ? this.data.form.version : undefined;
        const form = await call('review', 'return', { formId: this.data.formId, reason, version });
        wx.showToast({ title: '已退回', icon: 'success' });
        this.show(form, '已退回，等待单位修改后重新提交。');
      } catch (err) {
        this.failed(err);
      }
    },
  },
});
