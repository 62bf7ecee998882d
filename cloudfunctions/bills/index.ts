/** `bills`: the unit's bills and paying them with a receipt (SPEC §2 Bill, §3.2). */
import type { Api, BillStatus, FormStatus } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { advance, transition } from '../domain/forms/engine';
import { checkFiles } from '../infra/files';
import { billsOf } from '../domain/forms/queries';
import { BillDoc, billView, FormDoc } from '../domain/model';
import { adminUnitId } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { audit, getDoc, mustGet } from '../infra/store';
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
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<B['pay']['res']> {
      const unitId = adminUnitId(ctx.roles);
      const bill = await mustGet<BillDoc>(ctx.db, C.bills, input.billId, '缴费单');
      if (bill.unitId !== unitId) throw new AppError('FORBIDDEN', '只能缴纳本单位的缴费单。');
      if (bill.status !== 'unpaid') throw new AppError('CONFLICT', '该缴费单已缴费，请勿重复缴费。');
      await checkFiles({ receipt: input.receipt });
      const form = await mustGet<FormDoc>(ctx.db, C.forms, bill.formId, '表单');
      if (form.status !== 'awaiting_payment')
        throw new AppError('CONFLICT', '该表单当前不在待缴费环节，请刷新后查看。');
      const bills = await billsOf(ctx.db, form);
      const afterPay = bills.map((b) => (b._id === bill._id ? { ...b, status: 'paid' as const } : b));
      const next = afterPay.every((b) => b.status !== 'unpaid')
        ? advance(form, 'awaiting_payment', afterPay)
        : 'awaiting_payment';
      const update = { status: 'paid' as const, receipt: input.receipt, paidAt: ctx.now, paidBy: ctx.openid };
      const also = async (t: unknown) => {
        const tx = t as { collection(c: string): { doc(id: string): { update(x: object): Promise<unknown> } } };
        const current = await getDoc<BillDoc>(tx, C.bills, bill._id);
        if (!current || current.status !== 'unpaid') throw new AppError('CONFLICT', '该缴费单已缴费，请勿重复缴费。');
        await tx.collection(C.bills).doc(bill._id).update({ data: update });
        await audit(tx, {
          targetType: 'bill',
          targetId: bill._id,
          action: 'pay',
          actor: ctx.openid,
          role: 'unit_admin',
          from: 'unpaid',
          to: 'paid',
          remark: `缴费 ${bill.amount} 元`,
          at: ctx.now,
        });
      };
      // With more than one bill, the form waits until the last is paid; the transition still
      // guards the form's status so a pay racing a return loses cleanly.
      const formAfter = await transition(
        ctx.db,
        {
          formId: form._id,
          from: 'awaiting_payment',
          to: next as FormStatus,
          by: ctx.openid,
          role: 'unit_admin',
          remark: `已缴费 ${bill.amount} 元`,
          action: 'pay',
          also,
        },
        ctx.now,
      );
      const paid = await mustGet<BillDoc>(ctx.db, C.bills, bill._id, '缴费单');
      return { ...billView(paid), formStatus: formAfter.status };
    },
  }),
});
