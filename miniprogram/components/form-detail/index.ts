/**
 * One form as each of its viewers reads it (SPEC §2 Form, §3.1): the header — type, status, number,
 * unit, level, how it was applied for, a business form's certificate, reason, specialties and amount,
 * and the stage progress of the form's type (done, current, and the stages ahead up to 完成) —
 * the return reason, the people, the attachments, the bills and the trail.
 *
 * What differs between the applicant, the unit and the reviewers comes in as properties (`viewer`,
 * `hint`, `revealable`, `editing`, `peopleErrors`) and slots: `notice` under the header, the default
 * slot (the viewer's own actions) before the trail. A full ID number is read only on request
 * (`forms.revealId`, audited on the server) and reported with `revealed` so that the page's copy
 * of the form keeps it.
 */
import type { BillView, BusinessType, Files, FormStatus, FormView } from '../../../typings/api';
import { FLOWS } from '../../shared/flow';
import { stageNameOf } from '../../shared/association';
import {
  BILL_STATUS_LABEL,
  CERT_REASON_LABEL,
  CODE_KIND_LABEL,
  FORM_STATUS_LABEL,
  FORM_TYPE_LABEL,
  LEVEL_LABEL,
} from '../../shared/labels';
import { call } from '../../services/request';
import { openStoredDocument } from '../../services/upload';
import { BILL_KIND_LABEL, attachmentRules, isBusinessType } from '../../utils/business';
import { errorText, formatTime, toast } from '../../utils/format';

/** One paper to print: the person's index on the form (-1: the form's own, or the caller's entry). */
interface Paper {
  index: number;
  label: string;
}

/** Who is reading: the applicant (member), the unit's admin, or a reviewer of the association. */
type Viewer = 'member' | 'unit' | 'reviewer';

/**
 * One step of the progress: done, the one the form is at (or was returned from, or ended at: withdrawn
 * or refused), still ahead, or never reached (after an end).
 */
export interface Stage {
  key: string;
  label: string;
  state: 'done' | 'current' | 'returned' | 'ended' | 'ahead' | 'stopped';
}

/**
 * A step's name: the status label without its "…中" (机构初审中 → 机构初审), and never a status label
 * itself (待缴费 → 缴费, 审批完成 → 完成), so the progress is not read as the form's status.
 */
function stageName(s: FormStatus | 'approved'): string {
  if (s === 'approved') return '完成';
  if (s === 'awaiting_payment') return '缴费';
  return (FORM_STATUS_LABEL[s] || s).replace(/中$/, '');
}

/**
 * 提交, the stages of the form's type in order (shared/flow.ts), 完成 — each marked against
 * where the form is now. A returned form is marked at the stage that returned it: after the
 * resubmission it goes through that stage again. A withdrawn or refused form is marked at the stage
 * it ended at (its last move), the later ones never reached.
 */
export function stagesOf(form: Pick<FormView, 'type' | 'status' | 'returned' | 'trail'>): Stage[] {
  const steps = [
    { key: 'submitted', label: '提交' },
    // A registration's stages in its association's words (初审, 审核); the platform's otherwise.
    ...(FLOWS[form.type] || []).map((s) => ({ key: s as string, label: stageNameOf(form.type, s) || stageName(s) })),
    { key: 'approved', label: stageName('approved') },
  ];
  const last = form.trail && form.trail.length ? form.trail[form.trail.length - 1] : undefined;
  let at: number;
  let here: Stage['state'] = 'current';
  if (form.status === 'draft') at = 0;
  else if (form.status === 'approved') at = steps.length;
  else if (form.status === 'returned') {
    at = steps.findIndex((s) => s.key === (form.returned ? form.returned.from : ''));
    here = 'returned';
  } else {
    at = steps.findIndex((s) => s.key === form.status);
    if (at < 0) {
      // Not a stage of the flow: the form ended (withdrawn, refused) at the stage of its last move.
      const from = last ? last.from : 'draft';
      at = steps.findIndex((s) => s.key === (from === 'draft' ? 'submitted' : from));
      here = 'ended';
    }
  }
  if (at < 0) at = 0;
  const after: Stage['state'] = here === 'ended' ? 'stopped' : 'ahead';
  return steps.map((s, i) => ({ ...s, state: i < at ? 'done' : i === at ? here : after }));
}

