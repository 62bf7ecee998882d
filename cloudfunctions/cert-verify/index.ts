/**
 * `cert-verify`: the public verification web page behind CloudBase's HTTP access service (SPEC §3.5:
 * the QR code on an e-certificate "works from any phone camera"). The QR holds
 * `<MSP_VERIFY_URL>?t=<token>`; this function checks the token and answers a small server-rendered
 * page (no script) with the certificate's live status. The same URL, registered as the mini-program's
 * "扫普通链接二维码打开小程序" rule, opens the mini-program's verification page in WeChat instead.
 * Locally the server routes `/http/cert-verify/…` here.
 *
 * `MSP_WX_VERIFY_FILE=<name>.txt:<content>` serves the file WeChat asks for to prove the domain.
 */
import type { CertVerifyResult } from '../../typings/api';
import { shanghaiDay } from '../../miniprogram/shared/dates';
import { verifyToken } from '../domain/certs/public';
import { database } from '../infra/cloud';

interface HttpEvent {
  path?: string;
  httpMethod?: string;
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function html(status: number, title: string, content: string): HttpResult {
  const body = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{margin:0;font-family:-apple-system,"PingFang SC","Noto Sans SC","Microsoft YaHei",sans-serif;background:#f3f3f3;color:#1f1f1f}
main{max-width:560px;margin:0 auto;padding:24px 16px}
h1{font-size:20px;margin:0 0 16px}
.banner{border-radius:12px;padding:20px;color:#fff;margin-bottom:16px}
.banner strong{display:block;font-size:24px;margin-bottom:6px}
.valid{background:#2ba471}.expired{background:#e37318}.cancelled{background:#8b8b8b}.forged{background:#d54941}
.card{background:#fff;border-radius:12px;padding:8px 16px}
.row{display:flex;padding:10px 0;border-bottom:1px solid #eee}.row:last-child{border-bottom:0}
.row span{width:6.5em;color:#6b6b6b;flex:none}.row b{font-weight:500;word-break:break-all}
form{display:flex;gap:8px;margin-top:12px}input{flex:1;padding:10px;border:1px solid #ccc;border-radius:8px;font-size:16px}
button{padding:10px 16px;border:0;border-radius:8px;background:#0052d9;color:#fff;font-size:16px}
.muted{color:#6b6b6b;font-size:13px;margin-top:16px;line-height:1.6}
</style></head>
<body><main>${content}</main></body></html>`;
  return { statusCode: status, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }, body, isBase64Encoded: false };
}

const BANNER: Record<CertVerifyResult['status'], { title: string; text: string }> = {
  valid: { title: '证书有效', text: '该电子证书由本协会签发，目前在有效期内。' },
  expired: { title: '证书已过期', text: '该证书由本协会签发，但已超过有效期。' },
  cancelled: { title: '证书已注销', text: '该证书由本协会签发，但已被注销，不再有效。' },
  forged: { title: '验证未通过', text: '该二维码不是本协会签发的证书验证码，或内容已被篡改。请勿采信该证书。' },
};

export function resultPage(r: CertVerifyResult): HttpResult {
  const b = BANNER[r.status];
  const c = r.certificate;
  const rows: [string, string | undefined][] = c
    ? [
        ['姓名', c.holderName],
        ['证件号码', c.idMasked],
        ['证书类型', c.type],
        ['证书编号', c.no],
        ['专业', c.specialties.filter(Boolean).join('、') || '—'],
        ['工作单位', c.unitName || '—'],
        ['发证日期', c.firstIssuedOn],
        ['换证日期', c.renewedOn],
        ['有效期至', c.validUntil],
        ['发证单位', r.issuer],
      ]
    : [];
  const details = rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<div class="row"><span>${esc(k)}</span><b data-field="${esc(k)}">${esc(v)}</b></div>`)
    .join('');
  return html(
    200,
    `证书验证：${b.title}`,
    `<h1>培训证书验证</h1>
<div id="status" class="banner ${r.status}" data-status="${r.status}"><strong>${esc(b.title)}</strong>${esc(b.text)}</div>
${details ? `<div id="certificate" class="card">${details}</div>` : ''}
<p class="muted">查验时间：${esc(r.checkedAt.slice(0, 19).replace('T', ' '))}（北京时间）。证书状态以本页实时查验结果为准；身份证号已脱敏显示。</p>`,
  );
}

function askPage(): HttpResult {
  return html(
    200,
    '培训证书验证',
    `<h1>培训证书验证</h1>
<div class="card"><p>请使用手机相机或微信扫描电子证书上的二维码，或输入二维码中的验证码：</p>
<form method="get" action=""><input name="t" maxlength="64" placeholder="如 JLY2025000001.1AbCdEfGhIjK" autocomplete="off"><button type="submit">验证</button></form></div>
<p class="muted">按证书编号或姓名加身份证号查询，请在微信小程序中使用“证书查询”。</p>`,
  );
}

function wxVerifyFile(path: string): HttpResult | null {
  const spec = process.env.MSP_WX_VERIFY_FILE || '';
  const i = spec.indexOf(':');
  if (i <= 0) return null;
  const name = spec.slice(0, i);
  if (path.replace(/^\/+/, '') !== name) return null;
  return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: spec.slice(i + 1), isBase64Encoded: false };
}

export async function main(event: HttpEvent): Promise<HttpResult> {
  const method = String(event?.httpMethod || 'GET').toUpperCase();
  const path = String(event?.path || '/');
  if (method !== 'GET' && method !== 'HEAD') {
    return { ...html(405, '不支持的请求', '<h1>不支持的请求</h1>'), headers: { 'content-type': 'text/html; charset=utf-8', allow: 'GET', ...SECURITY_HEADERS } };
  }
  const file = wxVerifyFile(path);
  if (file) return file;
  // Any other path is the page too: behind the HTTP access service the path carries whatever
  // route prefix the environment was configured with (e.g. /verify/).
  if (/\.(ico|png|jpg|svg|css|js|map)$/i.test(path)) return html(404, '页面不存在', '<h1>页面不存在</h1>');
  const token = String(event?.queryStringParameters?.t || '').trim().slice(0, 200);
  if (!token) return askPage();
  try {
    const now = new Date();
    return resultPage(await verifyToken(database(), token, now, shanghaiDay(now)));
  } catch (e) {
    console.error('[cert-verify]', e);
    return html(503, '暂时无法验证', '<h1>暂时无法验证</h1><p class="muted">系统繁忙，请稍后刷新重试。</p>');
  }
}
