/**
 * The catalogue of paper forms: each kind is a function from the filled data — or nothing, for the
 * blank template — to a `PaperDoc`. A missing value is a ruled empty cell to fill by hand.
 *
 * Wording:
 * - 延续登记申请表 / 变更登记申请表: 中国设备监理协会《专业知识培训人员登记指南》§3.4 and §4.1–4.3
 *   (the fields of the change form, the declaration, the employer's opinion, 经办人/负责人, 联系电话,
 *   单位公章, 年 月 日), and its notes (§3.2 the 20 study hours, §3.5/§4.4 what is uploaded).
 * - 申请表, 单位承诺书, 注销申请表, 单位会员入会申请表: the provincial 建设监理协会's 会员服务平台 manual
 *   names them but prints no wording; ours is plain formal Chinese, with its facts where it gives
 *   some (§2.10 cancellation is reviewed by the association, free of charge; §3.12 the ordinary
 *   membership ends with a person's only certificate; §3.24 the unit pays the year's fee after approval).
 */
import type { PaperBlock, PaperDoc, PaperRow } from './render';

// ---------- the data the forms take ----------

/** Everything optional: what is known is printed, the rest is left to fill by hand. */
export interface PaperPerson {
  name?: string;
  /** 'male' | 'female', or already 男 / 女. */
  gender?: string;
  idNumber?: string;
  phone?: string;
  email?: string;
  /** 职务 */
  position?: string;
  /** 职称 */
  title?: string;
  /** 现从事专业 */
  specialty?: string;
  /** 学历, as printed (e.g. 本科). */
  education?: string;
  /** 通信地址 */
  address?: string;
}

export interface PaperCert {
  /** 证书类型, e.g. 监理员 */
  type?: string;
  no?: string;
  /** 取得证书时间 / 发证日期, YYYY-MM-DD or as printed. */
  issuedOn?: string;
  validUntil?: string;
  specialties?: string[];
}

export interface PaperUnit {
  name?: string;
  creditCode?: string;
  legalRep?: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  email?: string;
  postcode?: string;
  /** 成立日期 */
  foundedOn?: string;
  /** 资质等级 */
  qualification?: string;
  /** 职工人数 */
  staff?: string | number;
  /** 注册监理工程师人数 */
  engineers?: string | number;
  /** 会员服务机构 (the initial-review organisation). */
  org?: string;
  /** 单位简介 */
  intro?: string;
}

interface Common {
  /** The association's name: the line above the title (and who a declaration is addressed to). */
  association?: string;
  /** 表单编号, printed under the title. */
  formNo?: string;
  /** Fixed creation date of the PDF (tests; byte-identical output). */
  createdAt?: Date;
}

export interface RenewalData extends Common {
  person?: PaperPerson;
  cert?: PaperCert;
  /** 工作单位 */
  unit?: string;
}

export interface ChangeData extends Common {
  person?: PaperPerson;
  cert?: PaperCert;
  /** 原工作单位 */
  fromUnit?: string;
  /** 变更后工作单位 */
  toUnit?: string;
}

export interface BusinessData extends Common {
  /** The business applied for, e.g. 普通会员继续教育, 证书变更（单位名称）: also names the form. */
  business?: string;
  person?: PaperPerson;
  cert?: PaperCert;
  unit?: PaperUnit;
  /** 申请事项说明: target specialties, the reason of a change, … */
  details?: string;
}

export interface CommitmentPerson {
  name?: string;
  idNumber?: string;
  certNo?: string;
}

export interface CommitmentData extends Common {
  business?: string;
  unit?: PaperUnit;
  /** The people the commitment covers (blank rows to fill when none). */
  people?: CommitmentPerson[];
}

export interface CancellationData extends Common {
  person?: PaperPerson;
  cert?: PaperCert;
  unit?: string;
  /** 注销原因 */
  reason?: string;
}

export interface UnitMembershipData extends Common {
  unit?: PaperUnit;
}

export interface PaperData {
  'renewal-application': RenewalData;
  'change-application': ChangeData;
  'business-application': BusinessData;
  commitment: CommitmentData;
  'cancellation-application': CancellationData;
  'unit-membership-application': UnitMembershipData;
}

export type PaperKind = keyof PaperData;

// ---------- helpers ----------

