/**
 * The access matrix (issue 4; SPEC §4 Access control): every action of every function × every kind
 * of caller — who may, who gets FORBIDDEN, and UNAUTHENTICATED without a WeChat identity. Generated
 * from one table: an action in the code or in typings/api.d.ts without a row here fails the test.
 *
 * "May" means the call got past access control (whatever else it answered: ok, NOT_FOUND,
 * INVALID_INPUT …, never FORBIDDEN, UNAUTHENTICATED or INTERNAL). Payloads are chosen so that a
 * permitted call reaches the handler's own checks (e.g. "main admin only") without changing who
 * holds which role.
 */
import { readdirSync, readFileSync, existsSync } from 'fs';
import { join } from 'path';
import ts from 'typescript';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { addSubAdmin, err, freshCreditCode } from '../support/accounts';

type Tag = 'secretariat' | 'org_reviewer' | 'assoc_reviewer' | 'finance' | 'unit_main' | 'unit_sub';
type Who = 'anyone' | 'user' | Tag[];

const ROOT = join(__dirname, '..', '..');
const SUB_A = 'matrix-sub-a';
const SUB_PHONE = '13500000001';

/** Every kind of caller: the demo roles, a sub-admin, a member, people with no role, and nobody. */
const CALLERS: { openid: string; who: string; tags: Tag[] }[] = [
  { openid: 'demo-secretariat', who: '秘书处', tags: ['secretariat'] },
  { openid: 'demo-org-reviewer', who: '机构初审', tags: ['org_reviewer'] },
  { openid: 'demo-assoc-reviewer', who: '协会审核', tags: ['assoc_reviewer'] },
  { openid: 'demo-finance', who: '协会财务', tags: ['finance'] },
  { openid: 'demo-unit-a-admin', who: '单位A主管理员（会员单位）', tags: ['unit_main'] },
  { openid: 'demo-unit-b-admin', who: '单位B主管理员（非会员单位）', tags: ['unit_main'] },
  { openid: SUB_A, who: '单位A子管理员', tags: ['unit_sub'] },
  { openid: 'demo-member-1', who: '个人会员', tags: [] },
  { openid: 'demo-newcomer', who: '新用户', tags: [] },
  { openid: 'stranger-0001', who: '陌生微信用户', tags: [] },
  { openid: '', who: '无身份', tags: [] },
];

const UNIT_ADMIN: Tag[] = ['unit_main', 'unit_sub'];
const UNIT_MAIN: Tag[] = ['unit_main'];
const REVIEWERS: Tag[] = ['org_reviewer', 'assoc_reviewer', 'finance'];
const SECRETARIAT: Tag[] = ['secretariat'];
const NO_FILE = 'cloud://local.local-bucket/uploads/matrix/none.pdf';
const BOGUS_CODE = 'A0000000000.zzzzzz.AAAAAAAAAAA';

interface Row {
  who: Who;
  /** The payload (without `action`); `{}` when omitted. */
  data?: Record<string, unknown>;
}

