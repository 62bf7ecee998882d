/**
 * 单位人员档案 (unit admin; SPEC §3.4, §3.5): the unit's people with the roster filters (会员类型,
 * 职称, 学历, 会籍过期, 持证, 年龄段, 入会日期, 姓名), paged on the server, each with certificates and
 * state. 30天内到期 lists the memberships about to end (the home page's 待办 opens it so); people
 * ticked on the list are renewed in one 个人会员费缴纳 form (`forms.create {type:'membership-renewal'}`),
 * which opens as a draft to submit. A person's rare actions sit behind 更多 (an action sheet):
 * 生成离职码 shows that person's resignation QR (`codes.issue {kind:'resign'}`).
 */
import type { EducationLevel, MembershipLevel, RosterFilter, RosterItem } from '../../../typings/api';
import { EDUCATION_LABEL, FORM_TYPE_LABEL, GENDER_LABEL, LEVEL_LABEL } from '../../shared/labels';
import { shanghaiDay } from '../../shared/dates';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { fileUrl } from '../../services/upload';
import { errorText, formatTime, toQuery } from '../../utils/format';

const LEVELS: (MembershipLevel | '')[] = ['', 'ordinary', 'professional'];
const EDUCATIONS: (EducationLevel | '')[] = ['', 'secondary', 'college', 'bachelor', 'master', 'doctor'];
const TRI: ('' | 'yes' | 'no')[] = ['', 'yes', 'no'];
const CERT_STATUS: Record<string, string> = { valid: '有效', expired: '已过期', cancelled: '已注销' };

interface Row extends RosterItem {
  genderLabel: string;
  stateLabel: string;
  levelsText: string;
  educationLabel: string;
  certs: { id: string; text: string; status: string }[];
}

function rowOf(p: RosterItem): Row {
  return {
    ...p,
    genderLabel: GENDER_LABEL[p.gender] || '',
    stateLabel: p.state === 'free' ? '无在办业务' : `${FORM_TYPE_LABEL[p.state] || p.state}办理中`,
    levelsText: p.memberships.length ? p.memberships.map((m) => `${LEVEL_LABEL[m.level]}至${m.validUntil}`).join('，') : '无会籍',
    educationLabel: p.education ? EDUCATION_LABEL[p.education.level] || '' : '',
    certs: (p.certificates || []).map((c) => ({ id: c.id, text: `${c.type} ${c.no} · 有效期至${c.validUntil}`, status: CERT_STATUS[c.status] || c.status })),
  };
}