const GENDER: Record<string, string> = { male: '男', female: '女' };
const gender = (g?: string) => (g ? GENDER[g] || g : '');

/** YYYY-MM-DD → 2021年3月5日; anything else as given. */
function day(s?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : s || '';
}

const str = (v?: string | number) => (v === undefined || v === null ? '' : String(v));
const meta = (d: Common) => (d.formNo ? [`表单编号：${d.formNo}`] : []);
const header = (d: Common) => ({ association: d.association, meta: meta(d), createdAt: d.createdAt });
const table = (...rows: PaperRow[]): PaperBlock => ({ type: 'table', rows });

/** The applicant's own declaration and signature (seed 000 §3.4 / §4.3). */
const applicantSigns = (statement: string): PaperBlock => ({
  type: 'sign',
  statement,
  signers: ['申请人(签字)'],
  date: true,
  minHeight: 64,
});

/** An employer's opinion: statement, 经办人/负责人, 联系电话, 单位公章, date (seed 000 §3.4). */
const employerSigns = (heading: string, statement: string, signers = ['经办人/负责人', '联系电话']): PaperBlock => ({
  type: 'sign',
  heading,
  statement,
  signers,
  stamp: '单位公章',
  date: true,
  minHeight: 110,
});

/** The association's box, filled by its reviewer. */
const associationSigns = (heading = '协会审核意见', signer = '审核人'): PaperBlock => ({
  type: 'sign',
  heading,
  signers: [signer],
  date: true,
  minHeight: 76,
});

// ---------- the kinds ----------

function renewal(d: RenewalData = {}): PaperDoc {
  const p = d.person || {};
  const c = d.cert || {};
  return {
    title: '延续登记申请表',
    ...header(d),
    blocks: [
      table(
        [
          { label: '姓名', value: p.name },
          { label: '性别', value: gender(p.gender) },
        ],
        [
          { label: '身份证号', value: p.idNumber },
          { label: '手机号码', value: p.phone },
        ],
        [
          { label: '职务', value: p.position },
          { label: '职称', value: p.title },
        ],
        [
          { label: '电子邮箱', value: p.email },
          { label: '现从事专业', value: p.specialty },
        ],
        [
          { label: '证书类型', value: c.type },
          { label: '证书有效期至', value: day(c.validUntil) },
        ],
        [
          { label: '证书编号', value: c.no },
          { label: '取得证书时间', value: day(c.issuedOn) },
        ],
        [{ label: '工作单位', value: d.unit }],
        [{ label: '通信地址', value: p.address }],
      ),
      applicantSigns('本人承诺以上内容真实准确。'),
      employerSigns('工作单位意见', '该同志受聘在我单位，以上所填信息属实，同意申请。'),
    ],
    notes: [
      '延续登记须在登记有效期内完成20学时继续教育。',
      '本表打印后由申请人签字、经办人/负责人签字、工作单位盖章，扫描为PDF文件上传（文件大小不超过10兆）。',
    ],
  };
}

function change(d: ChangeData = {}): PaperDoc {
  const p = d.person || {};
  const c = d.cert || {};
  return {
    title: '变更登记申请表',
    ...header(d),
    blocks: [
      table(
        [
          { label: '姓名', value: p.name },
          { label: '性别', value: gender(p.gender) },
        ],
        [
          { label: '身份证号', value: p.idNumber },
          { label: '手机号码', value: p.phone },
        ],
        [
          { label: '职务', value: p.position },
          { label: '职称', value: p.title },
        ],
        [
          { label: '电子邮箱', value: p.email },
          { label: '现从事专业', value: p.specialty },
        ],
        [
          { label: '证书类型', value: c.type },
          { label: '证书有效期至', value: day(c.validUntil) },
        ],
        [
          { label: '证书编号', value: c.no },
          { label: '取得证书时间', value: day(c.issuedOn) },
        ],
        [{ label: '原工作单位', value: d.fromUnit }],
        [{ label: '变更后工作单位', value: d.toUnit }],
        [{ label: '通信地址', value: p.address }],
      ),
      applicantSigns('本人承诺以上内容真实准确。'),
      employerSigns('现工作单位意见', '该同志已受聘到我单位，以上所填信息属实，同意申请。'),
    ],
    notes: [
      '变更登记须在证书登记有效期内办理；不在有效期内的，须先办理延续登记。',
      '本表打印后由申请人签字、变更后工作单位盖章，扫描后与原单位离职证明一并上传（每个文件不超过10兆）。',
    ],
  };
}

