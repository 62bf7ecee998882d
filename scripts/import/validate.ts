/**
 * Row checks of the legacy import (SPEC §5 "Legacy import file"): each row of 单位 / 人员 / 证书
 * becomes a clean record or a list of Chinese reasons. Checks that need the database (the unit or
 * the person exists, a number already taken) are done by run.ts with these records.
 */
import type { EducationLevel, Gender, IdType } from '../../typings/api';
import { checkCreditCode, normalizeCreditCode } from '../../miniprogram/shared/credit-code';
import { isDay } from '../../miniprogram/shared/dates';
import { checkIdNumber, isResidencePermit, normalizeIdNumber, parseResidentId } from '../../miniprogram/shared/id-number';
import { CERT_NO_RE } from '../../cloudfunctions/domain/certs/token';
import { unprintableChars } from '../../cloudfunctions/certs/glyphs';
import type { Cell, SourceRow } from './read';
import { PROFILES } from '../../miniprogram/shared/association';

export interface UnitRow {
  row: number;
  name: string;
  creditCode: string;
  isMember: boolean;
  memberUntil?: string;
  orgName: string;
}

export interface PersonRow {
  row: number;
  name: string;
  gender: Gender;
  idType: IdType;
  idNumber: string;
  birthDate: string;
  phone: string;
  unitName: string;
  education?: { level: EducationLevel; school: string; major: string; graduatedOn: string };
  title?: string;
  ordinaryUntil?: string;
  professionalUntil?: string;
  joinedOn?: string;
}

export interface CertRow {
  row: number;
  idNumber: string;
  type: string;
  no: string;
  specialties: string[];
  firstIssuedOn: string;
  renewedOn?: string;
  validUntil: string;
  status: 'valid' | 'cancelled';
}

export type Checked<T> = { ok: true; value: T; warnings: string[] } | { ok: false; reasons: string[] };

/** Certificate types of the association profiles that ship (SPEC §2, issue 12). */
export const CERT_TYPES = Object.values(PROFILES).flatMap((p) => p.certificateTypes.map((c) => c.name));
const EDUCATION: Record<string, EducationLevel> = { 中专: 'secondary', 大专: 'college', 本科: 'bachelor', 硕士: 'master', 博士: 'doctor' };

const text = (r: SourceRow, h: string) => (r.cells[h]?.text || '').trim();

/** A date cell: `YYYY-MM-DD` text (also `/` or `.` separated) or an Excel date; '' when empty. */
export function dayOf(cell: Cell | undefined): { day: string } | { bad: true } {
  const t = (cell?.text || '').trim();
  if (!t) return { day: '' };
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (!m) return { bad: true };
  const day = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isDay(day) ? { day } : { bad: true };
}

function date(r: SourceRow, h: string, reasons: string[], required = false): string {
  const d = dayOf(r.cells[h]);
  if ('bad' in d) {
    reasons.push(`${h}“${text(r, h)}”不是有效日期（应为YYYY-MM-DD或Excel日期）`);
    return '';
  }
  if (required && !d.day) reasons.push(`${h}不能为空`);
  return d.day;
}

function finish<T>(reasons: string[], value: T, warnings: string[] = []): Checked<T> {
  return reasons.length ? { ok: false, reasons } : { ok: true, value, warnings };
}

export function checkUnit(r: SourceRow): Checked<UnitRow> {
  const reasons: string[] = [];
  const name = text(r, '单位名称');
  if (!name) reasons.push('单位名称不能为空');
  else if (Array.from(name).length > 100) reasons.push('单位名称超过100个字');
  const creditCode = normalizeCreditCode(text(r, '统一社会信用代码'));
  const codeProblem = creditCode ? checkCreditCode(creditCode) : '统一社会信用代码不能为空';
  if (codeProblem) reasons.push(codeProblem);
  const flag = text(r, '是否会员');
  if (flag && flag !== '是' && flag !== '否') reasons.push(`是否会员应填“是”或“否”，而不是“${flag}”`);
  const isMember = flag === '是';
  const memberUntil = date(r, '会籍有效期', reasons);
  if (isMember && !memberUntil && !reasons.some((x) => x.startsWith('会籍有效期'))) reasons.push('单位会员须填写会籍有效期');
  const orgName = text(r, '初审机构');
  if (!orgName) reasons.push('初审机构不能为空');
  return finish(reasons, { row: r.row, name, creditCode, isMember, ...(memberUntil ? { memberUntil } : {}), orgName });
}

