import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { withDatabase } from './connect';
import { migrations } from '../migrations';
import { runDatabaseName } from '../../test/helper';

/**
 * Every migration's `down` really undoes its `up`: on an empty database, migrate all the way up, all the way down
 * (nothing of ours may remain), and up again to the very same schema. A migration whose down forgets a table,
 * index, constraint or trigger fails here rather than on an operator's rollback.
 */
const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL!;
const name = runDatabaseName('mig'); // dropped by globalTeardown
let ds: DataSource;

beforeAll(async () => {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  ds = createDataSource(withDatabase(adminUrl, name), { poolSize: 2 });
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
});

/**
 * Everything a migration may create in the public schema, as sorted text lines. Extensions (pgcrypto) are left
 * out: a down leaves them installed, as anything else in the database may use them.
 */
async function schema(): Promise<string[]> {
  const rows: { line: string }[] = await ds.query(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations'
    UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migrations'
    UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 'migrations'::regclass
    UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL SELECT 'sequence ' || sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public' AND sequence_name NOT LIKE 'migrations%'
    UNION ALL SELECT 'type ' || t.typname FROM pg_type t WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd')
    UNION ALL SELECT 'view ' || table_name FROM information_schema.views WHERE table_schema = 'public'
  `);
  return rows.map((r) => r.line).sort();
}

it('migrates up, all the way down to an empty schema, and up again to the same schema', async () => {
  await ds.runMigrations({ transaction: 'each' });
  const first = await schema();
  expect(first.filter((l) => l.startsWith('column ')).length).toBeGreaterThan(100);

  for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
  expect(await ds.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: 0 }]);
  expect(await schema()).toEqual([]);

  await ds.runMigrations({ transaction: 'each' });
  expect(await schema()).toEqual(first);
}, 120_000);
