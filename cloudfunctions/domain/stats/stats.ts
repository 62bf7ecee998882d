/**
 * The association's dashboard (issue 12; the seed's home page shows 单证 79%, 18–30岁 93%): counts
 * per form status, type and month, and people by age band, education and certificate type — each an
 * indexed count, never a scan, so it stays cheap at a province's 100k members.
 */
import type { EducationLevel, FormStatus, FormType, StatsView } from '../../../typings/api';
import { addDays, addYears, shanghaiDayStart } from '../../../miniprogram/shared/dates';
import { FORM_STATUSES, FORM_TYPE_LABEL } from '../../../miniprogram/shared/labels';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { activeProfile } from '../../infra/profile';

const EDUCATION: EducationLevel[] = ['secondary', 'college', 'bachelor', 'master', 'doctor'];
/** Age bands as the association reports them. */
export const AGE_BANDS: [label: string, min: number, max: number][] = [
  ['18–30岁', 18, 30],
  ['31–40岁', 31, 40],
  ['41–50岁', 41, 50],
  ['51–60岁', 51, 60],
  ['60岁以上', 61, 120],
];

/** The first day of each of the 12 months ending with `today`'s month. */
function months(today: string): string[] {
  const out: string[] = [];
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  for (let i = 0; i < 12; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}-01`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

export async function stats(db: Database, o: { from?: string; to?: string; today: string }): Promise<StatsView> {
  const _ = db.command;
  const forms = db.collection(C.forms);
  const lo = o.from ? shanghaiDayStart(o.from) : new Date(0);
  const hi = o.to ? shanghaiDayStart(addDays(o.to, 1)) : new Date(8.64e15);
  const created = _.gte(lo).and(_.lt(hi));
  const count = (coll: string, where: Record<string, unknown>) => db.collection(coll).where(where).count().then((r: { total: number }) => r.total);
  const [byStatus, byType] = await Promise.all([
    Promise.all(FORM_STATUSES.map((status) => forms.where({ status, createdAt: created }).count().then((r: { total: number }) => r.total))),
    Promise.all((Object.keys(FORM_TYPE_LABEL) as FormType[]).map((type) => forms.where({ type, createdAt: created }).count().then((r: { total: number }) => r.total))),
  ]);
  const ms = months(o.today);
  const perMonth = await Promise.all(
    ms.map((m, i) => {
      const end = i + 1 < ms.length ? ms[i + 1] : addDays(`${o.today.slice(0, 7)}-01`, 40).slice(0, 7) + '-01';
      return forms.where({ createdAt: _.gte(shanghaiDayStart(m)).and(_.lt(shanghaiDayStart(end))) }).count().then((r: { total: number }) => r.total);
    }),
  );
  // Born after today − (max+1) years and on or before today − min years: aged min…max today.
  const ages = await Promise.all(
    AGE_BANDS.map(([, min, max]) => count(C.members, { birthDate: _.gt(addYears(o.today, -(max + 1))).and(_.lte(addYears(o.today, -min))) })),
  );
  const educations = await Promise.all(EDUCATION.map((level) => count(C.members, { 'education.level': level })));
  // The certificate types of the association's profile.
  const certTypes = activeProfile().certificateTypes.map((c) => c.name);
  const certs = await Promise.all(certTypes.map((type) => count(C.certificates, { type, status: 'valid' })));
  return {
    forms: {
      byStatus: Object.fromEntries(FORM_STATUSES.map((s, i) => [s, byStatus[i]])) as Record<FormStatus, number>,
      byType: Object.fromEntries((Object.keys(FORM_TYPE_LABEL) as FormType[]).map((t, i) => [t, byType[i]])) as Record<FormType, number>,
      byMonth: ms.map((m, i) => ({ month: m.slice(0, 7), count: perMonth[i] })),
    },
    people: {
      byAge: AGE_BANDS.map(([label], i) => ({ band: label, count: ages[i] })),
      byEducation: Object.fromEntries(EDUCATION.map((e, i) => [e, educations[i]])) as Record<EducationLevel, number>,
      byCertificateType: certTypes.map((type, i) => ({ type, count: certs[i] })),
    },
  };
}
