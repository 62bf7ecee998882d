/** What goes on one e-certificate, gathered from the stored records (shared by `ecert` and `batch`). */
import type { CertificateDoc, MemberDoc } from '../domain/model';
import type { CertArtwork } from './render';
import { unprintable } from './render';
import { signCert, verifyUrl } from '../domain/certs/token';
import { certView } from '../domain/model';
import { downloadFile, initCloud } from '../infra/cloud';

/** Why this certificate cannot be handed out as an e-certificate now, or null. */
export function notDownloadable(cert: CertificateDoc, today: string): string | null {
  const status = certView(cert, today).status;
  if (status === 'cancelled') return '证书已注销，不能下载电子证书';
  if (status === 'expired') return `证书已于${cert.validUntil}过期，不能下载电子证书`;
  return null;
}

/** The holder's ID photo bytes, or null when none is on file or it cannot be read. */
export async function photoOf(member: Pick<MemberDoc, 'photo'> | null): Promise<Buffer | null> {
  if (!member?.photo) return null;
  try {
    return await downloadFile(member.photo);
  } catch {
    return null;
  }
}

export function artworkOf(
  cert: CertificateDoc,
  member: Pick<MemberDoc, 'gender'> | null,
  issuer: string,
  photo: Buffer | null,
  now: Date,
): { art: CertArtwork; token: string; url: string } {
  const token = signCert(cert.no);
  const url = verifyUrl(token);
  const art: CertArtwork = {
    holderName: cert.holderName,
    gender: member?.gender || 'male',
    idMasked: cert.idMasked,
    type: cert.type,
    no: cert.no,
    specialties: cert.specialties || [],
    unitName: cert.unitName,
    firstIssuedOn: cert.firstIssuedOn,
    ...(cert.renewedOn ? { renewedOn: cert.renewedOn } : {}),
    validUntil: cert.validUntil,
    issuer,
    photo,
    verifyUrl: url,
    generatedAt: now,
  };
  return { art, token, url };
}

/** The Chinese reason a certificate's text cannot be printed, or null. */
export function unprintableReason(cert: CertificateDoc, issuer: string): string | null {
  return unprintable({ holderName: cert.holderName, type: cert.type, specialties: cert.specialties || [], unitName: cert.unitName, issuer });
}

/** `姓名-证书编号.png`, with characters no file system accepts taken out. */
export function ecertFileName(cert: Pick<CertificateDoc, 'holderName' | 'no'>): string {
  const clean = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '').trim();
  return `${clean(cert.holderName) || '证书'}-${clean(cert.no)}.png`;
}

/** A temporary download URL for a stored file (2 hours). */
export async function tempUrl(fileID: string, maxAge = 7200): Promise<string> {
  const r = (await initCloud().getTempFileURL({ fileList: [{ fileID, maxAge }] })) as { fileList: { tempFileURL?: string }[] };
  return r.fileList?.[0]?.tempFileURL || '';
}