/** The table. One row per action of every function in typings/api.d.ts. */
const MATRIX: Record<string, Record<string, Row>> = {
  codes: {
    issue: { who: UNIT_ADMIN },
    list: { who: UNIT_ADMIN },
    revoke: { who: UNIT_ADMIN, data: { codeId: '0000000000' } },
    resolve: { who: 'anyone' },
  },
  files: {
    confirm: { who: 'user', data: { fileID: NO_FILE, purpose: 'applicationForm' } },
    url: { who: 'user', data: { fileID: NO_FILE } },
  },
  members: {
    apply: { who: 'user' },
    me: { who: 'user' },
    confirmTransfer: { who: 'user' },
    confirmResign: { who: 'user' },
    idLookup: { who: 'user' },
    idSupplement: { who: 'user' },
    ocrIdCard: { who: 'user' },
    roster: { who: UNIT_ADMIN },
    renew: { who: 'user', data: { level: 'bogus' } },
    registrationOptions: { who: 'user' },
    startRegistration: { who: 'user', data: { kind: 'bogus' } },
    requestChange: { who: 'user', data: { changes: {} } },
    bindRequests: { who: UNIT_ADMIN },
    decideBind: { who: UNIT_ADMIN, data: { requestId: 'nobody', decision: 'approve' } },
  },
  forms: {
    list: { who: 'user' },
    get: { who: 'user' },
    revealId: { who: 'user' },
    prereview: { who: UNIT_ADMIN },
    resubmit: { who: 'user' },
    eligible: { who: UNIT_ADMIN },
    create: { who: UNIT_ADMIN },
    // The unit's admins for unit forms, the holder for their own registration: checked per form (object-access).
    submit: { who: 'user' },
    discard: { who: 'user' },
    withdraw: { who: 'user' },
    paper: { who: 'user' },
    export: { who: [...UNIT_ADMIN, ...REVIEWERS, 'secretariat'] },
    templates: { who: 'user' },
  },
  bills: {
    list: { who: UNIT_ADMIN },
    // The unit's admins pay its bills, a member their own renewal: the record decides (object matrix).
    pay: { who: 'user' },
    export: { who: UNIT_ADMIN },
    issueInvoice: { who: ['finance'], data: { billId: 'nobody', file: NO_FILE, kind: 'e-invoice' } },
    invoices: { who: [...UNIT_ADMIN, 'finance'] },
    uninvoiced: { who: ['finance'] },
  },
  studies: {
    report: { who: 'anyone' },
    reportCourse: { who: 'anyone' },
    list: { who: 'user' },
  },
  review: {
    queue: { who: [...REVIEWERS, ...UNIT_ADMIN] },
    approve: { who: REVIEWERS },
    return: { who: REVIEWERS },
    reject: { who: ['assoc_reviewer', 'finance'] },
  },
  certs: {
    lookup: { who: 'user' },
    verify: { who: 'anyone' },
    ecert: { who: 'user' },
    preview: { who: UNIT_ADMIN, data: { filter: { name: '不存在的人' } } },
    // Invalid on purpose: a permitted call must not render a real zip or workbook here.
    batch: { who: UNIT_ADMIN, data: { jobId: '!' } },
    job: { who: UNIT_ADMIN },
    export: { who: UNIT_ADMIN, data: { filter: 5 } },
  },
  'cert-lookup': {
    lookup: { who: 'user' },
    verify: { who: 'anyone' },
  },
  notices: {
    list: { who: 'user' },
    read: { who: 'user' },
    subscribe: { who: 'user' },
    todo: { who: 'user' },
    remind: { who: SECRETARIAT },
  },
  units: {
    info: { who: UNIT_ADMIN },
    admins: { who: UNIT_ADMIN },
    // Unit A: DUPLICATE (the sub-admin's phone); unit B: a harmless pending invitation.
    inviteSubAdmin: { who: UNIT_MAIN, data: { phone: SUB_PHONE } },
    acceptInvite: { who: 'user', data: { code: BOGUS_CODE, phone: SUB_PHONE } },
    removeSubAdmin: { who: UNIT_MAIN, data: { openid: 'nobody' } },
    revokeInvite: { who: UNIT_MAIN, data: { inviteId: 'nobody' } },
    transferMain: { who: UNIT_MAIN, data: { openid: 'nobody' } },
    // Unit A: NOT_ELIGIBLE (already a member unit); unit B: FILE_INVALID (no such file).
    applyMembership: { who: UNIT_ADMIN, data: { files: { applicationForm: NO_FILE } } },
    requestInfoChange: { who: UNIT_ADMIN, data: { creditCode: 'bad' } },
    // Unit A: the year is refused; unit B: not a member unit — both past access control.
    request: { who: 'user', data: { name: '示例监理有限公司', creditCode: 'bad' } },
    directory: { who: 'user', data: { q: 'x' } },
    payMembership: { who: UNIT_MAIN, data: { year: 2000, receipt: NO_FILE } },
    resubmit: { who: UNIT_ADMIN, data: { formId: 'nobody' } },
  },
  admin: {
    listUnits: { who: SECRETARIAT },
    createUnit: {
      who: SECRETARIAT,
      data: { name: '示例监理有限公司', creditCode: freshCreditCode(), orgId: 'org-demo' },
    },
    updateUnit: { who: SECRETARIAT, data: { unitId: 'nobody', name: '不存在的单位名称' } },
    listOrgs: { who: SECRETARIAT },
    createOrg: { who: SECRETARIAT, data: { name: '示例市建设监理行业协会' } },
    updateOrg: { who: SECRETARIAT, data: { orgId: 'nobody', name: '不存在的机构名称' } },
    inviteRole: { who: SECRETARIAT, data: { role: 'finance' } },
    acceptRole: { who: 'user', data: { code: BOGUS_CODE } },
    listRoles: { who: SECRETARIAT },
    revokeRole: { who: SECRETARIAT, data: { grantId: 'nobody' } },
    revokeInvite: { who: SECRETARIAT, data: { inviteId: 'nobody' } },
    findMember: { who: SECRETARIAT, data: { idNumber: '110101199001011237' } },
    unbind: { who: SECRETARIAT, data: { memberId: 'nobody' } },
    stats: { who: [...SECRETARIAT, 'assoc_reviewer'] },
    unitRequests: { who: SECRETARIAT },
    decideUnitRequest: { who: SECRETARIAT, data: { requestId: 'nobody', decision: 'refuse', reason: '矩阵测试' } },
    correctMember: { who: SECRETARIAT, data: { memberId: 'nobody', changes: { name: '更正' }, reason: '矩阵测试' } },
    correctCertificate: { who: SECRETARIAT, data: { certificateId: 'nobody', changes: { unitName: '更正' }, reason: '矩阵测试' } },
    // A secretariat exists: CONFLICT for every user, which is past access control.
    bootstrap: { who: 'user', data: { code: 'AAAA-BBBB-CCCC-DDDD-EEEE' } },
  },
};

