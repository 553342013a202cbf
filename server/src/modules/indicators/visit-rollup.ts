import type { DataSource } from 'typeorm';
import { CONTACT_STATUSES, shanghaiDate, startOfShanghaiDay, type VisitIndicators, type VisitSettings } from '@guanjia/shared';
import { sqlParams, type Queryable } from '../../lib/sql';
import { cadenceItemsSql } from '../visits/cadence.service';
import { getVisitSettings } from '../visits/visit-settings';
import type { Scope } from './indicators.service';

/**
 * The closed-month rollup of the visit figures of the summary (ADR 0011, second amendment): `visit_month_stat` holds,
 * per district, calendar month (Asia/Shanghai) and scope (the district, each area, each steward), exactly what
 * `visitIndicators` counts live for that month — contacts by channel, problems raised, enterprises contacted /
 * assigned / assigned and contacted, stewards behind their cadence as of the month's end. A month is read from it only
 * when it is in `visit_month` with the visit settings in force now; writes that change a closed month delete its row
 * in the same transaction (triggers of migration 1764640000000), and the visit-month job rebuilds missing months.
 */

type Q = Pick<Queryable, 'query'>;

/** The settings the figures depend on (the cadence rules and the key-enterprise criteria), as stored with a month. */
export const visitSettingsKey = (s: VisitSettings) =>
  JSON.stringify({ cadenceRules: s.cadenceRules, keyTags: s.keyTags, keyIncludesAboveScale: s.keyIncludesAboveScale });

/** The district scope's id in the rollup. */
const NIL = '00000000-0000-0000-0000-000000000000';

type StatRow = {
  contacts: number; onsite: number; phone: number; wechat: number; meeting: number; problems: number;
  contacted: number; assigned: number; assigned_contacted: number; stewards_behind: number;
};
const ZERO: StatRow = { contacts: 0, onsite: 0, phone: 0, wechat: 0, meeting: 0, problems: 0, contacted: 0, assigned: 0, assigned_contacted: 0, stewards_behind: 0 };
const COLS = Object.keys(ZERO) as (keyof StatRow)[];

/** The figures as `visitIndicators` returns them. */
export const presentVisitFigures = (r: StatRow): VisitIndicators => ({
  contacts: r.contacts,
  byChannel: { onsite: r.onsite, phone: r.phone, wechat: r.wechat, meeting: r.meeting },
  enterprisesContacted: r.contacted,
  enterprisesAssigned: r.assigned,
  assignedContacted: r.assigned_contacted,
  coverageRate: r.assigned ? Math.round((r.assigned_contacted / r.assigned) * 1000) / 10 : null,
  stewardsBehind: r.stewards_behind,
  problemsRaised: r.problems,
});

/**
 * The visit figures of a closed month ('YYYY-MM-01') for a district, area or steward scope from the rollup, or null
 * when the month is not rolled up or was rolled with other visit settings. One statement, so a month deleted by a
 * concurrent write is seen whole or not at all.
 */
export async function rolledVisitIndicators(db: Q, districtId: string, month: string, scope: Scope, settings: VisitSettings): Promise<VisitIndicators | null> {
  if (scope.kind !== 'district' && scope.kind !== 'area' && scope.kind !== 'steward') return null;
  const [r] = await db.query(
    `SELECT m.settings = $3 AS same, ${COLS.map((c) => `s.${c}`).join(', ')}
       FROM visit_month m LEFT JOIN visit_month_stat s ON s.district_id = m.district_id AND s.month = m.month AND s.scope_kind = $4 AND s.scope_id = $5::uuid
      WHERE m.district_id = $1 AND m.month = $2::date`,
    [districtId, month, visitSettingsKey(settings), scope.kind, scope.kind === 'district' ? NIL : scope.id],
  );
  if (!r || !r.same) return null;
  return presentVisitFigures(r.contacts === null ? ZERO : r);
}

const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
};
const lastDayOf = (m: string) => shanghaiDate(new Date(startOfShanghaiDay(nextMonth(m)).getTime() - 1));

/**
 * Every scope's figures of one month, grouped in SQL: the definitions of `visitIndicators` (contacts of the month by
 * the visit's steward and the enterprise's area; assignments overlapping the month; a steward's contacted and
 * assigned-and-contacted enterprises are their own) and of `stewardsBehindCadence` (the cadence rule for the periods
 * containing the month's last day, seen at the month's end), for the district, each area and each steward.
 */
