import type { DataSource } from 'typeorm';
import type { MySteward, StewardRatings, StewardSettings } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import type { Queryable } from '../../lib/sql';
import { recordAudit } from '../audit/audit';
import { contactingEnterprise, stewardAccess } from './steward.policy';

/**
 * The steward as the enterprise sees them (issue 13): who looks after the caller's enterprise and, when the steward
 * shows it (`person.phone_visible_to_enterprises`, default on), their phone for 联系管家. The longest-standing
 * current assignment wins when an enterprise has two stewards.
 */
export async function mySteward(db: Queryable, auth: AuthUser): Promise<MySteward> {
  const enterpriseId = contactingEnterprise(auth);
  if (!enterpriseId) return { steward: null };
  const [s] = await db.query(
    `SELECT p.id, p.name, CASE WHEN p.phone_visible_to_enterprises THEN p.phone END AS phone
       FROM assignment a JOIN person p ON p.id = a.steward_id
      WHERE a.enterprise_id = $1 AND a.district_id = $2 AND a.ends_on IS NULL AND NOT p.disabled
      ORDER BY a.starts_on, a.id LIMIT 1`,
    [enterpriseId, auth.districtId],
  );
  return { steward: s ? { id: s.id, name: s.name, phone: s.phone ?? null } : null };
}

/** The steward's own contact setting. */
export async function stewardSettings(db: Queryable, auth: AuthUser): Promise<StewardSettings> {
  const [p] = await db.query(`SELECT phone_visible_to_enterprises AS v FROM person WHERE id = $1`, [auth.id]);
  return { phoneVisibleToEnterprises: p?.v ?? true };
}

/** Changes the steward's contact setting, audited in the same transaction. */
export async function putStewardSettings(db: DataSource, auth: AuthUser, b: StewardSettings): Promise<StewardSettings> {
  return db.transaction(async (em) => {
    const [before] = await em.query(`SELECT phone_visible_to_enterprises AS v FROM person WHERE id = $1 FOR UPDATE`, [auth.id]);
    await em.query(`UPDATE person SET phone_visible_to_enterprises = $2 WHERE id = $1`, [auth.id, b.phoneVisibleToEnterprises]);
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: 'steward.settings', entityType: 'person', entityId: auth.id,
      data: { phoneVisibleToEnterprises: { from: before?.v ?? null, to: b.phoneVisibleToEnterprises } },
    });
    return { phoneVisibleToEnterprises: b.phoneVisibleToEnterprises };
  });
}

/**
 * The ratings enterprises gave a steward with their confirmations: count, mean (two decimals) and the latest 50.
 * For the district's coordinators, leaders and admins; a steward of another district does not exist for them.
 */
export async function stewardRatings(db: Queryable, auth: AuthUser, stewardId: string): Promise<StewardRatings> {
  const [p] = await db.query(`SELECT id, name, district_id FROM person WHERE id = $1 AND district_id = $2 AND 'steward' = ANY(roles)`, [stewardId, auth.districtId]);
  if (!p || !stewardAccess(auth, { id: p.id, district_id: p.district_id, enterprise_ids: [] }).ratings) throw new AppError('NOT_FOUND');
  const [agg] = await db.query(`SELECT count(*)::int AS n, round(avg(rating)::numeric, 2)::float AS avg FROM steward_rating WHERE steward_id = $1 AND district_id = $2`, [stewardId, auth.districtId]);
  const rows = await db.query(
    `SELECT r.ticket_id, t.no, r.enterprise_id, e.name AS enterprise_name, r.rating, r.comment, r.created_at
       FROM steward_rating r JOIN ticket t ON t.id = r.ticket_id JOIN enterprise e ON e.id = r.enterprise_id
      WHERE r.steward_id = $1 AND r.district_id = $2 ORDER BY r.created_at DESC, r.id LIMIT 50`,
    [stewardId, auth.districtId],
  );
  return {
    steward: { id: p.id, name: p.name },
    count: agg.n,
    average: agg.avg ?? null,
    items: rows.map((r: Record<string, unknown>) => ({
      ticketId: r.ticket_id as string, ticketNo: r.no as string, enterprise: { id: r.enterprise_id as string, name: r.enterprise_name as string },
      rating: Number(r.rating), comment: (r.comment as string) ?? null, createdAt: new Date(r.created_at as string).toISOString(),
    })),
  };
}
