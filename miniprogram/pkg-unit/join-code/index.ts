/**
 * 入会二维码 (unit admin; manual 2.1.2, FAQ 3.13): issue and show the join code, with the switch
 * to the simple code (入会简码) at the bottom as the manual's screen has it, its expiry, and refresh.
 * Codes are issued by `codes.issue`; the image is the stored PNG (`qrImage`).
 */
import type { CodeKind } from '../../../typings/api';
import { CODE_KIND_LABEL } from '../../shared/labels';
import { call } from '../../services/request';
import { loadMe, unitAdminRole } from '../../services/session';
import { fileUrl } from '../../services/upload';
import { errorText, formatTime } from '../../utils/format';

const EXPLAIN: Record<'join' | 'join-simple', string> = {
  join: '入会二维码：成员本人扫码后填写全部必填信息并上传证件照、身份证正反面、学历证明等附件。',
  'join-simple': '入会简码：成员只需上传证件照、身份证正反面并填写姓名、性别、证件号码、手机号码，其余信息由您在预审时补充。',
};

Component({
  data: {
    kind: 'join' as 'join' | 'join-simple',
    kindLabel: CODE_KIND_LABEL.join,
    explain: EXPLAIN.join,
    unitName: '',
    loading: true,
    error: '',
    qrUrl: '',
    expiresAt: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const kind = query && query.kind === 'join-simple' ? 'join-simple' : 'join';
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
      const kind: CodeKind = this.data.kind;
      this.setData({ loading: true, error: '', qrUrl: '' });
      try {
        const r = await call('codes', 'issue', { kind });
        const qrUrl = await fileUrl(r.qrImage);
        if (kind !== this.data.kind) return; // switched while issuing
        this.setData({ loading: false, qrUrl, expiresAt: formatTime(r.expiresAt) });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onSwitch() {
      const kind = this.data.kind === 'join' ? 'join-simple' : 'join';
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
