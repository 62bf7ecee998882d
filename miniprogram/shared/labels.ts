/** Chinese labels for every string status and type the API uses (SPEC §5). */
import type {
  BillStatus,
  CodeKind,
  EducationLevel,
  FormStatus,
  FormType,
  Gender,
  IdType,
  MembershipLevel,
  InvoiceKind,
  Role,
} from '../../typings/api';

export const FORM_STATUS_LABEL: Record<FormStatus, string> = {
  draft: '暂存',
  unit_review: '单位预审中',
  org_review: '机构初审中',
  assoc_review: '协会初审中',
  awaiting_payment: '待缴费',
  finance_review: '财务复核中',
  approved: '审批完成',
  returned: '退回',
  withdrawn: '已撤回',
  rejected: '不予通过',
};
export const FORM_STATUSES = Object.keys(FORM_STATUS_LABEL) as FormStatus[];

export const FORM_TYPE_LABEL: Record<FormType, string> = {
  join: '个人会员入会申请',
  'initial-education': '初始教育',
  'continuing-education': '继续教育',
  upgrade: '员升师',
  'specialty-change': '专业变更',
  'cert-unit-change': '证书变更(单位名称)',
  'cert-cancel': '证书注销',
  'pro-continuing-education': '专业会员(注师)继教',
  'unit-membership': '单位入会申请',
  'unit-info-change': '单位信息变更',
  'membership-renewal': '个人会员费缴纳',
  'member-info-change': '个人信息变更',
  'registration-renewal': '延续登记',
  'registration-change': '变更登记',
};

/** Form number prefixes: prefix + yyyymmdd + 6-digit daily sequence (e.g. JY-20250304000045). */
export const FORM_NO_PREFIX: Record<FormType, string> = {
  join: 'RH',
  'initial-education': 'JY',
  'continuing-education': 'JY',
  upgrade: 'JY',
  'specialty-change': 'JY',
  'cert-unit-change': 'ZSBG',
  'cert-cancel': 'ZSZX',
  'pro-continuing-education': 'ZSJJ',
  'unit-membership': 'DWRH',
  'unit-info-change': 'DWBG',
  'membership-renewal': 'HF',
  'member-info-change': 'XXBG',
  'registration-renewal': 'YXDJ',
  'registration-change': 'BGDJ',
};

export const ROLE_LABEL: Record<Role, string> = {
  member: '个人会员',
  unit_admin: '单位管理员',
  org_reviewer: '机构初审',
  assoc_reviewer: '协会审核',
  finance: '协会财务',
  secretariat: '秘书处',
};

export const CODE_KIND_LABEL: Record<CodeKind, string> = {
  join: '入会二维码',
  'join-simple': '入会简码',
  transfer: '个人归属公司变更码',
  resign: '离职码',
  'id-update': '会员身份资料更新码',
  'sub-admin': '子账号邀请码',
  role: '角色邀请码',
};

export const LEVEL_LABEL: Record<MembershipLevel, string> = {
  ordinary: '普通会员',
  professional: '专业会员',
};
export const GENDER_LABEL: Record<Gender, string> = { male: '男', female: '女' };
export const ID_TYPE_LABEL: Record<IdType, string> = {
  resident: '二代居民身份证',
  hmt: '港澳台身份证件',
  other: '其他证件',
};
export const EDUCATION_LABEL: Record<EducationLevel, string> = {
  secondary: '中专',
  college: '大专',
  bachelor: '本科',
  master: '硕士',
  doctor: '博士',
};
export const BILL_STATUS_LABEL: Record<BillStatus, string> = {
  unpaid: '待缴费',
  paid: '已缴费待确认',
  confirmed: '已确认',
  void: '已作废',
  refund: '待退款',
};

/** The 14 specialties of construction supervision (监理工程专业), in the catalogue's order. */
export const SPECIALTIES = [
  '房屋建筑工程',
  '冶炼工程',
  '矿山工程',
  '化工石油工程',
  '水利水电工程',
  '电力工程',
  '农林工程',
  '铁路工程',
  '公路工程',
  '港口与航道工程',
  '航天航空工程',
  '通信工程',
  '市政公用工程',
  '机电安装工程',
] as const;

export const STUDY_STATUS_LABEL = {
  not_started: '开课未学习',
  studying: '学习中',
  completed: '已完成',
  failed: '考试未通过',
} as const;

export const CERT_REASON_LABEL = {
  'new-employer': '新单位入职',
  renamed: '单位名称变更',
} as const;

/** 开票 (FAQ 3.5): what was issued for a bill. */
export const INVOICE_KIND_LABEL: Record<InvoiceKind, string> = { 'fiscal-receipt': '电子财政收据', 'e-invoice': '电子发票' };
