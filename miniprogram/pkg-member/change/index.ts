/**
 * 个人信息变更 (manual 2.3.2, issue 11): change a phone, address, title or education — or a name, with
 * the new ID card's two sides as proof. Only what is filled in is asked for.
 * - The member for themself (`members.requestChange`): 单位预审 → 机构初审 → 协会复核; progress on 申请详情.
 * - A unit admin for one of the unit's people (`?memberId=&name=`, from the roster's 更多): the unit's
 *   form (`forms.create {type:'member-info-change'}` then `forms.submit`) skips its own pre-review
 *   and goes to 机构初审; it opens on the unit's form detail.
 * The record changes only when the review approves.
 */
import type { EducationLevel, Files, FormView, MemberChangeReq } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { EDUCATION_LABEL, FORM_STATUS_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { invalidateMe } from '../../services/session';
import { errorText, flattenErrors } from '../../utils/format';

const LEVELS = Object.keys(EDUCATION_LABEL) as EducationLevel[];
const PHONE = /^1[3-9]\d{9}$/;

Component({
  data: {
    today: shanghaiDay(),
    phone: '',
    address: '',
    title: '',
    name: '',
    levelNames: ['不变', ...LEVELS.map((l) => EDUCATION_LABEL[l])],
    levelIndex: 0,
    school: '',
    major: '',
    graduatedOn: '',
    files: {} as Files,
    errors: {} as Record<string, string>,
    submitting: false,
    submitError: '',
    sent: null as null | { id: string; no: string; status: string },
    /** Unit mode: the person the unit asks for, and their name for the heading. */
    memberId: '',
    personName: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const memberId = (query && query.memberId) || '';
      const personName = (query && query.name) || '';
      this.setData({ memberId, personName });
      if (memberId && typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: `${personName || '人员'}的信息变更` });
    },
    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (!['phone', 'address', 'title', 'name', 'school', 'major', 'graduatedOn'].includes(key)) return;
      const value = String(e.detail.value);
      const errors = { ...this.data.errors };
      delete errors[key];
      // The phone is checked as it is typed, once it has its eleven digits.
      if (key === 'phone' && value.length >= 11 && !PHONE.test(value)) errors.phone = '请填写正确的11位手机号码';
      this.setData({ [key]: value, errors, submitError: '' });
    },
    onLevel(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ levelIndex: Number(e.detail.value) || 0, submitError: '' });
    },
    onFile(e: WechatMiniprogram.CustomEvent<{ key: string; fileID: string }>) {
      const errors = { ...this.data.errors };
      delete errors[`files_${e.detail.key}`];
      this.setData({ [`files.${e.detail.key}`]: e.detail.fileID, errors });
    },

    /** What is asked, or the errors that stop it (the server checks again). */
    request(): { changes: MemberChangeReq; files: Files } | Record<string, string> {
      const d = this.data;
      const changes: MemberChangeReq = {};
      const errors: Record<string, string> = {};
      if (d.phone.trim()) {
        if (PHONE.test(d.phone.trim())) changes.phone = d.phone.trim();
        else errors.phone = '请填写正确的11位手机号码';
      }
      if (d.address.trim()) {
        if (d.address.trim().length >= 2) changes.address = d.address.trim();
        else errors.address = '通讯地址至少2个字';
      }
      if (d.title.trim()) changes.title = d.title.trim();
      if (d.name.trim()) {
        changes.name = d.name.trim();
        if (!d.files.idFront) errors.files_idFront = '变更姓名须上传新身份证件的人像面';
        if (!d.files.idBack) errors.files_idBack = '变更姓名须上传新身份证件的国徽面';
      }
      if (d.levelIndex > 0) {
        if (!d.school.trim()) errors.school = '请填写毕业院校';
        if (!d.major.trim()) errors.major = '请填写所学专业';
        if (!d.graduatedOn) errors.graduatedOn = '请选择毕业时间';
        changes.education = { level: LEVELS[d.levelIndex - 1], school: d.school.trim(), major: d.major.trim(), graduatedOn: d.graduatedOn };
      }
      if (Object.keys(errors).length) return errors;
      if (!Object.keys(changes).length) return { form: '请至少填写一项需要变更的信息' };
      const files: Files = {};
      if (changes.name) {
        files.idFront = d.files.idFront;
        files.idBack = d.files.idBack;
      }
      return { changes, files };
    },

    async onSubmit() {
      if (this.data.submitting) return;
      const asked = this.request();
      if (!('changes' in asked) || typeof asked.changes !== 'object') {
        const errors = asked as Record<string, string>;
        this.setData({ errors, submitError: errors.form || '请按提示修改标红的项目' });
        return;
      }
      const r = asked as { changes: MemberChangeReq; files: Files };
      this.setData({ submitting: true, submitError: '', errors: {} });
      try {
        let form: FormView;
        if (this.data.memberId) {
          const draft = await call('forms', 'create', { type: 'member-info-change', memberIds: [this.data.memberId], changes: r.changes, ...(Object.keys(r.files).length ? { files: r.files } : {}) });
          form = await call('forms', 'submit', { formId: draft.id, version: draft.version });
        } else {
          form = await call('members', 'requestChange', Object.keys(r.files).length ? r : { changes: r.changes });
          invalidateMe();
        }
        this.setData({ submitting: false, sent: { id: form.id, no: form.no, status: FORM_STATUS_LABEL[form.status] } });
      } catch (e) {
        // The server names fields as `changes.phone`, `files.idFront`: shown beside the same inputs.
        const errors: Record<string, string> = {};
        const flat = flattenErrors((e as { fields?: Record<string, string> }).fields);
        for (const k of Object.keys(flat)) errors[k.replace(/^changes_(education_)?/, '')] = flat[k];
        this.setData({ submitting: false, submitError: errorText(e), errors });
      }
    },

    onOpen() {
      if (!this.data.sent) return;
      const page = this.data.memberId ? '/pkg-unit/form/index' : '/pkg-member/application/index';
      wx.redirectTo({ url: `${page}?formId=${this.data.sent.id}` });
    },
  },
});
