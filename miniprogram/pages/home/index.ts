/**
 * 首页: what the caller can do, by the roles `members.me` returns — scan a code, my applications,
 * my membership and certificates; the unit-admin and reviewer entries when those roles exist; the
 * demo identity switcher in a develop build on the local server.
 */
import type { CertificateView, FormStatus, MembershipLevel } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { FORM_STATUS_LABEL, FORM_TYPE_LABEL, LEVEL_LABEL, ROLE_LABEL } from '../../shared/labels';
import type { Me } from '../../services/session';
import { devOpenid, isDevBuild, loadMe, reviewStages, unitAdminRole } from '../../services/session';
import { call } from '../../services/request';
import { errorText, toast, toQuery } from '../../utils/format';
import { codeFromScan } from '../../utils/scan';

interface Entry {
  title: string;
  description: string;
  url: string;
}

/** One line on the 我的业务 entry: the study tasks still open. */
function studyHint(studies: Me['studies']): string {
  const open = studies.filter((s) => s.status === 'not_started' || s.status === 'studying').length;
  if (open) return `${open}项学习任务未完成`;
  return studies.length ? `${studies.length}项学习任务已结束` : '业务办理与学习进度';
}

const CERT_STATUS_LABEL: Record<CertificateView['status'], string> = { valid: '有效', expired: '已过期', cancelled: '已注销' };

