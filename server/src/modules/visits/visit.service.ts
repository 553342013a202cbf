import type { DataSource, EntityManager } from 'typeorm';
import { linkToProject } from '../projects/project-links';
import {
  assessCheckIn, SHORT_VISIT_SECONDS, toWgs84,
  type CheckInBody, type CheckOutBody, type Visit, type VisitCreate, type VisitListQuery, type VisitUpdate,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { todayInChina } from '../../lib/time';
import { recordAudit } from '../audit/audit';
import { notify } from '../notifications/notify';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { mayRecordVisits, visitView, visitVisibilitySql } from './visit.policy';
import { hasLocation, presentVisit, VISIT_FROM, VISIT_SELECT, type LinkedTicket, type VisitRow } from './visit.presenter';
import { getVisitSettings } from './visit-settings';
import { logLocationAccess } from './location-access';
import { pushVisitFilters } from './visit-filters';
import { sqlParams } from '../../lib/sql';


type Q = Pick<DataSource | EntityManager, 'query'>;

/** The caller holds the steward role: only stewards log visits (as themselves). */
function assertSteward(auth: AuthUser) {
  if (!mayRecordVisits(auth)) throw new AppError('FORBIDDEN');
}

/**
 * The assignment rule: a steward logs visits only for enterprises currently assigned to them, unless a coordinator
 * granted an exception for the pair or the district allows visits off assignment. Returns whether the visit is off
 * assignment (recorded on it, so coverage counts it honestly).
 */
async function checkAssignment(em: Q, auth: AuthUser, enterpriseId: string, allowOffAssignment: boolean): Promise<boolean> {
  const today = todayInChina();
  const [row] = await em.query(
    `SELECT
       EXISTS (SELECT 1 FROM assignment WHERE steward_id = $1 AND enterprise_id = $2 AND ends_on IS NULL AND starts_on <= $3::date) AS assigned,
       EXISTS (SELECT 1 FROM visit_grant WHERE steward_id = $1 AND enterprise_id = $2 AND revoked_at IS NULL
                 AND (valid_until IS NULL OR valid_until >= $3::date)) AS granted`,
    [auth.id, enterpriseId, today],
  );
  if (row.assigned) return false;
  if (row.granted || allowOffAssignment) return true;
  throw new AppError('VISIT_NOT_ASSIGNED');
}

/** The 诉求 raised from these visits, by visit id, oldest first. */
async function linkedTickets(db: Q, visitIds: string[]): Promise<Map<string, LinkedTicket[]>> {
  const out = new Map<string, LinkedTicket[]>();
  if (!visitIds.length) return out;
  const rows: (LinkedTicket & { source_visit_id: string })[] = await db.query(
    `SELECT id, no, title, state, source_visit_id FROM ticket WHERE source_visit_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [visitIds],
  );
  for (const r of rows) (out.get(r.source_visit_id) ?? out.set(r.source_visit_id, []).get(r.source_visit_id)!).push({ id: r.id, no: r.no, title: r.title, state: r.state });
  return out;
}

async function loadVisit(db: Q, districtId: string, id: string): Promise<VisitRow | undefined> {
  const [row] = await db.query(`SELECT ${VISIT_SELECT} FROM ${VISIT_FROM} WHERE v.id = $1 AND v.district_id = $2`, [id, districtId]);
  return row;
}

/** Logs a visit. On-site visits start `planned` and count only once checked in; the others are complete at once. */
export async function createVisit(db: DataSource, auth: AuthUser, b: VisitCreate, now = new Date()): Promise<Visit> {
  assertSteward(auth);
  const settings = await getVisitSettings(db, auth.districtId);
  let occurredAt = now;
  if (b.kind === 'onsite') {
    if (b.occurredAt !== undefined)
      throw new AppError('VALIDATION_FAILED', [{ path: '/body/occurredAt', message: '现场走访以签到时间为准，不能指定时间' }]);
  } else if (b.occurredAt !== undefined) {
    occurredAt = new Date(b.occurredAt);
    const earliest = now.getTime() - settings.backdateDays * 86_400_000;
    if (occurredAt.getTime() > now.getTime() + 60_000 || occurredAt.getTime() < earliest)
      throw new AppError('VISIT_TIME_INVALID', [{ path: '/body/occurredAt', message: `不能晚于现在，也不能早于 ${settings.backdateDays} 天前` }]);
  }
  const id = await db.transaction(async (em) => {
    const ent = await em.query(`SELECT 1 FROM enterprise WHERE id = $1 AND district_id = $2`, [b.enterpriseId, auth.districtId]);
    if (!ent.length) throw new AppError('VALIDATION_FAILED', [{ path: '/body/enterpriseId', message: '企业不存在或不属于本区县' }]);
    const off = await checkAssignment(em, auth, b.enterpriseId, settings.allowOffAssignment);
    const [row] = await em.query(
      `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, notes, problems, off_assignment, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$2) RETURNING id`,
      [auth.districtId, auth.id, b.enterpriseId, b.kind, b.kind === 'onsite' ? 'planned' : 'completed', occurredAt,
       b.notes ?? null, JSON.stringify(b.problems ?? []), off],
    );
    if (b.projectId) await linkToProject(em, 'visit', row.id, b.projectId, b.enterpriseId, auth.districtId);
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: 'visit.created', entityType: 'visit', entityId: row.id,
      data: { kind: b.kind, enterpriseId: b.enterpriseId, offAssignment: off, problems: b.problems?.length ?? 0 },
    });
    return row.id as string;
  });
  return presentVisit((await loadVisit(db, auth.districtId, id))!, 'full');
}

/** Locks the caller's own visit for a state change; anything else is simply not found. */
async function lockOwnVisit(em: EntityManager, auth: AuthUser, id: string) {
  const [v] = await em.query(
    `SELECT id, kind, status, enterprise_id, version FROM visit WHERE id = $1 AND district_id = $2 AND steward_id = $3 FOR UPDATE`,
    [id, auth.districtId, auth.id],
  );
  if (!v) throw new AppError('VISIT_NOT_FOUND');
  return v as { id: string; kind: Visit['kind']; status: Visit['status']; enterprise_id: string; version: number };
}

function converted(loc: CheckInBody['location'], path: string) {
  try {
    return toWgs84(loc.lat, loc.lng, loc.datum);
  } catch {
    throw new AppError('LOCATION_INVALID', [{ path, message: '坐标无效' }]);
  }
}

/**
 * The steward's latest check-in that still holds its point (the retention job nulls older ones), for the speed test.
 * Served by ix_visit_steward_located (migration 1765300000000): the older index reached it through every check-in the
 * steward ever made.
 */
export const PREVIOUS_LOCATED_CHECKIN_SQL = `SELECT id, checkin_at, checkin_lat, checkin_lng FROM visit
  WHERE steward_id = $1 AND checkin_at IS NOT NULL AND checkin_lat IS NOT NULL AND id <> $2 ORDER BY checkin_at DESC LIMIT 1`;

/**
 * 签到: the server stamps the time, converts the reported point to WGS-84, measures it against the enterprise's
 * location and the district's fence, and raises every plausibility flag that applies. Nothing is rejected for being
 * implausible — it is accepted, flagged and shown to coordinators. An enterprise without a location gets a location
 * proposal (one pending at a time) for a coordinator to confirm.
 */
export async function checkIn(db: DataSource, auth: AuthUser, id: string, b: CheckInBody): Promise<Visit> {
  assertSteward(auth);
  const point = converted(b.location, '/body/location');
  const settings = await getVisitSettings(db, auth.districtId);
  await db.transaction(async (em) => {
    // One check-in at a time per steward, so "the previous check-in" is well defined for the speed check.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('visit-checkin:' || $1))`, [auth.id]);
    const v = await lockOwnVisit(em, auth, id);
    if (v.kind !== 'onsite') throw new AppError('VISIT_KIND_INVALID', [{ path: '/params/id', message: '只有现场走访需要签到' }]);
    if (v.status === 'cancelled') throw new AppError('VISIT_CANCELLED');
    if (v.status !== 'planned') throw new AppError('VISIT_ALREADY_CHECKED_IN');
    // One open on-site visit per steward: the open one names its enterprise so the app can offer to check it out.
    const [open] = await em.query(
      `SELECT v.id, e.name FROM visit v JOIN enterprise e ON e.id = v.enterprise_id
        WHERE v.steward_id = $1 AND v.status = 'checked_in' AND v.kind = 'onsite' AND v.id <> $2 LIMIT 1`,
      [auth.id, id],
    );
    if (open) {
      throw new AppError('VISIT_ALREADY_OPEN', [{ path: `/visits/${open.id}`, message: `您在「${open.name}」的现场走访尚未签退，请先签退再签到` }],
        `您在「${open.name}」的现场走访尚未签退，请先签退再签到`);
    }

    const [photo] = await em.query(`SELECT id, sha256 FROM visit_photo WHERE id = $1 AND uploaded_by = $2`, [b.photoId, auth.id]);
    if (!photo) throw new AppError('PHOTO_REQUIRED', [{ path: '/body/photoId', message: '照片不存在，请重新拍摄上传' }]);
    const used = await em.query(`SELECT 1 FROM visit WHERE checkin_photo_id = $1`, [b.photoId]);
    if (used.length) throw new AppError('PHOTO_ALREADY_USED');
    const [reused] = await em.query(
      `SELECT v.id FROM visit v JOIN visit_photo p ON p.id = v.checkin_photo_id
        WHERE p.district_id = $1 AND p.sha256 = $2 AND v.id <> $3 ORDER BY v.checkin_at LIMIT 1`,
      [auth.districtId, photo.sha256, id],
    );
    const [ent] = await em.query(`SELECT id, name, lat, lng FROM enterprise WHERE id = $1`, [v.enterprise_id]);
    const [prev] = await em.query(PREVIOUS_LOCATED_CHECKIN_SQL, [auth.id, id]);
    const [{ now }] = await em.query(`SELECT now() AS now`);
    const at = new Date(now);
    const center = ent.lat === null ? null : { lat: ent.lat as number, lng: ent.lng as number };
    const a = assessCheckIn({
      point, at, accuracyM: b.accuracyM, enterpriseLocation: center, fenceRadiusM: settings.fenceRadiusM,
      previous: prev ? { point: { lat: prev.checkin_lat, lng: prev.checkin_lng }, at: new Date(prev.checkin_at) } : null,
      photoHashSeenBefore: !!reused,
    });
    const flags = a.flags;
    const distance = a.distanceM === null ? null : Math.round(a.distanceM);
    const inside = a.insideFence;
    const details: Record<string, unknown> = {};
    if (a.speedKmh !== null && prev) {
      details.previousVisitId = prev.id;
      details.speedKmh = Number.isFinite(a.speedKmh) ? Math.round(a.speedKmh * 10) / 10 : 'infinite';
    }
    if (reused) details.photoReusedFromVisitId = reused.id;
    if (flags.includes('low_accuracy')) details.accuracyM = b.accuracyM;
    if (flags.includes('outside_fence')) {
      // 外勤 is allowed, with a reason the coordinator reads when reviewing it.
      if (!b.offsiteReason?.trim()) throw new AppError('VISIT_OFFSITE_REASON_REQUIRED', [{ path: '/body/offsiteReason', message: `距企业约 ${distance ?? '—'} 米，请选择或填写外勤原因` }]);
      details.offsiteReason = b.offsiteReason.trim();
    }
    await em.query(
      `UPDATE visit SET status = 'checked_in', occurred_at = $2, checkin_at = $2, checkin_lat = $3, checkin_lng = $4,
          checkin_accuracy_m = $5, checkin_datum = $6, checkin_photo_id = $7, distance_m = $8, fence_radius_m = $9,
          inside_fence = $10, flags = $11, flag_details = $12, version = version + 1, updated_at = now()
        WHERE id = $1`,
      [id, at, point.lat, point.lng, b.accuracyM, b.location.datum, b.photoId, distance, settings.fenceRadiusM, inside, flags, JSON.stringify(details)],
    );
    if (!center) {
      const [proposal] = await em.query(
        `INSERT INTO enterprise_location_proposal (district_id, enterprise_id, visit_id, proposed_by, lat, lng, accuracy_m)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (enterprise_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
        [auth.districtId, v.enterprise_id, id, auth.id, point.lat, point.lng, b.accuracyM],
      );
      if (proposal) {
        const coordinators = await em.query(
          `SELECT id FROM person WHERE district_id = $1 AND 'coordinator' = ANY(roles) AND NOT disabled`, [auth.districtId],
        );
        await notify(em, {
          districtId: auth.districtId, personIds: coordinators.map((c: { id: string }) => c.id), kind: 'visit.location_proposal',
          title: '企业位置待确认', body: `${ent.name} 尚无坐标，管家现场签到时提交了位置，请核实确认。`,
          entityType: 'enterprise_location_proposal', entityId: proposal.id, dedupeKey: `location-proposal:${proposal.id}`,
        });
      }
    }
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: 'visit.checked_in', entityType: 'visit', entityId: id,
      data: { insideFence: inside, distanceM: distance, flags },
    });
  });
  return presentVisit((await loadVisit(db, auth.districtId, id))!, 'full');
}

/** 签退: closes an on-site visit; the point is optional (stored only when given), notes and problems may be filled in. */
export async function checkOut(db: DataSource, auth: AuthUser, id: string, b: CheckOutBody): Promise<Visit> {
  assertSteward(auth);
  const point = b.location ? converted(b.location, '/body/location') : null;
  await db.transaction(async (em) => {
    const v = await lockOwnVisit(em, auth, id);
    if (v.kind !== 'onsite') throw new AppError('VISIT_KIND_INVALID', [{ path: '/params/id', message: '只有现场走访需要签退' }]);
    if (v.status === 'cancelled') throw new AppError('VISIT_CANCELLED');
    if (v.status === 'planned') throw new AppError('VISIT_NOT_CHECKED_IN');
    if (v.status === 'completed') throw new AppError('VISIT_ALREADY_CHECKED_OUT');
    // A visit checked out within a minute of its check-in (a 0-minute visit) is flagged for review.
    await em.query(
      `UPDATE visit SET status = 'completed', checkout_at = now(), checkout_lat = $2, checkout_lng = $3, checkout_accuracy_m = $4,
          notes = COALESCE($5, notes), problems = COALESCE($6::jsonb, problems), version = version + 1, updated_at = now(),
          flags = CASE WHEN now() - checkin_at < make_interval(secs => $7) AND NOT 'short_visit' = ANY(flags) THEN flags || '{short_visit}'::text[] ELSE flags END
        WHERE id = $1`,
      [id, point?.lat ?? null, point?.lng ?? null, point ? b.accuracyM ?? null : null, b.notes ?? null, b.problems ? JSON.stringify(b.problems) : null, SHORT_VISIT_SECONDS],
    );
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit.checked_out', entityType: 'visit', entityId: id, data: { problems: b.problems?.length } });
  });
  return presentVisit((await loadVisit(db, auth.districtId, id))!, 'full');
}

/** Notes and problems can be completed after the fact by the steward (optimistic: the caller sends the version read). */
export async function updateVisit(db: DataSource, auth: AuthUser, id: string, b: VisitUpdate): Promise<Visit> {
  assertSteward(auth);
  await db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE visit SET notes = CASE WHEN $5 THEN $6 ELSE notes END, problems = COALESCE($7::jsonb, problems),
          version = version + 1, updated_at = now()
        WHERE id = $1 AND district_id = $2 AND steward_id = $3 AND version = $4 AND status <> 'cancelled' RETURNING id`,
      [id, auth.districtId, auth.id, b.version, b.notes !== undefined, b.notes ?? null, b.problems ? JSON.stringify(b.problems) : null],
    );
    if (!rows.length) {
      const [cur] = await em.query(`SELECT status FROM visit WHERE id = $1 AND district_id = $2 AND steward_id = $3`, [id, auth.districtId, auth.id]);
      if (!cur) throw new AppError('VISIT_NOT_FOUND');
      throw new AppError(cur.status === 'cancelled' ? 'VISIT_CANCELLED' : 'VERSION_CONFLICT');
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit.updated', entityType: 'visit', entityId: id, data: { notes: b.notes !== undefined, problems: b.problems?.length } });
  });
  return presentVisit((await loadVisit(db, auth.districtId, id))!, 'full');
}

