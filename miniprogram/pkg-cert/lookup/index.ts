/**
 * 证书查询 (anyone; SPEC §3.5 Lookup): by certificate number, or by name and ID number together —
 * never a list. Results show the ID number masked. The allowance per person is limited
 * (RATE_LIMITED says how long to wait); a miss never says whether the ID number is on file.
 * Scanning an e-certificate's QR code opens the verification page instead.
 */
import { call } from '../../services/request';
import { errorCode, errorText } from '../../utils/format';
import { CertCard, certCard, tokenFrom } from '../cert-utils';

Component({
  data: {
    mode: 'no' as 'no' | 'id',
    certNo: '',
    name: '',
    idNumber: '',
    loading: false,
    searched: false,
    error: '',
    notFound: false,
    items: [] as CertCard[],
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query && query.no) {
        this.setData({ certNo: decodeURIComponent(query.no) });
        this.onSearch();
      }
    },
    onMode(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ mode: e.detail.value === 'id' ? 'id' : 'no', error: '', notFound: false, items: [], searched: false });
    },
    onCertNo(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ certNo: e.detail.value });
    },
    onName(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ name: e.detail.value });
    },
    onIdNumber(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ idNumber: e.detail.value });
    },

    async onSearch() {
      const { mode } = this.data;
      const certNo = this.data.certNo.trim();
      const name = this.data.name.trim();
      const idNumber = this.data.idNumber.trim().toUpperCase();
      if (mode === 'no' && !certNo) {
        this.setData({ error: '请输入证书编号' });
        return;
      }
      if (mode === 'id' && (!name || !idNumber)) {
        this.setData({ error: '请同时输入姓名和身份证号' });
        return;
      }
      this.setData({ loading: true, error: '', notFound: false, items: [] });
      try {
        const r = await call('cert-lookup', 'lookup', mode === 'no' ? { certNo } : { name, idNumber });
        this.setData({ loading: false, searched: true, items: r.items.map(certCard) });
      } catch (e) {
        const code = errorCode(e);
        this.setData({ loading: false, searched: true, notFound: code === 'NOT_FOUND', error: code === 'NOT_FOUND' ? '' : errorText(e) });
      }
    },

    onScan() {
      wx.scanCode({
        onlyFromCamera: false,
        success: (r) => {
          const token = tokenFrom(r.result || r.path || '');
          if (token) wx.navigateTo({ url: `/pkg-cert/verify/index?t=${encodeURIComponent(token)}` });
          else wx.showToast({ title: '未识别到证书二维码', icon: 'none' });
        },
      });
    },
  },
});
