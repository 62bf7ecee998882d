/**
 * 表单详情 (unit admin): the form as `components/form-detail` shows it — people (ID masked, the full
 * number on request, audited), attachments, bills, the stages done and ahead, the trail — and the
 * unit's own step: pre-review of a join application (单位预审 — approve, completing a simple-code
 * application and choosing the level, or return with a mandatory reason), paying each bill with its
 * receipt (待缴费), editing and resubmitting a form returned to the unit (SPEC §3.1, §3.2; manual
 * 2.1.2 ★注). Business forms (SPEC §3.3) also show their certificate type, reason, specialties, the
 * people's certificates and the form-level attachments; a draft (暂存) is submitted or discarded here.
 */
import type { BillView, BusinessType, CodeKind, FileKey, Files, FormView, MembershipLevel, Profile, ReqOf } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { LEVEL_LABEL } from '../../shared/labels';
import { formPage } from '../../behaviors/form-page';
import { formReturn } from '../../behaviors/form-return';
import { editablePartOf, profileEdit } from '../../behaviors/profile-edit';
import { call } from '../../services/request';
import { BILL_KIND_LABEL, fileLabel, fileHint, isBusinessType, requiredFiles, personSlots } from '../../utils/business';
import { errorCode, errorText, flattenErrors, toast } from '../../utils/format';
import { checkSupplement } from '../../utils/profile-edit';
import { formWithdraw, WITHDRAWABLE } from '../../behaviors/form-withdraw';

const SUPPLEMENT_KEYS: FileKey[] = ['diploma', 'diplomaCheck', 'video', 'titleCert', 'qualificationCert'];
const FULL_KEYS: FileKey[] = ['photo', 'idFront', 'idBack', 'diploma', 'diplomaCheck', 'video', 'titleCert', 'qualificationCert'];

/** `people.<i>.files.<key>`: a person's missing or refused attachment, by their index on the form. */
const PERSON_FILE_FIELD = /^people\.(\d+)\.files\.(\w+)$/;

/**
 * Per-person refusals (`people.<memberId>`), each person's attachment refusals (memberId → key →
 * message, from `people.<i>.files.<key>` in the form's order) and the other field errors.
 */
function splitFields(
  fields: Record<string, string> | undefined,
  form: FormView | null,
): { people: Record<string, string>; personFiles: Record<string, Record<string, string>>; rest: Record<string, string> } {
  const people: Record<string, string> = {};
  const personFiles: Record<string, Record<string, string>> = {};
  const rest: Record<string, string> = {};
  for (const k of Object.keys(fields || {})) {
    const v = (fields as Record<string, string>)[k];
    const pf = PERSON_FILE_FIELD.exec(k);
    const id = pf && form && form.people[Number(pf[1])] ? form.people[Number(pf[1])].memberId : undefined;
    if (pf && id) personFiles[id] = { ...(personFiles[id] || {}), [pf[2]]: v };
    else if (k.indexOf('people.') === 0) people[k.slice('people.'.length)] = v;
    else rest[k] = v;
  }
  return { people, personFiles, rest: flattenErrors(rest) };
}


/** What the unit sends of a join application's person: address, education and title, trimmed. */
function unitPartOf(p: Partial<Profile>): Partial<Profile> {
  const out: Partial<Profile> = { address: String(p.address || '').trim(), education: p.education };
  if (p.title) out.title = String(p.title).trim();
  return out;
}

