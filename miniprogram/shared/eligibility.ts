/**
 * Who may start which business (SPEC §3.3; manual 2.5–2.11 and FAQ 3.6, 3.7, 3.12). One pure
 * implementation: `forms.eligible` shows its reasons in the unit's person picker, `forms.create` and
 * `forms.submit` enforce the same answer. Every reason is a Chinese sentence the unit can act on.
 */
import type { EducationLevel, FormType, MembershipLevel } from '../../typings/api';
import { addMonths, addYears, fullYears } from './dates';

/** Training certificate types of the construction-supervision association (SPEC §2). */
export const CERT_TYPES = ['监理员', '专业监理工程师', '安全监理员'] as const;
export type CertType = (typeof CERT_TYPES)[number];

/** Business types a unit starts for its people (joining and unit forms have their own paths). */
export const BUSINESS_TYPES = [
  'initial-education',
  'continuing-education',
  'upgrade',
  'specialty-change',
  'cert-unit-change',
  'cert-cancel',
  'pro-continuing-education',
] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

/** FAQ 3.7: renewal + specialty change + upgrade may run together, or any two of them. */
export const COMBINABLE: BusinessType[] = ['continuing-education', 'specialty-change', 'upgrade'];

/** Study-type forms open a study task when approved (普通会员教育学习报名). */
export const EDUCATION_TYPES: FormType[] = ['initial-education', 'continuing-education', 'upgrade', 'specialty-change'];

export interface CertFact {
  id: string;
  type: string;
  specialties: string[];
  validUntil: string;
  status: 'valid' | 'cancelled';
  unitName: string;
}

/** Something in flight for the person, and the form type it belongs to. */
export interface Blocker {
  kind: 'form' | 'bill' | 'study';
  formType: FormType;
  label: string;
}

export interface PersonFacts {
  birthDate: string;
  memberships: { level: MembershipLevel; validUntil: string }[];
  education?: { level: EducationLevel; major: string; graduatedOn: string };
  title?: string;
  certificates: CertFact[];
  blockers: Blocker[];
}

export interface Request {
  type: BusinessType;
  /** initial-education: which certificate; others: the certificate acted on (by type). */
  certType?: string;
  /** cert-unit-change: why. */
  reason?: 'new-employer' | 'renamed';
  /** The unit's current name (cert-unit-change 'renamed' compares against it). */
  unitName: string;
}

export interface Verdict {
  eligible: boolean;
  reasons: string[];
  /** The certificate the business acts on, when there is one. */
  certId?: string;
  /** Ordinary membership has lapsed and the business allows paying it again (fee added). */
  membershipFeeDue: boolean;
}

/** Age limits of manual 2.5.1(5) for initial education, and 2.11.1(1) for 注师继教. */
export const AGE_LIMIT: Record<string, number> = { 监理员: 60, 安全监理员: 60, 专业监理工程师: 65 };
export const PRO_CE_AGE_LIMIT = 65;

/**
 * Manual 2.7.1(4): "建筑工程类或建筑经济类专业". No list is given; these keywords cover the
 * engineering and construction-economics majors of the national catalogue (our reading).
 */
const CONSTRUCTION_MAJOR =
  /土木|建筑|结构|工程管理|工程造价|造价|建设|市政|给排水|给水排水|暖通|供热|燃气|道路|桥梁|隧道|铁道|交通|水利|水电|港口|岩土|地下|测绘|勘察|安装|机电|电气|城市规划|城乡规划|园林|环境工程|工程经济|建筑经济|工程监理|安全工程/;

export function isConstructionMajor(major: string | undefined): boolean {
  return !!major && CONSTRUCTION_MAJOR.test(major);
}

/** Manual 2.7.1(5): an intermediate title (中级职称) or a registration certificate (注册证). */
export function hasIntermediateTitle(title: string | undefined): boolean {
  if (!title) return false;
  if (/助理|员$|技术员/.test(title)) return false;
  return /工程师|经济师|中级|高级|正高|注册|教授/.test(title);
}

/** Years since graduation each degree needs for 员升师 (manual 2.7.1(4)). */
export const UPGRADE_YEARS: Partial<Record<EducationLevel, number>> = { doctor: 2, master: 2, bachelor: 3, college: 4 };

function membership(f: PersonFacts, level: MembershipLevel) {
  return f.memberships.find((m) => m.level === level);
}

function liveCerts(f: PersonFacts): CertFact[] {
  return f.certificates.filter((c) => c.status !== 'cancelled');
}

