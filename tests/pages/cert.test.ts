/** Certificate pages (pkg-cert) against the real local system. */
import { ADMIN_A } from '../support/journey';
import { openPage } from './support/render';
import { actAs, newOpenid, useLocalSystem } from './support/system';
import { queueScan, lastNavigation } from './support/wx';

const system = useLocalSystem();

async function demoCert() {
  actAs(system(), 'demo-member-1');
  const r = await system().call('members', { action: 'me' }, 'demo-member-1');
  return r.data.certificates[0];
}

test('verify page: opened from a URL QR (q), shows 证书有效 and the masked ID', async () => {
  const cert = await demoCert();
  const e = await system().call('certs', { action: 'ecert', certId: cert.id }, 'demo-member-1');
  actAs(system(), newOpenid());
  const page = await openPage('pkg-cert/verify/index', { q: encodeURIComponent(e.data.verifyUrl) });
  await page.waitForText('证书有效');
  expect(page.text()).toContain(cert.no);
  expect(page.text()).toContain(cert.idMasked);
  expect(page.find('#status')!.dom.getAttribute('data-status')).toBe('valid');
});

test('verify page: forged token shows 验证未通过', async () => {
  const cert = await demoCert();
  actAs(system(), newOpenid());
  const page = await openPage('pkg-cert/verify/index', { t: `${cert.no}.1AAAAAAAAAAA` });
  await page.waitForText('验证未通过');
  expect(page.find('#certificate')).toBeUndefined();
});

test('lookup page: by number shows the certificate; a miss shows the empty state; scanning goes to verify', async () => {
  const cert = await demoCert();
  actAs(system(), newOpenid());
  const page = await openPage('pkg-cert/lookup/index');
  await page.input(cert.no, '#cert-no');
  await page.tap('#search');
  await page.waitForText(cert.idMasked);
  await page.input('NOPE123', '#cert-no');
  await page.tap('#search');
  await page.waitForText('未查询到匹配的证书');
  queueScan({ result: `http://x/http/cert-verify/?t=${cert.no}.1abcdefghijk` });
  await page.tap('#scan');
  await page.waitFor(() => lastNavigation(), 'navigation');
  expect(lastNavigation()).toMatchObject({ route: 'pkg-cert/verify/index', query: { t: `${cert.no}.1abcdefghijk` } });
});

test('mine page: lists the certificate and renders the e-certificate preview', async () => {
  await demoCert();
  const page = await openPage('pkg-cert/mine/index');
  await page.waitForText('监理员');
  await page.tap('.download');
  await page.waitFor(() => page.data.preview, 'preview');
  expect(page.data.preview.fileName).toMatch(/^李建国-.*\.png$/);
  expect(page.find('#preview')).toBeDefined();
});

test('unit page: counts, packs with progress, exports', async () => {
  actAs(system(), ADMIN_A);
  const page = await openPage('pkg-cert/unit/index');
  await page.waitFor(() => page.data.counts, 'counts');
  expect(page.text()).toContain('可下载电子证书 1 张');
  await page.tap('#pack');
  await page.waitFor(() => page.data.zip, 'zip', 15000);
  expect(page.text()).toMatch(/电子证书-示例监理有限公司-\d{8}-\d{4}\.zip/);
  expect(page.data.job).toMatchObject({ done: 1, total: 1, percent: 100 });
  await page.tap('#export');
  await page.waitFor(() => page.data.sheet, 'sheet', 15000);
  expect(page.text()).toContain('人员花名册-示例监理有限公司');
  await page.pick(2, '#hold');
  await page.waitFor(() => page.data.counts && page.data.counts.people === 0, 'filtered counts');
});

test('unit page: a member who is not an admin sees why', async () => {
  actAs(system(), 'demo-member-1');
  const page = await openPage('pkg-cert/unit/index');
  await page.waitForText('只有单位管理员');
});

test('unit page: a job larger than one chunk is continued call after call, and each of its zips is offered', async () => {
  const { addMember } = await import('../support/people');
  const { batchSizes } = await import('../certs/helpers');
  await addMember({ name: '分包甲', certs: [{}] });
  await addMember({ name: '分包乙', certs: [{}] });
  await batchSizes({ chunk: 1, part: 2 });
  try {
    actAs(system(), ADMIN_A);
    const page = await openPage('pkg-cert/unit/index');
    await page.waitFor(() => page.data.counts, 'counts');
    const total = page.data.counts.downloadable;
    expect(total).toBeGreaterThanOrEqual(3);
    await page.tap('#pack');
    await page.waitFor(() => page.data.zip, 'zip', 30000);
    expect(page.data.job).toMatchObject({ done: total, total, percent: 100 });
    expect(page.data.zips).toHaveLength(Math.ceil(total / 2));
    expect(page.data.zips.reduce((n: number, z: { count: number }) => n + z.count, 0)).toBe(total);
    expect(page.find('#zip-1')).toBeTruthy();
    expect(page.text()).toContain(`分为 ${Math.ceil(total / 2)} 个压缩包`);
  } finally {
    await batchSizes(null);
  }
});
