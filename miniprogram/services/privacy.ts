/**
 * The mini-program privacy guide (用户隐私保护指引, issue 10): every API the code calls that WeChat
 * counts as collecting personal information is declared in the console under the category listed
 * here (a test reads the code and fails on an API missing from this list). Before the first such
 * call WeChat asks `wx.onNeedPrivacyAuthorization`; the app answers by showing the privacy popup
 * (components/privacy-popup), whose agree button has `open-type="agreePrivacyAuthorization"`.
 */

/** API → the category declared in the console (设置 → 服务内容声明 → 用户隐私保护指引). */
export const PRIVACY_APIS: Record<string, string> = {
  chooseMedia: '选中的照片或视频',
  chooseMessageFile: '选中的文件',
  saveImageToPhotosAlbum: '相册（仅写入）权限',
  setClipboardData: '剪切板',
};

type Resolve = (r: { event: 'agree' | 'disagree'; buttonId?: string }) => void;

let waiting: Resolve | null = null;
const listeners = new Set<(show: boolean) => void>();

/** Pages' privacy popups subscribe here: shown while WeChat waits for the user's answer. */
export function onPrivacyPopup(listener: (show: boolean) => void): () => void {
  listeners.add(listener);
  if (waiting) listener(true);
  return () => listeners.delete(listener);
}

/** The user tapped the popup's agree button (open-type agreePrivacyAuthorization) or declined. */
export function answerPrivacy(agree: boolean, buttonId?: string): void {
  const resolve = waiting;
  waiting = null;
  for (const l of listeners) l(false);
  resolve?.(agree ? { event: 'agree', ...(buttonId ? { buttonId } : {}) } : { event: 'disagree' });
}

/** Registered once at launch: WeChat calls it before a privacy-relevant API runs. */
export function watchPrivacy(): void {
  const w = wx as unknown as { onNeedPrivacyAuthorization?: (cb: (resolve: Resolve) => void) => void };
  if (typeof w.onNeedPrivacyAuthorization !== 'function') return;
  w.onNeedPrivacyAuthorization((resolve) => {
    waiting = resolve;
    for (const l of listeners) l(true);
  });
}