// ---------- what the contract and the code declare ----------

/** Function → action names, read from the `Api` interface of typings/api.d.ts with the type checker. */
function typedActions(): Record<string, string[]> {
  const file = join(ROOT, 'typings', 'api.d.ts');
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const api = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Api',
  )!;
  const out: Record<string, string[]> = {};
  for (const prop of checker.getPropertiesOfType(checker.getTypeAtLocation(api))) {
    const type = checker.getTypeOfSymbolAtLocation(prop, api);
    out[prop.name] = checker.getPropertiesOfType(type).map((p) => p.name);
  }
  return out;
}

/** Function → action names, read from each function's `createMain({ … })` (or the table it is given). */
function codedActions(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const dir = join(ROOT, 'cloudfunctions');
  for (const fn of readdirSync(dir)) {
    const file = join(dir, fn, 'index.ts');
    if (!existsSync(file)) continue;
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const objects = new Map<string, ts.ObjectLiteralExpression>();
    let table: ts.Expression | undefined;
    const visit = (n: ts.Node) => {
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        n.initializer &&
        ts.isObjectLiteralExpression(n.initializer)
      )
        objects.set(n.name.text, n.initializer);
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'createMain')
        table = n.arguments[0];
      ts.forEachChild(n, visit);
    };
    visit(src);
    const literal =
      table &&
      (ts.isObjectLiteralExpression(table) ? table : ts.isIdentifier(table) ? objects.get(table.text) : undefined);
    if (!literal) continue;
    out[fn] = literal.properties.map((p) =>
      p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '?',
    );
  }
  return out;
}

const sorted = (r: Record<string, string[]>) =>
  Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, [...r[k]].sort()]),
  );

function mayCall(who: Who, caller: (typeof CALLERS)[number]): boolean {
  if (who === 'anyone') return true;
  if (!caller.openid) return false;
  if (who === 'user') return true;
  return caller.tags.some((t) => who.includes(t));
}

// ---------- the test ----------

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
  await addSubAdmin(sys, 'demo-unit-a-admin', SUB_A, SUB_PHONE);
});
afterAll(async () => {
  await sys?.close();
});

test('the table has a row for exactly the actions the contract and the code declare', () => {
  const rows = sorted(Object.fromEntries(Object.entries(MATRIX).map(([fn, a]) => [fn, Object.keys(a)])));
  const typed = sorted(typedActions());
  const coded = sorted(codedActions());
  expect(rows).toEqual(typed);
  // Functions outside the contract (the HTTP verification page) have no action table.
  expect(Object.fromEntries(Object.entries(coded).filter(([fn]) => fn in typed))).toEqual(typed);
});

describe.each(Object.entries(MATRIX))('%s', (fn, actions) => {
  test.each(Object.entries(actions))('%s', async (name, row) => {
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const caller of CALLERS) {
      const r = await sys.call(fn, { action: name, ...(row.data || {}) }, caller.openid);
      const code = err(r);
      const label = `${caller.who} ${caller.openid || '(none)'}`;
      if (r?.error?.message?.startsWith('不支持的操作')) throw new Error(`${fn}.${name} is not an action of ${fn}`);
      if (mayCall(row.who, caller)) {
        want[label] = 'past access control';
        got[label] = ['FORBIDDEN', 'UNAUTHENTICATED', 'INTERNAL'].includes(code) ? code : 'past access control';
      } else {
        want[label] = caller.openid ? 'FORBIDDEN' : 'UNAUTHENTICATED';
        got[label] = code;
      }
    }
    expect(got).toEqual(want);
  });
});
