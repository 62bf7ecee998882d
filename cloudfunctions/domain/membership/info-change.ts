/**
 * 个人信息变更 (issue 11, manual 2.3): a member asks (members.requestChange) or the unit starts it
 * (forms.create type member-info-change) — 单位预审 (skipped when the unit starts it) → 机构初审 → 协会复核,
 * then the change is applied to the record. Phone, address, education, title and photo; a name or
 * ID number change needs the new ID card's pictures as proof and always goes through the
 * association's review. The person is registered as in flight meanwhile (manual 2.5.1(2)).
 */
import type { Files } from '../../../typings/api';
import { FLOWS } from '../../../miniprogram/shared/flow';
import { validateEducation } from '../../../miniprogram/shared/profile';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { audit, inTransaction, newId } from '../../infra/store';
import { failOn, FieldErrors } from '../../infra/validate';
import { businessPerson, takeBusy } from '../business/business';
import { attach, idsOf } from '../files/files';
import { nextFormNo } from '../forms/engine';
import type { FormDoc, MemberChange, MemberDoc, UnitDoc } from '../model';

/** Check what is asked: something to change, each field valid, proof for a name or ID number. */
export function checkChange(c: MemberChange, files: Files, m: MemberDoc, today: string): void {
  const errors: FieldErrors = {};
  const keys = (Object.keys(c) as (keyof MemberChange)[]).filter((k) => c[k] !== undefined);
  if (!keys.length) errors.changes = '请填写要变更的信息';
  if (c.phone !== undefined && !/^1[3-9]\d{9}$/.test(c.phone)) errors['changes.phone'] = '请填写11位手机号码';
  if (c.name !== undefined && !/^[\p{Script=Han}A-Za-z·•. ]{2,30}$/u.test(c.name)) errors['changes.name'] = '姓名应为2-30个汉字或字母';
  if (c.education) for (const [k, v] of Object.entries(validateEducation({ ...(m.education || {}), ...c.education }, m.birthDate, today))) errors[`changes.${k}`] = v;
  if ((c.name !== undefined || c.idNumber !== undefined) && !(files.idFront && files.idBack))
    errors['files.idFront'] = '变更姓名或证件号码须上传新身份证件的人像面和国徽面';
  if (c.photo !== undefined && files.photo !== c.photo) errors['changes.photo'] = '证件照须随本次申请上传';
  failOn(errors);
}

/** Create the change form: submitted at once by a member; a draft (submitted with forms.submit) by the unit. */
export async function createChangeForm(
  db: Database,
  o: { member: MemberDoc; unit: UnitDoc | null; changes: MemberChange; files: Files; by: string; byMember: boolean; now: Date; today: string },
): Promise<FormDoc> {
  checkChange(o.changes, o.files, o.member, o.today);
  const person = businessPerson({ member: o.member, certs: [], busy: null, unpaid: [] }, { eligible: true, reasons: [], membershipFeeDue: false });
  const first = o.byMember ? FLOWS['member-info-change'][0] : FLOWS['member-info-change'][1];
  const form: FormDoc = {
    _id: newId(),
    no: '',
    type: 'member-info-change',
    status: o.byMember ? first : 'draft',
    unitId: o.unit?._id || '',
    unitName: o.unit?.name || '',
    orgId: o.unit?.orgId || '',
    memberIds: [o.member._id],
    ...(o.byMember ? { applicantOpenid: o.by } : {}),
    memberChanges: o.changes,
    files: o.files,
    people: [person],
    personHashes: [person.idHash],
    personNames: [person.name],
    billIds: [],
    amountDue: 0,
    trail: o.byMember ? [{ at: o.now, by: o.by, role: 'applicant', from: 'draft', to: first, remark: '本人申请个人信息变更' }] : [],
    version: 1,
    createdAt: o.now,
    updatedAt: o.now,
  };
  await inTransaction(db, async (t) => {
    await attach(t, idsOf(o.files), { formId: form._id });
    form.no = await nextFormNo(t, 'member-info-change', o.now);
    if (o.byMember)
      await takeBusy(t, o.member._id, o.member.name, { formId: form._id, formNo: form.no, type: form.type, phase: 'review' }, o.now, o.unit?._id);
    await t.collection(C.forms).add({ data: form });
    await audit(t, {
      targetType: 'form',
      targetId: form._id,
      action: o.byMember ? 'apply' : 'create',
      actor: o.by,
      role: o.byMember ? 'member' : 'unit_admin',
      to: form.status,
      remark: `个人信息变更 ${form.no}`,
      at: o.now,
    });
  });
  return form;
}

/** A photo, if one is asked for, is the applicant's own upload. */
export function changeFiles(changes: MemberChange, files: Files): Files {
  return changes.photo ? { ...files, photo: changes.photo } : files;
}
