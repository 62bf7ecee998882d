/**
 * `npm run demo:journey` — walks the whole join journey against a running local server
 * (`npm start`, or BASE_URL), as the demo identities, printing every request and answer:
 * a newcomer scans unit A's join code and, after every review stage, becomes a member.
 */
import { jpeg, pdf, validIdNumber } from '../tests/support/fixtures';

const BASE = process.env.BASE_URL || `http://127.0.0.1:${process.env.PORT || 8787}`;

async function call(openid: string, fn: string, body: Record<string, unknown>) {
  const r = await fetch(`${BASE}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(body),
  });
  const env = (await r.json()) as { ok: boolean; data?: any; error?: { code: string; message: string } };
  const summary = env.ok ? JSON.stringify(env.data).slice(0, 160) : `${env.error?.code} ${env.error?.message}`;
  console.log(`${openid.padEnd(20)} ${fn}.${String(body.action).padEnd(10)} → ${env.ok ? 'ok' : 'ERROR'} ${summary}`);
  if (!env.ok) throw new Error(`${fn}.${body.action} failed`);
  return env.data;
}

/** Upload to storage, then confirm it as the uploader (files.confirm), as the mini-program does. */
async function upload(bytes: Buffer, cloudPath: string, owner: string, purpose: string): Promise<string> {
  const r = await fetch(`${BASE}/storage?cloudPath=${encodeURIComponent(cloudPath)}`, { method: 'POST', body: new Uint8Array(bytes) });
  const { fileID } = (await r.json()) as { fileID: string };
  console.log(`${'(upload)'.padEnd(20)} ${cloudPath} → ${fileID}`);
  await call(owner, 'files', { action: 'confirm', fileID, purpose });
  return fileID;
}

async function main() {
  const stamp = Date.now().toString(36);
  const applicant = `demo-newcomer-${stamp}`;
  const { code } = await call('demo-unit-a-admin', 'codes', { action: 'issue', kind: 'join' });
  await call(applicant, 'codes', { action: 'resolve', code });
  const files = {
    photo: await upload(jpeg(90, 120), `uploads/${stamp}/photo.jpg`, applicant, 'photo'),
    idFront: await upload(jpeg(320, 200), `uploads/${stamp}/id-front.jpg`, applicant, 'idFront'),
    idBack: await upload(jpeg(320, 200), `uploads/${stamp}/id-back.jpg`, applicant, 'idBack'),
    diploma: await upload(jpeg(300, 220), `uploads/${stamp}/diploma.jpg`, applicant, 'diploma'),
    diplomaCheck: await upload(pdf(), `uploads/${stamp}/diploma-check.pdf`, applicant, 'diplomaCheck'),
  };
  // A different valid person each run, so the journey can be walked again on the same data.
  const n = Math.floor(Date.now() / 1000);
  const pad = (x: number) => String(x).padStart(2, '0');
  const birth = `19${75 + (n % 20)}-${pad(1 + (n % 12))}-${pad(1 + (n % 28))}`;
  const profile = {
    name: '陈示范',
    gender: 'female',
    idType: 'resident',
    idNumber: validIdNumber(birth, 'female', n % 100),
    phone: '13700001111',
    address: '示例市示例区建设路18号',
    education: { level: 'bachelor', school: '示例建筑大学', major: '工程管理', graduatedOn: '2012-06-30' },
  };
  const { formId, formNo } = await call(applicant, 'members', { action: 'apply', code, level: 'ordinary', profile, files });
  console.log(`\n入会申请 ${formNo} 已提交\n`);
  await call('demo-unit-a-admin', 'forms', { action: 'prereview', formId, decision: 'approve' });
  const form = await call('demo-unit-a-admin', 'forms', { action: 'get', formId });
  const receipt = await upload(jpeg(200, 300), `uploads/${stamp}/receipt.jpg`, 'demo-unit-a-admin', 'receipt');
  await call('demo-unit-a-admin', 'bills', { action: 'pay', billId: form.bills[0].id, receipt });
  await call('demo-org-reviewer', 'review', { action: 'approve', formId, remark: '资料齐全' });
  await call('demo-assoc-reviewer', 'review', { action: 'approve', formId });
  await call('demo-finance', 'review', { action: 'approve', formId, remark: '会费已到账' });
  const me = await call(applicant, 'members', { action: 'me' });
  console.log(`\n${me.member.name} 已成为 ${me.member.unit.name} 的会员，会籍有效期至 ${me.member.memberships[0].validUntil}`);
}

main().catch((e) => {
  console.error(`\n${e.message}. Is the local server running (npm start) at ${BASE}?`);
  process.exit(1);
});
