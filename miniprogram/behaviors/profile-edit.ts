/**
 * Editing a profile and its attachments on a page (join, the applicant's resubmission, the unit's
 * pre-review supplement and resubmission): the `profile-form` and `file-slot` events, which fields
 * count as touched, and which errors show — live ones for touched fields, all after a submit attempt
 * (`showAll`), and the server's per-field errors until that field is edited. The page provides
 * `check()`: every error of what is being edited (WXML-safe keys), as its rules say.
 */
import type { FileKey, Files, PersonView, Profile } from '../../typings/api';
import { shanghaiDay } from '../shared/dates';
import { pickErrors, toast } from '../utils/format';
import { fieldKey, touchAfterChange, withDerivedGender } from '../utils/profile-edit';

/** What of a form's person may be edited again after a return: address, education, title. */
export function editablePartOf(p: PersonView): Partial<Profile> {
  const out: Partial<Profile> = {};
  if (p.address) out.address = p.address;
  if (p.education) out.education = { ...p.education };
  if (p.title) out.title = p.title;
  return out;
}

/** The method a page using `profileEdit` must have. */
export interface ProfileChecker {
  check(): Record<string, string>;
}

export const profileEdit = Behavior({
  data: {
    profile: {} as Partial<Profile>,
    files: {} as Files,
    touched: {} as Record<string, boolean>,
    /** After a submit attempt every error shows, touched or not. */
    showAll: false,
    /** Server-side field errors of the last submit, until the field is edited. */
    serverErrors: {} as Record<string, string>,
    /** What is shown. */
    errors: {} as Record<string, string>,
  },
  methods: {
    /** Before sending: show every error; true when there is none (else the toast `unfixed`, when given). */
    ready(unfixed = ''): boolean {
      this.setData({ showAll: true });
      this.refresh();
      const ok = !Object.keys((this as unknown as ProfileChecker).check()).length;
      if (!ok && unfixed) toast(unfixed);
      return ok;
    },

    /** Recompute the errors shown. */
    refresh() {
      const errors = (this as unknown as ProfileChecker).check();
      this.setData({
        errors: { ...pickErrors(errors, this.data.touched, this.data.showAll), ...this.data.serverErrors },
      });
    },

    onProfile(e: WechatMiniprogram.CustomEvent<{ field: string; value: Partial<Profile> }>) {
      if (!e.detail || !e.detail.field) return; // a bubbling event from inside the form, not the form's own
      const { field } = e.detail;
      // A valid mainland number fills an empty gender (the number says it anyway).
      const value = field === 'idNumber' ? withDerivedGender(e.detail.value, shanghaiDay()) : e.detail.value;
      const serverErrors = { ...this.data.serverErrors };
      delete serverErrors[fieldKey(field)];
      this.setData({ profile: value, touched: touchAfterChange(field, value, this.data.touched), serverErrors });
      this.refresh();
    },

    onBlur(e: WechatMiniprogram.CustomEvent<{ field: string }>) {
      const key = fieldKey(e.detail.field);
      if (this.data.touched[key]) return;
      this.setData({ touched: { ...this.data.touched, [key]: true } });
      this.refresh();
    },

    onFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      const { key, fileID } = e.detail;
      const serverErrors = { ...this.data.serverErrors };
      delete serverErrors[`files_${key}`];
      this.setData({ files: { ...this.data.files, [key]: fileID }, serverErrors });
      this.refresh();
    },
  },
});
