import fp from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DATE_PATTERN, ERRORS, LINE_PATTERN, MONTH_PATTERN, type ErrorCode, type ErrorDetail } from '@guanjia/shared';
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
    case 'pattern': return patternMessage(String(p.pattern));
    case 'finite': case 'controlChars': case 'depth': return issue.message ?? '内容不正确';
    case 'format': return `格式不正确（${String(p.format)}）`;
    case 'additionalProperties': return `不允许的字段 ${String(p.additionalProperty)}`;
    case 'anyOf': case 'oneOf': return '内容不符合任何一种允许的格式';
    default: return '内容不正确';
  }
}

/** Patterns shared/src/schemas uses often enough to deserve their own message. */
function patternMessage(pattern: string): string {
  if (pattern === DATE_PATTERN) return '日期不正确，应为 2000 至 2100 年间的有效日期（YYYY-MM-DD）';
  if (pattern === MONTH_PATTERN) return '月份不正确，应为 2000 至 2100 年间的月份（YYYY-MM）';
  if (pattern === LINE_PATTERN) return '不能包含换行或控制字符';
  return '格式不正确';
}

const MULTIPART_BROKEN = /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle cannot)/;

/**
 * PostgreSQL / node-postgres errors that mean "the database is not reachable right now" rather than "this request is
 * wrong": refused or dropped connections, shutdown (57P01–57P03), too many connections (53300), class 08.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = String(e?.code ?? e?.driverError?.code ?? '');
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  const msg = String(e?.message ?? '');
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/.test(msg);
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
      // NUL or an unencodable character in text; a string longer than its column (validation should have said so).
      if (pgCode === '22021' || pgCode === '22P05') return send(reply, 'VALIDATION_FAILED', [{ path: '/body', message: '不能包含控制字符或无法识别的字符' }]);
      if (pgCode === '22001') return send(reply, 'VALIDATION_FAILED', [{ path: '/body', message: '内容过长' }]);
      // busboy's words for a multipart body without a boundary, cut short or otherwise malformed
      if (MULTIPART_BROKEN.test(err.message ?? '')) return send(reply, 'BAD_REQUEST', [{ path: '/body', message: '上传的内容不完整或格式不正确，请重新上传' }]);
      if (isDatabaseUnavailable(err)) {
        req.log.error({ err: { code: pgCode, message: err.message } }, 'database unavailable');
        return send(reply, 'DATABASE_UNAVAILABLE');
      }
      if (pgCode === '23503') return send(reply, 'VALIDATION_FAILED', [{ path: '/body', message: '引用的数据不存在' }]);
      // a CHECK constraint (e.g. finite coordinates) caught what validation let through: the input is wrong, nothing stored
      if (pgCode === '23514') return send(reply, 'VALIDATION_FAILED', [{ path: '/body', message: '提交的数值超出允许范围' }]);
      const status = err.statusCode ?? 500;
      if (status === 429) return send(reply, 'RATE_LIMITED');
      if (status === 413) return send(reply, 'PAYLOAD_TOO_LARGE');
      if (status === 415) return send(reply, 'UNSUPPORTED_MEDIA_TYPE');
      if (status === 401) return send(reply, 'UNAUTHENTICATED');
      if (status === 404) return send(reply, 'NOT_FOUND');
      if (status === 414) return send(reply, 'URI_TOO_LONG');
      if (status === 431) return send(reply, 'HEADERS_TOO_LARGE');
      if (status === 408) return send(reply, 'REQUEST_TIMEOUT');
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

/** The body of an error in the one shape, for the places that answer before Fastify has a reply. */
function errorBody(code: ErrorCode) {
  return JSON.stringify({ error: { code, message: ERRORS[code].message } });
}

/**
 * Fastify's router errors (bad percent-encoding in the URL, a path parameter over `maxParamLength`): it answers them
 * before any handler, in its own body shape, unless this option is set.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const code: ErrorCode = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'URI_TOO_LONG' : err.code === 'FST_ERR_BAD_URL' ? 'BAD_REQUEST' : 'INTERNAL';
  return reply.status(ERRORS[code].status).type('application/json; charset=utf-8').send(errorBody(code));
}

/**
 * Node's HTTP parser rejects some requests before Fastify sees them (headers over 16 KB, a request line too long,
 * malformed HTTP, a slow client): answer those in the same shape. A request line that alone fills most of the header
 * budget is a URL too long (414); otherwise the headers are (431).
 */
export function clientErrorHandler(error: Error, socket: Socket): void {
  const err = error as Error & { code?: string; rawPacket?: unknown };
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let code: ErrorCode = 'BAD_REQUEST';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') code = 'REQUEST_TIMEOUT';
  else if (err.code === 'HPE_HEADER_OVERFLOW' || err.code === 'HPE_URI_TOO_LONG') {
    const lineEnd = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.indexOf('\r\n') : -1;
    code = err.code === 'HPE_URI_TOO_LONG' || lineEnd === -1 || lineEnd > 8 * 1024 ? 'URI_TOO_LONG' : 'HEADERS_TOO_LARGE';
  }
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(code);
  const status = ERRORS[code].status;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
