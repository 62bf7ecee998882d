/**
 * 申请详情 (applicant): status, number, the trail, the return reason highlighted; when the unit
 * returned the application to the applicant, the applicant edits and resubmits (`forms.resubmit`).
 */
import type { CodeKind, FileKey, Files, FormStatus, FormView, PersonView, Profile } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { FORM_STATUS_LABEL, FORM_TYPE_LABEL, LEVEL_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { invalidateMe } from '../../services/session';
import { errorText, flattenErrors, formatTime, pickErrors, toast } from '../../utils/format';
import { checkJoin, fieldKey, touchAfterChange } from '../../utils/profile-edit';

const FULL_KEYS: FileKey[] = ['photo', 'idFront', 'idBack', 'diploma', 'diplomaCheck', 'video', 'titleCert', 'qualificationCert'];
const SIMPLE_KEYS: FileKey[] = ['photo', 'idFront', 'idBack'];

/** Where the form is now, in a member's words. */
const STAGE_HINT: Partial<Record<FormStatus, string>> = {
  unit_review: '等待单位管理员预审',
  awaiting_payment: '单位预审已通过，等待单位缴纳个人会费',
  org_review: '等待会员服务机构初审',
  assoc_review: '等待协会复核',
  finance_review: '等待协会财务复核及收费审批',
  approved: '审批完成，已取得会籍',
  returned: '申请被退回',
};

function profileOf(p: PersonView): Partial<Profile> {
  const out: Partial<Profile> = {
    name: p.name,
    gender: p.gender,
    idType: p.idType,
    idNumber: p.idNumber || '',
    phone: p.phone,
    birthDate: p.birthDate,
  };
  if (p.address) out.address = p.address;
  if (p.education) out.education = { ...p.education };
  if (p.title) out.title = p.title;
  return out;
}

Component({
  data: {
    formId: '',
    loading: true,
    error: '',
    form: null as FormView | null,
    typeLabel: '',
    levelLabel: '',
    createdAt: '',
    stageHint: '',
    returned: null as null | { toLabel: string; fromLabel: string; reason: string; at: string },
    editable: false,
    simple: false,
    kind: 'join' as CodeKind,
    profile: {} as Partial<Profile>,
    files: {} as Files,
    fileKeys: FULL_KEYS,
    touched: {} as Record<string, boolean>,
    showAll: false,
    serverErrors: {} as Record<string, string>,
    errors: {} as Record<string, string>,
    remark: '',
    submitError: '',
    submitting: false,
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

    async load() {
      if (!this.data.formId) {
        this.setData({ loading: false, error: '缺少申请编号，请从“我的申请”进入。' });
        return;
      }
      this.setData({ loading: !this.data.form, error: '' });
      try {
        const form = await call('forms', 'get', { formId: this.data.formId });
        this.show(form);
        if (this.data.editable) await this.fillIdNumber();
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    show(form: FormView) {
      const r = form.status === 'returned' ? form.returned : undefined;
      const editable = !!r && r.to === 'applicant';
      const kind: CodeKind = form.codeKind === 'join-simple' ? 'join-simple' : 'join';
      const person = form.people[0];
      this.setData({
        loading: false,
        form,
        typeLabel: FORM_TYPE_LABEL[form.type] || form.type,
        levelLabel: form.level ? LEVEL_LABEL[form.level] : '',
        createdAt: formatTime(form.createdAt),
        stageHint: STAGE_HINT[form.status] || '',
        returned: r
          ? { toLabel: r.to === 'applicant' ? '给您' : '单位', fromLabel: FORM_STATUS_LABEL[r.from] || r.from, reason: r.reason, at: formatTime(r.at) }
          : null,
        editable,
        kind,
        simple: kind === 'join-simple',
        fileKeys: kind === 'join-simple' ? SIMPLE_KEYS : FULL_KEYS,
        profile: editable && person ? profileOf(person) : {},
        files: editable && person ? { ...person.files } : {},
        touched: {},
        showAll: false,
        serverErrors: {},
        errors: {},
        submitError: '',
      });
    },

    /** Editing one's own returned application: the holder's own full ID number (an audited read). */
    async fillIdNumber() {
      try {
        const r = await call('forms', 'revealId', { formId: this.data.formId, person: 0 });
        if (!this.data.profile.idNumber) this.setData({ 'profile.idNumber': r.idNumber });
      } catch (e) {
        // Not fatal: the applicant types the number again, and the checks say so.
      }
    },

    refresh() {
      const { errors } = checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay());
      this.setData({ errors: { ...pickErrors(errors, this.data.touched, this.data.showAll), ...this.data.serverErrors } });
    },

    onProfile(e: WechatMiniprogram.CustomEvent<{ field: string; value: Partial<Profile> }>) {
      if (!e.detail || !e.detail.field) return; // a bubbling event from inside the form, not the form's own
      const serverErrors = { ...this.data.serverErrors };
      delete serverErrors[fieldKey(e.detail.field)];
      this.setData({ profile: e.detail.value, touched: touchAfterChange(e.detail.field, e.detail.value, this.data.touched), serverErrors });
      this.refresh();
    },
    onBlur(e: WechatMiniprogram.CustomEvent<{ field: string }>) {
      this.setData({ touched: { ...this.data.touched, [fieldKey(e.detail.field)]: true } });
      this.refresh();
    },
    onFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      this.setData({ files: { ...this.data.files, [e.detail.key]: e.detail.fileID } });
      this.refresh();
    },
    onRemark(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ remark: e.detail.value });
    },

    async onResubmit() {
      if (this.data.submitting) return;
      this.setData({ showAll: true, submitError: '' });
      this.refresh();
      const { errors, profile } = checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay());
      if (Object.keys(errors).length) {
        toast('请按提示修改标红的项目');
        return;
      }
      this.setData({ submitting: true });
      try {
        const form = await call('forms', 'resubmit', {
          formId: this.data.formId,
          profile,
          files: this.data.files,
          remark: this.data.remark.trim() || undefined,
          version: this.data.form ? this.data.form.version : undefined,
        });
        invalidateMe();
        wx.showToast({ title: '已重新提交', icon: 'success' });
        this.setData({ submitting: false, remark: '' });
        this.show(form);
      } catch (e) {
        const serverErrors = flattenErrors((e as { fields?: Record<string, string> }).fields);
        this.setData({ submitting: false, serverErrors, submitError: errorText(e) });
        this.refresh();
      }
    },
  },
});
