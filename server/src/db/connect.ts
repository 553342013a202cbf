import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createDataSource } from '../data-source';
import { migrations } from '../migrations';
import { startEmbeddedPostgres, type EmbeddedDb } from './embedded';
import { seedCalendarFromPackage } from '../modules/calendar/calendar-seed';

/** An initialised, migrated DataSource plus whatever must be stopped with it. */
/** `calendarYearsAdded`: national holiday years seeded from the chinese-days package on this connect. */
export type Database = { dataSource: DataSource; embedded: EmbeddedDb | null; url: string; calendarYearsAdded: number[]; close: () => Promise<void> };

/** The same server URL pointing at another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function canConnect(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Creates `name` on the server at `adminUrl` if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!r.rowCount) await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await c.end();
  }
}

/** True unless every migration this build knows is recorded (no migrations table yet: pending). */
async function migrationsPending(ds: DataSource): Promise<boolean> {
  try {
    const [{ names }] = await ds.query(`SELECT coalesce(array_agg(name), '{}') AS names FROM migrations`);
    const applied = new Set<string>(names);
    return migrations.some((m) => !applied.has(m.name));
  } catch {
    return true;
  }
}

/** Runs the pending migrations as the schema owner (a one-connection data source of its own, closed after). */
export async function migrateAsOwner(url: string): Promise<void> {
  const owner = createDataSource(url, { poolSize: 1, applicationName: 'guanjia-migrate' });
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: 'each' });
  } finally {
    await owner.destroy();
  }
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in the project's data folder. Runs migrations — as the
 * MIGRATION_DATABASE_URL role when one is configured, so the application's own role needs no DDL rights — unless
 * `migrate: false` (MIGRATE_ON_START=false, or the migrate CLI's dry run).
 */
export async function connectDatabase(config: Config, log: (m: string) => void = () => {}, opts: { reuseRunningEmbedded?: boolean; migrate?: boolean } = {}): Promise<Database> {
  let embedded: EmbeddedDb | null = null;
  let url = config.databaseUrl;
  if (!url) {
    const running = `postgres://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/postgres`;
    // A CLI (npm run demo) next to a running `npm start` shares its embedded server instead of starting another.
    embedded = opts.reuseRunningEmbedded && (await canConnect(running))
      ? { url: running, stop: async () => {} }
      : await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, log });
    await ensureDatabase(embedded.url, 'guanjia');
    url = withDatabase(embedded.url, 'guanjia');
  }
  const dataSource = createDataSource(url);
  let calendarYearsAdded: number[] = [];
  try {
    await dataSource.initialize();
    // MIGRATE_ON_START=false: the operator migrates with `npm run migrate`; /readyz answers 503 until then.
    // A warm start has nothing to apply: one query says so, instead of TypeORM's checks and its migration lock.
    if (opts.migrate !== false && (await migrationsPending(dataSource))) {
      if (config.migrationDatabaseUrl && !embedded) {
        // Two roles: the owner migrates (and owns the tables, triggers included); the app role only uses them.
        await migrateAsOwner(config.migrationDatabaseUrl);
      } else {
        await dataSource.runMigrations({ transaction: 'each' });
      }
    }
    // Holiday years a newer chinese-days package knows and the database does not yet (idempotent across instances);
    // data, not schema, so it comes with migrating (without migrations the tables may not exist yet).
    if (opts.migrate !== false) calendarYearsAdded = await seedCalendarFromPackage(dataSource);
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw e;
  }
  return {
    dataSource,
    embedded,
    url,
    calendarYearsAdded,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
