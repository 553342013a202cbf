import type { DataSource } from 'typeorm';
import {
  CONTACT_STATUSES,
  calendarDaysBetween,
  endOfShanghaiDay,
  isLocalDate,
  monthlyParagraph,
  shanghaiDate,
  startOfShanghaiDay,
  type TicketStats,
  type VisitKind,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../plugins/auth';

/**
 * Counts for reports: the figures of seed 000 and its siblings (诉求 by category, 已解决 vs 正在协调解决, 解决率),
 * over tickets submitted in a period of a district. "Solved" means the enterprise or the 回访 confirmed it by the end
 * of the period (or now, if earlier); withdrawn and merged tickets are counted apart and left out of the problems.
 */
export async function ticketStats(db: Pick<DataSource, 'query'>, auth: AuthUser, from: string, to: string, now = new Date()): Promise<TicketStats> {
  if (!isLocalDate(from) || !isLocalDate(to) || calendarDaysBetween(from, to) < 0 || calendarDaysBetween(from, to) > 3660)
    throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring', message: '起止日期不正确（最长 10 年）' }]);
  const start = startOfShanghaiDay(from);
  const end = endOfShanghaiDay(to);
  const asOf = end.getTime() < now.getTime() ? end : now;
  const params = [auth.districtId, start, end, asOf];
  const base = `FROM ticket t WHERE t.district_id = $1 AND t.created_at BETWEEN $2 AND $3`;
  const solvedSql = `(t.is_solved AND t.solved_at <= $4)`;
  const [tot] = await db.query(
    `SELECT count(*) FILTER (WHERE t.state NOT IN ('withdrawn','merged'))::int AS total,
            count(DISTINCT t.enterprise_id) FILTER (WHERE t.state NOT IN ('withdrawn','merged'))::int AS enterprises,
            count(*) FILTER (WHERE ${solvedSql})::int AS solved,
            count(*) FILTER (WHERE t.is_handled AND t.state NOT IN ('withdrawn','merged'))::int AS handled,
            count(*) FILTER (WHERE t.state = 'withdrawn')::int AS withdrawn,
            count(*) FILTER (WHERE t.state = 'merged')::int AS merged,
            count(*) FILTER (WHERE (t.state = 'assigned' AND t.accept_due_at < $4) OR (t.state IN ('assigned','accepted','in_progress') AND t.reply_due_at < $4))::int AS overdue,
            count(*) FILTER (WHERE t.escalation_level >= 2)::int AS escalated,
            count(*) FILTER (WHERE t.verdict = 'satisfied')::int AS satisfied,
            count(*) FILTER (WHERE t.verdict = 'basically_satisfied')::int AS basically,
            count(*) FILTER (WHERE t.verdict = 'dissatisfied')::int AS dissatisfied,
            avg(t.rating)::float8 AS avg_rating
       ${base}`,
    params,
  );
  const byCategory: { id: string; name: string; count: number; solved: number }[] = await db.query(
    `SELECT top.id, top.name, count(*)::int AS count, count(*) FILTER (WHERE ${solvedSql})::int AS solved
       FROM ticket t JOIN ticket_category c ON c.id = t.category_id JOIN ticket_category top ON top.id = COALESCE(c.parent_id, c.id)
      WHERE t.district_id = $1 AND t.created_at BETWEEN $2 AND $3 AND t.state NOT IN ('withdrawn','merged')
      GROUP BY top.id, top.name, top.sort_order ORDER BY top.sort_order, top.name`,
    params,
  );
  const [sup] = await db.query(`SELECT count(*)::int AS n FROM supervision WHERE district_id = $1 AND issued_at BETWEEN $2 AND $3`, [auth.districtId, start, end]);
  const rated = tot.satisfied + tot.basically + tot.dissatisfied;
  return {
    from, to,
    enterprises: tot.enterprises,
    total: tot.total,
    byCategory: byCategory.map((c) => ({ category: { id: c.id, name: c.name }, count: c.count, solved: c.solved })),
    solved: tot.solved,
    inProgress: tot.total - tot.solved,
    handled: tot.handled,
    solveRate: tot.total ? Math.round((tot.solved / tot.total) * 1000) / 1000 : null,
    withdrawn: tot.withdrawn,
    merged: tot.merged,
    overdue: tot.overdue,
    escalated: tot.escalated,
    supervisions: sup.n,
    satisfaction: {
      satisfied: tot.satisfied, basicallySatisfied: tot.basically, dissatisfied: tot.dissatisfied,
      rate: rated ? Math.round(((tot.satisfied + tot.basically) / rated) * 1000) / 1000 : null,
      averageRating: tot.avg_rating === null ? null : Math.round(tot.avg_rating * 100) / 100,
    },
  };
}

/**
 * Contacts by channel (电话对接, 现场走访 …) from the steward visits of the period (CONTACT_STATUSES), by kind. Zero
 * for every channel when the visits module is not installed in this database.
 */
export async function contactsByChannel(db: Pick<DataSource, 'query'>, districtId: string, start: Date, end: Date): Promise<Partial<Record<VisitKind, number>>> {
  const [{ present }] = await db.query(`SELECT to_regclass('visit') IS NOT NULL AS present`);
  if (!present) return {};
  const rows: { kind: VisitKind; n: number }[] = await db.query(
    `SELECT kind, count(*)::int AS n FROM visit WHERE district_id = $1 AND status = ANY($4) AND occurred_at BETWEEN $2 AND $3 GROUP BY kind`,
    [districtId, start, end, CONTACT_STATUSES],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/**
 * The monthly report paragraph (seed 000's wording, shared/src/report/monthly-paragraph.ts) for a month, counted
 * from the first of January (累计, the usual "截至目前" figure) or over the month alone.
 */
export async function monthlyReport(db: Pick<DataSource, 'query'>, auth: AuthUser, q: { month: string; cumulative?: boolean; stewardTerm?: string }, now = new Date()) {
  const m = /^(\d{4})-(\d{2})$/.exec(q.month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring/month', message: '月份格式应为 YYYY-MM' }]);
  const monthStart = `${q.month}-01`;
  const nextMonth = Number(m[2]) === 12 ? `${Number(m[1]) + 1}-01-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}-01`;
  const monthEnd = shanghaiDate(new Date(startOfShanghaiDay(nextMonth).getTime() - 1));
  const from = q.cumulative === false ? monthStart : `${m[1]}-01-01`;
  const stats = await ticketStats(db, auth, from, monthEnd, now);
  const contacts = await contactsByChannel(db, auth.districtId, startOfShanghaiDay(from), endOfShanghaiDay(monthEnd));
  const ended = endOfShanghaiDay(monthEnd).getTime() < now.getTime();
  const asOf = q.cumulative === false ? `${Number(m[2])}月份` : ended ? `截至${Number(m[2])}月底` : '截至目前';
  const paragraph = monthlyParagraph({
    stewardTerm: q.stewardTerm,
    asOf,
    contacts,
    enterprisesWithRequests: stats.enterprises,
    requestsByCategory: stats.byCategory.map((c) => ({ category: c.category.name, count: c.count })),
    solved: stats.solved,
    inProgress: stats.inProgress,
  });
  return { month: q.month, from, to: monthEnd, paragraph, contacts, stats };
}
