/**
 * 申请详情 (applicant): the form as `components/form-detail` shows it — status, number, the stages
 * done and ahead, the trail, the return reason highlighted — with where it is now in a member's
 * words; when the unit returned the application to the applicant, the applicant edits and resubmits
 * (`forms.resubmit`). Until it ends, the applicant may withdraw it (`forms.withdraw`, a second tap
 * confirms; an unpaid bill is voided and a paid one flagged for refund on the server).
 */
import type { CodeKind, FileKey, FormStatus, FormView, PersonView, Profile } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { formPage } from '../../behaviors/form-page';
import { formWithdraw, WITHDRAWABLE } from '../../behaviors/form-withdraw';
import { editablePartOf, profileEdit } from '../../behaviors/profile-edit';
import { call } from '../../services/request';
import { invalidateMe, loadMe } from '../../services/session';
import { PROFILES } from '../../shared/association';
import { RegistrationSlot, isRegistrationType, kindOfType, registrationSlots, registrationStatusWord } from '../../utils/registration';
import { errorText, flattenErrors } from '../../utils/format';
import { checkJoin } from '../../utils/profile-edit';

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
  withdrawn: '申请已撤回',
  rejected: '申请未获批准',
};


/** The applicant edits all of their own profile again. */
function profileOf(p: PersonView): Partial<Profile> {
  return { name: p.name, gender: p.gender, idType: p.idType, idNumber: p.idNumber || '', phone: p.phone, birthDate: p.birthDate, ...editablePartOf(p) };
}

Component({
  behaviors: [formPage, profileEdit, formWithdraw],
  data: {
    missingText: '缺少申请编号，请从“我的申请”进入。',
    stageHint: '',
    editable: false,
    simple: false,
    kind: 'join' as CodeKind,
    fileKeys: FULL_KEYS,
    remark: '',
    submitError: '',
    submitting: false,
    /** 延续/变更登记 (seed 000): the holder's own form — a return asks for its papers again, not a profile. */
    registration: false,
    regSlots: [] as RegistrationSlot[],
  },
  methods: {
    show(form: FormView) {
      if (isRegistrationType(form.type)) {
        this.showRegistration(form);
        return;
      }
      const r = form.status === 'returned' ? form.returned : undefined;
      const editable = !!r && r.to === 'applicant';
      const kind: CodeKind = form.codeKind === 'join-simple' ? 'join-simple' : 'join';
      const person = form.people[0];
      this.setData({
        loading: false,
        form,
        stageHint: STAGE_HINT[form.status] || '',
        editable,
        withdrawable: WITHDRAWABLE.indexOf(form.status) >= 0,
        confirmWithdraw: false,
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
      if (editable) this.fillIdNumber();
    },

    /** A registration in the association's words; returned to the holder: its attachments again. */
    showRegistration(form: FormView) {
      const r = form.status === 'returned' ? form.returned : undefined;
      const editable = !!r && r.to === 'applicant';
      this.setData({
        loading: false,
        form,
        registration: true,
        editable,
        withdrawable: WITHDRAWABLE.indexOf(form.status) >= 0,
        confirmWithdraw: false,
        files: editable ? { ...(form.files || {}) } : {},
        errors: {},
        serverErrors: {},
        submitError: '',
      });
      loadMe()
        .then((me) => {
          const p = me.association ? PROFILES[me.association.id] : undefined;
          const word = registrationStatusWord(p, form.status);
          this.setData({
            stageHint: `审核状态：${word}${form.status === 'approved' ? '，本次登记完成' : ''}`,
            regSlots: registrationSlots(p, kindOfType(form.type as 'registration-renewal')),
          });
        })
        .catch(() => undefined);
    },

    async onResubmitRegistration() {
      if (this.data.submitting) return;
      const missing: Record<string, string> = {};
      for (const s of this.data.regSlots) if (!this.data.files[s.key]) missing[`files_${s.key}`] = `请上传${s.label.replace(/（.*$/, '')}`;
      if (Object.keys(missing).length) {
        this.setData({ errors: missing, submitError: '请上传标红的附件' });
        return;
      }
      this.setData({ submitting: true, submitError: '' });
      try {
        await this.resubmit({});
      } catch (e) {
        this.setData({ submitting: false, errors: flattenErrors((e as { fields?: Record<string, string> }).fields), submitError: errorText(e) });
      }
    },

    /** `forms.resubmit` with the page's files and remark (and `extra`), then show the form as it is now. */
    async resubmit(extra: { profile?: Partial<Profile> }) {
      const form = await call('forms', 'resubmit', {
        formId: this.data.formId,
        ...extra,
        files: this.data.files,
        remark: this.data.remark.trim() || undefined,
        version: this.data.form ? this.data.form.version : undefined,
      });
      invalidateMe();
      wx.showToast({ title: '已重新提交', icon: 'success' });
      this.setData({ submitting: false, remark: '' });
      this.show(form);
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

    /** Every error of the edited application as the rules say (profile-edit shows the touched ones). */
    check(): Record<string, string> {
      return checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay()).errors;
    },

    onRemark(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ remark: e.detail.value });
    },


    async onResubmit() {
      if (this.data.submitting) return;
      this.setData({ submitError: '' });
      if (!this.ready('请按提示修改标红的项目')) return;
      const { profile } = checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay());
      this.setData({ submitting: true });
      try {
        await this.resubmit({ profile });
      } catch (e) {
        const serverErrors = flattenErrors((e as { fields?: Record<string, string> }).fields);
        this.setData({ submitting: false, serverErrors, submitError: errorText(e) });
        this.refresh();
      }
    },
  },
});