/** Cancels an on-site visit that was planned but never checked in (a checked-in visit is evidence and stays). */
export async function cancelVisit(db: DataSource, auth: AuthUser, id: string): Promise<Visit> {
  assertSteward(auth);
  await db.transaction(async (em) => {
    const v = await lockOwnVisit(em, auth, id);
    if (v.status !== 'planned') throw new AppError('VISIT_NOT_PLANNED');
    await em.query(`UPDATE visit SET status = 'cancelled', version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit.cancelled', entityType: 'visit', entityId: id });
  });
  return presentVisit((await loadVisit(db, auth.districtId, id))!, 'full');
}

/**
 * A coordinator has looked at a flagged check-in (外勤, implausible travel, reused photo…) and notes the outcome:
 * 复核通过, or 驳回 with a reason (issue 13) — a rejected visit takes the status `rejected` and stops counting toward
 * the steward's contacts. Only a checked-out on-site visit can be rejected (an open one is still being made).
 */
export async function reviewVisit(db: DataSource, auth: AuthUser, id: string, note: string | undefined, verdict: 'approved' | 'rejected' = 'approved'): Promise<Visit> {
  const reason = note?.trim() || undefined;
  if (verdict === 'rejected' && (!reason || reason.length < 2)) throw new AppError('VISIT_REVIEW_REASON_REQUIRED', [{ path: '/body/note', message: '请填写驳回理由' }]);
  await db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE visit SET reviewed_by = $3, reviewed_at = now(), review_note = $4, version = version + 1, updated_at = now(),
              status = CASE WHEN $5 = 'rejected' THEN 'rejected' ELSE status END
        WHERE id = $1 AND district_id = $2 AND checkin_at IS NOT NULL
          AND (CASE WHEN $5 = 'rejected' THEN status = 'completed' AND kind = 'onsite' ELSE status <> 'rejected' END) RETURNING id`,
      [id, auth.districtId, auth.id, reason ?? null, verdict],
    );
    if (!rows.length) {
      const [v] = await em.query(`SELECT status, checkin_at FROM visit WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
      if (!v) throw new AppError('VISIT_NOT_FOUND');
      if (verdict === 'rejected' || v.status === 'rejected') throw new AppError('VISIT_NOT_REJECTABLE');
      throw new AppError('VISIT_NOT_CHECKED_IN');
    }
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: verdict === 'rejected' ? 'visit.rejected' : 'visit.reviewed', entityType: 'visit', entityId: id, data: { note: reason },
    });
  });
  return getVisit(db, auth, id);
}

/** One visit, as much of it as the caller may see; reading someone else's location is logged. */
export async function getVisit(db: DataSource, auth: AuthUser, id: string): Promise<Visit> {
  const row = await loadVisit(db, auth.districtId, id);
  const view = row ? visitView(auth, row) : null;
  if (!row || !view) throw new AppError('VISIT_NOT_FOUND');
  if (view === 'full' && row.steward_id !== auth.id && hasLocation(row)) await logLocationAccess(db, auth, 'visit.detail', [row.id]);
  return presentVisit(row, view, (await linkedTickets(db, [row.id])).get(row.id));
}

/**
 * Visits newest first with keyset paging. District-wide roles see the district, a steward their own visits, an
 * enterprise contact the visits to their enterprise (without locations); anyone else sees nothing.
 */
export async function listVisits(db: DataSource, auth: AuthUser, q: VisitListQuery): Promise<Page<Visit>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['v.district_id = $1'];
  if (!applyVisibility(where, visitVisibilitySql(auth, p))) return { items: [], nextCursor: null };
  pushVisitFilters(where, p, q);
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(v.occurred_at, v.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
  const rows: VisitRow[] = await db.query(
    `SELECT ${VISIT_SELECT} FROM ${VISIT_FROM} WHERE ${where.join(' AND ')} ORDER BY v.occurred_at DESC, v.id DESC LIMIT ${p(limit + 1)}`,
    params,
  );
  const page = toPage(rows, limit, (r) => [new Date(r.occurred_at).toISOString(), r.id]);
  const items = page.items.map((r) => ({ r, view: visitView(auth, r) ?? 'enterprise' }));
  const read = items.filter(({ r, view }) => view === 'full' && r.steward_id !== auth.id && hasLocation(r)).map(({ r }) => r.id);
  if (read.length) await logLocationAccess(db, auth, 'visit.list', read);
  const tickets = await linkedTickets(db, items.map(({ r }) => r.id));
  return { items: items.map(({ r, view }) => presentVisit(r, view, tickets.get(r.id))), nextCursor: page.nextCursor };
}
