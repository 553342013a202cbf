import 'reflect-metadata';
import { loadConfig, ConfigError } from './config';
import { connectDatabase } from './db/connect';
import { createDataSource } from './data-source';
import { buildApp } from './app';
import { startJobs } from './jobs';
import { seedCalendarFromPackage } from './modules/calendar/calendar-seed';
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
  const db = await connectDatabase(config);
  // Holiday years a newer chinese-days package knows and the database does not yet (idempotent across instances).
  const calendarYearsAdded = await seedCalendarFromPackage(db.dataSource);
  // A replica for lag-tolerant report reads (READ_DATABASE_URL); never migrated (it follows the primary).
  const readDs = config.readDatabaseUrl ? createDataSource(config.readDatabaseUrl, { applicationName: 'guanjia-read' }) : null;
  await readDs?.initialize();
  const app = await buildApp({ config, dataSource: db.dataSource, readDataSource: readDs });
  for (const w of config.warnings) app.log.warn({ dev: config.dev }, w);
  if (calendarYearsAdded.length) app.log.info({ years: calendarYearsAdded }, 'calendar years added from chinese-days');
  const jobs = config.runJobs ? startJobs(app, undefined, config.jobIntervalMs) : null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    jobs?.stop();
    await app.close();
    await readDs?.destroy();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
  app.log.info({ database: db.embedded ? 'embedded' : 'external', readyMs: Date.now() - started }, `Guanjia listening on http://${config.host}:${config.port}`);
}

main().catch((e) => {
  // A failed migration or connection error can carry SQL parameters: print only what is safe.
  console.error(safeErrSerializer(e));
  process.exit(1);
});