function business(d: BusinessData = {}): PaperDoc {
  const p = d.person || {};
  const c = d.cert || {};
  const u = d.unit || {};
  return {
    title: d.business ? `${d.business}申请表` : '申请表',
    ...header(d),
    blocks: [
      table(
        [{ label: '申请业务', value: d.business }],
        [
          { label: '姓名', value: p.name },
          { label: '性别', value: gender(p.gender) },
        ],
        [
          { label: '身份证号', value: p.idNumber },
          { label: '手机号码', value: p.phone },
        ],
        [
          { label: '学历', value: p.education },
          { label: '职称', value: p.title },
        ],
        [
          { label: '证书类型', value: c.type },
          { label: '证书编号', value: c.no },
        ],
        [{ label: '专业', value: (c.specialties || []).filter(Boolean).join('、') }],
        [{ label: '工作单位', value: u.name }],
        [{ label: '统一社会信用代码', value: u.creditCode }],
        [{ label: '通讯地址', value: p.address }],
        [{ label: '申请事项说明', value: d.details, lines: 3 }],
      ),
      applicantSigns('本人承诺所填信息及所附材料真实、准确、完整，如有虚假，愿承担相应责任。'),
      employerSigns('单位意见', '经核实，该同志为我单位在职人员，以上所填信息属实，同意申请。', ['经办人', '联系电话']),
      associationSigns(),
    ],
    notes: [
      '本表由申请人签字、单位盖章后扫描上传，与单位承诺书、社保证明等业务所需材料一并提交。',
      '申请经会员服务机构初审、协会复核通过后办结；审核不通过的，将注明原因退回单位修改后重新提交。',
    ],
  };
}

/** Blank rows the commitment offers when no people are given. */
const BLANK_PEOPLE_ROWS = 5;

function commitment(d: CommitmentData = {}): PaperDoc {
  const u = d.unit || {};
  const people = d.people?.length
    ? d.people.map((x, i) => [String(i + 1), str(x.name), str(x.idNumber), str(x.certNo)])
    : Array.from({ length: BLANK_PEOPLE_ROWS }, (_, i) => [String(i + 1), '', '', '']);
  const para = (text: string, indent = true): PaperBlock => ({ type: 'paragraph', text, indent });
  return {
    title: '单位承诺书',
    ...header(d),
    blocks: [
      table(
        [{ label: '单位名称', value: u.name }],
        [{ label: '统一社会信用代码', value: u.creditCode }],
        [{ label: '申请业务', value: d.business }],
      ),
      { type: 'gap', height: 10 },
      para(`${d.association || '协会'}：`, false),
      para('我单位为下列人员申请办理上述业务，现郑重承诺：'),
      para('一、所列人员均为我单位在职人员，与我单位依法签订劳动合同，并由我单位依法缴纳社会保险；'),
      para('二、所提交的身份证件、学历证书、职称证书、社会保险缴纳证明等材料真实、有效，所填信息准确、完整；'),
      para('三、我单位已核实所列人员符合所申请业务的办理条件；'),
      para('四、如有弄虚作假，我单位愿承担由此产生的一切后果，并接受协会依照章程及有关规定作出的处理。'),
      para('特此承诺。'),
      para('申请人员名单：', false),
      {
        type: 'grid',
        columns: [
          { label: '序号', weight: 0.6 },
          { label: '姓名', weight: 1.2 },
          { label: '身份证号', weight: 2 },
          { label: '证书编号', weight: 1.6 },
        ],
        rows: people,
      },
      { type: 'gap', height: 10 },
      {
        type: 'sign',
        signers: ['法定代表人(签字)', '经办人', '联系电话'],
        stamp: '单位公章',
        date: true,
        minHeight: 96,
        border: false,
      },
    ],
  };
}

