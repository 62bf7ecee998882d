/** `members`: apply to join with a unit's code; read one's own record (SPEC §3.2, §5). */
import type { Api, Role } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { checkCode } from '../common/codes';
import { checkFiles, cleanFiles } from '../common/files';
import { checkApplication, joinPendingKey, newId, personFrom } from '../common/join';
import {
  CertificateDoc,
  certView,
  FormDoc,
  formSummary,
  MemberDoc,
  StudyDoc,
  studyView,
  SUMMARY_FIELDS,
  UnitDoc,
} from '../common/model';
import { action, createMain, toApiError } from '../common/router';
import { C } from '../common/schema';
import { audit, getDoc, inTransaction, nextFormNo } from '../common/store';
import { v } from '../common/validate';

type Apply = Api['members']['apply'];
type Me = Api['members']['me'];

export const main = createMain({
  apply: action(
    v.object({
      code: v.string({ min: 1, max: 64, label: '二维码' }),
      level: v.oneOf(['ordinary', 'professional'] as const, '会员级别'),
      profile: v.record('个人信息'),
      files: v.record('附件'),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Apply['res']> {
        const { doc: code, unit } = await checkCode(ctx.db, input.code, ctx.now, ['join', 'join-simple']);
        const files = cleanFiles(input.files);
        const profile = checkApplication(input.profile, files, code.kind, ctx.today);
        await checkFiles(files);
        const person = personFrom(profile, files);
        const existing = await ctx.db.collection(C.members).where({ idHash: person.idHash }).limit(1).get();
        if (existing.data.length) throw new AppError('DUPLICATE', '该证件号码已是本会会员，无需重复入会。');

        const form: FormDoc = {
          _id: newId(),
          no: '',
          type: 'join',
          status: 'unit_review',
          unitId: unit._id,
          unitName: unit.name,
          orgId: unit.orgId,
          applicantOpenid: ctx.openid,
          level: input.level,
          codeKind: code.kind,
          people: [person],
          personHashes: [person.idHash],
          personNames: [person.name],
          billIds: [],
          amountDue: 0,
          trail: [
            {
              at: ctx.now,
              by: ctx.openid,
              role: 'applicant',
              from: 'draft',
              to: 'unit_review',
              remark: '扫码提交入会申请',
            },
          ],
          version: 1,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          pendingKey: joinPendingKey(person.idHash),
        };
        try {
          await inTransaction(ctx.db, async (t) => {
            form.no = await nextFormNo(t, 'join', ctx.now);
            await t.collection(C.forms).add({ data: form });
            await audit(t, {
              targetType: 'form',
              targetId: form._id,
              action: 'apply',
              actor: ctx.openid,
              role: 'applicant',
              from: 'draft',
              to: 'unit_review',
              remark: `入会申请 ${form.no}`,
              at: ctx.now,
            });
          });
        } catch (e) {
          if (toApiError(e).code === 'DUPLICATE')
            throw new AppError('DUPLICATE', '该证件号码已有一份入会申请正在办理中，请勿重复提交。');
          throw e;
        }
        return { formId: form._id, formNo: form.no };
      },
    },
  ),

  me: action(v.object({}), {
    auth: 'user',
    async handler(_input, ctx): Promise<Me['res']> {
      const [memberRes, formsRes] = await Promise.all([
        ctx.db.collection(C.members).where({ openid: ctx.openid }).limit(1).get(),
        ctx.db
          .collection(C.forms)
          .where({ applicantOpenid: ctx.openid })
          .orderBy('createdAt', 'desc')
          .limit(20)
          .field(SUMMARY_FIELDS)
          .get(),
      ]);
      const m = memberRes.data[0] as MemberDoc | undefined;
      const forms = (formsRes.data as FormDoc[]).map(formSummary);
      let member: Me['res']['member'] = null;
      if (m) {
        const unit = m.unitId ? await getDoc<UnitDoc>(ctx.db, C.units, m.unitId) : null;
        const inFlight = forms.find((f) => f.status !== 'approved');
        member = {
          id: m._id,
          name: m.name,
          gender: m.gender,
          idMasked: m.idMasked,
          phone: m.phone,
          unit: unit ? { id: unit._id, name: unit.name } : null,
          memberships: m.memberships.map((x) => ({ level: x.level, validUntil: x.validUntil })),
          state: inFlight ? inFlight.type : 'free',
        };
      }
      const roles = await Promise.all(
        ctx.roles.map(async (g) => {
          const scopeName =
            g.role === 'unit_admin'
              ? (await getDoc<UnitDoc>(ctx.db, C.units, g.scopeId))?.name
              : g.role === 'org_reviewer'
                ? (await getDoc<{ name: string }>(ctx.db, C.orgs, g.scopeId))?.name
                : undefined;
          return {
            role: g.role as Role,
            ...(g.scopeId ? { scopeId: g.scopeId } : {}),
            ...(scopeName ? { scopeName } : {}),
            ...(g.role === 'unit_admin' ? { main: !!g.main } : {}),
          };
        }),
      );
      const certificates = m
        ? (
            (await ctx.db.collection(C.certificates).where({ memberId: m._id }).limit(50).get())
              .data as CertificateDoc[]
          ).map((c) => certView(c, ctx.today))
        : [];
      const studies = m
        ? (
            (await ctx.db.collection(C.studies).where({ memberId: m._id }).orderBy('createdAt', 'desc').limit(20).get())
              .data as StudyDoc[]
          ).map(studyView)
        : [];
      return { member, forms, certificates, studies, roles };
    },
  }),
});
