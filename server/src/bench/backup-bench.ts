import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource } from '../data-source';
import { ensureDatabase, withDatabase } from '../db/connect';
import { migrations } from '../migrations';
import { createBackup, restoreBackup } from '../ops/backup';
import { FULL, QUICK, generateDistrict, type Sizes } from './generate';

/**
 * `npm run bench:backup [-- --quick] [--reuse DBNAME] [--photos N] [--keep]`: the recovery figures of
 * docs/operations.md. Generates the bench's district (or reuses a kept bench database), writes N photo-sized files
 * into a scratch uploads folder, then times `createBackup` and `restoreBackup` into a fresh database and folder, and
 * prints sizes and row counts (restored counts must equal the source's). PostgreSQL: BENCH_DATABASE_URL, else
 * DATABASE_URL, else TEST_DATABASE_URL (the machine's server; pg_dump must be at least its version).
 */
async function main() {
  if (process.env.GUANJIA_DEV === undefined) process.env.GUANJIA_DEV = '1';
  const args = process.argv.slice(2);
  const opt = (n: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : undefined);
  const quick = args.includes('--quick');
  const sizes: Sizes = { ...(quick ? QUICK : FULL) };
  const photos = Number(opt('photos') ?? (quick ? 200 : 2000));
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('set BENCH_DATABASE_URL (or DATABASE_URL / TEST_DATABASE_URL)');
  const name = opt('reuse') ?? `guanjia_bench_${crypto.randomBytes(3).toString('hex')}`;
  const restoredName = `${name}_restored`;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  const srcUrl = withDatabase(serverUrl, name);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-backup-bench-'));
  const uploads = path.join(work, 'uploads');
  const restoredUploads = path.join(work, 'restored-uploads');
  const log = (s: string) => console.log(s);
  await ensureDatabase(adminUrl, name);
  const ds = createDataSource(srcUrl, { poolSize: 2, applicationName: 'guanjia-backup-bench' });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    if (!opt('reuse')) {
      const t0 = Date.now();
      log(`generating into ${name}: ${sizes.enterprises} enterprises, ${sizes.tickets} tickets, ${sizes.visits} visits`);
      await generateDistrict(ds, sizes, log);
      log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    // Photo-sized files (150 KB, a compressed phone photo) under the layout the server uses.
    for (let i = 0; i < photos; i++) {
      const dir = path.join(uploads, 'visit-photos', 'bench', String(i % 100));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, crypto.randomUUID()), crypto.randomBytes(150 * 1024));
    }
    const counts = async (url: string) => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        const out: Record<string, number> = {};
        for (const t of ['enterprise', 'ticket', 'ticket_event', 'visit', 'audit_event']) out[t] = (await c.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
        out.databaseBytes = Number((await c.query(`SELECT pg_database_size(current_database()) AS n`)).rows[0].n);
        return out;
      } finally {
        await c.end();
      }
    };
    const before = await counts(srcUrl);
    log(`source: ${JSON.stringify(before)}`);
    const b = await createBackup({ databaseUrl: srcUrl, uploadDir: uploads, outDir: path.join(work, 'backups'), log });
    const r = await restoreBackup({ dir: b.dir, databaseUrl: withDatabase(serverUrl, restoredName), uploadDir: restoredUploads, knownMigrations: migrations.map((m) => m.name), log });
    const after = await counts(withDatabase(serverUrl, restoredName));
    const same = JSON.stringify({ ...before, databaseBytes: 0 }) === JSON.stringify({ ...after, databaseBytes: 0 });
    const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
    log('');
    log(`database ${mib(before.databaseBytes)} on disk (${before.ticket} tickets, ${before.ticket_event} events, ${before.visit} visits); uploads ${photos} files ${mib(b.manifest.uploads.bytes)}`);
    log(`backup: ${(b.ms / 1000).toFixed(1)} s (dump ${(b.manifest.database.dumpMs / 1000).toFixed(1)} s, ${mib(b.manifest.database.bytes)}; uploads copy ${(b.manifest.uploads.copyMs / 1000).toFixed(1)} s)`);
    log(`restore: ${(r.ms / 1000).toFixed(1)} s (verify + database ${(r.dbMs / 1000).toFixed(1)} s; uploads ${(r.filesMs / 1000).toFixed(1)} s); restored database ${mib(after.databaseBytes)}; row counts ${same ? 'identical' : 'DIFFER'}`);
    log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    if (!same) process.exitCode = 1;
  } finally {
    await ds.destroy();
    fs.rmSync(work, { recursive: true, force: true });
    if (!args.includes('--keep')) {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      for (const n of opt('reuse') ? [restoredName] : [name, restoredName]) await c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
      await c.end();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
