import 'reflect-metadata';
import crypto from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../config';
import { buildApp } from '../app';
import { createDataSource } from '../data-source';
import { connectDatabase, ensureDatabase, withDatabase } from '../db/connect';
import { seedOrgDemo } from '../demo/org-demo';
import { benches } from './benches';

/**
 * `npm run bench`: a throwaway database with the demo district, then each benchmark against the real stack
 * (app.inject → Fastify → PostgreSQL). Figures are ratios against a baseline measured in the same run, because
 * these machines are noisy: absolute milliseconds mean little, the ratio is what a change moves.
 */
async function main() {
  const config = loadConfig({ GUANJIA_DEV: '1', ...process.env, LOG_LEVEL: 'silent', RUN_JOBS: 'false', H5_DIR: '' });
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const server = base ? null : await connectDatabase({ ...config, embeddedPgPort: config.embeddedPgPort + 7, dataDir: `${config.dataDir}/bench` });
  const adminUrl = base ?? withDatabase(server!.url, 'postgres');
  const name = `guanjia_bench_${crypto.randomBytes(3).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const ds = createDataSource(withDatabase(adminUrl, name), { poolSize: 10 });
  await ds.initialize();
  await ds.runMigrations();
  const { districtId } = await seedOrgDemo(ds);
  const app = await buildApp({ config, dataSource: ds, logger: false });
  await app.ready();
  try {
    for (const b of benches) {
      const r = await b.run({ app, db: ds, districtId });
      console.log(`\n## ${b.name}`);
      for (const line of r) console.log(`  ${line}`);
    }
  } finally {
    await app.close();
    await ds.destroy();
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
    await server?.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