type Bill = BillView & { kindLabel: string; statusLabel: string; receiptFiles: Files };

/** The return, in the words of the one reading it. */
function returnedOf(
  form: FormView,
  viewer: Viewer,
): null | { title: string; reason: string; at: string; advice: string } {
  const r = form.status === 'returned' ? form.returned : undefined;
  if (!r) return null;
  const from = FORM_STATUS_LABEL[r.from] || r.from;
  const title =
    viewer === 'member'
      ? `已退回${r.to === 'applicant' ? '给您' : '单位'}（${from}环节）`
      : viewer === 'unit'
        ? `${from}环节退回${r.to === 'unit' ? '单位，请修改后重新提交' : '申请人修改'}`
        : `${from}环节已退回${r.to === 'unit' ? '单位' : '申请人'}`;
  const advice = viewer === 'member' && r.to !== 'applicant' ? '请联系单位管理员按要求修改后重新提交。' : '';
  return { title, reason: r.reason, at: formatTime(r.at), advice };
}

/** A withdrawn or refused form: what happened, why, when. */
function endedOf(form: FormView): null | { title: string; reason: string; at: string } {
  const e = form.ended;
  if (!e) return null;
  return { title: FORM_STATUS_LABEL[e.status] || e.status, reason: e.reason, at: formatTime(e.at) };
}

function formLabels(type: BusinessType, reason?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of attachmentRules(type, reason)) if (r.per === 'form') out[r.key] = r.label;
  return out;
}

function shownOf(form: FormView, viewer: Viewer) {
  const business = isBusinessType(form.type);
  // A member named on someone else's business form sees only their own entry (no files, no bills).
  const own = form.scope === 'person';
  const codeKind = form.codeKind;
  const stages = stagesOf(form);
  // Still to come: the stages ahead, and the one a returned form passes again (a draft: its submission).
  const ahead = stages.filter(
    (s) => s.state === 'ahead' || s.state === 'returned' || (s.state === 'current' && s.key === 'submitted'),
  );
  return {
    business,
    typeLabel: FORM_TYPE_LABEL[form.type] || form.type,
    levelLabel: form.level ? LEVEL_LABEL[form.level] : '',
    codeKindLabel:
      viewer !== 'member' && (codeKind === 'join' || codeKind === 'join-simple')
        ? `扫描${CODE_KIND_LABEL[codeKind]}`
        : '',
    createdAt: formatTime(form.createdAt),
    reasonLabel: form.reason ? CERT_REASON_LABEL[form.reason] || form.reason : '',
    specialtiesTitle:
      form.type === 'initial-education' ? '报名专业' : form.type === 'specialty-change' ? '变更后专业' : '专业',
    specialtiesLabel: (form.specialties || []).join('、'),
    obtain: form.type === 'initial-education' ? form.certType || '' : '',
    stages,
    aheadText: ahead.map((s) => s.label).join(' → '),
    returned: returnedOf(form, viewer),
    ended: endedOf(form),
    own,
    // A person on someone else's form prints only their own (the server picks it); a unit form has the unit's.
    papers: own || !form.people.length
      ? [{ index: -1, label: own ? '我的申请表（PDF）' : `${FORM_TYPE_LABEL[form.type] || ''}申请表（PDF）` }]
      : form.people.map((p, i) => ({ index: i, label: form.people.length > 1 ? `${p.name}的申请表（PDF）` : '申请表（PDF）' })),
    peopleTitle: business ? `人员（${form.people.length}人）` : viewer === 'member' ? '申请人' : '人员',
    files: (business ? form.files : form.people[0] && form.people[0].files) || {},
    // A business form's attachments titled as its table names them (单位承诺书, 证书变更申请表 …).
    fileLabels: business ? formLabels(form.type as BusinessType, form.reason) : {},
    bills:
      viewer === 'member' || own
        ? []
        : form.bills.map((b): Bill => ({
            ...b,
            kindLabel: BILL_KIND_LABEL[b.kind] || b.kind,
            statusLabel: BILL_STATUS_LABEL[b.status] || b.status,
            paidAt: b.paidAt ? formatTime(b.paidAt) : '',
            receiptFiles: b.receipt ? { receipt: b.receipt } : {},
          })),
  };
}

