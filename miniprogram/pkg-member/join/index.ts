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

/** The steps as a person thinks (issue 13): who I am and how to reach me → my education → consent and pictures. */
const FULL_STEPS = ['个人信息', '学历', '同意与附件'];
const SIMPLE_STEPS = ['个人信息', '同意与附件'];

/** Which step an error's field (a WXML-safe key) belongs to, by the step's name. */
function stepOfKey(key: string): string {
  if (key.startsWith('files_') || key === 'consent') return '同意与附件';
  if (key.startsWith('education') || key === 'title') return '学历';
  return '个人信息';
}

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
    step: 1,
    steps: FULL_STEPS,
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
          steps: r.kind === 'join-simple' ? SIMPLE_STEPS : FULL_STEPS,
          step: 1,
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

    /** 下一步: this step's fields must be right first; the next step starts without shouting. */
    onNext() {
      const here = this.data.steps[this.data.step - 1];
      const wrong = Object.keys(this.check()).filter((k) => stepOfKey(k) === here);
      if (wrong.length) {
        // Only this step's errors show; the next steps' fields have not been reached.
        const touched = { ...this.data.touched };
        for (const k of wrong) touched[k] = true;
        this.setData({ touched });
        this.refresh();
        toast('请按提示修改标红的项目');
        return;
      }
      this.setData({ step: Math.min(this.data.step + 1, this.data.steps.length), showAll: false });
      this.refresh();
      this.toTop();
    },
    onPrev() {
      this.setData({ step: Math.max(1, this.data.step - 1) });
      this.toTop();
    },
    toTop() {
      if (typeof wx.pageScrollTo === 'function') wx.pageScrollTo({ scrollTop: 0, duration: 0 });
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
        // Back to the first step with something to fix.
        const first = Object.keys(this.check()).map(stepOfKey)[0];
        const at = this.data.steps.indexOf(first);
        if (at >= 0) this.setData({ step: at + 1 });
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
