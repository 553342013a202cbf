import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { createBackup, verifyBackup } from '../ops/backup';
import { safeErrSerializer } from '../lib/log-safety';

const USAGE = `Usage:
  npm run backup [-- --out <folder>]     database (pg_dump custom format) + uploads + manifest.json into <folder>/guanjia-<UTC time>
  npm run backup -- --verify <backup>    check a backup's checksums against its manifest (exit 1 if anything differs)
Environment: BACKUP_DIR (default <DATA_DIR>/backups), BACKUP_DATABASE_URL (default MIGRATION_DATABASE_URL, then DATABASE_URL,
then the embedded database), BACKUP_KEEP (keep the newest N, remove older), BACKUP_METRICS_FILE (node_exporter textfile
collector, e.g. /var/lib/node_exporter/textfile/guanjia_backup.prom), PG_DUMP (a pg_dump at least as new as the server).`;

/** `npm run backup`: one consistent backup an operator can restore with `npm run restore` (docs/operations.md). */
async function main() {
  const { values: a } = parseArgs({ options: { out: { type: 'string' }, verify: { type: 'string' }, help: { type: 'boolean' } } });
  if (a.help) return console.log(USAGE);
  if (a.verify) {
    const { manifest, problems } = await verifyBackup(path.resolve(a.verify));
    console.log(`backup of ${manifest.createdAt}, commit ${manifest.gitCommit}, schema ${manifest.schemaVersion}, ${manifest.uploads.files} files`);
    if (problems.length) {
      for (const p of problems) console.error(`  DAMAGED ${p}`);
      process.exit(1);
    }
    return console.log('all checksums match');
  }
  const config = loadConfig(process.env.NODE_ENV === 'production' ? process.env : { GUANJIA_DEV: '1', ...process.env });
  const explicit = process.env.BACKUP_DATABASE_URL || config.migrationDatabaseUrl || config.databaseUrl;
  // The embedded database is started (or the running one shared) only when no URL names the database.
  const db = explicit ? null : await connectDatabase(config, () => {}, { reuseRunningEmbedded: true, migrate: false });
  try {
    const keep = Number(process.env.BACKUP_KEEP ?? 0);
    if (!Number.isInteger(keep) || keep < 0) throw new Error('BACKUP_KEEP must be a whole number');
    const r = await createBackup({
      databaseUrl: explicit || db!.url,
      uploadDir: config.uploadDir,
      outDir: path.resolve(a.out ?? process.env.BACKUP_DIR ?? path.join(config.dataDir, 'backups')),
      metricsFile: process.env.BACKUP_METRICS_FILE || null,
      keep,
      log: (l) => console.log(l),
    });
    const size = r.manifest.database.bytes + r.manifest.uploads.bytes;
    console.log(`backup written: ${r.dir} (${(size / 1048576).toFixed(1)} MiB, ${(r.ms / 1000).toFixed(1)} s)`);
  } finally {
    await db?.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error && !('code' in e) ? e.message : safeErrSerializer(e));
  process.exit(1);
});
