/**
 * Notices (消息及通知): every status change a person or unit cares about is written as an in-app
 * notice in the same transaction as the change, with an outbox entry for the subscribe message.
 * After the transaction commits, `deliver()` sends what users subscribed to (one grant per message)
 * through the Messenger; what was not subscribed stays in-app only.
 */
import { createHash } from 'crypto';
import { shanghaiIso } from '../../../miniprogram/shared/dates';
import type { Database } from '../../infra/cloud';
import { fill, loadTemplates, messenger, TemplateKey } from '../../infra/messenger';
import type { RoleGrant } from '../../infra/roles';
import { C } from '../../infra/schema';
import { getDoc, inTransaction, newId, Tx } from '../../infra/store';

export interface NoticeDoc {
  _id: string;
  /** An OPENID, or `unit:<unitId>` for every admin of the unit. */
  to: string;
  template: TemplateKey;
  title: string;
  body: string;
  formId?: string;
  page: string;
  read: boolean;
  createdAt: Date;
}

/** Outbox ids written by this invocation (one request per instance), delivered after commit. */
const pending: string[] = [];

export const unitInbox = (unitId: string) => `unit:${unitId}`;

/** Forget outbox ids of an earlier invocation that failed (its transaction wrote nothing). */
export function discardPending(): void {
  pending.splice(0, pending.length);
}

export async function notify(
  t: Tx,
  to: string[],
  n: { template: TemplateKey; title: string; body: string; formId?: string; page?: string },
  now: Date,
  /** Once per key and recipient: a job run twice (a retried timer) does not notify twice. Answers the notices made. */
  onceKey?: string,
): Promise<number> {
  let made = 0;
  for (const recipient of [...new Set(to.filter(Boolean))]) {
    const id = onceKey ? createHash('sha256').update(`${onceKey}|${recipient}`).digest('hex').slice(0, 32) : newId();
    if (onceKey && (await getDoc<NoticeDoc>(t, C.notices, id))) continue;
    const notice: NoticeDoc = {
      _id: id,
      to: recipient,
      template: n.template,
      title: n.title,
      body: n.body,
      ...(n.formId ? { formId: n.formId } : {}),
      page: n.page || 'pages/home/index',
      read: false,
      createdAt: now,
    };
    await t.collection(C.notices).add({ data: notice });
    const outId = newId();
    await t
      .collection(C.outbox)
      .add({
        data: {
          _id: outId,
          noticeId: notice._id,
          to: recipient,
          template: n.template,
          status: 'pending',
          createdAt: now,
        },
      });
    pending.push(outId);
    made++;
  }
  return made;
}

/** Who an inbox reaches: the OPENID itself, or every admin of the unit. */
async function openidsOf(db: Database, to: string): Promise<string[]> {
  if (!to.startsWith('unit:')) return [to];
  const r = await db
    .collection(C.roles)
    .where({ scopeId: to.slice(5), role: 'unit_admin' })
    .limit(10)
    .get();
  return (r.data as RoleGrant[]).map((g) => g.openid);
}

/** Send (or keep) the subscribe messages of this invocation's notices. Failures never undo the change. */
export async function deliver(db: Database): Promise<void> {
  if (!pending.length) return;
  const ids = pending.splice(0, pending.length);
  let templates: Awaited<ReturnType<typeof loadTemplates>> | undefined;
  for (const id of ids) {
    try {
      const out = await getDoc<{ noticeId: string; to: string; template: TemplateKey }>(db, C.outbox, id);
      const notice = out && (await getDoc<NoticeDoc>(db, C.notices, out.noticeId));
      if (!out || !notice) continue;
      const results: { openid: string; result: string }[] = [];
      for (const openid of await openidsOf(db, out.to)) {
        // One accepted one-time subscription per message (WeChat's rule); none → in-app only.
        const granted = await inTransaction(db, async (t) => {
          const sub = await getDoc<{ grants: Record<string, number> }>(t, C.subscriptions, openid);
          const left = sub?.grants?.[out.template] || 0;
          if (left < 1) return false;
          await t
            .collection(C.subscriptions)
            .doc(openid)
            .set({ data: { grants: { ...sub?.grants, [out.template]: left - 1 }, updatedAt: new Date() } });
          return true;
        });
        if (!granted) {
          results.push({ openid, result: 'not-subscribed' });
          continue;
        }
        const cfg = (templates ||= await loadTemplates(db))[out.template];
        const data = fill(cfg, { title: notice.title, body: notice.body, time: shanghaiIso(notice.createdAt) });
        results.push({ openid, result: await messenger.send(openid, cfg.id, data, notice.page) });
      }
      await db
        .collection(C.outbox)
        .doc(id)
        .update({ data: { status: 'done', results, doneAt: new Date() } });
    } catch (e) {
      console.error('[notify] delivery failed', e);
      await db
        .collection(C.outbox)
        .doc(id)
        .update({ data: { status: 'failed', error: String((e as Error).message || e) } })
        .catch(() => undefined);
    }
  }
}
