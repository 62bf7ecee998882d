/**
 * 单位二维码 (unit admin; SPEC §3.4): the unit-wide 个人归属公司变更码 (members of other units scan it to
 * move here) and 会员身份资料更新码 (members registered before the platform claim their record), each
 * with its expiry and refresh. `query.kind` picks the first one shown.
 */
import { CODE_KIND_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { loadMe, unitAdminRole } from '../../services/session';
import { fileUrl } from '../../services/upload';
import { errorText, formatTime } from '../../utils/format';

type Kind = 'transfer' | 'id-update';

const EXPLAIN: Record<Kind, string> = {
  transfer: '个人归属公司变更码：其他单位的会员本人扫码确认后，会员归属变更到本单位。会员有业务办理中时不能变更。',
  'id-update': '会员身份资料更新码：平台上线前登记的会员扫码，按姓名和身份证号查找本人档案，上传身份证正反面并确认手机号码。',
};

let seq = 0;

Component({
  data: {
    kind: 'transfer' as Kind,
    tabs: [
      { value: 'transfer', label: CODE_KIND_LABEL.transfer },
      { value: 'id-update', label: CODE_KIND_LABEL['id-update'] },
    ],
    kindLabel: CODE_KIND_LABEL.transfer,
    explain: EXPLAIN.transfer,
    unitName: '',
    loading: true,
    error: '',
    qrUrl: '',
    expiresAt: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const kind: Kind = query && query.kind === 'id-update' ? 'id-update' : 'transfer';
      this.setData({ kind, kindLabel: CODE_KIND_LABEL[kind], explain: EXPLAIN[kind] });
      loadMe()
        .then((me) => {
          const role = unitAdminRole(me.roles);
          this.setData({ unitName: (role && role.scopeName) || '' });
        })
        .catch(() => undefined);
      this.issue();
    },

    async issue() {
      const kind = this.data.kind;
      const mine = ++seq;
      this.setData({ loading: true, error: '', qrUrl: '' });
      try {
        const r = await call('codes', 'issue', { kind });
        const qrUrl = await fileUrl(r.qrImage);
        if (mine !== seq) return; // switched while issuing
        this.setData({ loading: false, qrUrl, expiresAt: formatTime(r.expiresAt) });
      } catch (e) {
        if (mine !== seq) return;
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const kind: Kind = e.detail.value === 'id-update' ? 'id-update' : 'transfer';
      if (kind === this.data.kind) return;
      this.setData({ kind, kindLabel: CODE_KIND_LABEL[kind], explain: EXPLAIN[kind] });
      this.issue();
    },

    onRefresh() {
      this.issue();
    },

    onPreview() {
      if (this.data.qrUrl) wx.previewImage({ urls: [this.data.qrUrl] });
    },
  },
});
