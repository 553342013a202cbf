import type { DataSource } from 'typeorm';
import {
  compositeScore, CONTACT_STATUSES, satisfactionRateOf, DEFAULT_INDICATOR_WEIGHTS, pct, periodBounds, startOfShanghaiDay, type CityDistricts, type CityDistrictRow,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { overdueSql, receivedSql } from '../indicators/indicator-sql';
import type { Principal } from '../../lib/principal';
import { mayReadCity } from './city.policy';

/**
 * The 12345 platforms' default weights (docs/metrics.md): composite = 0.1 × 响应 + 0.5 × 解决 + 0.4 × 满意; 基本满意 counts 0.9.
 * Districts compared side by side are scored with the same weights, whatever each district set for itself.
 */
export const CITY_WEIGHTS = DEFAULT_INDICATOR_WEIGHTS;

const MONTH = /^(?:20\d\d|2100)-(?:0[1-9]|1[0-2])$/;

type Agg = {
  id: string; code: string; name: string;
  received: number; enterprises: number; closed: number; solved: number; accepted: number; accepted_on_time: number;
  replied: number; replied_on_time: number; satisfied: number; basically: number; verdicts: number; overdue: number; contacts: number;
};


/**
 * The districts of the caller's city side by side for one month, ranked by the composite score (ADR 0008).
 * Tickets count by the month they were received (created_at), with the column definitions of ticketStats
 * (stats.service.ts): received leaves out withdrawn and merged tickets; 办结 = is_handled; 解决 = is_solved by the
 * month's end; verdicts are the ticket's current verdict. 签收/答复 on time compare accepted_at/replied_at (by the
 * month's end) with the ticket's own deadlines. Overdue is as of now. Contacts are visits in CONTACT_STATUSES that
 * occurred in the month. Only districts whose city_code is the principal's city are read.
 */
export async function cityDistricts(db: Pick<DataSource, 'query'>, p: Principal, month: string, now = new Date()): Promise<CityDistricts> {
  if (p.scope !== 'city' || !p.cityCode || !mayReadCity(p, p.cityCode)) throw new AppError('SCOPE_FORBIDDEN');
  if (!MONTH.test(month)) throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring/month', message: '月份格式应为 YYYY-MM' }]);
  const { start, end } = periodBounds(startOfShanghaiDay(`${month}-01`), 'month');
  const asOf = end.getTime() < now.getTime() ? end : now;
  const [city] = await db.query(`SELECT code, name FROM city WHERE code = $1`, [p.cityCode]);
  if (!city) throw new AppError('SCOPE_FORBIDDEN');
  const R = receivedSql('t');
  const rows: Agg[] = await db.query(
    `WITH d AS (SELECT id, code, name FROM district WHERE city_code = $1),
     t AS (
       SELECT t.district_id,
              count(*) FILTER (WHERE ${R})::int AS received,
              count(DISTINCT t.enterprise_id) FILTER (WHERE ${R})::int AS enterprises,
              count(*) FILTER (WHERE t.is_handled AND ${R})::int AS closed,
              count(*) FILTER (WHERE t.is_solved AND t.solved_at < $4 AND ${R})::int AS solved,
              count(*) FILTER (WHERE t.accepted_at < $4 AND t.state <> 'merged')::int AS accepted,
              count(*) FILTER (WHERE t.accepted_at < $4 AND t.state <> 'merged' AND t.accepted_at <= t.accept_due_at)::int AS accepted_on_time,
              count(*) FILTER (WHERE t.replied_at < $4 AND t.state <> 'merged')::int AS replied,
              count(*) FILTER (WHERE t.replied_at < $4 AND t.state <> 'merged' AND t.replied_at <= t.reply_due_at)::int AS replied_on_time,
              count(*) FILTER (WHERE t.verdict = 'satisfied' AND ${R})::int AS satisfied,
              count(*) FILTER (WHERE t.verdict = 'basically_satisfied' AND ${R})::int AS basically,
              count(*) FILTER (WHERE t.verdict IS NOT NULL AND ${R})::int AS verdicts,
              count(*) FILTER (WHERE ${overdueSql('$5')})::int AS overdue
         FROM ticket t JOIN d ON d.id = t.district_id
        WHERE t.created_at >= $2 AND t.created_at < $3
        GROUP BY t.district_id),
     v AS (
       SELECT v.district_id, count(*)::int AS contacts
         FROM visit v JOIN d ON d.id = v.district_id
        WHERE v.occurred_at >= $2 AND v.occurred_at < $3 AND v.status = ANY($6::text[])
        GROUP BY v.district_id)
     SELECT d.id, d.code, d.name,
            COALESCE(t.received, 0) AS received, COALESCE(t.enterprises, 0) AS enterprises, COALESCE(t.closed, 0) AS closed,
            COALESCE(t.solved, 0) AS solved, COALESCE(t.accepted, 0) AS accepted, COALESCE(t.accepted_on_time, 0) AS accepted_on_time,
            COALESCE(t.replied, 0) AS replied, COALESCE(t.replied_on_time, 0) AS replied_on_time,
            COALESCE(t.satisfied, 0) AS satisfied, COALESCE(t.basically, 0) AS basically, COALESCE(t.verdicts, 0) AS verdicts,
            COALESCE(t.overdue, 0) AS overdue, COALESCE(v.contacts, 0) AS contacts
       FROM d LEFT JOIN t ON t.district_id = d.id LEFT JOIN v ON v.district_id = d.id
      ORDER BY d.code`,
    [p.cityCode, start, end, asOf, now, [...CONTACT_STATUSES]],
  );
  const w = CITY_WEIGHTS;
  const scored = rows.map((r) => {
    const acceptOnTimeRate = pct(r.accepted_on_time, r.accepted);
    const solveRate = pct(r.solved, r.received);
    const satisfactionRate = satisfactionRateOf(r.satisfied, r.basically, r.verdicts - r.satisfied - r.basically, w);
    // A district that received nothing has nothing to rank on; a missing rate otherwise counts as 0 (shared formula).
    const score = compositeScore(r.received, acceptOnTimeRate, solveRate, satisfactionRate, w);
    return {
      district: { id: r.id, code: r.code.trim(), name: r.name },
      received: r.received, enterprises: r.enterprises, closed: r.closed, solved: r.solved,
      accepted: r.accepted, acceptedOnTime: r.accepted_on_time, replied: r.replied, repliedOnTime: r.replied_on_time,
      satisfied: r.satisfied, basicallySatisfied: r.basically, verdicts: r.verdicts, overdue: r.overdue, contacts: r.contacts,
      acceptOnTimeRate, replyOnTimeRate: pct(r.replied_on_time, r.replied), solveRate, satisfactionRate, score, rank: 0,
    } satisfies CityDistrictRow;
  });
  scored.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || (a.district.code < b.district.code ? -1 : a.district.code > b.district.code ? 1 : 0));
  scored.forEach((r, i) => { r.rank = i + 1; });
  return { city: { code: String(city.code).trim(), name: city.name }, month, weights: { ...w }, districts: scored };
}
