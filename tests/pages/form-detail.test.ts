/**
 * components/form-detail: one form as each viewer reads it, rendered from FormView fixtures — the
 * stage progress (done, current, ahead) of the form's type, the people, attachments, bills, the trail,
 * the return in the viewer's words, and the full ID number read on request (a fake back end answers
 * `forms.revealId`; the real calls are covered by the page tests).
 */
import type { FormView } from '../../typings/api';
import { setTransport } from '../../miniprogram/services/request';
import { openComponent, type PageDriver } from './support/render';
import { wxLog } from './support/wx';

const ROUTE = 'components/form-detail/index';
const FULL_ID = '440106199001011234';

/** What the fake back end was asked, in order. */
const asked: { fn: string; data: Record<string, unknown> }[] = [];

beforeEach(() => {
  asked.length = 0;
  setTransport({
    async call(fn, data) {
      asked.push({ fn, data });
      if (fn === 'forms' && data.action === 'revealId') return { ok: true, data: { idNumber: FULL_ID } };
      if (fn === 'files' && data.action === 'url')
        return { ok: true, data: { url: `http://files/${data.fileID}`, expiresAt: '2999-01-01T00:00:00+08:00' } };
      return { ok: false, error: { code: 'NOT_FOUND', message: '没有这个操作' } };
    },
    upload: async () => 'cloud://unused',
    fileUrl: async (fileID) => `http://files/${fileID}`,
  });
});
afterEach(() => setTransport(null));

/** A join application, paid, waiting at 机构初审. */
function joinAtOrgReview(): FormView {
  return {
    id: 'form-1',
    no: 'RH-20250304000045',
    type: 'join',
    status: 'org_review',
    startedBy: 'applicant',
    unit: { id: 'unit-a', name: '示例监理有限公司' },
    orgId: 'org-1',
    level: 'professional',
    codeKind: 'join',
    people: [
      {
        name: '详情甲',
        gender: 'female',
        idType: 'resident',
        idMasked: '4401**********1234',
        phone: '13600000000',
        birthDate: '1990-01-01',
        address: '示例市示例路1号',
        files: { photo: 'cloud://photo.jpg', idFront: 'cloud://front.jpg', idBack: 'cloud://back.jpg' },
      },
    ],
    bills: [
      {
        id: 'bill-1',
        formId: 'form-1',
        kind: 'membership-personal',
        amount: 200,
        status: 'paid',
        receipt: 'cloud://receipt.jpg',
        paidAt: '2025-03-05T10:00:00+08:00',
      },
    ],
    trail: [
      { at: '2025-03-04T09:00:00+08:00', by: 'o-applicant', role: 'applicant', from: 'draft', to: 'unit_review' },
      {
        at: '2025-03-04T11:00:00+08:00',
        by: 'o-admin',
        role: 'unit_admin',
        from: 'unit_review',
        to: 'awaiting_payment',
        remark: '资料齐全',
      },
      {
        at: '2025-03-05T10:00:00+08:00',
        by: 'o-admin',
        role: 'unit_admin',
        from: 'awaiting_payment',
        to: 'org_review',
      },
    ],
    amountDue: 200,
    scope: 'full',
    version: 3,
    createdAt: '2025-03-04T09:00:00+08:00',
    updatedAt: '2025-03-05T10:00:00+08:00',
  };
}

