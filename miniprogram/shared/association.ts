/**
 * An association is configuration (issue 12): its certificate types with their number prefixes and
 * validity, the hours a renewal needs, which businesses exist and who starts them, the stages its
 * holder-started registrations pass, the attachments they carry and the blank forms it hands out.
 * Two profiles ship — seed 001's construction-supervision association (today's behaviour) and seed
 * 000's equipment-supervision association (专业知识培训人员登记指南). The rules read the active
 * profile; nothing branches on an association's name.
 */
import type { AssociationView, FormType, ProfileId } from '../../typings/api';
import { addYears } from './dates';
import type { StageStatus } from './flow';

export type HolderBusiness = 'registration-renewal' | 'registration-change';

export interface CertTypeSpec {
  name: string;
  /** Certificate numbers: prefix + year + 6-digit sequence. */
  prefix: string;
  /** Years a certificate (its registration) stays valid; a renewal extends it by as many. */
  validityYears: number;
}

/** One attachment of a holder's registration: which file, what the seed calls it, whether only a PDF. */
export interface RegistrationFile {
  key: 'applicationForm' | 'resignationProof';
  label: string;
  /** The seed says "请上传PDF文件" (3.5); elsewhere a photo of the signed paper is as good. */
  pdfOnly: boolean;
  /** 10 MB, one file (seed 000 3.5 / 4.4). */
  maxBytes: number;
}

export interface AssociationProfile {
  id: ProfileId;
  /** The association's name as its forms print it (the demo world's organisation carries it). */
  name: string;
  certificateTypes: CertTypeSpec[];
  /** Unit-started business forms exist (seed 001 manual 2.5–2.11). */
  unitBusiness: boolean;
  /** Businesses the certificate holder starts alone, with their review stages and attachments. */
  holderBusinesses: Partial<Record<HolderBusiness, { stages: StageStatus[]; stageNames: Partial<Record<StageStatus, string>>; files: RegistrationFile[] }>>;
  /** Continuing-education hours a renewal needs inside the registration's validity. */
  renewalHours: number;
  /**
   * Per-person fees (元) of the businesses that cost something; the `config` collection's `defaults`
   * document may override them (infra/settings.ts). A business not listed costs nothing.
   */
  fees: { educationPerPerson?: number; certUnitChangePerPerson?: number };
  /** What the stages are called to a holder of this association (seed 000 3.6: 已初审 / 已审核). */
  stageWords: Partial<Record<StageStatus | 'approved', string>>;
  /** Blank forms anyone signed in may download (`forms.templates`), by paper kind. */
  templates: string[];
}

const TEN_MB = 10 * 1024 * 1024;

export const PROFILES: Record<ProfileId, AssociationProfile> = {
  // Seed 001 (建设监理协会会员服务平台): units start every business; no holder registrations.
  construction: {
    id: 'construction',
    name: '建设监理协会',
    certificateTypes: [
      { name: '监理员', prefix: 'JLY', validityYears: 3 },
      { name: '专业监理工程师', prefix: 'ZJ', validityYears: 3 },
      { name: '安全监理员', prefix: 'AQ', validityYears: 3 },
    ],
    unitBusiness: true,
    holderBusinesses: {},
    renewalHours: 20,
    // Manual screenshots: 教育辅助费 80 per person, 证书变更(单位名称) 20 per person.
    fees: { educationPerPerson: 80, certUnitChangePerPerson: 20 },
    stageWords: {},
    // Seed 001's 下载模板 (2.5–2.11, 2.2.1): 申请表, 承诺书, 注销申请表, 单位会员入会申请表.
    templates: ['business-application', 'commitment', 'cancellation-application', 'unit-membership-application'],
  },
  // Seed 000 (中国设备监理协会 专业知识培训人员登记指南): the holder alone renews and changes employer;
  // 登记记录 shows 已初审 then 已审核 — a first review and a final one. The guide names no fee.
  equipment: {
    id: 'equipment',
    name: '中国设备监理协会',
    certificateTypes: [
      // Prefixes and validity are not in the guide: our defaults, configurable here.
      { name: '总监理工程师培训合格证书', prefix: 'SBZJ', validityYears: 3 },
      { name: '专业知识培训合格证书', prefix: 'SBZS', validityYears: 3 },
      { name: '助理设备监理工程师培训证书', prefix: 'SBZL', validityYears: 3 },
    ],
    unitBusiness: false,
    holderBusinesses: {
      'registration-renewal': {
        stages: ['org_review', 'assoc_review'],
        stageNames: { org_review: '初审', assoc_review: '审核' },
        files: [{ key: 'applicationForm', label: '延续登记申请表（签字盖章后扫描）', pdfOnly: true, maxBytes: TEN_MB }],
      },
      'registration-change': {
        stages: ['org_review', 'assoc_review'],
        stageNames: { org_review: '初审', assoc_review: '审核' },
        files: [
          { key: 'applicationForm', label: '变更登记申请表（签字盖章）', pdfOnly: false, maxBytes: TEN_MB },
          { key: 'resignationProof', label: '原单位离职证明', pdfOnly: false, maxBytes: TEN_MB },
        ],
      },
    },
    renewalHours: 20,
    // The guide names no fee for 延续 / 变更登记.
    fees: {},
    stageWords: { org_review: '待初审', assoc_review: '已初审', approved: '已审核' },
    templates: ['renewal-application', 'change-application'],
  },
};

