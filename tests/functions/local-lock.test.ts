/**
 * The local system is locked like the cloud (issue 9): its database API needs this start's key and
 * refuses browsers (a web page the developer opens cannot reach it, even with a text/plain "simple"
 * request); storage URLs work only as signed and until they expire.
 */
import { LocalSystem, httpRequest, startLocalSystem } from '../support/local-system';
import { ADMIN_A, ADMIN_B } from '../support/journey';
import { jpeg } from '../support/fixtures';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

const query = JSON.stringify({ action: 'database.getDocument', collectionName: 'members', query: '{}' });

test('when a page in a browser posts to the database API, then it is refused, key or not', async () => {
  const keyed = sys.server.serviceUrl;
  const crossSite = await httpRequest(keyed, { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'http://evil.example' }, body: query });
  expect(crossSite.status).toBe(403);
  const fetchMode = await httpRequest(keyed, { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-mode': 'cors' }, body: query });
  expect(fetchMode.status).toBe(403);
});

test('when the key is missing or wrong, then the database API refuses; with it, it answers', async () => {
  expect((await httpRequest(`${sys.url}/admin`, { method: 'POST', body: query })).status).toBe(403);
  expect((await httpRequest(`${sys.url}/admin/0123456789abcdef`, { method: 'POST', body: query })).status).toBe(403);
  const ok = await httpRequest(sys.server.serviceUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
  expect(ok.status).toBe(200);
  const answer = JSON.parse(ok.body.toString());
  expect(answer.requestId).toMatch(/^local-/);
  expect(answer.code).not.toBe('PERMISSION_DENIED');
});

test('when a storage URL is unsigned, tampered with or expired, then it is refused; as files.url signed it, it works', async () => {
  const fileID = await sys.upload(jpeg(80, 80), 'uploads/lock/a.jpg', ADMIN_A, 'receipt');
  const { url } = (await sys.call('files', { action: 'url', fileID }, ADMIN_A)).data;
  expect((await httpRequest(url)).status).toBe(200);
  const bare = url.split('?')[0];
  expect((await httpRequest(bare)).status).toBe(403);
  expect((await httpRequest(url.replace(/sign=[0-9a-f]/, (m: string) => (m.endsWith('0') ? 'sign=1' : 'sign=0')))).status).toBe(403);
  const t = Number(/t=(\d+)/.exec(url)![1]);
  const backend = sys.server.backend;
  const path = 'uploads/lock/a.jpg';
  expect(backend.storageUrlValid(path, String(t), /sign=([0-9a-f]+)/.exec(url)![1], (t + 1) * 1000)).toBe(false);
  // Another unit's admin cannot get a URL for it.
  expect((await sys.call('files', { action: 'url', fileID }, ADMIN_B)).error.code).toBe('FORBIDDEN');
});
