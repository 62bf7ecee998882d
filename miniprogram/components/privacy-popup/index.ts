/**
 * The privacy popup (issue 10): shown while WeChat waits for consent before a privacy-relevant API
 * (choosing a photo or file, saving to the album, copying). Agreeing uses the button's
 * `open-type="agreePrivacyAuthorization"`, which WeChat requires; declining cancels that one call.
 */
import { answerPrivacy, onPrivacyPopup } from '../../services/privacy';

Component({
  data: { show: false },
  lifetimes: {
    attached() {
      (this as unknown as { off: () => void }).off = onPrivacyPopup((show) => this.setData({ show }));
    },
    detached() {
      (this as unknown as { off?: () => void }).off?.();
    },
  },
  methods: {
    onAgree(e: WechatMiniprogram.CustomEvent) {
      answerPrivacy(true, String((e.currentTarget as { id?: string }).id || 'privacy-agree'));
    },
    onDisagree() {
      answerPrivacy(false);
    },
    onGuide() {
      const w = wx as unknown as { openPrivacyContract?: (o: object) => void };
      w.openPrivacyContract?.({});
    },
  },
});
