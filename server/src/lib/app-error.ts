import { ERRORS, type ErrorCode, type ErrorDetail } from '@guanjia/shared';

/**
 * The only error type services throw on purpose. The code decides the HTTP status and the Chinese message
 * (shared/src/errors.ts), so the mapping lives in one place.
 */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: ErrorDetail[],
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.statusCode = ERRORS[code].status;
  }
}

/** Shorthand for a single-field validation failure. */
export function invalid(path: string, message: string, code: ErrorCode = 'VALIDATION_FAILED'): AppError {
  return new AppError(code, [{ path, message }]);
}
