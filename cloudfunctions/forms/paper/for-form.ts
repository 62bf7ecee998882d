/**
 * Which paper a form prints, filled from the form (issue 12): 延续/继续教育 → 延续登记申请表,
 * 证书变更(单位名称) → 变更登记申请表, 证书注销 → 注销申请表, 单位入会 → 单位会员入会申请表, every
 * other business → its 申请表. One person per paper (the one asked for); the ID number is printed in
 * full — the callers allowed here are those `revealId` allows, and the print is audited as a read.
 */
import type { FormType } from '../../../typings/api';
import { EDUCATION_LABEL, FORM_TYPE_LABEL } from '../../../miniprogram/shared/labels';
import type { FormDoc, PersonDoc, UnitDoc } from '../../domain/model';
import { revealId } from '../../infra/pii';
import type { PaperDoc } from './render';
import { PAPERS, PaperKind, PaperPerson } from './templates';

export function paperKindOf(type: FormType): PaperKind {
  switch (type) {
    case 'continuing-education':
    case 'registration-renewal':
      return 'renewal-application';
    case 'registration-change':
      return 'change-application';
    case 'cert-unit-change':
      return 'change-application';
    case 'cert-cancel':
      return 'cancellation-application';
    case 'unit-membership':
      return 'unit-membership-application';
    default:
      return 'business-application';
  }
}

function personOf(p: PersonDoc): PaperPerson {
  return {
    name: p.name,
    gender: p.gender,
    idNumber: revealId(p.idCipher),
    phone: p.phone,
    ...(p.title ? { title: p.title } : {}),
    ...(p.education ? { education: EDUCATION_LABEL[p.education.level], specialty: p.education.major } : {}),
    ...(p.address ? { address: p.address } : {}),
  };
}

/** The paper of `form` for the person at `index` (unit forms: the unit's). */
export function paperOf(form: FormDoc, index: number, unit: UnitDoc | null, association: string, now: Date): PaperDoc {
  const kind = paperKindOf(form.type);
  const common = { association, formNo: form.no, createdAt: now };
  const p = form.people[index];
  const r = form.registration;
  const cert = r
    ? { type: r.certType, no: r.certNo, issuedOn: r.certIssuedOn, validUntil: r.certValidUntil }
    : p
      ? { type: p.certType, no: p.certNo, specialties: p.specialties }
      : undefined;
  // A holder's registration prints what they filled in (seed 000 4.1) over the record.
  const person = p && { ...personOf(p), ...(r ? r.details : {}) };
  switch (kind) {
    case 'renewal-application':
      return PAPERS[kind].build({ ...common, person, cert, unit: form.unitName });
    case 'change-application':
      return PAPERS[kind].build({ ...common, person, cert, ...(r ? { fromUnit: r.fromUnitName } : {}), toUnit: form.unitName });
    case 'cancellation-application':
      return PAPERS[kind].build({ ...common, person: personOf(p), cert, unit: form.unitName });
    case 'unit-membership-application':
      return PAPERS[kind].build({
        ...common,
        unit: { name: unit?.name, creditCode: unit?.creditCode, legalRep: unit?.legalRep, contactName: unit?.contactName, contactPhone: unit?.contactPhone, address: unit?.address },
      });
    default:
      return PAPERS['business-application'].build({
        ...common,
        business: FORM_TYPE_LABEL[form.type],
        ...(p ? { person: personOf(p), cert } : {}),
        unit: { name: form.unitName },
        ...(form.specialties ? { details: `申请专业：${form.specialties.join('、')}` } : {}),
      });
  }
}
