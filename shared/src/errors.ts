/**
 * The one list of error codes: each stable code maps to an HTTP status and a Chinese message the mini-app can
 * show as is. Server and mini-app both read it, so a code never means two things.
 */
export const ERRORS = {
  // generic
  VALIDATION_FAILED: { status: 400, message: '提交的内容有误，请检查后重试' },
  BAD_REQUEST: { status: 400, message: '请求格式不正确' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的文件类型' },
  NOT_FOUND: { status: 404, message: '请求的资源不存在' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  CONFLICT: { status: 409, message: '数据已被他人修改，请刷新后重试' },
  VERSION_CONFLICT: { status: 409, message: '数据已被他人修改，请刷新后重试' },
  DUPLICATE: { status: 409, message: '记录已存在' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '系统繁忙，请稍后再试' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂不可用，请稍后再试' },
  // idempotency
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '重复提交的请求内容不一致' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: '请求正在处理中，请稍候' },
  // auth
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  TOKEN_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  INVALID_CREDENTIALS: { status: 401, message: '账号或密码错误' },
  ACCOUNT_LOCKED: { status: 423, message: '密码错误次数过多，账号已临时锁定，请稍后再试' },
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用' },
  REFRESH_TOKEN_INVALID: { status: 401, message: '登录状态已失效，请重新登录' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  WECHAT_CODE_INVALID: { status: 400, message: '微信登录凭证无效，请重新进入小程序' },
  WECHAT_RATE_LIMITED: { status: 429, message: '微信登录过于频繁，请稍后再试' },
  WECHAT_RISKY_USER: { status: 403, message: '微信账号存在风险，暂时无法登录' },
  WECHAT_UNAVAILABLE: { status: 502, message: '微信服务暂不可用，请稍后再试' },
  WECHAT_NOT_BOUND: { status: 403, message: '微信尚未绑定账号，请输入邀请码或手机号完成绑定' },
  INVITATION_INVALID: { status: 400, message: '邀请码无效或已使用' },
  PHONE_NOT_MATCHED: { status: 400, message: '未找到与该手机号匹配的人员' },
  // organisation
  CREDIT_CODE_INVALID: { status: 400, message: '统一社会信用代码格式或校验位不正确' },
  CREDIT_CODE_TAKEN: { status: 409, message: '该统一社会信用代码已登记' },
  DIVISION_CODE_INVALID: { status: 400, message: '行政区划代码不正确' },
  AREA_NOT_IN_DISTRICT: { status: 400, message: '所选属地不属于本区县' },
  DEPARTMENT_NOT_IN_DISTRICT: { status: 400, message: '所选部门不属于本区县' },
  USERNAME_TAKEN: { status: 409, message: '用户名已被使用' },
  PHONE_TAKEN: { status: 409, message: '手机号已被使用' },
  ROLE_INVALID: { status: 400, message: '角色设置不正确' },
  ASSIGNMENT_OVERLAP: { status: 409, message: '该管家已包保此企业' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Shape of every error body the API sends. */
export type ErrorBody = {
  error: { code: ErrorCode | string; message: string; details?: ErrorDetail[] };
};

/** One validation issue: where (a JSON pointer such as `/body/creditCode`) and what, in Chinese. */
export type ErrorDetail = { path: string; message: string; code?: string };

/** Chinese message for a code, falling back to the generic one for codes this build does not know. */
export function errorMessage(code: string): string {
  return (ERRORS as Record<string, { message: string }>)[code]?.message ?? ERRORS.INTERNAL.message;
}
