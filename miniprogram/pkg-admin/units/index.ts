/**
 * 单位与机构 (secretariat; SPEC §1, §2.1): the unit register — name-prefix search, member filter,
 * paged — with 新建单位 (name, 统一社会信用代码 checked as typed, 初审机构, member or not) and 编辑
 * (only the fields changed are sent to `admin.updateUnit`). A second tab lists the organisations and
 * adds a service organisation (`admin.createOrg`).
 */
import type { OrgView, UnitFields, UnitView } from '../../../typings/api';
import { checkCreditCode } from '../../shared/credit-code';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/request';
import { errorText, flattenErrors, toast } from '../../utils/format';

const MEMBER_FILTER: (boolean | undefined)[] = [undefined, true, false];
const TEXT_FIELDS = ['name', 'creditCode', 'address', 'legalRep', 'contactName', 'contactPhone'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type Draft = Record<TextField, string>;

const EMPTY: Draft = { name: '', creditCode: '', address: '', legalRep: '', contactName: '', contactPhone: '' };

interface UnitRow extends UnitView {
  memberText: string;
}
interface OrgRow extends OrgView {
  kindLabel: string;
}

function unitRow(u: UnitView): UnitRow {
  return {
    ...u,
    memberText: u.isMember
      ? u.memberActive
        ? `单位会员 · 有效期至${u.memberUntil || '—'}`
        : `单位会员（已过期${u.memberUntil ? ' ' + u.memberUntil : ''}）`
      : '非会员单位',
  };
}
function orgRow(o: OrgView): OrgRow {
  return { ...o, kindLabel: o.kind === 'association' ? '协会' : '初审机构' };
}

/** Client-side checks before any request: a map of field → Chinese sentence. */
function checkDraft(d: Draft, orgId: string, creating: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = d.name.trim();
  if (creating || name) {
    if (Array.from(name).length < 4) errors.name = '请填写单位全称（至少4个字）';
  }
  if (creating || d.creditCode.trim()) {
    const bad = checkCreditCode(d.creditCode);
    if (bad) errors.creditCode = bad;
  }
  if (creating && !orgId) errors.orgId = '请选择初审机构';
  const phone = d.contactPhone.trim();
  if (phone && !/^[0-9+\-\s]{7,20}$/.test(phone)) errors.contactPhone = '联系电话应为7到20位数字';
  return errors;
}

Component({
  behaviors: [pagedList],
  data: {
    tab: 'units' as 'units' | 'orgs',
    // unit list
    query: '',
    memberNames: ['全部单位', '单位会员', '非会员单位'],
    memberIndex: 0,
    items: [] as UnitRow[],
    // organisations
    orgs: [] as OrgRow[],
    serviceOrgs: [] as OrgRow[],
    serviceOrgNames: [] as string[],
    orgsLoading: true,
    orgsError: '',
    orgName: '',
    orgError: '',
    orgBusy: false,
    // unit form
    formMode: '' as '' | 'create' | 'edit',
    editing: null as UnitRow | null,
    draft: { ...EMPTY } as Draft,
    orgIndex: -1,
    memberChoice: 0,
    memberChoiceNames: ['非会员单位', '单位会员'],
    creditHint: '',
    creditOk: false,
    formErrors: {} as Record<string, string>,
    formError: '',
    saving: false,
  },
  methods: {
    onLoad() {
      this.reload();
      this.loadOrgs();
    },
    /** Page event: the tab shown starts again (the unit list through the paged-list behaviour). */
    onPullDownRefresh() {
      const p = this.data.tab === 'units' ? this.refresh() : this.loadOrgs();
      p.then(() => wx.stopPullDownRefresh());
    },
    /** Page event: only the unit list pages. */
    onReachBottom() {
      if (this.data.tab === 'units') this.loadMore();
    },
    onRetryOrgs() {
      this.loadOrgs();
    },
    onTab(e: WechatMiniprogram.CustomEvent) {
      const tab = String(e.currentTarget.dataset.tab || 'units') as 'units' | 'orgs';
      this.setData({ tab });
    },

    // ---------- units ----------

    /** A page of the unit register, by name prefix and member filter. */
    async fetchPage(page: number, pageSize: number) {
      const q = this.data.query.trim();
      const isMember = MEMBER_FILTER[this.data.memberIndex];
      const r = await call('admin', 'listUnits', { ...(q ? { name: q } : {}), ...(isMember === undefined ? {} : { isMember }), page, pageSize });
      return { items: r.items.map(unitRow), total: r.total };
    },
    onQuery(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ query: e.detail.value });
    },
    onSearch() {
      this.reload();
    },
    onMemberFilter(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ memberIndex: Number(e.detail.value) || 0 });
      this.reload();
    },

    // ---------- unit form ----------

    onNewUnit() {
      this.setData({
        formMode: 'create',
        editing: null,
        draft: { ...EMPTY },
        orgIndex: this.data.serviceOrgs.length === 1 ? 0 : -1,
        memberChoice: 0,
        creditHint: '',
        creditOk: false,
        formErrors: {},
        formError: '',
      });
    },
    onEdit(e: WechatMiniprogram.CustomEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const u = (this.data.items as UnitRow[]).find((x) => x.id === id);
      if (!u) return;
      const draft: Draft = { ...EMPTY };
      for (const k of TEXT_FIELDS) draft[k] = String(u[k] || '');
      this.setData({
        formMode: 'edit',
        editing: u,
        draft,
        orgIndex: this.data.serviceOrgs.findIndex((o) => o.id === u.org.id),
        memberChoice: u.isMember ? 1 : 0,
        creditHint: '',
        creditOk: false,
        formErrors: {},
        formError: '',
      });
    },
    onCancelForm() {
      this.setData({ formMode: '', editing: null, formErrors: {}, formError: '' });
    },
    onDraft(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '') as TextField;
      if (!TEXT_FIELDS.includes(key)) return;
      const value = String(e.detail.value || '');
      const patch: Record<string, unknown> = { [`draft.${key}`]: value, [`formErrors.${key}`]: '', formError: '' };
      if (key === 'creditCode') {
        const code = value.trim();
        const bad = code ? checkCreditCode(code) : null;
        // While typing, the length message waits until 18 characters are in.
        patch.creditHint = !code
          ? ''
          : bad && code.length < 18 && /^[0-9A-Za-z]*$/.test(code)
            ? `已输入${code.length}/18位`
            : bad || '校验通过';
        patch.creditOk = !!code && !bad;
      }
      this.setData(patch);
    },
    onPickOrg(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ orgIndex: Number(e.detail.value), 'formErrors.orgId': '' });
    },
    onPickMember(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ memberChoice: Number(e.detail.value) ? 1 : 0 });
    },

    async onSaveUnit() {
      if (this.data.saving) return;
      const d = this.data.draft;
      const creating = this.data.formMode === 'create';
      const org = this.data.orgIndex >= 0 ? this.data.serviceOrgs[this.data.orgIndex] : undefined;
      const errors = checkDraft(d, org ? org.id : '', creating);
      if (Object.keys(errors).length) {
        this.setData({ formErrors: errors, formError: '请按提示修改后再保存' });
        return;
      }
      const isMember = this.data.memberChoice === 1;
      const fields: UnitFields = {};
      const editing = this.data.editing;
      for (const k of TEXT_FIELDS) {
        const v = k === 'creditCode' ? d[k].trim().toUpperCase() : d[k].trim();
        if (creating ? v : v && v !== String((editing && editing[k]) || '')) fields[k] = v;
      }
      this.setData({ saving: true, formError: '' });
      try {
        let saved: UnitView;
        if (creating) {
          saved = await call('admin', 'createUnit', {
            ...fields,
            name: fields.name as string,
            creditCode: fields.creditCode as string,
            orgId: (org as OrgRow).id,
            isMember,
          });
        } else {
          const u = editing as UnitRow;
          const payload = {
            ...fields,
            unitId: u.id,
            ...(org && org.id !== u.org.id ? { orgId: org.id } : {}),
            ...(isMember !== u.isMember ? { isMember } : {}),
          };
          if (Object.keys(payload).length === 1) {
            this.setData({ saving: false, formError: '没有修改任何内容' });
            return;
          }
          saved = await call('admin', 'updateUnit', payload);
        }
        this.setData({ saving: false, formMode: '', editing: null });
        toast(creating ? `已新建 ${saved.name}` : '已保存', 'success');
        await Promise.all([this.reload(), this.loadOrgs()]);
      } catch (e) {
        const fieldErrors = flattenErrors((e as { fields?: Record<string, string> }).fields);
        this.setData({
          saving: false,
          formError: errorText(e),
          formErrors: { ...this.data.formErrors, ...fieldErrors },
        });
      }
    },

    // ---------- organisations ----------

    async loadOrgs() {
      this.setData({ orgsLoading: !this.data.orgs.length, orgsError: '' });
      try {
        const r = await call('admin', 'listOrgs', {});
        const orgs = r.items.map(orgRow);
        const serviceOrgs = orgs.filter((o) => o.kind === 'service-org');
        this.setData({ orgsLoading: false, orgs, serviceOrgs, serviceOrgNames: serviceOrgs.map((o) => o.name) });
      } catch (e) {
        this.setData({ orgsLoading: false, orgsError: errorText(e) });
      }
    },
    onOrgName(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ orgName: e.detail.value, orgError: '' });
    },
    async onCreateOrg() {
      if (this.data.orgBusy) return;
      const name = this.data.orgName.trim();
      if (Array.from(name).length < 4) {
        this.setData({ orgError: '请填写机构全称（至少4个字）' });
        return;
      }
      this.setData({ orgBusy: true, orgError: '' });
      try {
        await call('admin', 'createOrg', { name });
        this.setData({ orgBusy: false, orgName: '' });
        toast('已添加初审机构', 'success');
        await this.loadOrgs();
      } catch (e) {
        this.setData({ orgBusy: false, orgError: errorText(e) });
      }
    },
  },
});
