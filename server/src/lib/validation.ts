import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/**
 * Request validation: ajv, with three rules on top of what the schemas say.
 *
 * 1. JSON bodies are not coerced. Coercion exists for the query string and path, where every value arrives as text;
 *    in a JSON body it only does harm: `{"active": null}` became `false` (a PATCH deactivated a department) and
 *    `"Infinity"` became a number. Query, params and headers keep `coerceTypes: 'array'`.
 * 2. No number is non-finite. ajv's own `strictNumbers` stops `Infinity` in the body, but a coerced `"1e400"` or
 *    `"Infinity"` from the query string skips minimum/maximum (ajv checks them only on finite numbers), reached SQL
 *    as `LIMIT Infinity` and was stored as `accuracy_m = 'Infinity'`. A walk after ajv rejects it anywhere.
 * 3. No string carries control characters: PostgreSQL refuses NUL in text (22021) and the rest has no business in
 *    names and notes. Tab, line feed and carriage return are allowed (multi-line notes); single-line fields say so
 *    with their schema pattern (see `Line` in shared/src/schemas/common.ts).
 *
 * Issues keep ajv's shape, so the errors plugin lists them with the schema issues in one 400.
 */

/** C0 controls except tab, LF and CR; DEL; lone surrogates (not encodable as UTF-8). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Issue = ErrorObject;

/** No API body nests deeper than a few levels; a 5000-deep array is an attack on the validator's stack. */
const MAX_DEPTH = 32;

/** Walks a validated value and lists non-finite numbers and strings with forbidden characters. */
export function hostileIssues(value: unknown, path = '', out: Issue[] = [], depth = 0): Issue[] {
  if (out.length >= 20) return out;
  if (depth > MAX_DEPTH) {
    out.push(issue(path, 'depth', `嵌套层级不能超过 ${MAX_DEPTH} 层`));
    return out;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(issue(path, 'finite', '必须是有限的数字'));
  } else if (typeof value === 'string') {
    if (FORBIDDEN.test(value)) out.push(issue(path, 'controlChars', '不能包含控制字符'));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => hostileIssues(v, `${path}/${i}`, out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN.test(k)) out.push(issue(`${path}/${k.replace(/[^\x20-\x7e]/g, '?')}`, 'controlChars', '字段名不能包含控制字符'));
      hostileIssues(v, `${path}/${escapePointer(k)}`, out, depth + 1);
    }
  }
  return out;
}

const escapePointer = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const issue = (instancePath: string, keyword: string, message: string): Issue =>
  ({ instancePath, keyword, schemaPath: '#', params: {}, message });

const COMMON: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strictNumbers: true, addUsedSchema: false };

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ ...COMMON, coerceTypes: coerce ? 'array' : false });
  addFormats(ajv);
  return ajv;
}

type Compiled = ((data: unknown) => boolean) & { errors?: Issue[] | null };

/**
 * Wraps ajv's validator with the hostile-input walk. `compile` runs on the route's first request, not at start:
 * compiling the ~300 schemas of every route was a third of the start-up time (docs/benchmarks.md), and most processes of a
 * short-lived instance never see most routes. A broken schema still fails loudly, on its first use and in the
 * access-matrix/fuzz tests that call every route.
 */
function guard(compile: () => ValidateFunction): Compiled {
  let validate: ValidateFunction | null = null;
  const fn: Compiled = (data: unknown) => {
    validate ??= compile();
    const ok = validate(data);
    const extra = hostileIssues(data);
    if (ok && !extra.length) {
      fn.errors = null;
      return true;
    }
    fn.errors = [...(validate.errors ?? []), ...extra];
    return false;
  };
  return fn;
}

/** Fastify validator compiler with the rules above; one ajv without coercion (bodies), one with (everything else). */
export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  let strict: Ajv | null = null;
  let coercing: Ajv | null = null;
  return ({ schema, httpPart }) => guard(() => httpPart === 'body' ? (strict ??= makeAjv(false)).compile(schema as object) : (coercing ??= makeAjv(true)).compile(schema as object));
}
