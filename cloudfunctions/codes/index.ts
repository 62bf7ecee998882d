/** `codes`: unit admins issue join codes; anyone resolves a scanned code (SPEC §5). */
import type { Api } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { maskName } from '../../miniprogram/shared/id-number';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { checkCode, issueCode } from '../common/codes';
import type { MemberDoc } from '../common/model';
import { adminUnitId } from '../common/roles';
import { action, createMain } from '../common/router';
import { C } from '../common/schema';
import { loadSettings } from '../common/settings';
import { getDoc } from '../common/store';
import { ID, v } from '../common/validate';

type Issue = Api['codes']['issue'];
type Resolve = Api['codes']['resolve'];

/** Kinds this release issues; transfer / resignation / ID supplement codes come with their flows. */
const ISSUABLE = ['join', 'join-simple'] as const;

export const main = createMain({
  issue: action(
    v.object({
      kind: v.oneOf(['join', 'join-simple', 'transfer', 'resign', 'id-update'] as const, '二维码类型'),
      memberId: v.optional(ID),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Issue['res']> {
        if (!(ISSUABLE as readonly string[]).includes(input.kind)) {
          throw new AppError('INVALID_INPUT', '该类型二维码暂未开放。', { kind: '该类型二维码暂未开放' });
        }
        const unitId = adminUnitId(ctx.roles);
        const settings = await loadSettings(ctx.db);
        const { doc, code } = await issueCode(ctx.db, {
          kind: input.kind,
          unitId,
          issuedBy: ctx.openid,
          ttlHours: settings.codeTtlHours,
          now: ctx.now,
        });
        return { code, scene: code, qrImage: doc.qrImage, expiresAt: shanghaiIso(doc.expiresAt) };
      },
    },
  ),

  resolve: action(v.object({ code: v.string({ min: 1, max: 64, label: '二维码' }) }), {
    auth: 'anyone',
    async handler(input, ctx): Promise<Resolve['res']> {
      const { doc, unit } = await checkCode(ctx.db, input.code, ctx.now);
      const out: Resolve['res'] = {
        kind: doc.kind,
        unit: { id: unit._id, name: unit.name },
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
