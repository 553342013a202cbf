import type { DataSource } from 'typeorm';
import type { IndicatorCounts, StatsDimension } from '@guanjia/shared';
import { sqlParams, type Queryable } from '../../lib/sql';
import { COUNT_KEYS, countColumns, groupKey, overdueByGroup, scopeSql, snake, sumCountsSql } from './indicator-rollup';
import type { Period, Scope } from './indicators.service';

/**
 * The counts of periods that run up to now, from delta rows kept by a trigger (ADR 0011, third amendment; migration
 * 1764900000000-IndicatorLive). `indicator_live` holds, per district, creation month and the four grouping keys, the
 * counts of `ticketCounts` as of now; every ticket write appends its new contribution minus its old one in its own
 * transaction, so a reader sums rows instead of counting the period's tickets. A district is read from here only
 * when its mark exists: the job builds the rows once (and again after a calendar edit, which deletes the marks) in
 * one statement, so writes need no lock (migration 1765200000000); an advisory lock on the district keeps the
 * compaction (shared) out of a rebuild (exclusive).
 */

type Q = Pick<Queryable, 'query'>;
type CountsRow = IndicatorCounts & { k: string | null };

const LOCK = (mode: 'shared' | 'exclusive') =>
  `pg_advisory_xact_lock${mode === 'shared' ? '_shared' : ''}(hashtext('indicator_live'), hashtext($1::text))`;
const KEYS = ['category_id', 'area_id', 'lead_department_id', 'steward_id'] as const;
const MONTH = `date_trunc('month', t.created_at AT TIME ZONE 'Asia/Shanghai')::date`;

/** The period runs up to now from the first day of a month: its tickets are those of whole months as of now. */
export function runsToNow(period: Period): boolean {
  return period.from.endsWith('-01') && period.asOf.getTime() === period.now.getTime();
}

/**
 * The counts of a period that runs to now from the delta rows (plus overdue, live), grouped like `ticketCounts`;
 * null when the district's rows are not built (then the caller counts live).
 */
export async function liveTicketCountsFromDeltas(db: Q, districtId: string, period: Period, scope: Scope, by: StatsDimension | 'none'): Promise<CountsRow[] | null> {
  if (!runsToNow(period)) return null;
  const cols = COUNT_KEYS;
  const s = sqlParams([districtId, period.from]);
  // The mark is read in the same statement as the sums, so a calendar edit committed in between is seen whole.
  const [sums, overdue]: [(CountsRow & { flag: boolean | null })[], { k: string | null; overdue: number }[]] = await Promise.all([
    db.query(
      `SELECT ${groupKey(by, 's')} AS k, NULL::boolean AS flag, ${sumCountsSql('s')}
         FROM indicator_live s
        WHERE s.district_id = $1 AND s.month >= $2::date AND ${scopeSql(scope, s.p, 's')}
          AND EXISTS (SELECT 1 FROM indicator_live_mark m WHERE m.district_id = $1)
        GROUP BY 1
       UNION ALL
       SELECT NULL, EXISTS (SELECT 1 FROM indicator_live_mark m WHERE m.district_id = $1), ${cols.map(() => '0').join(', ')}`,
      s.params,
    ),
    overdueByGroup(db, districtId, period, scope, by),
  ]);
  // One row says whether the district is marked (an empty sum has no rows to say it).
  if (!sums.some((r) => r.flag === true)) return null;
  const zero = Object.fromEntries(cols.map((k) => [k, 0])) as unknown as IndicatorCounts;
  const byKey = new Map<string | null, CountsRow>(sums.filter((r) => r.flag === null).map(({ flag: _f, ...r }) => [r.k, { ...r, overdue: 0 }]));
  for (const r of overdue) {
    const row = byKey.get(r.k) ?? { ...zero, k: r.k, overdue: 0 };
    row.overdue = r.overdue;
    byKey.set(r.k, row);
  }
  return [...byKey.values()].filter((r) => cols.some((k) => r[k as keyof IndicatorCounts] !== 0) || r.overdue !== 0);
}

/**
 * Rebuilds a district's delta rows from its tickets and marks it (the first time, and after a calendar edit): one
 * grouped statement with the counting columns of the live count, as of 'infinity', and the working days from an
 * ordinal array over every day the district's tickets touch, by the calendar rule the trigger uses. The delete is in
 * the same statement: its snapshot drops exactly the delta rows of the writes the insert counts, and a write that
 * commits meanwhile keeps its rows (new minus old) over the old row counted here.
 */
