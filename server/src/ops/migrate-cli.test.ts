import { execFile } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../db/connect';
import { repoRoot } from '../lib/paths';
import { migrations } from '../migrations';
import { runDatabaseName } from '../../test/helper';

/** `npm run migrate [-- --dry-run]` as an operator runs it: a child process on an empty database. */

const ROOT = repoRoot();
const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL!;
const name = runDatabaseName('migrate'); // dropped by globalTeardown

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', path.join(ROOT, 'server/test/ts-child.js'), path.join(ROOT, 'server/src/cli/migrate.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: withDatabase(adminUrl, name), GUANJIA_DEV: '1', JWT_SECRET: 'test-secret-test-secret-test-secret-1234', WECHAT_MODE: 'dev' },
    }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });
}

beforeAll(async () => {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
});

it('--dry-run lists every pending migration and changes nothing; the real run applies them; then nothing is pending', async () => {
  const dry = await cli(['--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.out).toContain('(empty database)');
  for (const m of migrations) expect(dry.out).toContain(`pending  ${m.name}`);
  const c = new Client({ connectionString: withDatabase(adminUrl, name) });
  await c.connect();
  try {
    expect((await c.query(`SELECT to_regclass('public.ticket') AS t`)).rows[0].t).toBeNull();
    const real = await cli([]);
    expect(real.code).toBe(0);
    for (const m of migrations) expect(real.out).toContain(`applied  ${m.name}`);
    expect((await c.query(`SELECT count(*)::int AS n FROM migrations`)).rows[0].n).toBe(migrations.length);
    const again = await cli(['--dry-run']);
    expect(again.out).toContain(`schema version: ${migrations[migrations.length - 1].name}; applied ${migrations.length}, pending 0`);
    expect(again.out).toContain('nothing to migrate');
  } finally {
    await c.end();
  }
}, 180_000);
