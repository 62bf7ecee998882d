/** `codes`: unit admins issue join codes; anyone resolves a scanned code (SPEC §5). */
import type { Api, CodeView } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { maskName } from '../../miniprogram/shared/id-number';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { checkAnyCode, issueCode } from '../domain/codes/codes';
import type { CodeDoc, MemberDoc } from '../domain/model';
import { adminUnitId } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { audit, getDoc, inTransaction, pageOf } from '../infra/store';
import { lockUnit } from '../domain/accounts/invitations';
import { CODE_KIND_LABEL } from '../../miniprogram/shared/labels';
import { ID, v } from '../infra/validate';

type Issue = Api['codes']['issue'];
type Resolve = Api['codes']['resolve'];

/** The codes a unit admin issues here (invitations are issued by `units` and `admin`). */
const UNIT_KINDS = ['join', 'join-simple', 'transfer', 'resign', 'id-update'] as const;
/** What `list` shows: the unit's own codes and the invitations to administer it. */
const LISTED_KINDS = [...UNIT_KINDS, 'sub-admin', 'role'] as const;

export const main = createMain({
  issue: action(
    v.object({
      kind: v.oneOf(UNIT_KINDS, '二维码类型'),
      memberId: v.optional(ID),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Issue['res']> {
        const unitId = adminUnitId(ctx.roles);
        const settings = await loadSettings(ctx.db);
        // A resignation code names one person of this unit (SPEC §3.4); the others are unit-wide.
        if (input.kind === 'resign') {
          if (!input.memberId) throw new AppError('INVALID_INPUT', '请选择离职人员。', { memberId: '请选择离职人员' });
          const m = await getDoc<MemberDoc>(ctx.db, C.members, input.memberId);
          if (!m || m.unitId !== unitId) throw new AppError('FORBIDDEN', '只能为本单位的人员生成离职码。');
        } else if (input.memberId) {
          throw new AppError('INVALID_INPUT', '只有离职码需要指定人员。', { memberId: '只有离职码需要指定人员' });
        }
        const { doc, code } = await issueCode(ctx.db, {
          kind: input.kind,
          unitId,
          ...(input.memberId ? { memberId: input.memberId } : {}),
          issuedBy: ctx.openid,
          ttlHours: input.kind === 'resign' ? settings.resignCodeTtlHours : settings.codeTtlHours,
          now: ctx.now,
        });
        return { code, scene: code, qrImage: doc.qrImage, expiresAt: shanghaiIso(doc.expiresAt) };
      },
    },
  ),

  resolve: action(v.object({ code: v.string({ min: 1, max: 64, label: '二维码' }) }), {
    auth: 'anyone',
    async handler(input, ctx): Promise<Resolve['res']> {
      const { doc, unit } = await checkAnyCode(ctx.db, input.code, ctx.now);
      // A role invitation outside any unit names the organisation (or the association) instead.
      const scope = unit ? null : doc.scopeId ? await getDoc<{ name: string }>(ctx.db, C.orgs, doc.scopeId) : null;
      const out: Resolve['res'] = {
        kind: doc.kind,
        unit: unit ? { id: unit._id, name: unit.name } : { id: doc.scopeId || '', name: scope?.name || '协会秘书处' },
        ...(doc.role ? { role: doc.role } : {}),
        expiresAt: shanghaiIso(doc.expiresAt),
      };
      if (doc.memberId) {
        const m = await getDoc<MemberDoc>(ctx.db, C.members, doc.memberId);
        if (m) out.member = { id: m._id, maskedName: maskName(m.name) };
      }
      return out;
    },
  }),

  /** The codes this unit issued (every kind, invitations too), newest first, with their state. */
  list: action(
    v.object({
      kind: v.optional(v.oneOf(LISTED_KINDS, '二维码类型')),
      state: v.optional(v.oneOf(['active', 'used', 'revoked', 'expired'] as const, '状态')),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api['codes']['list']['res']> {
        const unitId = adminUnitId(ctx.roles);
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const _ = ctx.db.command;
        const where: Record<string, unknown> = { unitId, kind: input.kind || _.in([...LISTED_KINDS]) };
        if (input.state === 'active') Object.assign(where, { usedAt: _.exists(false), revokedAt: _.exists(false), expiresAt: _.gt(ctx.now) });
        if (input.state === 'used') where.usedAt = _.exists(true);
        if (input.state === 'revoked') where.revokedAt = _.exists(true);
        if (input.state === 'expired') Object.assign(where, { usedAt: _.exists(false), revokedAt: _.exists(false), expiresAt: _.lte(ctx.now) });
        const { docs, total } = await pageOf<CodeDoc>(ctx.db, C.codes, where, { page, pageSize, orderBy: 'issuedAt' });
        const named = docs.filter((d) => d.memberId).map((d) => d.memberId as string);
        const members = named.length
          ? ((await ctx.db.collection(C.members).where({ _id: _.in(named) }).limit(50).get()).data as MemberDoc[])
          : [];
        return {
          items: docs.map((d) => codeView(d, ctx.now, members.find((m) => m._id === d.memberId))),
          total,
          page,
          pageSize,
        };
      },
    },
  ),

  /** Withdraw one of the unit's codes: scanning it afterwards answers CODE_INVALID. */
  revoke: action(v.object({ codeId: v.string({ min: 10, max: 10, pattern: /^[0-9A-Za-z]{10}$/, label: '二维码编号' }) }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<Api['codes']['revoke']['res']> {
      const unitId = adminUnitId(ctx.roles);
      const found = await getDoc<CodeDoc>(ctx.db, C.codes, input.codeId);
      if (!found || found.unitId !== unitId) throw new AppError('NOT_FOUND', '该二维码不存在或不是本单位签发的。');
      let after = found;
      await inTransaction(ctx.db, async (t) => {
        const cur = await getDoc<CodeDoc>(t, C.codes, found._id);
        if (!cur || cur.revokedAt) throw new AppError('CONFLICT', '该二维码已撤销。');
        if (cur.usedAt) throw new AppError('CONFLICT', '该二维码已使用，无需撤销。');
        // Invitations count against the unit's admin slots: their changes serialise on the unit.
        if (cur.kind === 'sub-admin' || cur.kind === 'role') await lockUnit(t, unitId);
        await t
          .collection(C.codes)
          .doc(cur._id)
          .update({ data: { revokedAt: ctx.now, revokedBy: ctx.openid } });
        await audit(t, {
          targetType: 'code',
          targetId: cur._id,
          action: 'revoke',
          actor: ctx.openid,
          role: 'unit_admin',
          from: 'active',
          to: 'revoked',
          remark: `撤销${CODE_KIND_LABEL[cur.kind]}`,
          at: ctx.now,
        });
        after = { ...cur, revokedAt: ctx.now };
      });
      return codeView(after, ctx.now);
    },
  }),
});

function codeView(d: CodeDoc, now: Date, member?: MemberDoc): CodeView {
  const state: CodeView['state'] = d.revokedAt
    ? 'revoked'
    : d.usedAt
      ? 'used'
      : new Date(d.expiresAt).getTime() <= now.getTime()
        ? 'expired'
        : 'active';
  return {
    id: d._id,
    kind: d.kind,
    state,
    ...(member ? { member: { id: member._id, maskedName: maskName(member.name) } } : {}),
    issuedAt: shanghaiIso(new Date(d.issuedAt)),
    expiresAt: shanghaiIso(new Date(d.expiresAt)),
    ...(d.usedAt ? { usedAt: shanghaiIso(new Date(d.usedAt)) } : {}),
    ...(d.revokedAt ? { revokedAt: shanghaiIso(new Date(d.revokedAt)) } : {}),
  };
}
