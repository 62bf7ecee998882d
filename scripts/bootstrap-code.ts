/**
 * `npm run bootstrap-code`: a fresh one-time code that binds the first secretariat account
 * (SPEC §2.1), and the hash to configure. Set the hash as the environment variable
 * MSP_BOOTSTRAP_CODE_HASH of the `admin` cloud function; hand the code to the person who becomes
 * the secretariat, who opens the mini-program and enters it (`admin.bootstrap`). The code works
 * only while no secretariat account exists, and only once. Nothing is stored by this script.
 */
import { BOOTSTRAP_ENV, bootstrapHash, newBootstrapCode } from '../cloudfunctions/admin/bootstrap';

const code = newBootstrapCode();
console.log(
  [
    '首个秘书处账号的一次性初始化码 (one-time bootstrap code for the first secretariat account):',
    '',
    `  code: ${code}`,
    '',
    'Configure on the `admin` cloud function (云函数 → admin → 配置 → 环境变量):',
    '',
    `  ${BOOTSTRAP_ENV}=${bootstrapHash(code)}`,
    '',
    'Give the code to the secretariat only; it is not shown again. It stops working once a secretariat',
    'account exists. Locally the demo world already has one (demo-secretariat).',
  ].join('\n'),
);
