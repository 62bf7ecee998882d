/**
 * 证书验证结果 (anyone; SPEC §3.5): opened by scanning an e-certificate's QR code — in WeChat the
 * printed URL arrives as `query.q` ("扫普通链接二维码打开小程序"), a mini-program code as
 * `query.scene`, our own links as `query.t` — or by scanning from this page. The token's signature
 * and the certificate's live status come from `cert-lookup.verify`.
 */
import type { CertVerifyResult } from '../../../typings/api';
import { call } from '../../services/request';
import { errorText, formatTime } from '../../utils/format';
import { certCard, CertCard, tokenFrom, tokenFromQuery, VERIFY_TEXT } from '../cert-utils';

Component({
  data: {
    token: '',
    loading: false,
    error: '',
    status: '' as '' | CertVerifyResult['status'],
    title: '',
    text: '',
    issuer: '',
    checkedAt: '',
    cert: null as CertCard | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const token = tokenFromQuery(query || {});
      if (token) this.verify(token);
    },

    async verify(token: string) {
      this.setData({ token, loading: true, error: '', status: '', cert: null });
      try {
        const r = await call('cert-lookup', 'verify', { token });
        const t = VERIFY_TEXT[r.status];
        this.setData({
          loading: false,
          status: r.status,
          title: t.title,
          text: t.text,
          issuer: r.issuer || '',
          checkedAt: formatTime(r.checkedAt),
          cert: r.certificate ? certCard(r.certificate) : null,
        });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onRetry() {
      if (this.data.token) this.verify(this.data.token);
    },

    onScan() {
      wx.scanCode({
        onlyFromCamera: false,
        success: (r) => {
          const token = tokenFrom(r.result || r.path || '');
          if (token) this.verify(token);
          else wx.showToast({ title: '未识别到证书二维码', icon: 'none' });
        },
      });
    },

    onLookup() {
      wx.navigateTo({ url: '/pkg-cert/lookup/index' });
    },
  },
});
