import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { collectors, httpDuration, httpInFlight, httpRequests, loginFailures, poolWait, registry } from '../lib/metrics';
import { AppError } from '../lib/app-error';
import { runWithRequestId } from '../lib/request-context';

type PgPool = {
  totalCount: number; idleCount: number; waitingCount: number; options: { max: number };
  connect: (...a: unknown[]) => unknown; __guanjiaTimed?: boolean;
};

/** The pg Pool behind TypeORM's postgres driver (its `master`). */
function poolOf(ds: DataSource): PgPool | null {
  return ((ds.driver as unknown as { master?: PgPool }).master) ?? null;
}

/** Times every pool.connect (callback or promise form, TypeORM uses the callback one) into guanjia_db_pool_wait_seconds. */
function timePool(pool: PgPool) {
  if (pool.__guanjiaTimed) return;
  pool.__guanjiaTimed = true;
  const orig = pool.connect.bind(pool);
  pool.connect = (...args: unknown[]) => {
    const t0 = process.hrtime.bigint();
    const done = () => poolWait.observe(Number(process.hrtime.bigint() - t0) / 1e9);
    const cb = args[0];
    if (typeof cb === 'function') return orig((err: unknown, c: unknown, release: unknown) => { done(); (cb as (...x: unknown[]) => void)(err, c, release); });
    return (orig() as Promise<unknown>).then((c) => { done(); return c; });
  };
}

/** Constant-time token comparison. */
function tokenMatches(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Request context (the request id every audit row records) and Prometheus metrics: per-route counts and latency by
 * route template, login failures, and at scrape time the DB pool and the outbox backlog. `/metrics` answers only
 * with `Authorization: Bearer <METRICS_TOKEN>`; without a configured token it does not exist (404).
 */
export default fp(
  async function metricsPlugin(app: FastifyInstance, opts: { dataSource: DataSource; token: string | null }) {
    // Callback-style hook: everything after `done` (validation, handler, services) runs inside the context.
    app.addHook('onRequest', (req, _reply, done) => {
      httpInFlight.inc();
      runWithRequestId(req.id, done);
    });
    // The id of the log lines and audit rows, handed to the caller: a person reporting a problem can quote it.
    app.addHook('onSend', async (req, reply) => {
      reply.header('x-request-id', req.id);
    });
    app.addHook('onResponse', async (req, reply) => {
      httpInFlight.dec();
      const route = req.routeOptions?.url ?? 'unmatched';
      if (route === '/metrics') return;
      const status = String(reply.statusCode);
      httpRequests.inc({ route, method: req.method, status });
      httpDuration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
      if (route === '/api/v1/auth/login' && (reply.statusCode === 401 || reply.statusCode === 423))
        loginFailures.inc({ reason: reply.statusCode === 401 ? 'invalid_credentials' : 'locked' });
    });

    const pool = poolOf(opts.dataSource);
    if (pool) {
      timePool(pool);
      collectors.pool = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max });
    }
    const db = opts.dataSource;
    collectors.outbox = async () => {
      // Pending rows only: the partial index ix_outbox_pending keeps this cheap however many rows were sent.
      const [r]: { pending: string; oldest: number | null }[] = await db.query(
        `SELECT count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest FROM wechat_outbox WHERE status = 'pending'`,
      );
      return { pending: Number(r.pending), oldestAgeSeconds: r.oldest ?? 0 };
    };

    if (!opts.token) return;
    const token = opts.token;
    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      const h = req.headers.authorization ?? '';
      if (!h.startsWith('Bearer ') || !tokenMatches(h.slice(7), token))
        throw new AppError('UNAUTHENTICATED');
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['db'] },
);
