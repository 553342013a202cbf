import { Client } from 'pg';
import { testDatabasePrefix } from './test-databases';

/** Test databases are dropped this many at a time: concurrent DROP DATABASEs share the checkpoints they wait for. */
const DROP_CONNECTIONS = 8;

export default async function globalTeardown() {
  const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL;
  const template = process.env.GUANJIA_TEST_TEMPLATE;
  if (adminUrl && template) {
    // The run's test databases: createTestApp leaves them for this (test-databases.ts).
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [testDatabasePrefix(template)]);
    await admin.end();
    const names = rows.map((r) => r.datname).concat(template);
    await Promise.all(
      Array.from({ length: Math.min(DROP_CONNECTIONS, names.length) }, async () => {
        const c = new Client({ connectionString: adminUrl });
        await c.connect();
        try {
          for (let name = names.shift(); name; name = names.shift()) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      }),
    );
  }
  const pg = (globalThis as { __embeddedPg?: { stop: () => Promise<void> } }).__embeddedPg;
  await pg?.stop();
}