Component({
  behaviors: [formPage, formReturn, profileEdit, formWithdraw],
  data: {
    business: false,
    businessKeys: [] as FileKey[],
    businessLabels: {} as Record<string, string>,
    businessHints: {} as Record<string, string>,
    peopleErrors: {} as Record<string, string>,
    /** A draft's per-person slots (`personRules`): keys, titles, hints, which are required; uploads and refusals by memberId. */
    personKeys: [] as FileKey[],
    personLabels: {} as Record<string, string>,
    personHints: {} as Record<string, string>,
    personRequired: {} as Record<string, boolean>,
    personFiles: {} as Record<string, Files>,
    personFileErrors: {} as Record<string, Record<string, string>>,
    unpaidCount: 0,
    payTitle: '',
    discardVisible: false,
    discarded: false,
    unpaidBill: null as BillView | null,
    levels: [
      { value: 'ordinary', label: LEVEL_LABEL.ordinary },
      { value: 'professional', label: LEVEL_LABEL.professional },
    ],
    level: 'ordinary' as MembershipLevel,
    needSupplement: false,
    supplementKeys: SUPPLEMENT_KEYS,
    editable: false,
    fileKeys: FULL_KEYS,
    birthDate: '',
    receipt: '',
    remark: '',
  },
  methods: {
    show(form: FormView) {
      const person = form.people[0];
      const r = form.status === 'returned' ? form.returned : undefined;
      const editable = !!r && r.to === 'unit';
      const codeKind: CodeKind | undefined = form.codeKind;
      const business = isBusinessType(form.type);
      const needSupplement =
        form.status === 'unit_review' && form.type === 'join' && (codeKind === 'join-simple' || !!(person && !person.education));
      const unpaid = form.bills.filter((b) => b.status === 'unpaid');
      const unpaidBill = unpaid[0] || null;
      const businessKeys = business ? requiredFiles(form.type as BusinessType, form.reason) : [];
      const businessLabels: Record<string, string> = {};
      const businessHints: Record<string, string> = {};
      for (const k of businessKeys) {
        businessLabels[k] = fileLabel(form.type as BusinessType, k, form.reason);
        businessHints[k] = fileHint(form.type as BusinessType, k, form.reason);
      }
      // A draft takes each person's own attachments (diploma, verification …) before submission; a
      // form returned to the unit lets them be replaced.
      const slots = business && (form.status === 'draft' || editable) ? personSlots(form.type as BusinessType) : { keys: [], labels: {}, hints: {}, required: {} };
      const personFiles: Record<string, Files> = {};
      if (slots.keys.length) for (const p of form.people) if (p.memberId) personFiles[p.memberId] = { ...(p.files || {}) };
      this.setData({
        personKeys: slots.keys,
        personLabels: slots.labels,
        personHints: slots.hints,
        personRequired: slots.required,
        personFiles,
        personFileErrors: {},
      });
      this.setData({
        business,
        // The unit withdraws what the unit started (a join application is its applicant's to withdraw).
        withdrawable: form.startedBy === 'unit' && WITHDRAWABLE.indexOf(form.status) >= 0,
        confirmWithdraw: false,
        businessKeys,
        businessLabels,
        businessHints,
        peopleErrors: {},
        unpaidCount: unpaid.length,
        payTitle: unpaidBill ? `缴纳${BILL_KIND_LABEL[unpaidBill.kind] || '费用'}` : '',
        discardVisible: false,
        loading: false,
        error: '',
        form,
        unpaidBill,
        level: form.level || 'ordinary',
        needSupplement,
        editable,
        fileKeys: FULL_KEYS,
        birthDate: (person && person.birthDate) || '',
        profile: !business && person && (needSupplement || editable) ? editablePartOf(person) : {}, // server UNIT_EDITABLE: identity and phone stay the applicant's
        files: business ? { ...(form.files || {}) } : person && (needSupplement || editable) ? { ...person.files } : {},
        receipt: unpaidBill && unpaidBill.receipt ? unpaidBill.receipt : '',
        remark: '',
        touched: {},
        showAll: false,
        serverErrors: {},
        errors: {},
        actionError: '',
        busy: false,
        returnVisible: false,
      });
    },

    /**
     * What the unit's edit still lacks. From the unit a join application must be complete (the
     * server checks it as a full-code application), both when completing a simple-code one in
     * pre-review and when resubmitting a returned one.
     */
    check(): Record<string, string> {
      if (this.data.business) return this.missingBusinessFiles();
      if (!this.data.needSupplement && !this.data.editable) return {};
      return checkSupplement(this.data.profile, this.data.files, this.data.birthDate || null, shanghaiDay(), this.data.level);
    },

    onLevel(e: WechatMiniprogram.TouchEvent) {
      this.setData({ level: e.currentTarget.dataset.value as MembershipLevel });
    },
    onReceipt(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      this.setData({ receipt: e.detail.fileID, errors: {} });
    },
    onRemark(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ remark: e.detail.value });
    },

    /** After any failed decision: CONFLICT means someone else acted — say so and show the new state. */
    failed(e: unknown) {
      const { people, personFiles, rest: serverErrors } = splitFields((e as { fields?: Record<string, string> }).fields, this.data.form);
      if (errorCode(e) === 'CONFLICT') {
        toast('已被他人处理，页面已刷新');
        this.setData({ busy: false, returnVisible: false, discardVisible: false });
        this.load();
        return;
      }
      this.setData({ busy: false, serverErrors, peopleErrors: people, personFileErrors: personFiles, actionError: errorText(e) });
      this.refresh();
    },

    /** A file in one person's slots: `data-id` on the slot names the person. */
    onPersonFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      const id = String(e.currentTarget.dataset.id);
      const mine = { ...(this.data.personFileErrors[id] || {}) };
      delete mine[e.detail.key];
      this.setData({
        personFiles: { ...this.data.personFiles, [id]: { ...(this.data.personFiles[id] || {}), [e.detail.key]: e.detail.fileID } },
        personFileErrors: { ...this.data.personFileErrors, [id]: mine },
      });
    },

    /** Each person's attachments changed on this page, as `forms.submit` takes them. */
    changedPeople(): { memberId: string; files: Files }[] {
      const out: { memberId: string; files: Files }[] = [];
      for (const p of (this.data.form && this.data.form.people) || []) {
        if (!p.memberId) continue;
        const now = this.data.personFiles[p.memberId] || {};
        const before = p.files || {};
        const files: Files = {};
        for (const k of Object.keys(now) as FileKey[]) if (now[k] && now[k] !== before[k]) files[k] = now[k];
        if (Object.keys(files).length) out.push({ memberId: p.memberId, files });
      }
      return out;
    },

    /** A business form's required attachments not uploaded yet (`files_<key>`, as the server's keys flattened). */
    missingBusinessFiles(): Record<string, string> {
      if (!this.data.form || (this.data.form.status !== 'draft' && !this.data.editable)) return {};
      const out: Record<string, string> = {};
      for (const k of this.data.businessKeys) if (!this.data.files[k]) out[`files_${k}`] = `请上传${this.data.businessLabels[k] || k}`;
      return out;
    },

    /** Attachments changed on this page (the server merges them into the form's). */
    changedFiles(): Files {
      const before = (this.data.form && this.data.form.files) || {};
      const out: Files = {};
      for (const k of Object.keys(this.data.files) as FileKey[]) if (this.data.files[k] && this.data.files[k] !== before[k]) out[k] = this.data.files[k];
      return out;
    },

    /** 暂存 → the review pipeline: the rules are checked again and the bills are issued (`forms.submit`). */
    async onSubmitDraft() {
      if (this.data.busy || !this.data.form) return;
      this.setData({ actionError: '', serverErrors: {}, peopleErrors: {}, personFileErrors: {} });
      if (!this.ready('请先上传标红的附件')) return;
      this.setData({ busy: true });
      try {
        const files = this.changedFiles();
        const people = this.changedPeople();
        const form = await call('forms', 'submit', {
          formId: this.data.formId,
          version: this.data.form.version,
          ...(Object.keys(files).length ? { files } : {}),
          ...(people.length ? { people } : {}),
        });
        wx.showToast({ title: '已提交', icon: 'success' });
        this.show(form);
      } catch (e) {
        this.failed(e);
      }
    },

    onDiscard() {
      if (!this.data.busy) this.setData({ discardVisible: true, actionError: '' });
    },
    onDiscardCancel() {
      if (!this.data.busy) this.setData({ discardVisible: false });
    },
    async onDiscardConfirm() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        await call('forms', 'discard', { formId: this.data.formId });
        wx.showToast({ title: '已删除暂存表单', icon: 'success' });
        this.setData({ busy: false, discardVisible: false, discarded: true, form: null });
        wx.navigateBack({ delta: 1 });
      } catch (e) {
        this.setData({ discardVisible: false });
        this.failed(e);
      }
    },

    async onApprove() {
      if (this.data.busy || !this.data.form) return;
      this.setData({ actionError: '' });
      if (!this.ready('请先补充标红的信息')) return;
      this.setData({ busy: true });
      try {
        const req: ReqOf<'forms', 'prereview'> = {
          formId: this.data.formId,
          decision: 'approve',
          level: this.data.level,
          version: this.data.form.version,
        };
        if (this.data.needSupplement) {
          const files: Files = {};
          for (const k of SUPPLEMENT_KEYS) if (this.data.files[k]) files[k] = this.data.files[k];
          req.supplement = { profile: unitPartOf(this.data.profile), files };
        }
        const form = await call('forms', 'prereview', req);
        wx.showToast({ title: '预审已通过', icon: 'success' });
        this.show(form);
      } catch (e) {
        this.failed(e);
      }
    },

    /** 单位预审 退回: back to the applicant, who edits and resubmits. */
    sendReturn(reason: string, version: number | undefined): Promise<FormView> {
      return call('forms', 'prereview', { formId: this.data.formId, decision: 'return', reason, version });
    },

    async onPay() {
      const bill = this.data.unpaidBill;
      if (this.data.busy || !bill) return;
      if (!this.data.receipt) {
        this.setData({ errors: { receipt: '请先上传缴费凭证' } });
        return;
      }
      this.setData({ busy: true, actionError: '' });
      try {
        await call('bills', 'pay', { billId: bill.id, receipt: this.data.receipt });
        wx.showToast({ title: '缴费凭证已提交', icon: 'success' });
        this.setData({ busy: false });
        await this.load();
      } catch (e) {
        this.failed(e);
      }
    },

    async onResubmit() {
      if (this.data.busy) return;
      this.setData({ actionError: '' });
      if (!this.ready('请按提示修改标红的项目')) return;
      this.setData({ busy: true });
      try {
        let req: ReqOf<'forms', 'resubmit'>;
        if (this.data.business) {
          // A business form: the people stay as submitted; the unit replaces attachments (its own and
          // each person's) and explains.
          const files = this.changedFiles();
          const people = this.changedPeople();
          req = {
            formId: this.data.formId,
            ...(Object.keys(files).length ? { files } : {}),
            ...(people.length ? { people } : {}),
            remark: this.data.remark.trim() || undefined,
            version: this.data.form ? this.data.form.version : undefined,
          };
        } else {
          req = {
            formId: this.data.formId,
            profile: unitPartOf(this.data.profile),
            files: this.data.files,
            remark: this.data.remark.trim() || undefined,
            version: this.data.form ? this.data.form.version : undefined,
          };
        }
        const form = await call('forms', 'resubmit', req);
        wx.showToast({ title: '已重新提交', icon: 'success' });
        this.show(form);
      } catch (e) {
        this.failed(e);
      }
    },
  },
});
