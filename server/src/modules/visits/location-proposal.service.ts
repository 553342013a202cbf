import type { DataSource } from 'typeorm';
import type { LocationProposal } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { recordAudit } from '../audit/audit';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { logLocationAccess } from './location-access';

type Row = {
  id: string; enterprise_id: string; enterprise_name: string; visit_id: string; proposed_by: string; proposer_name: string;
  lat: number | null; lng: number | null; accuracy_m: number | null; status: LocationProposal['status'];
  decided_at: Date | null; decision_note: string | null; created_at: Date;
};
const SELECT = `p.id, p.enterprise_id, e.name AS enterprise_name, p.visit_id, p.proposed_by, pp.name AS proposer_name, p.lat, p.lng,
  p.accuracy_m, p.status, p.decided_at, p.decision_note, p.created_at`;
const FROM = `enterprise_location_proposal p JOIN enterprise e ON e.id = p.enterprise_id JOIN person pp ON pp.id = p.proposed_by`;

const present = (r: Row): LocationProposal => ({
  id: r.id,
  enterprise: { id: r.enterprise_id, name: r.enterprise_name },
  visitId: r.visit_id,
  proposedBy: { id: r.proposed_by, name: r.proposer_name },
  location: r.lat === null || r.lng === null ? null : { lat: r.lat, lng: r.lng, datum: 'wgs84', accuracyM: r.accuracy_m },
  status: r.status,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  decisionNote: r.decision_note,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Location proposals of the district (the point is where a steward stood: reading it is logged). */
export async function listLocationProposals(db: DataSource, auth: AuthUser, q: { status?: LocationProposal['status']; limit?: number; cursor?: string }): Promise<Page<LocationProposal>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['p.district_id = $1'];
  if (q.status) where.push(`p.status = ${p(q.status)}`);
  const c = decodeCursor(q.cursor, 2);
  if (c) where.push(`(p.created_at, p.id) < (${p(c[0])}::timestamptz, ${p(c[1])}::uuid)`);
  const rows: Row[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  await logLocationAccess(db, auth, 'location_proposal.list', page.items.filter((r) => r.lat !== null).map((r) => r.visit_id));
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/**
 * A coordinator confirms (the enterprise takes the proposed point as its confirmed location, version bumped, like any
 * enterprise edit) or rejects a proposal. Deciding twice is a conflict.
 */
export async function decideLocationProposal(db: DataSource, auth: AuthUser, id: string, decision: 'confirmed' | 'rejected', note?: string): Promise<LocationProposal> {
  await db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE enterprise_location_proposal SET status = $3, decided_by = $4, decided_at = now(), decision_note = $5
        WHERE id = $1 AND district_id = $2 AND status = 'pending' AND ($3 = 'rejected' OR lat IS NOT NULL)
        RETURNING enterprise_id, lat, lng`,
      [id, auth.districtId, decision, auth.id, note ?? null],
    );
    const p = rows[0];
    if (!p) {
      const exists = await em.query(`SELECT 1 FROM enterprise_location_proposal WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
      throw new AppError(exists.length ? 'LOCATION_PROPOSAL_NOT_PENDING' : 'NOT_FOUND');
    }
    if (decision === 'confirmed') {
      await em.query(
        `UPDATE enterprise SET lat = $2, lng = $3, location_confirmed = true, version = version + 1, updated_at = now() WHERE id = $1`,
        [p.enterprise_id, p.lat, p.lng],
      );
      await recordAudit(em, {
        districtId: auth.districtId, actorId: auth.id, action: 'enterprise.location_confirmed', entityType: 'enterprise', entityId: p.enterprise_id,
        data: { proposalId: id },
      });
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: `location_proposal.${decision}`, entityType: 'enterprise_location_proposal', entityId: id, data: { note } });
  });
  const [row]: Row[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE p.id = $1`, [id]);
  return present(row);
}
