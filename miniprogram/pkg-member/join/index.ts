/**
 * 入会申请 (SPEC §3.2, manual 2.1): the form of the scanned code's kind — the full code asks for
 * everything, the simple code (入会简码) for photo, ID card and name/gender/ID/phone only. Checks run
 * as you type (shared/profile, the server's own rules); ID-card images and the ID number need a
 * separate consent (PIPL Art. 29–30) before they are uploaded or sent. Submit → `members.apply`.
 */
import type { CodeKind, MembershipLevel, Profile } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { CODE_KIND_LABEL, LEVEL_LABEL } from '../../shared/labels';
import { profileEdit } from '../../behaviors/profile-edit';
import { call } from '../../services/request';
import { invalidateMe } from '../../services/session';
import { errorText, flattenErrors, formatTime, toast, toQuery } from '../../utils/format';
import { checkJoin } from '../../utils/profile-edit';
import { safeDecode } from '../../utils/scan';

const LEVELS: { value: MembershipLevel; label: string; desc: string }[] = [
  { value: 'ordinary', label: LEVEL_LABEL.ordinary, desc: '用于监理员、专业监理工程师等培训证书的教育学习' },
  { value: 'professional', label: LEVEL_LABEL.professional, desc: '用于注册监理工程师（注师）的继续教育' },
];

Component({
  behaviors: [profileEdit],
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
    agree: false,
    consent: false,
    consentError: '',
    submitError: '',
    submitting: false,
  },
  observers: {
    // An edit answers the last refusal.
    profile() {
      if (this.data.submitError) this.setData({ submitError: '' });
    },
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

    /** Every error of the application as the rules say (profile-edit shows the touched ones). */
    check(): Record<string, string> {
      return checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay(), this.data.level).errors;
    },

    onLevel(e: WechatMiniprogram.TouchEvent) {
      this.setData({ level: e.currentTarget.dataset.value as MembershipLevel });
    },

    onAgree(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>) {
      this.setData({ agree: e.detail.checked, consentError: '' });
    },
    onConsent(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>) {
      this.setData({ consent: e.detail.checked, consentError: '' });
    },

    async onSubmit() {
      if (this.data.submitting) return;
      this.setData({ submitError: '' });
      const complete = this.ready();
      if (!this.data.agree || !this.data.consent) {
        this.setData({
          consentError: !this.data.consent
            ? '请勾选单独同意处理身份证号码和身份证照片，否则无法提交入会申请'
            : '请阅读并同意个人信息处理说明',
        });
        toast('请先勾选个人信息处理同意');
        return;
      }
      if (!complete) {
        toast('请按提示修改标红的项目');
        return;
      }
      const { profile } = checkJoin(this.data.profile, this.data.files, this.data.kind, shanghaiDay(), this.data.level);
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
