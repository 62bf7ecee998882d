/**
 * Attachment checks (SPEC §4 Uploads): the type is read from the file's content (magic bytes),
 * never from its name, and each slot has its size limit.
 */
import type { FileKey, Files } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { downloadFile } from './cloud';
import { Check, FILE_ID, v } from './validate';

export type Kind = 'jpeg' | 'png' | 'pdf' | 'mp4';

export function sniff(buf: Buffer): Kind | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buf.length >= 12 && buf.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4';
  return null;
}

const KB = 1024;
const MB = 1024 * KB;
const IMAGE: Kind[] = ['jpeg', 'png'];
const IMAGE_OR_PDF: Kind[] = ['jpeg', 'png', 'pdf'];

/** Allowed content types and size per slot. Photo JPG ≤200 KB; ID card ≤2 MB; PDFs ≤10 MB. */
export const FILE_RULES: Record<FileKey, { label: string; kinds: Kind[]; max: number; maxImage?: number }> = {
  photo: { label: '个人证件照', kinds: ['jpeg'], max: 200 * KB },
  idFront: { label: '身份证人像面', kinds: IMAGE, max: 2 * MB },
  idBack: { label: '身份证国徽面', kinds: IMAGE, max: 2 * MB },
  diploma: { label: '毕业证书', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  diplomaCheck: { label: '学历验证报告', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  titleCert: { label: '职称证书', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  qualificationCert: { label: '职业资格证书', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  video: { label: '视频证明材料', kinds: ['mp4'], max: 50 * MB },
  insuranceProof: { label: '社保证明', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  commitment: { label: '单位承诺书', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  // A signed paper is photographed as often as scanned: seed 001 does not ask for a PDF, so either
  // (issue 12); a profile that says PDF (seed 000's 延续登记申请表) narrows its own slot.
  applicationForm: { label: '申请表', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  resignationProof: { label: '离职证明', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
  receipt: { label: '缴费凭证', kinds: IMAGE_OR_PDF, max: 10 * MB, maxImage: 2 * MB },
};

const KIND_LABEL: Record<Kind, string> = { jpeg: 'JPG', png: 'PNG', pdf: 'PDF', mp4: 'MP4' };

function sizeLabel(n: number): string {
  return n >= MB ? `${n / MB}MB` : `${n / KB}KB`;
}

/** The Chinese reason a file of this content type and size does not fit its slot, or null. */
export function slotProblem(key: FileKey, kind: Kind | null, size: number): string | null {
  const rule = FILE_RULES[key];
  if (!kind || !rule.kinds.includes(kind)) return `${rule.label}须为${rule.kinds.map((k) => KIND_LABEL[k]).join('/')}格式`;
  const max = kind !== 'pdf' && rule.maxImage ? rule.maxImage : rule.max;
  if (size > max) return `${rule.label}不能超过${sizeLabel(max)}`;
  return null;
}

/** The Chinese reason a file does not fit its slot, or null (type read from the content). */
export function fileProblem(key: FileKey, buf: Buffer): string | null {
  return slotProblem(key, sniff(buf), buf.length);
}

/** Read a stored file's bytes; null when storage has no such file. */
export async function readStored(fileID: string): Promise<Buffer | null> {
  try {
    return await downloadFile(fileID);
  } catch {
    return null;
  }
}

/** Keep only known slots with fileID-looking values. */
export function cleanFiles(input: unknown): Files {
  const out: Files = {};
  if (!input || typeof input !== 'object') return out;
  for (const [k, val] of Object.entries(input as Record<string, unknown>)) {
    if (typeof val !== 'string' || !val) continue;
    if (!(k in FILE_RULES))
      throw new AppError('INVALID_INPUT', `不支持的附件：${k}`, { [`files.${k}`]: '不支持的附件类型' });
    if (!/^cloud:\/\/\S{3,500}$/.test(val))
      throw new AppError('INVALID_INPUT', '附件地址不正确', { [`files.${k}`]: '附件地址不正确' });
    out[k as FileKey] = val;
  }
  return out;
}

/** The `files` field of an action: known slots only, each a fileID (empty slots are left out). */
export const FILES_INPUT = v.object(
  Object.fromEntries((Object.keys(FILE_RULES) as FileKey[]).map((k) => [k, v.optional(FILE_ID)])) as unknown as Record<FileKey, Check<string | undefined>>,
) as Check<Files>;
