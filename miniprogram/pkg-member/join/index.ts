/**
 * 入会申请 (SPEC §3.2, manual 2.1): the form of the scanned code's kind — the full code asks for
 * everything, the simple code (入会简码) for photo, ID card and name/gender/ID/phone only. Checks run
 * as you type (shared/profile, the server's own rules); ID-card images and the ID number need a
 * separate consent (PIPL Art. 29–30) before they are uploaded or sent. Submit → `members.apply`.
 */
import type { CodeKind, FileKey, Files, MembershipLevel, Profile } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { CODE_KIND_LABEL, LEVEL_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { invalidateMe } from '../../services/session';
import { errorText, flattenErrors, formatTime, pickErrors, toast, toQuery } from '../../utils/format';
import { checkJoin, fieldKey, touchAfterChange, withDerivedGender } from '../../utils/profile-edit';
import { safeDecode } from '../../utils/scan';

const LEVELS: { value: MembershipLevel; label: string; desc: string }[] = [
  { value: 'ordinary', label: LEVEL_LABEL.ordinary, desc: '用于监理员、专业监理工程师等培训证书的教育学习' },
  { value: 'professional', label: LEVEL_LABEL.professional, desc: '用于注册监理工程师（注师）的继续教育' },
];

Component({
  data: {
    loading: true,
    loadError: '',
    code: '',
    kind: 'join' as CodeKind,
    kindLabel: '',
    simple: false,
    unitName: '',
    expiresAt: '',
    levels: LEVELS,
    level: 'ordinary' as MembershipLevel,
    profile: { idType: 'resident' } as Partial<Profile>,
    files: {} as Files,
    touched: {} as Record<string, boolean>,
    showAll: false,
    /** Server-side field errors of the last submit, until the field is edited. */
    serverErrors: {} as Record<string, string>,
    errors: {} as Record<string, string>,
    agree: false,
    consent: false,
    consentError: '',
    submitError: '',
    submitting: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const code = safeDecode((query && query.code) || '').trim();
      this.setData({ code });
      this.resolve();
    },
    onRetry() {
      this.resolve();
    },

    /** The code is resolved again here: its kind, unit and expiry come from the server, not the URL. */
    async resolve() {
      if (!this.data.code) {
        this.setData({ loading: false, loadError: '请先扫描单位管理员出示的入会二维码。' });
        return;
      }
      this.setData({ loading: true, loadError: '' });
      try {
        const r = await call('codes', 'resolve', { code: this.data.code });
        if (r.kind !== 'join' && r.kind !== 'join-simple') {
          this.setData({ loading: false, loadError: '这不是入会二维码，请向单位管理员获取入会二维码。' });
          return;
        }
        this.setData({
          loading: false,
          kind: r.kind,
          kindLabel: r.kind === 'join' ? '个人会员入会申请' : `个人会员入会申请（${CODE_KIND_LABEL['join-simple']}）`,
          simple: r.kind === 'join-simple',
          unitName: r.unit.name,
          expiresAt: formatTime(r.expiresAt),
        });
      } catch (e) {
        this.setData({ loading: false, loadError: errorText(e) });
      }
    },

    /** Recompute what is shown: live checks for touched fields, all after a submit attempt, plus server errors. */
    refresh() {
      const { errors } = checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay());
      const shown = { ...pickErrors(errors, this.data.touched, this.data.showAll), ...this.data.serverErrors };
      this.setData({ errors: shown });
    },

    onLevel(e: WechatMiniprogram.TouchEvent) {
      this.setData({ level: e.currentTarget.dataset.value as MembershipLevel });
    },

    onProfile(e: WechatMiniprogram.CustomEvent<{ field: string; value: Partial<Profile> }>) {
      if (!e.detail || !e.detail.field) return; // a bubbling event from inside the form, not the form's own
      const { field } = e.detail;
      const value = field === 'idNumber' ? withDerivedGender(e.detail.value, shanghaiDay()) : e.detail.value;
      const serverErrors = { ...this.data.serverErrors };
      delete serverErrors[fieldKey(field)];
      this.setData({ profile: value, touched: touchAfterChange(field, value, this.data.touched), serverErrors, submitError: '' });
      this.refresh();
    },

    onBlur(e: WechatMiniprogram.CustomEvent<{ field: string }>) {
      const key = fieldKey(e.detail.field);
      if (this.data.touched[key]) return;
      this.setData({ touched: { ...this.data.touched, [key]: true } });
      this.refresh();
    },

    onFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      const { key, fileID } = e.detail;
      const serverErrors = { ...this.data.serverErrors };
      delete serverErrors[`files_${key}`];
      this.setData({ files: { ...this.data.files, [key]: fileID }, serverErrors });
      this.refresh();
    },

    onAgree(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>) {
      this.setData({ agree: e.detail.checked, consentError: '' });
    },
    onConsent(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>) {
      this.setData({ consent: e.detail.checked, consentError: '' });
    },

    async onSubmit() {
      if (this.data.submitting) return;
      this.setData({ showAll: true, submitError: '' });
      this.refresh();
      if (!this.data.agree || !this.data.consent) {
        this.setData({
          consentError: !this.data.consent
            ? '请勾选单独同意处理身份证号码和身份证照片，否则无法提交入会申请'
            : '请阅读并同意个人信息处理说明',
        });
        toast('请先勾选个人信息处理同意');
        return;
      }
      const { errors, profile } = checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay());
      if (Object.keys(errors).length) {
        toast('请按提示修改标红的项目');
        return;
      }
      this.setData({ submitting: true });
      try {
        const r = await call('members', 'apply', {
          code: this.data.code,
          level: this.data.level,
          profile,
          files: this.data.files,
        });
        invalidateMe();
        this.setData({ submitting: false });
        wx.showToast({ title: '提交成功', icon: 'success' });
        wx.redirectTo({ url: `/pkg-member/applications/index?${toQuery({ submitted: r.formNo })}` });
      } catch (e) {
        const serverErrors = flattenErrors((e as { fields?: Record<string, string> }).fields);
        this.setData({ submitting: false, serverErrors, submitError: errorText(e) });
        this.refresh();
        toast(Object.keys(serverErrors).length ? '请按提示修改标红的项目' : errorText(e));
      }
    },
  },
});
