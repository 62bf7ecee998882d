/**
 * The router as every function uses it: the infrastructure's `createMain` with the domain's
 * per-invocation hooks — notices' subscribe messages go out after the action's changes commit.
 */
import { createMain as routerMain, ActionDef } from '../infra/router';
import { deliver, discardPending } from './notices/notify';

export { action } from '../infra/router';
export type { Ctx } from '../infra/router';

export function createMain(actions: Record<string, ActionDef<any, any>>) {
  return routerMain(actions, { before: discardPending, after: deliver });
}
