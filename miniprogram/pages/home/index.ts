/**
 * 首页: what the caller can do, by the roles `members.me` returns. Work waiting for the caller's
 * roles comes first (待办, with counts from `notices.todo`: forms at my stage, bills due, bindings
 * to confirm, memberships expiring); then my membership and certificates; then the unit-admin,
 * reviewer and secretariat entries. Staff with no member record are not offered the newcomer's
 * 扫码入会 nor an empty 我的申请. The demo identity switcher shows in a develop build.
 */
import type { CertificateView, FormStatus, MembershipLevel, ResOf } from '../../../typings/api';
import { addDays, shanghaiDay } from '../../shared/dates';
import { FORM_STATUS_LABEL, FORM_TYPE_LABEL, LEVEL_LABEL, ROLE_LABEL } from '../../shared/labels';
import type { Me } from '../../services/session';
import { devOpenid, isDevBuild, loadMe, reviewStages, unitAdminRole } from '../../services/session';
import { call } from '../../services/request';
import { errorText, toast, toQuery } from '../../utils/format';
import { codeFromScan } from '../../utils/scan';
import { isRegistrationType, offersRegistration, profileOfView } from '../../utils/registration';

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

/** The call on 会籍与续缴 when a membership has lapsed or ends within 30 days. */
function renewHint(memberships: { validUntil: string }[], today: string): string {
  if (memberships.some((x) => x.validUntil < today)) return '会籍已过期，请续缴会费';
  if (memberships.some((x) => x.validUntil <= addDays(today, 30))) return '会籍即将到期，请续缴会费';
  return '';
}

interface TodoItem {
  key: string;
  title: string;
  count: number;
  url: string;
}

/** 待办 from the counts, in the order a day's work goes; stages the caller reviews first. */
function todoItems(t: ResOf<'notices', 'todo'>): TodoItem[] {
  const items: TodoItem[] = [];
  for (const stage of ['org_review', 'assoc_review', 'finance_review'] as FormStatus[]) {
    const n = t.stages[stage];
    if (n !== undefined) items.push({ key: stage, title: `${FORM_STATUS_LABEL[stage].replace(/中$/, '')}待审核`, count: n, url: `/pkg-review/queue/index?stage=${stage}` });
  }
  if (t.stages.unit_review !== undefined)
    items.push({ key: 'unit_review', title: '待单位预审', count: t.stages.unit_review, url: '/pkg-unit/forms/index?status=unit_review' });
  if (t.unpaidBills !== undefined) items.push({ key: 'bills', title: '待缴费', count: t.unpaidBills, url: '/pkg-unit/bills/index' });
  if (t.returned !== undefined) items.push({ key: 'returned', title: '退回待修改', count: t.returned, url: '/pkg-unit/forms/index?status=returned' });
  if (t.bindRequests !== undefined) items.push({ key: 'bind', title: '身份资料待确认', count: t.bindRequests, url: '/pkg-unit/bind-requests/index' });
  if (t.expiring !== undefined) items.push({ key: 'expiring', title: '会籍30天内到期', count: t.expiring, url: '/pkg-unit/roster/index?expiring=1' });
  if (t.uninvoiced !== undefined) items.push({ key: 'uninvoiced', title: '待开票', count: t.uninvoiced, url: '/pkg-review/invoices/index' });
  if (t.unitRequests !== undefined) items.push({ key: 'unit-requests', title: '单位添加申请', count: t.unitRequests, url: '/pkg-admin/unit-requests/index' });
  return items;
}

const CERT_STATUS_LABEL: Record<CertificateView['status'], string> = { valid: '有效', expired: '已过期', cancelled: '已注销' };

