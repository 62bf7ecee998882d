/**
 * `studies`: study tasks opened by approved education forms (SPEC §2 Study task). The learning
 * platform reports hours and exam results (`report`, signed with a shared secret); completion
 * issues or renews the certificate and frees the person for new business.
 */
import type { Api } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { issueFromStudy, releaseBusy } from '../domain/business/business';
import { MemberDoc, StudyDoc, studyView } from '../domain/model';
import { grantOf } from '../infra/roles';
import { action, createMain } from '../domain/app';
import { toApiError } from '../infra/router';
import { C } from '../infra/schema';
import { loadSettings } from '../infra/settings';
import { audit, getDoc, inTransaction, mustGet, pageOf } from '../infra/store';
import { verifyCourse, verifyReport } from './report';
import { idHash } from '../infra/pii';
import { normalizeIdNumber } from '../../miniprogram/shared/id-number';
import { DAY, ID, v } from '../infra/validate';

type S = Api['studies'];

export const main = createMain({
  /**
   * A finished course from the learning platform (issue 12): recorded once per report id in
   * `learning`, where a 延续登记 counts the hours inside the registration's validity.
   */
  reportCourse: action(
    v.object({
      reportId: v.string({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/, label: '回报编号' }),
      idNumber: v.string({ min: 6, max: 30, label: '证件号码' }),
      course: v.string({ min: 1, max: 100, label: '课程' }),
      hours: v.int({ min: 1, max: 200, label: '学时' }),
      finishedOn: DAY,
      at: v.string({ min: 20, max: 40, label: '时间' }),
      signature: v.string({ min: 64, max: 64, label: '签名' }),
    }),
    {
      auth: 'anyone',
      async handler(input, ctx): Promise<S['reportCourse']['res']> {
        const { signature, ...report } = input;
        const check = verifyCourse(report, signature, ctx.now);
        if (check !== 'ok') throw new AppError('UNAUTHENTICATED', check === 'stale' ? '学习回报已过期，请重新发送。' : '学习回报签名不正确。');
        if (input.finishedOn > ctx.today) throw new AppError('INVALID_INPUT', '完成日期不能晚于今天', { finishedOn: '完成日期不能晚于今天' });
        if (await getDoc(ctx.db, C.learning, input.reportId)) return { recorded: true, replay: true };
        const member = (await ctx.db.collection(C.members).where({ idHash: idHash(normalizeIdNumber(input.idNumber)) }).limit(1).get()).data[0] as MemberDoc | undefined;
        if (!member) throw new AppError('NOT_FOUND', '没有该证件号码的人员记录。');
        try {
          await inTransaction(ctx.db, async (t) => {
            await t.collection(C.learning).add({ data: { _id: input.reportId, memberId: member._id, hours: input.hours, course: input.course, finishedOn: input.finishedOn, source: 'platform', createdAt: ctx.now } });
            await audit(t, { targetType: 'member', targetId: member._id, action: 'learning', actor: 'learning-platform', role: 'system', remark: `${input.course}：${input.hours}学时（${input.finishedOn}完成）`, at: ctx.now });
          });
        } catch (e) {
          if (toApiError(e).code === 'DUPLICATE') return { recorded: true, replay: true };
          throw e;
        }
        return { recorded: true, replay: false };
      },
    },
  ),

  report: action(
    v.object({
      reportId: v.string({ min: 8, max: 64, pattern: /^[A-Za-z0-9_-]+$/, label: '回报编号' }),
      taskId: ID,
      hoursDone: v.int({ min: 0, max: 1000, label: '学时' }),
      exam: v.optional(v.object({ passed: v.bool('考试结果') })),
      at: v.string({ min: 20, max: 40, label: '时间' }),
      signature: v.string({ min: 64, max: 64, label: '签名' }),
    }),
    {
      auth: 'anyone',
      async handler(input, ctx): Promise<S['report']['res']> {
        const examIn = input.exam as { passed?: unknown } | undefined;
        if (examIn && typeof examIn.passed !== 'boolean')
          throw new AppError('INVALID_INPUT', '考试结果格式不正确', { exam: '考试结果格式不正确' });
        const report = {
          reportId: input.reportId,
          taskId: input.taskId,
          hoursDone: input.hoursDone,
          ...(examIn ? { exam: { passed: examIn.passed as boolean } } : {}),
          at: input.at,
        };
        const check = verifyReport(report, input.signature, ctx.now);
        if (check !== 'ok')
          throw new AppError(
            'UNAUTHENTICATED',
            check === 'stale' ? '学习回报已过期，请重新发送。' : '学习回报签名不正确。',
          );
        // A replay of a processed report answers the task as it is, counting nothing twice.
        if (await getDoc(ctx.db, C.studyReports, report.reportId))
          return {
            task: studyView(await mustGet<StudyDoc>(ctx.db, C.studies, report.taskId, '学习任务')),
            replay: true,
          };
        const settings = await loadSettings(ctx.db);
        try {
          await inTransaction(ctx.db, async (t) => {
            const s = await getDoc<StudyDoc>(t, C.studies, report.taskId);
            if (!s) throw new AppError('NOT_FOUND', '学习任务不存在。');
            if (s.status === 'completed' || s.status === 'failed') throw new AppError('CONFLICT', '该学习任务已结束。');
            await t.collection(C.studyReports).add({ data: { _id: report.reportId, taskId: s._id, at: ctx.now } });
            const next: Partial<StudyDoc> = {
              hoursDone: Math.min(s.hoursRequired, Math.max(s.hoursDone, report.hoursDone)),
              updatedAt: ctx.now,
            };
            if (report.exam) {
              // At most `maxAttempts` exam attempts (manual FAQ 3.18).
              if (s.examAttempts >= s.maxAttempts)
                throw new AppError('NOT_ELIGIBLE', `考试次数已用完（${s.maxAttempts}次）。`);
              next.examAttempts = s.examAttempts + 1;
              if (report.exam.passed) next.examPassed = true;
            }
            const passed = next.examPassed ?? s.examPassed;
            const hours = next.hoursDone as number;
            next.status = hours > 0 || passed ? 'studying' : 'not_started';
            if (hours >= s.hoursRequired && passed) {
              next.status = 'completed';
              next.completedAt = ctx.now;
              const certId = await issueFromStudy(t, s, settings, ctx.today, ctx.now);
              if (certId) next.issuedCertId = certId;
              await releaseBusy(t, s.memberId, s.formId, ctx.now);
              await audit(t, {
                targetType: 'certificate',
                targetId: certId || s._id,
                action: s.type === 'continuing-education' ? 'renew' : 'issue',
                actor: 'learning-platform',
                role: 'system',
                remark: `${s.formNo} 学习完成`,
                at: ctx.now,
              });
            } else if (!passed && (next.examAttempts ?? s.examAttempts) >= s.maxAttempts) {
              // The last attempt failed: the task ends and no longer blocks the person.
              next.status = 'failed';
              next.completedAt = ctx.now;
              await releaseBusy(t, s.memberId, s.formId, ctx.now);
            }
            await t.collection(C.studies).doc(s._id).update({ data: next });
            await audit(t, {
              targetType: 'form',
              targetId: s.formId,
              action: 'study-report',
              actor: 'learning-platform',
              role: 'system',
              from: s.status,
              to: next.status,
              remark: `学时 ${hours}/${s.hoursRequired}${report.exam ? `，考试${report.exam.passed ? '通过' : '未通过'}` : ''}`,
              at: ctx.now,
            });
          });
        } catch (e) {
          if (toApiError(e).code === 'DUPLICATE')
            return {
              task: studyView(await mustGet<StudyDoc>(ctx.db, C.studies, report.taskId, '学习任务')),
              replay: true,
            };
          throw e;
        }
        return {
          task: studyView(await mustGet<StudyDoc>(ctx.db, C.studies, report.taskId, '学习任务')),
          replay: false,
        };
      },
    },
  ),

  list: action(
    v.object({
      status: v.optional(v.oneOf(['not_started', 'studying', 'completed', 'failed'] as const, '学习状态')),
      page: v.optional(v.int({ min: 1, max: 10000, label: '页码' })),
      pageSize: v.optional(v.int({ min: 1, max: 50, label: '每页条数' })),
    }),
    {
      auth: 'user',
      async handler(input, ctx): Promise<S['list']['res']> {
        const page = input.page || 1;
        const pageSize = input.pageSize || 20;
        // A unit admin sees the unit's tasks (manual 3.17); a member their own.
        const unit = grantOf(ctx.roles, 'unit_admin');
        let where: Record<string, unknown>;
        if (unit) where = { unitId: unit.scopeId };
        else {
          const me = (await ctx.db.collection(C.members).where({ openid: ctx.openid }).limit(1).get()).data[0] as
            MemberDoc | undefined;
          if (!me) return { items: [], total: 0, page, pageSize };
          where = { memberId: me._id };
        }
        if (input.status) where.status = input.status;
        const { docs, total } = await pageOf<StudyDoc>(ctx.db, C.studies, where, { page, pageSize });
        return { items: docs.map(studyView), total, page, pageSize };
      },
    },
  ),
});
