/**
 * The applicant's details (SPEC §2 Member, §5 profile fields), shared by the join form, the
 * applicant's and the unit's resubmission and the unit's pre-review supplement. It renders what the
 * page holds (`value`) and the page's per-field errors (from `checkProfile`, WXML-safe keys); every
 * edit is sent up as `change` `{ field, value }` with the whole new profile.
 */
import type { EducationLevel, Profile } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { parseResidentId, normalizeIdNumber } from '../../shared/id-number';
import { EDUCATION_LABEL, GENDER_LABEL, ID_TYPE_LABEL } from '../../shared/labels';

const EDUCATION_KEYS = Object.keys(EDUCATION_LABEL) as EducationLevel[];

/** `education.school` → a copy of `value` with that path set. */
function setPath(value: Partial<Profile>, field: string, v: string): Partial<Profile> {
  const next: Partial<Profile> = { ...value };
  if (field.indexOf('education.') === 0) {
    const key = field.slice('education.'.length);
    next.education = { ...(value.education || {}), [key]: v } as Profile['education'];
  } else {
    (next as Record<string, unknown>)[field] = v;
  }
  return next;
}

/** For a valid mainland number: what it says (birth date, gender), shown as a positive check. */
function idInfoOf(value: Partial<Profile>, today: string): string {
  const id = normalizeIdNumber(value.idNumber || '');
  if (id.length !== 18 || !(value.idType === 'resident' || /^8[123]/.test(id))) return '';
  const r = parseResidentId(id, today);
  return r.ok ? `校验通过：出生日期 ${r.info.birthDate}，${GENDER_LABEL[r.info.gender]}` : '';
}

Component({
  properties: {
    value: { type: Object, value: {} },
    errors: { type: Object, value: {} },
    showIdentity: { type: Boolean, value: true },
    showEducation: { type: Boolean, value: true },
    /** The unit may not change the applicant's own contact number (server: UNIT_EDITABLE). */
    showPhone: { type: Boolean, value: true },
    addressRequired: { type: Boolean, value: false },
    educationRequired: { type: Boolean, value: false },
    /** A step of a wizard: 'person' (identity and contact) or 'education' only; '' shows every group. */
    part: { type: String, value: '' },
  },
  data: {
    today: shanghaiDay(),
    genders: [
      { value: 'male', label: GENDER_LABEL.male },
      { value: 'female', label: GENDER_LABEL.female },
    ],
    idTypes: [
      { value: 'resident', label: ID_TYPE_LABEL.resident },
      { value: 'hmt', label: '港澳台证件' },
      { value: 'other', label: ID_TYPE_LABEL.other },
    ],
    educationLabels: EDUCATION_KEYS.map((k) => EDUCATION_LABEL[k]),
    educationIndex: -1,
    idInfo: '',
    askBirth: false,
  },
  observers: {
    value(value: Partial<Profile>) {
      const v = value || {};
      const level = v.education && v.education.level;
      const id = normalizeIdNumber(v.idNumber || '');
      this.setData({
        educationIndex: level ? EDUCATION_KEYS.indexOf(level) : -1,
        idInfo: idInfoOf(v, this.data.today),
        // Birth date is derived from mainland numbers (and HK/Macau/Taiwan residence permits 81–83).
        askBirth: !!v.idType && v.idType !== 'resident' && !/^8[123]\d{16}/.test(id),
      });
    },
  },
  methods: {
    emit(field: string, v: string) {
      const value = setPath(this.data.value as Partial<Profile>, field, v);
      this.triggerEvent('change', { field, value });
    },
    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.emit(String(e.currentTarget.dataset.field), e.detail.value);
    },
    onBlur(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.triggerEvent('blur', { field: String(e.currentTarget.dataset.field) });
    },
    onChoose(e: WechatMiniprogram.TouchEvent) {
      const { field, value } = e.currentTarget.dataset as { field: string; value: string };
      this.emit(field, value);
    },
    onPicker(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const field = String(e.currentTarget.dataset.field);
      const raw = String(e.detail.value);
      this.emit(field, field === 'education.level' ? EDUCATION_KEYS[Number(raw)] : raw);
    },
  },
});
