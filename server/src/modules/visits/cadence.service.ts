import type { DataSource, EntityManager } from 'typeorm';
import {
  cadenceStatus, CONTACT_STATUSES, ENTERPRISE_CLASSES, enterpriseClass, OVERDUE_PENDING_MAX, periodBounds, ruleFor, shanghaiDate,
  type CadenceContact, type CadenceItem, type CadenceRule, type EnterpriseClass, type OverdueQuery, type OverdueReport, type StewardCadence, type VisitSettings,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { badCursor, decodeCursor, toPage, UUID } from '../../lib/keyset';
import type { AuthUser } from '../../lib/principal';
import { maySeeStewardWork } from './visit.policy';
import { getVisitSettings } from './visit-settings';
import { dayStart } from './period';
import { sqlParams } from '../../lib/sql';
import type { Bind } from '../../lib/policy';
import { applicableRules, countedOverdueSql, countedStewardsBehind } from './cadence-counts';

/** How the cadence is counted: from the maintained counts when they answer exactly, else live (`auto`); or forced. */
export type CadenceMode = 'auto' | 'live' | 'counted';
const cannotCount = () => new Error('the cadence counts cannot answer this (not built, other key criteria, or before the horizon)');

type Q = Pick<DataSource | EntityManager, 'query'>;

/** One (steward, enterprise) pair evaluated against the district's rule for the enterprise's class. */
export type CadenceRow = CadenceItem & { steward: { id: string; name: string } };

type AssignmentRow = {
  steward_id: string; steward_name: string; enterprise_id: string; enterprise_name: string; area_id: string; area_name: string;
  tags: string[]; scale: 'above' | 'below'; starts_on: string; ends_on: string | null;
};

/**
 * Evaluates every assignment of the district (optionally one steward's, or one area's) against the cadence rules for
 * the periods containing `periodOf`, as seen at `now`. The pure rule lives in shared visit/cadence.ts; this gathers its
 * inputs: assignments overlapping the period and the steward's own counted contacts (on-site only once checked in).
 * Enterprises whose class has no rule are left out: nothing is required of them.
 */
export async function evaluateCadence(
  db: Q,
  districtId: string,
  opts: { stewardId?: string; areaId?: string; periodOf: Date; now: Date; settings?: VisitSettings },
): Promise<CadenceRow[]> {
  const settings = opts.settings ?? (await getVisitSettings(db, districtId));
  const rules = settings.cadenceRules as CadenceRule[];
  if (!rules.length) return [];
  const bounds = rules.map((r) => periodBounds(opts.periodOf, r.period));
  const first = bounds.reduce((m, b) => (b.firstDay < m ? b.firstDay : m), bounds[0].firstDay);
  const last = bounds.reduce((m, b) => (b.lastDay > m ? b.lastDay : m), bounds[0].lastDay);
  const { params, p: bind } = sqlParams([districtId, first, last]);
  const where = [`s.district_id = $1`, `s.starts_on <= $3::date`, `(s.ends_on IS NULL OR s.ends_on >= $2::date)`];
  if (opts.stewardId) where.push(`s.steward_id = ${bind(opts.stewardId)}`);
  if (opts.areaId) where.push(`e.area_id = ${bind(opts.areaId)}`);
  const assignments: AssignmentRow[] = await db.query(
    `SELECT s.steward_id, st.name AS steward_name, s.enterprise_id, e.name AS enterprise_name, e.area_id, a.name AS area_name,
            e.tags, e.scale, to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(s.ends_on, 'YYYY-MM-DD') AS ends_on
       FROM assignment s JOIN person st ON st.id = s.steward_id JOIN enterprise e ON e.id = s.enterprise_id JOIN area a ON a.id = e.area_id
      WHERE ${where.join(' AND ')}
      ORDER BY st.name, st.id, e.name, e.id`,
    params,
  );
  if (!assignments.length) return [];
  // Counted contacts per (steward, enterprise) and rule period, aggregated in SQL (docs/benchmarks.md: every visit row was
  // fetched and each pair ran the timezone arithmetic of the rule). The pure rule still decides: its answer depends
  // only on the rule and the count, so it runs once per distinct (rule, count).
  const periods = [...new Set(rules.map((r) => r.period))];
  const pb = periods.map((p) => periodBounds(opts.periodOf, p));
  const { params: vp, p: vbind } = sqlParams([districtId, dayStart(first), new Date(dayStart(last).getTime() + 86_400_000), [...new Set(assignments.map((a) => a.steward_id))]]);
  const cols = pb.map((b, i) => {
    const win = `occurred_at >= ${vbind(b.start)} AND occurred_at < ${vbind(b.end)}`;
    return `count(*) FILTER (WHERE ${win})::int AS any${i}, count(*) FILTER (WHERE kind = 'onsite' AND ${win})::int AS onsite${i}, max(occurred_at) FILTER (WHERE ${win}) AS last${i}`;
  });
  const counts: Record<string, string | number | Date | null>[] = await db.query(
    `SELECT steward_id, enterprise_id, ${cols.join(', ')} FROM visit
      WHERE district_id = $1 AND status = ANY(${vbind([...CONTACT_STATUSES])}::text[]) AND occurred_at >= $2 AND occurred_at < $3 AND steward_id = ANY($4::uuid[])
      GROUP BY steward_id, enterprise_id`,
    vp,
  );
  const byPair = new Map(counts.map((c) => [`${c.steward_id}:${c.enterprise_id}`, c]));
  const memo = new Map<string, ReturnType<typeof cadenceStatus>>();
  const statusOf = (rule: CadenceRule, counted: number) => {
    const key = `${rules.indexOf(rule)}:${counted}`;
    if (!memo.has(key)) {
      const p = pb[periods.indexOf(rule.period)];
      const contacts: CadenceContact[] = Array.from({ length: counted }, () => ({ kind: 'onsite', at: p.start }));
      memo.set(key, cadenceStatus(rule, contacts, opts.now, settings.reminderDaysBefore, opts.periodOf));
    }
    return memo.get(key)!;
  };
  const criteria = { keyTags: settings.keyTags, keyIncludesAboveScale: settings.keyIncludesAboveScale };
  const seen = new Set<string>();
  const out: CadenceRow[] = [];
  for (const a of assignments) {
    const pair = `${a.steward_id}:${a.enterprise_id}`;
    if (seen.has(pair)) continue; // an ended and a renewed assignment in the same period count once
    const cls = enterpriseClass({ tags: a.tags, scale: a.scale }, criteria);
    const rule = ruleFor(rules, cls);
    if (!rule) continue;
    const i = periods.indexOf(rule.period);
    const c = byPair.get(pair);
    const counted = c ? Number(rule.requiredKind === 'any' ? c[`any${i}`] : c[`onsite${i}`]) : 0;
    const st = statusOf(rule, counted);
    if (a.starts_on > st.period.lastDay || (a.ends_on !== null && a.ends_on < st.period.firstDay)) continue;
    seen.add(pair);
    const lastAt = c?.[`last${i}`] ? new Date(c[`last${i}`] as Date) : null;
    out.push({
      steward: { id: a.steward_id, name: a.steward_name },
      enterprise: { id: a.enterprise_id, name: a.enterprise_name, area: { id: a.area_id, name: a.area_name } },
      enterpriseClass: cls,
      rule: { ...rule, enterpriseClass: cls },
      period: { from: st.period.firstDay, to: st.period.lastDay },
      required: st.required,
      done: st.counted,
      remaining: st.remaining,
      status: st.status,
      remind: st.remind,
      lastContactAt: lastAt ? lastAt.toISOString() : null,
    });
  }
  return out;
}

/** The Shanghai noon of a date: a safe instant inside that day for "the period containing it". */
const noonOf = (date: string) => new Date(dayStart(date).getTime() + 12 * 3_600_000);

const summarize = (rows: { status: CadenceItem['status'] }[]) => ({
  done: rows.filter((r) => r.status === 'done').length,
  due: rows.filter((r) => r.status === 'due').length,
  overdue: rows.filter((r) => r.status === 'overdue').length,
});

/** A steward's list: each assigned enterprise done / due / overdue in the period containing `date` (default today). */
export async function stewardCadence(db: DataSource, auth: AuthUser, stewardId: string, date?: string, now = new Date()): Promise<StewardCadence> {
  if (!maySeeStewardWork(auth, stewardId)) throw new AppError('NOT_FOUND');
  const [st] = await db.query(`SELECT id, name FROM person WHERE id = $1 AND district_id = $2 AND 'steward' = ANY(roles)`, [stewardId, auth.districtId]);
  if (!st) throw new AppError('NOT_FOUND');
  const asOf = date ?? shanghaiDate(now);
  const rows = await evaluateCadence(db, auth.districtId, { stewardId, periodOf: noonOf(asOf), now });
  return { steward: { id: st.id, name: st.name }, asOf, items: rows.map(({ steward: _s, ...item }) => item), summary: summarize(rows) };
}

/**
 * The cadence rule in SQL, as CTEs ending in `ar` (one row per overlapping assignment) and `item`: one row per
 * (steward, enterprise) pair whose assignment overlaps
 * the period of its class's rule containing `periodOf`, with `done` (the steward's counted contacts in that period:
 * CONTACT_STATUSES, on-site only when the rule says so), `required` and `status` done / due / overdue as
 * `cadenceStatus` decides it at `now`. The one definition behind `/cadence/overdue` and the indicators' stewards
 * behind their cadence (docs/metrics.md). Parameters are bound through `p` (`sqlParams().p`); null when the district sets no rule.
 */
export function cadenceItemsSql(
  p: Bind, districtId: string, settings: VisitSettings, periodOf: Date, now: Date, opts: { areaId?: string; stewardId?: string } = {},
): string | null {
  const rules = (settings.cadenceRules as CadenceRule[])
    // ruleFor: the first rule of a class applies
    .filter((r, i, all) => ENTERPRISE_CLASSES.includes(r.enterpriseClass as EnterpriseClass) && all.findIndex((x) => x.enterpriseClass === r.enterpriseClass) === i);
  if (!rules.length) return null;
  const d = p(districtId);
  const above = p(settings.keyIncludesAboveScale);
  const tags = p(settings.keyTags);
  const statuses = p([...CONTACT_STATUSES]);
  // One row per rule: its period, what it requires and what an unmet period is as seen at `now`.
  const ruleRows = rules.map((r) => {
    const b = periodBounds(periodOf, r.period);
    const unmet = now.getTime() >= b.end.getTime() ? 'overdue' : 'due';
    return `(${p(r.enterpriseClass)}::text, ${p(b.firstDay)}::date, ${p(b.lastDay)}::date, ${p(b.start)}::timestamptz,
              ${p(b.end)}::timestamptz, ${p(r.requiredCount)}::int, ${p(r.requiredKind === 'onsite')}::boolean, ${p(unmet)}::text)`;
  });
  const bounds = rules.map((r) => periodBounds(periodOf, r.period));
  const winStart = new Date(Math.min(...bounds.map((b) => b.start.getTime())));
  const winEnd = new Date(Math.max(...bounds.map((b) => b.end.getTime())));
  const counts = rules.map((r, i) =>
    `count(*) FILTER (WHERE v.occurred_at >= ${p(bounds[i].start)} AND v.occurred_at < ${p(bounds[i].end)}${r.requiredKind === 'onsite' ? ` AND v.kind = 'onsite'` : ''}) AS n${i}`);
  const doneCase = rules.map((r, i) => `WHEN ${p(r.enterpriseClass)}::text THEN vc.n${i}`).join(' ');
  const firstDay = bounds.map((b) => b.firstDay).reduce((m, x) => (x < m ? x : m));
  const lastDay = bounds.map((b) => b.lastDay).reduce((m, x) => (x > m ? x : m));
  const areaFilter = opts.areaId ? `AND e.area_id = ${p(opts.areaId)}` : '';
  const stewardFilter = opts.stewardId ? `AND s.steward_id = ${p(opts.stewardId)}` : '';
  const visitSteward = opts.stewardId ? `AND v.steward_id = ${p(opts.stewardId)}` : '';
  return `r (cls, first_day, last_day, p_start, p_end, required, onsite_only, unmet) AS (VALUES ${ruleRows.join(', ')}),
     -- assignments with their enterprise's class, apart: joined to r inside, the planner guessed 1 % of the rows and
     -- probed assignment once per enterprise
     -- (with the enterprise's name, read here anyway: the page's pending lists need it for ~85,000 pending pairs, and
     -- probing enterprise once per pair there took ~1 s at 100,000 assignments)
     ae AS MATERIALIZED (
       SELECT s.steward_id, s.enterprise_id, e.area_id, e.name AS enterprise_name, s.starts_on, s.ends_on,
              CASE WHEN (${above}::boolean AND e.scale = 'above') OR e.tags && ${tags}::text[] THEN 'key' ELSE 'other' END AS cls
         FROM assignment s JOIN enterprise e ON e.id = s.enterprise_id
        WHERE s.district_id = ${d} AND s.starts_on <= ${p(lastDay)}::date AND (s.ends_on IS NULL OR s.ends_on >= ${p(firstDay)}::date) ${areaFilter} ${stewardFilter}),
     -- counted contacts per pair and rule, aggregated once over the widest window (hash-joined below, not probed per pair)
     vc AS (
       SELECT v.steward_id, v.enterprise_id, ${counts.join(', ')}
         FROM visit v
        WHERE v.district_id = ${d} AND v.status = ANY(${statuses}::text[]) AND v.occurred_at >= ${p(winStart)} AND v.occurred_at < ${p(winEnd)} ${visitSteward}
        GROUP BY 1, 2),
     -- every assignment overlapping its rule's period, with the pair's counted contacts (an ended and a renewed
     -- assignment of a pair in the same period give two equal rows; whether a steward has an overdue pair needs no
     -- DISTINCT, so stewardsBehindCadence counts from here without sorting 100,000 pairs)
     ar AS (
       SELECT ae.steward_id, ae.enterprise_id, ae.area_id, ae.enterprise_name, r.*, COALESCE(CASE ae.cls ${doneCase} END, 0)::int AS done
         FROM ae JOIN r ON r.cls = ae.cls AND ae.starts_on <= r.last_day AND (ae.ends_on IS NULL OR ae.ends_on >= r.first_day)
         LEFT JOIN vc ON vc.steward_id = ae.steward_id AND vc.enterprise_id = ae.enterprise_id),
     -- one row per pair (the rows of a pair are equal: its enterprise fixes the class, hence the rule and the window,
     -- so DISTINCT ON compares the two keys instead of every column)
     item AS MATERIALIZED (
       SELECT DISTINCT ON (ar.steward_id, ar.enterprise_id) ar.*, CASE WHEN ar.done >= ar.required THEN 'done' ELSE ar.unmet END AS status FROM ar)`;
}

/**
 * Stewards behind their contact cadence (docs/metrics.md): stewards with at least one assigned enterprise whose rule
 * period containing `date` ended unmet by `now` (status overdue in `/cadence/overdue?date=`), optionally of one area
 * or one steward.
 */
export async function stewardsBehindCadence(
  db: Q, districtId: string, opts: { date: string; now: Date; areaId?: string; stewardId?: string; mode?: CadenceMode },
): Promise<number> {
  const settings = await getVisitSettings(db, districtId);
  const scope = { areaId: opts.areaId, stewardId: opts.stewardId };
  if (opts.mode !== 'live') {
    const n = await countedStewardsBehind(db, districtId, settings, noonOf(opts.date), opts.now, scope);
    if (n !== null) return n;
    if (opts.mode === 'counted') throw cannotCount();
  }
  const { params, p } = sqlParams();
  const items = cadenceItemsSql(p, districtId, settings, noonOf(opts.date), opts.now, scope);
  if (!items) return 0;
  // status 'overdue' is exactly: unmet at `now` is overdue and fewer counted contacts than required
  const [r] = await db.query(`WITH ${items} SELECT count(DISTINCT steward_id)::int AS n FROM ar WHERE unmet = 'overdue' AND done < required`, params);
  return r.n;
}

type Summary = { done: number; due: number; overdue: number };
type PendingJson = { enterprise_id: string; enterprise_name: string; area_id: string; area_name: string; status: CadenceItem['status']; done: number; required: number; first_day: string; last_day: string };

/**
 * Coordinators: who is behind, by steward and by area, for the periods containing `date` (default today).
 *
 * The rule is evaluated in SQL (docs/benchmarks.md: 7 s and every pair in JavaScript at 100 k enterprises): each assignment's
 * enterprise class picks its rule, the steward's counted contacts (CONTACT_STATUSES, on-site only when the rule says
 * so) in that rule's period decide done / due / overdue, exactly as `cadenceStatus` does. `total` and `byArea` cover
 * the whole scope; `bySteward` is one keyset page (most overdue first, then most due, then name) with at most
 * OVERDUE_PENDING_MAX pending enterprises each (the steward's own list has them all).
 */
export async function overdueReport(db: DataSource, auth: AuthUser, q: OverdueQuery, now = new Date(), mode: CadenceMode = 'auto'): Promise<OverdueReport> {
  const asOf = q.date ?? shanghaiDate(now);
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 4);
  if (after && !(Number.isInteger(after[0]) && Number.isInteger(after[1]) && typeof after[2] === 'string' && typeof after[3] === 'string' && UUID.test(after[3]))) {
    throw badCursor();
  }
  const settings = await getVisitSettings(db, auth.districtId);
  const empty = { done: 0, due: 0, overdue: 0 };
  const keysetOf = (p: Bind) => {
    if (!after) return '';
    const [overdue, due] = [p(after[0]), p(after[1])];
    return `WHERE overdue < ${overdue} OR (overdue = ${overdue} AND due < ${due})
          OR (overdue = ${overdue} AND due = ${due} AND (name, id) > (${p(after[2])}, ${p(after[3])}::uuid))`;
  };
  let row: { total: Summary; areas: unknown; stewards: unknown; pending: unknown } | undefined;
  if (mode !== 'live') {
    // the maintained counts (ADR 0019): the page's stewards' counter rows instead of every assignment
    const { params, p } = sqlParams();
    const sql = countedOverdueSql(p, auth.districtId, settings, applicableRules(settings, noonOf(asOf), now), {
      areaId: q.areaId, keyset: keysetOf(p), limit: p(limit + 1), pendingMax: p(OVERDUE_PENDING_MAX),
    });
    if (!sql) return { asOf, total: empty, bySteward: [], byArea: [], nextCursor: null };
    const [r] = await db.query(sql, params);
    if (r.ok) row = r;
    else if (mode === 'counted') throw cannotCount();
  }
  if (!row) row = await liveOverdueRow(db, auth.districtId, settings, asOf, now, { areaId: q.areaId, keysetOf, limit });
  if (!row) return { asOf, total: empty, bySteward: [], byArea: [], nextCursor: null };
  const stewards = row.stewards as (Summary & { id: string; name: string })[];
  const pending = new Map<string, OverdueReport['bySteward'][number]['pending']>();
  for (const x of row.pending as (PendingJson & { steward_id: string })[]) {
    const list = pending.get(x.steward_id) ?? pending.set(x.steward_id, []).get(x.steward_id)!;
    list.push({
      enterprise: { id: x.enterprise_id, name: x.enterprise_name }, area: { id: x.area_id, name: x.area_name },
      status: x.status, done: x.done, required: x.required, period: { from: x.first_day, to: x.last_day },
    });
  }
  const page = toPage(stewards, limit, (s) => [s.overdue, s.due, s.name, s.id]);
  const sum = (s: Summary): Summary => ({ done: s.done, due: s.due, overdue: s.overdue });
  return {
    asOf,
    total: sum(row.total),
    bySteward: page.items.map((s) => ({ steward: { id: s.id, name: s.name }, summary: sum(s), pending: pending.get(s.id) ?? [] })),
    byArea: (row.areas as (Summary & { id: string; name: string })[]).map((a) => ({ area: { id: a.id, name: a.name }, summary: sum(a) })),
    nextCursor: page.nextCursor,
  };
}

