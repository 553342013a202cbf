import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase, migrateAsOwner } from '../db/connect';
import { migrationStatus } from '../ops/migration-status';
import { safeErrSerializer } from '../lib/log-safety';

const USAGE = `用法：
  npm run migrate                执行尚未执行的数据库迁移（有 MIGRATION_DATABASE_URL 时以该属主角色执行）
  npm run migrate -- --dry-run   只列出待执行的迁移，不做任何更改
滚动升级：先执行本命令，再以 MIGRATE_ON_START=false 逐台启动新版本（docs/operations.md）。`;

/** `npm run migrate [-- --dry-run]`: migrate before rolling out new processes, or list what would run. */
async function main() {
  const { values: a } = parseArgs({ options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (a.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig(process.env.NODE_ENV === 'production' ? process.env : { GUANJIA_DEV: '1', ...process.env });
  // Dry run: connect without migrating; the real run migrates exactly as the server would at start.
  const db = await connectDatabase(config, () => {}, { reuseRunningEmbedded: true, migrate: false });
  try {
    const before = await migrationStatus(db.dataSource);
    console.log(`schema version: ${before.schemaVersion ?? '(empty database)'}; applied ${before.applied.length}, pending ${before.pending.length}`);
    if (before.unknown.length) console.log(`applied by a newer release (unknown to this code): ${before.unknown.join(', ')}`);
    for (const name of before.pending) console.log(`  pending  ${name}`);
    if (a['dry-run'] || !before.pending.length) {
      if (!before.pending.length) console.log('nothing to migrate');
      return;
    }
    const t0 = Date.now();
    if (config.migrationDatabaseUrl && !db.embedded) {
      await migrateAsOwner(config.migrationDatabaseUrl);
    } else await db.dataSource.runMigrations({ transaction: 'each' });
    const after = await migrationStatus(db.dataSource);
    for (const name of before.pending.filter((n) => !after.pending.includes(n))) console.log(`  applied  ${name}`);
    console.log(`schema version: ${after.schemaVersion}; ${after.pending.length} pending; ${Date.now() - t0} ms`);
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(safeErrSerializer(e));
  process.exit(1);
});
