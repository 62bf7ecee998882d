/**
 * Keys derived from one master secret (MSP_SECRET, a function environment variable in production;
 * generated into the data directory locally). Separate keys per purpose, so the code-signing key
 * never doubles as the ID-number encryption key.
 */
import { createHmac, hkdfSync } from 'crypto';
import { AppError } from '../../miniprogram/shared/errors';

const cache = new Map<string, Buffer>();

export function key(purpose: 'id-enc' | 'id-hash' | 'code-sign' | 'cert-sign' | 'study-report'): Buffer {
  const hit = cache.get(purpose);
  if (hit) return hit;
  const master = process.env.MSP_SECRET;
  if (!master || master.length < 32) {
    // Refuse to run with a weak or missing secret rather than silently using a default: the caller
    // hears a clear configuration error, the operator reads it once in the function's log.
    throw misconfigured('MSP_SECRET', 'MSP_SECRET 未设置或少于32个字符');
  }
  const k = Buffer.from(hkdfSync('sha256', master, 'member-service-platform', purpose, 32));
  cache.set(purpose, k);
  return k;
}

export function hmac(purpose: Parameters<typeof key>[0], data: string): Buffer {
  return createHmac('sha256', key(purpose)).update(data).digest();
}

const logged = new Set<string>();

/**
 * A setting the deployment lacks: logged once per instance for the operator (the function's log),
 * answered as MISCONFIGURED to the caller — never a default that would silently weaken security.
 */
export function misconfigured(name: string, detail: string): AppError {
  if (!logged.has(name)) {
    logged.add(name);
    console.error(`[config] ${detail}：请在云函数的环境变量中设置 ${name}（见 README“部署到云开发”）`);
  }
  return new AppError('MISCONFIGURED', '服务尚未配置完成，请联系协会管理员。');
}