/** The verdict for one person and one request on `today` (YYYY-MM-DD). */
export function judge(f: PersonFacts, req: Request, today: string): Verdict {
  const reasons: string[] = [];
  const ordinary = membership(f, 'ordinary');
  const ordinaryValid = !!ordinary && ordinary.validUntil >= today;
  const live = liveCerts(f);
  const valid = live.filter((c) => c.validUntil >= today);
  const expired = live.filter((c) => c.validUntil < today);
  let certId: string | undefined;
  let membershipFeeDue = false;

  // Common conditions (manual 2.6.1(3)–(5) and the same lines in 2.7–2.11): nothing in flight.
  // FAQ 3.7: renewal, specialty change and upgrade may run alongside each other.
  for (const b of f.blockers) {
    const combinable =
      COMBINABLE.includes(req.type) && COMBINABLE.includes(b.formType as BusinessType) && b.formType !== req.type;
    if (!combinable) reasons.push(b.label);
  }

  // FAQ 3.6: an expired certificate allows nothing but cancellation until membership is paid again.
  if (req.type !== 'cert-cancel' && expired.length && !ordinaryValid) {
    reasons.push('持有的证书已过期且会籍已过期：只能办理证书注销，请先缴纳个人会费');
  }

  const certOfType = (t?: string) => live.find((c) => c.type === t);
  const requireValidCert = (t: string | undefined, what: string): CertFact | undefined => {
    const c = t ? certOfType(t) : live[0];
    if (!c) {
      reasons.push(`未持有${t || ''}证书，不能办理${what}`);
      return undefined;
    }
    if (c.validUntil < today) {
      reasons.push(`${c.type}证书已于${c.validUntil}过期，只能办理证书注销`);
      return undefined;
    }
    return c;
  };
  const requireOrdinary = () => {
    if (!ordinary) reasons.push('不是普通会员，请先申请入会');
    else if (!ordinaryValid) reasons.push(`普通会员会籍已于${ordinary.validUntil}过期，请先缴纳个人会费`);
  };

  switch (req.type) {
    case 'initial-education': {
      requireOrdinary();
      const t = req.certType;
      if (!t || !(CERT_TYPES as readonly string[]).includes(t)) {
        reasons.push('请选择报名的证书类型');
        break;
      }
      if (certOfType(t)) reasons.push(`已持有${t}证书，不能再报名该类初始教育`);
      const age = fullYears(f.birthDate, today);
      if (age > AGE_LIMIT[t]) reasons.push(`报名${t}须在${AGE_LIMIT[t]}周岁以内（现${age}周岁）`);
      if (!f.education) reasons.push('缺少学历信息，请先完善个人学历');
      else if (t === '专业监理工程师') reasons.push(...educationProblems(f, today, '专业监理工程师初始教育'));
      break;
    }
    case 'continuing-education': {
      // Manual 2.6.1(2): membership valid OR lapsed — a lapsed one is paid again with the form.
      if (!ordinary) reasons.push('不是普通会员，请先申请入会');
      else if (!ordinaryValid) membershipFeeDue = true;
      const c = requireValidCert(req.certType, '继续教育');
      if (c) {
        certId = c.id;
        // Manual 2.6.1(6): only within half a year of expiry.
        const opens = addMonths(c.validUntil, -6);
        if (today < opens) reasons.push(`${c.type}证书${c.validUntil}到期，${opens}起（到期前半年内）才能报名继续教育`);
      }
      break;
    }
    case 'upgrade': {
      requireOrdinary();
      const c = requireValidCert('监理员', '员升师');
      if (c) certId = c.id;
      if (certOfType('专业监理工程师')) reasons.push('已持有专业监理工程师证书');
      reasons.push(...educationProblems(f, today, '员升师'));
      break;
    }
    case 'specialty-change': {
      requireOrdinary();
      const c = requireValidCert(req.certType, '专业变更');
      if (c) certId = c.id;
      // Manual 2.8.1(3): both certificates' specialties (names and order) already agree.
      const others = valid.filter((x) => x.id !== c?.id);
      if (c && others.some((o) => o.specialties.join('|') !== c.specialties.join('|'))) {
        reasons.push('双证的专业名称和顺序不一致，请先申请同步为一致');
      }
      break;
    }
    case 'cert-unit-change': {
      const c = requireValidCert(req.certType, '证书变更(单位名称)');
      if (c) certId = c.id;
      if (!req.reason) reasons.push('请选择变更原因');
      if (c && c.unitName === req.unitName) reasons.push('证书上的单位名称已是本单位，无需变更');
      // Manual 2.9.2: a new employer pays a lapsed membership with the form; a rename needs it valid.
      if (!ordinary) reasons.push('不是普通会员，请先申请入会');
      else if (!ordinaryValid) {
        if (req.reason === 'new-employer') membershipFeeDue = true;
        else reasons.push(`普通会员会籍已于${ordinary.validUntil}过期，请先缴纳个人会费`);
      }
      break;
    }
    case 'cert-cancel': {
      // Manual 2.10.1: any certificate held, even an expired one; no membership condition.
      const c = req.certType ? certOfType(req.certType) : live[0];
      if (!c) reasons.push(`未持有${req.certType || ''}证书，无可注销的证书`);
      else certId = c.id;
      break;
    }
    case 'pro-continuing-education': {
      const pro = membership(f, 'professional');
      if (!pro) reasons.push('会员类型不是专业会员');
      else if (pro.validUntil < today) reasons.push(`专业会员会籍已于${pro.validUntil}过期，请先缴纳专业会员会费`);
      const age = fullYears(f.birthDate, today);
      if (age > PRO_CE_AGE_LIMIT) reasons.push(`注师继教须在${PRO_CE_AGE_LIMIT}周岁以内（现${age}周岁）`);
      break;
    }
  }
  const unique = [...new Set(reasons)];
  return { eligible: unique.length === 0, reasons: unique, ...(certId ? { certId } : {}), membershipFeeDue };
}

/**
 * Manual 2.7.1(4)–(5): a construction engineering/economics major with master ≥2, bachelor ≥3,
 * college ≥4 years since graduation — or, with an intermediate title or registration, secondary
 * school suffices with no years.
 */
export function educationProblems(f: PersonFacts, today: string, what: string): string[] {
  const e = f.education;
  if (!e) return ['缺少学历信息，请先完善个人学历'];
  if (hasIntermediateTitle(f.title)) return [];
  const out: string[] = [];
  if (!isConstructionMajor(e.major))
    out.push(`${what}要求建筑工程类或建筑经济类专业（现为“${e.major}”），或取得中级职称/注册证`);
  const years = UPGRADE_YEARS[e.level];
  if (years === undefined) out.push(`${what}要求大专及以上学历，或取得中级职称/注册证后中专学历即可`);
  else if (today < addYears(e.graduatedOn, years)) {
    out.push(`${what}要求毕业满${years}年（${e.graduatedOn}毕业，${addYears(e.graduatedOn, years)}满${years}年）`);
  }
  return out;
}
