import { addCalendarDays, isWorkingDay, shanghaiDate, startOfShanghaiDay, type IndicatorCounts, type StatsDimension } from '@guanjia/shared';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { sqlParams, type Queryable } from '../../lib/sql';
import { overdueSql, receivedSql, solvedSql } from './indicator-sql';
import type { Period, Scope } from './indicators.service';

/**
 * The closed-month rollup of the indicator counts (ADR 0011, amended). `indicator_stat` holds, per district and
 * creation month (Asia/Shanghai), for each combination of the four grouping keys (category, area, lead department,
 * filing steward), every count of `ticketCounts` except overdue — computed by the same SQL (`countColumns`) with the
 * month's end as the as-of instant. A calendar month's counts are a function of its tickets' rows alone once the as-of
 * instant is its end, so they change only when one of its tickets changes (a March ticket answered, withdrawn,
 * re-rated or escalated in May changes March's figures) — and every such change goes through `writeStep`, which sets
 * `updated_at`. The ticket-stats job (ADR 0007) rebuilds, in the same transaction and with the same high-water mark
 * as `ticket_stat`, every month in which a ticket changed. A reader takes a month from the rollup only if
 * - the period is exactly that calendar month and the month has ended (as-of = its end),
 * - the month is in `indicator_month` with the same working-day ordinals as the calendar gives now, and
 * - no ticket created in the month has `updated_at` after the mark minus the margin;
 * otherwise it counts live. Overdue ("now") is always counted live, from a covering partial index of open tickets.
 */

type Q = Pick<Queryable, 'query'>;
type CountsRow = IndicatorCounts & { k: string | null };

/**
 * For each day from `from` to `to` (at most MAX_STATS_PERIOD_DAYS + 1 days), how many working days (China's calendar
 * with the district's local days) lie in (from, day] — so working days in (a, b] = ord[b] − ord[a], exactly
 * `workingDaysBetween`.
 */
export async function workingDayOrdinals(db: Q, districtId: string, from: string, to: string): Promise<number[]> {
  const cal = await loadWorkCalendar(db, from, districtId);
  const out = [0];
  for (let d = addCalendarDays(from, 1), n = 0; d <= to; d = addCalendarDays(d, 1)) {
    if (isWorkingDay(cal, d)) n++;
    out.push(n);
  }
  return out;
}

/**
 * The counting columns over tickets `t`, shared by the live count and the rollup: `asOf` the as-of instant, `from`
 * the first day of the ordinals array `ords` (SQL expressions). Working days between two instants of the period are
 * the difference of their days' ordinals (an array lookup; no join, no JIT: ADR 0011).
 */
export function countColumns(x: { asOf: string; from: string; ords: string }): [string, string][] {
  const R = receivedSql('t');
  const A = x.asOf;
  const ord = (col: string) => `(${x.ords}::int[])[((${col} AT TIME ZONE 'Asia/Shanghai')::date - ${x.from}::date) + 1]`;
  const acceptDays = `${ord('t.accepted_at')} - ${ord('t.assigned_at')}`;
  const replyDays = `${ord('t.replied_at')} - ${ord('t.assigned_at')}`;
  return [
    ['received', `count(*) FILTER (WHERE ${R})`],
    ['solved', `count(*) FILTER (WHERE ${R} AND ${solvedSql(A)})`],
    ['handled', `count(*) FILTER (WHERE ${R} AND t.is_handled)`],
    ['accepted', `count(*) FILTER (WHERE t.accepted_at < ${A} AND t.state <> 'merged')`],
    ['acceptedOnTime', `count(*) FILTER (WHERE t.accepted_at < ${A} AND t.state <> 'merged' AND t.accepted_at <= t.accept_due_at)`],
    ['replied', `count(*) FILTER (WHERE t.replied_at < ${A} AND t.state <> 'merged')`],
    ['repliedOnTime', `count(*) FILTER (WHERE t.replied_at < ${A} AND t.state <> 'merged' AND t.replied_at <= t.reply_due_at)`],
    ['returned', `count(*) FILTER (WHERE ${R} AND t.return_count > 0)`],
    ['reopened', `count(*) FILTER (WHERE ${R} AND t.reopen_count > 0)`],
    ['extended', `count(*) FILTER (WHERE ${R} AND t.extension_days_granted > 0)`],
    ['withdrawn', `count(*) FILTER (WHERE t.state = 'withdrawn')`],
    ['satisfied', `count(*) FILTER (WHERE ${R} AND t.verdict = 'satisfied')`],
    ['basicallySatisfied', `count(*) FILTER (WHERE ${R} AND t.verdict = 'basically_satisfied')`],
    ['dissatisfied', `count(*) FILTER (WHERE ${R} AND t.verdict = 'dissatisfied')`],
    ['acceptDaysSum', `COALESCE(sum(${acceptDays}) FILTER (WHERE t.accepted_at < ${A} AND t.state <> 'merged'), 0)`],
    ['acceptDaysN', `count(${acceptDays}) FILTER (WHERE t.accepted_at < ${A} AND t.state <> 'merged')`],
    ['replyDaysSum', `COALESCE(sum(${replyDays}) FILTER (WHERE t.replied_at < ${A} AND t.state <> 'merged'), 0)`],
    ['replyDaysN', `count(${replyDays}) FILTER (WHERE t.replied_at < ${A} AND t.state <> 'merged')`],
    ['escalatedL2', `count(*) FILTER (WHERE ${R} AND t.escalation_level = 2)`],
    ['escalatedL3', `count(*) FILTER (WHERE ${R} AND t.escalation_level = 3)`],
    ['escalatedL4', `count(*) FILTER (WHERE ${R} AND t.escalation_level = 4)`],
  ];
}

