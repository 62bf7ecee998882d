/**
 * Whose file is it (issue 9). Storage is private: the mini-program uploads straight to cloud
 * storage, then confirms the upload (`files.confirm`), which records who uploaded it, for what,
 * its content type (read from the bytes) and size. From then on:
 * - an action accepts only files its caller owns, or that an admin of the form's unit uploaded
 *   for it (`checkOwnFiles`);
 * - the forms and member records a file is attached to are kept on its record (`attach`);
 * - `files.url` hands out a short-lived URL only to whoever may see the file (`mayRead`): the
 *   uploader, the person it is about, their unit's admins, the parties of a form that carries it
 *   (never a co-worker named on the same form), and the secretariat.
 * Files the functions make (QR codes, e-certificates, zips, exports) are recorded the same way,
 * under unguessable names.
 */
import { createHash, randomBytes } from 'crypto';
import type { FileKey, Files } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import type { Database } from '../../infra/cloud';
import { FILE_RULES, Kind, slotProblem } from '../../infra/files';
import { grantOf, RoleGrant } from '../../infra/roles';
import { C } from '../../infra/schema';
import { getDoc, Tx } from '../../infra/store';
import type { FormDoc, MemberDoc } from '../model';
import { partiesOf } from '../forms/queries';

/** What a server-made file is (uploads carry their slot, a FileKey). */
export type MadeKind = 'qr' | 'ecert' | 'ecert-zip' | 'export';

export interface FileDoc {
  _id: string;
  fileID: string;
  /** Uploader (uploads) or requester (files the functions make). */
  openid: string;
  purpose: FileKey | MadeKind;
  kind: Kind | 'zip' | 'xlsx';
  size: number;
  /** The uploader administered this unit when confirming, or the unit a made file belongs to. */
  unitId?: string;
  /** The member record the file is about (ID card, photo, e-certificate). */
  memberIds?: string[];
  /** Forms the file is attached to. */
  formIds?: string[];
  createdAt: Date;
  /** Temporary files (zips, exports) are removed after this. */
  expiresAt?: Date;
}

/** The record id of a fileID: its hash (fileIDs are long and carry `/`). */
export function fileKey(fileID: string): string {
  return createHash('sha256').update(fileID).digest('hex').slice(0, 40);
}

/** How long made files meant for one download (e-certificates, zips, exports) are kept. */
export const TEMP_FILE_HOURS = 24;

/** A storage name nobody can guess: 128 random bits. */
export function unguessable(): string {
  return randomBytes(16).toString('hex');
}

export async function fileDoc(db: Database | Tx, fileID: string): Promise<FileDoc | null> {
  return getDoc<FileDoc>(db, C.files, fileKey(fileID));
}

/** Record a file the functions made (outside or inside a transaction). */
export async function recordMade(
  db: Database | Tx,
  f: { fileID: string; openid: string; purpose: MadeKind; kind: FileDoc['kind']; size: number; unitId?: string; memberId?: string; now: Date; ttlHours?: number },
): Promise<void> {
  const doc: Omit<FileDoc, '_id'> = {
    fileID: f.fileID,
    openid: f.openid,
    purpose: f.purpose,
    kind: f.kind,
    size: f.size,
    ...(f.unitId ? { unitId: f.unitId } : {}),
    ...(f.memberId ? { memberIds: [f.memberId] } : {}),
    createdAt: f.now,
    ...(f.ttlHours ? { expiresAt: new Date(f.now.getTime() + f.ttlHours * 3600_000) } : {}),
  };
  await db.collection(C.files).doc(fileKey(f.fileID)).set({ data: doc });
}

/** The fileIDs given, without empty slots. */
export function idsOf(files: Files | undefined): string[] {
  return Object.values(files || {}).filter((x): x is string => typeof x === 'string' && !!x);
}

/**
 * Check files a caller attaches: each confirmed, owned by the caller (or uploaded by an admin of
 * `unitId`, the unit whose form it is), and of the type and size its slot takes. Files already on
 * the record (`kept`) were checked when first attached and are skipped. Nothing is downloaded: the
 * type and size were read from the bytes at confirmation.
 */
export async function checkOwnFiles(
  db: Database,
  files: Files,
  caller: string,
  opts: { unitId?: string; kept?: Files } = {},
): Promise<void> {
  const errors: Record<string, string> = {};
  let foreign = '';
  await Promise.all(
    (Object.keys(files) as FileKey[]).map(async (k) => {
      const id = files[k];
      if (!id || opts.kept?.[k] === id) return;
      const rule = FILE_RULES[k];
      const doc = await fileDoc(db, id);
      if (!doc) {
        errors[`files.${k}`] = `${rule.label}未上传完成，请重新上传`;
        return;
      }
      const mine = doc.openid === caller || (!!opts.unitId && doc.unitId === opts.unitId && doc.purpose !== 'qr');
      if (!mine) {
        foreign = `files.${k}`;
        return;
      }
      // Files the functions made (QR codes, e-certificates, zips) are never someone's attachment.
      if (!(doc.purpose in FILE_RULES) || doc.kind === 'zip' || doc.kind === 'xlsx') {
        errors[`files.${k}`] = `${rule.label}格式不正确`;
        return;
      }
      const problem = slotProblem(k, doc.kind, doc.size);
      if (problem) errors[`files.${k}`] = problem;
    }),
  );
  if (foreign) throw new AppError('FORBIDDEN', '附件不是您上传的，请重新上传。', { [foreign]: '附件不是您上传的' });
  const keys = Object.keys(errors);
  if (keys.length) throw new AppError('FILE_INVALID', errors[keys[0]], errors);
}

/**
 * Note on each file's record that it is attached to a form or a member record, inside the caller's
 * transaction, so the form's parties (or the member and their unit) may read it through files.url.
 */
export async function attach(t: Tx, fileIDs: string[], to: { formId?: string; memberId?: string }): Promise<void> {
  for (const id of new Set(fileIDs)) {
    const key = fileKey(id);
    const doc = await getDoc<FileDoc>(t, C.files, key);
    if (!doc) continue;
    const formIds = to.formId && !(doc.formIds || []).includes(to.formId) ? [...(doc.formIds || []), to.formId] : doc.formIds;
    const memberIds =
      to.memberId && !(doc.memberIds || []).includes(to.memberId) ? [...(doc.memberIds || []), to.memberId] : doc.memberIds;
    if (formIds === doc.formIds && memberIds === doc.memberIds) continue;
    await t
      .collection(C.files)
      .doc(key)
      .update({ data: { ...(formIds ? { formIds } : {}), ...(memberIds ? { memberIds } : {}) } });
  }
}

/** May this caller read this file? (SPEC §4: ID-card images to the holder, their unit's admins and reviewers.) */
export async function mayRead(db: Database, doc: FileDoc, openid: string, roles: RoleGrant[]): Promise<boolean> {
  if (!openid) return false;
  if (doc.openid === openid || grantOf(roles, 'secretariat')) return true;
  if (doc.unitId && grantOf(roles, 'unit_admin', doc.unitId)) return true;
  for (const memberId of (doc.memberIds || []).slice(0, 10)) {
    const m = await getDoc<MemberDoc>(db, C.members, memberId);
    if (m && (m.openid === openid || (!!m.unitId && grantOf(roles, 'unit_admin', m.unitId)))) return true;
  }
  for (const formId of (doc.formIds || []).slice(-20)) {
    const f = await getDoc<FormDoc>(db, C.forms, formId);
    if (f && partiesOf(f, openid, roles).length) return true;
  }
  return false;
}
