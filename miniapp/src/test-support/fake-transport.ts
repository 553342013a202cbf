import type { Transport, TransportRequest, TransportResponse } from '../services/transport';

/** What a scripted step does: answer with a response, or fail as the network does. */
export type Step = TransportResponse | 'network-failure' | ((req: TransportRequest) => TransportResponse | Promise<TransportResponse>);

/**
 * A transport for unit tests: routes by "METHOD /path" to scripted steps consumed in order, records every
 * request, and records unplanned calls in `unexpected` (the code under test would see them as network failures).
 */
export function fakeTransport(script: Record<string, Step[]>) {
  const calls: TransportRequest[] = [];
  /** Routes called with no step left; the client would see a network failure, so tests must check this. */
  const unexpected: string[] = [];
  const transport: Transport = async (req) => {
    calls.push(structuredClone(req));
    const path = req.url.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '');
    const route = `${req.method} ${path}`;
    const step = script[route]?.shift();
    if (!step) {
      unexpected.push(route);
      throw new Error(`unexpected request ${route}`);
    }
    if (step === 'network-failure') throw new Error('request:fail');
    return typeof step === 'function' ? step(req) : step;
  };
  return { transport, calls, unexpected, callsTo: (route: string) => calls.filter((c) => `${c.method} ${c.url.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '')}` === route) };
}

/** A JSON error body in the API's one error shape. */
export function errorResponse(status: number, code: string, message = '', details?: unknown[]): TransportResponse {
  return { status, body: { error: { code, message, ...(details ? { details } : {}) } } };
}

/** Deterministic keys: key-1, key-2… */
export function keySequence(prefix = 'key') {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
