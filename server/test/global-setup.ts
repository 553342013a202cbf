import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createDataSource } from '../src/data-source';
import { repoRoot } from '../src/lib/paths';
import { withDatabase } from '../src/db/connect';
import { seedCalendarFromPackage } from '../src/modules/calendar/calendar-seed';
import { TEST_DATABASE_SETTINGS } from './test-databases';

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL (CI: the machine's server) or the embedded one.
 * Migrations run once into a template database; each test file clones it (CREATE DATABASE … TEMPLATE).
 */
export default async function globalSetup() {
  // Anything in the test run that reads process.env (not only createTestApp's TEST_ENV) is a development start.
  process.env.GUANJIA_DEV ??= '1';
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54329);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(repoRoot(), '.data', 'test-pg'), port, fast: true });
    (globalThis as { __embeddedPg?: unknown }).__embeddedPg = pg;
    adminUrl = pg.url;
  }
  const template = `guanjia_tpl_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  // Leftovers of killed runs would pile up; drop those whose creating process is gone.
  const old = await admin.query(`SELECT datname FROM pg_database WHERE datname ~ '^guanjia_(tpl|t)_'`);
  for (const { datname } of old.rows) {
    const pid = Number(/_(\d+)(_|$)/.exec(datname)?.[1]);
    if (pid && !processAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${template}"`);
  // For the migrations' commits only: a clone does not inherit it (helper.ts sets it on each test database).
  await admin.query(TEST_DATABASE_SETTINGS(template));
  await admin.end();
  const ds = createDataSource(withDatabase(adminUrl, template), { poolSize: 2 });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await seedCalendarFromPackage(ds);
  await ds.destroy();
  process.env.GUANJIA_TEST_ADMIN_URL = adminUrl;
  process.env.GUANJIA_TEST_TEMPLATE = template;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
