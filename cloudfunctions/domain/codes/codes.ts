/** Issuing and checking the codes units hand out (SPEC §3.4), shared by `codes` and `members`. */
import type { CodeKind } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { database, uploadFile } from '../../infra/cloud';
import { miniCodes, SCAN_PAGE } from '../../infra/wxacode';
import { recordMade, unguessable } from '../files/files';
import type { Database } from '../../infra/cloud';
import { newCodeId, signCode, verifyCode } from './token';
import type { CodeDoc, UnitDoc } from '../model';
import { C } from '../../infra/schema';
import { getDoc } from '../../infra/store';


/**
 * Render a code's image into private storage under an unguessable name, recorded as the unit's
 * (its admins read it through files.url) or, outside a unit, as the issuer's.
 */
export async function storeQr(code: string, by: { openid: string; unitId?: string; now: Date }): Promise<string> {
  // A mini-program code whose scene is the short code: WeChat's 扫一扫 opens the scan page with it.
  const png = await miniCodes.render(code, SCAN_PAGE);
  const fileID = await uploadFile(`codes/${by.unitId || 'platform'}/${unguessable()}.png`, png);
  await recordMade(database(), {
    fileID,
    openid: by.openid,
    purpose: 'qr',
    kind: 'png',
    size: png.length,
    ...(by.unitId ? { unitId: by.unitId } : {}),
    now: by.now,
  });
  return fileID;
}

export async function issueCode(
  db: Database,
  opts: {
    kind: CodeKind;
    unitId: string;
    memberId?: string;
    invite?: Pick<CodeDoc, 'role' | 'scopeId' | 'main' | 'phone'>;
    issuedBy: string;
    ttlHours: number;
    now: Date;
  },
): Promise<{ doc: CodeDoc; code: string }> {
  const id = newCodeId();
  const expiresAt = new Date(opts.now.getTime() + opts.ttlHours * 3600 * 1000);
  const code = signCode(opts.kind, id, expiresAt);
  const qrImage = await storeQr(code, { openid: opts.issuedBy, unitId: opts.unitId, now: opts.now });
  const doc: CodeDoc = {
    _id: id,
    kind: opts.kind,
    unitId: opts.unitId,
    ...(opts.memberId ? { memberId: opts.memberId } : {}),
    ...(opts.invite || {}),
    issuedBy: opts.issuedBy,
    issuedAt: opts.now,
    expiresAt,
    qrImage,
  };
  await db.collection(C.codes).add({ data: doc });
  return { doc, code };
}

/**
 * Check a scanned code: signature (CODE_INVALID), expiry (CODE_EXPIRED), the record and its unit
 * (CODE_INVALID when revoked or gone), single use (CODE_USED). Nothing is written.
 * Role invitations outside a unit answer `unit: null`.
 */
export async function checkAnyCode(
  db: Database,
  code: string,
  now: Date,
  kinds?: CodeKind[],
): Promise<{ doc: CodeDoc; unit: UnitDoc | null }> {
  const v = verifyCode(code, now);
  if (!v.ok) throw new AppError(v.reason === 'expired' ? 'CODE_EXPIRED' : 'CODE_INVALID');
  if (kinds && !kinds.includes(v.kind))
    throw new AppError('CODE_INVALID', '这不是该业务使用的二维码，请确认后重新扫码。');
  const doc = await getDoc<CodeDoc>(db, C.codes, v.id);
  if (!doc || doc.kind !== v.kind || doc.revokedAt) throw new AppError('CODE_INVALID');
  if (doc.usedAt) throw new AppError('CODE_USED');
  if (!doc.unitId) return { doc, unit: null };
  const unit = await getDoc<UnitDoc>(db, C.units, doc.unitId);
  if (!unit) throw new AppError('CODE_INVALID', '二维码所属单位不存在，请向单位管理员重新获取。');
  return { doc, unit };
}

/** A unit's code (join, transfer, resignation, ID supplement, sub-admin invitation). */
export async function checkCode(
  db: Database,
  code: string,
  now: Date,
  kinds?: CodeKind[],
): Promise<{ doc: CodeDoc; unit: UnitDoc }> {
  const r = await checkAnyCode(db, code, now, kinds);
  if (!r.unit) throw new AppError('CODE_INVALID', '这不是单位的二维码。');
  return { doc: r.doc, unit: r.unit };
}
