/**
 * `notices` (消息及通知): the caller's notices — addressed to them, or to a unit they administer —
 * with unread counts; marking read; and recording the one-time subscribe-message grants the user
 * accepted right after a tap (wx.requestSubscribeMessage, at most 3 templates a request).
 */
import type { Api } from '../../typings/api';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { AppError } from '../../miniprogram/shared/errors';
import { TEMPLATES } from '../infra/messenger';
import { remindMemberships } from '../domain/membership/reminders';
import type { NoticeDoc } from '../domain/notices/notify';
import { unitInbox } from '../domain/notices/notify';
import type { RoleGrant } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { getDoc, inTransaction } from '../infra/store';
import { ID, v } from '../infra/validate';

type N = Api['notices'];

function inboxes(openid: string, roles: RoleGrant[]): string[] {
  return [openid, ...roles.filter((r) => r.role === 'unit_admin').map((r) => unitInbox(r.scopeId))];
}

export const main = createMain({
  list: action(
    v.object({
      unreadOnly: v.optional(v.oneOf(['yes'] as const, '筛选')),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<N['list']['res']> {
        const _ = ctx.db.command;
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const mine = inboxes(ctx.openid, ctx.roles);
        const where: Record<string, unknown> = { to: _.in(mine) };
        if (input.unreadOnly) where.read = false;
        const coll = ctx.db.collection(C.notices);
        const [list, total, unread] = await Promise.all([
          coll
            .where(where)
            .orderBy('createdAt', 'desc')
            .skip((page - 1) * pageSize)
            .limit(pageSize)
            .get(),
          coll.where(where).count(),
          coll.where({ to: _.in(mine), read: false }).count(),
        ]);
        return {
          items: (list.data as NoticeDoc[]).map((n) => ({
            id: n._id,
            title: n.title,
            body: n.body,
            ...(n.formId ? { formId: n.formId } : {}),
            page: n.page,
            read: n.read,
            forUnit: n.to.startsWith('unit:'),
            createdAt: shanghaiIso(n.createdAt),
          })),
          total: total.total,
          unread: unread.total,
          page,
          pageSize,
        };
      },
    },
  ),

  read: action(v.object({ ids: v.list(ID, { min: 1, max: 50, label: '消息' }) }), {
    auth: 'user',
    async handler(input, ctx): Promise<N['read']['res']> {
      const mine = new Set(inboxes(ctx.openid, ctx.roles));
      let changed = 0;
      for (const id of input.ids) {
        const n = await getDoc<NoticeDoc>(ctx.db, C.notices, id);
        if (!n || !mine.has(n.to)) throw new AppError('NOT_FOUND', '消息不存在。');
        if (!n.read) {
          await ctx.db
            .collection(C.notices)
            .doc(id)
            .update({ data: { read: true, readAt: ctx.now, readBy: ctx.openid } });
          changed++;
        }
      }
      return { changed };
    },
  }),

  subscribe: action(
    v.object({ accepted: v.list(v.oneOf(TEMPLATES, '消息模板'), { min: 1, max: 3, label: '消息模板' }) }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<N['subscribe']['res']> {
        // Each accepted one-time subscription allows exactly one message of that template.
        const grants = await inTransaction(ctx.db, async (t) => {
          const cur = (await getDoc<{ grants: Record<string, number> }>(t, C.subscriptions, ctx.openid))?.grants || {};
          const next = { ...cur };
          for (const key of input.accepted) next[key] = (next[key] || 0) + 1;
          await t
            .collection(C.subscriptions)
            .doc(ctx.openid)
            .set({ data: { grants: next, updatedAt: ctx.now } });
          return next;
        });
        return { grants };
      },
    },
  ),

  /** The daily membership reminders, by hand (the cleanup timer runs them every day). */
  remind: action(v.object({}), {
    auth: ['secretariat'],
    async handler(_input, ctx): Promise<Api['notices']['remind']['res']> {
      return remindMemberships(ctx.db, ctx.today, ctx.now);
    },
  }),
});
