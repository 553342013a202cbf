import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, type ErrorCode, type ErrorDetail } from '@guanjia/shared';
import { AppError } from '../lib/app-error';

type AjvIssue = { instancePath?: string; keyword: string; params: Record<string, unknown>; message?: string };

/** Turns one ajv issue into a Chinese message a person can act on. */
function describeIssue(issue: AjvIssue): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'required': return `缺少必填项 ${String(p.missingProperty)}`;
    case 'minLength': return `长度不能少于 ${String(p.limit)} 个字符`;
    case 'maxLength': return `长度不能超过 ${String(p.limit)} 个字符`;
    case 'minimum': return `不能小于 ${String(p.limit)}`;
    case 'maximum': return `不能大于 ${String(p.limit)}`;
    case 'exclusiveMinimum': return `必须大于 ${String(p.limit)}`;
    case 'exclusiveMaximum': return `必须小于 ${String(p.limit)}`;
    case 'minItems': return `至少需要 ${String(p.limit)} 项`;
    case 'maxItems': return `最多 ${String(p.limit)} 项`;
    case 'type': return `类型不正确，应为 ${String(p.type)}`;
    case 'enum': return `取值不在允许范围内：${(p.allowedValues as unknown[] | undefined)?.join('、') ?? ''}`;
    case 'const': return '取值不正确';
    case 'pattern': return '格式不正确';
    case 'format': return `格式不正确（${String(p.format)}）`;
    case 'additionalProperties': return `不允许的字段 ${String(p.additionalProperty)}`;
    case 'anyOf': case 'oneOf': return '内容不符合任何一种允许的格式';
    default: return '内容不正确';
  }
}

function send(reply: { status: (n: number) => { send: (b: unknown) => unknown } }, code: ErrorCode, details?: ErrorDetail[], message?: string) {
  const body: { error: { code: string; message: string; details?: ErrorDetail[] } } = {
    error: { code, message: message ?? ERRORS[code].message },
  };
  if (details?.length) body.error.details = details;
  return reply.status(ERRORS[code].status).send(body);
}

/** One error shape for the whole API: `{ error: { code, message, details? } }`; 5xx never leaks internals. */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setNotFoundHandler((req, reply) => send(reply, 'ROUTE_NOT_FOUND', [{ path: req.url.split('?')[0], message: `${req.method} 接口不存在` }]));

    app.setErrorHandler((err: FastifyError & { code?: string; validation?: AjvIssue[]; validationContext?: string }, req, reply) => {
      if (err instanceof AppError) return send(reply, err.code, err.details, err.message);
      if (err.validation) {
        const details = err.validation.map((v) => {
          const missing = v.keyword === 'required' ? `/${String(v.params.missingProperty)}` : '';
          return { path: `/${err.validationContext ?? 'body'}${v.instancePath ?? ''}${missing}`, message: describeIssue(v), code: v.keyword };
        });
        return send(reply, 'VALIDATION_FAILED', details);
      }
      // node-postgres errors that reach here are input problems the service did not anticipate.
      const pgCode = (err as unknown as { code?: string }).code;
      if (pgCode === '23505') return send(reply, 'DUPLICATE');
      if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008' || pgCode === '22003') return send(reply, 'BAD_REQUEST');
      if (pgCode === '23503') return send(reply, 'VALIDATION_FAILED', [{ path: '/body', message: '引用的数据不存在' }]);
      const status = err.statusCode ?? 500;
      if (status === 429) return send(reply, 'RATE_LIMITED');
      if (status === 413) return send(reply, 'PAYLOAD_TOO_LARGE');
      if (status === 415) return send(reply, 'UNSUPPORTED_MEDIA_TYPE');
      if (status === 401) return send(reply, 'UNAUTHENTICATED');
      if (status === 404) return send(reply, 'NOT_FOUND');
      if (status >= 400 && status < 500) {
        req.log.info({ err: { code: err.code, message: err.message } }, 'client error');
        return send(reply, 'BAD_REQUEST', [{ path: '', message: '请求格式不正确' }]);
      }
      req.log.error({ err }, 'unhandled error');
      return send(reply, status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL');
    });
  },
  { name: 'errors' },
);