/** The rollup's column of each count (snake case of the field). */
export const snake = (k: string) => k.replace(/[A-Z0-9]+/g, (m) => `_${m.toLowerCase()}`);

/** The fields of the counts, in the columns' order (the rollup tables hold them in snake case). */
export const COUNT_KEYS = countColumns({ asOf: 'NULL', from: 'NULL', ords: 'NULL' }).map(([k]) => k);

/** Each count summed over the rollup rows `s`, named as the field. */
export const sumCountsSql = (s: string) => COUNT_KEYS.map((k) => `sum(${s}.${snake(k)})::int AS "${k}"`).join(', ');

/** The four grouping keys, on the ticket (`t.`) and in the rollup (`s.`). */
const KEYS = {
  category: { t: 't.category_id', s: 's.category_id' },
  area: { t: 't.area_id', s: 's.area_id' },
  department: { t: 't.lead_department_id', s: 's.lead_department_id' },
  steward: { t: `CASE WHEN t.submitted_role = 'steward' THEN t.submitted_by END`, s: 's.steward_id' },
} as const;

/** The group key of a breakdown on tickets or on the rollup (null groups: not yet assigned / filed by the enterprise). */
export const groupKey = (by: StatsDimension | 'none', on: 't' | 's') => (by === 'none' ? 'NULL::uuid' : KEYS[by][on]);

/** The condition of a scope, on tickets (`t`) or on the rollup (`s`). */
export function scopeSql(scope: Scope, p: (v: unknown) => string, on: 't' | 's'): string {
  switch (scope.kind) {
    case 'district': return 'true';
    case 'area': return `${KEYS.area[on]} = ${p(scope.id)}::uuid`;
    case 'department': return `${KEYS.department[on]} = ${p(scope.id)}::uuid`;
    case 'steward': return on === 't' ? `(t.submitted_by = ${p(scope.id)}::uuid AND t.submitted_role = 'steward')` : `s.steward_id = ${p(scope.id)}::uuid`;
    case 'category': {
      const c = p(scope.id);
      return `(${KEYS.category[on]} = ${c}::uuid OR ${KEYS.category[on]} IN (SELECT id FROM ticket_category WHERE parent_id = ${c}::uuid))`;
    }
  }
}

/** A margin for transactions that commit after their `updated_at` (the same as ADR 0007's). */
const STAT_MARGIN = "interval '10 minutes'";

/** 'YYYY-MM-01' when the period is exactly one calendar month that has ended, else null. */
export function closedMonthOf(period: Period): string | null {
  if (!period.from.endsWith('-01') || period.asOf.getTime() !== period.endEx.getTime()) return null;
  const next = nextMonth(period.from);
  return shanghaiDate(new Date(startOfShanghaiDay(next).getTime() - 1)) === period.to ? period.from : null;
}

const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
};
const lastDayOf = (m: string) => shanghaiDate(new Date(startOfShanghaiDay(nextMonth(m)).getTime() - 1));

/**
 * The counts of a closed month from the rollup (plus overdue, live), grouped like `ticketCounts`; null when the
 * month cannot be taken from the rollup (not rolled, calendar changed, or a ticket of the month changed since).
 */
