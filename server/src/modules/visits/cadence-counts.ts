import { ENTERPRISE_CLASSES, periodBounds, shanghaiDate, type CadenceRule, type EnterpriseClass, type VisitSettings } from '@guanjia/shared';
import { sqlParams, type Queryable } from '../../lib/sql';
import type { Bind } from '../../lib/policy';
import { getVisitSettings } from './visit-settings';

/**
 * The cadence rule answered from the maintained counts of migration 1764800000000 (ADR 0019) instead of evaluating
 * every assignment of the district: a page reads its stewards' counter rows, whatever the district's size.
 *
 * Exact when the district has been built (`cadence_meta`) with the key-enterprise criteria it uses now and every
 * rule's period starts on or after the meta's horizon; the callers count live otherwise. The check is part of the
 * statement that reads the counts (CTE `m`), so a concurrent rebuild or horizon move is seen whole.
 */

/** The rules that apply (ruleFor: the first rule of a known class), with their period containing `periodOf`. */
export function applicableRules(settings: VisitSettings, periodOf: Date, now: Date) {
  return (settings.cadenceRules as CadenceRule[])
    .filter((r, i, all) => ENTERPRISE_CLASSES.includes(r.enterpriseClass as EnterpriseClass) && all.findIndex((x) => x.enterpriseClass === r.enterpriseClass) === i)
    .map((r) => {
      const b = periodBounds(periodOf, r.period);
      return { ...r, isKey: r.enterpriseClass === 'key', bounds: b, unmet: (now.getTime() >= b.end.getTime() ? 'overdue' : 'due') as 'overdue' | 'due' };
    });
}
export type AppliedRule = ReturnType<typeof applicableRules>[number];

/**
 * CTEs ending in `cell`: per steward, area and class with a rule, the assigned pairs `done` (meeting the rule in its
 * period) and `unmet` (the others), and `unmet_status` (due while the period runs, overdue once it ended); and `m`,
 * one row when the maintained counts answer exactly (else the caller must count live). Null when no rule applies.
 */
export function cadenceCellsSql(
  p: Bind, districtId: string, settings: VisitSettings, rules: AppliedRule[], opts: { areaId?: string; stewardId?: string } = {},
): string | null {
  if (!rules.length) return null;
  const d = p(districtId);
  const tags = p([...new Set(settings.keyTags)]);
  const minFirst = rules.map((r) => r.bounds.firstDay).reduce((m, x) => (x < m ? x : m));
  const ruleRows = rules.map((r) =>
    `(${p(r.isKey)}::boolean, ${p(r.period)}::text, ${p(r.bounds.firstDay)}::date, ${p(r.bounds.lastDay)}::date, ${p(r.requiredCount)}::int,
      ${p(r.requiredKind === 'onsite')}::boolean, ${p(r.unmet)}::text)`);
  const filters = (t: string) =>
    `${opts.areaId ? `AND ${t}.area_id = ${p(opts.areaId)}::uuid` : ''} ${opts.stewardId ? `AND ${t}.steward_id = ${p(opts.stewardId)}::uuid` : ''}`;
  return `m AS (SELECT 1 FROM cadence_meta WHERE district_id = ${d} AND key_above = ${p(settings.keyIncludesAboveScale)}::boolean
                 AND key_tags @> ${tags}::text[] AND key_tags <@ ${tags}::text[] AND horizon <= ${p(minFirst)}::date),
     r (is_key, period, first_day, last_day, required, onsite_only, unmet) AS (VALUES ${ruleRows.join(', ')}),
     -- pairs assigned in their rule's period: islands overlapping it minus gaps inside it (one per pair)
     asg AS MATERIALIZED (
       SELECT s.steward_id, s.area_id, s.is_key, sum(s.n)::int AS n
         FROM cadence_span s JOIN r ON r.is_key = s.is_key
        WHERE s.district_id = ${d} ${filters('s')}
          AND CASE WHEN s.bridge THEN s.lo >= r.first_day AND s.hi <= r.last_day ELSE s.lo <= r.last_day AND s.hi >= r.first_day END
        GROUP BY 1, 2, 3),
     -- assigned pairs whose counted contacts in the period meet the rule (both CTEs materialized: a few hundred rows
     -- each; inlined, a nested loop re-aggregated dn once per asg row, 0.9 s at 1M)
     dn AS MATERIALIZED (
       SELECT c.steward_id, c.area_id, c.is_key, sum(c.n)::int AS n
         FROM cadence_done c JOIN r ON r.is_key = c.is_key AND r.period = c.period AND r.first_day = c.first_day
        WHERE c.district_id = ${d} ${filters('c')} AND CASE WHEN r.onsite_only THEN c.n_onsite ELSE c.n_any END >= r.required
        GROUP BY 1, 2, 3),
     cell AS (
       SELECT a.steward_id, a.area_id, COALESCE(dn.n, 0) AS done, a.n - COALESCE(dn.n, 0) AS unmet, r.unmet AS unmet_status
         FROM asg a JOIN r ON r.is_key = a.is_key LEFT JOIN dn ON dn.steward_id = a.steward_id AND dn.area_id = a.area_id AND dn.is_key = a.is_key
        WHERE a.n <> 0)`;
}

