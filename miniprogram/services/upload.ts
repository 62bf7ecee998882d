/**
 * Attachments (SPEC §4 "Uploads"): which files each slot accepts, the size checks done before any
 * byte leaves the phone, and the cloud path each upload goes to. The server checks the type again
 * by content; all traffic still goes through request.ts's transport.
 */
import type { FileKey } from '../../typings/api';
import { call, getTransport } from './request';

export type Accept = 'jpg' | 'image' | 'image-pdf' | 'pdf' | 'video';

export interface FileRule {
  label: string;
  accept: Accept;
  /** Bytes */
  max: number;
  /** One line under the slot: what to upload and the limit. */
  hint: string;
}

const KB = 1024;
const MB = 1024 * KB;

/** Per slot: photo JPG ≤200 KB, ID-card images ≤2 MB, PDFs ≤10 MB (SPEC §4). */
export const FILE_RULES: Record<FileKey, FileRule> = {
  photo: { label: '个人证件照', accept: 'jpg', max: 200 * KB, hint: '五官清晰、背景单一的免冠证件照，JPG，不超过200KB' },
  idFront: { label: '身份证人像面', accept: 'image', max: 2 * MB, hint: '拍摄完整、字迹清晰，不超过2MB' },
  idBack: { label: '身份证国徽面', accept: 'image', max: 2 * MB, hint: '拍摄完整、字迹清晰，不超过2MB' },
  diploma: { label: '最高学历毕业证', accept: 'image-pdf', max: 10 * MB, hint: '毕业证照片（不超过2MB）或PDF（不超过10MB）' },
  diplomaCheck: { label: '学历验证报告', accept: 'image-pdf', max: 10 * MB, hint: '学信网在线验证报告或认证报告，图片或PDF' },
  titleCert: { label: '职称证书', accept: 'image-pdf', max: 10 * MB, hint: '选填，图片或PDF' },
  qualificationCert: { label: '职业资格证书', accept: 'image-pdf', max: 10 * MB, hint: '选填，图片或PDF' },
  video: { label: '视频证明材料', accept: 'video', max: 50 * MB, hint: '无法提供学历证明时上传，不超过60秒' },
  insuranceProof: { label: '社保证明', accept: 'image-pdf', max: 10 * MB, hint: '图片或PDF，不超过10MB' },
  commitment: { label: '承诺书', accept: 'image-pdf', max: 10 * MB, hint: '签字后扫描上传，PDF不超过10MB' },
  applicationForm: { label: '申请表', accept: 'image-pdf', max: 10 * MB, hint: '签字盖章后拍照（不超过2MB）或扫描为PDF（不超过10MB）' },
  resignationProof: { label: '原单位离职证明', accept: 'image-pdf', max: 10 * MB, hint: '拍照（不超过2MB）或PDF（不超过10MB）' },
  receipt: { label: '会费缴费凭证', accept: 'image-pdf', max: 10 * MB, hint: '转账回单或缴费凭证，图片或PDF' },
};

/** Images other than the photo are capped at 2 MB even where a PDF may be 10 MB. */
const IMAGE_MAX = 2 * MB;

export interface PickedFile {
  path: string;
  size: number;
  kind: 'image' | 'pdf' | 'video';
}

export function extOf(path: string): string {
  const m = /\.([A-Za-z0-9]+)(?:\?.*)?$/.exec(path || '');
  return m ? m[1].toLowerCase() : '';
}

export function isPdfPath(path: string): boolean {
  return extOf(path) === 'pdf';
}

