/**
 * `cert-lookup`: the busy public certificate paths (SPEC §3.5) in a light function — no fonts, no
 * renderer, no Excel — so a cold start is quick: `lookup` (by number, or name + ID number;
 * rate-limited per caller) and `verify` (a scanned QR token → live status). The same actions answer
 * as `certs.lookup` / `certs.verify` (SPEC §5's names).
 */
import { lookupAction, verifyAction } from '../domain/certs/public';
import { createMain } from '../domain/app';

export const main = createMain({
  lookup: lookupAction,
  verify: verifyAction,
});
