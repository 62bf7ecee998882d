/**
 * 单位添加申请 (secretariat; issue 12): holders who could not find their employer asked for it to
 * be added (`units.request`). Each pending request is approved as a new unit under the initial-
 * review organisation chosen here, merged into a unit that already exists (found by name), or
 * refused with a reason (`admin.decideUnitRequest`); the holder is notified either way. Decided
 * requests stay listed under their tab.
 */
import type { OrgView, UnitRequestView, UnitView } from '../../../typings/api';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { errorText, formatTime, toast } from '../../utils/format';

type Status = UnitRequestView['status'];
type Row = UnitRequestView & { created: string };

const TABS: { value: Status; label: string }[] = [
  { value: 'pending', label: '待处理' },
  { value: 'approved', label: '已新建' },
  { value: 'merged', label: '已合并' },
  { value: 'refused', label: '已驳回' },
];

const EMPTY: Record<Status, string> = {
  pending: '没有待处理的单位添加申请',
  approved: '还没有据申请新建的单位',
  merged: '还没有合并的申请',
  refused: '没有驳回的申请',
};

Component({
  behaviors: [pagedList],
  data: {
    status: 'pending' as Status,
    tabs: TABS,
    emptyText: EMPTY.pending,
    /** The request being decided, and how: 'approve' | 'merge' (a panel under it). */
    deciding: '',
    mode: '' as '' | 'approve' | 'merge',
    orgs: [] as OrgView[],
    orgNames: [] as string[],
    orgIndex: -1,
    unitQuery: '',
    units: [] as UnitView[],
    unitId: '',
    searching: false,
    panelError: '',
    busy: false,
    refusing: '',
    refuseMessage: '',
  },
  methods: {
    onLoad() {
      this.reload();
    },

    async fetchPage(page: number, pageSize: number) {
      const status = this.data.status;
      const r = await call('admin', 'unitRequests', { status, page, pageSize });
      const items: Row[] = r.items.map((i) => ({ ...i, created: formatTime(i.createdAt) }));
      return { items, total: r.total, extra: { emptyText: EMPTY[status] } };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const status = e.detail.value as Status;
      if (status === this.data.status) return;
      this.setData({ status, deciding: '', mode: '' });
      this.reload();
    },

    /** 批准新建: choose the organisation that will do the unit's initial reviews. */
    async onApprove(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      this.setData({ deciding: id, mode: 'approve', orgIndex: -1, panelError: '' });
      if (this.data.orgs.length) return;
      try {
        const orgs = (await call('admin', 'listOrgs', {})).items.filter((o) => o.kind === 'service-org');
        this.setData({ orgs, orgNames: orgs.map((o) => o.name) });
      } catch (err) {
        this.setData({ panelError: errorText(err) });
      }
    },
    onOrg(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ orgIndex: Number(e.detail.value), panelError: '' });
    },

    /** 合并: the request names a unit that already exists under another spelling. */
    onMerge(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const row = (this.data.items as Row[]).find((r) => r.id === id);
      this.setData({ deciding: id, mode: 'merge', unitQuery: row ? row.name.slice(0, 4) : '', units: [], unitId: '', panelError: '' });
      this.searchUnits();
    },
    onUnitQuery(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ unitQuery: e.detail.value });
    },
    async searchUnits() {
      const name = this.data.unitQuery.trim();
      if (!name) {
        this.setData({ panelError: '请输入单位名称中的关键字' });
        return;
      }
      this.setData({ searching: true, panelError: '' });
      try {
        const r = await call('admin', 'listUnits', { name, pageSize: 20 });
        this.setData({ searching: false, units: r.items, unitId: '', panelError: r.items.length ? '' : '没有名称包含该关键字的单位' });
      } catch (err) {
        this.setData({ searching: false, panelError: errorText(err) });
      }
    },
    onPickUnit(e: WechatMiniprogram.TouchEvent) {
      this.setData({ unitId: String(e.currentTarget.dataset.id || ''), panelError: '' });
    },

    onCancelPanel() {
      this.setData({ deciding: '', mode: '', panelError: '' });
    },

    async onConfirmPanel() {
      const requestId = this.data.deciding;
      if (!requestId || this.data.busy) return;
      if (this.data.mode === 'approve') {
        const org = this.data.orgs[this.data.orgIndex];
        if (!org) return this.setData({ panelError: '请选择初审机构' });
        await this.decide({ requestId, decision: 'approve', orgId: org.id });
      } else if (this.data.mode === 'merge') {
        if (!this.data.unitId) return this.setData({ panelError: '请选择要合并到的单位' });
        await this.decide({ requestId, decision: 'merge', unitId: this.data.unitId });
      }
    },

    /** 驳回: the reason goes to the holder. */
    onRefuse(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const row = (this.data.items as Row[]).find((r) => r.id === id);
      this.setData({ refusing: id, refuseMessage: row ? `驳回“${row.name}”的添加申请，原因将通知申请人。` : '' });
    },
    onRefuseCancel() {
      if (!this.data.busy) this.setData({ refusing: '' });
    },
    async onRefuseConfirm(e: WechatMiniprogram.CustomEvent<{ reason: string }>) {
      await this.decide({ requestId: this.data.refusing, decision: 'refuse', reason: e.detail.reason });
    },

    async decide(req: { requestId: string; decision: 'approve' | 'merge' | 'refuse'; orgId?: string; unitId?: string; reason?: string }) {
      this.setData({ busy: true, panelError: '' });
      try {
        const r = await call('admin', 'decideUnitRequest', req);
        this.setData({ busy: false, deciding: '', mode: '', refusing: '' });
        toast(r.status === 'refused' ? '已驳回' : r.status === 'merged' ? `已合并到${r.unit ? r.unit.name : ''}` : '已新建单位', 'success');
        await this.reload();
      } catch (err) {
        this.setData({ busy: false, refusing: '', panelError: errorText(err) });
      }
    },
  },
});
