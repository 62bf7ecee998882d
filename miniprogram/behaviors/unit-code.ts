/**
 * A page showing one of the unit's QR codes (入会二维码 / 入会简码, 个人归属公司变更码, 会员身份资料更新码;
 * SPEC §3.4): issuing the code of the chosen kind (`codes.issue`), its stored image and expiry,
 * refresh, enlarging, what the code is for, and the unit's name from the caller's unit-admin role.
 * The page lists its `kinds` (the first is shown unless `?kind=` names another) and switches with
 * `choose(kind)`. When the kind changes while a code is being issued, only the newest answer is shown.
 */
import type { CodeKind } from '../../typings/api';
import { CODE_KIND_LABEL } from '../shared/labels';
import { call } from '../services/request';
import { loadMe, unitAdminRole } from '../services/session';
import { fileUrl } from '../services/upload';
import { errorText, formatTime } from '../utils/format';

/** What each of the unit's codes is for, under its image (manual 2.1.2, FAQ 3.13; SPEC §3.4). */
const EXPLAIN: Partial<Record<CodeKind, string>> = {
  join: '入会二维码：成员本人扫码后填写全部必填信息并上传证件照、身份证正反面、学历证明等附件。',
  'join-simple':
    '入会简码：成员只需上传证件照、身份证正反面并填写姓名、性别、证件号码、手机号码，其余信息由您在预审时补充。',
  transfer: '个人归属公司变更码：其他单位的会员本人扫码确认后，会员归属变更到本单位。会员有业务办理中时不能变更。',
  'id-update':
    '会员身份资料更新码：平台上线前登记的会员扫码，按姓名和身份证号查找本人档案，上传身份证正反面并确认手机号码。',
};

/** The newest issue per page instance; an older answer is dropped. */
const latest = new WeakMap<object, number>();

export const unitCode = Behavior({
  data: {
    /** The page's kinds, in order. */
    kinds: [] as CodeKind[],
    kind: '' as CodeKind | '',
    kindLabel: '',
    explain: '',
    unitName: '',
    loading: true,
    error: '',
    qrUrl: '',
    expiresAt: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const kinds = this.data.kinds;
      const asked = query && (query.kind as CodeKind);
      this.choose(asked && kinds.indexOf(asked) >= 0 ? asked : kinds[0]);
      this.showUnitName();
    },

    /** Show the code of `kind` (a fresh one). */
    choose(kind: CodeKind) {
      this.setData({ kind, kindLabel: CODE_KIND_LABEL[kind], explain: EXPLAIN[kind] || '' });
      this.issue();
    },

    /** The unit's name under the code (not needed for the code itself: a failure leaves it out). */
    showUnitName() {
      loadMe()
        .then((me) => {
          const role = unitAdminRole(me.roles);
          this.setData({ unitName: (role && role.scopeName) || '' });
        })
        .catch(() => undefined);
    },

    /** Issue a fresh code of the page's kind and show its image. */
    async issue(): Promise<void> {
      const kind = this.data.kind as CodeKind;
      const mine = (latest.get(this) || 0) + 1;
      latest.set(this, mine);
      this.setData({ loading: true, error: '', qrUrl: '' });
      try {
        const r = await call('codes', 'issue', { kind });
        const qrUrl = await fileUrl(r.qrImage);
        if (latest.get(this) !== mine) return; // switched while issuing
        this.setData({ loading: false, qrUrl, expiresAt: formatTime(r.expiresAt) });
      } catch (e) {
        if (latest.get(this) !== mine) return;
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onRefresh() {
      this.issue();
    },

    onPreview() {
      if (this.data.qrUrl) wx.previewImage({ urls: [this.data.qrUrl] });
    },
  },
});