Component({
  behaviors: [pagedList],
  data: {
    today: shanghaiDay(),
    name: '',
    title: '',
    ageMin: '',
    ageMax: '',
    joinedFrom: '',
    joinedTo: '',
    levelNames: ['全部类型', LEVEL_LABEL.ordinary, LEVEL_LABEL.professional],
    levelIndex: 0,
    educationNames: ['全部学历', ...EDUCATIONS.slice(1).map((e) => EDUCATION_LABEL[e as EducationLevel])],
    educationIndex: 0,
    lapsedNames: ['会籍：全部', '会籍已过期', '会籍有效', '30天内到期'],
    lapsedIndex: 0,
    certNames: ['证书：全部', '持有证书', '无证书'],
    certIndex: 0,
    filterError: '',
    /** The filter of the list shown: the fields apply on 查询 (or a picker), not while typing. */
    applied: {} as RosterFilter,
    items: [] as Row[],
    /** People ticked for a renewal, by member id (kept across pages and filters). */
    selected: {} as Record<string, boolean>,
    selectedCount: 0,
    renewing: false,
    renewError: '',
    // 离职码
    resign: null as null | { memberId: string; name: string },
    resignLoading: false,
    resignError: '',
    resignQr: '',
    resignExpires: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query && query.expiring) this.setData({ lapsedIndex: 3, applied: { expiring: true } });
      this.reload();
    },

    /** The filter as the server takes it, or a Chinese sentence saying what is wrong. */
    filter(): RosterFilter | string {
      const d = this.data;
      const f: RosterFilter = {};
      if (d.name.trim()) f.name = d.name.trim();
      if (d.title.trim()) f.title = d.title.trim();
      if (d.levelIndex) f.level = LEVELS[d.levelIndex] as MembershipLevel;
      if (d.educationIndex) f.education = EDUCATIONS[d.educationIndex] as EducationLevel;
      if (d.lapsedIndex === 3) f.expiring = true;
      else if (d.lapsedIndex) f.lapsed = TRI[d.lapsedIndex] === 'yes';
      if (d.certIndex) f.hasCertificate = TRI[d.certIndex] === 'yes';
      for (const key of ['ageMin', 'ageMax'] as const) {
        const raw = String(d[key] || '').trim();
        if (!raw) continue;
        const n = Number(raw);
        if (!/^\d{1,3}$/.test(raw) || n > 120) return '年龄请填写0到120之间的整数';
        f[key] = n;
      }
      if (f.ageMin !== undefined && f.ageMax !== undefined && f.ageMin > f.ageMax) return '最小年龄不能大于最大年龄';
      if (d.joinedFrom) f.joinedFrom = d.joinedFrom;
      if (d.joinedTo) f.joinedTo = d.joinedTo;
      return f;
    },

    /** Apply the filter fields and list again, or say what is wrong with them. */
    search() {
      const filter = this.filter();
      if (typeof filter === 'string') {
        this.setData({ filterError: filter });
        return;
      }
      this.setData({ filterError: '', applied: filter });
      this.reload();
    },

    async fetchPage(page: number, pageSize: number) {
      const r = await call('members', 'roster', { filter: this.data.applied, page, pageSize });
      return { items: r.items.map(rowOf), total: r.total };
    },

    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (key) this.setData({ [key]: e.detail.value });
    },
    onPickIndex(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (!key) return;
      this.setData({ [key]: Number(e.detail.value) || 0 });
      this.search();
    },
    onDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (!key) return;
      this.setData({ [key]: e.detail.value });
      this.search();
    },
    onSearch() {
      this.search();
    },
    onReset() {
      this.setData({ name: '', title: '', ageMin: '', ageMax: '', joinedFrom: '', joinedTo: '', levelIndex: 0, educationIndex: 0, lapsedIndex: 0, certIndex: 0 });
      this.search();
    },

    onToggle(e: WechatMiniprogram.CustomEvent) {
      const memberId = String(e.currentTarget.dataset.id || '');
      if (!memberId) return;
      const selected = { ...this.data.selected };
      if (selected[memberId]) delete selected[memberId];
      else selected[memberId] = true;
      this.setData({ selected, selectedCount: Object.keys(selected).length });
    },
    onClearSelection() {
      this.setData({ selected: {}, selectedCount: 0 });
    },

    /** 续缴会费 for the ticked people: which fee, then one draft form to check and submit. */
    onRenew() {
      const memberIds = Object.keys(this.data.selected);
      if (!memberIds.length || this.data.renewing) return;
      const levels: MembershipLevel[] = ['ordinary', 'professional'];
      wx.showActionSheet({
        itemList: levels.map((l) => `${LEVEL_LABEL[l]}会费（${memberIds.length}人）`),
        success: async (r) => {
          const level = levels[r.tapIndex];
          if (!level) return;
          this.setData({ renewing: true, renewError: '' });
          try {
            const form = await call('forms', 'create', { type: 'membership-renewal', level, memberIds });
            this.setData({ renewing: false, selected: {}, selectedCount: 0 });
            wx.navigateTo({ url: `/pkg-unit/form/index?${toQuery({ formId: form.id })}` });
          } catch (err) {
            this.setData({ renewing: false, renewError: errorText(err) });
          }
        },
      });
    },

    /** 更多 on a person: the rare actions, out of the way of the list. */
    onMore(e: WechatMiniprogram.CustomEvent) {
      const memberId = String(e.currentTarget.dataset.id || '');
      const person = (this.data.items as Row[]).find((p) => p.memberId === memberId);
      wx.showActionSheet({
        itemList: ['生成离职码', '个人信息变更'],
        success: (r) => {
          if (r.tapIndex === 0) this.resignOf(memberId);
          if (r.tapIndex === 1) wx.navigateTo({ url: `/pkg-member/change/index?${toQuery({ memberId, name: person ? person.name : '' })}` });
        },
      });
    },

    async resignOf(memberId: string) {
      const person = (this.data.items as Row[]).find((p) => p.memberId === memberId);
      if (!person) return;
      this.setData({ resign: { memberId, name: person.name }, resignLoading: true, resignError: '', resignQr: '', resignExpires: '' });
      await this.issueResign();
    },
    async issueResign() {
      const target = this.data.resign;
      if (!target) return;
      this.setData({ resignLoading: true, resignError: '', resignQr: '' });
      try {
        const r = await call('codes', 'issue', { kind: 'resign', memberId: target.memberId });
        const url = await fileUrl(r.qrImage);
        if (!this.data.resign || this.data.resign.memberId !== target.memberId) return;
        this.setData({ resignLoading: false, resignQr: url, resignExpires: formatTime(r.expiresAt) });
      } catch (err) {
        this.setData({ resignLoading: false, resignError: errorText(err) });
      }
    },
    onCloseResign() {
      this.setData({ resign: null, resignQr: '', resignError: '' });
    },
    onPreviewResign() {
      if (this.data.resignQr) wx.previewImage({ urls: [this.data.resignQr] });
    },
  },
});
