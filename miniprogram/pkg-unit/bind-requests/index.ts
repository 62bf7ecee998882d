/**
 * 身份资料确认 (unit admin; issue 9): members registered before the platform who scanned the unit's
 * 会员身份资料更新码 and supplemented their ID card wait here. The admin compares the pictures with
 * the person and confirms (the record is bound to that WeChat) or refuses with a reason
 * (`members.bindRequests` / `members.decideBind`). Nothing binds before this confirmation.
 */
import type { BindRequestView } from '../../../typings/api';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { errorText, formatTime, toast } from '../../utils/format';

type Status = BindRequestView['status'];
type Row = BindRequestView & { created: string; decided: string };

const TABS: { value: Status; label: string }[] = [
  { value: 'pending', label: '待确认' },
  { value: 'approved', label: '已确认' },
  { value: 'refused', label: '未通过' },
];

const EMPTY: Record<Status, string> = {
  pending: '没有待确认的身份资料',
  approved: '还没有确认过的身份资料',
  refused: '没有未通过的身份资料',
};

Component({
  behaviors: [pagedList],
  data: {
    status: 'pending' as Status,
    tabs: TABS,
    emptyText: EMPTY.pending,
    /** The request whose refusal reason is being typed. */
    refusing: '',
    reason: '',
    reasonError: '',
    busy: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const q = query && (query.status as Status | undefined);
      const status: Status = q && EMPTY[q] ? q : 'pending';
      this.setData({ status, emptyText: EMPTY[status] });
      this.reload();
    },

    async fetchPage(page: number, pageSize: number) {
      const status = this.data.status;
      const r = await call('members', 'bindRequests', { status, page, pageSize });
      const items: Row[] = r.items.map((i) => ({ ...i, created: formatTime(i.createdAt), decided: formatTime(i.decidedAt) }));
      return { items, total: r.total, extra: { emptyText: EMPTY[status] } };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const status = e.detail.value as Status;
      if (status === this.data.status) return;
      this.setData({ status, refusing: '', reason: '', reasonError: '' });
      this.reload();
    },

    async decide(requestId: string, decision: 'approve' | 'refuse', reason?: string) {
      if (this.data.busy) return;
      this.setData({ busy: requestId });
      try {
        await call('members', 'decideBind', reason ? { requestId, decision, reason } : { requestId, decision });
        this.setData({ busy: '', refusing: '', reason: '', reasonError: '' });
        toast(decision === 'approve' ? '已确认，会员记录已绑定' : '已退回', 'success');
        await this.reload();
      } catch (e) {
        this.setData({ busy: '' });
        toast(errorText(e));
        await this.reload();
      }
    },

    onApprove(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      if (id) this.decide(id, 'approve');
    },

    onRefuse(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      this.setData({ refusing: id, reason: '', reasonError: '' });
    },

    onReason(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ reason: e.detail.value, reasonError: '' });
    },

    onCancelRefuse() {
      this.setData({ refusing: '', reason: '', reasonError: '' });
    },

    onConfirmRefuse() {
      const reason = this.data.reason.trim();
      if (reason.length < 2) {
        this.setData({ reasonError: '请填写不予确认的原因（至少2个字）' });
        return;
      }
      this.decide(this.data.refusing, 'refuse', reason);
    },
  },
});
