/**
 * 子账号管理 (unit admin; SPEC §2.1, §3.6): the unit's main admin, sub-admins (≤3, counting pending
 * invitations) and pending invitations. The main admin invites by phone (the invitation QR shows,
 * the invitee scans it on the scan page), removes sub-admins, revokes invitations and transfers the
 * main role (a second tap confirms). Sub-admins see the list read-only.
 */
import type { UnitAdmins } from '../../../typings/api';
import { call } from '../../services/request';
import { invalidateMe } from '../../services/session';
import { fileUrl } from '../../services/upload';
import { errorText, formatTime, toast } from '../../utils/format';
import { loadPage } from '../../behaviors/load-page';

type Shown = UnitAdmins & { pendingRows: (UnitAdmins['pending'][number] & { expires: string })[] };

function shown(a: UnitAdmins): Shown {
  return { ...a, pendingRows: a.pending.map((p) => ({ ...p, expires: formatTime(p.expiresAt) })) };
}

Component({
  behaviors: [loadPage],
  data: {
    loading: true,
    error: '',
    admins: null as Shown | null,
    full: false,
    phone: '',
    name: '',
    phoneError: '',
    inviting: false,
    inviteQr: '',
    inviteExpires: '',
    busy: '',
    confirmTransfer: '',
  },
  methods: {

    show(a: UnitAdmins) {
      this.setData({ admins: shown(a), full: a.subs.length + a.pending.length >= a.max });
    },

    async load() {
      this.setData({ loading: !this.data.admins, error: '' });
      try {
        const a = await call('units', 'admins', {});
        this.setData({ loading: false });
        this.show(a);
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (key) this.setData({ [key]: e.detail.value, phoneError: '' });
    },

    async onInvite() {
      if (this.data.inviting) return;
      const phone = this.data.phone.trim();
      if (!/^1\d{10}$/.test(phone)) {
        this.setData({ phoneError: '请填写11位手机号码' });
        return;
      }
      this.setData({ inviting: true, phoneError: '', inviteQr: '' });
      try {
        const r = await call('units', 'inviteSubAdmin', { phone, ...(this.data.name.trim() ? { name: this.data.name.trim() } : {}) });
        const url = await fileUrl(r.qrImage);
        this.setData({ inviting: false, inviteQr: url, inviteExpires: formatTime(r.expiresAt), phone: '', name: '' });
        await this.load();
      } catch (e) {
        this.setData({ inviting: false, phoneError: errorText(e) });
      }
    },

    onPreview() {
      if (this.data.inviteQr) wx.previewImage({ urls: [this.data.inviteQr] });
    },
    onCloseInvite() {
      this.setData({ inviteQr: '' });
    },

    async act(key: string, run: () => Promise<UnitAdmins>, done: string) {
      if (this.data.busy) return;
      this.setData({ busy: key });
      try {
        const a = await run();
        this.setData({ busy: '', confirmTransfer: '' });
        this.show(a);
        toast(done, 'success');
      } catch (e) {
        this.setData({ busy: '' });
        toast(errorText(e));
      }
    },

    onRemove(e: WechatMiniprogram.CustomEvent) {
      const openid = String(e.currentTarget.dataset.openid || '');
      if (openid) this.act(`remove-${openid}`, () => call('units', 'removeSubAdmin', { openid }), '已移除');
    },
    onRevoke(e: WechatMiniprogram.CustomEvent) {
      const inviteId = String(e.currentTarget.dataset.id || '');
      if (inviteId) this.act(`revoke-${inviteId}`, () => call('units', 'revokeInvite', { inviteId }), '已撤销邀请');
    },
    onTransfer(e: WechatMiniprogram.CustomEvent) {
      const openid = String(e.currentTarget.dataset.openid || '');
      if (!openid) return;
      if (this.data.confirmTransfer !== openid) {
        this.setData({ confirmTransfer: openid });
        return;
      }
      this.act(
        `transfer-${openid}`,
        async () => {
          const a = await call('units', 'transferMain', { openid });
          invalidateMe();
          return a;
        },
        '已移交主账号',
      );
    },
    onCancelTransfer() {
      this.setData({ confirmTransfer: '' });
    },
  },
});