/** Stewards behind (an assigned pair whose period ended unmet), or null when the counts cannot answer exactly. */
export async function countedStewardsBehind(
  db: Queryable, districtId: string, settings: VisitSettings, periodOf: Date, now: Date, opts: { areaId?: string; stewardId?: string } = {},
): Promise<number | null> {
  const { params, p } = sqlParams();
  const cells = cadenceCellsSql(p, districtId, settings, applicableRules(settings, periodOf, now), opts);
  if (!cells) return 0;
  const [r] = await db.query(
    `WITH ${cells}
     SELECT EXISTS (SELECT 1 FROM m) AS ok,
            (SELECT count(*) FROM (SELECT steward_id FROM cell WHERE unmet_status = 'overdue' GROUP BY 1 HAVING sum(unmet) > 0) x)::int AS n`,
    params,
  );
  return r.ok ? r.n : null;
}

/**
 * The SQL of `/cadence/overdue`'s row (total, areas, one page of stewards, their pending lists) from the counts;
 * `ok` false when they cannot answer. `keyset` filters `st_sum` (the page after a cursor).
 */
export function countedOverdueSql(
  p: Bind, districtId: string, settings: VisitSettings, rules: AppliedRule[], opts: { areaId?: string; keyset: string; limit: string; pendingMax: string },
): string | null {
  const cells = cadenceCellsSql(p, districtId, settings, rules, { areaId: opts.areaId });
  if (!cells) return null;
  const d = p(districtId);
  const areaFilter = opts.areaId ? `AND cp.area_id = ${p(opts.areaId)}::uuid` : '';
  // the pair's counted contacts under rule r (one probe of the pair's period row)
  const counted = (r: AppliedRule) =>
    `COALESCE((SELECT ${r.requiredKind === 'onsite' ? 'c.n_onsite' : 'c.n_any'} FROM cadence_contact c
                WHERE c.steward_id = cp.steward_id AND c.enterprise_id = cp.enterprise_id AND c.period = ${p(r.period)} AND c.first_day = ${p(r.bounds.firstDay)}::date), 0)`;
  const doneOf = rules.map((r) => `WHEN ${p(r.isKey)}::boolean THEN ${counted(r)}`).join(' ');
  // a pair pending under rule r: its class, fewer counted contacts than required, assigned in r's period — from the
  // pair's hull when its assignments form one island, else a probe of ix_assignment_pair (a scalar subquery with
  // LIMIT: as EXISTS under an OR the planner hashed all 100,000 assignments of the district, twice)
  const pendingUnder = (r: AppliedRule) =>
    `(y.is_key = ${p(r.isKey)}::boolean AND y.done < ${p(r.requiredCount)}::int
      AND CASE WHEN y.islands = 1 THEN y.hull_lo <= ${p(r.bounds.lastDay)}::date AND y.hull_hi >= ${p(r.bounds.firstDay)}::date
               ELSE (SELECT true FROM assignment a WHERE a.steward_id = y.steward_id AND a.enterprise_id = y.enterprise_id AND a.district_id = ${d}
                        AND a.starts_on <= ${p(r.bounds.lastDay)}::date AND (a.ends_on IS NULL OR a.ends_on >= ${p(r.bounds.firstDay)}::date) LIMIT 1) END)`;
  // overdue pending first, then due (the live order), each walked by name on ix_cadence_pair_walk up to the cap; the
  // pair's count is computed once per walked pair (OFFSET 0 keeps the inner projection, so the filter reads it)
  const groups = (['overdue', 'due'] as const).map((status) => ({ status, rules: rules.filter((r) => r.unmet === status) })).filter((g) => g.rules.length);
  const walks = groups.map((g, gi) =>
    `SELECT sp.id AS steward_id, ${gi} AS grp, x.* FROM st_page sp CROSS JOIN LATERAL (
       SELECT y.enterprise_id, y.enterprise_name, y.area_id, y.is_key, y.done FROM (
         SELECT cp.steward_id, cp.enterprise_id, cp.enterprise_name, cp.area_id, cp.is_key, cp.islands, cp.hull_lo, cp.hull_hi,
                (CASE cp.is_key ${doneOf} END)::int AS done
           FROM cadence_pair cp
          WHERE cp.steward_id = sp.id ${areaFilter} AND cp.is_key = ANY(${p(g.rules.map((r) => r.isKey))}::boolean[])
          ORDER BY cp.enterprise_name, cp.enterprise_id OFFSET 0) y
        WHERE ${g.rules.map(pendingUnder).join(' OR ')}
        LIMIT ${opts.pendingMax}) x`);
  return `WITH ${cells},
     st_sum AS (
       SELECT st.id, st.name, sum(c.done)::int AS done, COALESCE(sum(c.unmet) FILTER (WHERE c.unmet_status = 'due'), 0)::int AS due,
              COALESCE(sum(c.unmet) FILTER (WHERE c.unmet_status = 'overdue'), 0)::int AS overdue
         FROM cell c JOIN person st ON st.id = c.steward_id GROUP BY st.id, st.name),
     st_page AS (SELECT * FROM st_sum ${opts.keyset} ORDER BY overdue DESC, due DESC, name, id LIMIT ${opts.limit}),
     walk AS (${walks.join(' UNION ALL ')}),
     pend AS (
       SELECT cp.steward_id, cp.enterprise_id, cp.enterprise_name, cp.area_id, an.name AS area_name, r.unmet AS status,
              cp.done, r.required,
              to_char(r.first_day, 'YYYY-MM-DD') AS first_day, to_char(r.last_day, 'YYYY-MM-DD') AS last_day,
              row_number() OVER (PARTITION BY cp.steward_id ORDER BY cp.grp, cp.enterprise_name, cp.enterprise_id) AS rn
         FROM walk cp JOIN r ON r.is_key = cp.is_key JOIN area an ON an.id = cp.area_id)
     SELECT
       EXISTS (SELECT 1 FROM m) AS ok,
       (SELECT json_build_object('done', COALESCE(sum(done), 0), 'due', COALESCE(sum(unmet) FILTER (WHERE unmet_status = 'due'), 0),
                                 'overdue', COALESCE(sum(unmet) FILTER (WHERE unmet_status = 'overdue'), 0)) FROM cell) AS total,
       (SELECT COALESCE(json_agg(x ORDER BY x.overdue DESC, x.due DESC, x.name, x.id), '[]') FROM (
          SELECT an.id, an.name, sum(c.done)::int AS done, COALESCE(sum(c.unmet) FILTER (WHERE c.unmet_status = 'due'), 0)::int AS due,
                 COALESCE(sum(c.unmet) FILTER (WHERE c.unmet_status = 'overdue'), 0)::int AS overdue
            FROM cell c JOIN area an ON an.id = c.area_id GROUP BY an.id, an.name) x) AS areas,
       (SELECT COALESCE(json_agg(x ORDER BY x.overdue DESC, x.due DESC, x.name, x.id), '[]') FROM st_page x) AS stewards,
       (SELECT COALESCE(json_agg(x ORDER BY x.steward_id, x.rn), '[]') FROM pend x WHERE rn <= ${opts.pendingMax}) AS pending`;
}

