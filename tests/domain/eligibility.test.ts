import { addMonths, addYears } from '../../miniprogram/shared/dates';
import { Blocker, CertFact, judge, PersonFacts, Request } from '../../miniprogram/shared/eligibility';

const TODAY = '2026-11-23';
const UNIT = '示例监理有限公司';
const cert = (over: Partial<CertFact> = {}): CertFact => ({ id: 'c1', type: '监理员', specialties: ['房屋建筑工程'], validUntil: '2028-01-01', status: 'valid', unitName: UNIT, ...over });
const person = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  birthDate: '1985-05-05',
  memberships: [{ level: 'ordinary', validUntil: '2027-12-31' }],
  education: { level: 'bachelor', major: '土木工程', graduatedOn: '2008-07-01' },
  certificates: [cert()],
  blockers: [],
  ...over,
});
const req = (type: Request['type'], over: Partial<Request> = {}): Request => ({ type, unitName: UNIT, ...over });
const ok = (f: PersonFacts, r: Request) => judge(f, r, TODAY);

describe('initial education (manual 2.5.1)', () => {
  const noCert = (birthDate: string, over: Partial<PersonFacts> = {}) => person({ birthDate, certificates: [], ...over });
  test('when a 监理员 applicant is 60, then eligible; at 61, refused for age', () => {
    expect(ok(noCert('1966-11-23'), req('initial-education', { certType: '监理员' }))).toMatchObject({ eligible: true });
    const r = ok(noCert('1965-11-23'), req('initial-education', { certType: '监理员' }));
    expect(r.eligible).toBe(false);
    expect(r.reasons.join()).toMatch(/60周岁/);
  });
  test('when a 专业监理工程师 applicant is 65, then the age passes; at 66, refused', () => {
    const at65 = ok(noCert('1961-11-23', { title: '工程师' }), req('initial-education', { certType: '专业监理工程师' }));
    expect(at65.reasons.join()).not.toMatch(/周岁/);
    expect(ok(noCert('1960-11-23', { title: '工程师' }), req('initial-education', { certType: '专业监理工程师' })).reasons.join()).toMatch(/65周岁/);
  });
  test('when the person already holds that certificate type, then refused; another type is fine', () => {
    expect(ok(person(), req('initial-education', { certType: '监理员' })).reasons.join()).toMatch(/已持有监理员/);
    expect(ok(person(), req('initial-education', { certType: '安全监理员' })).eligible).toBe(true);
  });
  test('when membership lapsed, then refused with the reason to pay first', () => {
    const lapsed = person({ certificates: [], memberships: [{ level: 'ordinary', validUntil: '2026-11-22' }] });
    expect(ok(lapsed, req('initial-education', { certType: '安全监理员' })).reasons.join()).toMatch(/会籍已于2026-11-22过期/);
  });
});

describe('continuing education (manual 2.6.1)', () => {
  test('when the certificate expires within six months, then eligible; one day earlier, refused', () => {
    const validUntil = addMonths(TODAY, 6);
    expect(ok(person({ certificates: [cert({ validUntil })] }), req('continuing-education', { certType: '监理员' })).eligible).toBe(true);
    const tooEarly = ok(person({ certificates: [cert({ validUntil: addMonths('2026-11-24', 6) })] }), req('continuing-education', { certType: '监理员' }));
    expect(tooEarly.eligible).toBe(false);
    expect(tooEarly.reasons.join()).toMatch(/半年内/);
  });
  test('when membership lapsed, then still eligible with the membership fee due', () => {
    const f = person({ memberships: [{ level: 'ordinary', validUntil: '2025-01-01' }], certificates: [cert({ validUntil: '2027-01-31' })] });
    expect(ok(f, req('continuing-education', { certType: '监理员' }))).toMatchObject({ eligible: true, membershipFeeDue: true, certId: 'c1' });
  });
  test('when the certificate has expired, then only cancellation remains', () => {
    const f = person({ certificates: [cert({ validUntil: '2026-11-22' })] });
    expect(ok(f, req('continuing-education', { certType: '监理员' })).reasons.join()).toMatch(/过期，只能办理证书注销/);
    expect(ok(f, req('cert-cancel', { certType: '监理员' })).eligible).toBe(true);
  });
});

