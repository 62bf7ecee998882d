/**
 * Roster export (SPEC §3.5 Batch, manual "导出"): the unit's filtered people with certificate columns
 * as a real .xlsx — Chinese headers, one row per person-certificate (a person without a certificate
 * gets one row with the certificate columns empty). ID numbers are masked, as everywhere outside the
 * holder's own view (SPEC §4). Written with exceljs's streaming writer to a temporary file, page by
 * page of the roster, then uploaded; the answer carries a temporary URL.
 */
import { createReadStream, promises as fsp } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { RosterFilter } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { EDUCATION_LABEL, GENDER_LABEL, LEVEL_LABEL } from '../../miniprogram/shared/labels';
import type { Database } from '../infra/cloud';
import { initCloud } from '../infra/cloud';
import { certView, CertificateDoc } from '../domain/model';
import { recordMade, TEMP_FILE_HOURS, unguessable } from '../domain/files/files';
import { hasValidMembership, joinedOn, RosterMember, rosterPages } from '../domain/roster/roster';
import { audit } from '../infra/store';
import { tempUrl } from './artwork';

const CERT_STATUS_LABEL = { valid: '有效', expired: '已过期', cancelled: '已注销' } as const;

/** Column headers and widths, in order. */
export const EXPORT_COLUMNS: { header: string; key: string; width: number; date?: boolean }[] = [
  { header: '序号', key: 'seq', width: 7 },
  { header: '姓名', key: 'name', width: 10 },
  { header: '性别', key: 'gender', width: 6 },
  { header: '证件号码', key: 'idMasked', width: 21 },
  { header: '手机号码', key: 'phone', width: 14 },
  { header: '出生日期', key: 'birthDate', width: 12, date: true },
  { header: '学历', key: 'education', width: 7 },
  { header: '毕业院校', key: 'school', width: 18 },
  { header: '所学专业', key: 'major', width: 14 },
  { header: '职称', key: 'title', width: 12 },
  { header: '会员类型', key: 'levels', width: 18 },
  { header: '会籍有效期', key: 'memberUntil', width: 12, date: true },
  { header: '会籍状态', key: 'memberState', width: 9 },
  { header: '入会日期', key: 'joinedOn', width: 12, date: true },
  { header: '证书类型', key: 'certType', width: 15 },
  { header: '证书编号', key: 'certNo', width: 17 },
  { header: '专业1', key: 'specialty1', width: 16 },
  { header: '专业2', key: 'specialty2', width: 16 },
  { header: '初次发证日期', key: 'firstIssuedOn', width: 13, date: true },
  { header: '上次换证日期', key: 'renewedOn', width: 13, date: true },
  { header: '证书有效期', key: 'validUntil', width: 12, date: true },
  { header: '证书状态', key: 'certStatus', width: 9 },
];

/** A YYYY-MM-DD day as an Excel date (UTC midnight: the serial is exactly that day, in any time zone). */
function excelDay(day: string | undefined): Date | string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function rowsOf(member: RosterMember, certs: CertificateDoc[], today: string): Record<string, unknown>[] {
  const levels = [...new Set((member.memberships || []).map((x) => LEVEL_LABEL[x.level]))].join('、');
  const until = (member.memberships || []).map((x) => x.validUntil).sort().pop() || '';
  const person = {
    name: member.name,
    gender: GENDER_LABEL[member.gender] || '',
    idMasked: member.idMasked,
    phone: member.phone || '',
    birthDate: excelDay(member.birthDate),
    education: member.education ? EDUCATION_LABEL[member.education.level] || '' : '',
    school: member.education?.school || '',
    major: member.education?.major || '',
    title: member.title || '',
    levels,
    memberUntil: excelDay(until),
    memberState: !member.memberships?.length ? '无会籍' : hasValidMembership(member, today) ? '有效' : '已过期',
    joinedOn: excelDay(joinedOn(member)),
  };
  if (!certs.length) return [person];
  return certs.map((c) => ({
    ...person,
    certType: c.type,
    certNo: c.no,
    specialty1: c.specialties?.[0] || '',
    specialty2: c.specialties?.[1] || '',
    firstIssuedOn: excelDay(c.firstIssuedOn),
    renewedOn: excelDay(c.renewedOn),
    validUntil: excelDay(c.validUntil),
    certStatus: CERT_STATUS_LABEL[certView(c, today).status],
  }));
}

export async function runExport(
  db: Database,
  opts: { unitId: string; unitName: string; openid: string; filter: RosterFilter; now: Date; today: string },
): Promise<{ fileID: string; url: string; fileName: string; rows: number; people: number }> {
  const { now, today } = opts;
  const tmp = join(tmpdir(), `roster-${opts.unitId}-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}.xlsx`);
  try {
    const ExcelJS = await import('exceljs');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    wb.creator = '会员服务平台';
    wb.created = now;
    const ws = wb.addWorksheet('人员证书', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = EXPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.date ? { style: { numFmt: 'yyyy-mm-dd' } } : {}) }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    head.commit();
    let rows = 0;
    let people = 0;
    for await (const page of rosterPages(db, opts.unitId, opts.filter, today)) {
      for (const { member, certs } of page) {
        people++;
        const chosen = opts.filter.certType ? certs.filter((c) => c.type === opts.filter.certType) : certs;
        for (const r of rowsOf(member, chosen, today)) ws.addRow({ seq: ++rows, ...r }).commit();
      }
    }
    if (!people) throw new AppError('NOT_FOUND', '没有符合条件的人员。');
    ws.commit();
    await wb.commit();

    const cloudPath = `roster-exports/${opts.unitId}/${unguessable()}.xlsx`;
    const up = (await initCloud().uploadFile({ cloudPath, fileContent: createReadStream(tmp) })) as { fileID: string };
    const size = (await fsp.stat(tmp)).size;
    await recordMade(db, { fileID: up.fileID, openid: opts.openid, purpose: 'export', kind: 'xlsx', size, unitId: opts.unitId, now, ttlHours: TEMP_FILE_HOURS });
    const url = await tempUrl(up.fileID);
    const fileName = `人员花名册-${opts.unitName}-${shanghaiIso(now).slice(0, 10).replace(/-/g, '')}.xlsx`;
    await audit(db, {
      targetType: 'unit',
      targetId: opts.unitId,
      action: 'roster-export',
      actor: opts.openid,
      role: 'unit_admin',
      remark: `导出人员花名册${people}人、${rows}行`,
      at: new Date(),
    });
    return { fileID: up.fileID, url, fileName, rows, people };
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}
