import { migrations } from '../migrations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Queryable = { query: (sql: string) => Promise<any> };

/** This code's migrations against what the database has applied: pending ones in order, and the newest applied. */
export async function migrationStatus(db: Queryable): Promise<{ applied: string[]; pending: string[]; unknown: string[]; schemaVersion: string | null }> {
  const [{ exists }]: { exists: boolean }[] = await db.query(`SELECT to_regclass('public.migrations') IS NOT NULL AS exists`);
  const rows: { name: string }[] = exists ? await db.query(`SELECT name FROM migrations ORDER BY id`) : [];
  const applied = rows.map((r) => r.name);
  const known = new Set(migrations.map((m) => m.name));
  const done = new Set(applied);
  return {
    applied,
    pending: migrations.filter((m) => !done.has(m.name)).map((m) => m.name),
    // applied by a newer release than this code (a rollback of the code after an expand migration)
    unknown: applied.filter((n) => !known.has(n)),
    schemaVersion: applied.length ? applied[applied.length - 1] : null,
  };
}
