/**
 * 证书解绑 (secretariat; SPEC §2.1): find a member record by ID number (and optionally name) with
 * `admin.findMember`; the record shows masked, with its WeChat binding and certificates. A bound
 * record is unbound after a confirm dialog with a mandatory reason (`admin.unbind`): that WeChat user
 * no longer sees the record's certificates.
 */
import type { BoundMemberView } from '../../../typings/api';
import { call } from '../../services/request';
import { errorText, toast } from '../../utils/format';

const CERT_STATUS: Record<string, string> = { valid: '有效', expired: '已过期', cancelled: '已注销' };

type Shown = BoundMemberView & { certRows: { id: string; title: string; line: string; status: string }[] };

function shown(m: BoundMemberView): Shown {
  return {
    ...m,
    certRows: m.certificates.map((c) => ({
      id: c.id,
      title: `${c.type} ${c.no}`,
      line: `${c.unitName || '—'} · 有效期至${c.validUntil}`,
      status: CERT_STATUS[c.status] || c.status,
    })),
  };
}

let seq = 0;

Component({
  data: {
    idNumber: '',
    name: '',
    queryError: '',
    searched: false,
    loading: false,
    error: '',
    member: null as Shown | null,
    dialogVisible: false,
    dialogMessage: '',
    busy: false,
    unbound: '',
  },
  methods: {
    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (key === 'idNumber' || key === 'name') this.setData({ [key]: e.detail.value, queryError: '' });
    },
    onRetry() {
      this.find();
    },
    onFind() {
      this.setData({ unbound: '' });
      this.find();
    },

    async find() {
      const idNumber = this.data.idNumber.trim().toUpperCase();
      const name = this.data.name.trim();
      if (idNumber.length < 5) {
        this.setData({ queryError: '请填写完整的证件号码' });
        return;
      }
      const mine = ++seq;
      this.setData({ loading: true, error: '', queryError: '', searched: true, member: null });
      try {
        const r = await call('admin', 'findMember', { idNumber, ...(name ? { name } : {}) });
        if (mine !== seq) return;
        this.setData({ loading: false, member: r.member ? shown(r.member) : null });
      } catch (e) {
        if (mine !== seq) return;
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    onUnbind() {
      const m = this.data.member;
      if (!m || !m.bound) return;
      this.setData({
        dialogVisible: true,
        dialogMessage: `确认解除 ${m.name}（${m.idMasked}）与微信用户 ${m.openidMasked || ''} 的绑定？解绑后该微信用户将看不到此会员记录及其证书。`,
      });
    },
    onDialogCancel() {
      if (!this.data.busy) this.setData({ dialogVisible: false });
    },
    async onDialogConfirm(e: WechatMiniprogram.CustomEvent<{ reason: string }>) {
      const m = this.data.member;
      if (!m || this.data.busy) return;
      this.setData({ busy: true });
      try {
        const r = await call('admin', 'unbind', { memberId: m.id, reason: e.detail.reason });
        this.setData({
          busy: false,
          dialogVisible: false,
          unbound: `已解除与微信用户 ${r.unboundOpenidMasked} 的绑定`,
        });
        toast('已解绑', 'success');
        await this.find();
      } catch (err) {
        this.setData({ busy: false, dialogVisible: false });
        toast(errorText(err));
        await this.find();
      }
    },
  },
});
