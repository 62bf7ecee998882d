/**
 * `review`: the service organisation's initial review, the association's review and the finance
 * review (SPEC §3.1). Each stage only to its actor; the last approval makes the applicant a member.
 */
import type { Api, FormStatus } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { STAGE_ACTOR, StageStatus } from '../../miniprogram/shared/flow';
import { FORM_STATUSES } from '../../miniprogram/shared/labels';
import { advance, transition } from '../domain/forms/engine';
import { actableStages, billsOf, countByStatus, loadVisibleForm, pageForms, requireActor } from '../domain/forms/queries';
import { memberFromJoin } from '../domain/join/join';
import { BillDoc, CertificateDoc, formView } from '../domain/model';
import { finalizeBusiness, releaseBusy } from '../domain/business/business';
import { extendMembership } from '../domain/membership/renewal';
import { correctMember } from '../domain/membership/corrections';
import { bindOpenid } from '../domain/members/binding';
import { releasePending } from '../domain/forms/pending';
import { releaseForm } from '../domain/forms/ending';
import { attach } from '../domain/files/files';
import { finalizeUnitForm } from '../domain/units/forms';
import { activeProfile } from '../infra/profile';
import { finalizeRegistration } from '../domain/registration/registration';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { loadSettings, Settings } from '../infra/settings';
import { audit, Tx } from '../infra/store';
import { ID, v } from '../infra/validate';

type R = Api['review'];
/** The stages a reviewer acts on through this function (the unit's own go through forms / bills). */
const REVIEW_STAGES: StageStatus[] = ['org_review', 'assoc_review', 'finance_review'];

/** Finance approval confirms the money the unit paid. */
async function confirmBills(t: Tx, bills: BillDoc[], by: string, now: Date) {
  for (const b of bills) {
    if (b.status !== 'paid') continue;
    await t
      .collection(C.bills)
      .doc(b._id)
      .update({ data: { status: 'confirmed', confirmedAt: now, confirmedBy: by } });
    await audit(t, {
      targetType: 'bill',
      targetId: b._id,
      action: 'confirm',
      actor: by,
      role: 'finance',
      from: 'paid',
      to: 'confirmed',
      at: now,
    });
  }
}

