import type { DataSource } from 'typeorm';
import {
  CONTACT_STATUSES,
  calendarDaysBetween,
  endOfShanghaiDay,
  isLocalDate,
  monthlyParagraph,
  satisfactionRateOf,
  shanghaiDate,
  startOfShanghaiDay,
  type TicketStats,
  type VisitKind,
} from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { overdueSql, receivedSql } from '../../indicators/indicator-sql';
import { getIndicatorSettings } from '../../indicators/indicator-settings';
import type { AuthUser } from '../../../lib/principal';
import { rebuildIndicatorMonths, staleCalendarMonths } from '../../indicators/indicator-rollup';
import { enterprisesWithTickets, WHOLE_DISTRICT, type Period } from '../../indicators/indicators.service';

/**
 * Counts for reports: the figures of S0 and its siblings (诉求 by category, 已解决 vs 正在协调解决, 解决率),
 * over tickets submitted in a period of a district. "Solved" means the enterprise or the 回访 confirmed it by the end
 * of the period (or now, if earlier); withdrawn and merged tickets are counted apart and left out of the problems.
 */
export async function ticketStats(db: Pick<DataSource, 'query'>, auth: AuthUser, from: string, to: string, now = new Date()): Promise<TicketStats> {
  if (!isLocalDate(from) || !isLocalDate(to) || calendarDaysBetween(from, to) < 0 || calendarDaysBetween(from, to) > 3660)
    throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring', message: '起止日期不正确（最长 10 年）' }]);
  const start = startOfShanghaiDay(from);
  const end = endOfShanghaiDay(to);
  const asOf = end.getTime() < now.getTime() ? end : now;
  // Whole months of the period come from ticket_stat, kept by a trigger (ADR 0007, amended); the edges are counted
  // live. "Solved by the as-of instant" at month precision is exact when that instant is a month's end or now (nothing
  // is solved in the future); other periods are counted live. While the period runs to now, the months up to `to`
  // hold all their tickets so far, so the running month is whole too.
  const toNow = asOf === now;
  const exact = toNow || lastDay(`${to.slice(0, 7)}-01`) === to;
  const rolled = exact ? await rolledMonths(db, auth.districtId, from, to, toNow) : [];
  const live = liveRanges(start, new Date(end.getTime() + 1), rolled);
  const groups: (Sums & { id: string; name: string })[] = await db.query(
    `WITH x AS (
       SELECT t.category_id, t.state, t.is_handled, t.is_solved, date_trunc('month', t.solved_at AT TIME ZONE 'Asia/Shanghai')::date AS solved_month,
              t.escalation_level >= 2 AS escalated, t.verdict, 1 AS n, COALESCE(t.rating, 0) AS rating_sum, (t.rating IS NOT NULL)::int AS rating_n
         FROM unnest($2::timestamptz[], $3::timestamptz[]) r(a, b) JOIN ticket t ON t.district_id = $1 AND t.created_at >= r.a AND t.created_at < r.b
       UNION ALL
       SELECT category_id, state, is_handled, is_solved, solved_month, escalated, verdict, n, rating_sum, rating_n
         FROM ticket_stat WHERE district_id = $1 AND month = ANY($4::date[]))
     SELECT top.id, top.name,
            COALESCE(sum(n) FILTER (WHERE ${receivedSql('x')}), 0)::int AS total,
            COALESCE(sum(n) FILTER (WHERE is_solved AND solved_month <= $5::date), 0)::int AS solved,
            COALESCE(sum(n) FILTER (WHERE is_solved AND solved_month <= $5::date AND ${receivedSql('x')}), 0)::int AS solved_problems,
            COALESCE(sum(n) FILTER (WHERE is_handled AND ${receivedSql('x')}), 0)::int AS handled,
            COALESCE(sum(n) FILTER (WHERE state = 'withdrawn'), 0)::int AS withdrawn,
            COALESCE(sum(n) FILTER (WHERE state = 'merged'), 0)::int AS merged,
            COALESCE(sum(n) FILTER (WHERE escalated), 0)::int AS escalated,
            COALESCE(sum(n) FILTER (WHERE verdict = 'satisfied' AND ${receivedSql('x')}), 0)::int AS satisfied,
            COALESCE(sum(n) FILTER (WHERE verdict = 'basically_satisfied' AND ${receivedSql('x')}), 0)::int AS basically,
            COALESCE(sum(n) FILTER (WHERE verdict = 'dissatisfied' AND ${receivedSql('x')}), 0)::int AS dissatisfied,
            COALESCE(sum(rating_sum), 0)::int AS rating_sum, COALESCE(sum(rating_n), 0)::int AS rating_n
       FROM x JOIN ticket_category c ON c.id = x.category_id JOIN ticket_category top ON top.id = COALESCE(c.parent_id, c.id)
      GROUP BY top.id, top.name, top.sort_order ORDER BY top.sort_order, top.name`,
    [auth.districtId, live.map((r) => r[0]), live.map((r) => r[1]), rolled, `${shanghaiDate(asOf).slice(0, 7)}-01`],
  );
  // What the rollup cannot hold: distinct enterprises (the indicators' one rule), overdue as of the instant.
  const period: Period = { from, to, start, endEx: new Date(end.getTime() + 1), asOf: toNow ? now : new Date(end.getTime() + 1), now };
  const [enterprises, [extra]] = await Promise.all([
    enterprisesWithTickets(db, auth.districtId, period, WHOLE_DISTRICT),
    db.query(
      `SELECT (SELECT count(*) FROM ticket t WHERE t.district_id = $1 AND t.created_at BETWEEN $2 AND $3 AND ${overdueSql('$4')})::int AS overdue,
              (SELECT count(*) FROM supervision WHERE district_id = $1 AND issued_at BETWEEN $2 AND $3)::int AS supervisions`,
      [auth.districtId, start, end, asOf],
    ),
  ]);
  const sum = (k: keyof Sums) => groups.reduce((n, g) => n + g[k], 0);
  const tot = { total: sum('total'), solved: sum('solved'), handled: sum('handled'), satisfied: sum('satisfied'), basically: sum('basically'), dissatisfied: sum('dissatisfied') };
  const ratingN = sum('rating_n');
  // 满意率 as /stats/summary has it (one definition, the district's 基本满意 factor), as a fraction of 1.
  const { weights } = await getIndicatorSettings(db, auth.districtId);
  const satisfactionRate = satisfactionRateOf(tot.satisfied, tot.basically, tot.dissatisfied, weights);
  return {
    from, to,
    enterprises,
    total: tot.total,
    byCategory: groups.filter((g) => g.total > 0).map((c) => ({ category: { id: c.id, name: c.name }, count: c.total, solved: c.solved_problems })),
    solved: tot.solved,
    inProgress: tot.total - tot.solved,
    handled: tot.handled,
    solveRate: tot.total ? Math.round((tot.solved / tot.total) * 1000) / 1000 : null,
    withdrawn: sum('withdrawn'),
    merged: sum('merged'),
    overdue: extra.overdue,
    escalated: sum('escalated'),
    supervisions: extra.supervisions,
    satisfaction: {
      satisfied: tot.satisfied, basicallySatisfied: tot.basically, dissatisfied: tot.dissatisfied,
      rate: satisfactionRate === null ? null : Math.round(satisfactionRate * 10) / 1000,
      averageRating: ratingN === 0 ? null : Math.round((sum('rating_sum') / ratingN) * 100) / 100,
    },
  };
}