Component({
  data: {
    loading: true,
    error: '',
    greeting: '您好',
    subtitle: '扫描单位提供的二维码即可申请入会',
    member: null as Me['member'],
    stateLabel: '',
    memberships: [] as { level: MembershipLevel; label: string; validUntil: string; valid: boolean }[],
    certificates: [] as (CertificateView & { statusLabel: string })[],
    formsHint: '',
    businessHint: '',
    unitName: '',
    unitEntries: [] as Entry[],
    reviewEntries: [] as Entry[],
    unread: 0,
    adminEntries: [] as Entry[],
    dev: false,
    devIdentity: '',
  },
  methods: {
    onLoad() {
      this.setData({ dev: isDevBuild(), devIdentity: devOpenid() });
      this.load(false);
    },
    onShow() {
      // Back from another page (a new application, a switched identity): refresh quietly.
      if (!this.data.loading) this.load(true);
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load(true);
    },

    async load(force: boolean) {
      if (!this.data.member && !this.data.unitEntries.length) this.setData({ loading: true, error: '' });
      try {
        const me = await loadMe(force);
        this.show(me);
        this.loadUnread();
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    /** The unread count beside 消息及通知; a failure leaves the last count. */
    async loadUnread() {
      try {
        const r = await call('notices', 'list', { unreadOnly: 'yes', page: 1, pageSize: 1 });
        this.setData({ unread: r.unread });
      } catch (e) {
        // The entry still opens the list, which shows its own error.
      }
    },

    show(me: Me) {
      const today = shanghaiDay();
      const m = me.member;
      const unitRole = unitAdminRole(me.roles);
      const unitEntries: Entry[] = unitRole
        ? [
            { title: '入会二维码', description: '出示给新成员扫码申请入会', url: '/pkg-unit/join-code/index' },
            { title: '预审与业务', description: '入会预审、业务表单、暂存与退回件', url: '/pkg-unit/forms/index' },
            { title: '办理业务', description: '初始教育、继续教育、员升师、证书变更与注销', url: '/pkg-unit/business/index' },
            { title: '缴费业务', description: '待缴费、已缴费待确认、开票记录', url: '/pkg-unit/bills/index' },
            { title: '学习进度', description: '本单位人员的学时与考试进度', url: '/pkg-unit/studies/index' },
            { title: '单位人员档案', description: '按条件筛选本单位人员、证书，生成离职码', url: '/pkg-unit/roster/index' },
            { title: '单位二维码', description: '个人归属公司变更码、会员身份资料更新码', url: '/pkg-unit/codes/index' },
            { title: '二维码记录', description: '本单位生成的各类二维码，撤销仍有效的码', url: '/pkg-unit/code-list/index' },
            { title: '身份资料确认', description: '老会员补充身份证后申请绑定微信，核对后确认', url: '/pkg-unit/bind-requests/index' },
            { title: '子账号管理', description: '主账号与子账号、邀请、移交主账号', url: '/pkg-unit/admins/index' },
            { title: '证书批量下载与导出', description: '按条件打包电子证书（zip），导出人员证书表（Excel）', url: '/pkg-cert/unit/index' },
          ]
        : [];
      const adminEntries: Entry[] = me.roles.some((r) => r.role === 'secretariat')
        ? [
            { title: '单位与机构', description: '单位名录、新建与编辑单位，初审机构', url: '/pkg-admin/units/index' },
            { title: '账号与邀请', description: '单位管理员、审核员、财务与秘书处账号的邀请和撤销', url: '/pkg-admin/roles/index' },
            { title: '证书解绑', description: '按证件号查找会员，解除错误绑定的微信', url: '/pkg-admin/unbind/index' },
          ]
        : [];
      const reviewEntries: Entry[] = reviewStages(me.roles).map((stage: FormStatus) => ({
        title: `${FORM_STATUS_LABEL[stage].replace(/中$/, '')}队列`,
        description: '待我审核的表单',
        url: `/pkg-review/queue/index?stage=${stage}`,
      }));
      const pending = me.forms.filter((f) => f.status !== 'approved').length;
      const reviewerRoles = me.roles.filter((r) => r.role !== 'member' && r.role !== 'unit_admin').map((r) => ROLE_LABEL[r.role]);
      this.setData({
        loading: false,
        error: '',
        member: m,
        greeting: m ? `${m.name}，您好` : '您好',
        subtitle: m
          ? m.unit
            ? `${m.unit.name}`
            : '您当前不属于任何单位'
          : reviewerRoles.length || unitRole
            ? [unitRole ? `${unitRole.scopeName || ''}${ROLE_LABEL.unit_admin}` : '', ...reviewerRoles].filter(Boolean).join('、')
            : '扫描单位提供的二维码即可申请入会',
        stateLabel: m ? (m.state === 'free' ? '无在办业务' : `${FORM_TYPE_LABEL[m.state]}办理中`) : '',
        memberships: m
          ? m.memberships.map((x) => ({ level: x.level, label: LEVEL_LABEL[x.level], validUntil: x.validUntil, valid: x.validUntil >= today }))
          : [],
        certificates: me.certificates.map((c) => ({ ...c, statusLabel: CERT_STATUS_LABEL[c.status] || c.status })),
        formsHint: me.forms.length ? `共${me.forms.length}份，${pending}份办理中` : '还没有申请记录',
        businessHint: studyHint(me.studies || []),
        unitName: unitRole ? unitRole.scopeName || '' : '',
        unitEntries,
        reviewEntries,
        adminEntries,
      });
    },

    onScan() {
      wx.scanCode({
        onlyFromCamera: false,
        success: (r) => {
          // An e-certificate's QR is a verification URL carrying `t=`: open the verification page.
          const text = String(r.result || '');
          if (/^https?:\/\//i.test(text) && /[?&]t=/.test(text)) {
            wx.navigateTo({ url: `/pkg-cert/verify/index?${toQuery({ q: text })}` });
            return;
          }
          const code = codeFromScan(r);
          wx.navigateTo({ url: `/pages/scan/index?${toQuery({ code })}` });
        },
        fail: (e) => {
          if (!/cancel/i.test(e.errMsg || '')) toast('无法打开扫码，请检查微信的相机权限');
        },
      });
    },
    onApplications() {
      wx.navigateTo({ url: '/pkg-member/applications/index' });
    },
    onNotices() {
      wx.navigateTo({ url: '/pkg-member/notices/index' });
    },
    onBusiness() {
      wx.navigateTo({ url: '/pkg-member/business/index' });
    },
    onGo(e: WechatMiniprogram.CustomEvent) {
      const url = String(e.currentTarget.dataset.url || '');
      if (url) wx.navigateTo({ url });
    },
    onDev() {
      wx.navigateTo({ url: '/pages/dev/index' });
    },
  },
});