export async function visitMonthFigures(db: Q, districtId: string, month: string, settings: VisitSettings): Promise<Map<string, StatRow>> {
  const last = lastDayOf(month);
  const start = startOfShanghaiDay(month);
  const endEx = startOfShanghaiDay(nextMonth(month));
  const counts: ({ kind: 'district' | 'area' | 'steward'; id: string | null } & StatRow)[] = await db.query(
    `WITH v AS MATERIALIZED (
       SELECT v.steward_id, v.enterprise_id, e.area_id, v.kind, v.problem_count
         FROM visit v JOIN enterprise e ON e.id = v.enterprise_id
        WHERE v.district_id = $1 AND v.status = ANY($6::text[]) AND v.occurred_at >= $2 AND v.occurred_at < $3),
     -- one row per (steward, enterprise): the joins below count each pair and each enterprise once
     a AS MATERIALIZED (
       SELECT DISTINCT s.steward_id, s.enterprise_id, e.area_id
         FROM assignment s JOIN enterprise e ON e.id = s.enterprise_id
        WHERE s.district_id = $1 AND s.starts_on <= $5::date AND (s.ends_on IS NULL OR s.ends_on >= $4::date)),
     ae AS (SELECT DISTINCT enterprise_id, area_id FROM a),
     ve AS (SELECT DISTINCT enterprise_id, area_id FROM v),
     vs AS (SELECT DISTINCT steward_id, enterprise_id FROM v),
     agg AS (
       SELECT 'district' AS kind, $7::uuid AS id, count(*)::int AS contacts,
              count(*) FILTER (WHERE kind = 'onsite')::int AS onsite, count(*) FILTER (WHERE kind = 'phone')::int AS phone,
              count(*) FILTER (WHERE kind = 'wechat')::int AS wechat, count(*) FILTER (WHERE kind = 'meeting')::int AS meeting,
              COALESCE(sum(problem_count), 0)::int AS problems
         FROM v
       UNION ALL
       SELECT 'area', area_id, count(*)::int, count(*) FILTER (WHERE kind = 'onsite')::int, count(*) FILTER (WHERE kind = 'phone')::int,
              count(*) FILTER (WHERE kind = 'wechat')::int, count(*) FILTER (WHERE kind = 'meeting')::int, COALESCE(sum(problem_count), 0)::int
         FROM v GROUP BY area_id
       UNION ALL
       SELECT 'steward', steward_id, count(*)::int, count(*) FILTER (WHERE kind = 'onsite')::int, count(*) FILTER (WHERE kind = 'phone')::int,
              count(*) FILTER (WHERE kind = 'wechat')::int, count(*) FILTER (WHERE kind = 'meeting')::int, COALESCE(sum(problem_count), 0)::int
         FROM v GROUP BY steward_id),
     cov AS (
       SELECT 'district' AS kind, $7::uuid AS id,
              (SELECT count(*) FROM ve)::int AS contacted, (SELECT count(*) FROM ae)::int AS assigned,
              (SELECT count(ae.enterprise_id) FROM ve LEFT JOIN ae ON ae.enterprise_id = ve.enterprise_id)::int AS assigned_contacted
       UNION ALL
       SELECT 'area', k, COALESCE(c.n, 0)::int, COALESCE(x.n, 0)::int, COALESCE(c.ac, 0)::int
         FROM (SELECT area_id AS k, count(*) AS n FROM ae GROUP BY 1) x
         FULL JOIN (SELECT ve.area_id AS k, count(*) AS n, count(ae.enterprise_id) AS ac
                      FROM ve LEFT JOIN ae ON ae.enterprise_id = ve.enterprise_id GROUP BY 1) c USING (k)
       UNION ALL
       SELECT 'steward', k, COALESCE(c.n, 0)::int, COALESCE(x.n, 0)::int, COALESCE(c.ac, 0)::int
         FROM (SELECT steward_id AS k, count(DISTINCT enterprise_id) AS n FROM a GROUP BY 1) x
         FULL JOIN (SELECT vs.steward_id AS k, count(*) AS n, count(a.enterprise_id) AS ac
                      FROM vs LEFT JOIN a ON a.steward_id = vs.steward_id AND a.enterprise_id = vs.enterprise_id GROUP BY 1) c USING (k))
     SELECT kind, id, COALESCE(agg.contacts, 0) AS contacts, COALESCE(agg.onsite, 0) AS onsite, COALESCE(agg.phone, 0) AS phone,
            COALESCE(agg.wechat, 0) AS wechat, COALESCE(agg.meeting, 0) AS meeting, COALESCE(agg.problems, 0) AS problems,
            COALESCE(cov.contacted, 0) AS contacted, COALESCE(cov.assigned, 0) AS assigned, COALESCE(cov.assigned_contacted, 0) AS assigned_contacted
       FROM agg FULL JOIN cov USING (kind, id)`,
    [districtId, start, endEx, month, last, [...CONTACT_STATUSES], NIL],
  );
  const out = new Map<string, StatRow>();
  for (const { kind, id, ...r } of counts) out.set(`${kind}:${id ?? NIL}`, { ...r, stewards_behind: 0 });
  // Stewards behind: the cadence items of the whole district, as `stewardsBehindCadence` sees them for the month's
  // last day at the month's end; an area's are the stewards with an overdue pair of an enterprise in it.
  const { params, p } = sqlParams();
  const items = cadenceItemsSql(p, districtId, settings, new Date(startOfShanghaiDay(last).getTime() + 12 * 3_600_000), endEx);
  if (items) {
    const behind: { kind: string; id: string | null; n: number }[] = await db.query(
      `WITH ${items}, b AS (SELECT DISTINCT steward_id, area_id FROM ar WHERE unmet = 'overdue' AND done < required)
       SELECT 'district' AS kind, NULL::uuid AS id, count(DISTINCT steward_id)::int AS n FROM b
       UNION ALL SELECT 'area', area_id, count(DISTINCT steward_id)::int FROM b GROUP BY area_id
       UNION ALL SELECT 'steward', steward_id, 1 FROM b GROUP BY steward_id`,
      params,
    );
    for (const b of behind) {
      if (!b.n) continue;
      const key = `${b.kind}:${b.id ?? NIL}`;
      out.set(key, { ...(out.get(key) ?? ZERO), stewards_behind: b.n });
    }
  }
  return out;
}

