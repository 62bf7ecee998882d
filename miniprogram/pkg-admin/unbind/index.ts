/**
 * 会员查找与更正 (secretariat; SPEC §2.1, FAQ 3.25): find a member record by ID number (and
 * optionally name) with `admin.findMember`; the record shows masked, with its WeChat binding,
 * certificates and history. 更正 fixes what the legacy import or a unit got wrong — the member's
 * data and membership end dates (`admin.correctMember`) or a certificate (`admin.correctCertificate`)
 * — each with a mandatory reason that the record's history then shows. A bound record is unbound
 * after a confirm dialog with a mandatory reason (`admin.unbind`): that WeChat user no longer sees
 * the record's certificates.
 */
import type { BoundMemberView, ReqOf } from '../../../typings/api';
import { call } from '../../services/request';
import { errorText, formatTime, toast } from '../../utils/format';

const CERT_STATUS: Record<string, string> = { valid: '有效', expired: '已过期', cancelled: '已注销' };

type CertRow = { id: string; title: string; line: string; status: string; unitName: string; validUntil: string; cancelled: boolean };
type Shown = BoundMemberView & { certRows: CertRow[]; historyRows: { key: string; time: string; remark: string }[] };

/** The correction form's fields: empty means "leave as it is". */
const EMPTY_FIELDS = { name: '', phone: '', address: '', title: '', ordinaryUntil: '', professionalUntil: '', unitName: '', validUntil: '', statusIndex: 0, reason: '' };
const CERT_STATUS_CHOICES = ['不变', '有效', '已注销'];

function shown(m: BoundMemberView): Shown {
  return {
    ...m,
    certRows: m.certificates.map((c) => ({
      id: c.id,
      title: `${c.type} ${c.no}`,
      line: `${c.unitName || '—'} · 有效期至${c.validUntil}`,
      status: CERT_STATUS[c.status] || c.status,
      unitName: c.unitName || '',
      validUntil: c.validUntil,
      cancelled: c.status === 'cancelled',
    })),
    historyRows: m.history.map((h, i) => ({ key: `${h.at}-${i}`, time: formatTime(h.at), remark: h.remark })),
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
    /** What is being corrected: 'member', or a certificate id. */
    correcting: '',
    fields: { ...EMPTY_FIELDS },
    statusChoices: CERT_STATUS_CHOICES,
    correctError: '',
    correctBusy: false,
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

    onCorrectMember() {
      const m = this.data.member;
      if (!m) return;
      this.setData({ correcting: 'member', fields: { ...EMPTY_FIELDS }, correctError: '' });
    },
    onCorrectCert(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const c = this.data.member && this.data.member.certRows.find((x) => x.id === id);
      if (!c) return;
      this.setData({ correcting: id, fields: { ...EMPTY_FIELDS, unitName: c.unitName, validUntil: c.validUntil }, correctError: '' });
    },
    onCorrectField(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (!(key in EMPTY_FIELDS)) return;
      this.setData({ [`fields.${key}`]: key === 'statusIndex' ? Number(e.detail.value) : String(e.detail.value), correctError: '' });
    },
    onCancelCorrect() {
      if (!this.data.correctBusy) this.setData({ correcting: '', correctError: '' });
    },

    /** Only what was filled in (and differs) is sent; the reason is required by the server too. */
    async onSubmitCorrect() {
      const m = this.data.member;
      const f = this.data.fields;
      if (!m || !this.data.correcting || this.data.correctBusy) return;
      const reason = f.reason.trim();
      let run: () => Promise<unknown>;
      if (this.data.correcting === 'member') {
        const changes: ReqOf<'admin', 'correctMember'>['changes'] = {};
        if (f.name.trim() && f.name.trim() !== m.name) changes.name = f.name.trim();
        if (f.phone.trim()) changes.phone = f.phone.trim();
        if (f.address.trim()) changes.address = f.address.trim();
        if (f.title.trim()) changes.title = f.title.trim();
        if (f.ordinaryUntil) changes.ordinaryUntil = f.ordinaryUntil;
        if (f.professionalUntil) changes.professionalUntil = f.professionalUntil;
        if (!Object.keys(changes).length) return this.setData({ correctError: '请填写需要更正的项目' });
        run = () => call('admin', 'correctMember', { memberId: m.id, changes, reason });
      } else {
        const c = m.certRows.find((x) => x.id === this.data.correcting);
        if (!c) return;
        const changes: ReqOf<'admin', 'correctCertificate'>['changes'] = {};
        if (f.unitName.trim() && f.unitName.trim() !== c.unitName) changes.unitName = f.unitName.trim();
        if (f.validUntil && f.validUntil !== c.validUntil) changes.validUntil = f.validUntil;
        if (f.statusIndex === 1 && c.cancelled) changes.status = 'valid';
        if (f.statusIndex === 2 && !c.cancelled) changes.status = 'cancelled';
        if (!Object.keys(changes).length) return this.setData({ correctError: '请修改需要更正的项目' });
        run = () => call('admin', 'correctCertificate', { certificateId: c.id, changes, reason });
      }
      if (reason.length < 2) return this.setData({ correctError: '请填写更正原因（将记入该会员的记录变动）' });
      this.setData({ correctBusy: true, correctError: '' });
      try {
        await run();
        this.setData({ correctBusy: false, correcting: '' });
        toast('已更正', 'success');
        await this.find();
      } catch (err) {
        this.setData({ correctBusy: false, correctError: errorText(err) });
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