/** The profile named `id` (default: construction); an unknown name is a configuration error. */
export function profileOf(id?: string): AssociationProfile {
  const key = (id || 'construction') as ProfileId;
  const p = PROFILES[key];
  if (!p) throw new Error(`MSP_PROFILE=${id}: unknown association profile (known: ${Object.keys(PROFILES).join(', ')})`);
  return p;
}

export function associationView(p: AssociationProfile, name?: string): AssociationView {
  return {
    id: p.id,
    name: name || p.name,
    holderBusinesses: Object.keys(p.holderBusinesses) as HolderBusiness[],
    unitBusiness: p.unitBusiness,
    certificateTypes: p.certificateTypes.map((c) => c.name),
  };
}

/** What a stage of `type` is called where a profile names it (seed 000: 初审, 审核), else undefined. */
export function stageNameOf(type: FormType, stage: StageStatus): string | undefined {
  for (const p of Object.values(PROFILES)) {
    const b = p.holderBusinesses[type as HolderBusiness];
    if (b && b.stageNames[stage]) return b.stageNames[stage];
  }
  return undefined;
}

/** The stages of a holder business in this profile (the flow table's entry when not offered). */
export function holderStages(p: AssociationProfile, type: HolderBusiness): StageStatus[] | undefined {
  return p.holderBusinesses[type]?.stages;
}

export function certTypeSpec(p: AssociationProfile, type: string): CertTypeSpec | undefined {
  return p.certificateTypes.find((c) => c.name === type);
}

/** The facts the registration rules read (seed 000 3.2, 4.1). */
export interface RegistrationFacts {
  today: string;
  certificate: { type: string; validUntil: string; status: 'valid' | 'cancelled'; unitId?: string | null };
  /** Continuing-education hours inside the registration's validity. */
  hoursDone: number;
  /** Something already in flight for the person (its label), or nothing. */
  busy?: string;
  /** For a change: the new employer, if it exists; and the unit the certificate is linked to now. */
  newUnit?: { id: string } | null;
}

/** The start of the registration period a renewal's hours must fall in: validUntil − validity years. */
export function registrationPeriod(p: AssociationProfile, c: { type: string; validUntil: string }): { from: string; to: string } {
  const years = certTypeSpec(p, c.type)?.validityYears || 3;
  return { from: addYears(c.validUntil, -years), to: c.validUntil };
}

/**
 * Every reason a 延续/变更登记 cannot start now — empty when it can. Keyed by the field each reason
 * concerns so the wizard shows it where the person acts.
 */
export function registrationRefusals(p: AssociationProfile, kind: 'renewal' | 'change', f: RegistrationFacts): Record<string, string> {
  const out: Record<string, string> = {};
  const type: HolderBusiness = kind === 'renewal' ? 'registration-renewal' : 'registration-change';
  if (!p.holderBusinesses[type]) {
    out.kind = `本协会不办理个人${kind === 'renewal' ? '延续' : '变更'}登记。`;
    return out;
  }
  if (!certTypeSpec(p, f.certificate.type)) out.certificateId = `“${f.certificate.type}”不是本协会登记的证书类型。`;
  if (f.certificate.status === 'cancelled') out.certificateId = '该证书已注销，不能办理登记。';
  const lapsed = f.certificate.validUntil < f.today;
  if (kind === 'renewal') {
    if (f.hoursDone < p.renewalHours)
      out.hours = `登记有效期内须完成${p.renewalHours}学时继续教育，已完成${fmt(f.hoursDone)}学时，还差${fmt(p.renewalHours - f.hoursDone)}学时。`;
  } else {
    if (lapsed) out.certificateId = `证书登记已于${f.certificate.validUntil}过期：请先办理延续登记，延续到有效期内后再办理变更。`;
    if (f.newUnit === null) out.newUnitId = '请选择变更后的工作单位（列表中没有时请点“找不到单位?”）。';
    else if (f.newUnit && f.newUnit.id === f.certificate.unitId) out.newUnitId = '变更后的工作单位与现工作单位相同。';
  }
  if (f.busy) out.busy = `您有正在办理的${f.busy}，办结后再申请。`;
  return out;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The new validity of a renewed registration: from the old end, or from today when it has lapsed. */
export function renewedUntil(p: AssociationProfile, c: { type: string; validUntil: string }, today: string): string {
  const years = certTypeSpec(p, c.type)?.validityYears || 3;
  return addYears(c.validUntil >= today ? c.validUntil : today, years);
}

/** Form types this profile lets `who` start (unit business or the holder's registrations). */
export function offers(p: AssociationProfile, type: FormType, who: 'unit' | 'holder'): boolean {
  if (who === 'holder') return type in p.holderBusinesses;
  return p.unitBusiness;
}
