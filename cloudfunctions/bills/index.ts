/** `bills`: the unit's bills and paying them with a receipt (SPEC §2 Bill, §3.2). */
import type { Api, BillStatus, FormStatus } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { advance, applyTransition, formAt } from '../domain/forms/engine';
import { attach, checkOwnFiles } from '../domain/files/files';
import { BillDoc, billView, FormDoc } from '../domain/model';
import { adminUnitId, grantOf } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { audit, getDoc, inTransaction, mustGet } from '../infra/store';
import { FILE_ID, ID, v } from '../infra/validate';

type B = Api['bills'];

export const main = createMain({
  list: action(
    v.object({
      status: v.optional(v.oneOf(['unpaid', 'paid', 'confirmed'] as const, '缴费状态')),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: ['unit_admin'],
      async handler(input, ctx): Promise<B['list']['res']> {
        const unitId = adminUnitId(ctx.roles);
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where: { unitId: string; status?: BillStatus } = { unitId };
        if (input.status) where.status = input.status;
        const coll = ctx.db.collection(C.bills);
        const [list, count] = await Promise.all([
          coll
            .where(where)
            .orderBy('createdAt', 'desc')
            .skip((page - 1) * pageSize)
            .limit(pageSize)
            .get(),
          coll.where(where).count(),
        ]);
        return {
          items: (list.data as BillDoc[]).map((b) => ({ ...billView(b), formNo: b.formNo, names: b.names })),
          total: count.total,
          page,
          pageSize,
        };
      },
    },
  ),

  pay: action(v.object({ billId: ID, receipt: FILE_ID }), {
    // The unit's admins pay the unit's bills; a member pays the renewal they started for themself.
    auth: 'user',
    async handler(input, ctx): Promise<B['pay']['res']> {
      const bill = await mustGet<BillDoc>(ctx.db, C.bills, input.billId, '缴费单');
      const owner = await mustGet<FormDoc>(ctx.db, C.forms, bill.formId, '表单');
      const self = owner.payer === 'applicant';
      if (self ? owner.applicantOpenid !== ctx.openid : !grantOf(ctx.roles, 'unit_admin', bill.unitId))
        throw new AppError('FORBIDDEN', self ? '只能缴纳本人的缴费单。' : '只能缴纳本单位的缴费单。');
      const unitId = self ? undefined : bill.unitId;
      const role = self ? ('applicant' as const) : ('unit_admin' as const);
      if (bill.status !== 'unpaid') throw new AppError('CONFLICT', '该缴费单已缴费，请勿重复缴费。');
      // The receipt is the caller's upload, or one of the unit's admins uploaded it.
      await checkOwnFiles(ctx.db, { receipt: input.receipt }, ctx.openid, { unitId });
      // Everything is decided inside one transaction that reads the form and every bill of it
      // and writes the form: two bills of one form paid at the same moment conflict, the retry
      // sees the other payment, and the last payment is the one that moves the form on.
      let status: FormStatus = 'awaiting_payment';
      await inTransaction(ctx.db, async (t) => {
        status = 'awaiting_payment';
        const form = await formAt(t, bill.formId, 'awaiting_payment').catch((e) => {
          throw e instanceof AppError && e.code === 'CONFLICT'
            ? new AppError('CONFLICT', '该表单当前不在待缴费环节，请刷新后查看。')
            : e;
        });
        const current = await getDoc<BillDoc>(t, C.bills, bill._id);
        if (!current || current.status !== 'unpaid') throw new AppError('CONFLICT', '该缴费单已缴费，请勿重复缴费。');
        const others = await Promise.all(
          (form.billIds || []).filter((id) => id !== bill._id).map((id) => getDoc<BillDoc>(t, C.bills, id)),
        );
        const afterPay = [...others.filter((b): b is BillDoc => !!b), { ...current, status: 'paid' as const }];
        await t
          .collection(C.bills)
          .doc(bill._id)
          .update({ data: { status: 'paid', receipt: input.receipt, paidAt: ctx.now, paidBy: ctx.openid } });
        await attach(t, [input.receipt], { formId: form._id });
        await audit(t, {
          targetType: 'bill',
          targetId: bill._id,
          action: 'pay',
          actor: ctx.openid,
          role,
          from: 'unpaid',
          to: 'paid',
          remark: `缴费 ${bill.amount} 元`,
          at: ctx.now,
        });
        if (afterPay.every((b) => b.status !== 'unpaid')) {
          status = advance(form, 'awaiting_payment', afterPay) as FormStatus;
          await applyTransition(
            t,
            form,
            {
              formId: form._id,
              from: 'awaiting_payment',
              to: status,
              by: ctx.openid,
              role,
              remark: `已缴费 ${bill.amount} 元`,
              action: 'pay',
            },
            ctx.now,
          );
        } else {
          // Not the last bill: the form waits, but is written so a concurrent payment conflicts.
          await t
            .collection(C.forms)
            .doc(form._id)
            .update({ data: { version: form.version + 1, updatedAt: ctx.now } });
        }
      });
      const paid = await mustGet<BillDoc>(ctx.db, C.bills, bill._id, '缴费单');
      return { ...billView(paid), formStatus: status };
    },
  }),
});
