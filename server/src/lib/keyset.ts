import { AppError } from './app-error';

/** Opaque cursor for keyset pagination: the sort key values of the last row a page returned. */
export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The one answer to a cursor this API did not produce (or whose values do not fit the sort key). */
export const badCursor = () => new AppError('VALIDATION_FAILED', [{ path: '/querystring/cursor', message: '分页游标无效' }]);

/** A uuid sort-key value, to check a cursor's id part before it reaches SQL. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes a cursor, rejecting anything this API did not produce with the expected arity. */
export function decodeCursor(cursor: string | undefined, arity: number): (string | number | null)[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => x === null || ['string', 'number'].includes(typeof x))) return v;
  } catch {
    /* fall through */
  }
  throw badCursor();
}

/** Page envelope every list endpoint returns. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Fetches limit+1 rows upstream; this trims the extra one and builds the next cursor from the last kept row. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
