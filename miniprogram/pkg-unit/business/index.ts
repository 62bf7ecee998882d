/**
 * 办理业务 (unit admin; SPEC §3.3, manual 2.5–2.11): a wizard on the one workflow engine —
 * 1 the business type and what it needs (certificate type, specialties, reason);
 * 2 the person picker from `forms.eligible`: paged, searchable by name, eligible people selectable,
 *   everyone else greyed out with every reason (the manual's platform hides them, and its users
 *   cannot tell why), and a lapsed membership that will be billed with the form;
 * 3 the attachments the type requires: the unit's (form-level) and, where the manual asks them per
 *   person (diploma, verification, titles — `personRules`), one block per selected person, folded
 *   so that ten people stay manageable;
 * 4 the fee preview (the server decides the bills), then `forms.create` + `forms.submit`, each
 *   person's uploads as `people: [{ memberId, files }]`.
 * Refusals are shown next to what they name (`people.<memberId>`, `files.<key>`, and a person's
 * missing file `people.<i>.files.<key>` under that person's slot). A draft made by a create whose
 * submit failed stays, and can be submitted again from here or discarded from the form's detail.
 */
import type { BusinessType, CertChangeReason, CertificateView, EligibleItem, FileKey, Files, ReqOf } from '../../../typings/api';
import { SPECIALTIES } from '../../shared/labels';
import { call } from '../../services/request';
import {
  fileLabel,
  CERT_STATUS_LABEL,
  CERT_TYPE_LIST,
  REASONS,
  TYPE_SPECS,
  TypeSpec,
  feePerPerson,
  fileHint,
  personRules,
  requiredFiles,
  specOf, personSlots } from '../../utils/business';
import { errorCode, errorText, toQuery, toast } from '../../utils/format';

const PAGE_SIZE = 20;
/** forms.create takes at most 50 people at once. */
const MAX_PEOPLE = 50;
const NO_SECOND = '不选';

interface PersonRow {
  memberId: string;
  name: string;
  idMasked: string;
  eligible: boolean;
  reasons: string[];
  membershipFeeDue: boolean;
  certLines: string[];
  /** The certificate the business acts on, as one line (for the summary). */
  cert: string;
  checked: boolean;
}

/** How far one person's own attachments are, for the head of their block. */
interface PersonFileStatus {
  text: string;
  complete: boolean;
  error: boolean;
}

/** `people.<i>.files.<key>`: a person's missing or refused attachment, by their index on the form. */
const PERSON_FILE_FIELD = /^people\.(\d+)\.files\.(\w+)$/;

interface Picked {
  memberId: string;
  name: string;
  idMasked: string;
  cert: string;
  feeDue: boolean;
}

function certLine(c: CertificateView): string {
  return `${c.type} ${c.no} · 有效期至 ${c.validUntil} · ${CERT_STATUS_LABEL[c.status] || c.status}`;
}

/** The certificate a business acts on, as the server would pick it (live, of the type asked). */
function actedOn(spec: TypeSpec, certType: string, certs: CertificateView[]): CertificateView | undefined {
  const live = certs.filter((c) => c.status !== 'cancelled');
  if (spec.type === 'upgrade') return live.find((c) => c.type === '监理员');
  if (spec.certType === 'held') return live.find((c) => c.type === certType);
  return undefined;
}

let seq = 0;

