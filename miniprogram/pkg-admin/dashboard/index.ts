/**
 * 数据统计 (secretariat, association reviewer; issue 12 — the seed's home page shows 单证 79%,
 * 18–30岁 93%): forms by status, type and month, people by age band, education and certificate type,
 * from `admin.stats`, drawn as bars with their counts and shares. An optional period (from / to)
 * narrows the form counts to forms submitted in it.
 */
import { Chart, chartsOf } from '../../utils/charts';
import { call } from '../../services/request';
import { errorText } from '../../utils/format';
import { loadPage } from '../../behaviors/load-page';

Component({
  behaviors: [loadPage],
  data: {
    loading: true,
    error: '',
    charts: [] as Chart[],
    from: '',
    to: '',
    periodError: '',
  },
  methods: {
    async load() {
      const { from, to } = this.data;
      if (from && to && from > to) {
        this.setData({ periodError: '开始日期不能晚于结束日期' });
        return;
      }
      if (!this.data.charts.length) this.setData({ loading: true, error: '' });
      try {
        const s = await call('admin', 'stats', { ...(from ? { from } : {}), ...(to ? { to } : {}) });
        this.setData({ loading: false, error: '', periodError: '', charts: chartsOf(s) });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },
    onFrom(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ from: e.detail.value, periodError: '' });
      this.load();
    },
    onTo(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ to: e.detail.value, periodError: '' });
      this.load();
    },
    onClearPeriod() {
      this.setData({ from: '', to: '', periodError: '' });
      this.load();
    },
  },
});
