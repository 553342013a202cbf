import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { restoreBackup, RestoreRefused } from '../ops/backup';
import { migrations } from '../migrations';
import { safeErrSerializer } from '../lib/log-safety';

const USAGE = `Usage:
  npm run restore -- <backup folder> [--force] [--no-acl]
Restores into the database of RESTORE_DATABASE_URL (default MIGRATION_DATABASE_URL, then DATABASE_URL, then the embedded
database; created if missing) and UPLOAD_DIR / DATA_DIR/uploads. Both must be empty: --force replaces what is there.
--no-acl skips the dump's grants (a server without the guanjia_owner / guanjia_app roles; run scripts/db/roles.sql after).
Stop the server first; start it afterwards (it applies any newer migrations).`;

/** `npm run restore -- <backup>`: the other half of `npm run backup` (docs/operations.md). */
async function main() {
  const { values: a, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' }, 'no-acl': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (a.help || positionals.length !== 1) {
    console.log(USAGE);
    if (!a.help) process.exit(2);
    return;
  }
  const config = loadConfig(process.env.NODE_ENV === 'production' ? process.env : { GUANJIA_DEV: '1', ...process.env });
  const explicit = process.env.RESTORE_DATABASE_URL || config.migrationDatabaseUrl || config.databaseUrl;
  const db = explicit ? null : await connectDatabase(config, () => {}, { reuseRunningEmbedded: true, migrate: false });
  try {
    if (db) await db.dataSource.destroy(); // keep the embedded server, drop the pool: pg_restore works alone
    const r = await restoreBackup({
      dir: path.resolve(positionals[0]),
      databaseUrl: explicit || db!.url,
      uploadDir: config.uploadDir,
      force: !!a.force,
      noAcl: !!a['no-acl'],
      knownMigrations: migrations.map((m) => m.name),
      log: (l) => console.log(l),
    });
    console.log(`restored backup of ${r.manifest.createdAt} (commit ${r.manifest.gitCommit}, schema ${r.manifest.schemaVersion}) in ${(r.ms / 1000).toFixed(1)} s`);
  } finally {
    await db?.close();
  }
}

main().catch((e) => {
  if (e instanceof RestoreRefused) {
    console.error(`REFUSED: ${e.message}`);
    process.exit(3);
  }
  console.error(e instanceof Error && !('code' in e) ? e.message : safeErrSerializer(e));
  process.exit(1);
});
