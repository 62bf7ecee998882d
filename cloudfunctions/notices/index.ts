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
import { actableStages } from '../domain/forms/queries';
import { countExpiring } from '../domain/roster/roster';
import type { NoticeDoc } from '../domain/notices/notify';
import { unitInbox } from '../domain/notices/notify';
import type { RoleGrant } from '../infra/roles';
import { grantOf } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C, CollectionName } from '../infra/schema';
import { getDoc, inTransaction, pageOf } from '../infra/store';
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
        const [list, unread] = await Promise.all([
          pageOf<NoticeDoc>(ctx.db, C.notices, where, { page, pageSize }),
          ctx.db.collection(C.notices).where({ to: _.in(mine), read: false }).count(),
        ]);
        return {
          items: list.docs.map((n) => ({
            id: n._id,
            title: n.title,
            body: n.body,
            ...(n.formId ? { formId: n.formId } : {}),
            page: n.page,
            read: n.read,
            forUnit: n.to.startsWith('unit:'),
            createdAt: shanghaiIso(n.createdAt),
          })),
          total: list.total,
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

  /**
   * 待办 on the home page: for each role the caller holds, how much work waits — forms at each
   * stage they act at (in their scope), and for a unit's admins the unit's returned forms, unpaid
   * bills, identity bindings to confirm and memberships ending within 30 days; for finance, paid
   * bills without an invoice (待开票); for the secretariat, units asked for by holders. Counts only:
   * the lists themselves are on their pages.
   */
  todo: action(v.object({}), {
    auth: 'user',
    async handler(_input, ctx): Promise<N['todo']['res']> {
      const count = (coll: CollectionName, where: Record<string, unknown>): Promise<number> =>
        ctx.db
          .collection(coll)
          .where(where)
          .count()
          .then((r: { total: number }) => r.total);
      const out: N['todo']['res'] = { stages: {} };
      const jobs: Promise<unknown>[] = actableStages(ctx.roles).map(async (s) => {
        out.stages[s.stage] = await count(C.forms, { ...s.where, status: s.stage });
      });
      const unit = grantOf(ctx.roles, 'unit_admin');
      if (unit) {
        const unitId = unit.scopeId;
        jobs.push(
          // Returned to the unit (a join form returned to its applicant waits on the applicant).
          count(C.forms, { unitId, status: 'returned', 'returned.to': 'unit' }).then((n) => (out.returned = n)),
          count(C.bills, { unitId, status: 'unpaid' }).then((n) => (out.unpaidBills = n)),
          count(C.bindRequests, { unitId, status: 'pending' }).then((n) => (out.bindRequests = n)),
          countExpiring(ctx.db, unitId, ctx.today).then((n) => (out.expiring = n)),
        );
      }
      if (grantOf(ctx.roles, 'finance'))
        jobs.push(count(C.bills, { status: ctx.db.command.in(['paid', 'confirmed']), invoicedAt: ctx.db.command.exists(false) }).then((n) => (out.uninvoiced = n)));
      if (grantOf(ctx.roles, 'secretariat')) jobs.push(count(C.unitRequests, { status: 'pending' }).then((n) => (out.unitRequests = n)));
      await Promise.all(jobs);
      return out;
    },
  }),

  /** The daily membership reminders, by hand (the cleanup timer runs them every day). */
  remind: action(v.object({}), {
    auth: ['secretariat'],
    async handler(_input, ctx): Promise<Api['notices']['remind']['res']> {
      return remindMemberships(ctx.db, ctx.today, ctx.now);
    },
  }),
});
