import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being served, carried through async calls so the audit writers can stamp rows with the request id
 * the log lines carry (an operator follows one request from the log into audit_event / ticket_event).
 * Jobs and CLIs run outside any request: no id, the column stays NULL.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` (and everything it awaits) as part of request `requestId`. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** Enters the request's context for the rest of the current async flow (Fastify onRequest hook). */
export function enterRequest(requestId: string): void {
  storage.enterWith({ requestId });
}

/** The id of the request being served, or null outside one. */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}