/** Rule periods starting before this are counted live: the first day of the quarter before the current one. */
export function cadenceHorizon(now: Date): string {
  const today = shanghaiDate(now);
  const y = Number(today.slice(0, 4));
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3); // 0..3
  const [yy, qq] = q === 0 ? [y - 1, 3] : [y, q - 1];
  return `${yy}-${String(qq * 3 + 1).padStart(2, '0')}-01`;
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a), y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
};

/** Builds a district's counts from its tables (writers of the district wait meanwhile). */
export async function buildCadenceCounts(db: Queryable, districtId: string, settings: VisitSettings, horizon: string): Promise<void> {
  await db.query(`SELECT cadence_rebuild($1, $2::text[], $3, $4::date)`, [districtId, [...new Set(settings.keyTags)], settings.keyIncludesAboveScale, horizon]);
  // fresh statistics: the tables were empty (or another size) when autovacuum last looked, and the readers' plans
  // with one-row estimates re-aggregated a CTE per row (0.9 s instead of milliseconds at 1M)
  await db.query(`ANALYZE cadence_pair, cadence_span, cadence_contact, cadence_done`);
}

/**
 * The cadence-counts job: builds the districts not built yet or built with other key-enterprise criteria, moves
 * each district's horizon forward (dropping the rows of older periods, folding the islands that started before it),
 * and folds the delta rows of each key into one. Returns what it did, for the log.
 */
