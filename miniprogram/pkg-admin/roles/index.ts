/**
 * 账号与邀请 (secretariat; SPEC §2.1): the role grants (paged, filtered by role) and the pending
 * invitations. 邀请: pick a role (Chinese labels), its scope — a unit for 单位管理员 (主/子账号),
 * an organisation for 机构初审, none for association staff — and optionally the invitee's phone and
 * name; the invitation QR shows for the invitee to scan on the scan page. A grant is revoked with a
 * mandatory reason (dialog); an invitation is revoked at once.
 */
import type { GrantView, InvitableRole, InviteView } from '../../../typings/api';
import { ROLE_LABEL } from '../../shared/labels';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { fileUrl } from '../../services/upload';
import { errorText, flattenErrors, formatTime, toast } from '../../utils/format';

const ROLES: InvitableRole[] = ['unit_admin', 'org_reviewer', 'assoc_reviewer', 'finance', 'secretariat'];

interface GrantRow extends GrantView {
  roleLabel: string;
  who: string;
  granted: string;
}
interface InviteRow extends InviteView {
  roleLabel: string;
  expires: string;
}

function grantRow(g: GrantView): GrantRow {
  return {
    ...g,
    roleLabel: `${ROLE_LABEL[g.role] || g.role}${g.role === 'unit_admin' ? (g.main ? '（主账号）' : '（子账号）') : ''}`,
    who: g.name ? `${g.name}（${g.openidMasked}）` : g.openidMasked,
    granted: g.grantedAt ? formatTime(g.grantedAt) : '',
  };
}
function inviteRow(i: InviteView): InviteRow {
  return {
    ...i,
    roleLabel: `${ROLE_LABEL[i.role] || i.role}${i.role === 'unit_admin' ? (i.main ? '（主账号）' : '（子账号）') : ''}`,
    expires: formatTime(i.expiresAt),
  };
}

let scopeSeq = 0;

