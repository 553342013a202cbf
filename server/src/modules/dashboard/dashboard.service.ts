import type { DataSource } from 'typeorm';
import { addCalendarDays, periodBounds, shanghaiDate, startOfShanghaiDay, type DashboardMonth } from '@guanjia/shared';
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