describe('员升师 (manual 2.7.1)', () => {
  const grad = (level: 'master' | 'bachelor' | 'college' | 'secondary', graduatedOn: string, title?: string) =>
    person({ education: { level, major: '工程管理', graduatedOn }, ...(title ? { title } : {}) });
  test.each([
    ['master', 2],
    ['bachelor', 3],
    ['college', 4],
  ] as const)('when a %s graduated exactly %i years ago, then eligible; one day short, refused', (level, years) => {
    expect(ok(grad(level, addYears(TODAY, -years)), req('upgrade')).eligible).toBe(true);
    const short = ok(grad(level, addYears('2026-11-24', -years)), req('upgrade'));
    expect(short.eligible).toBe(false);
    expect(short.reasons.join()).toMatch(new RegExp(`毕业满${years}年`));
  });
  test('when only secondary school, then refused — unless an intermediate title, which waives years too', () => {
    expect(ok(grad('secondary', '2026-07-01'), req('upgrade')).eligible).toBe(false);
    expect(ok(grad('secondary', '2026-07-01', '工程师'), req('upgrade')).eligible).toBe(true);
    expect(ok(grad('secondary', '2026-07-01', '助理工程师'), req('upgrade')).eligible).toBe(false);
  });
  test('when the major is not construction engineering or economics, then refused', () => {
    const f = person({ education: { level: 'bachelor', major: '汉语言文学', graduatedOn: '2000-07-01' } });
    expect(ok(f, req('upgrade')).reasons.join()).toMatch(/建筑工程类或建筑经济类/);
  });
  test('when there is no valid 监理员 certificate, then refused', () => {
    expect(ok(person({ certificates: [cert({ type: '安全监理员' })] }), req('upgrade')).reasons.join()).toMatch(/未持有监理员证书/);
  });
});

describe('specialty change and employer change', () => {
  test('when two certificates disagree on specialties, then the change is refused until synchronised', () => {
    const f = person({ certificates: [cert(), cert({ id: 'c2', type: '安全监理员', specialties: ['市政公用工程'] })] });
    expect(ok(f, req('specialty-change', { certType: '监理员' })).reasons.join()).toMatch(/双证的专业名称和顺序不一致/);
    const same = person({ certificates: [cert(), cert({ id: 'c2', type: '安全监理员' })] });
    expect(ok(same, req('specialty-change', { certType: '监理员' })).eligible).toBe(true);
  });
  test('when a new employer takes over a lapsed member, then the fee is due; a rename needs membership valid', () => {
    const f = person({ memberships: [{ level: 'ordinary', validUntil: '2026-01-01' }], certificates: [cert({ unitName: '旧单位' })] });
    expect(ok(f, req('cert-unit-change', { certType: '监理员', reason: 'new-employer' }))).toMatchObject({ eligible: true, membershipFeeDue: true });
    expect(ok(f, req('cert-unit-change', { certType: '监理员', reason: 'renamed' })).eligible).toBe(false);
  });
  test('when the certificate already names this unit, then no change is needed', () => {
    expect(ok(person(), req('cert-unit-change', { certType: '监理员', reason: 'renamed' })).reasons.join()).toMatch(/无需变更/);
  });
});

describe('business in flight and combinations (FAQ 3.7)', () => {
  const blocked = (...bs: Blocker[]) => person({ blockers: bs, certificates: [cert({ validUntil: addMonths(TODAY, 3) })] });
  const inFlight = (formType: Blocker['formType'], kind: Blocker['kind'] = 'form'): Blocker => ({ kind, formType, label: `在途:${formType}:${kind}` });
  test('when renewal is in flight, then upgrade and specialty change may join it, but not a second renewal', () => {
    const f = blocked(inFlight('continuing-education'));
    expect(ok(f, req('upgrade')).eligible).toBe(true);
    expect(ok(f, req('specialty-change', { certType: '监理员' })).eligible).toBe(true);
    expect(ok(f, req('continuing-education', { certType: '监理员' })).reasons).toContain('在途:continuing-education:form');
  });
  test('when an employer change is in flight, then nothing else; and it cannot join an education form', () => {
    expect(ok(blocked(inFlight('cert-unit-change')), req('upgrade')).eligible).toBe(false);
    expect(ok(person({ blockers: [inFlight('upgrade')], certificates: [cert({ unitName: '旧' })] }), req('cert-unit-change', { certType: '监理员', reason: 'renamed' })).eligible).toBe(false);
  });
  test('when an unpaid bill or an unfinished study blocks, then each is a reason of its own', () => {
    const r = ok(blocked(inFlight('cert-cancel', 'bill'), inFlight('initial-education', 'study')), req('cert-cancel'));
    expect(r.reasons).toEqual(['在途:cert-cancel:bill', '在途:initial-education:study']);
  });
  test('when a certificate expired and membership lapsed, then only cancellation is possible (FAQ 3.6)', () => {
    const f = person({ memberships: [{ level: 'ordinary', validUntil: '2026-01-01' }], certificates: [cert({ validUntil: '2026-06-01' })] });
    for (const type of ['continuing-education', 'upgrade', 'specialty-change', 'cert-unit-change'] as const)
      expect(ok(f, req(type, { certType: '监理员', reason: 'new-employer' })).reasons.join()).toMatch(/只能办理证书注销/);
    expect(ok(f, req('cert-cancel', { certType: '监理员' })).eligible).toBe(true);
  });
});

describe('注师继教 (manual 2.11.1)', () => {
  test('when not a professional member, or over 65, then refused', () => {
    expect(ok(person(), req('pro-continuing-education')).reasons.join()).toMatch(/不是专业会员/);
    const pro = (birthDate: string) => person({ birthDate, memberships: [{ level: 'professional', validUntil: '2027-01-01' }] });
    expect(ok(pro('1961-11-23'), req('pro-continuing-education')).eligible).toBe(true);
    expect(ok(pro('1960-11-23'), req('pro-continuing-education')).reasons.join()).toMatch(/65周岁/);
  });
});