type Sums = { total: number; solved: number; solved_problems: number; handled: number; withdrawn: number; merged: number; escalated: number; satisfied: number; basically: number; dissatisfied: number; rating_sum: number; rating_n: number };

/** A margin for transactions that commit after their `updated_at` (the indicators' dirty months). */
const STAT_MARGIN = "interval '10 minutes'";
const MONTH_OF = `date_trunc('month', t.created_at AT TIME ZONE 'Asia/Shanghai')::date`;
const LOCK = `pg_advisory_xact_lock(hashtext('ticket_stat'), hashtext($1::text))`;
const STAT_COLUMNS = 'district_id, month, category_id, state, is_handled, is_solved, solved_month, escalated, verdict, n, rating_sum, rating_n';
const STAT_KEYS = 'district_id, month, category_id, state, is_handled, is_solved, solved_month, escalated, verdict';

/**
 * First days ('YYYY-MM-01') of the months of [from, to] that the rollup answers for this district: the whole months,
 * and while the period runs to now every month up to `to`. None until the job has built the district (a mark).
 */
async function rolledMonths(db: Pick<DataSource, 'query'>, districtId: string, from: string, to: string, toNow: boolean): Promise<string[]> {
  const months: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = nextMonth(m)) if (m >= from && (toNow || lastDay(m) <= to)) months.push(m);
  if (!months.length) return [];
  const [mark] = await db.query(`SELECT 1 FROM ticket_stat_mark WHERE district_id = $1`, [districtId]);
  return mark ? months : [];
}

