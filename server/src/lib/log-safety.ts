/**
 * Last line of defence for the logs: whatever a handler or a job logs, personal data and secrets must not reach
 * them. Database errors are the usual leak — TypeORM's QueryFailedError carries the SQL (`query`) and its bound
 * values (`parameters`: phone numbers, password hashes, invitation codes), and PostgreSQL's `detail` repeats the
 * offending value ("Key (phone)=(139…) already exists").
 */

// Each pattern is something the logs must never show; the test of the log capture uses the same list.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\$argon2(id|i|d)\$[^\s"',)]*/g, '[argon2-hash]'],
  [/eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '[jwt]'],
  // mainland mobile numbers, not inside a longer run of digits (ids, timestamps)
  [/(?<!\d)1[3-9]\d{9}(?!\d)/g, '[phone]'],
];

/** Replaces phone numbers, argon2 hashes and JWTs in a string. */
export function scrubText(s: string): string {
  let out = s;
  for (const [re, repl] of SECRET_PATTERNS) out = out.replace(re, repl);
  return out;
}

// Never logged at all: the SQL and its values, and PostgreSQL's echo of the offending row or value.
const DROPPED = new Set(['query', 'parameters', 'driverError', 'detail', 'where', 'internalQuery', 'hint', 'config', 'request', 'body']);
// Useful to diagnose without any personal data.
const KEPT_PG = ['code', 'constraint', 'table', 'column', 'schema', 'routine', 'severity', 'statusCode'];

/**
 * pino `err` serializer: type, scrubbed message and stack, the PostgreSQL error code and constraint name, and
 * (scrubbed, one level) any other own string/number field; never `query`, `parameters` or `detail`.
 */
export function safeErrSerializer(err: unknown): unknown {
  if (!err || typeof err !== 'object') return typeof err === 'string' ? scrubText(err) : err;
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown };
  const driver = (e.driverError && typeof e.driverError === 'object' ? e.driverError : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: (e.constructor as { name?: string } | undefined)?.name ?? 'Error',
    message: scrubText(String(e.message ?? '')),
  };
  if (typeof e.stack === 'string') out.stack = scrubText(e.stack);
  for (const k of KEPT_PG) {
    const v = e[k] ?? driver[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = typeof v === 'string' ? scrubText(v) : v;
  }
  for (const [k, v] of Object.entries(e)) {
    if (k in out || DROPPED.has(k) || k === 'stack' || k === 'message') continue;
    if (typeof v === 'string') out[k] = scrubText(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  if (e.cause && e.cause !== err) out.cause = safeErrSerializer(e.cause);
  return out;
}
