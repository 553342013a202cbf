import type { FastifyInstance } from 'fastify';
import { databaseReadiness } from './health.service';
// The runner's types (and its `app.jobRunner` declaration) without importing the jobs themselves at run time.
import type { JobRunner, JobState } from '../../jobs';

/**
 * Liveness (process up) and readiness. /readyz reports the database (reachable, every migration applied) and the
 * job runner separately. Only the database decides the status code: a load balancer should keep sending requests
 * to a node whose reminder job is late, while the operator sees `jobs.status: "behind"` (and the log warned).
 */
export async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { schema: { tags: ['health'], security: [] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], security: [] } }, async (_req, reply) => {
    const runner: JobRunner | null = app.jobRunner.current;
    const behind = runner?.behind() ?? [];
    const jobs = !runner
      ? { status: 'disabled' as const }
      : {
          status: behind.length ? ('behind' as const) : ('ok' as const),
          count: runner.states().length,
          behind: behind.map((j: JobState) => ({ name: j.name, lastSuccessAt: j.lastSuccessAt ? new Date(j.lastSuccessAt).toISOString() : null, lastError: j.lastError })),
        };
    const database = await databaseReadiness(app.db);
    if (database.status === 'unavailable')
      return reply.status(503).send({ error: { code: 'SERVICE_UNAVAILABLE', message: '数据库不可用', details: [{ path: 'database', message: '无法连接' }] }, database, jobs });
    if (database.status === 'migrations_pending')
      return reply.status(503).send({ error: { code: 'SERVICE_UNAVAILABLE', message: '数据库迁移未完成', details: database.pending!.map((m) => ({ path: m, message: '未执行' })) }, database, jobs });
    return { status: 'ready', migrations: database.migrations, database, jobs };
  });
}
