import fc from 'fast-check';
import { ApiError, fieldFromPath, isApiError, messageOf, NETWORK_ERROR_MESSAGE, networkError, toApiError } from './api-error';

const CJK = /[\u3400-\u9fff]/;

describe('toApiError', () => {
  it.each([
    // [status, body, expected code, expected message]
    [409, { error: { code: 'CREDIT_CODE_TAKEN', message: '该统一社会信用代码已登记' } }, 'CREDIT_CODE_TAKEN', '该统一社会信用代码已登记'],
    [409, { error: { code: 'TICKET_ALREADY_OPEN', message: '该企业已有同类诉求正在办理' } }, 'TICKET_ALREADY_OPEN', '该企业已有同类诉求正在办理'],
    [423, { error: { code: 'ACCOUNT_LOCKED', message: 'Account locked' } }, 'ACCOUNT_LOCKED', '密码错误次数过多，账号已临时锁定，请稍后再试'],
    [418, { error: { code: 'SOMETHING_NEW', message: 'Something new happened' } }, 'SOMETHING_NEW', '系统繁忙，请稍后再试'],
    [404, { error: { code: 'SOMETHING_NEW' } }, 'SOMETHING_NEW', '请求的资源不存在'],
    [502, '<html><body>502 Bad Gateway</body></html>', 'SERVICE_UNAVAILABLE', '服务暂不可用，请稍后再试'],
    [500, { statusCode: 500, error: 'Internal Server Error', message: 'boom' }, 'INTERNAL', '系统繁忙，请稍后再试'],
    [429, null, 'RATE_LIMITED', '操作过于频繁，请稍后再试'],
    [400, '{"error":{"code":"INVITATION_INVALID","message":"邀请码无效或已使用"}}', 'INVITATION_INVALID', '邀请码无效或已使用'],
    [400, { error: { code: 'BAD_REQUEST', message: '{"raw":"json"}' } }, 'BAD_REQUEST', '请求格式不正确'],
  ])('maps %i %j to %s', (status, body, code, message) => {
    const error = toApiError(status, body);
    expect(error).toBeInstanceOf(ApiError);
    expect({ code: error.code, message: error.message, status: error.status }).toEqual({ code, message, status });
  });

  it('lists every field issue, by field, in Chinese', () => {
    const error = toApiError(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: '提交的内容有误，请检查后重试',
        details: [
          { path: '/body/creditCode', message: '统一社会信用代码校验位不正确', code: 'CREDIT_CODE_INVALID' },
          { path: '/body/contacts/0/phone', message: 'must match pattern "^1\\d{10}$"' },
          { path: '/body/areaId', message: 'must be string', code: 'AREA_NOT_IN_DISTRICT' },
          { path: '/body/creditCode', message: '重复的第二条' },
        ],
      },
    });
    expect(error.fieldErrors()).toEqual({
      creditCode: '统一社会信用代码校验位不正确',
      'contacts.0.phone': '此项填写有误',
      areaId: '所选属地不属于本区县',
    });
    expect(error.details).toHaveLength(4);
  });

  it('treats no response, 5xx and an attempt still running as "outcome unknown", a 4xx as a definite refusal', () => {
    expect(networkError('k').outcomeUnknown).toBe(true);
    expect(toApiError(503, null).outcomeUnknown).toBe(true);
    expect(toApiError(409, { error: { code: 'IDEMPOTENCY_IN_PROGRESS' } }).outcomeUnknown).toBe(true);
    expect(toApiError(409, { error: { code: 'VERSION_CONFLICT' } }).outcomeUnknown).toBe(false);
    expect(toApiError(400, null).outcomeUnknown).toBe(false);
  });

  it('never produces a message a person cannot read, whatever the server sends', () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.record({ error: fc.record({ code: fc.oneof(fc.string(), fc.constantFrom('TOKEN_EXPIRED', 'NOT_FOUND')), message: fc.oneof(fc.string(), fc.jsonValue()), details: fc.array(fc.record({ path: fc.string(), message: fc.string() })) }, { requiredKeys: [] }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 300, max: 599 }), body, (status, b) => {
        const error = toApiError(status, b);
        expect(error.message).toMatch(CJK);
        expect(error.message).not.toMatch(/^\s*[[{<]/);
        for (const m of Object.values(error.fieldErrors())) expect(m).toMatch(CJK);
      }),
      { numRuns: 500 },
    );
  });
});

describe('helpers', () => {
  it.each([
    ['/body/creditCode', 'creditCode'],
    ['/body/contacts/0/phone', 'contacts.0.phone'],
    ['/query/q', 'q'],
    ['name', 'name'],
    ['', ''],
  ])('field of %s is %s', (path, field) => expect(fieldFromPath(path)).toBe(field));

  it('messageOf gives Chinese for anything thrown', () => {
    expect(messageOf(networkError())).toBe(NETWORK_ERROR_MESSAGE);
    expect(messageOf(new TypeError('x is undefined'))).toBe('系统繁忙，请稍后再试');
    expect(isApiError({ name: 'ApiError' })).toBe(true);
    expect(isApiError(new Error('x'))).toBe(false);
  });
});
