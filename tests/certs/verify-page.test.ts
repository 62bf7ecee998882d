/**
 * The public verification web page (issue 5: "works from any phone camera"), opened in a real
 * headless Chromium: the URL comes out of the QR code of a real e-certificate PNG, and the page is
 * served by the built `cert-verify` function through the local server's HTTP access route.
 */
import { Browser, chromium, Page } from 'playwright-core';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { httpRequest, LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { addPerson, decodePng, download } from './helpers';

// Real renders, zips and a browser on a shared 2-core machine: generous limits, no timed assertions.
jest.setTimeout(60_000);

let sys: LocalSystem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sys = await startLocalSystem();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await sys?.close();
});

/** The page a phone camera opens for this QR content, on this local server. */
function pageUrl(qr: string): string {
  const t = new URL(qr).searchParams.get('t') as string;
  return `${sys.url}/http/cert-verify/?t=${encodeURIComponent(t)}`;
}

async function scanned(openid: string, certId: string): Promise<string> {
  const r = ok(await sys.call('certs', { action: 'ecert', certId }, openid));
  const qr = decodePng(await download(r.url)).qr;
  expect(qr).toBe(r.verifyUrl);
  return pageUrl(qr as string);
}

const field = (name: string) => page.locator(`[data-field="${name}"]`).textContent();

test('when a phone opens the QR code of a valid e-certificate, then the page says 证书有效 with the masked ID number and the certificate details', async () => {
  const p = await addPerson({ name: '张堃', openid: 'page-holder-1', certs: [{ type: '专业监理工程师', specialties: ['房屋建筑工程', '机电安装工程'] }] });
  const res = await page.goto(await scanned('page-holder-1', p.certs[0]._id));
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-type']).toContain('text/html');
  expect(await page.title()).toBe('证书验证：证书有效');
  expect(await page.locator('#status').getAttribute('data-status')).toBe('valid');
  expect(await page.locator('#status strong').textContent()).toBe('证书有效');
  expect(await field('姓名')).toBe('张堃');
  expect(await field('证书编号')).toBe(p.certs[0].no);
  expect(await field('证书类型')).toBe('专业监理工程师');
  expect(await field('专业')).toBe('房屋建筑工程、机电安装工程');
  expect(await field('发证单位')).toBe('示例省建设监理协会');
  expect(await field('证件号码')).toBe(p.idNumber.slice(0, 4) + '**********' + p.idNumber.slice(-4));
  expect(await page.content()).not.toContain(p.idNumber);
});

test('when the certificate was cancelled after printing, then the same QR code opens a page that says 证书已注销', async () => {
  const p = await addPerson({ openid: 'page-holder-2' });
  const url = await scanned('page-holder-2', p.certs[0]._id);
  await database().collection(C.certificates).doc(p.certs[0]._id).update({ data: { status: 'cancelled' } });
  await page.goto(url);
  expect(await page.locator('#status').getAttribute('data-status')).toBe('cancelled');
  expect(await page.locator('#status strong').textContent()).toBe('证书已注销');
});

test('when the token in the URL was altered, then the page says 验证未通过 and shows no certificate', async () => {
  const p = await addPerson({ openid: 'page-holder-3' });
  const url = new URL(await scanned('page-holder-3', p.certs[0]._id));
  const t = url.searchParams.get('t') as string;
  url.searchParams.set('t', t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA'));
  await page.goto(url.toString());
  expect(await page.locator('#status').getAttribute('data-status')).toBe('forged');
  expect(await page.locator('#status strong').textContent()).toBe('验证未通过');
  expect(await page.locator('#certificate').count()).toBe(0);
});

test('when someone opens the page without a code and types the code from a certificate, then the form shows the result', async () => {
  const p = await addPerson({ openid: 'page-holder-4' });
  const t = new URL(await scanned('page-holder-4', p.certs[0]._id)).searchParams.get('t') as string;
  await page.goto(`${sys.url}/http/cert-verify/`);
  expect(await page.locator('h1').textContent()).toBe('培训证书验证');
  await page.fill('input[name="t"]', t);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  expect(await page.locator('#status').getAttribute('data-status')).toBe('valid');
  expect(await field('证书编号')).toBe(p.certs[0].no);
});

test('when the HTTP access route carries a prefix, then the page still answers; a missing asset is 404 and other methods 405', async () => {
  const p = await addPerson({ openid: 'page-holder-5' });
  const t = new URL(await scanned('page-holder-5', p.certs[0]._id)).searchParams.get('t') as string;
  const prefixed = await httpRequest(`${sys.url}/http/cert-verify/verify/?t=${encodeURIComponent(t)}`);
  expect(prefixed.status).toBe(200);
  expect(prefixed.body.toString('utf8')).toContain('data-status="valid"');
  expect((await httpRequest(`${sys.url}/http/cert-verify/favicon.ico`)).status).toBe(404);
  expect((await httpRequest(`${sys.url}/http/cert-verify/?t=${t}`, { method: 'POST', body: 'x' })).status).toBe(405);
});
