import type { FastifyInstance } from 'fastify';
import { migrations } from '../../migrations';

/** Liveness (process up) and readiness (database reachable, every migration applied). */
export async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { schema: { tags: ['health'], security: [] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], security: [] } }, async (_req, reply) => {
    try {
      const rows: { name: string }[] = await app.db.query(`SELECT name FROM migrations`);
      const applied = new Set(rows.map((r) => r.name));
      const pending = migrations.filter((m) => !applied.has(m.name));
      if (pending.length) return reply.status(503).send({ error: { code: 'SERVICE_UNAVAILABLE', message: '数据库迁移未完成', details: pending.map((m) => ({ path: m.name, message: '未执行' })) } });
      return { status: 'ready', migrations: applied.size };
    } catch {
      return reply.status(503).send({ error: { code: 'SERVICE_UNAVAILABLE', message: '数据库不可用' } });
    }
  });
}
