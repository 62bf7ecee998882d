/**
 * Where the mini-program's calls go. Chosen once, here:
 * - `cloudEnv` set → WeChat cloud development (production, trial builds);
 * - otherwise, in a develop build, the local server (`npm start`) at `localServer`.
 * Fill `cloudEnv` with the CloudBase environment id before uploading a release.
 */
export const config = {
  cloudEnv: '',
  localServer: 'http://127.0.0.1:8787',
};
