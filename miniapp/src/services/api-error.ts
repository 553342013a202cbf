import { ERRORS, errorMessage, type ErrorDetail } from '@guanjia/shared/errors';

/** Shown whenever no HTTP response arrived (offline, DNS, timeout, TLS). */
export const NETWORK_ERROR_MESSAGE = '网络不可用，请检查网络后重试';
/** Client-side code for "no response": not in the server's list because the server never sends it. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/** One field problem, with `field` in dotted form (`/body/contacts/0/phone` → `contacts.0.phone`). */
export type FieldIssue = { field: string; path: string; message: string; code?: string };

/**
 * Every failure the service layer reports: a stable `code` for programs, a Chinese `message` for people, the
 * HTTP `status` (0 when no response arrived) and each field issue. Pages show `message` and `fieldErrors()`
 * as they are: they never see raw bodies.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: FieldIssue[] = [],
    /** The Idempotency-Key the failed request carried, so a caller can retry with the same one. */
    readonly idempotencyKey?: string,
  ) {
    super(message);
  }

  /** No response arrived: the request may or may not have reached the server. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /**
   * Whether the server may still have applied the request: no response, a gateway/server failure, or the
   * earlier attempt still running. A retry of such a submission must reuse its Idempotency-Key.
   */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === 'IDEMPOTENCY_IN_PROGRESS';
  }

  /** Messages by field (first issue wins), ready to show under each form field. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (!(d.field in out)) out[d.field] = d.message;
    return out;
  }
}

const CJK = /[\u3400-\u9fff]/;

/** A server text fit to show: Chinese, and not a JSON or HTML fragment. */
function isPresentable(text: unknown): text is string {
  return typeof text === 'string' && CJK.test(text) && !/^\s*[[{<]/.test(text) && text.length <= 200;
}

function isKnownCode(code: string): code is keyof typeof ERRORS {
  return Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/** The code to assume when a response carries none we know, chosen by HTTP status. */
export function codeForStatus(status: number, hasDetails = false): keyof typeof ERRORS {
  if (status === 400 || status === 422) return hasDetails ? 'VALIDATION_FAILED' : 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL';
}

/** `/body/contacts/0/phone` → `contacts.0.phone`; a path outside body/query/params keeps all its parts. */
export function fieldFromPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  if (parts.length > 1 && ['body', 'query', 'params', 'querystring'].includes(parts[0])) parts.shift();
  return parts.join('.');
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Turns a non-2xx response into an ApiError. The message is the server's own when it is presentable Chinese,
 * else the shared table's message for the code, else a message chosen by status: never raw JSON or English.
 */
export function toApiError(status: number, rawBody: unknown, idempotencyKey?: string): ApiError {
  const body = parseBody(rawBody) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const err = body && typeof body === 'object' ? body.error : undefined;
  const rawDetails = Array.isArray(err?.details) ? (err.details as Partial<ErrorDetail>[]) : [];
  const details: FieldIssue[] = rawDetails
    .filter((d): d is Partial<ErrorDetail> => !!d && typeof d === 'object')
    .map((d) => {
      const path = typeof d.path === 'string' ? d.path : '';
      const code = typeof d.code === 'string' ? d.code : undefined;
      const message = isPresentable(d.message)
        ? d.message
        : code && isKnownCode(code)
          ? errorMessage(code)
          : '此项填写有误';
      return { field: fieldFromPath(path), path, message, ...(code ? { code } : {}) };
    });
  const code = typeof err?.code === 'string' && err.code ? err.code : codeForStatus(status, details.length > 0);
  const message = isPresentable(err?.message)
    ? err.message
    : isKnownCode(code)
      ? errorMessage(code)
      : errorMessage(codeForStatus(status, details.length > 0));
  return new ApiError(code, message, status, details, idempotencyKey);
}

/** The error for a request that got no response at all. */
export function networkError(idempotencyKey?: string): ApiError {
  return new ApiError(NETWORK_ERROR, NETWORK_ERROR_MESSAGE, 0, [], idempotencyKey);
}

/** ApiError check that also holds across bundles (a second copy of this module) and transpiled subclasses. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError || (!!error && (error as { name?: unknown }).name === 'ApiError');
}

/** Chinese text for anything thrown (an ApiError's message, else the generic one): for toasts and banners. */
export function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : errorMessage('INTERNAL');
}
