import { Client } from 'pg';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { buildApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { createDataSource } from '../src/data-source';
import { withDatabase } from '../src/db/connect';
import { DevWechatClient, type WechatClient } from '../src/modules/wechat/wechat-client';
import { TEST_DATABASE_SETTINGS, testDatabaseName } from './test-databases';

export type TestApp = { app: FastifyInstance; db: DataSource; config: Config; wechat: WechatClient; close: () => Promise<void> };

/** Environment every test app starts with; a test may override any of it. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  // Tests use WeChat dev codes; the development switch must be explicit (config refuses WECHAT_MODE=dev without it).
  GUANJIA_DEV: '1',
  JWT_SECRET: 'test-secret-test-secret-test-secret-1234',
  WECHAT_MODE: 'dev',
  LOG_LEVEL: 'silent',
  H5_DIR: '',
  RUN_JOBS: 'false',
  LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
};

/**
 * A name for a database a test makes itself (a restore target, an empty database to migrate), with the run's prefix:
 * globalTeardown drops it with the others, so the test's own hooks do not wait for DROP DATABASE's checkpoint.
 */
export const runDatabaseName = (label: string): string => `${testDatabaseName(fromGlobalSetup().template)}_${label}`;

/** The admin URL and the migrated template that globalSetup leaves in the environment. */
function fromGlobalSetup(): { adminUrl: string; template: string } {
  const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL;
  const template = process.env.GUANJIA_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('globalSetup did not run (use the jest "server" project)');
  return { adminUrl, template };
}

/** Its own database (cloned from the migrated template) and a fully built app, per test file. */
export async function createTestApp(opts: { env?: Record<string, string>; wechat?: WechatClient } = {}): Promise<TestApp> {
  const { adminUrl, template } = fromGlobalSetup();
  const name = testDatabaseName(template);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.query(TEST_DATABASE_SETTINGS(name));
  await admin.end();
  const db = createDataSource(withDatabase(adminUrl, name), { poolSize: 8 });
  await db.initialize();
  const config = loadConfig({ ...TEST_ENV, ...opts.env });
  const wechat = opts.wechat ?? new DevWechatClient();
  const app = await buildApp({ config, dataSource: db, wechat, logger: false });
  await app.ready();
  return {
    app, db, config, wechat,
    // The database itself is dropped by globalTeardown, all of the run's at once: each DROP DATABASE waits for a
    // checkpoint (1-4 s with fsync on a busy machine), and drops issued together share their checkpoints.
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

/**
 * Empties an append-only audit table between test cases. Only a superuser (the test databases' role) may switch
 * triggers off with session_replication_role; the application's role in production cannot (docs/security.md).
 */
export async function clearAppendOnlyTable(db: DataSource, table: 'location_access_log' | 'audit_event' | 'ticket_event'): Promise<void> {
  await db.transaction(async (em) => {
    await em.query(`SET LOCAL session_replication_role = replica`);
    await em.query(`DELETE FROM ${table}`);
  });
}