export async function rolledTicketCounts(db: Q, districtId: string, period: Period, month: string, ords: number[], scope: Scope, by: StatsDimension | 'none'): Promise<CountsRow[] | null> {
  // The month's row and the mark; then whether a ticket of the month changed since the mark, with the mark bound as
  // a value so that the planner reads the recently updated tickets (ix_ticket_updated_created), not the month's 40,000 rows
  // (as an InitPlan it did: 3.2 s at 1,000,000 tickets).
  const [m] = await db.query(
    `SELECT m.ords = $3::int[] AS same, mk.refreshed_at FROM indicator_month m JOIN ticket_stat_mark mk ON mk.district_id = m.district_id
      WHERE m.district_id = $1 AND m.month = $2::date`,
    [districtId, month, ords],
  );
  if (!m || !m.same) return null;
  const [ok] = await db.query(
    `SELECT EXISTS (SELECT 1 FROM ticket t WHERE t.district_id = $1 AND t.updated_at > $2::timestamptz - ${STAT_MARGIN}
                       AND t.created_at >= $3 AND t.created_at < $4) AS dirty`,
    [districtId, m.refreshed_at, period.start, period.endEx],
  );
  if (ok.dirty) return null;
  // The coarse rows (category × lead department) answer whatever needs neither the area nor the steward key.
  const fine = scope.kind === 'area' || scope.kind === 'steward' || by === 'area' || by === 'steward';
  const s = sqlParams([districtId, month]);
  const [sums, overdue]: [CountsRow[], { k: string | null; overdue: number }[]] = await Promise.all([
    db.query(
      `SELECT ${groupKey(by, 's')} AS k, ${sumCountsSql('s')}
         FROM indicator_stat s WHERE s.district_id = $1 AND s.month = $2::date AND s.fine = ${fine} AND ${scopeSql(scope, s.p, 's')}
        GROUP BY 1`,
      s.params,
    ),
    overdueByGroup(db, districtId, period, scope, by),
  ]);
  const byKey = new Map<string | null, CountsRow>(sums.map((r) => [r.k, { ...r, overdue: 0 }]));
  for (const r of overdue) {
    const row = byKey.get(r.k);
    // Every ticket of the month is in some rollup row, so an overdue ticket's group is there (unless it was filed
    // after the mark — then the month is dirty and we are not here); be safe anyway.
    if (!row) return null;
    row.overdue = r.overdue;
  }
  return [...byKey.values()];
}

/** Overdue now among the period's tickets, by group key: always counted live (the covering index of open tickets). */
export async function overdueByGroup(db: Q, districtId: string, period: Period, scope: Scope, by: StatsDimension | 'none'): Promise<{ k: string | null; overdue: number }[]> {
  const o = sqlParams([districtId, period.start, period.endEx, period.now]);
  return db.query(
    `SELECT ${groupKey(by, 't')} AS k, count(*)::int AS overdue
       FROM ticket t WHERE t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND ${overdueSql('$4')} AND ${scopeSql(scope, o.p, 't')}
      GROUP BY 1`,
    o.params,
  );
}

/**
 * Rebuilds the rollup of the given months ('YYYY-MM-01') of a district, inside the caller's transaction (the
 * ticket-stats job, under its advisory lock, with its mark): one grouped statement per month over the month's
 * tickets (the created_at index range), with the month's end as the as-of instant and the month's working-day
 * ordinals as the live count computes them.
 */
export async function rebuildIndicatorMonths(em: Q, districtId: string, months: string[], rolledAt: Date): Promise<void> {
  if (!months.length) return;
  await em.query(`DELETE FROM indicator_stat WHERE district_id = $1 AND month = ANY($2::date[])`, [districtId, months]);
  await em.query(`DELETE FROM indicator_month WHERE district_id = $1 AND month = ANY($2::date[])`, [districtId, months]);
  for (const m of months) {
    const last = lastDayOf(m);
    const ords = await workingDayOrdinals(em, districtId, m, last);
    const cols = countColumns({ asOf: '$3', from: '$4::date', ords: '$5' });
    await em.query(
      `INSERT INTO indicator_stat (district_id, month, fine, category_id, area_id, lead_department_id, steward_id, ${cols.map(([k]) => snake(k)).join(', ')})
       SELECT $1, $4::date, true, ${groupKey('category', 't')}, ${groupKey('area', 't')}, ${groupKey('department', 't')}, ${groupKey('steward', 't')},
              ${cols.map(([, sql]) => `${sql}::int`).join(', ')}
         FROM ticket t WHERE t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY 4, 5, 6, 7`,
      [districtId, startOfShanghaiDay(m), startOfShanghaiDay(nextMonth(m)), m, ords],
    );
    // The coarse rows: the fine ones summed over area and steward.
    await em.query(
      `INSERT INTO indicator_stat (district_id, month, fine, category_id, area_id, lead_department_id, steward_id, ${cols.map(([k]) => snake(k)).join(', ')})
       SELECT district_id, month, false, category_id, NULL, lead_department_id, NULL, ${cols.map(([k]) => `sum(${snake(k)})`).join(', ')}
         FROM indicator_stat WHERE district_id = $1 AND month = $2::date AND fine
        GROUP BY district_id, month, category_id, lead_department_id`,
      [districtId, m],
    );
    await em.query(`INSERT INTO indicator_month (district_id, month, ords, rolled_at) VALUES ($1, $2::date, $3::int[], $4)`, [districtId, m, ords, rolledAt]);
  }
}

/**
 * Months of a district whose rollup was computed with working-day ordinals that the calendar no longer gives (a
 * holiday schedule loaded or a local day edited since): the job rebuilds them.
 */
export async function staleCalendarMonths(em: Q, districtId: string): Promise<string[]> {
  const rows: { month: string; ords: number[] }[] = await em.query(
    `SELECT to_char(month, 'YYYY-MM-DD') AS month, ords FROM indicator_month WHERE district_id = $1`, [districtId]);
  const out: string[] = [];
  for (const r of rows) {
    const now = await workingDayOrdinals(em, districtId, r.month, lastDayOf(r.month));
    if (now.length !== r.ords.length || now.some((n, i) => n !== r.ords[i])) out.push(r.month);
  }
  return out;
}