/** [from, to) instants of the period not covered by the rolled-up months. */
function liveRanges(start: Date, endExclusive: Date, rolled: string[]): [Date, Date][] {
  const out: [Date, Date][] = [];
  let cur = start;
  for (const m of rolled) {
    const a = startOfShanghaiDay(m);
    if (a.getTime() > cur.getTime()) out.push([cur, a]);
    cur = startOfShanghaiDay(nextMonth(m));
  }
  if (cur.getTime() < endExclusive.getTime()) out.push([cur, endExclusive]);
  return out;
}

const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
};
const lastDay = (m: string) => shanghaiDate(new Date(startOfShanghaiDay(nextMonth(m)).getTime() - 1));

/**
 * The ticket-stats job. ticket_stat keeps itself (a trigger, ADR 0007 amended); a district the job has not seen yet
 * (new, or loaded with triggers off) has its rows rebuilt first. Then the indicators' closed-month rollup
 * (indicator_stat, ADR 0011) is rebuilt for the months in which a ticket changed since the last run (all on the first
 * run), one district at a time under an advisory lock, and the district's mark moves.
 */
export async function refreshTicketStats(db: DataSource): Promise<{ months: number }> {
  const districts: { id: string; refreshed_at: Date | null }[] = await db.query(
    `SELECT d.id, m.refreshed_at FROM district d LEFT JOIN ticket_stat_mark m ON m.district_id = d.id`,
  );
  let months = 0;
  for (const d of districts) {
    await db.transaction(async (em) => {
      await em.query(`SELECT ${LOCK}`, [d.id]);
      const [{ started }] = await em.query(`SELECT now() AS started`);
      const dirty: { m: string }[] = await em.query(
        `SELECT DISTINCT to_char(${MONTH_OF}, 'YYYY-MM-DD') AS m FROM ticket t
          WHERE t.district_id = $1 AND ($2::timestamptz IS NULL OR t.updated_at > $2::timestamptz - ${STAT_MARGIN})`,
        [d.id, d.refreshed_at],
      );
      const list = dirty.map((x) => x.m);
      if (!d.refreshed_at) await rebuildTicketStat(em, d.id);
      // plus the months whose working-day calendar changed since they were rolled up
      const stale = await staleCalendarMonths(em, d.id);
      await rebuildIndicatorMonths(em, d.id, [...new Set([...list, ...stale])].sort(), started);
      months += list.length;
      await em.query(
        `INSERT INTO ticket_stat_mark (district_id, refreshed_at) VALUES ($1, $2) ON CONFLICT (district_id) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at`,
        [d.id, started],
      );
    });
  }
  return { months };
}

/**
 * A district's ticket_stat rows from its tickets, in one statement: its one snapshot drops exactly the delta rows of
 * the writes it counts, so writes committing meanwhile (whose rows it neither sees nor deletes) stay counted once.
 * The caller holds the district's lock (the fold must not run in between). Then its enterprises' latest filings.
 */