Component({
  data: {
    step: 1,
    steps: ['业务类型', '选择人员', '上传附件', '确认提交'],
    specs: TYPE_SPECS,
    // step 1
    type: '' as BusinessType | '',
    spec: null as TypeSpec | null,
    certTypes: CERT_TYPE_LIST,
    certType: '',
    reasons: REASONS,
    reason: '' as CertChangeReason | '',
    specialtyNames: SPECIALTIES.slice() as string[],
    specialty2Names: [NO_SECOND, ...SPECIALTIES] as string[],
    specialty1: -1,
    specialty2: 0,
    optionErrors: {} as Record<string, string>,
    // step 2
    keyword: '',
    searched: '',
    people: [] as PersonRow[],
    total: 0,
    page: 1,
    listKey: '',
    listLoading: false,
    loadingMore: false,
    listError: '',
    selected: {} as Record<string, Picked>,
    selectedList: [] as Picked[],
    peopleHint: '',
    peopleErrors: {} as Record<string, string>,
    // step 3
    fileKeys: [] as FileKey[],
    fileLabels: {} as Record<string, string>,
    fileHints: {} as Record<string, string>,
    files: {} as Files,
    fileErrors: {} as Record<string, string>,
    /** Each person's own slots (the same for everyone): keys, titles, hints, which are required. */
    personKeys: [] as FileKey[],
    personLabels: {} as Record<string, string>,
    personHints: {} as Record<string, string>,
    personRequired: {} as Record<string, boolean>,
    personNote: '',
    /** memberId → their uploads; memberId → key → error; memberId → the head's progress line. */
    personFiles: {} as Record<string, Files>,
    personFileErrors: {} as Record<string, Record<string, string>>,
    personStatus: {} as Record<string, PersonFileStatus>,
    /** The one person block unfolded (a long list stays short). */
    openPerson: '',
    // step 4
    /** memberId → their attachments as one summary line. */
    personSummary: {} as Record<string, { text: string; missing: boolean }>,
    summary: { certType: '', reason: '', specialties: '' },
    perPerson: 0,
    feeRows: [] as { label: string; value: string }[],
    feeNote: '',
    submitting: false,
    actionError: '',
    /** `memberIds`: the order of the form's people, which `people.<i>` refusals count in. */
    draft: null as null | { id: string; no: string; key: string; version: number; memberIds: string[] },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const type = query && query.type;
      if (type && specOf(type)) this.chooseType(type as BusinessType);
    },
    onReachBottom() {
      if (this.data.step === 2) this.onMore();
    },

    // ---------- step 1: the business and what it needs ----------

    chooseType(type: BusinessType) {
      if (type === this.data.type) return;
      const spec = specOf(type) as TypeSpec;
      this.setData({
        type,
        spec,
        certType: spec.certType ? this.data.certType : '',
        reason: '',
        specialty1: -1,
        specialty2: 0,
        optionErrors: {},
      });
      this.optionsChanged();
    },
    onType(e: WechatMiniprogram.TouchEvent) {
      this.chooseType(e.currentTarget.dataset.type as BusinessType);
    },
    onCertType(e: WechatMiniprogram.TouchEvent) {
      const certType = CERT_TYPE_LIST[Number(e.currentTarget.dataset.index)];
      if (certType === this.data.certType) return;
      this.setData({ certType, 'optionErrors.certType': '' });
      this.optionsChanged();
    },
    onReason(e: WechatMiniprogram.TouchEvent) {
      const reason = e.currentTarget.dataset.value as CertChangeReason;
      if (reason === this.data.reason) return;
      this.setData({ reason, 'optionErrors.reason': '' });
      this.optionsChanged();
    },
    onSpecialty1(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ specialty1: Number(e.detail.value), 'optionErrors.specialties': '' });
    },
    onSpecialty2(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ specialty2: Number(e.detail.value), 'optionErrors.specialties': '' });
    },

    /** Eligibility depends on the type and its options: a changed choice starts the selection again. */
    optionsChanged() {
      const spec = this.data.spec;
      const keys = spec ? requiredFiles(spec.type, this.data.reason || undefined) : [];
      const fileLabels: Record<string, string> = {};
      const fileHints: Record<string, string> = {};
      for (const k of keys) {
        fileLabels[k] = spec ? fileLabel(spec.type, k, this.data.reason || undefined) : '';
        fileHints[k] = spec ? fileHint(spec.type, k, this.data.reason || undefined) : '';
      }
      const files: Files = {};
      for (const k of keys) if (this.data.files[k]) files[k] = this.data.files[k];
      const rules = spec ? personRules(spec.type) : [];
      const slots = spec ? personSlots(spec.type) : { keys: [], labels: {}, hints: {}, required: {} };
      const need = rules.filter((r) => r.required).map((r) => r.label);
      const optional = rules.filter((r) => !r.required).map((r) => r.label);
      this.setData({
        personKeys: slots.keys,
        personLabels: slots.labels,
        personHints: slots.hints,
        personRequired: slots.required,
        personNote: rules.length ? `每人必填：${need.join('、')}${optional.length ? `；选填：${optional.join('、')}` : ''}` : '',
        personFiles: {},
        personFileErrors: {},
        personStatus: {},
        openPerson: '',
      });
      this.setData({
        selected: {},
        selectedList: [],
        people: [],
        total: 0,
        listKey: '',
        peopleErrors: {},
        fileKeys: keys,
        fileLabels,
        fileHints,
        files,
        fileErrors: {},
        actionError: '',
      });
    },

    specialties(): string[] {
      const { specialty1, specialty2, specialtyNames, specialty2Names } = this.data;
      const out: string[] = [];
      if (specialty1 >= 0) out.push(specialtyNames[specialty1]);
      if (specialty2 > 0) out.push(specialty2Names[specialty2]);
      return out;
    },

    checkOptions(): Record<string, string> {
      const spec = this.data.spec;
      const errors: Record<string, string> = {};
      if (!spec) {
        errors.type = '请选择要办理的业务';
        return errors;
      }
      if (spec.certType && !this.data.certType)
        errors.certType = spec.certType === 'obtain' ? '请选择报名的证书类型' : '请选择办理业务的证书类型';
      if (spec.reason && !this.data.reason) errors.reason = '请选择变更原因';
      if (spec.specialties) {
        const s = this.specialties();
        if (this.data.specialty1 < 0) errors.specialties = spec.specialties === 'new' ? '请选择变更后的专业1' : '请选择专业1';
        else if (s.length === 2 && s[0] === s[1]) errors.specialties = '专业1与专业2不能相同';
      }
      return errors;
    },

    // ---------- step 2: the person picker ----------

    /** The eligibility question as the server takes it. */
    eligibleQuery(page: number): ReqOf<'forms', 'eligible'> {
      const spec = this.data.spec as TypeSpec;
      const q: ReqOf<'forms', 'eligible'> = { type: spec.type, page, pageSize: PAGE_SIZE };
      if (spec.certType && this.data.certType) q.certType = this.data.certType;
      if (spec.reason && this.data.reason) q.reason = this.data.reason;
      if (this.data.searched) q.name = this.data.searched;
      return q;
    },

    rowOf(item: EligibleItem): PersonRow {
      const spec = this.data.spec as TypeSpec;
      const c = actedOn(spec, this.data.certType, item.certificates);
      return {
        memberId: item.memberId,
        name: item.name,
        idMasked: item.idMasked,
        eligible: item.eligible,
        reasons: item.reasons,
        membershipFeeDue: item.membershipFeeDue,
        certLines: item.certificates.map(certLine),
        cert: c ? `${c.type} ${c.no}` : spec.type === 'initial-education' ? `报名${this.data.certType}` : '',
        checked: !!this.data.selected[item.memberId],
      };
    },

    async loadPeople(page: number) {
      if (!this.data.spec) return;
      const mine = ++seq;
      const query = this.eligibleQuery(page);
      this.setData(page === 1 ? { listLoading: true, listError: '' } : { loadingMore: true });
      try {
        const r = await call('forms', 'eligible', query);
        if (mine !== seq) return;
        const rows = r.items.map((i) => this.rowOf(i));
        this.setData({
          listLoading: false,
          loadingMore: false,
          listKey: JSON.stringify({ ...query, page: 1 }),
          people: page === 1 ? rows : this.data.people.concat(rows),
          total: r.total,
          page,
        });
      } catch (e) {
        if (mine !== seq) return;
        if (page === 1) this.setData({ listLoading: false, loadingMore: false, listError: errorText(e), people: [], total: 0 });
        else {
          this.setData({ loadingMore: false });
          toast(errorText(e));
        }
      }
    },
    onRetryPeople() {
      this.loadPeople(1);
    },
    onKeyword(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ keyword: e.detail.value });
    },
    onSearch() {
      this.setData({ searched: this.data.keyword.trim(), people: [], total: 0 });
      this.loadPeople(1);
    },
    onClear() {
      this.setData({ keyword: '', searched: '', people: [], total: 0 });
      this.loadPeople(1);
    },
    onMore() {
      if (this.data.loadingMore || this.data.listLoading || this.data.people.length >= this.data.total) return;
      this.loadPeople(this.data.page + 1);
    },

    onPerson(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const i = this.data.people.findIndex((p) => p.memberId === id);
      const row = this.data.people[i];
      if (!row) return;
      const selected = { ...this.data.selected };
      if (row.checked) delete selected[id];
      else {
        // Only people who qualify can be chosen; the others show why they do not.
        if (!row.eligible) {
          toast('该人员当前不符合办理条件，原因见其下方说明');
          return;
        }
        if (Object.keys(selected).length >= MAX_PEOPLE) {
          toast(`一份表单最多${MAX_PEOPLE}人，请分批办理`);
          return;
        }
        selected[id] = { memberId: id, name: row.name, idMasked: row.idMasked, cert: row.cert, feeDue: row.membershipFeeDue };
      }
      this.setSelected(selected, { [`people[${i}].checked`]: !row.checked });
    },
    onUnselect(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const selected = { ...this.data.selected };
      delete selected[id];
      const i = this.data.people.findIndex((p) => p.memberId === id);
      this.setSelected(selected, i >= 0 ? { [`people[${i}].checked`]: false } : {});
    },
    setSelected(selected: Record<string, Picked>, extra: Record<string, unknown>) {
      const peopleErrors = { ...this.data.peopleErrors };
      for (const id of Object.keys(peopleErrors)) if (!selected[id]) delete peopleErrors[id];
      // A person taken off the form takes their uploads along; one added starts with empty slots.
      const personFiles: Record<string, Files> = {};
      const personFileErrors: Record<string, Record<string, string>> = {};
      for (const id of Object.keys(selected)) {
        personFiles[id] = this.data.personFiles[id] || {};
        if (this.data.personFileErrors[id]) personFileErrors[id] = this.data.personFileErrors[id];
      }
      this.setData({
        ...extra,
        selected,
        selectedList: Object.keys(selected).map((k) => selected[k]),
        peopleHint: '',
        peopleErrors,
        personFiles,
        personFileErrors,
        personStatus: this.statusOf(personFiles, personFileErrors),
      });
    },

    // ---------- step 3: attachments ----------

    onFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      this.setData({ files: { ...this.data.files, [e.detail.key]: e.detail.fileID }, [`fileErrors.${e.detail.key}`]: '' });
    },
    /** A file in one person's block: `data-id` on the slot names the person. */
    onPersonFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      const id = String(e.currentTarget.dataset.id);
      if (!this.data.selected[id]) return;
      const personFiles = { ...this.data.personFiles, [id]: { ...(this.data.personFiles[id] || {}), [e.detail.key]: e.detail.fileID } };
      const personFileErrors = { ...this.data.personFileErrors };
      if (personFileErrors[id]) {
        const mine = { ...personFileErrors[id] };
        delete mine[e.detail.key];
        if (Object.keys(mine).length) personFileErrors[id] = mine;
        else delete personFileErrors[id];
      }
      this.setData({ personFiles, personFileErrors, personStatus: this.statusOf(personFiles, personFileErrors) });
    },
    onTogglePerson(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      this.setData({ openPerson: this.data.openPerson === id ? '' : id });
    },
    /** The head of each person's block: required uploads done, and whether anything is refused. */
    statusOf(personFiles: Record<string, Files>, personFileErrors: Record<string, Record<string, string>>): Record<string, PersonFileStatus> {
      const required = this.data.personKeys.filter((k) => this.data.personRequired[k]);
      const out: Record<string, PersonFileStatus> = {};
      for (const id of Object.keys(personFiles)) {
        const files = personFiles[id] || {};
        const done = required.filter((k) => files[k]).length;
        const error = !!personFileErrors[id] && Object.keys(personFileErrors[id]).length > 0;
        out[id] = { text: required.length ? `必填已传 ${done}/${required.length}` : '', complete: done === required.length, error };
      }
      return out;
    },
    /** Step 3 opens where work is left: the first person with a refusal or a missing required file. */
    openFirstPending() {
      const list = this.data.selectedList;
      if (!this.data.personKeys.length || !list.length) return;
      const status = this.data.personStatus;
      const pending = list.find((p) => status[p.memberId] && status[p.memberId].error) || list.find((p) => !status[p.memberId] || !status[p.memberId].complete);
      const current = this.data.openPerson;
      if (current && this.data.selected[current] && !pending) return;
      this.setData({ openPerson: (pending || list[0]).memberId });
    },
    /** Each person's uploads as the server takes them (people with none left out). */
    peopleFiles(): { memberId: string; files: Files }[] {
      return this.data.selectedList
        .map((p) => ({ memberId: p.memberId, files: { ...(this.data.personFiles[p.memberId] || {}) } }))
        .filter((p) => Object.keys(p.files).length > 0);
    },
    missingFiles(): Record<string, string> {
      const out: Record<string, string> = {};
      for (const k of this.data.fileKeys) if (!this.data.files[k]) out[k] = `请上传${this.data.fileLabels[k] || k}`;
      return out;
    },

    // ---------- step 4: fees and submission ----------

    prepareSummary() {
      const spec = this.data.spec as TypeSpec;
      const count = this.data.selectedList.length;
      const per = feePerPerson(spec.type);
      const due = this.data.selectedList.filter((p) => p.feeDue).length;
      const feeRows: { label: string; value: string }[] = [];
      if (per > 0) feeRows.push({ label: `辅助费 ${per}元 × ${count}人`, value: `${per * count}元` });
      if (due) feeRows.push({ label: `补缴个人会员会费 × ${due}人`, value: '按协会标准' });
      let feeNote: string;
      if (spec.type === 'cert-cancel') feeNote = '证书注销不收费，提交后直接进入协会审核。';
      else if (!feeRows.length) feeNote = '该业务无需缴纳辅助费。提交后进入机构初审。';
      else
        feeNote =
          '以上为预估，实际应缴金额以提交后系统生成的缴费单为准（由协会核定）。协会初审通过、表单进入“待缴费”后，在表单详情或“缴费业务”中上传缴费凭证。';
      this.setData({
        perPerson: per,
        feeRows,
        feeNote,
        personSummary: this.personSummaryOf(),
        summary: {
          certType: spec.certType ? this.data.certType : spec.type === 'upgrade' ? '监理员 → 专业监理工程师' : '',
          reason: REASONS.find((r) => r.value === this.data.reason)?.label || '',
          specialties: this.specialties().join('、'),
        },
      });
    },

    /** Step 4: each person's attachments in one line; a missing required one in red (the server will ask for it). */
    personSummaryOf(): Record<string, { text: string; missing: boolean }> {
      const out: Record<string, { text: string; missing: boolean }> = {};
      const { personKeys, personRequired, personFiles } = this.data;
      if (!personKeys.length) return out;
      for (const p of this.data.selectedList) {
        const files = personFiles[p.memberId] || {};
        const parts = personKeys
          .filter((k) => files[k] || personRequired[k])
          .map((k) => `${fileLabel((this.data.spec as TypeSpec).type, k)}${files[k] ? '已上传' : '未上传'}`);
        out[p.memberId] = { text: parts.join(' · '), missing: personKeys.some((k) => personRequired[k] && !files[k]) };
      }
      return out;
    },

    goto(step: number) {
      this.setData({ step, actionError: '' });
      if (step === 3) this.openFirstPending();
      if (step === 2) {
        const key = JSON.stringify({ ...this.eligibleQuery(1), page: 1 });
        if (key !== this.data.listKey || this.data.listError) this.loadPeople(1);
      }
      if (step === 4) this.prepareSummary();
    },
    onNext() {
      const step = this.data.step;
      if (step === 1) {
        const optionErrors = this.checkOptions();
        this.setData({ optionErrors });
        if (Object.keys(optionErrors).length) {
          toast(optionErrors.type || '请补全标红的选项');
          return;
        }
      }
      if (step === 2 && !this.data.selectedList.length) {
        this.setData({ peopleHint: '请至少选择一位符合条件的人员' });
        return;
      }
      if (step === 3) {
        const fileErrors = this.missingFiles();
        this.setData({ fileErrors });
        if (Object.keys(fileErrors).length) {
          toast('请上传标红的附件');
          return;
        }
      }
      this.goto(step + 1);
    },
    onPrev() {
      if (this.data.step > 1) this.goto(this.data.step - 1);
    },
    onStep(e: WechatMiniprogram.TouchEvent) {
      const step = Number(e.currentTarget.dataset.step);
      if (step < this.data.step) this.goto(step);
    },
    onEditPeople() {
      this.goto(2);
    },
    onEditFiles() {
      this.goto(3);
    },

    /** What a draft was made for: a changed choice needs a new draft. */
    draftKey(): string {
      return JSON.stringify([this.data.type, this.data.certType, this.data.reason, this.specialties(), Object.keys(this.data.selected).sort()]);
    },

    createRequest(): ReqOf<'forms', 'create'> {
      const spec = this.data.spec as TypeSpec;
      const req: ReqOf<'forms', 'create'> = {
        type: spec.type,
        memberIds: this.data.selectedList.map((p) => p.memberId),
        files: this.data.files,
      };
      const people = this.peopleFiles();
      if (people.length) req.people = people;
      if (spec.certType) req.certType = this.data.certType;
      if (spec.reason && this.data.reason) req.reason = this.data.reason;
      if (spec.specialties) req.specialties = this.specialties();
      return req;
    },

    async onSubmit() {
      if (this.data.submitting || !this.data.spec) return;
      const key = this.draftKey();
      this.setData({ submitting: true, actionError: '', peopleErrors: {}, fileErrors: {}, personFileErrors: {}, personStatus: this.statusOf(this.data.personFiles, {}) });
      let draft = this.data.draft;
      try {
        let files: Files | undefined = this.data.files;
        let people: { memberId: string; files: Files }[] | undefined = this.peopleFiles();
        if (draft && draft.key !== key) {
          // The draft of an earlier attempt was for other choices: it goes, and a new one is made.
          await call('forms', 'discard', { formId: draft.id }).catch(() => undefined);
          draft = null;
          this.setData({ draft: null });
        }
        if (!draft) {
          const request = this.createRequest();
          const created = await call('forms', 'create', request);
          draft = { id: created.id, no: created.no, key, version: created.version, memberIds: request.memberIds };
          files = undefined; // already on the draft
          people = undefined; // each person's uploads too
          this.setData({ draft });
        }
        const form = await call('forms', 'submit', {
          formId: draft.id,
          version: draft.version,
          ...(files ? { files } : {}),
          ...(people && people.length ? { people } : {}),
        });
        wx.showToast({ title: '已提交', icon: 'success' });
        this.setData({ submitting: false });
        wx.redirectTo({ url: `/pkg-unit/form/index?${toQuery({ formId: form.id })}` });
      } catch (e) {
        this.failed(e);
      }
    },

    /** Put each refusal next to what it names; NOT_ELIGIBLE also refreshes the picker's reasons. */
    failed(e: unknown) {
      const fields = (e as { fields?: Record<string, string> }).fields || {};
      const peopleErrors: Record<string, string> = {};
      const fileErrors: Record<string, string> = {};
      const optionErrors: Record<string, string> = {};
      const personFileErrors: Record<string, Record<string, string>> = {};
      // `people.<i>` counts in the form's order: the draft's, or the create just refused (the selection's).
      const order = this.data.draft ? this.data.draft.memberIds : this.data.selectedList.map((p) => p.memberId);
      for (const k of Object.keys(fields)) {
        const personFile = PERSON_FILE_FIELD.exec(k);
        if (personFile) {
          const id = order[Number(personFile[1])];
          if (id) personFileErrors[id] = { ...(personFileErrors[id] || {}), [personFile[2]]: fields[k] };
          else peopleErrors[k] = fields[k];
        } else if (k.indexOf('people.') === 0) peopleErrors[k.slice('people.'.length)] = fields[k];
        else if (k.indexOf('files.') === 0) fileErrors[k.slice('files.'.length)] = fields[k];
        else if (k === 'specialties' || k === 'certType' || k === 'reason') optionErrors[k] = fields[k];
      }
      const code = errorCode(e);
      let actionError = errorText(e);
      if (code === 'NOT_ELIGIBLE' && !Object.keys(peopleErrors).length) actionError = `${actionError}（请返回“选择人员”查看最新情况）`;
      this.setData({ submitting: false, peopleErrors, fileErrors, optionErrors, actionError, personFileErrors, personStatus: this.statusOf(this.data.personFiles, personFileErrors) });
      const refused = this.data.selectedList.find((p) => personFileErrors[p.memberId]);
      // A person's attachment refused: back to their slots, unfolded, the refusal under the slot.
      if (refused) this.setData({ step: 3, openPerson: refused.memberId });
      if (code === 'NOT_ELIGIBLE') {
        // Someone's situation changed since the list was loaded: show them as they are now.
        this.setData({ listKey: '' });
      }
    },

    onOpenDraft() {
      const draft = this.data.draft;
      if (draft) wx.redirectTo({ url: `/pkg-unit/form/index?${toQuery({ formId: draft.id })}` });
    },
  },
});
