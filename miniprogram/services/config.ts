/**
 * Where the mini-program's calls go. Chosen once, here:
 * - `cloudEnv` set → WeChat cloud development (production, trial builds);
 * - otherwise, in a develop build, the local server (`npm start`) at `localServer`.
 * Fill `cloudEnv` with the CloudBase environment id before uploading a release, and the subscribe-
 * message template ids the association applied for (empty: the page does not ask, notices stay in-app).
 */
export const config = {
  cloudEnv: '',
  localServer: 'http://127.0.0.1:8787',
  templates: {
    'review-result': '',
    'bill-due': '',
    'code-confirmed': '',
  } as Record<'review-result' | 'bill-due' | 'code-confirmed', string>,
};
