import type { DataSource } from 'typeorm';
import { migrations } from '../../migrations';

export type DatabaseReadiness = { status: 'ok' | 'unavailable' | 'migrations_pending'; migrations?: number; pending?: string[] };

/** The database half of /readyz: reachable, and every migration of this build applied (one query). */
export async function databaseReadiness(db: DataSource): Promise<DatabaseReadiness> {
  try {
    const rows: { name: string }[] = await db.query(`SELECT name FROM migrations`);
    const applied = new Set(rows.map((r) => r.name));
    const pending = migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
    return pending.length ? { status: 'migrations_pending', migrations: applied.size, pending } : { status: 'ok', migrations: applied.size };
  } catch {
    return { status: 'unavailable' };
  }
}
