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
  }
}

const KEY_RE = /^[A-Za-z0-9_\-:.]{8,128}$/;

function hashRequest(req: FastifyRequest): string {
  return crypto.createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

/**
 * A retried request never creates twice: the first request with a key claims it (INSERT … ON CONFLICT DO NOTHING),
 * its response is stored, and a retry with the same key and body gets that response back. The same key with another
 * body is rejected. A failed (5xx) attempt releases the key so the client may retry.
 */
export default fp(
  async function idempotencyPlugin(app: FastifyInstance) {
    app.decorateRequest('idempotencyKey', null);

    app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      if (!req.routeOptions.config?.idempotent) return;
      const key = req.headers['idempotency-key'];
      if (key === undefined) return;
      if (typeof key !== 'string' || !KEY_RE.test(key))
        throw new AppError('VALIDATION_FAILED', [{ path: '/headers/idempotency-key', message: 'Idempotency-Key 格式不正确（8–128 位字母数字）' }]);
      if (!req.auth) return; // unauthenticated routes do not use keys
      const hash = hashRequest(req);
      const claimed = await app.db.query(
        `INSERT INTO idempotency_record (person_id, key, method, path, request_hash) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT DO NOTHING RETURNING key`,
        [req.auth.id, key, req.method, req.url.slice(0, 256), hash],
      );
      if (claimed.length) {
        req.idempotencyKey = key;
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
      req.idempotencyKey = null;
      if (reply.statusCode >= 500) {
        await app.db.query(`DELETE FROM idempotency_record WHERE person_id=$1 AND key=$2`, [req.auth.id, key]);
      } else {
        let body: unknown = null;
        try {
          body = typeof payload === 'string' ? JSON.parse(payload) : null;
        } catch {
          body = null;
        }
        await app.db.query(`UPDATE idempotency_record SET status_code=$3, response=$4 WHERE person_id=$1 AND key=$2`, [
          req.auth.id, key, reply.statusCode, JSON.stringify(body),
        ]);
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['db', 'auth'] },
);
