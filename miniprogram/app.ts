/**
 * 会员服务平台 mini-program. All cloud traffic goes through services/request.ts, whose transport is
 * chosen there (cloud in production, the local server in a develop build). Pages are written with
 * `Component()` so that they can be rendered in tests (miniprogram-simulate).
 */
import { watchPrivacy } from './services/privacy';

App({
  globalData: {},
  onLaunch() {
    // request.ts initialises the transport on first use; WeChat's privacy consent is asked through
    // the privacy popup before a privacy-relevant API runs (services/privacy.ts).
    watchPrivacy();
  },
});
