/**
 * The demo world's identities (SPEC §5 "Local server"): seeded by the local server on an empty data
 * directory, printed at start-up, and offered by the develop build's identity switcher.
 */
export const DEMO_IDENTITIES: { openid: string; who: string }[] = [
  { openid: 'demo-secretariat', who: '秘书处（协会管理员）' },
  { openid: 'demo-org-reviewer', who: '机构初审：示例市建设监理行业协会' },
  { openid: 'demo-assoc-reviewer', who: '协会初审/复核' },
  { openid: 'demo-finance', who: '协会财务复核' },
  { openid: 'demo-unit-a-admin', who: '单位A主管理员：示例监理有限公司（单位会员）' },
  { openid: 'demo-unit-b-admin', who: '单位B主管理员：示例工程咨询有限公司（非会员单位）' },
  { openid: 'demo-member-1', who: '单位A的个人会员，持有效监理员证书' },
  { openid: 'demo-newcomer', who: '新用户，尚无会员记录（扫码入会用）' },
];

/** The equipment-supervision association's demo world (`MSP_PROFILE=equipment`): the same staff, plus two holders. */
export const EQUIPMENT_DEMO_IDENTITIES: { openid: string; who: string }[] = [
  ...DEMO_IDENTITIES.filter((d) => d.openid !== 'demo-member-1' && d.openid !== 'demo-newcomer').map((d) =>
    d.openid === 'demo-org-reviewer' ? { ...d, who: '登记初审：登记初审组' } : d,
  ),
  { openid: 'demo-holder-ready', who: '持证人：专业知识培训合格证书有效，登记有效期内已完成20学时（可延续登记）' },
  { openid: 'demo-holder-short', who: '持证人：总监理工程师培训合格证书有效，只完成12/20学时（延续登记被拒，可变更登记）' },
];

export function demoIdentities(profile: string): { openid: string; who: string }[] {
  return profile === 'equipment' ? EQUIPMENT_DEMO_IDENTITIES : DEMO_IDENTITIES;
}
