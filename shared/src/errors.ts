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
  DATABASE_UNAVAILABLE: { status: 503, message: '数据库暂时无法连接，请稍后再试' },
  URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  REQUEST_TIMEOUT: { status: 408, message: '请求超时，请重试' },
  FILE_MISSING: { status: 410, message: '文件已丢失，请联系管理员或重新上传' },
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
  INVITATION_INVALID: { status: 400, message: '邀请码无效、已使用或已过期' },
  PHONE_NOT_MATCHED: { status: 400, message: '未找到与该手机号匹配的人员' },
  PHONE_AMBIGUOUS: { status: 400, message: '该手机号在多个区县登记，请使用邀请码绑定' },
  DISTRICT_REQUIRED: { status: 400, message: '该账号在多个区县登记，请选择区县后再登录' },
  SCOPE_FORBIDDEN: { status: 403, message: '当前账号的权限范围不能办理此项业务' },
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
  // calendar
  CALENDAR_DATE_INVALID: { status: 400, message: '日期格式不正确，应为 YYYY-MM-DD' },
  CALENDAR_DATE_CONFLICT: { status: 400, message: '同一日期不能既是节假日又是调休工作日' },
  // tickets
  TICKET_NOT_FOUND: { status: 404, message: '诉求不存在' },
  TICKET_ACTION_NOT_ALLOWED: { status: 409, message: '当前状态下不能执行此操作' },
  TICKET_ROLE_NOT_ALLOWED: { status: 403, message: '您无权对该诉求执行此操作' },
  TICKET_REASON_REQUIRED: { status: 400, message: '请填写原因或说明' },
  TICKET_PAYLOAD_INVALID: { status: 400, message: '办理信息不完整或不正确' },
  TICKET_DEPARTMENT_REQUIRED: { status: 400, message: '请选择承办部门' },
  TICKET_SAME_DEPARTMENT: { status: 400, message: '改派的部门与当前承办部门相同' },
  TICKET_MERGE_INVALID: { status: 400, message: '不能合并到该诉求' },
  RETURN_LIMIT_REACHED: { status: 409, message: '该诉求已退回2次，不能再退回，请联系调度员处理' },
  EXTENSION_TOO_LONG: { status: 400, message: '延期累计不能超过10个工作日' },
  EXTENSION_PENDING: { status: 409, message: '已有待审批的延期申请' },
  EXTENSION_NOT_PENDING: { status: 409, message: '没有待审批的延期申请' },
  ESCALATION_LEVEL_INVALID: { status: 400, message: '升级层级不正确' },
  TICKET_CATEGORY_INVALID: { status: 400, message: '所选诉求类别不存在或已停用' },
  TICKET_ENTERPRISE_NOT_ALLOWED: { status: 403, message: '您不能为该企业提交诉求' },
  CATEGORY_DEPTH_EXCEEDED: { status: 400, message: '诉求类别最多两级' },
  ROUTING_RULE_CONFLICT: { status: 409, message: '交办规则冲突：同一诉求会同时匹配两条同等具体、同等优先的规则' },
  ATTACHMENT_TYPE_INVALID: { status: 415, message: '附件仅支持 JPEG、PNG 图片或 PDF 文件' },
  ATTACHMENT_TOO_LARGE: { status: 413, message: '附件不能超过 10MB' },
  ATTACHMENT_INVALID: { status: 400, message: '附件不存在、不属于您或已被使用' },
  SUPERVISION_STATE_INVALID: { status: 409, message: '督办单当前状态不能执行此操作' },
  MEETING_LEVEL_REQUIRED: { status: 409, message: '诉求升级到协调会（第4级）后才能记录协调会' },
  RETURN_VISIT_NOT_OPEN: { status: 409, message: '该回访任务已处理' },
  CALENDAR_YEAR_MISMATCH: { status: 400, message: '日期不属于该年份' },
  CALENDAR_MAKEUP_NOT_WEEKEND: { status: 400, message: '调休上班日应为周六或周日' },
  REPORT_PERIOD_INVALID: { status: 400, message: '统计期间不正确' },
  // 台账 (Excel ledgers, issue 12)
  LEDGER_PERIOD_INVALID: { status: 400, message: '导出期间不正确：截止日期不能早于起始日期' },
  LEDGER_TOO_LARGE: { status: 400, message: '导出行数过多，请缩小筛选范围（如按时间段分批导出）' },
  LEDGER_FILTER_NOT_FOUND: { status: 404, message: '筛选条件中的部门、属地、类别、企业或管家不存在' },
  // visits
  VISIT_NOT_FOUND: { status: 404, message: '走访记录不存在' },
  VISIT_NOT_ASSIGNED: { status: 403, message: '该企业不在您的包保名单中' },
  VISIT_ALREADY_CHECKED_IN: { status: 409, message: '本次走访已签到' },
  VISIT_NOT_CHECKED_IN: { status: 409, message: '请先签到再签退' },
  VISIT_ALREADY_CHECKED_OUT: { status: 409, message: '本次走访已签退' },
  VISIT_KIND_INVALID: { status: 400, message: '走访方式不正确' },
  LOCATION_INVALID: { status: 400, message: '定位信息无效，请重新定位' },
  LOCATION_REQUIRED: { status: 400, message: '现场走访签到需要定位信息' },
  PHOTO_REQUIRED: { status: 400, message: '现场走访签到需拍摄现场照片' },
  PHOTO_INVALID: { status: 415, message: '照片格式不正确，仅支持相机拍摄的 JPEG 或 PNG 图片' },
  PHOTO_ALREADY_USED: { status: 409, message: '该照片已用于其他签到，请重新拍摄' },
  VISIT_CANCELLED: { status: 409, message: '本次走访已取消' },
  VISIT_NOT_PLANNED: { status: 409, message: '只有尚未签到的现场走访可以取消' },
  VISIT_TIME_INVALID: { status: 400, message: '走访时间不能晚于现在，也不能早于允许补录的天数' },
  LOCATION_PROPOSAL_NOT_PENDING: { status: 409, message: '该位置建议已处理' },
  // login load shedding (password hashing is capped per process)
  LOGIN_BUSY: { status: 503, message: '当前登录人数较多，请稍后再试' },
  // projects (issue 10)
  PROJECT_NOT_FOUND: { status: 404, message: '项目不存在' },
  PROJECT_STAGE_ACTION_NOT_ALLOWED: { status: 409, message: '项目当前阶段不能执行此操作' },
  PROJECT_ROLE_NOT_ALLOWED: { status: 403, message: '您无权对该项目执行此操作' },
  PROJECT_HALTED: { status: 409, message: '项目停工中，请先复工' },
  PROJECT_DATE_INVALID: { status: 400, message: '日期格式不正确，应为 YYYY-MM-DD' },
  PROJECT_DATE_IN_FUTURE: { status: 400, message: '日期不能晚于今天' },
  PROJECT_DATE_ORDER: { status: 400, message: '日期先后顺序不正确' },
  PROJECT_STAGE_TARGET_INVALID: { status: 400, message: '目标阶段不正确' },
  PROJECT_STAGE_SKIP_REASON_REQUIRED: { status: 400, message: '跨阶段推进须填写原因' },
  PROJECT_REASON_REQUIRED: { status: 400, message: '请填写原因' },
  PROJECT_FUNDING_MISMATCH: { status: 400, message: '资金来源合计与总投资不一致' },
  PROJECT_REFERENCE_INVALID: { status: 400, message: '所选人员、单位或企业不符合要求' },
  PROJECT_OPTION_INVALID: { status: 400, message: '项目级别或性质不在本区县的配置中' },
  PROJECT_REPORT_FUTURE_MONTH: { status: 400, message: '不能填报未来月份的调度信息' },
  PROJECT_REPORT_EXISTS: { status: 409, message: '该月调度信息已填报，如需修改请提交更正并说明原因' },
  PROJECT_REPORT_NOT_FOUND: { status: 404, message: '该月尚无调度信息' },
  PROJECT_OVER_TOTAL: { status: 409, message: '累计完成投资将超过总投资，须由调度员确认并说明原因' },
  PROJECT_MILESTONE_NOT_FOUND: { status: 404, message: '项目节点不存在' },
  PROJECT_BATCH_NOT_FOUND: { status: 404, message: '“三个一批”批次不存在' },
  PROJECT_BATCH_ENTRY_EXISTS: { status: 409, message: '该项目已列入本批次' },
  PROJECT_MEETING_NOT_FOUND: { status: 404, message: '调度会记录不存在' },
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