/** Advisory lock of a district's visit rollup: writers to closed months take it shared (the triggers), the job exclusive. */
const LOCK = `pg_advisory_xact_lock(hashtext('visit_month'), hashtext($1::text))`;

/** Rebuilds one month of a district in its own transaction, under the exclusive lock. */
export async function rebuildVisitMonth(db: DataSource, districtId: string, month: string, now = new Date(), opts: { force?: boolean } = {}): Promise<void> {
  await db.transaction(async (em) => {
    await em.query(`SELECT ${LOCK}`, [districtId]);
    const settings = await getVisitSettings(em, districtId);
    // another instance of the job may have rolled it while this one waited for the lock
    const [done] = await em.query(`SELECT 1 FROM visit_month WHERE district_id = $1 AND month = $2::date AND settings = $3`, [districtId, month, visitSettingsKey(settings)]);
    if (done && !opts.force) return;
    const figures = await visitMonthFigures(em, districtId, month, settings);
    await em.query(`DELETE FROM visit_month WHERE district_id = $1 AND month = $2::date`, [districtId, month]);
    await em.query(`INSERT INTO visit_month (district_id, month, settings, rolled_at) VALUES ($1, $2::date, $3, $4)`, [districtId, month, visitSettingsKey(settings), now]);
    const rows = [...figures.entries()].filter(([, r]) => COLS.some((c) => r[c] !== 0));
    if (!rows.length) return;
    const { params, p } = sqlParams([districtId, month]);
    const kinds = p(rows.map(([k]) => k.split(':')[0]));
    const ids = p(rows.map(([k]) => k.split(':')[1]));
    const columns = COLS.map((c) => `${p(rows.map(([, r]) => r[c]))}::int[]`);
    await em.query(
      `INSERT INTO visit_month_stat (district_id, month, scope_kind, scope_id, ${COLS.join(', ')})
       SELECT $1, $2::date, k, id, ${COLS.map((_, i) => `c${i}`).join(', ')}
         FROM unnest(${kinds}::text[], ${ids}::uuid[], ${columns.join(', ')}) AS x(k, id, ${COLS.map((_, i) => `c${i}`).join(', ')})`,
      params,
    );
  });
}

/** How long after a month's end the job first rolls it up: writes begun before the end have committed by then. */
const CLOSE_MARGIN_MS = 60 * 60 * 1000;
/** How many months back the job keeps rolled up. */
const MONTHS_BACK = 36;

/**
 * The visit-month job: for every district, rolls up each closed month (ended at least an hour ago, at most 36 months
 * back, from the month of its first visit or assignment) that is missing or was rolled with other visit settings.
 */
export async function refreshVisitMonths(db: DataSource, now = new Date()): Promise<{ months: number }> {
  const newest = shanghaiDate(new Date(now.getTime() - CLOSE_MARGIN_MS)).slice(0, 7);
  let n = 0;
  const districts: { id: string; first: string | null }[] = await db.query(
    `SELECT d.id, to_char(least((SELECT min(occurred_at) FROM visit v WHERE v.district_id = d.id) AT TIME ZONE 'Asia/Shanghai',
                                (SELECT min(starts_on) FROM assignment s WHERE s.district_id = d.id)), 'YYYY-MM-01') AS first
       FROM district d`,
  );
  for (const d of districts) {
    if (!d.first) continue;
    const settings = await getVisitSettings(db, d.id);
    const have: { m: string }[] = await db.query(
      `SELECT to_char(month, 'YYYY-MM-DD') AS m FROM visit_month WHERE district_id = $1 AND settings = $2`, [d.id, visitSettingsKey(settings)]);
    const rolled = new Set(have.map((h) => h.m));
    const months: string[] = [];
    for (let m = `${newest}-01`, i = 0; m >= d.first && i < MONTHS_BACK; m = prevMonth(m), i++) {
      // the newest closed month is `newest` unless it is still the current month
      if (startOfShanghaiDay(nextMonth(m)).getTime() + CLOSE_MARGIN_MS > now.getTime()) continue;
      if (!rolled.has(m)) months.push(m);
    }
    for (const m of months.reverse()) {
      await rebuildVisitMonth(db, d.id, m, now);
      n++;
    }
  }
  return { months: n };
}

const prevMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 1 ? `${y - 1}-12-01` : `${y}-${String(mo - 1).padStart(2, '0')}-01`;
};
