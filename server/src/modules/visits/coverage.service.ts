import type { DataSource, EntityManager } from 'typeorm';
import { CONTACT_STATUSES, toGcj02, type CheckinMapQuery, type CoverageQuery, type CoverageReport, type CoverageStats } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { AppError } from '../../lib/app-error';
import { badCursor, decodeCursor, toPage, UUID } from '../../lib/keyset';
import type { AuthUser } from '../../lib/principal';
import { coverageScope } from './visit.policy';
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

/** One grouping's figures as the SQL below returns them (json). */
type StatsJson = {
  assigned: number; contacted: number; contacts: number; onsite: number; phone: number; wechat: number; meeting: number;
  inside: number; outside: number; unknown: number; problems: number; tickets: number;
};
const ZERO: StatsJson = { assigned: 0, contacted: 0, contacts: 0, onsite: 0, phone: 0, wechat: 0, meeting: 0, inside: 0, outside: 0, unknown: 0, problems: 0, tickets: 0 };
const stats = (a: StatsJson): CoverageStats => ({
  assigned: a.assigned,
  contacted: a.contacted,
  coveragePct: a.assigned ? Math.round((a.contacted / a.assigned) * 1000) / 10 : null,
  contacts: a.contacts,
  byKind: { onsite: a.onsite, phone: a.phone, wechat: a.wechat, meeting: a.meeting },
  onsiteInsideFence: a.inside,
  onsiteOutsideFence: a.outside,
  onsiteUnknownFence: a.unknown,
  problemsRaised: a.problems,
  ticketsRaised: a.tickets,
});

/** Aggregates of the contacts CTE `v` grouped by `k`. */
const VISIT_AGG = `count(*)::int AS contacts,
  count(*) FILTER (WHERE kind = 'onsite')::int AS onsite, count(*) FILTER (WHERE kind = 'phone')::int AS phone,
  count(*) FILTER (WHERE kind = 'wechat')::int AS wechat, count(*) FILTER (WHERE kind = 'meeting')::int AS meeting,
  count(*) FILTER (WHERE kind = 'onsite' AND inside_fence)::int AS inside,
  count(*) FILTER (WHERE kind = 'onsite' AND NOT inside_fence)::int AS outside,
  count(*) FILTER (WHERE kind = 'onsite' AND inside_fence IS NULL)::int AS unknown,
  COALESCE(sum(problem_count), 0)::int AS problems, COALESCE(sum(tickets), 0)::int AS tickets`;
const STAT_COLS = ['contacts', 'onsite', 'phone', 'wechat', 'meeting', 'inside', 'outside', 'unknown', 'problems', 'tickets']
  .map((c) => `COALESCE(va.${c}, 0) AS ${c}`).join(', ');

/**
 * Coverage for any period, per district, area (属地 of the enterprise) and steward: enterprises assigned during the
 * period, how many of them were contacted, coverage %, contacts by kind, on-site visits inside/outside the fence,
 * problems raised at visits. A steward's row counts only their own contacts with their own enterprises toward
 * `contacted`; an area's and the district's count anyone's contact. Filters narrow every grouping. Stewards see only
 * their own row.
 *
 * Everything is aggregated in one SQL statement (docs/benchmarks.md: 46 s and 27 MB at 100 k enterprises when JavaScript grouped
 * every row): the areas over the whole scope (the district is their sum: an enterprise lies in one area), the stewards
 * one keyset page at a time by (name, id).
 */