export async function maintainCadenceCounts(db: Queryable, now = new Date(), opts: { horizon?: string } = {}): Promise<{ built: number; moved: number; folded: number }> {
  const target = opts.horizon ?? cadenceHorizon(now);
  const districts: { id: string; key_tags: string[] | null; key_above: boolean | null; horizon: string | null }[] = await db.query(
    `SELECT d.id, m.key_tags, m.key_above, to_char(m.horizon, 'YYYY-MM-DD') AS horizon FROM district d LEFT JOIN cadence_meta m ON m.district_id = d.id`,
  );
  let built = 0, moved = 0;
  for (const d of districts) {
    const settings = await getVisitSettings(db, d.id);
    if (d.horizon === null || d.key_above !== settings.keyIncludesAboveScale || !sameSet(d.key_tags ?? [], settings.keyTags)) {
      await buildCadenceCounts(db, d.id, settings, target);
      built++;
    } else if (d.horizon < target) {
      await moveCadenceHorizon(db, d.id, target);
      moved++;
    }
  }
  return { built, moved, folded: await foldCadenceCounts(db) };
}

/** Moves a district's horizon forward: older periods' rows go, islands starting before it are keyed from -infinity. */
export async function moveCadenceHorizon(db: Queryable, districtId: string, horizon: string): Promise<void> {
  await db.query(
    `WITH m AS (UPDATE cadence_meta SET horizon = $2::date WHERE district_id = $1 AND horizon < $2::date RETURNING 1),
          c AS (DELETE FROM cadence_contact WHERE district_id = $1 AND first_day < $2::date AND EXISTS (SELECT 1 FROM m) RETURNING 1),
          dn AS (DELETE FROM cadence_done WHERE district_id = $1 AND first_day < $2::date AND EXISTS (SELECT 1 FROM m) RETURNING 1),
          s AS (DELETE FROM cadence_span WHERE district_id = $1 AND EXISTS (SELECT 1 FROM m)
                RETURNING steward_id, area_id, is_key, bridge, lo, hi, n)
     INSERT INTO cadence_span (district_id, steward_id, area_id, is_key, bridge, lo, hi, n)
     SELECT $1, steward_id, area_id, is_key, bridge, CASE WHEN NOT bridge AND lo < $2::date THEN '-infinity'::date ELSE lo END, hi, sum(n)
       FROM s WHERE hi >= $2::date AND NOT (bridge AND lo < $2::date)
      GROUP BY 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0`,
    [districtId, horizon],
  );
  // the done rows of the deleted contacts were appended by the delete's trigger after the statement's snapshot
  await db.query(`DELETE FROM cadence_done WHERE district_id = $1 AND first_day < $2::date`, [districtId, horizon]);
}

/** Folds the delta rows of each key of `cadence_span` and `cadence_done` into one (as ADR 0020's compaction). */
export async function foldCadenceCounts(db: Queryable): Promise<number> {
  let removed = 0;
  for (const [table, key] of [
    ['cadence_span', 'district_id, steward_id, area_id, is_key, bridge, lo, hi'],
    ['cadence_done', 'district_id, period, first_day, steward_id, area_id, is_key, n_any, n_onsite'],
  ] as const) {
    const cols = key.split(', ');
    const [r] = await db.query(
      `WITH k AS (SELECT ${key} FROM ${table} GROUP BY ${key} HAVING count(*) > 1 OR sum(n) = 0),
            d AS (DELETE FROM ${table} c USING k WHERE ${cols.map((c) => `c.${c} = k.${c}`).join(' AND ')} RETURNING ${cols.map((c) => `c.${c}`).join(', ')}, c.n),
            s AS (INSERT INTO ${table} (${key}, n) SELECT ${key}, sum(n) FROM d GROUP BY ${key} HAVING sum(n) <> 0 RETURNING 1)
       SELECT (SELECT count(*) FROM d)::int - (SELECT count(*) FROM s)::int AS removed`,
    );
    removed += r.removed as number;
  }
  return removed;
}