function sizeText(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)}MB` : `${Math.ceil(bytes / KB)}KB`;
}

/** What a form may ask of a slot beyond its key's rule (a profile's attachment table: PDF only or not, the size). */
export interface SlotOverride {
  accept?: Accept;
  max?: number;
  label?: string;
}

/** The rule of `key`, with what the form asks instead. */
export function ruleOf(key: FileKey, override?: SlotOverride): FileRule {
  const rule = FILE_RULES[key];
  if (!override) return rule;
  return {
    ...rule,
    accept: override.accept || rule.accept,
    max: override.max || rule.max,
    label: override.label || rule.label,
  };
}

/** Why a picked file cannot be used in `key`, or null when it can. */
export function checkPicked(key: FileKey, file: PickedFile, override?: SlotOverride): string | null {
  const rule = ruleOf(key, override);
  const ext = extOf(file.path);
  if (rule.accept === 'jpg') {
    if (file.kind !== 'image' || (ext && ext !== 'jpg' && ext !== 'jpeg')) return `${rule.label}须为JPG格式的照片`;
    if (file.size > rule.max) return `${rule.label}不能超过${sizeText(rule.max)}（当前${sizeText(file.size)}），请重新拍摄或选择较小的照片`;
    return null;
  }
  if (rule.accept === 'video') {
    if (file.kind !== 'video') return `${rule.label}须为视频`;
  } else if (file.kind === 'video') return `${rule.label}不能是视频`;
  if (rule.accept === 'pdf' && file.kind !== 'pdf') return `${rule.label}须为PDF文件`;
  if (file.kind === 'pdf' && rule.accept !== 'image-pdf' && rule.accept !== 'pdf') return `${rule.label}须为图片`;
  const max = file.kind === 'image' ? Math.min(rule.max, IMAGE_MAX) : rule.max;
  if (file.size > max) return `${rule.label}不能超过${sizeText(max)}（当前${sizeText(file.size)}）`;
  return null;
}

/** Shrink an over-size photo with WeChat's own compressor; resolves to the new file or null. */
export function compressPhoto(file: PickedFile): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    if (typeof wx.compressImage !== 'function') return resolve(null);
    wx.compressImage({
      src: file.path,
      quality: 60,
      success: (r) => {
        try {
          const size = (wx.getFileSystemManager().statSync(r.tempFilePath) as WechatMiniprogram.Stats).size;
          resolve({ path: r.tempFilePath, size, kind: 'image' });
        } catch (e) {
          resolve(null);
        }
      },
      fail: () => resolve(null),
    });
  });
}

/** A name nobody guesses: time plus ~100 random bits (storage is private anyway; this is belt and braces). */
function randomName(): string {
  let r = '';
  for (let i = 0; i < 4; i++) r += Math.random().toString(36).slice(2, 10);
  return Date.now().toString(36) + r;
}

/** `uploads/<kind>/<random>.<ext>`: the storage path of a new attachment. */
export function cloudPathFor(key: FileKey, file: PickedFile): string {
  const ext = extOf(file.path) || (file.kind === 'pdf' ? 'pdf' : file.kind === 'video' ? 'mp4' : 'jpg');
  return `uploads/${key}/${randomName()}.${ext === 'jpeg' ? 'jpg' : ext}`;
}

/**
 * Upload a checked file and confirm it (`files.confirm`): the server records the caller as its
 * owner and reads its type from the bytes — only confirmed files of one's own can be attached.
 */
export async function uploadPicked(key: FileKey, file: PickedFile): Promise<string> {
  const fileID = await getTransport().upload(file.path, cloudPathFor(key, file));
  await call('files', 'confirm', { fileID, purpose: key });
  return fileID;
}

/** Short-lived URLs already handed out, kept until a minute before they expire. */
const urls = new Map<string, { url: string; until: number }>();

/**
 * A URL an <image> can show for a stored fileID. Storage is private: the URL comes from
 * `files.url`, which checks that the caller may see that file, and works for a few minutes.
 */
export async function fileUrl(fileID: string): Promise<string> {
  const hit = urls.get(fileID);
  if (hit && hit.until > Date.now()) return hit.url;
  const r = await call('files', 'url', { fileID });
  urls.set(fileID, { url: r.url, until: new Date(r.expiresAt).getTime() - 60_000 });
  return r.url;
}

/** Did the user just close the picker (not an error worth showing)? */
export function isCancel(e: unknown): boolean {
  const msg = e && typeof e === 'object' && 'errMsg' in e ? String((e as { errMsg: string }).errMsg) : '';
  return /cancel/i.test(msg);
}

/** Camera or album (images/video) through `wx.chooseMedia`. */
export function chooseMedia(kind: 'image' | 'video', camera: 'front' | 'back' = 'back'): Promise<PickedFile> {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count: 1,
      mediaType: [kind],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
      maxDuration: 60,
      camera,
      success: (r) => {
        const f = r.tempFiles[0];
        if (!f) return reject({ errMsg: 'chooseMedia:fail cancel' });
        resolve({ path: f.tempFilePath, size: f.size, kind: f.fileType === 'video' ? 'video' : 'image' });
      },
      fail: reject,
    });
  });
}

/** A PDF (or image) forwarded in a chat, through `wx.chooseMessageFile`. */
export function choosePdf(): Promise<PickedFile> {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: ['pdf', 'jpg', 'jpeg', 'png'],
      success: (r) => {
        const f = r.tempFiles[0];
        if (!f) return reject({ errMsg: 'chooseMessageFile:fail cancel' });
        resolve({ path: f.path, size: f.size, kind: isPdfPath(f.path) || isPdfPath(f.name) ? 'pdf' : 'image' });
      },
      fail: reject,
    });
  });
}

/** Download a stored file to a temporary path on the phone. */
export async function downloadStored(fileID: string): Promise<string> {
  const url = await fileUrl(fileID);
  return new Promise((resolve, reject) =>
    wx.downloadFile({
      url,
      success: (r) => (r.statusCode === 200 ? resolve(r.tempFilePath) : reject({ errMsg: `downloadFile:fail ${r.statusCode}` })),
      fail: reject,
    }),
  );
}

/** Download a stored document and open it in the phone's viewer (menu: forward, save); `failText` when it cannot. */
/** The document types the phone's viewer (`wx.openDocument`) opens. */
export type DocumentType = 'pdf' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'ppt' | 'pptx';

/** The viewer's type of a stored file, by its name (PDF when the name says nothing). */
export function documentTypeOf(name: string): DocumentType {
  const ext = extOf(name);
  return (['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'] as string[]).indexOf(ext) >= 0 ? (ext as DocumentType) : 'pdf';
}

export async function openStoredDocument(fileID: string, fileType: DocumentType, failText: string): Promise<void> {
  return openDocumentFrom(() => downloadStored(fileID), fileType, failText);
}

/** Download a URL the server handed out already (the association's blank forms) and open it in the phone's viewer. */
export function openDocumentAt(url: string, fileType: DocumentType, failText: string): Promise<void> {
  return openDocumentFrom(
    () =>
      new Promise<string>((resolve, reject) =>
        wx.downloadFile({
          url,
          success: (r) => (r.statusCode === 200 ? resolve(r.tempFilePath) : reject({ errMsg: `downloadFile:fail ${r.statusCode}` })),
          fail: reject,
        }),
      ),
    fileType,
    failText,
  );
}

async function openDocumentFrom(download: () => Promise<string>, fileType: DocumentType, failText: string): Promise<void> {
  wx.showLoading({ title: '正在打开…', mask: true });
  try {
    const filePath = await download();
    wx.hideLoading();
    wx.openDocument({ filePath, fileType, showMenu: true });
  } catch (err) {
    wx.hideLoading();
    wx.showToast({ title: failText, icon: 'none' });
  }
}
