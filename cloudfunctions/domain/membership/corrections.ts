/**
 * Direct corrections by the secretariat (issue 11, manual FAQ 3.25: "会员服务平台单位/个人信息与以前不符
 * … 请尽快联系协会处理"): a member's basic data, memberships, or a certificate, changed in one
 * transaction with the reason in an audit event per record — the trail the record's history shows.
 */
import type { Education, Gender, IdType, MembershipLevel } from '../../../typings/api';
import { AppError } from '../../../miniprogram/shared/errors';
import { isDay } from '../../../miniprogram/shared/dates';
import { checkIdNumber } from '../../../miniprogram/shared/id-number';
import { protectId } from '../../infra/pii';
import { C } from '../../infra/schema';
import { audit, getDoc, Tx } from '../../infra/store';
import { failOn, FieldErrors } from '../../infra/validate';
import type { CertificateDoc, MemberDoc } from '../model';

export interface MemberCorrection {
  name?: string;
  gender?: Gender;
  phone?: string;
  address?: string;
  title?: string;
  education?: Partial<Education>;
  idType?: IdType;
  idNumber?: string;
  photo?: string;
  ordinaryUntil?: string;
  professionalUntil?: string;
}

export interface CertificateCorrection {
  no?: string;
  type?: string;
  specialties?: string[];
  unitName?: string;
  firstIssuedOn?: string;
  renewedOn?: string;
  validUntil?: string;
  status?: 'valid' | 'cancelled';
}

const NAME_RE = /^[\p{Script=Han}A-Za-z·•. ]{2,30}$/u;

