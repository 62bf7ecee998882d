/** `codes`: unit admins issue join codes; anyone resolves a scanned code (SPEC §5). */
import type { Api } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { maskName } from '../../miniprogram/shared/id-number';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { checkAnyCode, issueCode } from '../domain/codes/codes';
import type { MemberDoc } from '../domain/model';
import { adminUnitId } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { getDoc } from '../infra/store';
import { ID, v } from '../infra/validate';

type Issue = Api['codes']['issue'];
type Resolve = Api['codes']['resolve'];

/** The codes a unit admin issues here (invitations are issued by `units` and `admin`). */
const UNIT_KINDS = ['join', 'join-simple', 'transfer', 'resign', 'id-update'] as const;

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
});
