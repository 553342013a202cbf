import type { DataSource } from 'typeorm';
import { addCalendarDays, CONTACT_STATUSES, periodBounds, shanghaiDate, startOfShanghaiDay, type DashboardMonth, type DashboardVisitMap } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { overdueSql, receivedSql, solvedSql } from '../indicators/indicator-sql';

/**
 * The month at a glance: 诉求 by week and the department ranking, each one SQL aggregate over the month's tickets
 * (ix on (district_id, created_at)). Categories, contacts by area and project lights come from the existing
 * endpoints (/ticket-stats, /visits/coverage, /project-stats). "Received", "solved" (before the month's end, or now
 * while it runs) and "overdue" are the indicators' own conditions (indicator-sql.ts), so these numbers agree with
 * /stats/*.
 */
export async function dashboardMonth(db: Pick<DataSource, 'query'>, auth: AuthUser, month: string, now = new Date()): Promise<DashboardMonth> {
  const { start, end } = periodBounds(startOfShanghaiDay(`${month}-01`), 'month');
  const from = shanghaiDate(start);
  const to = shanghaiDate(new Date(end.getTime() - 1));
  const asOf = end.getTime() < now.getTime() ? end : now;
  const weeks: { week_start: string; received: number; solved: number }[] = await db.query(
    `SELECT to_char(date_trunc('week', t.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS week_start,
            count(*)::int AS received, count(*) FILTER (WHERE ${solvedSql('$4')})::int AS solved
     FROM ticket t WHERE t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND ${receivedSql()}
     GROUP BY 1`,
    [auth.districtId, start, end, asOf],
  );
  const byWeek = new Map(weeks.map((w) => [w.week_start, w]));
  // Every week touching the month, empty ones included (a chart needs the gaps), Monday-based like date_trunc.
  const out: DashboardMonth['weeks'] = [];
  const dow = (new Date(`${from}T00:00:00Z`).getUTCDay() + 6) % 7;
  for (let ws = addCalendarDays(from, -dow); ws <= to; ws = addCalendarDays(ws, 7)) {
    const w = byWeek.get(ws);
    const we = addCalendarDays(ws, 6);
    out.push({ weekStart: ws, from: ws < from ? from : ws, to: we > to ? to : we, received: w?.received ?? 0, solved: w?.solved ?? 0 });
  }
  const deps: { id: string; name: string; received: number; solved: number; overdue: number }[] = await db.query(
    `SELECT d.id, d.name, count(t.id)::int AS received, count(t.id) FILTER (WHERE ${solvedSql('$5')})::int AS solved,
            count(t.id) FILTER (WHERE ${overdueSql('$4')})::int AS overdue
     FROM department d
     LEFT JOIN ticket t ON t.lead_department_id = d.id AND t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND ${receivedSql()}
     WHERE d.district_id = $1 AND d.active
     GROUP BY d.id, d.name`,
    [auth.districtId, start, end, now, asOf],
  );
  const departments = deps.map((d) => ({
    department: { id: d.id, name: d.name }, received: d.received, solved: d.solved, overdue: d.overdue,
    solveRate: d.received ? Math.round((d.solved / d.received) * 1000) / 1000 : null,
  }));
  departments.sort((a, b) => (b.solveRate ?? -1) - (a.solveRate ?? -1) || b.received - a.received || a.department.name.localeCompare(b.department.name, 'zh'));
  return { month, from, to, weeks: out, departments };
}

/**
 * The visits map: every area of the caller's district (bounded by the district's areas, at most MAP_AREAS) with its
 * centre — the mean of its located enterprises' coordinates (WGS-84), null when none is located — and the month's
 * check-ins: on-site visits that happened in the month and were checked in (a counted contact of kind onsite, the
 * coverage report's `byKind.onsite` of the area), by the enterprise's area. Two aggregates in one statement.
 */
export const MAP_AREAS = 500;
export async function dashboardVisitMap(db: Pick<DataSource, 'query'>, auth: AuthUser, month: string): Promise<DashboardVisitMap> {
  const { start, end } = periodBounds(startOfShanghaiDay(`${month}-01`), 'month');
  const { params, p } = sqlParams([auth.districtId, start, end]);
  const rows: { id: string; name: string; lat: number | null; lng: number | null; located: number; checkins: number }[] = await db.query(
    `WITH c AS (
       SELECT e.area_id, count(*)::int AS n
         FROM visit v JOIN enterprise e ON e.id = v.enterprise_id
        WHERE v.district_id = $1 AND v.kind = 'onsite' AND v.status IN (${CONTACT_STATUSES.map((s) => p(s)).join(', ')})
          AND v.occurred_at >= $2 AND v.occurred_at < $3
        GROUP BY 1),
     g AS (
       SELECT e.area_id, avg(e.lat) AS lat, avg(e.lng) AS lng, count(*)::int AS n
         FROM enterprise e WHERE e.district_id = $1 AND e.lat IS NOT NULL GROUP BY 1)
     SELECT a.id, a.name, g.lat, g.lng, COALESCE(g.n, 0) AS located, COALESCE(c.n, 0) AS checkins
       FROM area a LEFT JOIN g ON g.area_id = a.id LEFT JOIN c ON c.area_id = a.id
      WHERE a.district_id = $1 ORDER BY a.code, a.id LIMIT ${p(MAP_AREAS)}`,
    params,
  );
  return {
    month, from: shanghaiDate(start), to: shanghaiDate(new Date(end.getTime() - 1)),
    areas: rows.map((r) => ({
      area: { id: r.id, name: r.name },
      center: r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
      locatedEnterprises: r.located, checkins: r.checkins,
    })),
  };
}
