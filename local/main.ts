/** `npm start`: build what is needed, then serve the local system on 127.0.0.1 (PORT, DATA_DIR). */
import { resolve } from 'path';
import { buildFunctions, buildMiniprogramNpm } from '../scripts/build';
import { demoIdentities } from '../miniprogram/shared/demo';
import { startLocalServer } from './server';

async function main() {
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  const port = Number(process.env.PORT || 8787);
  const names = await buildFunctions();
  buildMiniprogramNpm();
  const s = await startLocalServer({ dataDir, port });
  const lines = [
    `会员服务平台 local server: ${s.url}  (127.0.0.1 only)`,
    `  data:      ${dataDir}${s.seeded ? '  (empty: demo world seeded)' : ''}`,
    `  association profile: ${s.profile}  (MSP_PROFILE=construction|equipment)`,
    `  functions: POST ${s.url}/functions/<${names.join('|')}>  body {"action": …}, header x-wx-openid`,
    `  storage:   POST ${s.url}/storage?cloudPath=<path>   GET ${s.url}/storage/<fileID> (header x-wx-openid; private)`,
    `  database:  ${s.serviceUrl}  (this start's key: for npm run import --service-url; browsers are refused)`,
    '  demo identities (x-wx-openid):',
    ...demoIdentities(s.profile).map((d) => `    ${d.openid.padEnd(22)} ${d.who}`),
    '  try: curl -s -X POST -H "x-wx-openid: demo-unit-a-admin" -d \'{"action":"issue","kind":"join"}\' ' + `${s.url}/functions/codes`,
  ];
  console.log(lines.join('\n'));
  const stop = async () => {
    await s.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
