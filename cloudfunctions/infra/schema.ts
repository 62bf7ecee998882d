/**
 * The one schema of the cloud database: every collection the functions use, and its indexes.
 *
 * In production these indexes are created in the CloudBase console, as listed here (README);
 * locally the embedded backend creates them in SQLite and enforces the unique ones, and in tests it
 * refuses a query on a `large` collection that no declared index serves — so a full scan that
 * production would pay for is caught before it ships.
 */

/** One field of an index, with its direction. */
export type IndexField = [field: string, direction: 1 | -1];

export interface IndexSpec {
  name: string;
  fields: IndexField[];
  /** Unique across the collection. */
  unique?: boolean;
  /**
   * Sparse: documents missing the (first) field are not indexed, so several may lack it.
   * MongoDB/CloudBase reject a second document missing a unique field unless the index is sparse.
   */
  sparse?: boolean;
}

export interface CollectionSpec {
  name: string;
  /** Grows with the province (~100k members): every query must be served by an index. */
  large?: boolean;
  indexes: IndexSpec[];
  /** Why the collection exists, for the README's resource list. */
  note: string;
}

/** Collection names, defined once. */
export const C = {
  config: 'config',
  orgs: 'orgs',
  units: 'units',
  roles: 'roles',
  members: 'members',
  forms: 'forms',
  bills: 'bills',
  codes: 'codes',
  counters: 'counters',
  audit: 'audit',
  certificates: 'certificates',
  busy: 'busy',
  studies: 'studies',
  studyReports: 'study_reports',
  rateLimits: 'rate_limits',
  certJobs: 'cert_jobs',
  notices: 'notices',
  outbox: 'outbox',
  subscriptions: 'subscriptions',
  files: 'files',
  bindings: 'bindings',
  bindRequests: 'bind_requests',
  pending: 'pending',
  unitRequests: 'unit_requests',
  learning: 'learning',
} as const;
export type CollectionName = (typeof C)[keyof typeof C];

