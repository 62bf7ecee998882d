/** `members`: apply to join with a unit's code; read one's own record (SPEC §3.2, §5). */
import type { Api, BindRequestView, Role } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { initCloud } from '../infra/cloud';
import type { Database } from '../infra/cloud';
import { requireFree } from '../domain/business/business';
import { maskName } from '../../miniprogram/shared/id-number';
import { notify, unitInbox } from '../domain/notices/notify';
import { idCardOcr } from '../infra/ocr';
import { idHash } from '../infra/pii';
import { checkCode } from '../domain/codes/codes';
import { hasValidMembership, joinedOn, ROSTER_FILTER, RosterEntry, rosterPages } from '../domain/roster/roster';
import { adminUnitId } from '../infra/roles';
import { fullYears, shanghaiIso } from '../../miniprogram/shared/dates';
import { cleanFiles, FILES_INPUT } from '../infra/files';
import { attach, checkOwnFiles, fileDoc, idsOf } from '../domain/files/files';
import { PROFILE_INPUT } from '../domain/join/input';
import { checkApplication, joinPendingKey, personFrom, requireJoinable } from '../domain/join/join';
import {
  BusyDoc,
  CertificateDoc,
  certView,
  CodeDoc,
  FormDoc,
  formSummary,
  formView,
  personSummary,
  MemberDoc,
  StudyDoc,
  studyView,
  SUMMARY_FIELDS,
  UnitDoc,
} from '../domain/model';
import { action, createMain } from '../domain/app';
import { toApiError } from '../infra/router';
import { C } from '../infra/schema';
import { audit, getDoc, inTransaction, newId, pageOf } from '../infra/store';
import { takeToken } from '../infra/rate-limit';
import { draftRenewal, submitRenewal } from '../domain/membership/forms';
import { memberHistory } from '../domain/membership/history';
import { changeFiles, createChangeForm } from '../domain/membership/info-change';
import { CHANGE_INPUT } from '../domain/join/input';
import { billsOf } from '../domain/forms/queries';
import { bindOpenid } from '../domain/members/binding';
import { memberOfOpenid } from '../domain/forms/queries';
import { normalizePhone } from '../domain/accounts/invitations';
import { nextFormNo } from '../domain/forms/engine';
import { claimPending } from '../domain/forms/pending';
import { FILE_ID, ID, v } from '../infra/validate';
import { activeProfile } from '../infra/profile';
import { associationView } from '../../miniprogram/shared/association';
import { issuerName } from '../domain/certs/public';
import { DETAILS_INPUT, holderType, registrationOptions, startRegistration } from '../domain/registration/registration';

type Apply = Api['members']['apply'];
type Me = Api['members']['me'];

const CODE = v.string({ min: 1, max: 64, label: '二维码' });