function cancellation(d: CancellationData = {}): PaperDoc {
  const p = d.person || {};
  const c = d.cert || {};
  return {
    title: '注销申请表',
    ...header(d),
    blocks: [
      table(
        [
          { label: '姓名', value: p.name },
          { label: '性别', value: gender(p.gender) },
        ],
        [
          { label: '身份证号', value: p.idNumber },
          { label: '手机号码', value: p.phone },
        ],
        [
          { label: '证书类型', value: c.type },
          { label: '证书编号', value: c.no },
        ],
        [
          { label: '发证日期', value: day(c.issuedOn) },
          { label: '证书有效期至', value: day(c.validUntil) },
        ],
        [{ label: '工作单位', value: d.unit }],
        [{ label: '注销原因', value: d.reason, lines: 3 }],
      ),
      applicantSigns(
        '本人自愿申请注销上述证书，已知悉证书注销后不再有效；本人仅持有一个类型证书的，普通会员会籍同时注销。',
      ),
      employerSigns('单位意见', '经核实，以上所填信息属实，同意该同志注销上述证书。', ['经办人', '联系电话']),
      associationSigns(),
    ],
    notes: [
      '证书注销由单位发起，经协会复核通过后生效，无需另行缴费。',
      '持有两个类型证书的人员只注销其中一个的，保留普通会员会籍。',
    ],
  };
}

function unitMembership(d: UnitMembershipData = {}): PaperDoc {
  const u = d.unit || {};
  return {
    title: '单位会员入会申请表',
    ...header(d),
    blocks: [
      table(
        [{ label: '单位名称', value: u.name }],
        [
          { label: '统一社会信用代码', value: u.creditCode },
          { label: '成立日期', value: day(u.foundedOn) },
        ],
        [
          { label: '法定代表人', value: u.legalRep },
          { label: '资质等级', value: u.qualification },
        ],
        [
          { label: '职工人数', value: str(u.staff) },
          { label: '注册监理工程师人数', value: str(u.engineers) },
        ],
        [
          { label: '联系人', value: u.contactName },
          { label: '联系电话', value: u.contactPhone },
        ],
        [
          { label: '电子邮箱', value: u.email },
          { label: '邮政编码', value: u.postcode },
        ],
        [{ label: '单位地址', value: u.address }],
        [{ label: '会员服务机构', value: u.org }],
        [{ label: '单位简介', value: u.intro, lines: 4 }],
      ),
      {
        type: 'sign',
        heading: '入会申请',
        statement: `我单位自愿申请加入${d.association || '协会'}，成为单位会员。我单位承认协会章程，遵守协会各项规定，履行会员义务，按时缴纳会费，积极参加协会组织的活动。以上所填信息真实、准确。`,
        signers: ['法定代表人(签字)'],
        stamp: '单位公章',
        date: true,
        minHeight: 128,
      },
      associationSigns('协会审批意见', '审批人'),
    ],
    notes: ['本表由法定代表人签字、单位盖章后扫描上传。协会审核通过后，按协会通知缴纳当年单位会员会费。'],
  };
}

// ---------- the catalogue ----------

export interface PaperSpec<K extends PaperKind> {
  kind: K;
  /** The form's title, also the blank template's file name. */
  title: string;
  /** Which manual the form is from. */
  source: 'capec-registration' | 'supervision-platform';
  build: (data?: PaperData[K]) => PaperDoc;
}

export const PAPERS: { [K in PaperKind]: PaperSpec<K> } = {
  'renewal-application': {
    kind: 'renewal-application',
    title: '延续登记申请表',
    source: 'capec-registration',
    build: renewal,
  },
  'change-application': {
    kind: 'change-application',
    title: '变更登记申请表',
    source: 'capec-registration',
    build: change,
  },
  'business-application': {
    kind: 'business-application',
    title: '申请表',
    source: 'supervision-platform',
    build: business,
  },
  commitment: { kind: 'commitment', title: '单位承诺书', source: 'supervision-platform', build: commitment },
  'cancellation-application': {
    kind: 'cancellation-application',
    title: '注销申请表',
    source: 'supervision-platform',
    build: cancellation,
  },
  'unit-membership-application': {
    kind: 'unit-membership-application',
    title: '单位会员入会申请表',
    source: 'supervision-platform',
    build: unitMembership,
  },
};

export const PAPER_KINDS = Object.keys(PAPERS) as PaperKind[];

/** e.g. 变更登记申请表-欧阳堃.pdf; the blank template: 变更登记申请表.pdf. Path separators dropped. */
export function paperFileName(doc: Pick<PaperDoc, 'title'>, who?: string): string {
  const clean = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '');
  return `${clean(doc.title)}${who ? `-${clean(who)}` : ''}.pdf`;
}
