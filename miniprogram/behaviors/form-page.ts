/**
 * A page showing one form (`?formId=`) through `components/form-detail`: loading it, retry and
 * pull-down refresh, the page-state flags, and keeping a full ID number read in the detail
 * (`revealed`) in the page's copy of the form. The page provides `show(form, notice)` — what it
 * derives from the form for its own step — and may replace `fetchForm()` (the reviewer's page also
 * reads the caller's roles) and `missingText` (where to open the page from).
 */
import type { FormView } from '../../typings/api';
import { call } from '../services/request';
import { errorText } from '../utils/format';

/** The method a page using `formPage` must have. */
export interface FormShower {
  show(form: FormView, notice?: string): void;
}

export const formPage = Behavior({
  data: {
    formId: '',
    loading: true,
    error: '',
    form: null as FormView | null,
    /** Shown when the page was opened without a form. */
    missingText: '缺少表单编号，请从列表进入。',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ formId: (query && query.formId) || '' });
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },

    fetchForm(): Promise<FormView> {
      return call('forms', 'get', { formId: this.data.formId });
    },

    /** (Re)load the form; what is shown stays until the answer. `notice` goes to the page's `show`. */
    async load(notice = ''): Promise<void> {
      if (!this.data.formId) {
        this.setData({ loading: false, error: this.data.missingText });
        return;
      }
      this.setData({ loading: !this.data.form, error: '' });
      try {
        const form = await this.fetchForm();
        (this as unknown as FormShower).show(form, notice);
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },

    /** A full ID number read in the detail (audited): kept in the page's copy of the form. */
    onRevealed(e: WechatMiniprogram.CustomEvent<{ index: number; idNumber: string }>) {
      this.setData({ [`form.people[${e.detail.index}].idNumber`]: e.detail.idNumber });
    },
  },
});