export const main = createMain({
  queue: action(
    v.object({
      stage: v.oneOf(FORM_STATUSES, '审核环节'),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: ['org_reviewer', 'assoc_reviewer', 'finance', 'unit_admin'],
      async handler(input, ctx): Promise<R['queue']['res']> {
        const stages = actableStages(ctx.roles);
        const mine = stages.find((s) => s.stage === input.stage);
        if (!mine) throw new AppError('FORBIDDEN', '您不负责该审核环节。');
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const [res, ...counts] = await Promise.all([
          pageForms(ctx.db, { ...mine.where, status: input.stage }, page, pageSize),
          ...stages.map((s) => countByStatus(ctx.db, s.where, [s.stage])),
        ]);
        const out: Partial<Record<FormStatus, number>> = {};
        stages.forEach((s, i) => (out[s.stage] = counts[i][s.stage]));
        return { ...res, page, pageSize, counts: out };
      },
    },
  ),

  approve: action(
    v.object({
      formId: ID,
      remark: v.optional(v.string({ min: 1, max: 200, label: '审核意见' })),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: ['org_reviewer', 'assoc_reviewer', 'finance'],
      async handler(input, ctx): Promise<R['approve']['res']> {
        const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        const stage = requireActor(form, ctx.roles, REVIEW_STAGES, input.version);
        const bills = await billsOf(ctx.db, form);
        const next = advance(form, stage, bills);
        const settings = next === 'approved' ? await loadSettings(ctx.db) : null;
        // For a cancellation: each person's live certificates, to know whether one is the last.
        const liveCerts: Record<string, string[]> = {};
        if (next === 'approved' && form.memberIds?.length) {
          const certs = (
            await ctx.db
              .collection(C.certificates)
              .where({ memberId: ctx.db.command.in(form.memberIds) })
              .limit(1000)
              .get()
          ).data as CertificateDoc[];
          for (const c of certs) if (c.status !== 'cancelled') (liveCerts[c.memberId] ||= []).push(c._id);
        }
        const role = STAGE_ACTOR[stage].role;
        // A member change approved: the person's certificates follow a name or ID change.
        const changeCerts: Record<string, string[]> = {};
        if (next === 'approved' && form.type === 'member-info-change')
          for (const memberId of form.memberIds || [])
            changeCerts[memberId] = ((await ctx.db.collection(C.certificates).where({ memberId }).limit(100).get()).data as CertificateDoc[]).map((c) => c._id);
        const after = await transition(
          ctx.db,
          {
            formId: form._id,
            from: stage,
            to: next,
            by: ctx.openid,
            role,
            remark: input.remark || '审核通过',
            action: 'approve',
            also: async (t, current) => {
              if (stage === 'finance_review') await confirmBills(t, bills, ctx.openid, ctx.now);
              if (next !== 'approved') return;
              await finalizeUnitForm(t, current, {
                db: ctx.db,
                openid: ctx.openid,
                role,
                today: ctx.today,
                now: ctx.now,
              });
              const renew = { s: settings as Settings, today: ctx.today, now: ctx.now, by: ctx.openid, role, formNo: current.no };
              if (current.type === 'join' && settings && current.upgradeOf) {
                // An ordinary member joining as a professional member too (upgrade): the same record.
                await extendMembership(t, current.upgradeOf, 'professional', renew);
              } else if (current.type === 'member-info-change') {
                for (const memberId of current.memberIds || []) {
                  const certIds = (changeCerts[memberId] || []).slice();
                  await correctMember(t, memberId, current.memberChanges || {}, { openid: ctx.openid, reason: current.no, today: ctx.today, now: ctx.now }, certIds, {
                    role: role as 'assoc_reviewer',
                    action: 'info-change',
                    label: '个人信息变更审批通过',
                  });
                  await releaseBusy(t, memberId, current._id, ctx.now);
                }
              } else if (current.type === 'registration-renewal' || current.type === 'registration-change') {
                await finalizeRegistration(t, activeProfile(), current, { openid: ctx.openid, role, today: ctx.today, now: ctx.now });
              } else if (current.type === 'membership-renewal' && settings) {
                for (const memberId of current.memberIds || []) {
                  await extendMembership(t, memberId, current.level || 'ordinary', renew);
                  await releaseBusy(t, memberId, current._id, ctx.now);
                }
              } else if (current.type === 'join' && settings) {
                const member = memberFromJoin(current, settings, ctx.today, ctx.now);
                // One WeChat ↔ one member: the binding is taken in this transaction (issue 9).
                if (member.openid) await bindOpenid(t, member.openid, member._id, ctx.now);
                await t.collection(C.members).add({ data: member });
                await attach(t, [member.photo, member.idFront, member.idBack].filter((x): x is string => !!x), {
                  memberId: member._id,
                });
                await audit(t, {
                  targetType: 'member',
                  targetId: member._id,
                  action: 'join',
                  actor: ctx.openid,
                  role,
                  to: 'member',
                  remark: `入会 ${current.no}`,
                  at: ctx.now,
                });
              } else if (settings && current.memberIds?.length) {
                await finalizeBusiness(t, current, {
                  openid: ctx.openid,
                  role,
                  s: settings,
                  today: ctx.today,
                  now: ctx.now,
                  liveCerts,
                });
              }
              await releasePending(t, current.pendingKey, current._id);
              return { pendingKey: ctx.db.command.remove() };
            },
          },
          ctx.now,
        );
        return formView(after, await billsOf(ctx.db, after));
      },
    },
  ),

  return: action(
    v.object({
      formId: ID,
      reason: v.string({ min: 2, max: 200, label: '退回原因' }),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: ['org_reviewer', 'assoc_reviewer', 'finance'],
      async handler(input, ctx): Promise<R['return']['res']> {
        const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        const stage = requireActor(form, ctx.roles, REVIEW_STAGES, input.version);
        const bills = await billsOf(ctx.db, form);
        const role = STAGE_ACTOR[stage].role;
        const after = await transition(
          ctx.db,
          {
            formId: form._id,
            from: stage,
            to: 'returned',
            by: ctx.openid,
            role,
            remark: input.reason,
            action: 'return',
            // Manual 2.1.2 ★注: a returned form goes back to the unit, which edits and resubmits it;
            // a holder's own registration (seed 000) goes back to the holder.
            patch: { returned: { to: form.registration ? 'applicant' : 'unit', from: stage, reason: input.reason, by: ctx.openid, at: ctx.now } },
            also: async (t) => {
              // Finance returns over the money: the unit pays (uploads a receipt) again.
              if (stage !== 'finance_review') return;
              for (const b of bills.filter((x) => x.status === 'paid')) {
                await t
                  .collection(C.bills)
                  .doc(b._id)
                  .update({
                    data: { status: 'unpaid', receipt: ctx.db.command.remove(), paidAt: ctx.db.command.remove() },
                  });
                await audit(t, {
                  targetType: 'bill',
                  targetId: b._id,
                  action: 'reopen',
                  actor: ctx.openid,
                  role,
                  from: 'paid',
                  to: 'unpaid',
                  remark: input.reason,
                  at: ctx.now,
                });
              }
            },
          },
          ctx.now,
        );
        return formView(after, await billsOf(ctx.db, after));
      },
    },
  ),

  /**
   * 不予通过 (issue 11): the association's reviewer at its stage, or finance at the finance review,
   * refuses a form finally, with a reason in the trail. Unpaid bills are voided, paid ones flagged
   * for refund, and the person is free again.
   */
  reject: action(
    v.object({
      formId: ID,
      reason: v.string({ min: 2, max: 200, label: '不予通过的原因' }),
      version: v.optional(v.int({ min: 1, label: '版本' })),
    }),
    {
      auth: ['assoc_reviewer', 'finance'],
      async handler(input, ctx): Promise<R['reject']['res']> {
        const { form } = await loadVisibleForm(ctx.db, input.formId, ctx.openid, ctx.roles);
        const stage = requireActor(form, ctx.roles, ['assoc_review', 'finance_review'], input.version);
        const role = STAGE_ACTOR[stage].role;
        const after = await transition(
          ctx.db,
          {
            formId: form._id,
            from: stage,
            to: 'rejected',
            by: ctx.openid,
            role,
            remark: input.reason,
            action: 'reject',
            patch: { ended: { status: 'rejected', reason: input.reason, by: ctx.openid, at: ctx.now }, pendingKey: ctx.db.command.remove() },
            also: (t, current) => releaseForm(t, current, { to: 'rejected', by: ctx.openid, role, reason: input.reason, now: ctx.now }),
          },
          ctx.now,
        );
        return formView(after, await billsOf(ctx.db, after));
      },
    },
  ),
});