export const SCHEMA: CollectionSpec[] = [
  { name: C.config, indexes: [], note: '可配置的业务参数（会籍年限、费用、学时……），一条文档一个键' },
  {
    name: C.orgs,
    indexes: [
      { name: 'kind', fields: [['kind', 1]] },
      { name: 'name_unique', fields: [['name', 1]], unique: true },
    ],
    note: '协会与会员服务机构（初审机构）',
  },
  {
    name: C.units,
    large: true,
    indexes: [
      { name: 'name_unique', fields: [['name', 1]], unique: true },
      { name: 'creditCode_unique', fields: [['creditCode', 1]], unique: true },
      { name: 'orgId', fields: [['orgId', 1]] },
      /** The secretariat's unit list filtered by member / non-member, in name order. */
      { name: 'member_name', fields: [['isMember', 1], ['name', 1]] },
    ],
    note: '单位：名称、统一社会信用代码、是否单位会员、初审机构、管理员变更版本（adminsVersion）',
  },
  {
    name: C.roles,
    large: true,
    indexes: [
      { name: 'openid_role_scope', fields: [['openid', 1], ['role', 1], ['scopeId', 1]], unique: true },
      { name: 'scope_role', fields: [['scopeId', 1], ['role', 1]] },
      /** The secretariat's account list by role (all finance staff, all unit admins …). */
      { name: 'role_scope', fields: [['role', 1], ['scopeId', 1]] },
    ],
    note: '微信身份（OPENID）持有的角色：单位主/子管理员、机构初审、协会初审、财务、秘书处',
  },
  {
    name: C.members,
    large: true,
    indexes: [
      { name: 'idHash_unique', fields: [['idHash', 1]], unique: true },
      { name: 'openid', fields: [['openid', 1]] },
      { name: 'unit_created', fields: [['unitId', 1], ['createdAt', -1]] },
      { name: 'name', fields: [['name', 1]] },
      /** The dashboard's age bands and education counts (admin.stats). */
      { name: 'birth', fields: [['birthDate', 1]] },
      /** Memberships ending on a day (the daily reminders). */
      { name: 'membership_end', fields: [['memberships.validUntil', 1]] },
      { name: 'education', fields: [['education.level', 1]] },
    ],
    note: '个人会员：身份证号加密存储，idHash 为带密钥的哈希，用于查找与唯一性',
  },
  {
    name: C.forms,
    large: true,
    indexes: [
      { name: 'no_unique', fields: [['no', 1]], unique: true },
      { name: 'unit_status_created', fields: [['unitId', 1], ['status', 1], ['createdAt', -1]] },
      { name: 'org_status_created', fields: [['orgId', 1], ['status', 1], ['createdAt', -1]] },
      { name: 'status_created', fields: [['status', 1], ['createdAt', -1]] },
      { name: 'applicant_created', fields: [['applicantOpenid', 1], ['createdAt', -1]] },
      { name: 'personHashes', fields: [['personHashes', 1]] },
      { name: 'personNames', fields: [['personNames', 1]] },
      { name: 'memberIds', fields: [['memberIds', 1]] },
      { name: 'created', fields: [['createdAt', -1]] },
      /** The dashboard's counts per business type (admin.stats). */
      { name: 'type_created', fields: [['type', 1], ['createdAt', -1]] },
    ],
    note: '业务表单（入会申请及各类业务），含人员、附件、审批轨迹',
  },
  {
    name: C.bills,
    large: true,
    indexes: [
      { name: 'form', fields: [['formId', 1]] },
      { name: 'unit_status', fields: [['unitId', 1], ['status', 1]] },
      { name: 'memberIds_status', fields: [['memberIds', 1], ['status', 1]] },
      /** 开票记录: a unit's issued invoices by date, and all of them for finance. */
      { name: 'unit_invoiced', fields: [['unitId', 1], ['invoicedAt', -1]] },
      { name: 'invoiced', fields: [['invoicedAt', -1]] },
      /** 待开票: finance's paid bills, newest payment first. */
      { name: 'status_paid', fields: [['status', 1], ['paidAt', -1]] },
    ],
    note: '缴费单：会费、辅助费',
  },
  {
    name: C.codes,
    large: true,
    indexes: [
      { name: 'unit_kind', fields: [['unitId', 1], ['kind', 1]] },
      /** The unit's code list, newest first. */
      { name: 'unit_issued', fields: [['unitId', 1], ['issuedAt', -1]] },
      /** The daily cleanup: codes expired long ago and never used, oldest first, across all units. */
      { name: 'expires', fields: [['expiresAt', 1]] },
    ],
    note: '已签发二维码的记录（一次性码的使用状态）',
  },
  { name: C.counters, indexes: [], note: '表单编号的每日序号，_id = 前缀+日期' },
  {
    name: C.audit,
    large: true,
    indexes: [
      { name: 'target_at', fields: [['targetId', 1], ['at', 1]] },
      { name: 'actor_at', fields: [['actor', 1], ['at', -1]] },
    ],
    note: '审计事件：谁、何时、从何状态到何状态、备注；只增不改',
  },
  {
    name: C.certificates,
    large: true,
    indexes: [
      { name: 'no_unique', fields: [['no', 1]], unique: true },
      { name: 'holder', fields: [['memberId', 1]] },
      { name: 'idHash', fields: [['idHash', 1]] },
      /** The dashboard's counts per certificate type (admin.stats). */
      { name: 'type_status', fields: [['type', 1], ['status', 1]] },
    ],
    note: '培训证书',
  },
  {
    name: C.busy,
    large: true,
    indexes: [],
    note: '每人一条（_id = 会员编号）：在途业务与未完成学习任务的登记，提交业务时在事务中检查并占用，防止并发办理冲突业务',
  },
  {
    name: C.studies,
    large: true,
    indexes: [
      { name: 'unit_status_created', fields: [['unitId', 1], ['status', 1], ['createdAt', -1]] },
      { name: 'unit_created', fields: [['unitId', 1], ['createdAt', -1]] },
      { name: 'member', fields: [['memberId', 1]] },
      { name: 'form', fields: [['formId', 1]] },
    ],
    note: '学习任务：教育类业务审批完成后开通，学习平台回报学时与考试结果，完成时发证或换证',
  },
  {
    name: C.learning,
    large: true,
    indexes: [{ name: 'member_finished', fields: [['memberId', 1], ['finishedOn', 1]] }],
    note: '学习记录：继续教育网络平台完成的课程与学时（延续登记按登记有效期内的学时判断）',
  },
  {
    name: C.studyReports,
    large: true,
    indexes: [],
    note: '学习平台回报的去重记录（_id = 回报编号），同一回报重放不重复计考试次数',
  },
  {
    name: C.rateLimits,
    large: true,
    indexes: [{ name: 'updated', fields: [['updatedAt', 1]] }],
    note: '限流令牌桶，_id = 用途:OPENID（如证书查询）；只按 _id 读写，updatedAt 供清理过期记录',
  },
  {
    name: C.certJobs,
    large: true,
    indexes: [
      { name: 'unit_created', fields: [['unitId', 1], ['createdAt', -1]] },
      /** The daily cleanup: jobs (and their selection pages) older than a day, across all units. */
      { name: 'created', fields: [['createdAt', 1]] },
    ],
    note: '电子证书批量打包任务（分段续做）：所选证书清单（分页文档 <任务>.<清单>.<页>）、进度（done/total）、租约、已完成的压缩包与跳过原因；页面轮询进度并继续调用',
  },
  {
    name: C.notices,
    large: true,
    indexes: [
      { name: 'to_created', fields: [['to', 1], ['createdAt', -1]] },
      { name: 'to_read', fields: [['to', 1], ['read', 1]] },
    ],
    note: '站内消息（消息及通知）：收件人为 OPENID 或 unit:<单位编号>（单位所有管理员可见）',
  },
  {
    name: C.outbox,
    large: true,
    indexes: [{ name: 'status_created', fields: [['status', 1], ['createdAt', 1]] }],
    note: '订阅消息发件箱：每条站内消息对应的微信订阅消息及其发送结果（本地只保存不发送）',
  },
  {
    name: C.subscriptions,
    large: true,
    indexes: [],
    note: '用户同意的一次性订阅消息次数（_id = OPENID），每发送一条消耗一次',
  },
  {
    name: C.files,
    large: true,
    indexes: [{ name: 'expires', fields: [['expiresAt', 1]] }],
    note: '存储文件的归属（_id = fileID 的哈希）：上传人 OPENID、用途、内容类型、大小，所属单位/会员，附在哪些表单上；files.url 据此判断谁可以查看，expiresAt 供清理临时文件',
  },
  {
    name: C.bindings,
    large: true,
    indexes: [],
    note: '微信与会员记录的绑定（_id = OPENID → memberId）：与会员记录的 openid 在同一事务中写入，保证一个微信只绑定一名会员',
  },
  {
    name: C.bindRequests,
    large: true,
    indexes: [
      { name: 'unit_status_created', fields: [['unitId', 1], ['status', 1], ['createdAt', -1]] },
      { name: 'member', fields: [['memberId', 1]] },
    ],
    note: '老会员扫码补充身份证并绑定微信的申请：手机号与登记一致后待单位管理员确认，确认后才绑定',
  },
  {
    name: C.pending,
    large: true,
    indexes: [],
    note: '“同类只能一份在办”的占用（_id = 占用键，如 join:<证件哈希>、unit-membership:<单位>）：创建表单的事务中占用，办结的事务中释放',
  },
  {
    name: C.unitRequests,
    large: true,
    indexes: [{ name: 'status_created', fields: [['status', 1], ['createdAt', -1]] }],
    note: '“找不到单位”：持证人申请添加的单位，待秘书处批准（新建单位）、合并到已有单位或驳回',
  },
];