export async function coverageReport(db: DataSource, auth: AuthUser, q: CoverageQuery): Promise<CoverageReport> {
  assertRange(q.from, q.to);
  const scope = coverageScope(auth, q.stewardId);
  if (!scope) throw new AppError('FORBIDDEN');
  const { own, stewardId } = scope;
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) throw badCursor();
  const { params, p: bind } = sqlParams([auth.districtId, q.from, q.to, dayStart(q.from), dayEnd(q.to)]);
  // assignments overlapping [from, to]; contacts that happened in [from, to]
  const aw = [`s.district_id = $1`, `s.starts_on <= $3::date`, `(s.ends_on IS NULL OR s.ends_on >= $2::date)`];
  const vw = [`v.district_id = $1`, COUNTED, `v.occurred_at >= $4`, `v.occurred_at < $5`];
  // the enterprises of the assignments: the whole district's, or one area's
  const ew = [`e.district_id = $1`];
  if (q.areaId) {
    const area = bind(q.areaId);
    ew.push(`e.area_id = ${area}`);
    vw.push(`e.area_id = ${area}`);
  }
  if (stewardId) {
    const steward = bind(stewardId);
    aw.push(`s.steward_id = ${steward}`);
    vw.push(`v.steward_id = ${steward}`);
  }
  // The enterprise (for its area) is joined only to filter by area: the stewards' counts need the pairs alone.
  const aFrom = q.areaId ? `assignment s JOIN enterprise e ON e.id = s.enterprise_id WHERE ${[...aw, ...ew].join(' AND ')}` : `assignment s WHERE ${aw.join(' AND ')}`;
  const keyset = after ? `WHERE (st.name, st.id) > (${bind(after[0])}, ${bind(after[1])}::uuid)` : '';
  const lim = bind(limit + 1);
  const [row] = await db.query(
    // no DISTINCT on a: every use counts DISTINCT enterprises (a renewed assignment may repeat a pair)
    `WITH a AS MATERIALIZED (SELECT s.steward_id, s.enterprise_id FROM ${aFrom}),
     v AS MATERIALIZED (
       SELECT v.steward_id, v.enterprise_id, e.area_id, v.kind, v.inside_fence, v.problem_count,
              (SELECT count(*) FROM ticket t WHERE t.source_visit_id = v.id) AS tickets
         FROM visit v JOIN enterprise e ON e.id = v.enterprise_id WHERE ${vw.join(' AND ')}),
     -- each enterprise once (a semi-join, no count(DISTINCT) sorting every assignment): it lies in one area
     area_a AS (
       SELECT e.area_id AS k, count(*)::int AS assigned, count(c.enterprise_id)::int AS contacted
         FROM enterprise e LEFT JOIN (SELECT DISTINCT enterprise_id FROM v) c ON c.enterprise_id = e.id
        WHERE ${ew.join(' AND ')} AND EXISTS (SELECT 1 FROM assignment s WHERE s.enterprise_id = e.id AND ${aw.join(' AND ')})
        GROUP BY 1),
     area_v AS (SELECT area_id AS k, ${VISIT_AGG} FROM v GROUP BY 1),
     st_a AS (
       SELECT a.steward_id AS k, count(DISTINCT a.enterprise_id)::int AS assigned,
              count(DISTINCT a.enterprise_id) FILTER (WHERE c.enterprise_id IS NOT NULL)::int AS contacted
         FROM a LEFT JOIN (SELECT DISTINCT steward_id, enterprise_id FROM v) c ON c.steward_id = a.steward_id AND c.enterprise_id = a.enterprise_id
        GROUP BY 1),
     st_v AS (SELECT steward_id AS k, ${VISIT_AGG} FROM v GROUP BY 1),
     st_page AS (
       SELECT st.id, st.name, COALESCE(aa.assigned, 0) AS assigned, COALESCE(aa.contacted, 0) AS contacted, ${STAT_COLS}
         FROM st_a aa FULL JOIN st_v va USING (k) JOIN person st ON st.id = k
         ${keyset} ORDER BY st.name, st.id LIMIT ${lim})
     SELECT
       (SELECT COALESCE(json_agg(x ORDER BY x.name, x.id), '[]') FROM (
          SELECT ar.id, ar.name, COALESCE(aa.assigned, 0) AS assigned, COALESCE(aa.contacted, 0) AS contacted, ${STAT_COLS}
            FROM area_a aa FULL JOIN area_v va USING (k) JOIN area ar ON ar.id = k) x) AS areas,
       (SELECT COALESCE(json_agg(x ORDER BY x.name, x.id), '[]') FROM st_page x) AS stewards`,
    params,
  );
  const areas = row.areas as (StatsJson & { id: string; name: string })[];
  const page = toPage(row.stewards as (StatsJson & { id: string; name: string })[], limit, (r) => [r.name, r.id]);
  const district = areas.reduce((sum, a) => {
    const out = { ...sum };
    for (const key of Object.keys(ZERO) as (keyof StatsJson)[]) out[key] += a[key];
    return out;
  }, ZERO);
  return {
    from: q.from,
    to: q.to,
    district: own ? null : stats(district),
    byArea: own ? [] : areas.map((a) => ({ area: { id: a.id, name: a.name }, ...stats(a) })),
    bySteward: page.items.map((s) => ({ steward: { id: s.id, name: s.name }, ...stats(s) })),
    nextCursor: page.nextCursor,
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
  const { params, p } = sqlParams([auth.districtId, dayStart(q.from), dayEnd(q.to)]);
  const where = [`v.district_id = $1`, `v.checkin_at >= $2`, `v.checkin_at < $3`, `v.checkin_lat IS NOT NULL`];
  if (q.areaId) where.push(`e.area_id = ${p(q.areaId)}`);
  if (q.stewardId) where.push(`v.steward_id = ${p(q.stewardId)}`);
  const rows = await db.query(
    `SELECT v.id, v.steward_id, st.name AS steward_name, v.enterprise_id, e.name AS enterprise_name, v.checkin_at, v.checkin_lat, v.checkin_lng,
            v.checkin_accuracy_m, v.inside_fence, v.distance_m, v.flags
       FROM visit v JOIN enterprise e ON e.id = v.enterprise_id JOIN person st ON st.id = v.steward_id
      WHERE ${where.join(' AND ')} ORDER BY v.checkin_at DESC, v.id DESC LIMIT ${p(limit + 1)}`,
    params,
  );
  const truncated = rows.length > limit;
  const kept = truncated ? rows.slice(0, limit) : rows;
  await logLocationAccess(db, auth, 'visit.map', kept.map((r: { id: string }) => r.id));
  return {
    type: 'FeatureCollection' as const,
    datum,
    truncated,
    features: kept.map((r: {
      id: string; steward_id: string; steward_name: string; enterprise_id: string; enterprise_name: string; checkin_at: Date;
      checkin_lat: number; checkin_lng: number; checkin_accuracy_m: number | null; inside_fence: boolean | null; distance_m: number | null; flags: string[];
    }) => {
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
