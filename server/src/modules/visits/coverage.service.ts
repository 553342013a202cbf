import type { DataSource, EntityManager } from 'typeorm';
import { CONTACT_STATUSES, toGcj02, type CheckinMapQuery, type CoverageQuery, type CoverageReport, type CoverageStats, type VisitKindValue } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { isDistrictWide, type AuthUser } from '../../plugins/auth';
import { logLocationAccess } from './location-access';
import { dayEnd, dayStart } from './period';

type Q = Pick<DataSource | EntityManager, 'query'>;

/** A contact counts once it happened (CONTACT_STATUSES, the same definition as the monthly report). */
const COUNTED = `v.status IN (${CONTACT_STATUSES.map((s) => `'${s}'`).join(',')})`;

function assertRange(from: string, to: string) {
  if (from > to) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/to', message: '结束日期不能早于开始日期' }]);
}

/** Contact counts for the monthly report (报告: "累计对接企业722次，其中：电话对接363次，现场走访359次"). */
export type ContactCounts = { total: number; phone: number; onsite: number; wechat: number; meeting: number; enterprisesContacted: number };

/**
 * Contacts of a district between two Shanghai dates (inclusive), by channel, and how many distinct enterprises they
 * reached. The monthly report (report module) calls this; the counting rule is the same as coverage's.
 */
export async function contactCounts(db: Q, districtId: string, from: string, to: string): Promise<ContactCounts> {
  const [r] = await db.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE v.kind = 'phone')::int AS phone,
            count(*) FILTER (WHERE v.kind = 'onsite')::int AS onsite,
            count(*) FILTER (WHERE v.kind = 'wechat')::int AS wechat,
            count(*) FILTER (WHERE v.kind = 'meeting')::int AS meeting,
            count(DISTINCT v.enterprise_id)::int AS enterprises
       FROM visit v WHERE v.district_id = $1 AND ${COUNTED} AND v.occurred_at >= $2 AND v.occurred_at < $3`,
    [districtId, dayStart(from), dayEnd(to)],
  );
  return { total: r.total, phone: r.phone, onsite: r.onsite, wechat: r.wechat, meeting: r.meeting, enterprisesContacted: r.enterprises };
}

type Acc = { assigned: Set<string>; contacted: Set<string>; contacts: number; byKind: Record<VisitKindValue, number>; inside: number; outside: number; unknown: number; problems: number; tickets: number };
const acc = (): Acc => ({ assigned: new Set(), contacted: new Set(), contacts: 0, byKind: { onsite: 0, phone: 0, wechat: 0, meeting: 0 }, inside: 0, outside: 0, unknown: 0, problems: 0, tickets: 0 });
const stats = (a: Acc): CoverageStats => ({
  assigned: a.assigned.size,
  contacted: a.contacted.size,
  coveragePct: a.assigned.size ? Math.round((a.contacted.size / a.assigned.size) * 1000) / 10 : null,
  contacts: a.contacts,
  byKind: a.byKind,
  onsiteInsideFence: a.inside,
  onsiteOutsideFence: a.outside,
  onsiteUnknownFence: a.unknown,
  problemsRaised: a.problems,
  ticketsRaised: a.tickets,
});

/**
 * Coverage for any period, per district, area (属地 of the enterprise) and steward: enterprises assigned during the
 * period, how many of them were contacted, coverage %, contacts by kind, on-site visits inside/outside the fence,
 * problems raised at visits. A steward's row counts only their own contacts with their own enterprises toward
 * `contacted`; an area's and the district's count anyone's contact. Filters narrow every grouping. Stewards see only
 * their own row.
 */
export async function coverageReport(db: DataSource, auth: AuthUser, q: CoverageQuery): Promise<CoverageReport> {
  assertRange(q.from, q.to);
  const own = !isDistrictWide(auth);
  if (own && !auth.roles.includes('steward')) throw new AppError('FORBIDDEN');
  const stewardId = own ? auth.id : q.stewardId;
  // assignments overlapping [from, to]
  const ap: unknown[] = [auth.districtId, q.from, q.to];
  const aw = [`s.district_id = $1`, `s.starts_on <= $3::date`, `(s.ends_on IS NULL OR s.ends_on >= $2::date)`];
  // contacts that happened in [from, to]
  const vp: unknown[] = [auth.districtId, dayStart(q.from), dayEnd(q.to)];
  const vw = [`v.district_id = $1`, COUNTED, `v.occurred_at >= $2`, `v.occurred_at < $3`];
  if (q.areaId) {
    aw.push(`e.area_id = $${ap.push(q.areaId)}`);
    vw.push(`e.area_id = $${vp.push(q.areaId)}`);
  }
  if (stewardId) {
    aw.push(`s.steward_id = $${ap.push(stewardId)}`);
    vw.push(`v.steward_id = $${vp.push(stewardId)}`);
  }
  const [assignments, visits] = await Promise.all([
    db.query(
      `SELECT DISTINCT s.steward_id, st.name AS steward_name, s.enterprise_id, e.area_id, a.name AS area_name
         FROM assignment s JOIN enterprise e ON e.id = s.enterprise_id JOIN person st ON st.id = s.steward_id JOIN area a ON a.id = e.area_id
        WHERE ${aw.join(' AND ')}`,
      ap,
    ) as Promise<{ steward_id: string; steward_name: string; enterprise_id: string; area_id: string; area_name: string }[]>,
    db.query(
      `SELECT v.steward_id, st.name AS steward_name, v.enterprise_id, e.area_id, a.name AS area_name, v.kind, v.inside_fence,
              count(*)::int AS n, COALESCE(sum(v.problem_count), 0)::int AS problems, COALESCE(sum(tk.n), 0)::int AS tickets
         FROM visit v JOIN enterprise e ON e.id = v.enterprise_id JOIN person st ON st.id = v.steward_id JOIN area a ON a.id = e.area_id
         LEFT JOIN LATERAL (SELECT count(*) AS n FROM ticket t WHERE t.source_visit_id = v.id) tk ON true
        WHERE ${vw.join(' AND ')}
        GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      vp,
    ) as Promise<{ steward_id: string; steward_name: string; enterprise_id: string; area_id: string; area_name: string; kind: VisitKindValue; inside_fence: boolean | null; n: number; problems: number; tickets: number }[]>,
  ]);
  const district = acc();
  const areas = new Map<string, { name: string; a: Acc }>();
  const stewards = new Map<string, { name: string; a: Acc }>();
  const area = (id: string, name: string) => (areas.get(id) ?? areas.set(id, { name, a: acc() }).get(id)!).a;
  const steward = (id: string, name: string) => (stewards.get(id) ?? stewards.set(id, { name, a: acc() }).get(id)!).a;
  const assignedPairs = new Set<string>();
  for (const r of assignments) {
    assignedPairs.add(`${r.steward_id}:${r.enterprise_id}`);
    district.assigned.add(r.enterprise_id);
    area(r.area_id, r.area_name).assigned.add(r.enterprise_id);
    steward(r.steward_id, r.steward_name).assigned.add(r.enterprise_id);
  }
  for (const r of visits) {
    for (const [target, mayCount] of [
      [district, district.assigned.has(r.enterprise_id)],
      [area(r.area_id, r.area_name), true],
      [steward(r.steward_id, r.steward_name), assignedPairs.has(`${r.steward_id}:${r.enterprise_id}`)],
    ] as [Acc, boolean][]) {
      if (mayCount && target.assigned.has(r.enterprise_id)) target.contacted.add(r.enterprise_id);
      target.contacts += r.n;
      target.byKind[r.kind] += r.n;
      target.problems += r.problems;
      target.tickets += r.tickets;
      if (r.kind === 'onsite') {
        if (r.inside_fence === true) target.inside += r.n;
        else if (r.inside_fence === false) target.outside += r.n;
        else target.unknown += r.n;
      }
    }
  }
  const byName = <T extends { name: string }>(m: Map<string, T>) => [...m.entries()].sort((x, y) => x[1].name.localeCompare(y[1].name, 'zh'));
  return {
    from: q.from,
    to: q.to,
    district: own ? null : stats(district),
    byArea: own ? [] : byName(areas).map(([id, v]) => ({ area: { id, name: v.name }, ...stats(v.a) })),
    bySteward: byName(stewards).map(([id, v]) => ({ steward: { id, name: v.name }, ...stats(v.a) })),
  };
}

