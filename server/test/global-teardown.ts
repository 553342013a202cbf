import { Client } from 'pg';

export default async function globalTeardown() {
  const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL;
  const template = process.env.GUANJIA_TEST_TEMPLATE;
  if (adminUrl && template) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.end();
  }
  const pg = (globalThis as { __embeddedPg?: { stop: () => Promise<void> } }).__embeddedPg;
  await pg?.stop();
}
