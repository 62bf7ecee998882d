/**
 * 二维码记录 (unit admin; issue 9): every code the unit issued — 入会码, 简码, 变更码, 离职码, 身份资料
 * 更新码, 子账号邀请 — by state, paged on the server (`codes.list`). A code still valid can be
 * withdrawn (`codes.revoke`, a second tap confirms): anyone scanning it afterwards is told it is void.
 */
import type { CodeView } from '../../../typings/api';
import { CODE_KIND_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { errorText, formatTime, toast } from '../../utils/format';

type State = CodeView['state'];
type Row = CodeView & { kindLabel: string; issued: string; expires: string; used: string; revoked: string };

const TABS: { value: State; label: string }[] = [
  { value: 'active', label: '有效' },
  { value: 'used', label: '已使用' },
  { value: 'revoked', label: '已撤销' },
  { value: 'expired', label: '已过期' },
];

const EMPTY: Record<State, string> = {
  active: '没有有效的二维码',
  used: '还没有被使用的二维码',
  revoked: '没有撤销过的二维码',
  expired: '没有过期的二维码',
};

Component({
  behaviors: [pagedList],
  data: {
    state: 'active' as State,
    tabs: TABS,
    emptyText: EMPTY.active,
    /** The code whose withdrawal awaits its second tap. */
    confirming: '',
    busy: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const q = query && (query.state as State | undefined);
      const state: State = q && EMPTY[q] ? q : 'active';
      this.setData({ state, emptyText: EMPTY[state] });
      this.reload();
    },

    async fetchPage(page: number, pageSize: number) {
      const state = this.data.state;
      const r = await call('codes', 'list', { state, page, pageSize });
      const items: Row[] = r.items.map((c) => ({
        ...c,
        kindLabel: CODE_KIND_LABEL[c.kind] || c.kind,
        issued: formatTime(c.issuedAt),
        expires: formatTime(c.expiresAt),
        used: formatTime(c.usedAt),
        revoked: formatTime(c.revokedAt),
      }));
      return { items, total: r.total, extra: { emptyText: EMPTY[state] } };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const state = e.detail.value as State;
      if (state === this.data.state) return;
      this.setData({ state, confirming: '' });
      this.reload();
    },

    async onRevoke(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      if (!id || this.data.busy) return;
      if (this.data.confirming !== id) {
        this.setData({ confirming: id });
        return;
      }
      this.setData({ busy: id });
      try {
        await call('codes', 'revoke', { codeId: id });
        toast('已撤销，该二维码不能再使用', 'success');
      } catch (err) {
        toast(errorText(err));
      }
      this.setData({ busy: '', confirming: '' });
      await this.reload();
    },
  },
});