/** An initial-education form for two people, at 待缴费 (after the association's review). */
function educationAtPayment(): FormView {
  return {
    ...joinAtOrgReview(),
    id: 'form-2',
    no: 'JY-20250304000046',
    type: 'initial-education',
    status: 'awaiting_payment',
    startedBy: 'unit',
    level: undefined,
    codeKind: undefined,
    certType: '安全监理员',
    specialties: ['公路工程', '市政公用工程'],
    files: { commitment: 'cloud://commitment.jpg', insuranceProof: 'cloud://insurance.jpg' },
    people: [
      {
        memberId: 'm-1',
        name: '教育甲',
        gender: 'male',
        idType: 'resident',
        idMasked: '4401**********0011',
        phone: '13600000001',
        birthDate: '1985-01-01',
      },
      {
        memberId: 'm-2',
        name: '教育乙',
        gender: 'female',
        idType: 'resident',
        idMasked: '4401**********0022',
        phone: '13600000002',
        birthDate: '1986-01-01',
        membershipFeeDue: true,
      },
    ],
    bills: [{ id: 'bill-2', formId: 'form-2', kind: 'auxiliary', amount: 160, status: 'unpaid' }],
    // Business forms pay first (manual 2.5.2): submitted, the form waits at 待缴费.
    trail: [{ at: '2025-03-04T09:00:00+08:00', by: 'o-admin', role: 'unit_admin', from: 'draft', to: 'awaiting_payment' }],
    amountDue: 360,
  };
}

/** Each step of the progress as `key:state`. */
function stages(d: PageDriver): string[] {
  return d.findAll('.stage').map((n: { dom: HTMLElement }) => {
    const state = (n.dom.className.match(/stage--(\w+)/) || [])[1];
    expect(n.dom.getAttribute('data-state')).toBe(state);
    return `${n.dom.getAttribute('data-stage')}:${state}`;
  });
}

const textOf = (d: PageDriver, ...sel: string[]) => (d.find(...sel)?.dom.textContent || '').replace(/\s+/g, ' ');

