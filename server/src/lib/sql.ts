import type { DataSource, EntityManager } from 'typeorm';

/**
 * Positional parameters for hand-built WHERE clauses: `p(value)` appends the value and returns its `$n`
 * placeholder, so a filter can never be interpolated into SQL by mistake.
 */
export function sqlParams(initial: unknown[] = []): { params: unknown[]; p: (v: unknown) => string } {
  const params = [...initial];
  return { params, p: (v: unknown) => (params.push(v), `$${params.length}`) };
}

/** Escapes LIKE/ILIKE wildcards (and the escape character) so user text matches literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Anything that runs SQL: the DataSource (pool) or a transaction's EntityManager. The one definition. */
export type Queryable = Pick<DataSource, 'query'> | Pick<EntityManager, 'query'>;
