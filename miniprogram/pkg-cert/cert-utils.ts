/**
 * Helpers of the certificate pages (pkg-cert): status labels, the token inside a scanned URL, and
 * handing a downloaded file on (album, chat). Downloading a stored file is `services/upload`'s
 * `downloadStored`, which every subpackage can reach.
 */
import type { CertificateView, CertVerifyResult } from '../../typings/api';

export const CERT_STATUS_LABEL: Record<CertificateView['status'], string> = { valid: '有效', expired: '已过期', cancelled: '已注销' };
export const CERT_STATUS_THEME: Record<CertificateView['status'], 'success' | 'warning' | 'default'> = { valid: 'success', expired: 'warning', cancelled: 'default' };

export const VERIFY_TEXT: Record<CertVerifyResult['status'], { title: string; text: string }> = {
  valid: { title: '证书有效', text: '该证书由协会签发，目前在有效期内。' },
  expired: { title: '证书已过期', text: '该证书由协会签发，但已超过有效期。' },
  cancelled: { title: '证书已注销', text: '该证书由协会签发，但已被注销，不再有效。' },
  forged: { title: '验证未通过', text: '该二维码不是协会签发的证书验证码，或内容已被篡改，请勿采信。' },
};

/** A certificate as a card shows it. */
export function certCard(c: CertificateView) {
  return {
    ...c,
    statusLabel: CERT_STATUS_LABEL[c.status],
    statusTheme: CERT_STATUS_THEME[c.status],
    specialtyText: c.specialties.filter(Boolean).join('、') || '—',
  };
}
export type CertCard = ReturnType<typeof certCard>;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return s;
  }
}

/**
 * The verification token from whatever opened the page: `t` (our own links), `q` (a plain-URL QR
 * opened by WeChat: the whole URL, encoded), `scene` (a mini-program code), or a scanned text.
 */
export function tokenFrom(input: string | undefined): string {
  let s = String(input || '').trim();
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(s); i++) s = decode(s);
  const m = /[?&]t=([^&#\s]+)/.exec(s);
  return (m ? decode(m[1]) : s).trim();
}

export function tokenFromQuery(query: Record<string, string | undefined>): string {
  return tokenFrom(query.t || query.q || query.scene || '');
}

/** A client-made job id, so the page can poll progress while the batch call is still running. */
export function newJobId(): string {
  return `mp${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function sizeText(bytes: number | undefined): string {
  const n = bytes || 0;
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/**
 * Save an image to the album. When the user once refused the album permission, WeChat will not ask
 * again: offer the settings page instead.
 */
export function saveToAlbum(tempFilePath: string): Promise<'saved' | 'denied' | 'cancelled'> {
  return new Promise((resolve) =>
    wx.saveImageToPhotosAlbum({
      filePath: tempFilePath,
      success: () => resolve('saved'),
      fail: (e) => {
        const msg = String((e && e.errMsg) || '');
        if (/cancel/i.test(msg)) return resolve('cancelled');
        if (/auth|deny|denied/i.test(msg)) {
          wx.showModal({
            title: '需要相册权限',
            content: '保存电子证书需要“添加到相册”权限，请在设置中允许后再试。',
            confirmText: '去设置',
            success: (r) => {
              if (r.confirm) wx.openSetting({});
            },
          });
          return resolve('denied');
        }
        resolve('cancelled');
      },
    }),
  );
}

/** Send a downloaded file into a chat (e.g. 文件传输助手) — how a zip or an .xlsx reaches a computer. */
export function shareFile(tempFilePath: string, fileName: string): Promise<void> {
  return new Promise((resolve, reject) => wx.shareFileMessage({ filePath: tempFilePath, fileName, success: () => resolve(), fail: reject }));
}
