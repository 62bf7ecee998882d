/**
 * 延续登记 / 变更登记 (holder; seed 000 3.2–3.5, 4.1–4.4): `?kind=renewal|change&certId=`, or
 * `?formId=` to carry on with a draft. Three steps, as the guide's 登记信息 → 上传附件 → 完成:
 * 1 the person and the certificate from the record, the details the paper needs (职务, 职称, 电子邮箱,
 *   现从事专业, 通信地址), for a change the new employer from `units.directory` (or 找不到单位? →
 *   `units.request`); 下一步 makes the draft (`members.startRegistration`), which shows every reason
 *   a refusal gives where it belongs;
 * 2 导出申请表 (`forms.paper`, opened in the phone's viewer), what to do with the paper (print, sign,
 *   stamp, scan), the attachments the association's profile lists, 提交 (`forms.submit`);
 * 3 完成: the form's number and the way to 登记记录.
 */
import type { Files, FileKey, FormView, ProfileId, RegistrationDetails, RegistrationOption, UnitRef } from '../../../typings/api';
import type { AssociationProfile } from '../../shared/association';
import { PROFILES } from '../../shared/association';
import { call } from '../../services/request';
import { invalidateMe, loadMe } from '../../services/session';
import { openStoredDocument } from '../../services/upload';
import { errorCode, errorText, flattenErrors, toast } from '../../utils/format';
import { checkCreditCode } from '../../shared/credit-code';
import {
  REGISTRATION_LABEL,
  RegistrationKind,
  RegistrationSlot,
  kindOfType,
  isRegistrationType,
  registrationSlots,
  registrationStatusWord,
} from '../../utils/registration';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DETAIL_KEYS: (keyof RegistrationDetails)[] = ['position', 'title', 'email', 'specialty', 'address'];
const DETAIL_LABEL: Record<keyof RegistrationDetails, string> = {
  position: '职务',
  title: '职称',
  email: '电子邮箱',
  specialty: '现从事专业',
  address: '通信地址',
};
/** Refusals about the certificate or the person (not one input): shown above the form, all of them. */
const GENERAL_KEYS = ['kind', 'certificateId', 'hours', 'busy'];
const UNIT_PAGE = 20;

/** Why a detail cannot be used as typed, or ''. */
function detailError(key: keyof RegistrationDetails, value: string): string {
  const v = value.trim();
  if (!v) return `请填写${DETAIL_LABEL[key]}`;
  if (key === 'email' && !EMAIL.test(v)) return '请填写正确的电子邮箱，如 name@example.com';
  if (key === 'address' && v.length < 5) return '请填写完整的通信地址';
  return '';
}

let unitSeq = 0;

