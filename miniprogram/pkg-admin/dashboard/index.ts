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
  },
  methods: {
    async load() {
      const { from, to } = this.data;
      if (!this.data.charts.length) this.setData({ loading: true, error: '' });
      try {
        const s = await call('admin', 'stats', { ...(from ? { from } : {}), ...(to ? { to } : {}) });
        this.setData({ loading: false, error: '', charts: chartsOf(s) });
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },
    onPeriod(e: WechatMiniprogram.CustomEvent<{ from: string; to: string }>) {
      this.setData({ from: e.detail.from, to: e.detail.to });
      this.load();
    },
  },
});