/** 数据统计: forms, ages, education and certificate types (secretariat and association reviewers). */
const STATS_ENTRY: Entry = { title: '数据统计', description: '表单状态与类型、近12个月提交，会员年龄、学历与证书分布', url: '/pkg-admin/dashboard/index' };

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
    todo: [] as TodoItem[],
    todoTotal: 0,
    staff: false,
    showApplications: true,
    renewHint: '',
    adminEntries: [] as Entry[],
    /** 延续登记 / 变更登记 / 登记记录: a certificate holder of an association whose holders register themselves (seed 000). */
    regEntries: [] as Entry[],
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
        if (this.data.staff) this.loadTodo();
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

    /** 待办 counts for the caller's roles; a failure leaves the last counts (the pages show their own errors). */
    async loadTodo() {
      try {
        const items = todoItems(await call('notices', 'todo', {}));
        this.setData({ todo: items, todoTotal: items.reduce((n, i) => n + i.count, 0) });
      } catch (e) {
        // Each entry below still opens its page.
      }
    },

    show(me: Me) {
      const today = shanghaiDay();
      const m = me.member;
      const unitRole = unitAdminRole(me.roles);
      // An association whose holders register alone (the equipment profile) has no unit-started business.
      const unitBusiness = !me.association || me.association.unitBusiness;
      const unitEntries: Entry[] = unitRole
        ? [
            { title: '入会二维码', description: '出示给新成员扫码申请入会', url: '/pkg-unit/join-code/index' },
            { title: '预审与业务', description: '入会预审、业务表单、暂存与退回件', url: '/pkg-unit/forms/index' },
            ...(unitBusiness ? [{ title: '办理业务', description: '初始教育、继续教育、员升师、证书变更与注销', url: '/pkg-unit/business/index' }] : []),
            { title: '缴费业务', description: '待缴费、已缴费待确认、开票记录', url: '/pkg-unit/bills/index' },
            ...(unitBusiness ? [{ title: '学习进度', description: '本单位人员的学时与考试进度', url: '/pkg-unit/studies/index' }] : []),
            { title: '单位人员档案', description: '按条件筛选本单位人员、证书，生成离职码', url: '/pkg-unit/roster/index' },
            { title: '单位二维码', description: '个人归属公司变更码、会员身份资料更新码', url: '/pkg-unit/codes/index' },
            { title: '二维码记录', description: '本单位生成的各类二维码，撤销仍有效的码', url: '/pkg-unit/code-list/index' },
            { title: '身份资料确认', description: '老会员补充身份证后申请绑定微信，核对后确认', url: '/pkg-unit/bind-requests/index' },
            { title: '单位会员', description: '本单位会籍有效期，单位会费缴纳（主管理员）', url: '/pkg-unit/unit-fee/index' },
            { title: '子账号管理', description: '主账号与子账号、邀请、移交主账号', url: '/pkg-unit/admins/index' },
            { title: '证书批量下载与导出', description: '按条件打包电子证书（zip），导出人员证书表（Excel）', url: '/pkg-cert/unit/index' },
          ]
        : [];
      const adminEntries: Entry[] = me.roles.some((r) => r.role === 'secretariat')
        ? [
            { title: '单位与机构', description: '单位名录、新建与编辑单位，初审机构', url: '/pkg-admin/units/index' },
            { title: '账号与邀请', description: '单位管理员、审核员、财务与秘书处账号的邀请和撤销', url: '/pkg-admin/roles/index' },
            { title: '会员查找与更正', description: '按证件号查找会员，更正信息与证书（须填原因）、证书解绑', url: '/pkg-admin/unbind/index' },
            { title: '单位添加申请', description: '持证人找不到单位时提出的申请：新建、合并或驳回', url: '/pkg-admin/unit-requests/index' },
            STATS_ENTRY,
          ]
        : [];
      const reviewEntries: Entry[] = reviewStages(me.roles).map((stage: FormStatus) => ({
        title: `${FORM_STATUS_LABEL[stage].replace(/中$/, '')}队列`,
        description: '待我审核的表单',
        url: `/pkg-review/queue/index?stage=${stage}`,
      }));
      // The association's reviewers read the dashboard too (the secretariat has it among its entries).
      if (me.roles.some((r) => r.role === 'assoc_reviewer') && !me.roles.some((r) => r.role === 'secretariat')) reviewEntries.push(STATS_ENTRY);
      if (me.roles.some((r) => r.role === 'finance'))
        reviewEntries.push({ title: '开票', description: '为已缴费的缴费单开具电子财政收据或电子发票，开票记录', url: '/pkg-review/invoices/index' });
      const regForms = me.forms.filter((f) => isRegistrationType(f.type));
      const holder = offersRegistration(me.association) && (me.certificates.length > 0 || regForms.length > 0);
      const offered = holder ? me.association.holderBusinesses : [];
      const regEntries: Entry[] = [];
      const regProfile = profileOfView(me.association);
      const renewalHours = regProfile ? regProfile.renewalHours : 0;
      // Both start from a certificate: 我的证书 shows which may be registered now, and why not.
      if (offered.indexOf('registration-renewal') >= 0)
        regEntries.push({ title: '延续登记', description: `登记有效期内完成${renewalHours}学时继续教育后，选择证书办理延续`, url: '/pkg-cert/mine/index' });
      if (offered.indexOf('registration-change') >= 0)
        regEntries.push({ title: '变更登记', description: '工作单位变更：选择证书、变更后工作单位', url: '/pkg-cert/mine/index' });
      if (holder)
        regEntries.push({
          title: '登记记录',
          description: regForms.length ? `共${regForms.length}条，查询审核状态` : '延续登记、变更登记的审核状态',
          url: '/pkg-member/registrations/index',
        });
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
        renewHint: m ? renewHint(m.memberships, today) : '',
        certificates: me.certificates.map((c) => ({ ...c, statusLabel: CERT_STATUS_LABEL[c.status] || c.status })),
        formsHint: me.forms.length ? `共${me.forms.length}份，${pending}份办理中` : '还没有申请记录',
        businessHint: studyHint(me.studies || []),
        unitName: unitRole ? unitRole.scopeName || '' : '',
        unitEntries,
        reviewEntries,
        adminEntries,
        regEntries,
        staff: !!(unitRole || reviewEntries.length || adminEntries.length),
        showApplications: !!(m || me.forms.length || !(unitRole || reviewEntries.length || adminEntries.length)),
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