/** The live statement of `/cadence/overdue` (every assignment of the scope through `cadenceItemsSql`). */
async function liveOverdueRow(
  db: Q, districtId: string, settings: VisitSettings, asOf: string, now: Date, opts: { areaId?: string; keysetOf: (p: Bind) => string; limit: number },
) {
  const { params, p } = sqlParams();
  const items = cadenceItemsSql(p, districtId, settings, noonOf(asOf), now, { areaId: opts.areaId });
  if (!items) return undefined;
  const keyset = opts.keysetOf(p);
  const limit = opts.limit;
  const lim = p(limit + 1);
  const pmax = p(OVERDUE_PENDING_MAX);
  const [row] = await db.query(
    `WITH ${items},
     st_sum AS (
       SELECT st.id, st.name, count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'due')::int AS due,
              count(*) FILTER (WHERE status = 'overdue')::int AS overdue
         FROM item JOIN person st ON st.id = item.steward_id GROUP BY st.id, st.name),
     st_page AS (SELECT * FROM st_sum ${keyset} ORDER BY overdue DESC, due DESC, name, id LIMIT ${lim}),
     pend AS (
       SELECT i.steward_id, i.enterprise_id, i.enterprise_name, i.area_id, an.name AS area_name, i.status, i.done, i.required,
              to_char(i.first_day, 'YYYY-MM-DD') AS first_day, to_char(i.last_day, 'YYYY-MM-DD') AS last_day,
              row_number() OVER (PARTITION BY i.steward_id ORDER BY i.status = 'due', i.enterprise_name, i.enterprise_id) AS rn
         FROM item i JOIN area an ON an.id = i.area_id
        WHERE i.status <> 'done' AND i.steward_id IN (SELECT id FROM st_page))
     SELECT
       (SELECT json_build_object('done', count(*) FILTER (WHERE status = 'done'), 'due', count(*) FILTER (WHERE status = 'due'),
                                 'overdue', count(*) FILTER (WHERE status = 'overdue')) FROM item) AS total,
       (SELECT COALESCE(json_agg(x ORDER BY x.overdue DESC, x.due DESC, x.name, x.id), '[]') FROM (
          SELECT an.id, an.name, count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'due')::int AS due,
                 count(*) FILTER (WHERE status = 'overdue')::int AS overdue
            FROM item JOIN area an ON an.id = item.area_id GROUP BY an.id, an.name) x) AS areas,
       (SELECT COALESCE(json_agg(x ORDER BY x.overdue DESC, x.due DESC, x.name, x.id), '[]') FROM st_page x) AS stewards,
       (SELECT COALESCE(json_agg(x ORDER BY x.steward_id, x.rn), '[]') FROM pend x WHERE rn <= ${pmax}) AS pending`,
    params,
  );
  return row as { total: Summary; areas: unknown; stewards: unknown; pending: unknown };
}