Component({
  data: {
    loading: true,
    error: '',
    assocId: '' as ProfileId | '',
    /** The hours a renewal needs, as the association's profile says. */
    renewalHours: 0,
    kind: 'renewal' as RegistrationKind,
    kindLabel: '延续登记',
    certId: '',
    step: 1,
    steps: ['登记信息', '上传附件', '完成'],
    person: null as null | { name: string; idMasked: string; phone: string; unitName: string },
    cert: null as null | { id: string; no: string; type: string; validUntil: string; firstIssuedOn: string; unitName: string },
    hoursText: '',
    /** Reasons `members.registrationOptions` already gives for this certificate (before any draft). */
    optionReasons: [] as string[],
    details: { position: '', title: '', email: '', specialty: '', address: '' } as RegistrationDetails,
    errors: {} as Record<string, string>,
    /** Refusals of the certificate or the person, every one (NOT_ELIGIBLE). */
    refusals: [] as string[],
    // 变更: the new employer
    newUnit: null as UnitRef | null,
    unitQuery: '',
    unitSearched: '',
    units: [] as UnitRef[],
    unitTotal: 0,
    unitPage: 0,
    unitLoading: false,
    unitError: '',
    // 找不到单位?
    requestOpen: false,
    request: { name: '', creditCode: '', contact: '' },
    requestErrors: {} as Record<string, string>,
    requesting: false,
    requestSent: '',
    // the draft
    starting: false,
    startError: '',
    draft: null as null | { id: string; no: string; version: number; key: string },
    // step 2
    paper: null as null | { fileID: string; url: string; fileName: string },
    paperBusy: false,
    paperError: '',
    slots: [] as RegistrationSlot[],
    files: {} as Files,
    fileErrors: {} as Record<string, string>,
    submitting: false,
    submitError: '',
    // step 3
    done: null as null | { id: string; no: string; statusWord: string },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const kind: RegistrationKind = query && query.kind === 'change' ? 'change' : 'renewal';
      this.setData({ kind, kindLabel: REGISTRATION_LABEL[kind], certId: (query && query.certId) || '' });
      this.load((query && query.formId) || '');
    },
    onRetry() {
      this.load(this.data.draft ? this.data.draft.id : '');
    },

    /** The association's profile (members.me says which). */
    prof(): AssociationProfile | undefined {
      return this.data.assocId ? PROFILES[this.data.assocId] : undefined;
    },

    setTitle() {
      if (typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: this.data.kindLabel });
    },

    /** The record (members.me), the certificate's options; with `formId`, the draft to carry on with. */
    async load(formId: string) {
      this.setData({ loading: true, error: '' });
      try {
        let form: FormView | null = null;
        if (formId) {
          form = await call('forms', 'get', { formId });
          if (!isRegistrationType(form.type) || !form.registration) throw new Error('not a registration');
        }
        const kind = form ? kindOfType(form.type as 'registration-renewal') : this.data.kind;
        const certId = form && form.registration ? form.registration.certId : this.data.certId;
        const [me, options] = await Promise.all([loadMe(true), call('members', 'registrationOptions', {}).catch(() => [] as RegistrationOption[])]);
        this.setData({ assocId: me.association ? me.association.id : '', renewalHours: me.association ? PROFILES[me.association.id].renewalHours : 0 });
        if (!me.association || !me.association.holderBusinesses.length) {
          this.setData({ loading: false, error: '本协会不办理个人延续登记或变更登记。' });
          return;
        }
        const c = me.certificates.find((x) => x.id === certId);
        if (!c) {
          this.setData({ loading: false, error: certId ? '没有找到这本证书，请从“我的证书”进入。' : '请先在“我的证书”中选择要办理登记的证书。' });
          return;
        }
        const option = options.find((o) => o.certificate.id === certId);
        const m = me.member;
        this.setData({
          loading: false,
          kind,
          kindLabel: REGISTRATION_LABEL[kind],
          certId,
          person: m ? { name: m.name, idMasked: m.idMasked, phone: m.phone, unitName: m.unit ? m.unit.name : '' } : { name: c.holderName, idMasked: c.idMasked, phone: '', unitName: c.unitName },
          cert: { id: c.id, no: c.no, type: c.type, validUntil: c.validUntil, firstIssuedOn: c.firstIssuedOn, unitName: c.unitName },
          hoursText: option ? `登记有效期内继续教育：已完成${option.hoursDone}学时，须完成${option.hoursRequired}学时` : '',
          optionReasons: option ? option[kind].reasons : [],
          slots: registrationSlots(this.prof(), kind),
        });
        this.setTitle();
        if (form && form.registration) {
          const r = form.registration;
          this.setData({ details: { ...r.details }, newUnit: r.toUnit, files: { ...(form.files || {}) } });
          this.setData({ draft: { id: form.id, no: form.no, version: form.version, key: this.draftKey() } });
          if (form.status === 'draft') this.setData({ step: 2 });
          else this.setData({ step: 3, done: { id: form.id, no: form.no, statusWord: registrationStatusWord(this.prof(), form.status) } });
        }
      } catch (e) {
        this.setData({ loading: false, error: e instanceof Error && e.message === 'not a registration' ? '这不是登记申请。' : errorText(e) });
      }
    },

    // ---------- step 1: 登记信息 ----------

    onDetail(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '') as keyof RegistrationDetails;
      if (DETAIL_KEYS.indexOf(key) < 0) return;
      const value = String(e.detail.value);
      const patch: Record<string, unknown> = { [`details.${key}`]: value, startError: '' };
      // Checked as typed once a mistake is shown, or once an address looks like one (has an @ and a dot after it).
      if (this.data.errors[key] || (key === 'email' && /@.+\./.test(value))) patch[`errors.${key}`] = detailError(key, value);
      this.setData(patch);
    },
    onDetailBlur(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '') as keyof RegistrationDetails;
      if (DETAIL_KEYS.indexOf(key) < 0) return;
      const value = e.detail && typeof e.detail.value === 'string' ? e.detail.value : this.data.details[key];
      if (value.trim()) this.setData({ [`errors.${key}`]: detailError(key, value) });
    },

    checkDetails(): Record<string, string> {
      const errors: Record<string, string> = {};
      for (const k of DETAIL_KEYS) {
        const msg = detailError(k, this.data.details[k]);
        if (msg) errors[k] = msg;
      }
      if (this.data.kind === 'change' && !this.data.newUnit) errors.newUnitId = '请选择变更后的工作单位（列表中没有时请点“找不到单位?”）';
      return errors;
    },

    // the new employer (变更)

    onUnitQuery(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ unitQuery: String(e.detail.value) });
    },
    onUnitSearch() {
      const q = this.data.unitQuery.trim();
      if (q.length < 2) {
        this.setData({ unitError: '请至少输入单位名称中的2个字', units: [], unitTotal: 0, unitSearched: '' });
        return;
      }
      this.setData({ unitSearched: q, units: [], unitTotal: 0, unitPage: 0 });
      this.loadUnits(1);
    },
    onUnitMore() {
      if (this.data.unitLoading || this.data.units.length >= this.data.unitTotal) return;
      this.loadUnits(this.data.unitPage + 1);
    },
    async loadUnits(page: number) {
      const mine = ++unitSeq;
      this.setData({ unitLoading: true, unitError: '' });
      try {
        const r = await call('units', 'directory', { q: this.data.unitSearched, page, pageSize: UNIT_PAGE });
        if (mine !== unitSeq) return;
        this.setData({ unitLoading: false, units: page === 1 ? r.items : this.data.units.concat(r.items), unitTotal: r.total, unitPage: page });
      } catch (e) {
        if (mine !== unitSeq) return;
        this.setData({ unitLoading: false, unitError: errorText(e) });
      }
    },
    onUnitPick(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id || '');
      const unit = this.data.units.find((u) => u.id === id);
      if (!unit) return;
      this.setData({ newUnit: { id: unit.id, name: unit.name }, 'errors.newUnitId': '', units: [], unitTotal: 0, unitSearched: '', unitQuery: '', startError: '' });
    },
    onUnitClear() {
      this.setData({ newUnit: null });
    },

    // 找不到单位?

    onRequestOpen() {
      this.setData({ requestOpen: true, requestSent: '', requestErrors: {}, 'request.name': this.data.request.name || this.data.unitQuery.trim() });
    },
    onRequestClose() {
      this.setData({ requestOpen: false });
    },
    onRequestField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (['name', 'creditCode', 'contact'].indexOf(key) < 0) return;
      this.setData({ [`request.${key}`]: String(e.detail.value), [`requestErrors.${key}`]: '' });
    },
    async onRequestSubmit() {
      if (this.data.requesting) return;
      const r = this.data.request;
      const errors: Record<string, string> = {};
      if (r.name.trim().length < 2) errors.name = '请填写单位全称';
      const codeProblem = checkCreditCode(r.creditCode.trim());
      if (codeProblem) errors.creditCode = codeProblem;
      if (Object.keys(errors).length) {
        this.setData({ requestErrors: errors });
        return;
      }
      this.setData({ requesting: true, requestErrors: {} });
      try {
        const sent = await call('units', 'request', {
          name: r.name.trim(),
          creditCode: r.creditCode.trim().toUpperCase(),
          ...(r.contact.trim() ? { contact: r.contact.trim() } : {}),
        });
        this.setData({
          requesting: false,
          requestOpen: false,
          request: { name: '', creditCode: '', contact: '' },
          requestSent: `已提交“${sent.name}”的添加申请。秘书处核实后会将该单位加入列表，届时请搜索并选择该单位再办理变更登记。`,
        });
      } catch (e) {
        this.setData({ requesting: false, requestErrors: { ...flattenErrors((e as { fields?: Record<string, string> }).fields), form: errorText(e) } });
      }
    },

    /** What a draft was made from: changed details need a new draft. */
    draftKey(): string {
      const d = this.data.details;
      return JSON.stringify([this.data.kind, this.data.certId, this.data.newUnit ? this.data.newUnit.id : '', DETAIL_KEYS.map((k) => d[k].trim())]);
    },

    /** 下一步: the draft (members.startRegistration; asked again with other details, the server updates the same draft). */
    async onNext() {
      if (this.data.starting) return;
      const errors = this.checkDetails();
      this.setData({ errors, startError: '' });
      if (Object.keys(errors).length) {
        this.setData({ startError: '请按提示填写标红的项目' });
        return;
      }
      const key = this.draftKey();
      const old = this.data.draft;
      if (old && old.key === key) {
        this.goto(2);
        return;
      }
      this.setData({ starting: true, refusals: [] });
      try {
        // Changed details (back from 上传附件): asking again updates the same draft; its paper is made anew.
        const d = this.data.details;
        const details: RegistrationDetails = { position: d.position.trim(), title: d.title.trim(), email: d.email.trim(), specialty: d.specialty.trim(), address: d.address.trim() };
        const form = await call('members', 'startRegistration', {
          kind: this.data.kind,
          certificateId: this.data.certId,
          ...(this.data.kind === 'change' && this.data.newUnit ? { newUnitId: this.data.newUnit.id } : {}),
          details,
        });
        invalidateMe();
        this.setData({ starting: false, draft: { id: form.id, no: form.no, version: form.version, key }, paper: null });
        this.goto(2);
      } catch (e) {
        this.showRefusal(e);
      }
    },

    /** A refusal's every reason where it belongs: the inputs', the new employer's, the rest above the form. */
    showRefusal(e: unknown) {
      const fields = (e as { fields?: Record<string, string> }).fields || {};
      const errors: Record<string, string> = {};
      const refusals: string[] = [];
      for (const k of Object.keys(fields)) {
        const key = k.replace(/^details\./, '');
        if (DETAIL_KEYS.indexOf(key as keyof RegistrationDetails) >= 0 || key === 'newUnitId') errors[key] = fields[k];
        else if (GENERAL_KEYS.indexOf(key) >= 0) refusals.push(fields[k]);
        else refusals.push(fields[k]);
      }
      const code = errorCode(e);
      this.setData({
        starting: false,
        errors,
        refusals,
        startError: code === 'NOT_ELIGIBLE' ? `暂不能办理${this.data.kindLabel}：${errorText(e)}` : errorText(e),
      });
    },

    goto(step: number) {
      this.setData({ step, submitError: '', paperError: '' });
    },
    onPrev() {
      if (this.data.step === 2) this.goto(1);
    },

    // ---------- step 2: 上传附件 ----------

    /** 导出申请表: the pre-filled paper as a PDF, opened in the phone's viewer (print, sign, stamp, scan). */
    async onPaper() {
      const draft = this.data.draft;
      if (!draft || this.data.paperBusy) return;
      this.setData({ paperBusy: true, paperError: '' });
      try {
        const paper = this.data.paper || (await call('forms', 'paper', { formId: draft.id }));
        this.setData({ paper, paperBusy: false });
        await openStoredDocument(paper.fileID, 'pdf', '申请表打开失败，请稍后重试');
      } catch (e) {
        this.setData({ paperBusy: false, paperError: errorText(e) });
      }
    },

    onFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      this.setData({ [`files.${e.detail.key}`]: e.detail.fileID, [`fileErrors.${e.detail.key}`]: '', submitError: '' });
    },

    async onSubmit() {
      const draft = this.data.draft;
      if (!draft || this.data.submitting) return;
      const fileErrors: Record<string, string> = {};
      const files: Files = {};
      for (const s of this.data.slots) {
        const id = this.data.files[s.key];
        if (id) files[s.key] = id;
        else fileErrors[s.key] = `请上传${s.label.replace(/（.*$/, '')}`;
      }
      this.setData({ fileErrors });
      if (Object.keys(fileErrors).length) {
        this.setData({ submitError: '请上传标红的附件' });
        return;
      }
      this.setData({ submitting: true, submitError: '' });
      try {
        const form = await call('forms', 'submit', { formId: draft.id, files, version: draft.version });
        invalidateMe();
        this.setData({
          submitting: false,
          done: { id: form.id, no: form.no, statusWord: registrationStatusWord(this.prof(), form.status) },
        });
        this.goto(3);
      } catch (e) {
        const flat = flattenErrors((e as { fields?: Record<string, string> }).fields);
        const errs: Record<string, string> = {};
        for (const k of Object.keys(flat)) if (/^files_/.test(k)) errs[k.replace(/^files_/, '')] = flat[k];
        this.setData({ submitting: false, fileErrors: errs, submitError: errorText(e) });
        if (errorCode(e) === 'CONFLICT') toast('申请已在别处变动，请返回登记记录查看');
      }
    },

    // ---------- step 3: 完成 ----------

    onRecords() {
      wx.redirectTo({ url: '/pkg-member/registrations/index' });
    },
    onOpenForm() {
      const done = this.data.done;
      if (done) wx.navigateTo({ url: `/pkg-member/application/index?formId=${done.id}` });
    },
  },
});