Component({
  behaviors: [pagedList],
  data: {
    roleNames: ROLES.map((r) => ROLE_LABEL[r]),
    filterNames: ['全部角色', ...ROLES.map((r) => ROLE_LABEL[r])],
    filterIndex: 0,
    /** A unit's own accounts and invitations (the server lists a unit's invitations only when asked by unit). */
    scopeFilter: null as null | { id: string; name: string },
    items: [] as GrantRow[],
    pending: [] as InviteRow[],
    busy: '',
    // invite form
    roleIndex: -1,
    scopeKind: '' as '' | 'unit' | 'org',
    scopeQuery: '',
    scopeLoading: false,
    scopeIds: [] as string[],
    scopeNames: [] as string[],
    scopeIndex: -1,
    mainNames: ['主账号', '子账号'],
    mainIndex: 0,
    phone: '',
    name: '',
    inviteErrors: {} as Record<string, string>,
    inviteError: '',
    inviting: false,
    invite: null as null | { roleLabel: string; scopeName: string; expires: string; qr: string },
    // revoke
    revokeVisible: false,
    revokeMessage: '',
    revokeGrantId: '',
  },
  methods: {
    onLoad() {
      this.reload();
    },

    /** A page of the grants (by role, by unit); the pending invitations come with it. */
    async fetchPage(page: number, pageSize: number) {
      const role = this.data.filterIndex ? ROLES[this.data.filterIndex - 1] : undefined;
      const scope = this.data.scopeFilter;
      const r = await call('admin', 'listRoles', { ...(role ? { role } : {}), ...(scope ? { scopeId: scope.id } : {}), page, pageSize });
      return { items: r.items.map(grantRow), total: r.total, extra: { pending: r.pending.map(inviteRow) } };
    },
    onFilter(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ filterIndex: Number(e.detail.value) || 0, pending: [] });
      this.reload();
    },

    /** Show the accounts and invitations of the unit picked in the invite form. */
    onViewScope() {
      const d = this.data;
      if (d.scopeKind !== 'unit' || d.scopeIndex < 0) return;
      this.setData({
        scopeFilter: { id: d.scopeIds[d.scopeIndex], name: d.scopeNames[d.scopeIndex] },
        pending: [],
      });
      this.reload();
    },
    onClearScope() {
      this.setData({ scopeFilter: null, pending: [] });
      this.reload();
    },

    // ---------- invite ----------

    onPickRole(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const roleIndex = Number(e.detail.value);
      const role = ROLES[roleIndex];
      if (!role) return;
      const scopeKind = role === 'unit_admin' ? 'unit' : role === 'org_reviewer' ? 'org' : '';
      this.setData({
        roleIndex,
        scopeKind,
        scopeIds: [],
        scopeNames: [],
        scopeIndex: -1,
        mainIndex: 0,
        inviteErrors: {},
        inviteError: '',
      });
      if (scopeKind) this.loadScopes();
    },
    onScopeQuery(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ scopeQuery: e.detail.value });
    },
    onScopeSearch() {
      this.loadScopes();
    },

    /** The choices of scope: units (by name prefix, first 50) or the service organisations. */
    async loadScopes() {
      const mine = ++scopeSeq;
      const kind = this.data.scopeKind;
      this.setData({ scopeLoading: true, 'inviteErrors.scopeId': '' });
      try {
        let list: { id: string; name: string }[];
        if (kind === 'unit') {
          const q = this.data.scopeQuery.trim();
          list = (await call('admin', 'listUnits', { ...(q ? { name: q } : {}), page: 1, pageSize: 50 })).items;
        } else {
          list = (await call('admin', 'listOrgs', {})).items.filter((o) => o.kind === 'service-org');
        }
        if (mine !== scopeSeq) return;
        this.setData({
          scopeLoading: false,
          scopeIds: list.map((x) => x.id),
          scopeNames: list.map((x) => x.name),
          scopeIndex: list.length === 1 ? 0 : -1,
        });
      } catch (e) {
        if (mine !== scopeSeq) return;
        this.setData({ scopeLoading: false, 'inviteErrors.scopeId': errorText(e) });
      }
    },
    onPickScope(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ scopeIndex: Number(e.detail.value), 'inviteErrors.scopeId': '' });
    },
    onPickMain(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ mainIndex: Number(e.detail.value) ? 1 : 0 });
    },
    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (key === 'phone' || key === 'name')
        this.setData({ [key]: e.detail.value, [`inviteErrors.${key}`]: '', inviteError: '' });
    },

    async onInvite() {
      if (this.data.inviting) return;
      const d = this.data;
      const role = ROLES[d.roleIndex];
      const errors: Record<string, string> = {};
      if (!role) errors.role = '请选择角色';
      const scopeId = d.scopeKind && d.scopeIndex >= 0 ? d.scopeIds[d.scopeIndex] : '';
      if (d.scopeKind && !scopeId) errors.scopeId = d.scopeKind === 'unit' ? '请选择单位' : '请选择初审机构';
      const main = role === 'unit_admin' ? d.mainIndex === 0 : undefined;
      const phone = d.phone.trim();
      const name = d.name.trim();
      if (phone && !/^1\d{10}$/.test(phone)) errors.phone = '请填写11位手机号码';
      if (role === 'unit_admin' && main === false && !phone) errors.phone = '子账号按手机号邀请，请填写手机号码';
      if (name && Array.from(name).length < 2) errors.name = '姓名至少2个字';
      if (Object.keys(errors).length) {
        this.setData({ inviteErrors: errors, inviteError: errors.role || '' });
        return;
      }
      this.setData({ inviting: true, inviteErrors: {}, inviteError: '', invite: null });
      try {
        const r = await call('admin', 'inviteRole', {
          role,
          ...(scopeId ? { scopeId } : {}),
          ...(main !== undefined ? { main } : {}),
          ...(phone ? { phone } : {}),
          ...(name ? { name } : {}),
        });
        const qr = await fileUrl(r.qrImage);
        this.setData({
          inviting: false,
          invite: {
            roleLabel: `${ROLE_LABEL[r.role]}${r.role === 'unit_admin' ? (r.main ? '（主账号）' : '（子账号）') : ''}`,
            scopeName: scopeId ? d.scopeNames[d.scopeIndex] : '',
            expires: formatTime(r.expiresAt),
            qr,
          },
          phone: '',
          name: '',
          // A unit's invitations are listed by unit: show that unit's accounts.
          ...(r.role === 'unit_admin' ? { scopeFilter: { id: scopeId, name: d.scopeNames[d.scopeIndex] } } : {}),
        });
        await this.refresh();
      } catch (e) {
        this.setData({
          inviting: false,
          inviteError: errorText(e),
          inviteErrors: flattenErrors((e as { fields?: Record<string, string> }).fields),
        });
      }
    },
    onPreview() {
      if (this.data.invite) wx.previewImage({ urls: [this.data.invite.qr] });
    },
    onCloseInvite() {
      this.setData({ invite: null });
    },

    // ---------- revoke ----------

    async onRevokeInvite(e: WechatMiniprogram.CustomEvent) {
      const inviteId = String(e.currentTarget.dataset.id || '');
      if (!inviteId || this.data.busy) return;
      this.setData({ busy: `invite-${inviteId}` });
      try {
        await call('admin', 'revokeInvite', { inviteId });
        this.setData({ busy: '' });
        toast('已撤销邀请', 'success');
        await this.refresh();
      } catch (err) {
        this.setData({ busy: '' });
        toast(errorText(err));
      }
    },
    onRevoke(e: WechatMiniprogram.CustomEvent) {
      const grantId = String(e.currentTarget.dataset.id || '');
      const g = (this.data.items as GrantRow[]).find((x) => x.grantId === grantId);
      if (!g) return;
      this.setData({
        revokeVisible: true,
        revokeGrantId: grantId,
        revokeMessage: `撤销 ${g.who} 的${g.roleLabel}${g.scopeName ? '（' + g.scopeName + '）' : ''}，对方将立即失去该角色。`,
      });
    },
    onRevokeCancel() {
      this.setData({ revokeVisible: false, revokeGrantId: '' });
    },
    async onRevokeConfirm(e: WechatMiniprogram.CustomEvent<{ reason: string }>) {
      const grantId = this.data.revokeGrantId;
      if (!grantId || this.data.busy) return;
      this.setData({ busy: `grant-${grantId}` });
      try {
        await call('admin', 'revokeRole', { grantId, reason: e.detail.reason });
        this.setData({ busy: '', revokeVisible: false, revokeGrantId: '' });
        toast('已撤销', 'success');
        await this.refresh();
      } catch (err) {
        this.setData({ busy: '', revokeVisible: false, revokeGrantId: '' });
        toast(errorText(err));
      }
    },
  },
});
