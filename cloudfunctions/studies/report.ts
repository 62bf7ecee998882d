/**
 * How the learning platform authenticates its progress reports: not a WeChat user, so no OPENID —
 * an HMAC-SHA256 over the report with a secret shared with the platform (MSP_STUDY_SECRET, or one
 * derived from MSP_SECRET when unset), with a timestamp window against replays of old reports.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { key } from '../infra/secrets';

export interface StudyReport {
  /** Unique per report: a replayed report is recognised and not counted twice. */
  reportId: string;
  taskId: string;
  /** Hours done so far (cumulative). */
  hoursDone: number;
  /** An exam attempt, when this report carries one. */
  exam?: { passed: boolean };
  /** ISO time the platform sent it. */
  at: string;
}

export const REPORT_WINDOW_MS = 10 * 60 * 1000;

/** A finished continuing-education course (网络教育平台), for a registration's hours (seed 000 3.2). */
export interface CourseReport {
  reportId: string;
  /** The learner's ID number: the platform's user name (seed 001 2.11.2.1; the equipment guide alike). */
  idNumber: string;
  course: string;
  hours: number;
  /** YYYY-MM-DD the course was finished. */
  finishedOn: string;
  at: string;
}

export function canonicalCourse(r: CourseReport): string {
  return ['course', r.reportId, r.idNumber, r.course, r.hours, r.finishedOn, r.at].join('|');
}

export function signCourse(r: CourseReport): string {
  return createHmac('sha256', secret()).update(canonicalCourse(r)).digest('hex');
}

export function verifyCourse(r: CourseReport, signature: string, now: Date): 'ok' | 'bad-signature' | 'stale' {
  return verifySigned(signCourse(r), r.at, signature, now);
}

function verifySigned(expectedHex: string, at: string, signature: string, now: Date): 'ok' | 'bad-signature' | 'stale' {
  const expected = Buffer.from(expectedHex, 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
  const t = Date.parse(at);
  if (!Number.isFinite(t) || Math.abs(now.getTime() - t) > REPORT_WINDOW_MS) return 'stale';
  return 'ok';
}

function secret(): Buffer {
  const s = process.env.MSP_STUDY_SECRET;
  return s ? Buffer.from(s, 'utf8') : key('study-report');
}

export function canonical(r: StudyReport): string {
  return [r.reportId, r.taskId, r.hoursDone, r.exam ? (r.exam.passed ? 'pass' : 'fail') : '-', r.at].join('|');
}

export function signReport(r: StudyReport): string {
  return createHmac('sha256', secret()).update(canonical(r)).digest('hex');
}

export function verifyReport(r: StudyReport, signature: string, now: Date): 'ok' | 'bad-signature' | 'stale' {
  return verifySigned(signReport(r), r.at, signature, now);
}
