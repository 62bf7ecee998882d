/**
 * Configuration fails fast (issue 10): a deployment without its secret or its public verification
 * URL answers MISCONFIGURED (logged once for the operator), never a default — and never a link to
 * this machine printed on a certificate.
 */
import { verifyBaseUrl } from '../../cloudfunctions/domain/certs/token';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function asCloud(env: Record<string, string | undefined>) {
  delete process.env.MSP_LOCAL_SERVICE_URL;
  delete process.env.MSP_VERIFY_URL;
  Object.assign(process.env, env);
}

test('in the cloud with no verification URL, issuing refuses with MISCONFIGURED and logs once', () => {
  asCloud({});
  const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  expect(() => verifyBaseUrl()).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
  expect(() => verifyBaseUrl()).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
  expect(log.mock.calls.filter((c) => String(c[0]).includes('MSP_VERIFY_URL'))).toHaveLength(1);
  log.mockRestore();
});

test.each(['http://cert.example.org/v', 'https://127.0.0.1:8787/http/cert-verify/', 'https://localhost/v', 'https://192.168.1.5/v'])(
  'in the cloud, %s is not a public https address and is refused',
  (url) => {
    asCloud({ MSP_VERIFY_URL: url });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => verifyBaseUrl()).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
  },
);

test('in the cloud with a public https URL, certificates carry it; locally, the local server’s page', () => {
  asCloud({ MSP_VERIFY_URL: 'https://cert.example.org/cert-verify' });
  expect(verifyBaseUrl()).toBe('https://cert.example.org/cert-verify');
  process.env.MSP_LOCAL_SERVICE_URL = 'http://127.0.0.1:9/admin/k';
  delete process.env.MSP_VERIFY_URL;
  process.env.MSP_PUBLIC_URL = 'http://127.0.0.1:9';
  expect(verifyBaseUrl()).toBe('http://127.0.0.1:9/http/cert-verify/');
});

test('a missing or short MSP_SECRET is MISCONFIGURED, not a weak default', async () => {
  jest.resetModules();
  delete process.env.MSP_SECRET;
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { key } = await import('../../cloudfunctions/infra/secrets');
  expect(() => key('id-hash')).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
  process.env.MSP_SECRET = 'short';
  expect(() => key('id-hash')).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
});
