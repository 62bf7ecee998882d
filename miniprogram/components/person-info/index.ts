/**
 * A person of a form. The ID number is shown masked unless the server sent the full number
 * (to the holder and to the form's reviewers only, each read audited — SPEC §4).
 */
import type { EducationLevel, Gender, IdType, PersonView } from '../../../typings/api';
import { maskPhone } from '../../shared/id-number';
import { EDUCATION_LABEL, GENDER_LABEL, ID_TYPE_LABEL } from '../../shared/labels';

Component({
  properties: {
    person: { type: Object, value: {} },
    /** Show the phone unmasked (the unit and reviewers need to call). */
    fullPhone: { type: Boolean, value: true },
  },
  data: { rows: [] as { label: string; value: string }[] },
  observers: {
    'person, fullPhone'(p: PersonView, fullPhone: boolean) {
      if (!p || !p.name) return this.setData({ rows: [] });
      const e = p.education;
      const rows = [
        { label: '姓名', value: p.name },
        { label: '性别', value: GENDER_LABEL[p.gender as Gender] || '' },
        { label: '证件类型', value: ID_TYPE_LABEL[p.idType as IdType] || '' },
        { label: '证件号码', value: p.idNumber || p.idMasked },
        { label: '出生日期', value: p.birthDate || '' },
        { label: '手机号码', value: fullPhone ? p.phone : maskPhone(p.phone || '') },
        { label: '通讯地址', value: p.address || '未填写' },
        {
          label: '最高学历',
          value: e && e.level ? `${EDUCATION_LABEL[e.level as EducationLevel]} · ${e.school} · ${e.major}` : '未填写',
        },
        { label: '毕业时间', value: e && e.graduatedOn ? e.graduatedOn : '未填写' },
        { label: '职称', value: p.title || '未填写' },
      ];
      this.setData({ rows });
    },
  },
});
