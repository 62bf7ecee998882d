/**
 * 开发身份: in a develop build on the local server, choose which demo OPENID the server acts as
 * (SPEC §5 "Local server"; stored under request.ts's DEV_OPENID_KEY). Production identity comes
 * from WeChat, so the page refuses to switch anything there.
 */
import { devOpenid, isDevBuild, setDevOpenid } from '../../services/session';

const IDENTITIES = [
  { openid: 'demo-secretariat', title: '秘书处' },
  { openid: 'demo-org-reviewer', title: '机构初审（示例市建设监理行业协会）' },
  { openid: 'demo-assoc-reviewer', title: '协会审核' },
  { openid: 'demo-finance', title: '协会财务' },
  { openid: 'demo-unit-a-admin', title: '单位管理员 · 示例监理有限公司' },
  { openid: 'demo-unit-b-admin', title: '单位管理员 · 示例工程咨询有限公司' },
  { openid: 'demo-member-1', title: '个人会员（持监理员证书）' },
  { openid: 'demo-newcomer', title: '新用户（尚未入会）' },
];

Component({
  data: { identities: IDENTITIES, current: '', enabled: false },
  methods: {
    onLoad() {
      this.setData({ enabled: isDevBuild(), current: devOpenid() });
    },
    onPick(e: WechatMiniprogram.CustomEvent) {
      if (!this.data.enabled) return;
      const openid = String(e.currentTarget.dataset.openid || '');
      setDevOpenid(openid);
      this.setData({ current: openid });
      wx.showToast({ title: '已切换身份', icon: 'success' });
      wx.reLaunch({ url: '/pages/home/index' });
    },
  },
});