export function checkPerson(r: SourceRow, today: string): Checked<PersonRow> {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const name = text(r, '姓名').replace(/\s+/g, '');
  if (!name) reasons.push('姓名不能为空');
  else if (Array.from(name).length > 30) reasons.push('姓名超过30个字');
  else {
    const missing = unprintableChars(name);
    if (missing.length) warnings.push(`姓名中的“${missing.join('”“')}”字无法打印在电子证书上，其电子证书将无法下载，请核对`);
  }
  const g = text(r, '性别');
  const gender: Gender | null = g === '男' ? 'male' : g === '女' ? 'female' : null;
  if (!gender) reasons.push(g ? `性别应填“男”或“女”，而不是“${g}”` : '性别不能为空');
  const idCell = r.cells['身份证号'];
  const idNumber = normalizeIdNumber(idCell?.text || '');
  let idType: IdType = 'resident';
  let birthDate = '';
  if (!idNumber) reasons.push('身份证号不能为空');
  else if (idCell?.unsafe) reasons.push('身份证号被Excel存成了数字，末几位已丢失，请把该列设为文本格式后重新导出');
  else if (/^\d{17}[\dX]$/.test(idNumber)) {
    idType = isResidencePermit(idNumber) ? 'hmt' : 'resident';
    const parsed = parseResidentId(idNumber, today);
    if (!parsed.ok) reasons.push(parsed.reason);
    else {
      birthDate = parsed.info.birthDate;
      if (gender && parsed.info.gender !== gender) reasons.push(`性别“${g}”与身份证号不一致`);
    }
  } else if (!checkIdNumber('hmt', idNumber, today)) idType = 'hmt';
  else reasons.push(checkIdNumber('resident', idNumber, today) as string);
  const phone = text(r, '手机号码').replace(/[\s-]/g, '');
  if (phone && !/^1[3-9]\d{9}$/.test(phone)) reasons.push(`手机号码“${phone}”不正确`);
  const eduText = text(r, '学历');
  let education: PersonRow['education'];
  const graduatedOn = date(r, '毕业时间', reasons);
  if (eduText) {
    const level = EDUCATION[eduText];
    if (!level) reasons.push(`学历应为中专、大专、本科、硕士或博士，而不是“${eduText}”`);
    else education = { level, school: text(r, '毕业院校'), major: text(r, '所学专业'), graduatedOn };
  }
  const ordinaryUntil = date(r, '普通会籍有效期', reasons);
  const professionalUntil = date(r, '专业会籍有效期', reasons);
  const joinedOn = date(r, '入会日期', reasons);
  if (joinedOn && joinedOn > today) reasons.push('入会日期晚于今天');
  const title = text(r, '职称');
  return finish(
    reasons,
    {
      row: r.row,
      name,
      gender: gender as Gender,
      idType,
      idNumber,
      birthDate,
      phone,
      unitName: text(r, '工作单位'),
      ...(education ? { education } : {}),
      ...(title ? { title } : {}),
      ...(ordinaryUntil ? { ordinaryUntil } : {}),
      ...(professionalUntil ? { professionalUntil } : {}),
      ...(joinedOn ? { joinedOn } : {}),
    },
    warnings,
  );
}

export function checkCert(r: SourceRow, today: string): Checked<CertRow> {
  const reasons: string[] = [];
  const idCell = r.cells['身份证号'];
  const idNumber = normalizeIdNumber(idCell?.text || '');
  if (!idNumber) reasons.push('身份证号不能为空');
  else if (idCell?.unsafe) reasons.push('身份证号被Excel存成了数字，末几位已丢失，请把该列设为文本格式后重新导出');
  const type = text(r, '证书类型');
  if (!type) reasons.push('证书类型不能为空');
  else if (!CERT_TYPES.includes(type)) reasons.push(`证书类型“${type}”不在${CERT_TYPES.join('/')}之中`);
  const no = text(r, '证书编号').toUpperCase();
  if (!no) reasons.push('证书编号不能为空');
  else if (!CERT_NO_RE.test(no)) reasons.push(`证书编号“${no}”只能由3-32位字母、数字、-或_组成`);
  const firstIssuedOn = date(r, '初次发证日期', reasons, true);
  const renewedOn = date(r, '上次换证日期', reasons);
  const validUntil = date(r, '证书有效期', reasons, true);
  if (firstIssuedOn && firstIssuedOn > today) reasons.push('初次发证日期晚于今天');
  if (firstIssuedOn && validUntil && validUntil < firstIssuedOn) reasons.push('证书有效期早于初次发证日期');
  if (firstIssuedOn && renewedOn && renewedOn < firstIssuedOn) reasons.push('上次换证日期早于初次发证日期');
  const s = text(r, '证书状态') || '有效';
  let status: CertRow['status'] = 'valid';
  if (s === '注销') status = 'cancelled';
  else if (s === '过期') {
    if (validUntil && validUntil >= today) reasons.push(`证书状态为“过期”，但有效期${validUntil}还未到`);
  } else if (s !== '有效') reasons.push(`证书状态应为有效、过期或注销，而不是“${s}”`);
  const specialties = [text(r, '专业1'), text(r, '专业2')].filter(Boolean);
  return finish(reasons, { row: r.row, idNumber, type, no, specialties, firstIssuedOn, ...(renewedOn ? { renewedOn } : {}), validUntil, status });
}
