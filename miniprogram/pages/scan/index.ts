/**
 * 扫码: the landing page of every code (SPEC §3.4). The token arrives from `wx.scanCode`, from a
 * mini-program code's `scene`, from a URL QR's `q`, or as `code`; `codes.resolve` says what it is.
 * A join code leads to the join form of its kind; transfer and resignation codes are confirmed here.
 */
import type { ResOf } from '../../../typings/api';
import { CODE_KIND_LABEL, ROLE_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { invalidateMe, loadMe } from '../../services/session';
import { errorCode, errorText, formatTime, toast, toQuery } from '../../utils/format';
import { codeFromQuery, codeFromScan } from '../../utils/scan';
import { askSubscribe } from '../../utils/subscribe';

type Resolved = ResOf<'codes', 'resolve'>;

/** Headline per failure; the sentence below it is the server's own Chinese message. */
const ERROR_TITLE: Record<string, string> = {
  CODE_INVALID: '二维码无效',
  CODE_EXPIRED: '二维码已过期',
  CODE_USED: '二维码已被使用',
  FORBIDDEN: '无法办理',
  NOT_ELIGIBLE: '暂不能办理',
};

const EXPLAIN: Record<Resolved['kind'], string> = {
  join: '请本人填写全部必填信息并上传附件（证件照、身份证正反面、学历证明等）。',
  'join-simple': '入会简码：只需上传证件照、身份证正反面并填写姓名、性别、证件号码和手机号码，其余信息由单位管理员在预审时补充。',
  transfer: '确认后，您的个人会员归属将变更到该单位。有业务办理中时不能变更。',
  resign: '确认后，您将从该单位离职，成为暂无单位的会员。有业务办理中时不能离职。',
  'id-update': '平台上线前登记的会员：按姓名和身份证号查找本人档案，上传身份证正反面并确认手机号码。',
  'sub-admin': '请填写邀请中登记的手机号码，确认后您将成为该单位的子账号管理员。',
  role: '请填写邀请中登记的手机号码，确认后您将获得邀请中的平台角色。',
};

Component({
  data: {
    code: '',
    loading: false,
    error: '',
    errorTitle: '',
    resolved: null as Resolved | null,
    kindLabel: '',
    expiresAt: '',
    explain: '',
    isJoin: false,
    isMove: false,
    isInvite: false,
    roleLabel: '',
    currentUnit: '',
    change: '',
    phone: '',
    phoneError: '',
    confirming: false,
    done: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const code = codeFromQuery(query || {});
      if (code) this.resolve(code);
      else if (query && (query.scene !== undefined || query.q !== undefined || query.code !== undefined))
        this.fail('CODE_INVALID', '未能识别二维码内容，请向单位管理员重新获取。');
    },

    onScan() {
      wx.scanCode({
        onlyFromCamera: false,
        scanType: ['qrCode', 'wxCode'],
        success: (r) => {
          const code = codeFromScan(r);
          if (code) this.resolve(code);
          else this.fail('CODE_INVALID', '未能识别二维码内容，请向单位管理员重新获取。');
        },
        fail: (e) => {
          if (!/cancel/i.test(e.errMsg || '')) toast('无法打开扫码，请检查微信的相机权限');
        },
      });
    },

    fail(code: string, message: string) {
      this.setData({ loading: false, resolved: null, errorTitle: ERROR_TITLE[code] || '无法识别', error: message, done: '' });
    },

    async resolve(code: string) {
      this.setData({ code, loading: true, error: '', resolved: null, done: '' });
      try {
        const r = await call('codes', 'resolve', { code });
        this.setData({
          loading: false,
          resolved: r,
          kindLabel: CODE_KIND_LABEL[r.kind] || r.kind,
          expiresAt: formatTime(r.expiresAt),
          explain: EXPLAIN[r.kind] || '',
          isJoin: r.kind === 'join' || r.kind === 'join-simple',
          isMove: r.kind === 'transfer' || r.kind === 'resign',
          isInvite: r.kind === 'sub-admin' || r.kind === 'role',
          roleLabel: r.role ? ROLE_LABEL[r.role] || r.role : '',
          currentUnit: '',
          change: '',
        });
        if (r.kind === 'transfer' || r.kind === 'resign') this.showChange(r);
      } catch (e) {
        this.fail(errorCode(e), errorText(e));
      }
    },

    /** What confirming changes: 当前单位 → the code's unit (transfer), or → 无单位 (resignation). */
    async showChange(r: Resolved) {
      try {
        const code = this.data.code;
        const me = await loadMe();
        if (!this.data.resolved || this.data.code !== code) return;
        const m = me.member;
        const current = m ? (m.unit ? m.unit.name : '暂无单位') : '';
        const change = !m
          ? '您还不是会员，无法办理。'
          : r.kind === 'transfer'
            ? `会员归属：${current} → ${r.unit.name}`
            : `会员归属：${current} → 暂无单位`;
        this.setData({ currentUnit: current, change });
      } catch (e) {
        // The confirmation itself still answers with the server's reason.
      }
    },

    onJoin() {
      const r = this.data.resolved;
      if (!r) return;
      wx.navigateTo({ url: `/pkg-member/join/index?${toQuery({ code: this.data.code, kind: r.kind })}` });
    },

    onHome() {
      wx.reLaunch({ url: '/pages/home/index' });
    },

    onIdUpdate() {
      wx.navigateTo({ url: `/pkg-member/id-update/index?${toQuery({ code: this.data.code })}` });
    },

    onPhone(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ phone: e.detail.value, phoneError: '' });
    },

    async onConfirm() {
      const r = this.data.resolved;
      if (!r || this.data.confirming) return;
      this.setData({ confirming: true });
      const asking = askSubscribe(['code-confirmed', 'review-result']);
      try {
        const action = r.kind === 'transfer' ? 'confirmTransfer' : 'confirmResign';
        const res = await call('members', action, { code: this.data.code });
        invalidateMe();
        await asking;
        this.setData({
          confirming: false,
          resolved: null,
          done: res.unit ? `已变更到 ${res.unit.name}。` : '已确认离职，您现在不属于任何单位。',
        });
      } catch (e) {
        this.setData({ confirming: false });
        this.fail(errorCode(e), errorText(e));
      }
    },

    async onAccept() {
      const r = this.data.resolved;
      if (!r || this.data.confirming) return;
      const phone = this.data.phone.trim();
      if (phone && !/^1\d{10}$/.test(phone)) {
        this.setData({ phoneError: '请填写11位手机号码' });
        return;
      }
      this.setData({ confirming: true, phoneError: '' });
      try {
        const grant =
          r.kind === 'sub-admin'
            ? await call('units', 'acceptInvite', { code: this.data.code, ...(phone ? { phone } : {}) })
            : await call('admin', 'acceptRole', { code: this.data.code, ...(phone ? { phone } : {}) });
        invalidateMe();
        const scope = grant.scopeName || r.unit.name || '';
        this.setData({
          confirming: false,
          resolved: null,
          done: `已成为${scope}${ROLE_LABEL[grant.role] || ''}${grant.role === 'unit_admin' ? (grant.main ? '（主账号）' : '（子账号）') : ''}，返回首页即可使用。`,
        });
      } catch (e) {
        this.setData({ confirming: false });
        if (errorCode(e) === 'INVALID_INPUT' || errorCode(e) === 'FORBIDDEN') this.setData({ phoneError: errorText(e) });
        else this.fail(errorCode(e), errorText(e));
      }
    },
  },
});
