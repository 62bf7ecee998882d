/** Error codes and their default Chinese messages, shared by the functions and the mini-program. */
import type { ApiError, ErrorCode } from '../../typings/api';

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: '填写的信息有误，请检查后重新提交。',
  UNAUTHENTICATED: '无法识别您的微信身份，请重新进入小程序。',
  FORBIDDEN: '您没有权限进行此操作。',
  NOT_FOUND: '要找的记录不存在或已被删除。',
  CONFLICT: '该记录已被他人处理或已变化，请刷新后再试。',
  NOT_ELIGIBLE: '当前不符合办理条件。',
  CODE_INVALID: '二维码无效，请向单位管理员重新获取。',
  CODE_EXPIRED: '二维码已过期，请向单位管理员重新获取。',
  CODE_USED: '该二维码已被使用，请向单位管理员重新获取。',
  DUPLICATE: '记录已存在，请勿重复提交。',
  RATE_LIMITED: '操作过于频繁，请稍后再试。',
  FILE_INVALID: '上传的文件不符合要求。',
  MISCONFIGURED: '服务尚未配置完成，请联系协会管理员。',
  INTERNAL: '系统繁忙，请稍后再试。',
};

/** A failure with a stable code; the router turns it into the `{ ok: false, error }` envelope. */
export class AppError extends Error implements ApiError {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  constructor(code: ErrorCode, message?: string, fields?: Record<string, string>) {
    super(message || ERROR_MESSAGES[code]);
    this.name = 'AppError';
    this.code = code;
    if (fields && Object.keys(fields).length) this.fields = fields;
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}