export async function rebuildIndicatorLive(db: DataSource, districtId: string, now = new Date()): Promise<void> {
  await db.transaction(async (em) => {
    await em.query(`SELECT ${LOCK('exclusive')}`, [districtId]);
    const [range] = await em.query(
      `SELECT (min(created_at) AT TIME ZONE 'Asia/Shanghai')::date AS lo,
              GREATEST(($2::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
                       (max(GREATEST(accepted_at, replied_at)) AT TIME ZONE 'Asia/Shanghai')::date) AS hi
         FROM ticket WHERE district_id = $1`,
      [districtId, now],
    );
    if (!range.lo) await em.query(`DELETE FROM indicator_live WHERE district_id = $1`, [districtId]);
    else {
      const cols = countColumns({ asOf: `'infinity'::timestamptz`, from: '$2::date', ords: 'o.ords' });
      await em.query(
        `WITH gone AS (DELETE FROM indicator_live WHERE district_id = $1),
              o AS (SELECT array_agg(n ORDER BY d) AS ords FROM (
                      SELECT d, (count(*) FILTER (WHERE d > $2::date AND calendar_is_working($1, d::date)) OVER (ORDER BY d))::int AS n
                        FROM generate_series($2::date, $3::date, interval '1 day') g(d)) x)
         INSERT INTO indicator_live (district_id, month, ${KEYS.join(', ')}, ${cols.map(([k]) => snake(k)).join(', ')}, folded)
         SELECT $1, ${MONTH}, ${groupKey('category', 't')}, ${groupKey('area', 't')}, ${groupKey('department', 't')}, ${groupKey('steward', 't')},
                ${cols.map(([, sql]) => `${sql}::int`).join(', ')}, true
           FROM ticket t, o WHERE t.district_id = $1
          GROUP BY 2, 3, 4, 5, 6`,
        [districtId, range.lo, range.hi],
      );
    }
    await em.query(
      `INSERT INTO indicator_live_mark (district_id, built_at) VALUES ($1, $2) ON CONFLICT (district_id) DO UPDATE SET built_at = EXCLUDED.built_at`,
      [districtId, now],
    );
  });
}

/**
 * Folds each key's rows of the months that received deltas since the last run into one row (dropping keys that sum
 * to zero), one district per transaction under the shared lock (a rebuild must not run between the delete and the
 * insert). Rows appended by transactions that commit meanwhile are outside the statement's snapshot and wait for
 * the next run, so no sum ever changes. Returns the rows removed.
 */
export async function compactIndicatorLive(db: DataSource): Promise<number> {
  const targets: { district_id: string; month: string }[] = await db.query(
    `SELECT DISTINCT district_id, to_char(month, 'YYYY-MM-DD') AS month FROM indicator_live WHERE NOT folded`,
  );
  let removed = 0;
  const cols = COUNT_KEYS.map(snake);
  for (const t of targets) {
    removed += await db.transaction(async (em) => {
      await em.query(`SELECT ${LOCK('shared')}`, [t.district_id]);
      const [r] = await em.query(
        `WITH d AS (DELETE FROM indicator_live WHERE district_id = $1 AND month = $2::date RETURNING *),
              s AS (INSERT INTO indicator_live (district_id, month, ${KEYS.join(', ')}, ${cols.join(', ')}, folded)
                    SELECT district_id, month, ${KEYS.join(', ')}, ${cols.map((c) => `sum(${c})`).join(', ')}, true FROM d
                     GROUP BY district_id, month, ${KEYS.join(', ')}
                    HAVING ${cols.map((c) => `sum(${c}) <> 0`).join(' OR ')} RETURNING 1)
         SELECT (SELECT count(*) FROM d)::int - (SELECT count(*) FROM s)::int AS removed`,
        [t.district_id, t.month],
      );
      return r.removed as number;
    });
  }
  return removed;
}

/** Builds the rows of every district that has tickets and no mark (new districts, calendar edits). */
export async function buildMissingIndicatorLive(db: DataSource, now = new Date()): Promise<number> {
  const rows: { id: string }[] = await db.query(
    `SELECT d.id FROM district d WHERE NOT EXISTS (SELECT 1 FROM indicator_live_mark m WHERE m.district_id = d.id)`,
  );
  for (const r of rows) await rebuildIndicatorLive(db, r.id, now);
  return rows.length;
}
