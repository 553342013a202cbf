import type { preHandlerHookHandler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { StdErrors } from '@guanjia/shared';

/** What a JSON route reads: its path parameters, query string and body (TypeBox schemas). */
export interface RouteInputs {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
}

interface RouteFlags {
  /** POSTs that create or act once: a retried request with the same Idempotency-Key replays the first answer. */
  idempotent?: boolean;
}

/**
 * The options every JSON route of a module repeats: who may call it (the onRequest guard), the OpenAPI tags and
 * summary, what it reads, and its success body next to the standard error bodies. The returned object goes to
 * `app.get(path, options, handler)` unchanged, so the TypeBox type provider still types `req` and the reply.
 *
 *   const { ok, created } = routeSpec(['surveys']);
 *   app.get('/surveys/:id', ok(app.authenticate, '问卷详情', { params: IdParams }, Survey), async (req) => ...);
 */
export function routeSpec(tags: string[]) {
  const config = (flags?: RouteFlags) => ({ idempotent: flags?.idempotent === true });
  return {
    /** A route answering 200 with `body`. */
    ok<I extends RouteInputs, R extends TSchema>(guard: preHandlerHookHandler, summary: string, inputs: I, body: R, flags?: RouteFlags) {
      return { onRequest: guard, config: config(flags), schema: { tags, summary, ...inputs, response: { 200: body, ...StdErrors } } };
    },
    /** A route answering 201 with `body` (the handler sets the status). */
    created<I extends RouteInputs, R extends TSchema>(guard: preHandlerHookHandler, summary: string, inputs: I, body: R, flags?: RouteFlags) {
      return { onRequest: guard, config: config(flags), schema: { tags, summary, ...inputs, response: { 201: body, ...StdErrors } } };
    },
  };
}
