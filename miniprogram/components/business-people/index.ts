/**
 * The people of a business form (SPEC §3.3): name, ID number (masked unless the server sent it),
 * the certificate the business acts on with its number and specialties, and whether a lapsed
 * membership is paid with the form, and each person's own attachments (diploma, verification …,
 * titled as the manual's table names them; a tap opens one). Reviewers may ask for one person's
 * full ID number (`reveal`).
 */
import type { BusinessType, Files, FormType, PersonView } from '../../../typings/api';
import { maskPhone } from '../../shared/id-number';
import { isBusinessType, personRules } from '../../utils/business';

/** The titles of a business type's per-person slots (`最高学历毕业证` …). */
function personLabels(type: FormType | ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (type && isBusinessType(type)) for (const r of personRules(type as BusinessType)) out[r.key] = r.label;
  return out;
}

interface Row {
  key: string;
  memberId: string;
  name: string;
  id: string;
  cert: string;
  specialties: string;
  phone: string;
  feeDue: boolean;
  revealed: boolean;
  files: Files;
  hasFiles: boolean;
}

Component({
  properties: {
    people: { type: Array, value: [] },
    /** Show a 查看完整证件号 button per person (whoever may read the full number). */
    revealable: { type: Boolean, value: false },
    /** The index being revealed (a busy button). */
    revealing: { type: Number, value: -1 },
    fullPhone: { type: Boolean, value: true },
    /** Initial education: the certificate type the people study for (they hold none of it yet). */
    obtain: { type: String, value: '' },
    /** Refusals per member (`people.<memberId>` of a NOT_ELIGIBLE answer). */
    errors: { type: Object, value: {} },
    /** The form's type: names each person's attachments as its table does. */
    type: { type: String, value: '' },
  },
  data: { rows: [] as Row[], labels: {} as Record<string, string> },
  observers: {
    'people, fullPhone, obtain, type'(people: PersonView[], fullPhone: boolean, obtain: string, type: FormType | '') {
      const rows = (people || []).map((p, i) => ({
        key: `${i}-${p.memberId || p.idMasked}`,
        memberId: p.memberId || '',
        name: p.name,
        id: p.idNumber || p.idMasked,
        cert: p.certNo ? `${p.certType || '证书'} · 证书编号 ${p.certNo}` : obtain ? `报名${obtain}` : '',
        specialties: (p.specialties || []).join('、'),
        phone: fullPhone ? p.phone || '' : maskPhone(p.phone || ''),
        feeDue: !!p.membershipFeeDue,
        revealed: !!p.idNumber,
        files: p.files || {},
        hasFiles: Object.keys(p.files || {}).some((k) => (p.files as Files)[k as keyof Files]),
      }));
      this.setData({ rows, labels: personLabels(type) });
    },
  },
  methods: {
    onReveal(e: WechatMiniprogram.TouchEvent) {
      this.triggerEvent('reveal', { index: Number(e.currentTarget.dataset.index) });
    },
  },
});
