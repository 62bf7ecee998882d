/**
 * 开发身份: in a develop build on the local server, choose which demo OPENID the server acts as
 * (SPEC §5 "Local server"; stored under request.ts's DEV_OPENID_KEY). Production identity comes
 * from WeChat, so the page refuses to switch anything there.
 */
import { devOpenid, isDevBuild, setDevOpenid } from '../../services/session';
import { DEMO_IDENTITIES, EQUIPMENT_DEMO_IDENTITIES } from '../../shared/demo';

// Both demo worlds' people: the holders exist only when the server runs MSP_PROFILE=equipment.
const IDENTITIES = [
  ...DEMO_IDENTITIES,
  ...EQUIPMENT_DEMO_IDENTITIES.filter((d) => !DEMO_IDENTITIES.some((x) => x.openid === d.openid)).map((d) => ({ ...d, who: `${d.who}（MSP_PROFILE=equipment）` })),
].map((d) => ({ openid: d.openid, title: d.who }));

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