Component({
  options: { multipleSlots: true, styleIsolation: 'apply-shared' },
  properties: {
    /** The FormView (`forms.get`), or null while it loads. */
    form: { type: Object, value: {} },
    viewer: { type: String, value: 'member' },
    /** One line under the header: where the form is now, in the viewer's words. */
    hint: { type: String, value: '' },
    /** Offer 查看完整证件号 for each person (audited on the server). */
    revealable: { type: Boolean, value: false },
    /** The viewer edits the people and attachments in the default slot: the read-only ones are left out. */
    editing: { type: Boolean, value: false },
    /** Refusals per member of a business form (`people.<memberId>`). */
    peopleErrors: { type: Object, value: {} },
    /** Offer the pre-filled paper (`forms.paper`) — the holder, the unit's admins, the reviewers at their stage. */
    printable: { type: Boolean, value: false },
  },
  data: {
    ready: false,
    business: false,
    typeLabel: '',
    levelLabel: '',
    codeKindLabel: '',
    createdAt: '',
    reasonLabel: '',
    specialtiesTitle: '',
    specialtiesLabel: '',
    obtain: '',
    stages: [] as Stage[],
    aheadText: '',
    returned: null as null | { title: string; reason: string; at: string; advice: string },
    ended: null as null | { title: string; reason: string; at: string },
    /** Only the viewer's own entry of a business form (`scope: 'person'`). */
    own: false,
    peopleTitle: '',
    files: {} as Files,
    fileLabels: {} as Record<string, string>,
    bills: [] as Bill[],
    /** The index of the person whose number is being read, or -1. */
    revealing: -1,
    /** The papers to print: one per person (the unit's own for a unit form); the one being made. */
    papers: [] as Paper[],
    printing: -2,
  },
  observers: {
    'form, viewer'(form: FormView, viewer: string) {
      if (!form || !form.id) {
        this.setData({ ready: false });
        return;
      }
      this.setData({ ready: true, ...shownOf(form, (viewer as Viewer) || 'member') });
    },
  },
  methods: {
    /** The full ID number of person `index`, on request only: the server audits every read (SPEC §4). */
    async reveal(index: number) {
      const form = this.data.form as FormView;
      if (!form || !form.id || this.data.revealing >= 0 || !(index >= 0)) return;
      this.setData({ revealing: index });
      try {
        const r = await call('forms', 'revealId', { formId: form.id, person: index });
        this.setData({ revealing: -1, [`form.people[${index}].idNumber`]: r.idNumber });
        this.triggerEvent('revealed', { index, idNumber: r.idNumber });
      } catch (e) {
        this.setData({ revealing: -1 });
        toast(errorText(e));
      }
    },
    onRevealTap(e: WechatMiniprogram.TouchEvent) {
      this.reveal(Number(e.currentTarget.dataset.index));
    },
    onRevealPerson(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      this.reveal(Number(e.detail.index));
    },
    /** The pre-filled application form of one person (issue 12): made on the server, opened in the viewer. */
    async onPaper(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form as FormView;
      const index = Number(e.currentTarget.dataset.index);
      if (!form || !form.id || this.data.printing > -2) return;
      this.setData({ printing: index });
      try {
        const paper = await call('forms', 'paper', { formId: form.id, ...(index >= 0 ? { person: index } : {}) });
        this.setData({ printing: -2 });
        await openStoredDocument(paper.fileID, 'pdf', '申请表打开失败，请稍后重试');
      } catch (err) {
        this.setData({ printing: -2 });
        toast(errorText(err));
      }
    },
  },
});
