import type { DataSource } from 'typeorm';
import type { Assignment, AssignmentCreate, AssignmentListQuery } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { assertStewardAndEnterprise } from './steward-enterprise';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { assignmentVisibilitySql, nearNeedsSteward } from './assignment.policy';
import { todayInChina } from '../../lib/time';
import { sqlParams } from '../../lib/sql';

type Row = { id: string; steward_id: string; steward_name: string; enterprise_id: string; enterprise_name: string; starts_on: string; ends_on: string | null; note: string | null; created_at: Date };
const SELECT = `s.id, s.steward_id, st.name AS steward_name, s.enterprise_id, e.name AS enterprise_name,
  to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(s.ends_on, 'YYYY-MM-DD') AS ends_on, s.note, s.created_at`;
const FROM = `assignment s JOIN person st ON st.id = s.steward_id JOIN enterprise e ON e.id = s.enterprise_id`;

const present = (r: Row): Assignment => ({
  id: r.id, steward: { id: r.steward_id, name: r.steward_name }, enterprise: { id: r.enterprise_id, name: r.enterprise_name },
  startsOn: r.starts_on, endsOn: r.ends_on, note: r.note,
});

/** 包保: assigns a steward to an enterprise. One active assignment per pair; history is kept when it ends. */
export async function createAssignment(db: DataSource, auth: AuthUser, b: AssignmentCreate): Promise<Assignment> {
  const id = await db.transaction(async (em) => {
    await assertStewardAndEnterprise(em, auth.districtId, b);
    const [row] = await em.query(
      `INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on, note, created_by) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (steward_id, enterprise_id) WHERE ends_on IS NULL DO NOTHING RETURNING id`,
      [auth.districtId, b.stewardId, b.enterpriseId, b.startsOn ?? todayInChina(), b.note ?? null, auth.id],
    );
    if (!row) throw new AppError('ASSIGNMENT_OVERLAP');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'assignment.created', entityType: 'assignment', entityId: row.id, data: b });
    return row.id as string;
  });
  const [row] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE s.id = $1`, [id]);
  return present(row);
}

/** Ends an assignment (the row stays as history). */
export async function endAssignment(db: DataSource, auth: AuthUser, id: string, endsOn?: string): Promise<Assignment> {
  await db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE assignment SET ends_on = GREATEST(starts_on, $3::date), ended_by = $4 WHERE id = $1 AND district_id = $2 AND ends_on IS NULL RETURNING id`,
      [id, auth.districtId, endsOn ?? todayInChina(), auth.id],
    );
    if (!rows.length) {
      const exists = await em.query(`SELECT 1 FROM assignment WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
      throw new AppError(exists.length ? 'CONFLICT' : 'NOT_FOUND');
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'assignment.ended', entityType: 'assignment', entityId: id, data: { endsOn } });
  });
  const [row] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE s.id = $1`, [id]);
  return present(row);
}

/** `near` as a checked point, or a 400 naming the parameter. */
function parseNear(near: string): { lat: number; lng: number } {
  const [lat, lng] = near.split(',').map(Number);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180)
    throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/near', message: '位置格式应为 纬度,经度' }]);
  return { lat, lng };
}

/** Enterprises without coordinates sort after every located one (the key must not be NULL for the keyset). */
const NO_LOCATION = 1e12;

/**
 * Assignments of the district (coordinators, leaders) or the caller's own (stewards). With `near` (issue 13:
 * picking the enterprise on site) they come nearest first with their distance — one steward's active list, so the
 * distance is computed over a few dozen rows found by the steward index, keyset-paged on (distance, id).
 */
export async function listAssignments(db: DataSource, auth: AuthUser, q: AssignmentListQuery): Promise<Page<Assignment>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['s.district_id = $1'];
  applyVisibility(where, assignmentVisibilitySql(auth, p));
  if (q.stewardId) where.push(`s.steward_id = ${p(q.stewardId)}`);
  if (q.enterpriseId) where.push(`s.enterprise_id = ${p(q.enterpriseId)}`);
  if (q.active !== false) where.push('s.ends_on IS NULL');
  if (q.near !== undefined) {
    const at = parseNear(q.near);
    if (nearNeedsSteward(auth) && !q.stewardId)
      throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/near', message: '按距离排序须指定管家' }]);
    // Equirectangular distance in metres: exact enough at the scale of one district, no extension needed.
    const dist = `COALESCE(6371000 * sqrt(power(radians(e.lat - ${p(at.lat)}::float8), 2)
      + power(cos(radians(${p(at.lat)}::float8)) * radians(e.lng - ${p(at.lng)}::float8), 2)), ${NO_LOCATION})`;
    const cursor = decodeCursor(q.cursor, 2);
    if (cursor) where.push(`(${dist}, s.id) > (${p(Number(cursor[0]))}::float8, ${p(cursor[1])}::uuid)`);
    const rows: (Row & { dist: number })[] = await db.query(
      `SELECT ${SELECT}, ${dist} AS dist FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY dist, s.id LIMIT ${p(limit + 1)}`, params);
    const page = toPage(rows, limit, (r) => [Number(r.dist), r.id]);
    return {
      items: page.items.map((r) => ({ ...present(r), distanceM: Number(r.dist) >= NO_LOCATION ? null : Math.round(Number(r.dist)) })),
      nextCursor: page.nextCursor,
    };
  }
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(s.created_at, s.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
  const rows: Row[] = await db.query(`SELECT ${SELECT} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY s.created_at DESC, s.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}
