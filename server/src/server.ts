import 'reflect-metadata';
import { loadConfig, ConfigError } from './config';
import { connectDatabase } from './db/connect';
import { createDataSource } from './data-source';
import { buildApp } from './app';
import { startJobs } from './jobs';
import { safeErrSerializer } from './lib/log-safety';

/** Process entry: config → database (+migrations) → app → listen; SIGTERM/SIGINT drain and stop cleanly. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  // Loud before anything else happens, and again in the structured log once it exists.
  for (const w of config.warnings) console.warn(`WARNING ${w}`);
  const started = Date.now();
  const db = await connectDatabase(config, () => {}, { migrate: config.migrateOnStart });
    const calendarYearsAdded = db.calendarYearsAdded;
  // A replica for lag-tolerant report reads (READ_DATABASE_URL); never migrated (it follows the primary).
  const readDs = config.readDatabaseUrl ? createDataSource(config.readDatabaseUrl, { applicationName: 'guanjia-read' }) : null;
  await readDs?.initialize();
  const app = await buildApp({ config, dataSource: db.dataSource, readDataSource: readDs });
  for (const w of config.warnings) app.log.warn({ dev: config.dev }, w);
  if (calendarYearsAdded.length) app.log.info({ years: calendarYearsAdded }, 'calendar years added from chinese-days');
  if (!config.migrateOnStart) app.log.info('MIGRATE_ON_START=false: migrations are not run at start (npm run migrate); /readyz says whether any are pending');
  const jobs = config.runJobs ? startJobs(app, undefined, config.jobIntervalMs) : null;
  let closing = false;
  /**
   * Graceful shutdown (docs/operations.md): stop taking connections (Fastify answers requests that still arrive on
   * open keep-alive connections with 503, so a load balancer retries them elsewhere), let in-flight requests finish
   * — each is one transaction, so none is left half-written — and let job runs in progress end, then close the
   * pool. If that takes longer than SHUTDOWN_TIMEOUT_MS the process exits anyway (code 1): PostgreSQL rolls back
   * whatever transaction was still open, so even then nothing is half-written.
   */
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const t0 = Date.now();
    app.log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests and job runs');
    const timer = setTimeout(() => {
      app.log.error({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out: exiting with work still in progress (open transactions roll back)');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    // A keep-alive connection that was busy when close() began stays open after its answer (Node closes idle
    // ones only at that moment): sweep idle connections until the server has none left.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    try {
      await Promise.all([jobs?.stop(), app.close()]);
      clearInterval(sweep);
      await readDs?.destroy();
      await db.close();
      app.log.info({ signal, ms: Date.now() - t0 }, 'shut down cleanly');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  // While draining, every answer closes its connection, so clients reconnect to a process that stays up.
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
  // The bound port (PORT=0 picks a free one: tests and side-by-side processes during an upgrade).
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  app.log.info({ database: db.embedded ? 'embedded' : 'external', readyMs: Date.now() - started, port }, `Guanjia listening on http://${config.host}:${port}`);
}

main().catch((e) => {
  // A failed migration or connection error can carry SQL parameters: print only what is safe.
  console.error(safeErrSerializer(e));
  process.exit(1);
});
