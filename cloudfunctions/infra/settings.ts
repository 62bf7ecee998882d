/**
 * Business defaults (SPEC §2.2) — one table. The `config` collection's `defaults` document
 * overrides any key, so an association changes them without a code change.
 * Figures read off the manuals' screenshots are marked so; the rest are our defaults.
 */
import { DEFAULT_FEES } from '../../miniprogram/shared/business-rules';
import type { Database } from './cloud';
import { C } from './schema';

export interface Settings {
  /** 普通会员 validity in years from approval (manual screenshot: joined 2025-03-11, valid to 2028-03-11). */
  ordinaryMembershipYears: number;
  /** 专业会员 validity in years (manual screenshot). */
  professionalMembershipYears: number;
  /** Personal membership fee for the whole ordinary term, 元 — no figure in the manuals: our default. */
  ordinaryMembershipFee: number;
  /** Personal membership fee for a professional year, 元 — our default. */
  professionalMembershipFee: number;
  /** Code validity in hours: join / transfer / id-update codes (our default: 7 days). */
  codeTtlHours: number;
  /** Resignation codes are for one person and short-lived (our default: 24 hours). */
  resignCodeTtlHours: number;
  /** 教育辅助费 per person for education forms, 元 (SPEC §2.2, manual screenshot: 80). */
  educationFeePerPerson: number;
  /** 证书变更(单位名称) per person, 元 (manual screenshot: 20). */
  certUnitChangeFeePerPerson: number;
  /** Study hours per form type. 员升师 8 (manual); renewal 20 (equipment association manual); initial
   *  education and specialty change have no figure in the manuals: our defaults. */
  initialEducationHours: number;
  continuingEducationHours: number;
  upgradeHours: number;
  specialtyChangeHours: number;
  /** Exam attempts per study task (manual FAQ 3.18: 10). */
  examAttempts: number;
  /** Certificate validity in years; a renewal extends from the old expiry (SPEC §2.2: assume 3). */
  certValidityYears: number;
  /** Unit membership fee for a calendar year, 元 — the manuals show the fee but no figure: our default. */
  unitMembershipFee: number;
  /** Role invitations (sub-admins, reviewers, staff) stay valid this many hours (our default: 3 days). */
  inviteTtlHours: number;
  /** E-certificate batch jobs (certs.batch): certificates one invocation renders at most (a chunk). */
  ecertChunkSize: number;
  /** …and seconds of rendering one invocation starts at most (the function's timeout is 60). */
  ecertChunkSeconds: number;
  /** Certificates per zip part (at most 500: a part is assembled in /tmp and uploaded whole). */
  ecertPartSize: number;
}

export const DEFAULT_SETTINGS: Settings = {
  ordinaryMembershipYears: 3,
  professionalMembershipYears: 1,
  ordinaryMembershipFee: 300,
  professionalMembershipFee: 200,
  codeTtlHours: 24 * 7,
  resignCodeTtlHours: 24,
  ...DEFAULT_FEES,
  initialEducationHours: 24,
  continuingEducationHours: 20,
  upgradeHours: 8,
  specialtyChangeHours: 8,
  examAttempts: 10,
  certValidityYears: 3,
  unitMembershipFee: 2000,
  inviteTtlHours: 72,
  // Measured (npm run bench): ~60 ms a certificate on 2 cores, so 250 is ~15 s of work; the
  // seconds cap it on a busy machine.
  ecertChunkSize: 250,
  ecertChunkSeconds: 20,
  ecertPartSize: 500,
};

export async function loadSettings(db: Database): Promise<Settings> {
  try {
    const r = await db.collection(C.config).doc('defaults').get();
    const stored = (r.data || {}) as Partial<Settings>;
    const out = { ...DEFAULT_SETTINGS };
    for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      if (typeof stored[k] === 'number' && Number.isFinite(stored[k])) out[k] = stored[k] as number;
    }
    return out;
  } catch {
    // No document yet: the defaults apply.
    return { ...DEFAULT_SETTINGS };
  }
}
