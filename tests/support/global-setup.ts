/** Jest global setup: the tests run the built function bundles, as production does — build them once. */
import { buildFunctions, buildMiniprogramNpm } from '../../scripts/build';

export default async function globalSetup(): Promise<void> {
  await buildFunctions();
  buildMiniprogramNpm();
}
