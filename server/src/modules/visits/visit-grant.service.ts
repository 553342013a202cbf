import type { DataSource } from 'typeorm';
import type { VisitGrant, VisitGrantCreate } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { assertStewardAndEnterprise } from '../assignments/steward-enterprise';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { todayInChina } from '../../lib/time';
import { recordAudit } from '../audit/audit';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { visitGrantVisibilitySql } from './visit.policy';

type Row = {
  id: string; steward_id: string; steward_name: string; enterprise_id: string; enterprise_name: string; reason: string;
  valid_until: string | null; granted_by: string; granter_name: string; revoked_at: Date | null; created_at: Date;
};
const SELECT = `g.id, g.steward_id, st.name AS steward_name, g.enterprise_id, e.name AS enterprise_name, g.reason,
  to_char(g.valid_until, 'YYYY-MM-DD') AS valid_until, g.granted_by, gb.name AS granter_name, g.revoked_at, g.created_at`;
const FROM = `visit_grant g JOIN person st ON st.id = g.steward_id JOIN enterprise e ON e.id = g.enterprise_id JOIN person gb ON gb.id = g.granted_by`;
const present = (r: Row): VisitGrant => ({
  id: r.id,
  steward: { id: r.steward_id, name: r.steward_name },
  enterprise: { id: r.enterprise_id, name: r.enterprise_name },
  reason: r.reason,
  validUntil: r.valid_until,
  grantedBy: { id: r.granted_by, name: r.granter_name },
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * A coordinator lets a steward log visits for an enterprise not assigned to them (standing in for a colleague,
 * a joint visit), optionally until a date. Visits made under it are marked off-assignment.
 */
export async function createVisitGrant(db: DataSource, auth: AuthUser, b: VisitGrantCreate): Promise<VisitGrant> {
  if (b.validUntil && b.validUntil < todayInChina())
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/validUntil', message: '有效期不能早于今天' }]);
  const id = await db.transaction(async (em) => {
    await assertStewardAndEnterprise(em, auth.districtId, b);
    const [row] = await em.query(
      `INSERT INTO visit_grant (district_id, steward_id, enterprise_id, reason, valid_until, granted_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [auth.districtId, b.stewardId, b.enterpriseId, b.reason, b.validUntil ?? null, auth.id],
    );
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit_grant.created', entityType: 'visit_grant', entityId: row.id, data: b });
    return row.id as string;
  });
  const [row]: Row[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE g.id = $1`, [id]);
  return present(row);
}

/** Revokes a grant (the row stays as history). */
export async function revokeVisitGrant(db: DataSource, auth: AuthUser, id: string): Promise<VisitGrant> {
  await db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE visit_grant SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND district_id = $2 AND revoked_at IS NULL RETURNING id`,
      [id, auth.districtId, auth.id],
    );
    if (!rows.length) {
      const exists = await em.query(`SELECT 1 FROM visit_grant WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
      throw new AppError(exists.length ? 'CONFLICT' : 'NOT_FOUND');
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit_grant.revoked', entityType: 'visit_grant', entityId: id });
  });
  const [row]: Row[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE g.id = $1`, [id]);
  return present(row);
}

/** Grants of the district (coordinators) or the caller's own (stewards), newest first. */
export async function listVisitGrants(db: DataSource, auth: AuthUser, q: { stewardId?: string; active?: boolean; limit?: number; cursor?: string }): Promise<Page<VisitGrant>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['g.district_id = $1'];
  applyVisibility(where, visitGrantVisibilitySql(auth, p));
  if (q.stewardId) where.push(`g.steward_id = ${p(q.stewardId)}`);
  if (q.active !== false) where.push(`g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until >= ${p(todayInChina())}::date)`);
  const c = decodeCursor(q.cursor, 2);
  if (c) where.push(`(g.created_at, g.id) < (${p(c[0])}::timestamptz, ${p(c[1])}::uuid)`);
  const rows: Row[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY g.created_at DESC, g.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}