async function rebuildTicketStat(em: Pick<DataSource, 'query'>, districtId: string): Promise<void> {
  await em.query(
    `WITH gone AS (DELETE FROM ticket_stat WHERE district_id = $1)
     INSERT INTO ticket_stat (${STAT_COLUMNS})
     SELECT t.district_id, ${MONTH_OF}, t.category_id, t.state, t.is_handled, t.is_solved, date_trunc('month', t.solved_at AT TIME ZONE 'Asia/Shanghai')::date,
            t.escalation_level >= 2, t.verdict, count(*), COALESCE(sum(t.rating), 0), count(t.rating)
       FROM ticket t WHERE t.district_id = $1
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    [districtId],
  );
  // The latest filings are rows the trigger updates in place: writes wait for the rebuild (readers do not), and a
  // write that changed its ticket before the lock has committed by the time the statement below takes its snapshot.
  await em.query(`LOCK TABLE ticket_enterprise_last IN EXCLUSIVE MODE`);
  await em.query(`DELETE FROM ticket_enterprise_last WHERE district_id = $1`, [districtId]);
  await em.query(
    `INSERT INTO ticket_enterprise_last (district_id, enterprise_id, last_at)
     SELECT $1, t.enterprise_id, max(t.created_at) FROM ticket t WHERE t.district_id = $1 AND ${receivedSql('t')} GROUP BY 2`,
    [districtId],
  );
  // …and each enterprise's filings by month of the year (migration 1765500000000), under the same rule
  await em.query(`LOCK TABLE ticket_enterprise_year IN EXCLUSIVE MODE`);
  await em.query(`SELECT ticket_enterprise_year_rebuild($1)`, [districtId]);
}

/**
 * Folds the delta rows the ticket writes appended: each month that received some is summed into one row per key
 * (dropping keys that sum to zero), one district per transaction under its lock. Rows appended by writes that commit
 * meanwhile are outside the statement's snapshot and wait for the next run. Returns the rows removed.
 */
export async function compactTicketStats(db: DataSource): Promise<number> {
  const targets: { district_id: string }[] = await db.query(`SELECT DISTINCT district_id FROM ticket_stat WHERE NOT folded`);
  let removed = 0;
  for (const t of targets) {
    removed += await db.transaction(async (em) => {
      await em.query(`SELECT ${LOCK}`, [t.district_id]);
      const [r] = await em.query(
        `WITH m AS (SELECT DISTINCT month FROM ticket_stat WHERE district_id = $1 AND NOT folded),
              d AS (DELETE FROM ticket_stat s USING m WHERE s.district_id = $1 AND s.month = m.month RETURNING s.*),
              s AS (INSERT INTO ticket_stat (${STAT_COLUMNS}, folded)
                    SELECT ${STAT_KEYS}, sum(n), sum(rating_sum), sum(rating_n), true FROM d
                     GROUP BY ${STAT_KEYS}
                    HAVING sum(n) <> 0 OR sum(rating_sum) <> 0 OR sum(rating_n) <> 0 RETURNING 1)
         SELECT (SELECT count(*) FROM d)::int - (SELECT count(*) FROM s)::int AS removed`,
        [t.district_id],
      );
      return r.removed as number;
    });
  }
  return removed;
}

/**
 * Contacts by channel (电话对接, 现场走访 …) from the steward visits of the period (CONTACT_STATUSES), by kind: the
 * whole months the visit rollup holds (ADR 0011, second amendment: a write to a closed month deletes its row in the
 * same transaction) from its district rows, the rest counted. Zero for every channel when the visits module is not
 * installed in this database.
 */
export async function contactsByChannel(db: Pick<DataSource, 'query'>, districtId: string, start: Date, end: Date): Promise<Partial<Record<VisitKind, number>>> {
  const [{ present }] = await db.query(`SELECT to_regclass('visit') IS NOT NULL AS present`);
  if (!present) return {};
  const endEx = new Date(end.getTime() + 1);
  const whole: string[] = [];
  for (let m = `${shanghaiDate(start).slice(0, 7)}-01`; startOfShanghaiDay(m) < endEx; m = nextMonth(m))
    if (startOfShanghaiDay(m) >= start && startOfShanghaiDay(nextMonth(m)) <= endEx) whole.push(m);
  const rolled: ({ month: string } & Record<VisitKind, number>)[] = whole.length ? await db.query(
    `SELECT to_char(m.month, 'YYYY-MM-DD') AS month, ${CHANNELS.map((k) => `COALESCE(s.${k}, 0)::int AS ${k}`).join(', ')}
       FROM visit_month m LEFT JOIN visit_month_stat s ON s.district_id = m.district_id AND s.month = m.month AND s.scope_kind = 'district'
      WHERE m.district_id = $1 AND m.month = ANY($2::date[]) ORDER BY m.month`,
    [districtId, whole],
  ) : [];
  const live = liveRanges(start, endEx, rolled.map((r) => r.month));
  const rows: { kind: VisitKind; n: number }[] = await db.query(
    `SELECT v.kind, count(*)::int AS n FROM unnest($2::timestamptz[], $3::timestamptz[]) r(a, b)
       JOIN visit v ON v.district_id = $1 AND v.occurred_at >= r.a AND v.occurred_at < r.b
      WHERE v.status = ANY($4) GROUP BY v.kind`,
    [districtId, live.map((r) => r[0]), live.map((r) => r[1]), CONTACT_STATUSES],
  );
  const out: Partial<Record<VisitKind, number>> = {};
  for (const r of rows) out[r.kind] = r.n;
  for (const r of rolled) for (const k of CHANNELS) out[k] = (out[k] ?? 0) + r[k];
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0));
}
const CHANNELS: VisitKind[] = ['onsite', 'phone', 'wechat', 'meeting'];

/**
 * The monthly report paragraph (S0's wording, shared/src/report/monthly-paragraph.ts) for a month, counted
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
