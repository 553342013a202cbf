import type { DataSource, EntityManager } from 'typeorm';
import {
  cadenceStatus, enterpriseClass, periodBounds, ruleFor, shanghaiDate,
  type CadenceContact, type CadenceItem, type CadenceRule, type OverdueReport, type StewardCadence, type VisitSettings,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { isDistrictWide, type AuthUser } from '../../plugins/auth';
import { getVisitSettings } from './visit-settings';
import { dayStart } from './period';

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
  const params: unknown[] = [districtId, first, last];
  const where = [`s.district_id = $1`, `s.starts_on <= $3::date`, `(s.ends_on IS NULL OR s.ends_on >= $2::date)`];
  if (opts.stewardId) where.push(`s.steward_id = $${params.push(opts.stewardId)}`);
  if (opts.areaId) where.push(`e.area_id = $${params.push(opts.areaId)}`);
  const assignments: AssignmentRow[] = await db.query(
    `SELECT s.steward_id, st.name AS steward_name, s.enterprise_id, e.name AS enterprise_name, e.area_id, a.name AS area_name,
            e.tags, e.scale, to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(s.ends_on, 'YYYY-MM-DD') AS ends_on
       FROM assignment s JOIN person st ON st.id = s.steward_id JOIN enterprise e ON e.id = s.enterprise_id JOIN area a ON a.id = e.area_id
      WHERE ${where.join(' AND ')}
      ORDER BY st.name, st.id, e.name, e.id`,
    params,
  );
  if (!assignments.length) return [];
  // Counted contacts per (steward, enterprise) and rule period, aggregated in SQL (issue 9: every visit row was
  // fetched and each pair ran the timezone arithmetic of the rule). The pure rule still decides: its answer depends
  // only on the rule and the count, so it runs once per distinct (rule, count).
  const periods = [...new Set(rules.map((r) => r.period))];
  const pb = periods.map((p) => periodBounds(opts.periodOf, p));
  const vp: unknown[] = [districtId, dayStart(first), new Date(dayStart(last).getTime() + 86_400_000), [...new Set(assignments.map((a) => a.steward_id))]];
  const cols = pb.map((b, i) => {
    const win = `occurred_at >= $${vp.push(b.start)} AND occurred_at < $${vp.push(b.end)}`;
    return `count(*) FILTER (WHERE ${win})::int AS any${i}, count(*) FILTER (WHERE kind = 'onsite' AND ${win})::int AS onsite${i}, max(occurred_at) FILTER (WHERE ${win}) AS last${i}`;
  });
  const counts: Record<string, string | number | Date | null>[] = await db.query(
    `SELECT steward_id, enterprise_id, ${cols.join(', ')} FROM visit
      WHERE district_id = $1 AND status IN ('checked_in','completed') AND occurred_at >= $2 AND occurred_at < $3 AND steward_id = ANY($4::uuid[])
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
  if (stewardId !== auth.id && !isDistrictWide(auth)) throw new AppError('NOT_FOUND');
  const [st] = await db.query(`SELECT id, name FROM person WHERE id = $1 AND district_id = $2 AND 'steward' = ANY(roles)`, [stewardId, auth.districtId]);
  if (!st) throw new AppError('NOT_FOUND');
  const asOf = date ?? shanghaiDate(now);
  const rows = await evaluateCadence(db, auth.districtId, { stewardId, periodOf: noonOf(asOf), now });
  return { steward: { id: st.id, name: st.name }, asOf, items: rows.map(({ steward: _s, ...item }) => item), summary: summarize(rows) };
}

/** Coordinators: who is behind, by steward and by area, for the periods containing `date` (default today). */
export async function overdueReport(db: DataSource, auth: AuthUser, q: { date?: string; areaId?: string }, now = new Date()): Promise<OverdueReport> {
  const asOf = q.date ?? shanghaiDate(now);
  const rows = await evaluateCadence(db, auth.districtId, { areaId: q.areaId, periodOf: noonOf(asOf), now });
  const stewards = new Map<string, CadenceRow[]>();
  const areas = new Map<string, CadenceRow[]>();
  for (const r of rows) {
    (stewards.get(r.steward.id) ?? stewards.set(r.steward.id, []).get(r.steward.id)!).push(r);
    (areas.get(r.enterprise.area.id) ?? areas.set(r.enterprise.area.id, []).get(r.enterprise.area.id)!).push(r);
  }
  const bySteward = [...stewards.values()]
    .map((list) => ({
      steward: list[0].steward,
      summary: summarize(list),
      pending: list.filter((r) => r.status !== 'done').map((r) => ({
        enterprise: { id: r.enterprise.id, name: r.enterprise.name }, area: r.enterprise.area, status: r.status, done: r.done, required: r.required, period: r.period,
      })),
    }))
    .sort((a, b) => b.summary.overdue - a.summary.overdue || b.summary.due - a.summary.due || a.steward.name.localeCompare(b.steward.name, 'zh'));
  const byArea = [...areas.values()]
    .map((list) => ({ area: list[0].enterprise.area, summary: summarize(list) }))
    .sort((a, b) => b.summary.overdue - a.summary.overdue || b.summary.due - a.summary.due || a.area.name.localeCompare(b.area.name, 'zh'));
  return { asOf, total: summarize(rows), bySteward, byArea };
}
