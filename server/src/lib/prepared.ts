import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Queryable } from './sql';

type PgClient = { query: (q: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }> };

let named = true;

/**
 * DB_PREPARED_STATEMENTS=false: send the hot queries unnamed (PgBouncer < 1.21 in transaction mode cannot follow
 * a named statement from one server connection to another). Set once per process at start.
 */
export function usePreparedStatements(enabled: boolean): void {
  named = enabled;
}

/**
 * Runs `text` as a named prepared statement (pg's `name` option): each connection parses and plans it once and
 * then reuses the plan, instead of planning an 8-table join on every call (docs/benchmarks.md: planning alone took 9 ms of a
 * 1 ms query). The name is derived from the text, so different filter combinations never share a name. Inside a
 * transaction the EntityManager's own connection is used; otherwise one is borrowed from the pool.
 */
export async function preparedQuery<T = Record<string, unknown>>(db: Queryable, text: string, values: unknown[]): Promise<T[]> {
  if (!named) return (await db.query(text, values)) as T[];
  const name = `g_${crypto.createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
  const em = db as Partial<EntityManager>;
  if (em.queryRunner && !em.queryRunner.isReleased) {
    const client = (await em.queryRunner.connect()) as PgClient;
    return (await client.query({ name, text, values })).rows as T[];
  }
  const ds = ((db as Partial<EntityManager>).connection ?? db) as DataSource;
  if (!ds.createQueryRunner) return (await db.query(text, values)) as T[];
  const qr = ds.createQueryRunner();
  try {
    const client = (await qr.connect()) as PgClient;
    return (await client.query({ name, text, values })).rows as T[];
  } finally {
    await qr.release();
  }
}