const show = (v: unknown) => (v === undefined || v === null || v === '' ? '（空）' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Apply a correction to a member inside a transaction; the audit remark lists every change and the reason. */
export async function correctMember(
  t: Tx,
  memberId: string,
  c: MemberCorrection,
  by: { openid: string; reason: string; today: string; now: Date },
  /** The member's certificates (read before the transaction: transactions read by id only). */
  certIds: string[],
  /** Who changes it and how the history says so: the secretariat's correction, or a reviewed change form. */
  how: { role: 'secretariat' | 'assoc_reviewer' | 'org_reviewer'; action: 'correct' | 'info-change'; label: string } = {
    role: 'secretariat',
    action: 'correct',
    label: '秘书处更正',
  },
): Promise<MemberDoc> {
  const m = await getDoc<MemberDoc>(t, C.members, memberId);
  if (!m) throw new AppError('NOT_FOUND', '会员记录不存在。');
  const errors: FieldErrors = {};
  if (c.name !== undefined && !NAME_RE.test(c.name)) errors['changes.name'] = '姓名应为2-30个汉字或字母';
  if (c.phone !== undefined && !/^1[3-9]\d{9}$/.test(c.phone)) errors['changes.phone'] = '请填写11位手机号码';
  for (const k of ['ordinaryUntil', 'professionalUntil'] as const) if (c[k] !== undefined && !isDay(c[k])) errors[`changes.${k}`] = '日期不正确';
  if (c.education?.graduatedOn !== undefined && !isDay(c.education.graduatedOn)) errors['changes.education.graduatedOn'] = '日期不正确';
  let stored: ReturnType<typeof protectId> | undefined;
  if (c.idNumber !== undefined) {
    const problem = checkIdNumber(c.idType || m.idType, c.idNumber, by.today);
    if (problem) errors['changes.idNumber'] = problem;
    else stored = protectId(c.idNumber);
  }
  failOn(errors);
  const patch: Record<string, unknown> = {};
  const lines: string[] = [];
  const set = (key: string, label: string, before: unknown, after: unknown) => {
    if (after === undefined || JSON.stringify(before) === JSON.stringify(after)) return;
    patch[key] = after;
    lines.push(`${label}：${show(before)} → ${show(after)}`);
  };
  set('name', '姓名', m.name, c.name);
  set('gender', '性别', m.gender, c.gender);
  set('phone', '手机号码', m.phone, c.phone);
  set('address', '通讯地址', m.address, c.address);
  set('title', '职称', m.title, c.title);
  set('photo', '证件照', m.photo, c.photo);
  if (c.education) set('education', '学历', m.education, { ...(m.education || {}), ...c.education });
  set('idType', '证件类型', m.idType, c.idType);
  if (stored && stored.idHash !== m.idHash) {
    Object.assign(patch, stored);
    lines.push(`证件号码：${m.idMasked} → ${stored.idMasked}`);
  }
  let memberships = m.memberships;
  for (const [level, until] of [['ordinary', c.ordinaryUntil], ['professional', c.professionalUntil]] as [MembershipLevel, string | undefined][]) {
    if (!until) continue;
    const cur = memberships.find((x) => x.level === level);
    if (cur?.validUntil === until) continue;
    memberships = cur ? memberships.map((x) => (x.level === level ? { ...x, validUntil: until } : x)) : [...memberships, { level, since: by.today, validUntil: until }];
    lines.push(`${level === 'ordinary' ? '普通' : '专业'}会籍有效期：${show(cur?.validUntil)} → ${until}`);
  }
  if (memberships !== m.memberships) patch.memberships = memberships;
  if (!lines.length) throw new AppError('INVALID_INPUT', '没有需要更正的内容（与现有信息相同）。', { changes: '没有变化' });
  await t.collection(C.members).doc(memberId).update({ data: { ...patch, updatedAt: by.now } });
  // Certificates carry the holder's name and ID hash for lookup: they follow the correction.
  if (patch.name || (stored && stored.idHash !== m.idHash))
    for (const id of certIds)
      await t
        .collection(C.certificates)
        .doc(id)
        .update({
          data: {
            ...(patch.name ? { holderName: patch.name } : {}),
            ...(stored && stored.idHash !== m.idHash ? { idHash: stored.idHash, idMasked: stored.idMasked } : {}),
            updatedAt: by.now,
          },
        });
  await audit(t, {
    targetType: 'member',
    targetId: memberId,
    action: how.action,
    actor: by.openid,
    role: how.role,
    remark: `${how.label}：${lines.join('；')}。${how.action === 'correct' ? '原因' : '依据'}：${by.reason}`,
    at: by.now,
  });
  return { ...m, ...(patch as Partial<MemberDoc>) };
}

/** Apply a correction to a certificate inside a transaction, audited with the reason. */
export async function correctCertificate(
  t: Tx,
  certId: string,
  c: CertificateCorrection,
  by: { openid: string; reason: string; now: Date },
): Promise<CertificateDoc> {
  const cert = await getDoc<CertificateDoc>(t, C.certificates, certId);
  if (!cert) throw new AppError('NOT_FOUND', '证书不存在。');
  const errors: FieldErrors = {};
  for (const k of ['firstIssuedOn', 'renewedOn', 'validUntil'] as const) if (c[k] !== undefined && !isDay(c[k])) errors[`changes.${k}`] = '日期不正确';
  failOn(errors);
  const patch: Record<string, unknown> = {};
  const lines: string[] = [];
  const labels: Record<keyof CertificateCorrection, string> = {
    no: '证书编号', type: '证书类型', specialties: '专业', unitName: '证书单位', firstIssuedOn: '初次发证日期', renewedOn: '上次换证日期', validUntil: '有效期', status: '状态',
  };
  for (const k of Object.keys(labels) as (keyof CertificateCorrection)[]) {
    if (c[k] === undefined || JSON.stringify(cert[k]) === JSON.stringify(c[k])) continue;
    patch[k] = c[k];
    lines.push(`${labels[k]}：${show(cert[k])} → ${show(c[k])}`);
  }
  if (!lines.length) throw new AppError('INVALID_INPUT', '没有需要更正的内容（与现有信息相同）。', { changes: '没有变化' });
  await t.collection(C.certificates).doc(certId).update({ data: { ...patch, updatedAt: by.now } });
  const remark = `秘书处更正证书 ${cert.no}：${lines.join('；')}。原因：${by.reason}`;
  await audit(t, { targetType: 'certificate', targetId: certId, action: 'correct', actor: by.openid, role: 'secretariat', remark, at: by.now });
  // The holder's record shows its certificates' corrections too.
  await audit(t, { targetType: 'member', targetId: cert.memberId, action: 'correct-certificate', actor: by.openid, role: 'secretariat', remark, at: by.now });
  return { ...cert, ...(patch as Partial<CertificateDoc>) };
}