describe('components/form-detail', () => {
  test('when a reviewer opens a join form at 机构初审, then the stages done, current and ahead show, with the people, bills and trail', async () => {
    const d = await openComponent(ROUTE, { form: joinAtOrgReview(), viewer: 'reviewer', revealable: true });
    expect(textOf(d, '#form-no')).toBe('RH-20250304000045');
    expect(d.text()).toContain('个人会员入会申请');
    expect(d.find('#status')).toBeTruthy();
    expect(d.text()).toContain('单位：示例监理有限公司');
    expect(d.text()).toContain('会员类型：专业会员');
    expect(d.text()).toContain('申请方式：扫描入会二维码');
    expect(stages(d)).toEqual([
      'submitted:done',
      'unit_review:done',
      'awaiting_payment:done',
      'org_review:current',
      'assoc_review:ahead',
      'finance_review:ahead',
      'approved:ahead',
    ]);
    expect(textOf(d, '#stages-ahead')).toBe('后续环节：协会初审 → 财务复核 → 完成');

    expect(d.text()).toContain('详情甲');
    expect(d.text()).toContain('4401**********1234');
    await d.waitFor(() => textOf(d, '#attachments').includes('身份证人像面'), 'attachments');
    const bills = textOf(d, '#bills');
    expect(bills).toContain('个人会员会费');
    expect(bills).toContain('¥200 · 已缴费待确认');
    expect(bills).toContain('缴费于 2025-03-05 10:00');
    const trail = textOf(d, '#trail');
    expect(trail).toContain('提交申请：暂存 → 单位预审中');
    expect(trail).toContain('审核通过：单位预审中 → 待缴费');
    expect(trail).toContain('备注：资料齐全');
    expect(trail).toContain('缴费：待缴费 → 机构初审中');
  });

  test('when the viewer may read the full ID number, then 查看完整证件号 shows it (one audited call) and tells the page', async () => {
    const d = await openComponent(ROUTE, { form: joinAtOrgReview(), viewer: 'unit', revealable: true });
    const told: unknown[] = [];
    d.comp.addEventListener('revealed', (e: { detail: unknown }) => told.push(e.detail));
    expect(d.find('#reveal-0')).toBeTruthy();
    expect(d.text()).toContain('查看完整证件号');
    expect(d.text()).not.toContain(FULL_ID);
    await d.tap('#reveal-0');
    await d.waitForText(FULL_ID);
    expect(asked.filter((a) => a.fn === 'forms')).toEqual([
      { fn: 'forms', data: { action: 'revealId', formId: 'form-1', person: 0 } },
    ]);
    expect(told).toEqual([{ index: 0, idNumber: FULL_ID }]);
    expect(d.find('#reveal-0')).toBeUndefined();
    expect(d.find('#revealed-0')).toBeTruthy();
  });

  test('when the applicant reads their own form, then their words show: no bills, no reveal, a hint, and the return addressed to them', async () => {
    const form: FormView = {
      ...joinAtOrgReview(),
      status: 'returned',
      returned: {
        to: 'applicant',
        from: 'unit_review',
        reason: '请重新拍摄身份证国徽面',
        by: 'o-admin',
        at: '2025-03-04T11:00:00+08:00',
      },
    };
    const d = await openComponent(ROUTE, { form, viewer: 'member', hint: '申请被退回' });
    expect(d.find('#bills')).toBeUndefined();
    expect(d.find('#reveal-0')).toBeUndefined();
    expect(d.text()).not.toContain('申请方式');
    expect(textOf(d, '#hint')).toBe('申请被退回');
    expect(textOf(d, '#returned')).toContain('已退回给您（单位预审中环节）');
    expect(textOf(d, '#return-reason')).toBe('退回原因：请重新拍摄身份证国徽面');
    expect(d.text()).toContain('申请人');
    // Returned at 单位预审: that stage is marked, and it is passed again after the resubmission.
    expect(stages(d).slice(0, 3)).toEqual(['submitted:done', 'unit_review:returned', 'awaiting_payment:ahead']);
    expect(textOf(d, '#stages-ahead')).toBe('后续环节：单位预审 → 缴费 → 机构初审 → 协会初审 → 财务复核 → 完成');
  });

  test('when a business form waits at 待缴费, then its own flow shows and each person with the certificate and the lapsed fee', async () => {
    const form = educationAtPayment();
    form.people[0].files = { diploma: 'cloud://diploma-1.jpg', diplomaCheck: 'cloud://check-1.pdf' };
    const d = await openComponent(ROUTE, {
      form,
      viewer: 'unit',
      revealable: true,
      peopleErrors: { 'm-2': '有在途业务' },
    });
    expect(stages(d)).toEqual([
      'submitted:done',
      'awaiting_payment:current',
      'org_review:ahead',
      'assoc_review:ahead',
      'finance_review:ahead',
      'approved:ahead',
    ]);
    expect(textOf(d, '#cert-type')).toBe('安全监理员');
    expect(textOf(d, '#specialties')).toBe('公路工程、市政公用工程');
    expect(textOf(d, '#amount-due')).toBe('¥360');
    expect(d.text()).toContain('人员（2人）');
    const people = textOf(d, '#people');
    expect(people).toContain('报名安全监理员');
    expect(people).toContain('会籍已过期，随本表单补缴个人会员会费');
    expect(people).toContain('有在途业务');
    expect(d.find('#people', '#reveal-1')).toBeTruthy();
    // Each person's own attachments under their name, titled as the manual's table; a tap opens one.
    const own = textOf(d, '#people', '#person-files-0');
    expect(own).toContain('最高学历毕业证');
    expect(own).toContain('学历验证报告');
    expect(d.find('#people', '#person-files-1')).toBeUndefined();
    await d.waitFor(() => d.find('#people', '#person-gallery-0', '.gallery-image'), 'the diploma thumbnail');
    await d.tap('#people', '#person-gallery-0', '#gallery-diploma');
    expect(wxLog.previews).toContainEqual(['http://files/cloud://diploma-1.jpg']);
    await d.waitFor(() => textOf(d, '#attachments').includes('承诺书'), 'form-level attachments');
    expect(textOf(d, '#bills')).toContain('辅助费');
    expect(d.text()).not.toContain('单位：示例监理有限公司'); // the unit reads its own forms

    await d.tap('#people', '#reveal-1');
    await d.waitFor(() => textOf(d, '#people').includes(FULL_ID), 'the second person revealed');
    expect(asked.find((a) => a.fn === 'forms')!.data).toEqual({ action: 'revealId', formId: 'form-2', person: 1 });
  });

  test('when the form is a draft, is approved, or a cancellation, then the progress says so', async () => {
    const draft = await openComponent(ROUTE, {
      form: { ...educationAtPayment(), status: 'draft', bills: [] },
      viewer: 'unit',
    });
    expect(stages(draft)[0]).toBe('submitted:current');
    expect(
      stages(draft)
        .slice(1)
        .every((s) => s.endsWith(':ahead')),
    ).toBe(true);
    expect(textOf(draft, '#amount-due')).toBe('提交后生成缴费单');
    expect(draft.text()).toContain('暂存于');

    const done = await openComponent(ROUTE, { form: { ...joinAtOrgReview(), status: 'approved' }, viewer: 'member' });
    expect(stages(done).every((s) => s.endsWith(':done'))).toBe(true);
    expect(done.find('#stages-ahead')).toBeUndefined();

    const cancel = await openComponent(ROUTE, {
      form: { ...educationAtPayment(), type: 'cert-cancel', status: 'assoc_review' },
      viewer: 'reviewer',
    });
    expect(stages(cancel)).toEqual(['submitted:done', 'assoc_review:current', 'approved:ahead']);
  });

  test('when the association refuses a form, then the reason shows and the progress stops where it ended', async () => {
    const refused: FormView = {
      ...educationAtPayment(),
      status: 'rejected',
      bills: [],
      // Paid, passed 机构初审, then refused at 协会复核.
      trail: [
        ...educationAtPayment().trail,
        { at: '2025-03-04T10:00:00+08:00', by: 'o-admin', role: 'unit_admin', from: 'awaiting_payment', to: 'org_review' },
        { at: '2025-03-04T15:00:00+08:00', by: 'o-org', role: 'org_reviewer', from: 'org_review', to: 'assoc_review' },
        { at: '2025-03-05T15:00:00+08:00', by: 'o-assoc', role: 'assoc_reviewer', from: 'assoc_review', to: 'rejected', remark: '社保证明不实' },
      ],
      ended: { status: 'rejected', reason: '社保证明不实', at: '2025-03-05T15:00:00+08:00' },
    };
    const d = await openComponent(ROUTE, { form: refused, viewer: 'unit' });
    expect(textOf(d, '#ended')).toContain('不予通过');
    expect(textOf(d, '#ended-reason')).toBe('原因：社保证明不实');
    expect(stages(d)).toEqual([
      'submitted:done',
      'awaiting_payment:done',
      'org_review:done',
      'assoc_review:ended',
      'finance_review:stopped',
      'approved:stopped',
    ]);
    expect(d.find('#stages-ahead')).toBeUndefined();
  });

  test('when a member named on a business form reads it, then only their own entry shows: no attachments, no bills', async () => {
    const form: FormView = {
      ...educationAtPayment(),
      scope: 'person',
      files: undefined,
      bills: [],
      people: [educationAtPayment().people[1]],
    };
    const d = await openComponent(ROUTE, { form, viewer: 'member' });
    expect(d.text()).toContain('教育乙');
    expect(d.text()).not.toContain('教育甲');
    expect(d.find('#attachments')).toBeUndefined();
    expect(d.find('#bills')).toBeUndefined();
    expect(stages(d).map((s) => s.split(':')[1])).toEqual(['done', 'current', 'ahead', 'ahead', 'ahead', 'ahead']);
  });

  test('when reading the number fails, then a toast says why and the button stays', async () => {
    setTransport({
      call: async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '单位管理员只能查看脱敏后的证件号码。' } }),
      upload: async () => '',
      fileUrl: async () => '',
    });
    const d = await openComponent(ROUTE, { form: joinAtOrgReview(), viewer: 'unit', revealable: true });
    await d.tap('#reveal-0');
    await d.waitFor(() => wxLog.toasts.includes('单位管理员只能查看脱敏后的证件号码。'), 'the refusal');
    expect(d.find('#reveal-0')).toBeTruthy();
    expect(d.text()).not.toContain(FULL_ID);
  });

  test('when the unit prints the paper of the second person, then forms.paper is asked for that person; a named member gets only their own; without the right, no paper section', async () => {
    let opened = '';
    setTransport({
      async call(fn, data) {
        asked.push({ fn, data });
        if (fn === 'forms' && data.action === 'paper') return { ok: true, data: { fileID: 'cloud://papers/p.pdf', url: 'http://files/p.pdf', fileName: '申请表.pdf' } };
        if (fn === 'files' && data.action === 'url') {
          opened = String(data.fileID);
          return { ok: true, data: { url: `http://files/${data.fileID}`, expiresAt: '2999-01-01T00:00:00+08:00' } };
        }
        return { ok: false, error: { code: 'NOT_FOUND', message: '没有这个操作' } };
      },
      upload: async () => 'cloud://unused',
      fileUrl: async (fileID) => `http://files/${fileID}`,
    });
    const d = await openComponent(ROUTE, { form: educationAtPayment(), viewer: 'unit', printable: true });
    expect(d.find('#paper-0')).toBeTruthy();
    expect(d.find('#papers')!.dom.textContent).toContain('教育甲的申请表（PDF）教育乙的申请表（PDF）');
    await d.tap('#paper-1');
    await d.waitFor(() => opened === 'cloud://papers/p.pdf', 'the paper fetched to open');
    expect(asked.find((a) => a.fn === 'forms' && a.data.action === 'paper')!.data).toEqual({ action: 'paper', formId: 'form-2', person: 1 });

    asked.length = 0;
    const own = await openComponent(ROUTE, { form: { ...educationAtPayment(), scope: 'person', files: undefined, bills: [], people: [educationAtPayment().people[1]] }, viewer: 'member', printable: true });
    expect(own.find('#papers')!.dom.textContent).toContain('我的申请表（PDF）');
    await own.tap('#paper--1');
    await own.waitFor(() => asked.some((a) => a.fn === 'forms' && a.data.action === 'paper'), 'the own paper');
    expect(asked.find((a) => a.fn === 'forms' && a.data.action === 'paper')!.data).toEqual({ action: 'paper', formId: 'form-2' });

    const none = await openComponent(ROUTE, { form: educationAtPayment(), viewer: 'reviewer' });
    expect(none.find('#papers')).toBeUndefined();
  });

  test('when a holder reads their 延续登记, then its stages are named as the association names them (初审, 审核)', async () => {
    const form: FormView = {
      ...joinAtOrgReview(),
      id: 'form-3',
      no: 'YXDJ-20261203000001',
      type: 'registration-renewal',
      status: 'org_review',
      startedBy: 'applicant',
      level: undefined,
      codeKind: undefined,
      bills: [],
      amountDue: 0,
      registration: {
        kind: 'renewal',
        certId: 'c-1',
        certNo: 'SBZS2026000001',
        certType: '专业知识培训合格证书',
        fromUnit: { id: 'unit-a', name: '示例监理有限公司' },
        toUnit: { id: 'unit-a', name: '示例监理有限公司' },
        details: { position: '总监', title: '高级工程师', email: 'a@example.com', specialty: '设备监理', address: '示例路8号' },
        hoursDone: 20,
        hoursRequired: 20,
      },
      trail: [{ at: '2026-12-03T09:00:00+08:00', by: 'o-holder', role: 'applicant', from: 'draft', to: 'org_review' }],
    };
    const d = await openComponent(ROUTE, { form, viewer: 'member' });
    expect(stages(d)).toEqual(['submitted:done', 'org_review:current', 'assoc_review:ahead', 'approved:ahead']);
    expect(d.find('#stage-org_review')!.dom.textContent).toContain('初审');
    expect(d.find('#stage-assoc_review')!.dom.textContent).toContain('审核');
    expect(d.find('#stages')!.dom.textContent).not.toContain('机构初审');
    expect(d.text()).toContain('继续教育：20/20 学时');
  });
});
