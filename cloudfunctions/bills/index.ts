/** `bills`: the unit's bills and paying them with a receipt (SPEC §2 Bill, §3.2). */
import type { Api, BillStatus, FormStatus } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { advance, applyTransition, formAt } from '../domain/forms/engine';
import { attach, checkOwnFiles } from '../domain/files/files';
import { exportXlsx } from '../domain/exports/xlsx';
import { BILL_STATUS_LABEL } from '../../miniprogram/shared/labels';

const BILL_KIND_TEXT: Record<BillDoc['kind'], string> = { 'membership-personal': '个人会员费', 'membership-unit': '单位会员费', auxiliary: '辅助费' };
import { addDays, isDay, shanghaiDayStart, shanghaiIso } from '../../miniprogram/shared/dates';
import { notify, unitInbox } from '../domain/notices/notify';
import type { Database } from '../infra/cloud';
import { BillDoc, billView, FormDoc } from '../domain/model';
import { adminUnitId, grantOf } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { namesById } from '../domain/units/info';
import { audit, getDoc, inTransaction, mustGet, pageOf } from '../infra/store';
import { DAY, FILE_ID, ID, v } from '../infra/validate';

type B = Api['bills'];

/** 开票信息 the payer asks for (manual FAQ 3.5). */
const INVOICE_REQUEST = v.object({
  title: v.string({ min: 2, max: 100, label: '发票抬头' }),
  taxId: v.optional(v.string({ min: 15, max: 20, pattern: /^[0-9A-Z]+$/, label: '纳税人识别号' })),
  email: v.optional(v.string({ max: 100, pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, label: '电子邮箱' })),
  phone: v.optional(v.string({ min: 11, max: 11, pattern: /^1[3-9]\d{9}$/, label: '手机号码' })),
});

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
        const { docs, total } = await pageOf<BillDoc>(ctx.db, C.bills, where, { page, pageSize });
        return {
          items: docs.map((b) => ({ ...billView(b), formNo: b.formNo, names: b.names })),
          total,
          page,
          pageSize,
        };
      },
    },
  ),

  pay: action(v.object({ billId: ID, receipt: FILE_ID, invoice: v.optional(INVOICE_REQUEST) }), {
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
          .update({
            data: {
              status: 'paid',
              receipt: input.receipt,
              paidAt: ctx.now,
              paidBy: ctx.openid,
              ...(input.invoice ? { invoiceRequest: input.invoice } : {}),
            },
          });
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

  /** The unit's bills as .xlsx (issue 12), with the list's status filter. */
  export: action(v.object({ status: v.optional(v.oneOf(['unpaid', 'paid', 'confirmed', 'void', 'refund'] as const, '缴费状态')) }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<B['export']['res']> {
      const unitId = adminUnitId(ctx.roles);
      const where: Record<string, unknown> = { unitId, ...(input.status ? { status: input.status } : {}) };
      const bills = (await ctx.db.collection(C.bills).where(where).orderBy('createdAt', 'desc').limit(1000).get()).data as BillDoc[];
      const rows = bills.map((b) => ({
        formNo: b.formNo,
        kind: BILL_KIND_TEXT[b.kind],
        names: b.names.join('、'),
        amount: b.amount,
        status: BILL_STATUS_LABEL[b.status],
        paidAt: b.paidAt ? shanghaiIso(new Date(b.paidAt)).slice(0, 10) : '',
      }));
      const columns = [
        { header: '业务单号', key: 'formNo', width: 24 },
        { header: '费用类型', key: 'kind', width: 14 },
        { header: '缴费人员', key: 'names', width: 30 },
        { header: '金额（元）', key: 'amount', width: 12 },
        { header: '状态', key: 'status', width: 12 },
        { header: '缴费日期', key: 'paidAt', width: 12 },
      ];
      const file = await exportXlsx(ctx.db, '缴费单', columns, rows, { openid: ctx.openid, unitId, now: ctx.now, folder: 'bill-exports', fileName: `缴费单-${ctx.today.replace(/-/g, '')}.xlsx` });
      return { ...file, rows: rows.length };
    },
  }),

  /**
   * Finance attaches the issued invoice to a paid bill (manual FAQ 3.5): 电子财政收据 for membership
   * fees, 电子发票 for auxiliary fees. The file is finance's own upload; the unit reads it through
   * files.url (it is attached to the bill's form). Audited; the unit hears of it.
   */
  issueInvoice: action(v.object({ billId: ID, file: FILE_ID, kind: v.oneOf(['fiscal-receipt', 'e-invoice'] as const, '票据类型') }), {
    auth: ['finance'],
    async handler(input, ctx): Promise<B['issueInvoice']['res']> {
      const found = await mustGet<BillDoc>(ctx.db, C.bills, input.billId, '缴费单');
      const want = found.kind === 'auxiliary' ? 'e-invoice' : 'fiscal-receipt';
      if (input.kind !== want)
        throw new AppError('INVALID_INPUT', want === 'fiscal-receipt' ? '会费开具电子财政收据。' : '辅助费开具电子发票。', { kind: '票据类型与费用不符' });
      await checkOwnFiles(ctx.db, { receipt: input.file }, ctx.openid);
      let after = found;
      await inTransaction(ctx.db, async (t) => {
        const bill = await getDoc<BillDoc>(t, C.bills, found._id);
        if (!bill || (bill.status !== 'paid' && bill.status !== 'confirmed')) throw new AppError('CONFLICT', '只能为已缴费的缴费单开票。');
        if (bill.invoice) throw new AppError('CONFLICT', '该缴费单已开票。');
        const invoice = { kind: input.kind, file: input.file, issuedAt: ctx.now, issuedBy: ctx.openid };
        await t.collection(C.bills).doc(bill._id).update({ data: { invoice, invoicedAt: ctx.now } });
        await attach(t, [input.file], { formId: bill.formId });
        await audit(t, {
          targetType: 'bill',
          targetId: bill._id,
          action: 'invoice',
          actor: ctx.openid,
          role: 'finance',
          remark: `${input.kind === 'fiscal-receipt' ? '电子财政收据' : '电子发票'}已开具（${bill.formNo}，${bill.amount}元）`,
          at: ctx.now,
        });
        await notify(t, [unitInbox(bill.unitId)], { template: 'bill-due', title: '已开票', body: `${bill.formNo} ${bill.amount}元已开具${input.kind === 'fiscal-receipt' ? '电子财政收据' : '电子发票'}`, formId: bill.formId }, ctx.now);
        after = { ...bill, invoice, invoicedAt: ctx.now };
      });
      return billView(after);
    },
  }),

  /**
   * 待开票 (finance): paid bills with no invoice yet, newest payment first, each with the title the
   * payer asked for — 电子财政收据 for membership fees, 电子发票 for the rest (manual FAQ 3.5).
   */
  uninvoiced: action(
    v.object({
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: ['finance'],
      async handler(input, ctx): Promise<B['uninvoiced']['res']> {
        const _ = ctx.db.command;
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        const where = { status: _.in(['paid', 'confirmed']), invoicedAt: _.exists(false) };
        const { docs, total } = await pageOf<BillDoc>(ctx.db, C.bills, where, { page, pageSize, orderBy: 'paidAt' });
        const units = await namesById(ctx.db, C.units, docs.map((b) => b.unitId));
        return {
          items: docs.map((b) => ({ ...billView(b), formNo: b.formNo, names: b.names, unitName: units.get(b.unitId) || '' })),
          total,
          page,
          pageSize,
        };
      },
    },
  ),

  /** 开票记录 (manual FAQ 3.5): issued invoices by date — the unit's own, or all for finance; `xlsx` exports. */
  invoices: action(
    v.object({
      from: v.optional(DAY),
      to: v.optional(DAY),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
      format: v.optional(v.oneOf(['xlsx'] as const, '导出格式')),
    }),
    {
      auth: ['unit_admin', 'finance'],
      async handler(input, ctx): Promise<B['invoices']['res']> {
        for (const k of ['from', 'to'] as const)
          if (input[k] && !isDay(input[k] as string)) throw new AppError('INVALID_INPUT', '日期不正确', { [k]: '日期不正确' });
        const _ = ctx.db.command;
        const finance = !!grantOf(ctx.roles, 'finance');
        const where: Record<string, unknown> = finance ? {} : { unitId: adminUnitId(ctx.roles) };
        const lo = input.from ? shanghaiDayStart(input.from) : new Date(0);
        const hi = input.to ? shanghaiDayStart(addDays(input.to, 1)) : new Date(8.64e15);
        where.invoicedAt = _.gte(lo).and(_.lt(hi));
        const coll = ctx.db.collection(C.bills);
        const page = input.page || 1;
        const pageSize = input.format ? 1000 : input.pageSize || 20;
        const [list, count] = await Promise.all([
          coll.where(where).orderBy('invoicedAt', 'desc').skip(input.format ? 0 : (page - 1) * pageSize).limit(pageSize).get(),
          coll.where(where).count(),
        ]);
        const bills = list.data as BillDoc[];
        const items = bills.map((b) => ({ ...billView(b), formNo: b.formNo, names: b.names }));
        if (!input.format) return { items, total: count.total, page, pageSize };
        const file = await exportInvoices(ctx.db, bills, { openid: ctx.openid, unitId: finance ? undefined : (where.unitId as string), now: ctx.now });
        return { items: [], total: count.total, page: 1, pageSize, file };
      },
    },
  ),
});


/** The 开票记录 as an .xlsx (the caller's unit may read it). */
function exportInvoices(db: Database, bills: BillDoc[], by: { openid: string; unitId?: string; now: Date }) {
  const columns = [
    { header: '开票日期', key: 'at', width: 12 },
    { header: '票据类型', key: 'kind', width: 14 },
    { header: '业务单号', key: 'formNo', width: 24 },
    { header: '缴费人员', key: 'names', width: 30 },
    { header: '金额（元）', key: 'amount', width: 12 },
    { header: '发票抬头', key: 'title', width: 30 },
    { header: '纳税人识别号', key: 'taxId', width: 22 },
  ];
  const rows = bills.map((b) => ({
    at: shanghaiIso(new Date(b.invoicedAt as Date)).slice(0, 10),
    kind: b.invoice?.kind === 'fiscal-receipt' ? '电子财政收据' : '电子发票',
    formNo: b.formNo,
    names: b.names.join('、'),
    amount: b.amount,
    title: b.invoiceRequest?.title || '',
    taxId: b.invoiceRequest?.taxId || '',
  }));
  return exportXlsx(db, '开票记录', columns, rows, { ...by, folder: 'invoice-exports', fileName: `开票记录-${shanghaiIso(by.now).slice(0, 10)}.xlsx` });
}

