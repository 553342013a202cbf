import type { DataSource, EntityManager } from 'typeorm';
import {
  addCalendarDays, addCounts, satisfactionRateOf, calendarDaysBetween, CONTACT_STATUSES, endOfShanghaiDay, indicatorRates, isLocalDate, MAX_STATS_PERIOD_DAYS,
  shanghaiDate, startOfShanghaiDay, ZERO_INDICATOR_COUNTS,
  type IndicatorSettings, type IndicatorSummary, type IndicatorWeights, type StatsDimension, type StatsScope, type IndicatorCounts,
  type VisitIndicators,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { statsScopeFor } from './indicator.policy';
import { projectStats } from '../projects/project-stats.service';
import { stewardsBehindCadence } from '../visits/cadence.service';
import { overdueSql, receivedSql, solvedSql } from './indicator-sql';
import { liveTicketCountsFromDeltas, runsToNow } from './indicator-live';
import { closedMonthOf, countColumns, groupKey, rolledTicketCounts, scopeSql, workingDayOrdinals } from './indicator-rollup';
import { getIndicatorSettings } from './indicator-settings';
import { presentVisitFigures, rolledVisitIndicators } from './visit-rollup';
import { getVisitSettings } from '../visits/visit-settings';

type Q = Pick<DataSource | EntityManager, 'query'>;

/** A statistics period: the dates as asked, the instants they cover, and the as-of instant (its end, or now). */
export type Period = { from: string; to: string; start: Date; endEx: Date; asOf: Date; now: Date };
/** A resolved scope: what the figures are about. */
export type Scope = { kind: StatsScope; id: string | null; name: string };
/** The whole district, unnamed. */
export const WHOLE_DISTRICT: Scope = { kind: 'district', id: null, name: '' };

/** Checks and resolves a period: real dates, `to` not before `from`, at most MAX_STATS_PERIOD_DAYS days. */
export function periodOf(from: string, to: string, now = new Date()): Period {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring', message: '日期格式应为 YYYY-MM-DD' }]);
  const days = calendarDaysBetween(from, to);
  if (days < 0) throw new AppError('STATS_PERIOD_REVERSED', [{ path: '/querystring/to', message: '截止日期不能早于起始日期' }]);
  if (days + 1 > MAX_STATS_PERIOD_DAYS) throw new AppError('STATS_PERIOD_TOO_LONG', [{ path: '/querystring/to', message: `统计期间最长 ${MAX_STATS_PERIOD_DAYS} 天` }]);
  const start = startOfShanghaiDay(from);
  const endEx = new Date(endOfShanghaiDay(to).getTime() + 1);
  const asOf = endEx.getTime() < now.getTime() ? endEx : now;
  return { from, to, start, endEx, asOf, now };
}

/**
 * Resolves the scope of a query for the caller. District-wide roles (coordinator, leader, admin) may ask for any
 * scope of their district; a department person gets their own department and nothing else; a steward their own
 * steward scope. An id of another district (or no such object) is 404 STATS_SCOPE_NOT_FOUND.
 */
export async function resolveScope(db: Q, auth: AuthUser, kind: StatsScope | 'city' | undefined, id: string | undefined): Promise<Scope> {
  // The whole city (and the districts side by side) is for city people only (ADR 0008).
  if (kind === 'city') throw new AppError('SCOPE_FORBIDDEN', [{ path: '/querystring/scope', message: '全市口径仅限市级人员' }]);
  const allowed = statsScopeFor(auth, kind, id);
  if (allowed === 'forbidden') throw new AppError('FORBIDDEN');
  ({ kind, id } = allowed);
  if (!kind || kind === 'district') {
    if (id) throw new AppError('STATS_SCOPE_INVALID', [{ path: '/querystring/scopeId', message: '全区县口径不需要指定对象' }]);
    const [d] = await db.query(`SELECT name FROM district WHERE id = $1`, [auth.districtId]);
    return { kind: 'district', id: null, name: d?.name ?? '' };
  }
  if (!id) throw new AppError('STATS_SCOPE_INVALID', [{ path: '/querystring/scopeId', message: '请指定统计对象' }]);
  const sql: Record<Exclude<StatsScope, 'district'>, string> = {
    area: `SELECT name FROM area WHERE id = $1 AND district_id = $2`,
    department: `SELECT name FROM department WHERE id = $1 AND district_id = $2`,
    steward: `SELECT name FROM person WHERE id = $1 AND district_id = $2 AND 'steward' = ANY(roles)`,
    category: `SELECT name FROM ticket_category WHERE id = $1 AND district_id = $2`,
  };
  const [row] = await db.query(sql[kind], [id, auth.districtId]);
  if (!row) throw new AppError('STATS_SCOPE_NOT_FOUND', [{ path: '/querystring/scopeId', message: '统计对象不存在' }]);
  return { kind, id, name: row.name };
}

/** The ticket condition of a scope (tickets of the district and period are already selected). */
function ticketScopeSql(scope: Scope, p: (v: unknown) => string): string {
  return scopeSql(scope, p, 't');
}

type CountsRow = IndicatorCounts & { k: string | null };

/**
 * The ticket counts of a period and scope grouped by a key. A period that is exactly one calendar month that has
 * ended is read from the closed-month rollup when it is up to date (indicator-rollup.ts, ADR 0011), overdue counted
 * live; anything else is ONE SQL statement over the period's tickets (the index range of (district_id, created_at)),
 * with the same counting columns. Working days come from an array of day ordinals passed as a parameter, so they
 * cost an array lookup per ticket and no join (joins to a day table inflated the planner's estimates into a 5-second
 * JIT compilation at 1,000,000 tickets; ADR 0011).
 */
export async function ticketCounts(db: Q, districtId: string, period: Period, scope: Scope, by: StatsDimension | 'none'): Promise<CountsRow[]> {
  // Whole months up to now ("this month", "this year so far"): the trigger's delta rows (indicator-live.ts).
  if (runsToNow(period)) {
    const summed = await liveTicketCountsFromDeltas(db, districtId, period, scope, by);
    if (summed) return summed;
  }
  const lastDay = shanghaiDate(new Date(period.asOf.getTime() - 1));
  const ords = await workingDayOrdinals(db, districtId, period.from, lastDay < period.from ? period.from : lastDay);
  const month = closedMonthOf(period);
  if (month) {
    const rolled = await rolledTicketCounts(db, districtId, period, month, ords, scope, by);
    if (rolled) return rolled;
  }
  return liveTicketCounts(db, districtId, period, ords, scope, by);
}

/** The counts of `ticketCounts` counted live over the period's tickets (also what the rollup is checked against). */
export async function liveTicketCounts(db: Q, districtId: string, period: Period, ords: number[], scope: Scope, by: StatsDimension | 'none'): Promise<CountsRow[]> {
  const { params, p } = sqlParams([districtId, period.start, period.endEx, period.asOf, period.now, period.from, ords]);
  const cols = countColumns({ asOf: '$4', from: '$6', ords: '$7' });
  const rows: CountsRow[] = await db.query(
    `SELECT ${groupKey(by, 't')} AS k,
            ${cols.map(([k, sql]) => `${sql}::int AS "${k}"`).join(',\n            ')},
            count(*) FILTER (WHERE ${overdueSql('$5')})::int AS overdue
       FROM ticket t
      WHERE t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND ${ticketScopeSql(scope, p)}
      GROUP BY 1`,
    params,
  );
  return rows;
}

const sumRows = (rows: IndicatorCounts[]) => rows.reduce<IndicatorCounts>((s, r) => addCounts(s, r), { ...ZERO_INDICATOR_COUNTS });
export { workingDayOrdinals };

/** Only the IndicatorCounts fields of a row (the SQL row carries its key too). */
const countsOf = (r: IndicatorCounts): IndicatorCounts => {
  const out = { ...ZERO_INDICATOR_COUNTS };
  for (const k of Object.keys(ZERO_INDICATOR_COUNTS) as (keyof IndicatorCounts)[]) out[k] = r[k];
  return out;
};

/** A row of counts with its rates, as the API returns it (inCoordination = received − solved). */
export function presentCounts(c: IndicatorCounts, w: IndicatorWeights) {
  return {
    received: c.received, solved: c.solved, inCoordination: c.received - c.solved, handled: c.handled,
    accepted: c.accepted, acceptedOnTime: c.acceptedOnTime, replied: c.replied, repliedOnTime: c.repliedOnTime,
    returned: c.returned, reopened: c.reopened, extended: c.extended, withdrawn: c.withdrawn, overdue: c.overdue,
    satisfied: c.satisfied, basicallySatisfied: c.basicallySatisfied, dissatisfied: c.dissatisfied,
    ...indicatorRates(c, w),
  };
}

/**
 * Distinct enterprises with a received ticket in the period and scope. For the whole district, once the job has marked
 * it (ADR 0007 amended), from what the triggers keep: over a period that runs to now, those whose latest received
 * filing is in it (ticket_enterprise_last); from January 1st to the end of a month of that year, those whose first
 * filing of the year came by then (ticket_enterprise_year). Otherwise an index-only scan of the period.
 */
export async function enterprisesWithTickets(db: Q, districtId: string, period: Period, scope: Scope): Promise<number> {
  const kept = scope.kind === 'district' ? keptEnterprises(period) : null;
  if (kept) {
    const [k] = await db.query(
      `SELECT count(*)::int AS n FROM ${kept.from} HAVING EXISTS (SELECT 1 FROM ticket_stat_mark WHERE district_id = $1)`,
      [districtId, ...kept.params],
    );
    if (k) return k.n;
  }
  const { params, p } = sqlParams([districtId, period.start, period.endEx]);
  const [r] = await db.query(
    `SELECT count(DISTINCT t.enterprise_id)::int AS n FROM ticket t
      WHERE t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND ${receivedSql('t')} AND ${ticketScopeSql(scope, p)}`,
    params,
  );
  return r.n;
}

/** Which kept table answers the district's distinct enterprises of `period` (its conditions after $1), if one does. */
function keptEnterprises(period: Period): { from: string; params: unknown[] } | null {
  if (period.asOf.getTime() === period.now.getTime()) return { from: 'ticket_enterprise_last WHERE district_id = $1 AND last_at >= $2', params: [period.start] };
  const year = period.from.slice(0, 4);
  if (period.from === `${year}-01-01` && period.to.startsWith(year) && addCalendarDays(period.to, 1).endsWith('-01'))
    return { from: 'ticket_enterprise_year WHERE district_id = $1 AND year = $2 AND first_month <= $3', params: [Number(year), Number(period.to.slice(5, 7))] };
  return null;
}

/** 督办单 issued in the period for tickets of the scope (a department: those addressed to it), and how many are done. */
export async function supervisionCounts(db: Q, districtId: string, period: Period, scope: Scope): Promise<{ issued: number; done: number }> {
  const { params, p } = sqlParams([districtId, period.start, period.endEx]);
  const cond = scope.kind === 'department' ? `s.department_id = ${p(scope.id)}::uuid` : ticketScopeSql(scope, p);
  // The ticket is joined only when the scope is a condition on it (district and department scopes need no heap
  // read of each 督办单's ticket).
  const join = scope.kind === 'district' || scope.kind === 'department' ? '' : 'JOIN ticket t ON t.id = s.ticket_id';
  const [r] = await db.query(
    `SELECT count(*)::int AS issued, count(*) FILTER (WHERE s.status = 'done')::int AS done
       FROM supervision s ${join}
      WHERE s.district_id = $1 AND s.issued_at >= $2 AND s.issued_at < $3 AND ${cond}`,
    params,
  );
  return r;
}

/**
 * Contacts (CONTACT_STATUSES, by occurred_at in the period) and coverage of the scope: enterprises with an
 * assignment overlapping the period, and how many of them were contacted (a steward: by that steward; an area or
 * the district: by anyone) — the definitions of `/visits/coverage`. Department and category scopes have none.
 */
export async function visitIndicators(db: Q, districtId: string, period: Period, scope: Scope): Promise<VisitIndicators | null> {
  if (scope.kind === 'department' || scope.kind === 'category') return null;
  // A whole month that has ended: from the closed-month rollup when it is there (visit-rollup.ts, ADR 0011).
  const month = closedMonthOf(period);
  if (month) {
    const rolled = await rolledVisitIndicators(db, districtId, month, scope, await getVisitSettings(db, districtId));
    if (rolled) return rolled;
  }
  return liveVisitIndicators(db, districtId, period, scope);
}

/** The figures of `visitIndicators` counted live (also what the rollup is checked against). */
export async function liveVisitIndicators(db: Q, districtId: string, period: Period, scope: Scope): Promise<VisitIndicators | null> {
  if (scope.kind === 'department' || scope.kind === 'category') return null;
  const { params, p } = sqlParams([districtId, period.start, period.endEx, period.from, period.to, [...CONTACT_STATUSES]]);
  const aw = ['s.district_id = $1', 's.starts_on <= $5::date', '(s.ends_on IS NULL OR s.ends_on >= $4::date)'];
  const vw = ['v.district_id = $1', 'v.status = ANY($6::text[])', 'v.occurred_at >= $2', 'v.occurred_at < $3'];
  let join = '';
  if (scope.kind === 'area') {
    const a = p(scope.id);
    aw.push(`EXISTS (SELECT 1 FROM enterprise e WHERE e.id = s.enterprise_id AND e.area_id = ${a}::uuid)`);
    join = 'JOIN enterprise e ON e.id = v.enterprise_id';
    vw.push(`e.area_id = ${a}::uuid`);
  }
  if (scope.kind === 'steward') {
    const s = p(scope.id);
    aw.push(`s.steward_id = ${s}::uuid`);
    vw.push(`v.steward_id = ${s}::uuid`);
  }
  // Stewards behind their cadence: the rule of /cadence/overdue (one SQL definition, cadenceItemsSql) for the rule
  // periods containing the period's last day up to as-of, seen at as-of.
  const behind = stewardsBehindCadence(db, districtId, {
    date: shanghaiDate(new Date(period.asOf.getTime() - 1)), now: period.asOf,
    ...(scope.kind === 'area' ? { areaId: scope.id! } : scope.kind === 'steward' ? { stewardId: scope.id! } : {}),
  });
  behind.catch(() => undefined); // awaited below; not unhandled while the counts run
  // Visits are aggregated per enterprise first (an index-only scan of ix_visit_district_time_cov, ~20,000 rows a
  // month at 500,000 visits), and "assigned and contacted" is a semi-join of those enterprises into assignment rather
  // than a hash join of every assigned enterprise (docs/benchmarks.md, "Issue 12").
  const [r] = await db.query(
    `WITH v AS MATERIALIZED (
       SELECT v.enterprise_id, count(*) AS n,
              count(*) FILTER (WHERE v.kind = 'onsite') AS onsite, count(*) FILTER (WHERE v.kind = 'phone') AS phone,
              count(*) FILTER (WHERE v.kind = 'wechat') AS wechat, count(*) FILTER (WHERE v.kind = 'meeting') AS meeting,
              COALESCE(sum(v.problem_count), 0) AS problems
         FROM visit v ${join} WHERE ${vw.join(' AND ')} GROUP BY v.enterprise_id)
     SELECT COALESCE((SELECT sum(n) FROM v), 0)::int AS contacts,
            COALESCE((SELECT sum(onsite) FROM v), 0)::int AS onsite,
            COALESCE((SELECT sum(phone) FROM v), 0)::int AS phone,
            COALESCE((SELECT sum(wechat) FROM v), 0)::int AS wechat,
            COALESCE((SELECT sum(meeting) FROM v), 0)::int AS meeting,
            COALESCE((SELECT sum(problems) FROM v), 0)::int AS problems,
            (SELECT count(*) FROM v)::int AS contacted,
            (SELECT count(*) FROM (SELECT DISTINCT s.enterprise_id FROM assignment s WHERE ${aw.join(' AND ')}) a)::int AS assigned,
            (SELECT count(*) FROM v WHERE EXISTS (
               SELECT 1 FROM assignment s WHERE s.enterprise_id = v.enterprise_id AND ${aw.join(' AND ')}))::int AS assigned_contacted`,
    params,
  );
  return presentVisitFigures({ ...r, stewards_behind: await behind });
}

/** Categories of the district with their parent (bounded: a district has tens of categories). */
export async function categoryTree(db: Q, districtId: string) {
  const rows: { id: string; name: string; parent_id: string | null; sort_order: number }[] = await db.query(
    `SELECT id, name, parent_id, sort_order FROM ticket_category WHERE district_id = $1 ORDER BY sort_order, name`,
    [districtId],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Every figure of a period and scope (docs/metrics.md, "Indicators"): ticket counts and rates (the total is the sum
 * of the category rows, so categories always add up), enterprises, escalations, 督办单, contacts and coverage, and
 * the project figures (district, area and department scopes, when the period lies in one year).
 */
export async function indicatorSummary(db: DataSource, auth: AuthUser, q: { from: string; to: string; scope?: StatsScope; scopeId?: string }, now = new Date()): Promise<IndicatorSummary> {
  const period = periodOf(q.from, q.to, now);
  const scope = await resolveScope(db, auth, q.scope, q.scopeId);
  const settings = await getIndicatorSettings(db, auth.districtId);
  return summaryFor(db, auth, period, scope, settings);
}

/** The summary for a resolved period and scope (the work report reuses it, so its numbers are the endpoint's). */
export async function summaryFor(db: DataSource, auth: AuthUser, period: Period, scope: Scope, settings: IndicatorSettings): Promise<IndicatorSummary> {
  const w = settings.weights;
  const [byCat, enterprises, supervisions, visits, cats, projects] = await Promise.all([
    ticketCounts(db, auth.districtId, period, scope, 'category'),
    enterprisesWithTickets(db, auth.districtId, period, scope),
    supervisionCounts(db, auth.districtId, period, scope),
    visitIndicators(db, auth.districtId, period, scope),
    categoryTree(db, auth.districtId),
    projectFigures(db, auth, period, scope),
  ]);
  const total = sumRows(byCat);
  // Fold sub-categories into their top category; the top rows then add up to the total.
  const tops = new Map<string, { category: { id: string; name: string }; received: number; solved: number; order: number; children: { category: { id: string; name: string }; received: number; solved: number }[] }>();
  for (const r of byCat) {
    if (!r.k || r.received === 0) continue;
    const c = cats.get(r.k);
    const topId = c?.parent_id ?? r.k;
    const top = cats.get(topId);
    const entry = tops.get(topId) ?? { category: { id: topId, name: top?.name ?? '' }, received: 0, solved: 0, order: top?.sort_order ?? 0, children: [] };
    entry.received += r.received;
    entry.solved += r.solved;
    if (c?.parent_id) entry.children.push({ category: { id: r.k, name: c.name }, received: r.received, solved: r.solved });
    tops.set(topId, entry);
  }
  const byCategory = [...tops.values()]
    .sort((a, b) => a.order - b.order || (a.category.name < b.category.name ? -1 : 1))
    .map(({ order: _o, ...e }) => ({ ...e, children: e.children.sort((a, b) => b.received - a.received || (a.category.name < b.category.name ? -1 : 1)) }));
  return {
    period: { from: period.from, to: period.to, asOf: period.asOf.toISOString() },
    scope,
    weights: { ...w },
    tickets: {
      ...presentCounts(total, w),
      enterprises,
      escalations: { level2: total.escalatedL2, level3: total.escalatedL3, level4: total.escalatedL4 },
      supervisions,
      byCategory,
    },
    visits,
    projects,
  };
}

/** Project figures of the scope (projects feature), or null where they do not apply. */
export async function projectFigures(db: DataSource, auth: AuthUser, period: Period, scope: Scope) {
  if (!['district', 'area', 'department'].includes(scope.kind) || period.from.slice(0, 4) !== period.to.slice(0, 4)) return null;
  const [{ present }] = await db.query(`SELECT to_regclass('project') IS NOT NULL AS present`);
  if (!present) return null;
  return projectStats(db, auth, {
    from: period.from, to: period.to,
    ...(scope.kind === 'area' ? { areaId: scope.id! } : scope.kind === 'department' ? { departmentId: scope.id! } : {}),
  }, period.now);
}

/** Names of the keys of a breakdown (bounded: the district's areas, departments, stewards or categories). */
export async function keyNames(db: Q, districtId: string, by: StatsDimension, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const table = { category: 'ticket_category', area: 'area', department: 'department', steward: 'person' }[by];
  const rows: { id: string; name: string }[] = await db.query(`SELECT id, name FROM ${table} WHERE district_id = $1 AND id = ANY($2::uuid[])`, [districtId, ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The label of the null group of a breakdown. */
export const NULL_GROUP: Record<StatsDimension, string> = { category: '未分类', area: '未定属地', department: '未交办', steward: '企业自行提出' };

/**
 * Counts and rates by category (leaf categories), area, department (主办) or steward (the steward who filed it), for
 * a period and scope, sorted by received; the rows add up to `total`.
 */
export async function indicatorBreakdown(db: DataSource, auth: AuthUser, q: { from: string; to: string; scope?: StatsScope; scopeId?: string; by: StatsDimension }, now = new Date()) {
  const period = periodOf(q.from, q.to, now);
  const scope = await resolveScope(db, auth, q.scope, q.scopeId);
  const { weights } = await getIndicatorSettings(db, auth.districtId);
  const rows = (await ticketCounts(db, auth.districtId, period, scope, q.by)).filter((r) => r.received + r.withdrawn + r.accepted + r.replied > 0);
  const names = await keyNames(db, auth.districtId, q.by, rows.map((r) => r.k).filter((k): k is string => !!k));
  const out = rows
    .map((r) => ({ key: { id: r.k ?? '00000000-0000-0000-0000-000000000000', name: r.k ? names.get(r.k) ?? '' : NULL_GROUP[q.by] }, ...presentCounts(countsOf(r), weights) }))
    .sort((a, b) => b.received - a.received || (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0));
  return { period: { from: period.from, to: period.to }, by: q.by, total: presentCounts(sumRows(rows), weights), rows: out };
}

/**
 * A series for charts: received, solved, overdue and contacts per calendar month or ISO week (Monday first) of the
 * period, each bucket clipped to the period, zero buckets included. One grouped statement for tickets, one for visits.
 */
export async function indicatorSeries(db: DataSource, auth: AuthUser, q: { from: string; to: string; scope?: StatsScope; scopeId?: string; interval: 'week' | 'month' }, now = new Date()) {
  const period = periodOf(q.from, q.to, now);
  const scope = await resolveScope(db, auth, q.scope, q.scopeId);
  const { weights } = await getIndicatorSettings(db, auth.districtId);
  return seriesFor(db, [auth.districtId], period, scope, weights, q.interval);
}

/** The series of a resolved period and scope over one district, or several (a city: scope district, weights the city's). */
export async function seriesFor(db: Q, districtIds: string[], period: Period, scope: Scope, weights: IndicatorWeights, interval: 'week' | 'month') {
  const q = { interval };
  const unit = q.interval === 'week' ? 'week' : 'month';
  const { params, p } = sqlParams([districtIds, period.start, period.endEx, period.asOf, period.now]);
  const R = receivedSql('t');
  const tickets: { b: string; received: number; solved: number; overdue: number; satisfied: number; basically: number; verdicts: number }[] = await db.query(
    `SELECT to_char(date_trunc('${unit}', t.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS b,
            count(*) FILTER (WHERE ${R})::int AS received,
            count(*) FILTER (WHERE ${R} AND ${solvedSql('$4')})::int AS solved,
            count(*) FILTER (WHERE ${overdueSql('$5')})::int AS overdue,
            count(*) FILTER (WHERE ${R} AND t.verdict = 'satisfied')::int AS satisfied,
            count(*) FILTER (WHERE ${R} AND t.verdict = 'basically_satisfied')::int AS basically,
            count(*) FILTER (WHERE ${R} AND t.verdict IS NOT NULL)::int AS verdicts
       FROM ticket t WHERE t.district_id = ANY($1::uuid[]) AND t.created_at >= $2 AND t.created_at < $3 AND ${ticketScopeSql(scope, p)}
      GROUP BY 1`,
    params,
  );
  let contacts: { b: string; n: number }[] = [];
  if (scope.kind === 'district' || scope.kind === 'area' || scope.kind === 'steward') {
    const v = sqlParams([districtIds, period.start, period.endEx, [...CONTACT_STATUSES]]);
    const cond = scope.kind === 'area' ? `AND EXISTS (SELECT 1 FROM enterprise e WHERE e.id = v.enterprise_id AND e.area_id = ${v.p(scope.id)}::uuid)`
      : scope.kind === 'steward' ? `AND v.steward_id = ${v.p(scope.id)}::uuid` : '';
    contacts = await db.query(
      `SELECT to_char(date_trunc('${unit}', v.occurred_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS b, count(*)::int AS n
         FROM visit v WHERE v.district_id = ANY($1::uuid[]) AND v.occurred_at >= $2 AND v.occurred_at < $3 AND v.status = ANY($4::text[]) ${cond}
        GROUP BY 1`,
      v.params,
    );
  }
  const byT = new Map(tickets.map((r) => [r.b, r]));
  const byV = new Map(contacts.map((r) => [r.b, r.n]));
  const points = buckets(period.from, period.to, q.interval).map(({ key, from, to }) => {
    const t = byT.get(key);
    const verdicts = t?.verdicts ?? 0;
    return {
      label: q.interval === 'month' ? key.slice(0, 7) : `${from}起`,
      from, to,
      received: t?.received ?? 0, solved: t?.solved ?? 0, overdue: t?.overdue ?? 0, contacts: byV.get(key) ?? 0,
      solveRate: t && t.received ? Math.round((t.solved / t.received) * 1000) / 10 : null,
      satisfactionRate: t ? satisfactionRateOf(t.satisfied, t.basically, verdicts - t.satisfied - t.basically, weights) : null,
    };
  });
  return { period: { from: period.from, to: period.to }, interval: q.interval, points };
}

/** Calendar buckets of a period: `key` is the bucket's first day (Monday / the 1st) as date_trunc gives it. */
export function buckets(from: string, to: string, interval: 'week' | 'month'): { key: string; from: string; to: string }[] {
  const out: { key: string; from: string; to: string }[] = [];
  const day = (s: string) => new Date(`${s}T00:00:00Z`);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  let cur = day(from);
  const end = day(to);
  while (cur.getTime() <= end.getTime()) {
    let key: Date;
    let next: Date;
    if (interval === 'month') {
      key = new Date(Date.UTC(cur.getUTCFullYear(), cur.getUTCMonth(), 1));
      next = new Date(Date.UTC(cur.getUTCFullYear(), cur.getUTCMonth() + 1, 1));
    } else {
      const dow = (cur.getUTCDay() + 6) % 7;
      key = new Date(cur.getTime() - dow * 86400000);
      next = new Date(key.getTime() + 7 * 86400000);
    }
    const last = new Date(Math.min(next.getTime() - 86400000, end.getTime()));
    out.push({ key: iso(key), from: iso(cur), to: iso(last) });
    cur = next;
  }
  return out;
}
