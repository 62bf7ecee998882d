/** `members`: apply to join with a unit's code; read one's own record (SPEC §3.2, §5). */
import type { Api, Role } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { initCloud } from '../infra/cloud';
import type { Database } from '../infra/cloud';
import { requireFree } from '../domain/business/business';
import { maskName, maskPhone } from '../../miniprogram/shared/id-number';
import { notify, unitInbox } from '../domain/notices/notify';
import { idCardOcr } from '../infra/ocr';
import { idHash } from '../infra/pii';
import { checkCode } from '../domain/codes/codes';
import { hasValidMembership, joinedOn, ROSTER_FILTER, RosterEntry, rosterPages } from '../domain/roster/roster';
import { adminUnitId } from '../infra/roles';
import { fullYears } from '../../miniprogram/shared/dates';
import { checkFiles, cleanFiles } from '../infra/files';
import { checkApplication, joinPendingKey, personFrom } from '../domain/join/join';
import {
  BusyDoc,
  CertificateDoc,
  certView,
  CodeDoc,
  FormDoc,
  formSummary,
  MemberDoc,
  StudyDoc,
  studyView,
  SUMMARY_FIELDS,
  UnitDoc,
} from '../domain/model';
import { action, createMain } from '../domain/app';
import { toApiError } from '../infra/router';
import { C } from '../infra/schema';
import { audit, getDoc, inTransaction, newId } from '../infra/store';
import { nextFormNo } from '../domain/forms/engine';
import { FILE_ID, v } from '../infra/validate';

type Apply = Api['members']['apply'];
type Me = Api['members']['me'];

const CODE = v.string({ min: 1, max: 64, label: '二维码' });

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
      // My applications plus the business forms my unit started for me, newest first.
      const mine = formsRes.data as FormDoc[];
      if (m) {
        const forMe = await ctx.db
          .collection(C.forms)
          .where({ memberIds: m._id })
          .orderBy('createdAt', 'desc')
          .limit(20)
          .field(SUMMARY_FIELDS)
          .get();
        for (const f of forMe.data as FormDoc[])
          if (!mine.some((x) => x._id === f._id) && f.status !== 'draft') mine.push(f);
        mine.sort((a, b) => +new Date(b.createdAt) - +new Date(a.createdAt));
      }
      const forms = mine.slice(0, 20).map(formSummary);
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
      return { member, forms, certificates, studies, roles };
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
      if (me.unitId !== unit._id) throw new AppError('CONFLICT', `您已不在${unit.name}。`);
      await moveMember(ctx.db, ctx, me, null, unit.name, 'resign', doc._id);
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
        const { unit } = await checkCode(ctx.db, input.code, ctx.now, ['id-update']);
        const m = await findForSupplement(ctx.db, unit._id, input.name, input.idNumber);
        return {
          memberId: m._id,
          maskedName: maskName(m.name),
          idMasked: m.idMasked,
          phoneMasked: maskPhone(m.phone),
          hasIdCard: !!(m.idFront && m.idBack),
          boundToYou: m.openid === ctx.openid,
          bound: !!m.openid,
        };
      },
    },
  ),

  idSupplement: action(
    v.object({
      code: CODE,
      name: v.string({ min: 2, max: 30, label: '姓名' }),
      idNumber: v.string({ min: 5, max: 30, label: '证件号码' }),
      phone: v.string({ min: 11, max: 11, pattern: /^1[3-9]\d{9}$/, label: '手机号码' }),
      files: v.record('附件'),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<Api['members']['idSupplement']['res']> {
        const { unit } = await checkCode(ctx.db, input.code, ctx.now, ['id-update']);
        const files = cleanFiles(input.files);
        const missing: Record<string, string> = {};
        if (!files.idFront) missing['files.idFront'] = '请上传身份证人像面';
        if (!files.idBack) missing['files.idBack'] = '请上传身份证国徽面';
        if (Object.keys(missing).length) throw new AppError('INVALID_INPUT', Object.values(missing)[0], missing);
        await checkFiles({ idFront: files.idFront, idBack: files.idBack });
        const m = await findForSupplement(ctx.db, unit._id, input.name, input.idNumber);
        if (m.openid && m.openid !== ctx.openid)
          throw new AppError('CONFLICT', '该会员记录已绑定其他微信，请联系协会秘书处解绑后再补充。');
        const other = (await ctx.db.collection(C.members).where({ openid: ctx.openid }).limit(1).get()).data[0] as
          MemberDoc | undefined;
        if (other && other._id !== m._id) throw new AppError('CONFLICT', '您的微信已绑定另一条会员记录。');
        await inTransaction(ctx.db, async (t) => {
          const cur = await getDoc<MemberDoc>(t, C.members, m._id);
          if (!cur || (cur.openid && cur.openid !== ctx.openid))
            throw new AppError('CONFLICT', '该会员记录已绑定其他微信，请联系协会秘书处解绑后再补充。');
          await t
            .collection(C.members)
            .doc(m._id)
            .update({
              data: {
                idFront: files.idFront,
                idBack: files.idBack,
                phone: input.phone,
                openid: ctx.openid,
                idSupplementedAt: ctx.now,
                updatedAt: ctx.now,
              },
            });
          await audit(t, {
            targetType: 'member',
            targetId: m._id,
            action: 'id-supplement',
            actor: ctx.openid,
            role: 'member',
            remark: `补充身份证照片并绑定微信（${unit.name}）`,
            at: ctx.now,
          });
        });
        return { memberId: m._id };
      },
    },
  ),

  ocrIdCard: action(v.object({ fileID: FILE_ID, side: v.oneOf(['front', 'back'] as const, '证件面') }), {
    auth: 'user',
    async handler(input): Promise<Api['members']['ocrIdCard']['res']> {
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
});

async function myMember(db: Database, openid: string): Promise<MemberDoc> {
  const me = (await db.collection(C.members).where({ openid }).limit(1).get()).data[0] as MemberDoc | undefined;
  if (!me) throw new AppError('NOT_FOUND', '您还没有会员记录：新会员请扫描入会二维码，老会员请先扫码补充身份资料。');
  return me;
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
    if (!cur || cur.unitId !== me.unitId) throw new AppError('CONFLICT', '您的单位信息已变化，请刷新后再试。');
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
