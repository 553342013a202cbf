import type { DataSource, EntityManager } from 'typeorm';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { decodeCursor, toPage } from '../../lib/keyset';
import { currentRequestId } from '../../lib/request-context';

/**
 * PIPL art. 28 treats precise location as sensitive personal information: every time someone other than the steward
 * reads check-in coordinates, who read which visits and through which endpoint is appended here.
 */
export async function logLocationAccess(db: Pick<DataSource | EntityManager, 'query'>, auth: AuthUser, purpose: string, visitIds: string[]): Promise<void> {
  if (!visitIds.length) return;
  await db.query(`INSERT INTO location_access_log (district_id, actor_id, purpose, visit_ids, request_id) VALUES ($1,$2,$3,$4::uuid[],$5)`, [
    auth.districtId, auth.id, purpose, visitIds, currentRequestId(),
  ]);
}

/** Coordinators and admins read the log: who read which visit's location, when, through what. */
export async function listLocationAccess(db: DataSource, auth: AuthUser, q: { visitId?: string; actorId?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['l.district_id = $1'];
  if (q.visitId) where.push(`${p(q.visitId)}::uuid = ANY(l.visit_ids)`);
  if (q.actorId) where.push(`l.actor_id = ${p(q.actorId)}`);
  const c = decodeCursor(q.cursor, 2);
  if (c) where.push(`(l.created_at, l.id) < (${p(c[0])}::timestamptz, ${p(c[1])}::bigint)`);
  const rows: { id: string; actor_id: string; actor_name: string; purpose: string; visit_ids: string[]; created_at: Date }[] = await db.query(
    `SELECT l.id::text AS id, l.actor_id, p.name AS actor_name, l.purpose, l.visit_ids, l.created_at
       FROM location_access_log l JOIN person p ON p.id = l.actor_id
      WHERE ${where.join(' AND ')} ORDER BY l.created_at DESC, l.id DESC LIMIT ${p(limit + 1)}`,
    params,
  );
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return {
    items: page.items.map((r) => ({
      id: r.id, actor: { id: r.actor_id, name: r.actor_name }, purpose: r.purpose, visitCount: r.visit_ids.length,
      visitIds: r.visit_ids.slice(0, 200), at: new Date(r.created_at).toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