/**
 * Check-ins of a period as GeoJSON points for the coordinator's map, in WGS-84 (the GeoJSON standard) or GCJ-02 (for
 * Chinese base maps). Reading them is logged (PIPL art. 28). Purged locations are simply absent.
 */
export async function checkinMap(db: DataSource, auth: AuthUser, q: CheckinMapQuery) {
  assertRange(q.from, q.to);
  const limit = q.limit ?? 2000;
  const datum = q.datum ?? 'wgs84';
  const params: unknown[] = [auth.districtId, dayStart(q.from), dayEnd(q.to)];
  const where = [`v.district_id = $1`, `v.checkin_at >= $2`, `v.checkin_at < $3`, `v.checkin_lat IS NOT NULL`];
  if (q.areaId) where.push(`e.area_id = $${params.push(q.areaId)}`);
  if (q.stewardId) where.push(`v.steward_id = $${params.push(q.stewardId)}`);
  const rows = await db.query(
    `SELECT v.id, v.steward_id, st.name AS steward_name, v.enterprise_id, e.name AS enterprise_name, v.checkin_at, v.checkin_lat, v.checkin_lng,
            v.checkin_accuracy_m, v.inside_fence, v.distance_m, v.flags
       FROM visit v JOIN enterprise e ON e.id = v.enterprise_id JOIN person st ON st.id = v.steward_id
      WHERE ${where.join(' AND ')} ORDER BY v.checkin_at DESC, v.id DESC LIMIT $${params.push(limit + 1)}`,
    params,
  );
  const truncated = rows.length > limit;
  const kept = truncated ? rows.slice(0, limit) : rows;
  await logLocationAccess(db, auth, 'visit.map', kept.map((r: { id: string }) => r.id));
  return {
    type: 'FeatureCollection' as const,
    datum,
    truncated,
    features: kept.map((r: Record<string, any>) => {
      const pt = datum === 'gcj02' ? toGcj02(r.checkin_lat, r.checkin_lng) : { lat: r.checkin_lat as number, lng: r.checkin_lng as number };
      return {
        type: 'Feature' as const,
        id: r.id as string,
        geometry: { type: 'Point' as const, coordinates: [pt.lng, pt.lat] },
        properties: {
          visitId: r.id as string,
          steward: { id: r.steward_id as string, name: r.steward_name as string },
          enterprise: { id: r.enterprise_id as string, name: r.enterprise_name as string },
          checkedInAt: new Date(r.checkin_at).toISOString(),
          insideFence: r.inside_fence as boolean | null,
          distanceM: r.distance_m as number | null,
          accuracyM: r.checkin_accuracy_m as number | null,
          flags: r.flags,
        },
      };
    }),
  };
}
