/**
 * 登记记录 (holder; seed 000 3.6 / 4.5): the caller's 延续登记 and 变更登记, newest first, with
 * 登记类型, 申请时间, 证书编号, 工作单位 and 审核状态 in the association's words (待初审 → 已初审 →
 * 已审核). The list comes from `members.me`; each row's certificate and employer from `forms.get`
 * (a person has a few). A draft opens the wizard to carry on; the rest open 申请详情.
 */
import type { FormSummary, FormView } from '../../../typings/api';
import { PROFILES } from '../../shared/association';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { loadMe } from '../../services/session';
import { formatTime } from '../../utils/format';
import { REGISTRATION_LABEL, isRegistrationType, kindOfType, offersRegistration, registrationStatusWord } from '../../utils/registration';

interface Row {
  id: string;
  no: string;
  typeLabel: string;
  createdAt: string;
  certNo: string;
  unitName: string;
  status: string;
  statusWord: string;
  /** The tag's colour: waiting, done, ended. */
  theme: 'primary' | 'success' | 'warning' | 'default';
  url: string;
}

function themeOf(status: FormSummary['status']): Row['theme'] {
  if (status === 'approved') return 'success';
  if (status === 'returned' || status === 'draft') return 'warning';
  if (status === 'withdrawn' || status === 'rejected') return 'default';
  return 'primary';
}

Component({
  behaviors: [pagedList],
  data: {
    pageSize: 10,
    offered: true,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      if (!this.data.loading) this.refresh();
    },

    async fetchPage(page: number, pageSize: number) {
      const me = await loadMe(page === 1);
      const profile = me.association ? PROFILES[me.association.id] : undefined;
      const all = me.forms
        .filter((f) => isRegistrationType(f.type))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      const slice = all.slice((page - 1) * pageSize, page * pageSize);
      const views = await Promise.all(slice.map((f) => call('forms', 'get', { formId: f.id }).catch(() => null as FormView | null)));
      const items: Row[] = slice.map((f, i) => {
        const v = views[i];
        const r = v && v.registration;
        const kind = kindOfType(f.type as 'registration-renewal');
        const unit = r ? (kind === 'change' ? r.toUnit : r.fromUnit) || f.unit : f.unit;
        return {
          id: f.id,
          no: f.no,
          typeLabel: REGISTRATION_LABEL[kind],
          createdAt: formatTime(f.createdAt),
          certNo: r ? r.certNo : '—',
          unitName: (unit && unit.name) || '—',
          status: f.status,
          statusWord: registrationStatusWord(profile, f.status),
          theme: themeOf(f.status),
          url: f.status === 'draft' ? `/pkg-member/registration/index?formId=${f.id}` : `/pkg-member/application/index?formId=${f.id}`,
        };
      });
      return { items, total: all.length, extra: { offered: offersRegistration(me.association) } };
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      const url = String(e.currentTarget.dataset.url || '');
      if (url) wx.navigateTo({ url });
    },
    onStart() {
      wx.navigateTo({ url: '/pkg-cert/mine/index' });
    },
  },
});
