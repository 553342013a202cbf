import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Honour the Idempotency-Key header on this route (creations and ticket actions). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey: string | null;
    /** this request's claim on the key: only the holder of the current claim stores the answer or releases it */
    idempotencyClaim: string | null;
  }
}

const KEY_RE = /^[A-Za-z0-9_\-:.]{8,128}$/;

/** What a key is bound to: the same key with another method, path or body is a client bug (422). */
export function requestHash(method: string, url: string, body: unknown): string {
  return crypto.createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/**
 * A retried request never creates twice: the first request with a key claims it (INSERT … ON CONFLICT), its
 * response is stored, and a retry with the same key and body gets that response back. The same key with another
 * body is rejected. A failed (5xx) attempt releases the key so the client may retry.
 *
 * A claim is a lease (`leaseSeconds`, IDEMPOTENCY_LEASE_SECONDS): if the process holding it dies, or PostgreSQL goes
 * away mid-transaction, nothing stores an answer or releases the key. A retry after the lease takes the claim over
 * in the same atomic statement (one winner among concurrent retries); the dead attempt's transaction was rolled back,
 * so the action happens once. Within the lease a retry is told IDEMPOTENCY_IN_PROGRESS (409). Old keys are purged by
 * the idempotency-purge job (IDEMPOTENCY_RETENTION_DAYS).
 */
export default fp(
  async function idempotencyPlugin(app: FastifyInstance, opts: { leaseSeconds?: number } = {}) {
    const leaseSeconds = opts.leaseSeconds ?? 60;
    app.decorateRequest('idempotencyKey', null);
    app.decorateRequest('idempotencyClaim', null);

    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      if (!req.routeOptions.config?.idempotent) return;
      const key = req.headers['idempotency-key'];
      if (key === undefined) return;
      if (typeof key !== 'string' || !KEY_RE.test(key))
        throw new AppError('VALIDATION_FAILED', [{ path: '/headers/idempotency-key', message: 'Idempotency-Key 格式不正确（8–128 位字母数字）' }]);
      if (!req.auth) return; // unauthenticated routes do not use keys
      const hash = requestHash(req.method, req.url, req.body);
      const claim = crypto.randomUUID();
      // Claims a new key, or takes over an abandoned claim (no answer stored, lease over, same request).
      const claimed = await app.db.query(
        `INSERT INTO idempotency_record AS r (person_id, key, method, path, request_hash, claim_id) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (person_id, key) DO UPDATE SET claim_id = EXCLUDED.claim_id, claimed_at = now()
           WHERE r.status_code IS NULL AND r.request_hash = EXCLUDED.request_hash AND r.claimed_at < now() - make_interval(secs => $7)
         RETURNING key`,
        [req.auth.id, key, req.method, req.url.slice(0, 256), hash, claim, leaseSeconds],
      );
      if (claimed.length) {
        req.idempotencyKey = key;
        req.idempotencyClaim = claim;
        return;
      }
      const [prev] = await app.db.query(`SELECT request_hash, status_code, response FROM idempotency_record WHERE person_id=$1 AND key=$2`, [req.auth.id, key]);
      if (!prev) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
      if (prev.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      if (prev.status_code === null) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
      reply.header('idempotent-replay', 'true');
      return reply.status(prev.status_code).send(prev.response);
    });

    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (!req.idempotencyKey) return payload;
      const key = req.idempotencyKey;
      const claim = req.idempotencyClaim;
      req.idempotencyKey = null;
      req.idempotencyClaim = null;
      if (reply.statusCode >= 500) {
        await app.db.query(`DELETE FROM idempotency_record WHERE person_id=$1 AND key=$2 AND claim_id=$3 AND status_code IS NULL`, [req.auth.id, key, claim]);
      } else {
        let body: unknown;
        try {
          body = typeof payload === 'string' ? JSON.parse(payload) : null;
        } catch {
          body = null;
        }
        await app.db.query(`UPDATE idempotency_record SET status_code=$3, response=$4 WHERE person_id=$1 AND key=$2 AND claim_id=$5`, [
          req.auth.id, key, reply.statusCode, JSON.stringify(body), claim,
        ]);
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['db', 'auth'] },
);