export const main = createMain({
  apply: action(
    v.object({
      code: v.string({ min: 1, max: 64, label: '二维码' }),
      level: v.oneOf(['ordinary', 'professional'] as const, '会员级别'),
      profile: PROFILE_INPUT,
      files: FILES_INPUT,
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Apply['res']> {
        const { doc: code, unit } = await checkCode(ctx.db, input.code, ctx.now, ['join', 'join-simple']);
        const files = cleanFiles(input.files);
        const profile = checkApplication(input.profile, files, code.kind, ctx.today, input.level);
        await checkOwnFiles(ctx.db, files, ctx.openid);
        const person = personFrom(profile, files);
        // An ordinary member joining as a professional member (issue 11, manual 2.11.2.1): the same
        // record gains the professional membership; the registration certificate is required.
        const bound = (await memberOfOpenid(ctx.db, ctx.openid)) as MemberDoc | null;
        const upgrade = input.level === 'professional' && !!bound && bound.idHash === person.idHash;
        if (upgrade) {
          const m = bound as MemberDoc;
          const pro = m.memberships.find((x) => x.level === 'professional');
          if (pro) throw new AppError('DUPLICATE', '您已是专业会员，会籍到期请缴纳专业会员会费续期。');
          if (m.unitId !== unit._id)
            throw new AppError('NOT_ELIGIBLE', `您的会员记录不在${unit.name}：请先扫描该单位的变更码变更到本单位，再申请专业会员。`);
          if (!files.qualificationCert)
            throw new AppError('INVALID_INPUT', '请上传注册监理工程师注册证书', { 'files.qualificationCert': '请上传注册证书' });
        } else await requireJoinable(ctx.db, person.idHash, ctx.openid);

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
          pendingKey: upgrade ? `join-pro:${person.idHash}` : joinPendingKey(person.idHash),
          ...(upgrade ? { upgradeOf: (bound as MemberDoc)._id } : {}),
        };
        try {
          await inTransaction(ctx.db, async (t) => {
            await claimPending(t, form.pendingKey as string, form._id, ctx.now, '该证件号码已有一份入会申请正在办理中，请勿重复提交。');
            await attach(t, idsOf(files), { formId: form._id });
            // The day's counter last: the busiest document is held for the shortest time.
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
      // My applications plus the business forms my unit started for me, newest first — on a form
      // that names co-workers too, only my own entry (issue 9).
      const mine = (formsRes.data as FormDoc[]).map((f) => ({ f, s: formSummary(f) }));
      if (m) {
        const forMe = await ctx.db
          .collection(C.forms)
          .where({ memberIds: m._id })
          .orderBy('createdAt', 'desc')
          .limit(20)
          .field(SUMMARY_FIELDS)
          .get();
        for (const f of forMe.data as FormDoc[])
          if (!mine.some((x) => x.f._id === f._id) && f.status !== 'draft')
            mine.push({ f, s: personSummary(f, (f.memberIds || []).indexOf(m._id)) });
        mine.sort((a, b) => +new Date(b.f.createdAt) - +new Date(a.f.createdAt));
      }
      const forms = mine.slice(0, 20).map((x) => x.s);
      let member: Me['res']['member'] = null;
      if (m) {
        const unit = m.unitId ? await getDoc<UnitDoc>(ctx.db, C.units, m.unitId) : null;
        // 自由态 unless business is in flight (the busy registry, studies included) or an application.
        const busy = await getDoc<BusyDoc>(ctx.db, C.busy, m._id);
        const inFlight = busy?.entries?.[0] || forms.find((f) => f.status !== 'approved');
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
      const history = m ? await memberHistory(ctx.db, m._id) : [];
      return { member, forms, certificates, studies, roles, history, association: associationView(activeProfile(), await issuerName(ctx.db)) };
    },
  }),

  confirmTransfer: action(v.object({ code: CODE }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api['members']['confirmTransfer']['res']> {
      const { unit } = await checkCode(ctx.db, input.code, ctx.now, ['transfer']);
      const me = await myMember(ctx.db, ctx.openid);
      if (me.unitId === unit._id) throw new AppError('CONFLICT', `您已是${unit.name}的会员，无需变更。`);
      await moveMember(ctx.db, ctx, me, unit._id, unit.name, 'transfer');
      return { unit: { id: unit._id, name: unit.name } };
    },
  }),

  confirmResign: action(v.object({ code: CODE }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api['members']['confirmResign']['res']> {
      const { doc, unit } = await checkCode(ctx.db, input.code, ctx.now, ['resign']);
      const me = (await ctx.db.collection(C.members).where({ openid: ctx.openid }).limit(1).get()).data[0] as
        MemberDoc | undefined;
      // Only the person the code names may confirm it (SPEC §3.4).
      if (!me || me._id !== doc.memberId) throw new AppError('FORBIDDEN', '该离职码只能由离职人员本人扫码确认。');
      // Whoever loses a race for the code hears CODE_USED, whatever the timing (issue 9): the
      // code is checked first inside the transaction, and a give-up after conflicts looks again.
      try {
        await moveMember(ctx.db, ctx, { ...me, unitId: unit._id }, null, unit.name, 'resign', doc._id);
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFLICT' && (await getDoc<CodeDoc>(ctx.db, C.codes, doc._id))?.usedAt)
          throw new AppError('CODE_USED');
        throw e;
      }
      return { unit: null };
    },
  }),

  idLookup: action(
    v.object({
      code: CODE,
      name: v.string({ min: 2, max: 30, label: '姓名' }),
      idNumber: v.string({ min: 5, max: 30, label: '证件号码' }),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api['members']['idLookup']['res']> {
        const { doc: code, unit } = await checkCode(ctx.db, input.code, ctx.now, ['id-update']);
        // Not an oracle (issue 9): a few tries per caller and per code, whatever the answer.
        await takeToken(ctx.db, 'id-lookup', ctx.openid, ctx.now, ID_LOOKUP_BURST, ID_LOOKUP_REFILL_SECONDS);
        await takeToken(ctx.db, 'id-lookup-code', code._id, ctx.now, ID_LOOKUP_CODE_BURST, ID_LOOKUP_REFILL_SECONDS);
        const m = await findForSupplement(ctx.db, unit._id, input.name, input.idNumber);
        return {
          memberId: m._id,
          maskedName: maskName(m.name),
          idMasked: m.idMasked,
          hasIdCard: !!(m.idFront && m.idBack),
          boundToYou: m.openid === ctx.openid,
          bound: !!m.openid,
        };
      },
    },
  ),

  /**
   * An old-system member supplements the ID card and asks to bind this WeChat to their record. The
   * phone entered must be the one on record (proof the record's owner has), and the binding takes
   * effect only when the unit's admin confirms it (`decideBind`) — issue 9.
   */
  idSupplement: action(
    v.object({
      code: CODE,
      name: v.string({ min: 2, max: 30, label: '姓名' }),
      idNumber: v.string({ min: 5, max: 30, label: '证件号码' }),
      phone: v.string({ min: 11, max: 11, pattern: /^1[3-9]\d{9}$/, label: '手机号码' }),
      files: FILES_INPUT,
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api['members']['idSupplement']['res']> {
        const { doc: code, unit } = await checkCode(ctx.db, input.code, ctx.now, ['id-update']);
        const files = cleanFiles(input.files);
        const missing: Record<string, string> = {};
        if (!files.idFront) missing['files.idFront'] = '请上传身份证人像面';
        if (!files.idBack) missing['files.idBack'] = '请上传身份证国徽面';
        if (Object.keys(missing).length) throw new AppError('INVALID_INPUT', Object.values(missing)[0], missing);
        await takeToken(ctx.db, 'id-lookup', ctx.openid, ctx.now, ID_LOOKUP_BURST, ID_LOOKUP_REFILL_SECONDS);
        await takeToken(ctx.db, 'id-lookup-code', code._id, ctx.now, ID_LOOKUP_CODE_BURST, ID_LOOKUP_REFILL_SECONDS);
        await checkOwnFiles(ctx.db, { idFront: files.idFront, idBack: files.idBack }, ctx.openid);
        const m = await findForSupplement(ctx.db, unit._id, input.name, input.idNumber);
        if (m.openid && m.openid !== ctx.openid)
          throw new AppError('CONFLICT', '该会员记录已绑定其他微信，请联系协会秘书处解绑后再补充。');
        if (m.openid === ctx.openid) throw new AppError('CONFLICT', '该会员记录已绑定您的微信，无需重复补充。');
        const other = await memberOfOpenid(ctx.db, ctx.openid);
        if (other && other._id !== m._id) throw new AppError('CONFLICT', '您的微信已绑定另一条会员记录。');
        if (!m.phone || normalizePhone(m.phone) !== normalizePhone(input.phone))
          throw new AppError('NOT_ELIGIBLE', '手机号码与会员登记的手机号不一致，请联系单位管理员核实后再补充。', {
            phone: '与登记的手机号不一致',
          });
        const req: BindRequestDoc = {
          _id: newId(),
          memberId: m._id,
          unitId: unit._id,
          openid: ctx.openid,
          name: m.name,
          idMasked: m.idMasked,
          files: { idFront: files.idFront as string, idBack: files.idBack as string },
          status: 'pending',
          createdAt: ctx.now,
        };
        await inTransaction(ctx.db, async (t) => {
          await t.collection(C.bindRequests).add({ data: req });
          // The unit's admins may see the uploaded pictures to confirm the request.
          await attach(t, [req.files.idFront, req.files.idBack], { memberId: m._id });
          await audit(t, {
            targetType: 'member',
            targetId: m._id,
            action: 'bind-request',
            actor: ctx.openid,
            role: 'member',
            remark: `扫码补充身份证，申请绑定微信（${unit.name}），待单位确认`,
            at: ctx.now,
          });
          await notify(
            t,
            [unitInbox(unit._id)],
            {
              template: 'code-confirmed',
              title: '会员身份资料待确认',
              body: `${m.name}（${m.idMasked}）补充了身份证并申请绑定微信，请核实后确认`,
              page: 'pkg-unit/bind-requests/index',
            },
            ctx.now,
          );
        });
        return { memberId: m._id, requestId: req._id, status: 'pending' };
      },
    },
  ),

  /** Unit admin: the ID-supplement binding requests of the unit's people. */
  bindRequests: action(
    v.object({
      status: v.optional(v.oneOf(['pending', 'approved', 'refused'] as const, '状态')),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api['members']['bindRequests']['res']> {
        const unitId = adminUnitId(ctx.roles);
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where = { unitId, status: input.status || 'pending' };
        const { docs, total } = await pageOf<BindRequestDoc>(ctx.db, C.bindRequests, where, { page, pageSize });
        return { items: docs.map(bindRequestView), total, page, pageSize };
      },
    },
  ),

  /** Unit admin: confirm (the binding takes effect) or refuse an ID-supplement binding request. */
  decideBind: action(
    v.object({
      requestId: ID,
      decision: v.oneOf(['approve', 'refuse'] as const, '处理结果'),
      reason: v.optional(v.string({ min: 2, max: 200, label: '原因' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api['members']['decideBind']['res']> {
        const unitId = adminUnitId(ctx.roles);
        const found = await getDoc<BindRequestDoc>(ctx.db, C.bindRequests, input.requestId);
        if (!found || found.unitId !== unitId) throw new AppError('NOT_FOUND', '该申请不存在或不属于本单位。');
        if (input.decision === 'refuse' && !input.reason)
          throw new AppError('INVALID_INPUT', '请填写不予确认的原因', { reason: '请填写原因' });
        let view = bindRequestView(found);
        await inTransaction(ctx.db, async (t) => {
          const req = await getDoc<BindRequestDoc>(t, C.bindRequests, found._id);
          if (!req || req.status !== 'pending') throw new AppError('CONFLICT', '该申请已处理，请刷新后查看。');
          const decided = { decidedAt: ctx.now, decidedBy: ctx.openid, ...(input.reason ? { reason: input.reason } : {}) };
          if (input.decision === 'approve') {
            const m = await getDoc<MemberDoc>(t, C.members, req.memberId);
            if (!m || m.unitId !== unitId) throw new AppError('CONFLICT', '该会员已不在本单位。');
            if (m.openid && m.openid !== req.openid)
              throw new AppError('CONFLICT', '该会员记录已绑定其他微信，请联系协会秘书处解绑后再确认。');
            await bindOpenid(t, req.openid, m._id, ctx.now);
            await t
              .collection(C.members)
              .doc(m._id)
              .update({
                data: { idFront: req.files.idFront, idBack: req.files.idBack, openid: req.openid, idSupplementedAt: ctx.now, updatedAt: ctx.now },
              });
          }
          const status = input.decision === 'approve' ? 'approved' : 'refused';
          await t.collection(C.bindRequests).doc(req._id).update({ data: { status, ...decided } });
          view = bindRequestView({ ...req, status, ...decided });
          await audit(t, {
            targetType: 'member',
            targetId: req.memberId,
            action: input.decision === 'approve' ? 'id-supplement' : 'bind-refused',
            actor: ctx.openid,
            role: 'unit_admin',
            remark:
              input.decision === 'approve'
                ? `单位确认：补充身份证照片并绑定微信`
                : `单位不予确认绑定：${input.reason}`,
            at: ctx.now,
          });
          await notify(
            t,
            [req.openid],
            {
              template: 'code-confirmed',
              title: input.decision === 'approve' ? '身份资料已确认' : '身份资料未通过确认',
              body: input.decision === 'approve' ? `${req.name}的会员记录已绑定您的微信` : `原因：${input.reason}`,
            },
            ctx.now,
          );
        });
        return view;
      },
    },
  ),

  ocrIdCard: action(v.object({ fileID: FILE_ID, side: v.oneOf(['front', 'back'] as const, '证件面') }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api['members']['ocrIdCard']['res']> {
      // Only one's own upload: OCR reads the ID card on the picture, sensitive data (issue 9).
      const doc = await fileDoc(ctx.db, input.fileID);
      if (!doc || doc.openid !== ctx.openid) throw new AppError('FORBIDDEN', '只能识别您本人上传的证件照片。');
      const url =
        ((await initCloud().getTempFileURL({ fileList: [input.fileID] })) as { fileList: { tempFileURL: string }[] })
          .fileList[0]?.tempFileURL || '';
      return idCardOcr.recognize(url, input.side);
    },
  }),

  roster: action(
    v.object({
      filter: v.optional(ROSTER_FILTER),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 100, label: '每页条数' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<Api['members']['roster']['res']> {
        const unitId = adminUnitId(ctx.roles);
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        // Certificate and join-date filters are decided after the read, so the page is cut from the
        // filtered stream; a unit has thousands of people at most and the stream holds one chunk.
        const from = (page - 1) * pageSize;
        const slice: RosterEntry[] = [];
        let total = 0;
        for await (const chunk of rosterPages(ctx.db, unitId, input.filter || {}, ctx.today)) {
          for (const e of chunk) {
            if (total >= from && slice.length < pageSize) slice.push(e);
            total++;
          }
        }
        const busy = slice.length
          ? ((
              await ctx.db
                .collection(C.busy)
                .where({ _id: ctx.db.command.in(slice.map((e) => e.member._id)) })
                .limit(100)
                .get()
            ).data as BusyDoc[])
          : [];
        const items = slice.map(({ member: m, certs }) => ({
          memberId: m._id,
          name: m.name,
          gender: m.gender,
          idMasked: m.idMasked,
          phone: m.phone,
          age: fullYears(m.birthDate, ctx.today),
          ...(m.education ? { education: m.education } : {}),
          ...(m.title ? { title: m.title } : {}),
          memberships: (m.memberships || []).map((x) => ({ level: x.level, validUntil: x.validUntil })),
          lapsed: !hasValidMembership(m, ctx.today),
          joinedOn: joinedOn(m),
          state: busy.find((b) => b._id === m._id)?.entries?.[0]?.type || ('free' as const),
          certificates: certs.map((c) => certView(c, ctx.today)),
        }));
        return { items, total, page, pageSize };
      },
    },
  ),

  /** 个人会员费缴纳 for oneself (issue 11): a renewal form with one bill the member pays. */
  renew: action(v.object({ level: v.oneOf(['ordinary', 'professional'] as const, '会员级别') }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api['members']['renew']['res']> {
      const me = await myMember(ctx.db, ctx.openid);
      const unit = me.unitId ? await getDoc<UnitDoc>(ctx.db, C.units, me.unitId) : null;
      const draft = await draftRenewal(ctx.db, { unit, memberIds: [me._id], level: input.level, by: ctx.openid, now: ctx.now, self: true });
      const sent = await submitRenewal(ctx.db, draft, { by: ctx.openid, role: 'applicant', now: ctx.now });
      return formView(sent, await billsOf(ctx.db, sent));
    },
  }),

  /** The holder's certificates with what each may be registered for now (issue 12). */
  registrationOptions: action(v.object({}), {
    auth: 'user',
    async handler(_input, ctx): Promise<Api['members']['registrationOptions']['res']> {
      const profile = activeProfile();
      const me = await myMember(ctx.db, ctx.openid);
      return registrationOptions(ctx.db, profile, me, ctx.today);
    },
  }),

  /** 延续登记 / 变更登记 (seed 000): the holder's draft, every precondition checked. */
  startRegistration: action(
    v.object({
      kind: v.oneOf(['renewal', 'change'] as const, '登记类型'),
      certificateId: ID,
      newUnitId: v.optional(ID),
      details: DETAILS_INPUT,
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api['members']['startRegistration']['res']> {
        const profile = activeProfile();
        if (!profile.holderBusinesses[holderType(input.kind)])
          throw new AppError('NOT_ELIGIBLE', `本协会不办理个人${input.kind === 'renewal' ? '延续' : '变更'}登记。`, { kind: '本协会不办理该登记' });
        const me = await myMember(ctx.db, ctx.openid);
        const form = await startRegistration(ctx.db, profile, { me, openid: ctx.openid, ...input, today: ctx.today, now: ctx.now });
        return formView(form, []);
      },
    },
  ),

  /** 个人信息变更 by the member (manual 2.3.2 second way): 单位预审 → 机构初审 → 协会复核, then applied. */
  requestChange: action(v.object({ changes: CHANGE_INPUT, files: v.optional(FILES_INPUT) }), {
    auth: 'user',
    async handler(input, ctx): Promise<Api['members']['requestChange']['res']> {
      const me = await myMember(ctx.db, ctx.openid);
      if (!me.unitId) throw new AppError('NOT_ELIGIBLE', '您目前不属于任何单位：请先通过单位的变更码加入单位，再申请信息变更。');
      const unit = await getDoc<UnitDoc>(ctx.db, C.units, me.unitId);
      const files = changeFiles(input.changes, cleanFiles(input.files));
      await checkOwnFiles(ctx.db, files, ctx.openid);
      const form = await createChangeForm(ctx.db, { member: me, unit, changes: input.changes, files, by: ctx.openid, byMember: true, now: ctx.now, today: ctx.today });
      return formView(form, []);
    },
  }),
});

async function myMember(db: Database, openid: string): Promise<MemberDoc> {
  const me = (await db.collection(C.members).where({ openid }).limit(1).get()).data[0] as MemberDoc | undefined;
  if (!me) throw new AppError('NOT_FOUND', '您还没有会员记录：新会员请扫描入会二维码，老会员请先扫码补充身份资料。');
  return me;
}

/** The ID-supplement lookups a caller may make at once, and a code shared by a whole unit. */
const ID_LOOKUP_BURST = 8;
const ID_LOOKUP_CODE_BURST = 30;
const ID_LOOKUP_REFILL_SECONDS = 60;

export interface BindRequestDoc {
  _id: string;
  memberId: string;
  unitId: string;
  openid: string;
  name: string;
  idMasked: string;
  files: { idFront: string; idBack: string };
  status: 'pending' | 'approved' | 'refused';
  createdAt: Date;
  decidedAt?: Date;
  decidedBy?: string;
  reason?: string;
}

function bindRequestView(r: BindRequestDoc): BindRequestView {
  return {
    id: r._id,
    memberId: r.memberId,
    name: r.name,
    idMasked: r.idMasked,
    files: r.files,
    status: r.status,
    createdAt: shanghaiIso(new Date(r.createdAt)),
    ...(r.decidedAt ? { decidedAt: shanghaiIso(new Date(r.decidedAt)) } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** The member an ID-supplement scan may claim: same unit, same ID number, same name — or NOT_FOUND. */
async function findForSupplement(db: Database, unitId: string, name: string, idNumber: string): Promise<MemberDoc> {
  const m = (
    await db
      .collection(C.members)
      .where({ idHash: idHash(idNumber) })
      .limit(1)
      .get()
  ).data[0] as MemberDoc | undefined;
  // One answer for every mismatch, so the lookup reveals nothing about which field was wrong.
  if (!m || m.unitId !== unitId || m.name !== name.trim())
    throw new AppError('NOT_FOUND', '未找到匹配的会员记录，请核对姓名和证件号码，或联系单位管理员。');
  return m;
}

/**
 * Move a member to a unit (transfer) or out of one (resignation) in one transaction: the member,
 * the unit link of their certificates, the code's single use, the audit trail and the notices.
 * Refused while business is in flight; the busy registry is rewritten so a form submitted at the
 * same moment conflicts with this transaction and exactly one of them wins.
 */
async function moveMember(
  db: Database,
  ctx: { openid: string; now: Date },
  me: MemberDoc,
  toUnitId: string | null,
  unitName: string,
  kind: 'transfer' | 'resign',
  codeId?: string,
): Promise<void> {
  const certs = (
    (await db.collection(C.certificates).where({ memberId: me._id }).limit(100).get()).data as CertificateDoc[]
  ).filter((c) => c.status !== 'cancelled');
  await inTransaction(db, async (t) => {
    if (codeId) {
      const code = await getDoc<CodeDoc>(t, C.codes, codeId);
      if (!code || code.usedAt) throw new AppError('CODE_USED');
      await t
        .collection(C.codes)
        .doc(codeId)
        .update({ data: { usedAt: ctx.now, usedBy: ctx.openid } });
    }
    const cur = await getDoc<MemberDoc>(t, C.members, me._id);
    if (!cur || cur.unitId !== me.unitId)
      throw new AppError('CONFLICT', kind === 'resign' ? `您已不在${unitName}。` : '您的单位信息已变化，请刷新后再试。');
    await requireFree(t, me._id, ctx.now);
    await t
      .collection(C.members)
      .doc(me._id)
      .update({ data: { unitId: toUnitId, updatedAt: ctx.now } });
    for (const c of certs)
      await t
        .collection(C.certificates)
        .doc(c._id)
        .update({ data: { unitId: toUnitId, updatedAt: ctx.now } });
    const remark = kind === 'transfer' ? `扫码确认变更到${unitName}` : `扫码确认从${unitName}离职`;
    await audit(t, {
      targetType: 'member',
      targetId: me._id,
      action: kind,
      actor: ctx.openid,
      role: 'member',
      from: me.unitId || '',
      to: toUnitId || '',
      remark,
      at: ctx.now,
    });
    const inboxes = [me.unitId ? unitInbox(me.unitId) : '', toUnitId ? unitInbox(toUnitId) : ''];
    await notify(
      t,
      [...inboxes, ctx.openid],
      {
        template: 'code-confirmed',
        title: kind === 'transfer' ? '单位变更已确认' : '离职已确认',
        body: `${me.name}${remark}`,
      },
      ctx.now,
    );
  });
}