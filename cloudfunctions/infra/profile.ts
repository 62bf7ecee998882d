/**
 * The active association profile (issue 12): `MSP_PROFILE` in the function's environment
 * (cloudbaserc.json sets it for every function; the local server passes its own), default the
 * construction association. An unknown name fails every call with MISCONFIGURED, logged once.
 */
import { AssociationProfile, profileOf } from '../../miniprogram/shared/association';
import { AppError } from '../../miniprogram/shared/errors';

let logged = false;

export function activeProfile(): AssociationProfile {
  try {
    return profileOf(process.env.MSP_PROFILE);
  } catch (e) {
    if (!logged) {
      logged = true;
      console.error((e as Error).message);
    }
    throw new AppError('MISCONFIGURED', '协会配置（MSP_PROFILE）不正确，请联系协会管理员。');
  }
}
