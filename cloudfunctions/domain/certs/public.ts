/**
 * The public certificate paths (SPEC §3.5), shared by the light `cert-lookup` function (what the
 * mini-program's public pages call) and `certs` (SPEC §5's `certs.lookup` / `certs.verify`):
 * - lookup by certificate number, or by name + ID number together — never a listing; ID numbers
 *   masked; a miss answers the same NOT_FOUND whether or not the ID number is on file;
 *   rate-limited per caller (token bucket in `rate_limits`, RATE_LIMITED with a wait time);
 * - verification of a QR token: the signature first (forged without a database read), then the
 *   certificate's live status.
 */
import type { CertificateView, CertVerifyResult } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { checkIdNumber, isResidencePermit, normalizeIdNumber } from '../../../miniprogram/shared/id-number';
import { shanghaiIso } from '../../../miniprogram/shared/dates';
import type { Database } from '../../infra/cloud';
import { tokenFrom, verifyCertToken } from './token';
import { CertificateDoc, certView } from '../model';
import { idHash } from '../../infra/pii';
import { action } from '../../infra/router';
import { C } from '../../infra/schema';
import { countInWindow, takeToken, windowCount } from '../../infra/rate-limit';
import { v } from '../../infra/validate';

/** Lookups a caller may make at once, and how fast the allowance comes back. */
export const LOOKUP_BURST = 8;
export const LOOKUP_REFILL_SECONDS = 20;

/** Name + ID lookups that missed, across every caller, per 10 minutes (issue 9: many accounts together). */
export const LOOKUP_MISS_BUDGET = 200;
export const LOOKUP_MISS_WINDOW_SECONDS = 600;

const MISS = '未查询到匹配的证书，请核对输入的信息。';

/** The association's name, printed as the issuer (cached per warm instance). */
let issuerCache: { name: string; at: number } | null = null;
export async function issuerName(db: Database): Promise<string> {
  if (issuerCache && Date.now() - issuerCache.at < 10 * 60 * 1000) return issuerCache.name;
  const r = await db.collection(C.orgs).where({ kind: 'association' }).limit(1).get();
  const name = (r.data[0] as { name?: string } | undefined)?.name || '协会';
  issuerCache = { name, at: Date.now() };
  return name;
}

export async function certByNo(db: Database, no: string): Promise<CertificateDoc | null> {
  const r = await db.collection(C.certificates).where({ no }).limit(1).get();
  return (r.data[0] as CertificateDoc) || null;
}

/** Check a token (or a scanned URL carrying one) and answer the live status. */
export async function verifyToken(db: Database, input: string, now: Date, today: string): Promise<CertVerifyResult> {
  const checkedAt = shanghaiIso(now);
  const no = verifyCertToken(tokenFrom(input));
  if (!no) return { status: 'forged', checkedAt };
  const cert = await certByNo(db, no);
  // A correctly signed number that is not on file was removed (e.g. a mis-issued record): no
  // certificate stands behind it, so it is answered like a forgery.
  if (!cert) return { status: 'forged', checkedAt };
  const view = certView(cert, today);
  return { status: view.status, certificate: view, issuer: await issuerName(db), checkedAt };
}

const LOOKUP_INPUT = v.object({
  certNo: v.optional(v.string({ min: 3, max: 32, label: '证书编号' })),
  name: v.optional(v.string({ min: 1, max: 30, label: '姓名' })),
  idNumber: v.optional(v.string({ min: 5, max: 30, label: '证件号码' })),
});

export const lookupAction = action(LOOKUP_INPUT, {
  // A WeChat identity is required: the allowance is per caller.
  auth: 'user',
  async handler(input, ctx): Promise<{ items: CertificateView[] }> {
    const byNo = !!input.certNo;
    if (!byNo && !(input.name && input.idNumber)) {
      throw new AppError('INVALID_INPUT', '请输入证书编号，或同时输入姓名和身份证号。', {
        ...(input.name ? {} : { name: '请填写姓名' }),
        ...(input.idNumber ? {} : { idNumber: '请填写身份证号' }),
      });
    }
    if (byNo && (input.name || input.idNumber)) {
      throw new AppError('INVALID_INPUT', '请只选择一种查询方式：证书编号，或姓名加身份证号。');
    }
    if (!byNo) {
      // A mainland number with a wrong check digit is a typo worth pointing out; it says nothing
      // about whether any number is on file.
      const id = normalizeIdNumber(input.idNumber as string);
      if (/^\d{17}[\dX]$/.test(id)) {
        const problem = checkIdNumber(isResidencePermit(id) ? 'hmt' : 'resident', id, ctx.today);
        if (problem) throw new AppError('INVALID_INPUT', problem, { idNumber: problem });
      }
    }
    await takeToken(ctx.db, 'cert-lookup', ctx.openid, ctx.now, LOOKUP_BURST, LOOKUP_REFILL_SECONDS, (wait) => `查询过于频繁，请${wait}秒后再试。`);
    // A shared budget of misses by name + ID number: enumeration spread over many accounts is
    // stopped for everyone until the window passes (lookups by certificate number still work).
    if (!byNo && (await windowCount(ctx.db, 'cert-lookup-miss', ctx.now, LOOKUP_MISS_WINDOW_SECONDS)) >= LOOKUP_MISS_BUDGET)
      throw new AppError('RATE_LIMITED', '查询过于频繁，请稍后再试，或改用证书编号查询。');
    if (byNo) {
      const raw = input.certNo as string;
      const upper = raw.toUpperCase();
      const cert = (await certByNo(ctx.db, raw)) || (upper !== raw ? await certByNo(ctx.db, upper) : null);
      if (!cert) throw new AppError('NOT_FOUND', MISS);
      return { items: [certView(cert, ctx.today)] };
    }
    // Same path and the same answer whether the number is unknown or the name does not match.
    const hash = idHash(input.idNumber as string);
    const r = await ctx.db.collection(C.certificates).where({ idHash: hash }).limit(50).get();
    const name = (input.name as string).replace(/\s+/g, '');
    const items = (r.data as CertificateDoc[]).filter((c) => c.holderName.replace(/\s+/g, '') === name);
    if (!items.length) {
      await countInWindow(ctx.db, 'cert-lookup-miss', ctx.now, LOOKUP_MISS_WINDOW_SECONDS);
      throw new AppError('NOT_FOUND', MISS);
    }
    items.sort((a, b) => b.validUntil.localeCompare(a.validUntil));
    return { items: items.map((c) => certView(c, ctx.today)) };
  },
});

const VERIFY_INPUT = v.object({ token: v.string({ min: 1, max: 2048, label: '验证码' }) });

export const verifyAction = action(VERIFY_INPUT, {
  auth: 'anyone',
  async handler(input, ctx): Promise<CertVerifyResult> {
    return verifyToken(ctx.db, input.token, ctx.now, ctx.today);
  },
});
