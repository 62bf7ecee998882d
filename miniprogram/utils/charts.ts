/** Bar charts of `admin.stats` for 数据统计: pure, so the page and its tests share them. */
import type { EducationLevel, FormStatus, FormType, StatsView } from '../../typings/api';
import { EDUCATION_LABEL, FORM_STATUS_LABEL, FORM_TYPE_LABEL } from '../shared/labels';

/** One bar: its label, count, share of the chart's total (text) and width (% of the largest). */
export interface Bar {
  key: string;
  label: string;
  count: number;
  share: string;
  width: number;
}

export interface Chart {
  id: string;
  title: string;
  total: number;
  bars: Bar[];
}

/** Bars for `rows`, the largest filling the width; zero rows dropped unless `keepZeros`. */
export function barsOf(rows: { key: string; label: string; count: number }[], keepZeros = false): { total: number; bars: Bar[] } {
  const total = rows.reduce((a, r) => a + r.count, 0);
  const max = Math.max(0, ...rows.map((r) => r.count));
  const bars = rows
    .filter((r) => keepZeros || r.count > 0)
    .map((r) => ({
      ...r,
      share: total ? `${Math.round((r.count / total) * 100)}%` : '0%',
      width: max && r.count ? Math.max(2, Math.round((r.count / max) * 100)) : 0,
    }));
  return { total, bars };
}

export function chartsOf(s: StatsView): Chart[] {
  const charts: Chart[] = [];
  const add = (id: string, title: string, rows: { key: string; label: string; count: number }[], keepZeros = false) =>
    charts.push({ id, title, ...barsOf(rows, keepZeros) });
  add('by-status', '表单状态', (Object.keys(s.forms.byStatus) as FormStatus[]).map((k) => ({ key: k, label: FORM_STATUS_LABEL[k], count: s.forms.byStatus[k] })));
  add('by-type', '业务类型', (Object.keys(s.forms.byType) as FormType[]).map((k) => ({ key: k, label: FORM_TYPE_LABEL[k], count: s.forms.byType[k] })));
  add('by-month', '近12个月提交', s.forms.byMonth.map((m) => ({ key: m.month, label: m.month, count: m.count })), true);
  add('by-age', '会员年龄', s.people.byAge.map((a) => ({ key: a.band, label: a.band, count: a.count })), true);
  add('by-education', '最高学历', (Object.keys(s.people.byEducation) as EducationLevel[]).map((k) => ({ key: k, label: EDUCATION_LABEL[k], count: s.people.byEducation[k] })), true);
  add('by-cert', '有效证书', s.people.byCertificateType.map((c) => ({ key: c.type, label: c.type, count: c.count })), true);
  return charts;
}

