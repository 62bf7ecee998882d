/** One form in a list: people, type, number, status tag, unit and date; tap opens `url`. */
import type { FormSummary, FormType } from '../../../typings/api';
import { FORM_TYPE_LABEL } from '../../shared/labels';
import { formatTime } from '../../utils/format';

Component({
  properties: {
    item: { type: Object, value: {} },
    url: { type: String, value: '' },
    showUnit: { type: Boolean, value: false },
  },
  data: { title: '', typeLabel: '', ids: '', unitName: '', createdAt: '' },
  observers: {
    'item, showUnit'(item: FormSummary, showUnit: boolean) {
      if (!item || !item.id) return;
      this.setData({
        title: (item.names || []).join('、') || '（未填写姓名）',
        typeLabel: FORM_TYPE_LABEL[item.type as FormType] || item.type,
        ids: (item.idMasked || []).join('、'),
        unitName: showUnit && item.unit ? item.unit.name : '',
        createdAt: formatTime(item.createdAt),
      });
    },
  },
  methods: {
    onTap() {
      if (this.data.url) wx.navigateTo({ url: this.data.url });
    },
  },
});
