/**
 * 我的证书 (member; SPEC §3.5 电子证): the caller's training certificates with their status, and
 * for a valid one the e-certificate — rendered by `certs.ecert`, shown here, and saved to the
 * phone's album. Cancelled and expired certificates cannot be downloaded, and the card says why.
 */
import { call } from '../../services/request';
import { loadMe } from '../../services/session';
import { errorText } from '../../utils/format';
import { certCard, CertCard, saveToAlbum } from '../cert-utils';
import { downloadStored, fileUrl } from '../../services/upload';
import type { RegistrationOption } from '../../../typings/api';
import { REGISTRATION_LABEL, RegistrationKind, kindOfType, offersRegistration } from '../../utils/registration';

/** 延续登记 / 变更登记 of one certificate (equipment association): offered, possible now, or why not. */
interface RegAction {
  kind: RegistrationKind;
  label: string;
  ok: boolean;
  reasons: string[];
}

type Card = CertCard & { reason: string; actions: RegAction[]; hoursText: string };

const REASON: Record<CertCard['status'], string> = {
  valid: '',
  expired: '证书已过期，不能下载电子证书；续期后可重新下载。',
  cancelled: '证书已注销，不能下载电子证书。',
};

Component({
  data: {
    loading: true,
    error: '',
    isMember: true,
    items: [] as Card[],
    /** The association lets holders register (seed 000): cards carry 延续登记 / 变更登记. */
    registers: false,
    regError: '',
    /** The e-certificate being shown. */
    busyId: '',
    preview: null as null | { certId: string; fileID: string; url: string; fileName: string; verifyUrl: string },
    saving: false,
  },
  methods: {
    onLoad() {
      this.load(false);
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load(true);
    },

    async load(force: boolean) {
      this.setData({ loading: !this.data.items.length, error: '' });
      try {
        const me = await loadMe(force);
        const registers = offersRegistration(me.association);
        let options: RegistrationOption[] = [];
        let regError = '';
        if (registers && me.certificates.length) {
          try {
            options = await call('members', 'registrationOptions', {});
          } catch (e) {
            regError = `暂时无法查询可办理的登记：${errorText(e)}`;
          }
        }
        const kinds = registers ? me.association.holderBusinesses.map(kindOfType) : [];
        const items = me.certificates.map((c) => {
          const o = options.find((x) => x.certificate.id === c.id);
          const actions: RegAction[] = o ? kinds.map((k) => ({ kind: k, label: REGISTRATION_LABEL[k], ok: o[k].ok, reasons: o[k].reasons })) : [];
          return {
            ...certCard(c),
            reason: REASON[c.status],
            actions,
            hoursText: o ? `继续教育 ${o.hoursDone}/${o.hoursRequired} 学时` : '',
          };
        });
        this.setData({ loading: false, isMember: !!me.member, items, registers, regError });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    async onDownload(e: WechatMiniprogram.TouchEvent) {
      const certId = String(e.currentTarget.dataset.id || '');
      if (!certId || this.data.busyId) return;
      this.setData({ busyId: certId });
      try {
        const r = await call('certs', 'ecert', { certId });
        const url = await fileUrl(r.fileID);
        this.setData({ busyId: '', preview: { certId, fileID: r.fileID, url, fileName: r.fileName, verifyUrl: r.verifyUrl } });
      } catch (err) {
        this.setData({ busyId: '' });
        wx.showModal({ title: '无法生成电子证书', content: errorText(err), showCancel: false });
      }
    },

    async onSave() {
      const p = this.data.preview;
      if (!p || this.data.saving) return;
      this.setData({ saving: true });
      try {
        const path = await downloadStored(p.fileID);
        const r = await saveToAlbum(path);
        if (r === 'saved') wx.showToast({ title: '已保存到相册', icon: 'success' });
      } catch (err) {
        wx.showToast({ title: '下载失败，请检查网络后重试', icon: 'none' });
      } finally {
        this.setData({ saving: false });
      }
    },

    onPreviewImage() {
      const p = this.data.preview;
      if (p) wx.previewImage({ urls: [p.url], current: p.url });
    },

    onClosePreview() {
      this.setData({ preview: null });
    },

    /** 延续登记 / 变更登记 of one certificate: the wizard (a refused one shows its reasons instead). */
    onRegister(e: WechatMiniprogram.TouchEvent) {
      const certId = String(e.currentTarget.dataset.id || '');
      const kind = String(e.currentTarget.dataset.kind || '');
      const card = this.data.items.find((c) => c.id === certId);
      const action = card && card.actions.find((a) => a.kind === kind);
      if (!action || !action.ok) return;
      wx.navigateTo({ url: `/pkg-member/registration/index?kind=${kind}&certId=${certId}` });
    },

    onRecords() {
      wx.navigateTo({ url: '/pkg-member/registrations/index' });
    },

    onLookup() {
      wx.navigateTo({ url: '/pkg-cert/lookup/index' });
    },
  },
});
