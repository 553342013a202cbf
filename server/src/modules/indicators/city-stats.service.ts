import type { DataSource } from 'typeorm';
import {
  addCounts, cityRankText, sumProjectStats, DEFAULT_INDICATOR_SETTINGS, rankChange, rankChangeText, rankRows, redBlackLists, ZERO_INDICATOR_COUNTS,
  type DistrictRanking, type IndicatorCounts, type IndicatorSettings, type IndicatorSummary, type StatsDimension, type StatsScope, type VisitIndicators,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser, Principal } from '../../lib/principal';
import { CITY_WEIGHTS } from '../city/city.service';
import {
  categoryTree, enterprisesWithTickets, keyNames, projectFigures, NULL_GROUP, periodOf, presentCounts, seriesFor, summaryFor, supervisionCounts, ticketCounts,
  visitIndicators, WHOLE_DISTRICT, type Period, type Scope,
} from './indicators.service';
import { monthPeriod } from './rankings.service';
import { mayReadCity } from '../city/city.policy';

/**
 * `/stats/*` for city people (scope = city, ADR 0008): the same figures, counted by the same functions, over the
 * districts of the caller's city — the whole city (the sum of its districts), one district of it (scope=district and
 * its id), the districts side by side (breakdown by district) and the district ranking. Every district is scored with
 * the city's weights (`CITY_WEIGHTS`, the defaults), so districts compared side by side are scored alike.
 */
export const CITY_SETTINGS: IndicatorSettings = { weights: CITY_WEIGHTS, redBlackN: DEFAULT_INDICATOR_SETTINGS.redBlackN };

type CityDistrict = { id: string; code: string; name: string };
type City = { code: string; name: string; districts: CityDistrict[] };

/** The caller's city and its districts (by code); anyone else is refused. */
export async function cityOf(db: Pick<DataSource, 'query'>, p: Principal): Promise<City> {
  if (p.scope !== 'city' || !p.cityCode || !mayReadCity(p, p.cityCode)) throw new AppError('SCOPE_FORBIDDEN');
  const [city] = await db.query(`SELECT code, name FROM city WHERE code = $1`, [p.cityCode]);
  if (!city) throw new AppError('SCOPE_FORBIDDEN');
  const districts: CityDistrict[] = await db.query(`SELECT id, trim(code) AS code, name FROM district WHERE city_code = $1 ORDER BY code`, [p.cityCode]);
  return { code: String(city.code).trim(), name: city.name, districts };
}

/** A district seen from the city: the counting functions take a district caller; this one reads, and only reads. */
const asDistrict = (p: Principal, districtId: string): AuthUser => ({ id: p.id, districtId, roles: ['leader'], enterpriseId: null, departmentId: null });

/**
 * The city's scopes: `city` (default: every district of the city) or `district` with the id of one of them. An id
 * outside the city (another city's district, or none at all) is 404; other scope kinds are 400.
 */
export function cityScope(city: City, kind: StatsScope | 'city' | undefined, id: string | undefined): { scope: Scope; districts: CityDistrict[] } {
  if (!kind || kind === 'city') {
    if (id) throw new AppError('STATS_SCOPE_INVALID', [{ path: '/querystring/scopeId', message: '全市口径不需要指定对象' }]);
    return { scope: { kind: 'city' as StatsScope, id: null, name: city.name }, districts: city.districts };
  }
  if (kind !== 'district') throw new AppError('STATS_SCOPE_INVALID', [{ path: '/querystring/scope', message: '市级统计只能按全市或区县' }]);
  if (!id) throw new AppError('STATS_SCOPE_INVALID', [{ path: '/querystring/scopeId', message: '请指定区县' }]);
  const d = city.districts.find((x) => x.id === id);
  if (!d) throw new AppError('STATS_SCOPE_NOT_FOUND', [{ path: '/querystring/scopeId', message: '统计对象不存在：不是本市的区县' }]);
  return { scope: { kind: 'district', id: d.id, name: d.name }, districts: [d] };
}


/** The summed ticket counts of one district for a period (the indicators' one counting statement). */
async function districtCounts(db: DataSource, districtId: string, period: Period): Promise<IndicatorCounts> {
  const rows = await ticketCounts(db, districtId, period, WHOLE_DISTRICT, 'none');
  const out = { ...ZERO_INDICATOR_COUNTS };
  for (const r of rows) for (const k of Object.keys(ZERO_INDICATOR_COUNTS) as (keyof IndicatorCounts)[]) out[k] += r[k];
  return out;
}

/**
 * The summary for a city caller. One district: that district's summary as its own coordinator reads it, scored with
 * the city's weights. The whole city: every figure is the sum of the districts' (counted by the same statements);
 * rates and the score are computed from the summed counts; categories are folded by their top category's name
 * (each district keeps its own category tree; the id shown is the first district's by code), so they still add
 * up to the total. Project figures are the districts' summed (`sumProjectStats`: percentages from the sums, calendar
 * schedule); null when the period spans two years, as for a district.
 */
export async function citySummary(db: DataSource, p: Principal, q: { from: string; to: string; scope?: StatsScope | 'city'; scopeId?: string }, now = new Date()): Promise<IndicatorSummary> {
  const city = await cityOf(db, p);
  const period = periodOf(q.from, q.to, now);
  const { scope, districts } = cityScope(city, q.scope, q.scopeId);
  if (scope.kind === 'district') {
    const s = await summaryFor(db, asDistrict(p, scope.id!), period, { kind: 'district', id: null, name: scope.name }, CITY_SETTINGS);
    return { ...s, scope: { kind: 'district', id: scope.id, name: scope.name } };
  }
  const w = CITY_WEIGHTS;
  const parts = await Promise.all(districts.map(async (d) => {
    const [byCat, enterprises, supervisions, visits, cats, projects] = await Promise.all([
      ticketCounts(db, d.id, period, WHOLE_DISTRICT, 'category'),
      enterprisesWithTickets(db, d.id, period, WHOLE_DISTRICT),
      supervisionCounts(db, d.id, period, WHOLE_DISTRICT),
      visitIndicators(db, d.id, period, WHOLE_DISTRICT),
      categoryTree(db, d.id),
      projectFigures(db, asDistrict(p, d.id), period, WHOLE_DISTRICT),
    ]);
    return { byCat, enterprises, supervisions, visits, cats, projects };
  }));
  let total = { ...ZERO_INDICATOR_COUNTS };
  type Cat = { category: { id: string; name: string }; received: number; solved: number; order: number; children: Map<string, { category: { id: string; name: string }; received: number; solved: number }> };
  const tops = new Map<string, Cat>();
  for (const part of parts) {
    for (const r of part.byCat) {
      total = addCounts(total, r);
      if (!r.k || r.received === 0) continue;
      const c = part.cats.get(r.k);
      const top = part.cats.get(c?.parent_id ?? r.k);
      const name = top?.name ?? '';
      const entry = tops.get(name) ?? { category: { id: top?.id ?? r.k, name }, received: 0, solved: 0, order: top?.sort_order ?? 0, children: new Map() };
      entry.received += r.received;
      entry.solved += r.solved;
      if (c?.parent_id) {
        const child = entry.children.get(c.name) ?? { category: { id: r.k, name: c.name }, received: 0, solved: 0 };
        child.received += r.received;
        child.solved += r.solved;
        entry.children.set(c.name, child);
      }
      tops.set(name, entry);
    }
  }
  const byCategory = [...tops.values()]
    .sort((a, b) => a.order - b.order || (a.category.name < b.category.name ? -1 : 1))
    .map(({ order: _o, children, ...e }) => ({ ...e, children: [...children.values()].sort((a, b) => b.received - a.received || (a.category.name < b.category.name ? -1 : 1)) }));
  const visits = parts.map((x) => x.visits).filter((v): v is VisitIndicators => v !== null).reduce<VisitIndicators>((s, v) => ({
    contacts: s.contacts + v.contacts,
    byChannel: { onsite: s.byChannel.onsite + v.byChannel.onsite, phone: s.byChannel.phone + v.byChannel.phone, wechat: s.byChannel.wechat + v.byChannel.wechat, meeting: s.byChannel.meeting + v.byChannel.meeting },
    enterprisesContacted: s.enterprisesContacted + v.enterprisesContacted,
    enterprisesAssigned: s.enterprisesAssigned + v.enterprisesAssigned,
    assignedContacted: s.assignedContacted + v.assignedContacted,
    coverageRate: null,
    stewardsBehind: (s.stewardsBehind ?? 0) + (v.stewardsBehind ?? 0),
    problemsRaised: s.problemsRaised + v.problemsRaised,
  }), { contacts: 0, byChannel: { onsite: 0, phone: 0, wechat: 0, meeting: 0 }, enterprisesContacted: 0, enterprisesAssigned: 0, assignedContacted: 0, coverageRate: null, stewardsBehind: 0, problemsRaised: 0 });
  visits.coverageRate = visits.enterprisesAssigned ? Math.round((visits.assignedContacted / visits.enterprisesAssigned) * 1000) / 10 : null;
  return {
    period: { from: period.from, to: period.to, asOf: period.asOf.toISOString() },
    scope: { kind: 'city', id: null, name: city.name },
    weights: { ...w },
    tickets: {
      ...presentCounts(total, w),
      enterprises: parts.reduce((s, x) => s + x.enterprises, 0),
      escalations: { level2: total.escalatedL2, level3: total.escalatedL3, level4: total.escalatedL4 },
      supervisions: { issued: parts.reduce((s, x) => s + x.supervisions.issued, 0), done: parts.reduce((s, x) => s + x.supervisions.done, 0) },
      byCategory,
    },
    visits,
    // Each district's /project-stats for the period (null when the period spans two years), summed.
    projects: period.from.slice(0, 4) !== period.to.slice(0, 4) || parts.some((x) => x.projects === null) ? null : sumProjectStats(parts.map((x) => x.projects!), period.from, period.to),
  };
}

/**
 * A breakdown for a city caller (city weights; the rows add up to `total`):
 * - `by=district`: one row per district of the city (by code), that district's counts and rates;
 * - `by=category`: one row per top category, folded by name across the districts (each district keeps its own
 *   category tree; the id shown is the first district's by code), with `districts` = each district's received and
 *   solved for it side by side (every district of the scope, zeros included);
 * - `by=area|department|steward`: those belong to one district each, so every district's own rows (its coordinator's
 *   breakdown, city weights) tagged with `district`, ordered by district code and then by received.
 */
export async function cityBreakdown(db: DataSource, p: Principal, q: { from: string; to: string; scope?: StatsScope | 'city'; scopeId?: string; by: StatsDimension | 'district' }, now = new Date()) {
  const city = await cityOf(db, p);
  const period = periodOf(q.from, q.to, now);
  const { districts } = cityScope(city, q.scope, q.scopeId);
  const head = { period: { from: period.from, to: period.to }, by: q.by };
  if (q.by === 'district') {
    const counts = await Promise.all(districts.map((d) => districtCounts(db, d.id, period)));
    const total = counts.reduce((s, c) => addCounts(s, c), { ...ZERO_INDICATOR_COUNTS });
    return {
      ...head,
      total: presentCounts(total, CITY_WEIGHTS),
      rows: districts.map((d, i) => ({ key: { id: d.id, name: d.name }, ...presentCounts(counts[i]!, CITY_WEIGHTS) })),
    };
  }
  const by = q.by;
  const parts = await Promise.all(districts.map(async (d) => {
    const rows = (await ticketCounts(db, d.id, period, WHOLE_DISTRICT, by)).filter((r) => r.received + r.withdrawn + r.accepted + r.replied > 0);
    return { d, rows, cats: by === 'category' ? await categoryTree(db, d.id) : null };
  }));
  const total = parts.flatMap((x) => x.rows).reduce<IndicatorCounts>((s, r) => addCounts(s, countsOfRow(r)), { ...ZERO_INDICATOR_COUNTS });
  if (by === 'category') {
    // Top category by name → summed counts, and each district's share of it.
    const tops = new Map<string, { id: string; order: number; counts: IndicatorCounts; per: Map<string, { received: number; solved: number }> }>();
    for (const { d, rows, cats } of parts) {
      for (const r of rows) {
        const c = r.k ? cats!.get(r.k) : undefined;
        const top = c ? cats!.get(c.parent_id ?? c.id) ?? c : undefined;
        const name = top?.name ?? NULL_GROUP.category;
        const entry = tops.get(name) ?? { id: top?.id ?? NO_KEY, order: top?.sort_order ?? Number.MAX_SAFE_INTEGER, counts: { ...ZERO_INDICATOR_COUNTS }, per: new Map() };
        entry.counts = addCounts(entry.counts, countsOfRow(r));
        const mine = entry.per.get(d.id) ?? { received: 0, solved: 0 };
        mine.received += r.received;
        mine.solved += r.solved;
        entry.per.set(d.id, mine);
        tops.set(name, entry);
      }
    }
    const rows = [...tops.entries()]
      .map(([name, e]) => ({
        key: { id: e.id, name }, ...presentCounts(e.counts, CITY_WEIGHTS),
        districts: districts.map((d) => ({ district: { id: d.id, name: d.name }, received: e.per.get(d.id)?.received ?? 0, solved: e.per.get(d.id)?.solved ?? 0 })),
      }))
      .sort((a, b) => b.received - a.received || (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0));
    return { ...head, total: presentCounts(total, CITY_WEIGHTS), rows };
  }
  const rows = (await Promise.all(parts.map(async ({ d, rows: rs }) => {
    const names = await keyNames(db, d.id, by, rs.map((r) => r.k).filter((k): k is string => !!k));
    return rs
      .map((r) => ({ key: { id: r.k ?? NO_KEY, name: r.k ? names.get(r.k) ?? '' : NULL_GROUP[by] }, ...presentCounts(countsOfRow(r), CITY_WEIGHTS), district: { id: d.id, name: d.name } }))
      .sort((a, b) => b.received - a.received || (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0));
  }))).flat();
  return { ...head, total: presentCounts(total, CITY_WEIGHTS), rows };
}

const NO_KEY = '00000000-0000-0000-0000-000000000000';
/** Only the IndicatorCounts fields of a counted row (the row carries its key too). */
function countsOfRow(r: IndicatorCounts): IndicatorCounts {
  const out = { ...ZERO_INDICATOR_COUNTS };
  for (const k of Object.keys(ZERO_INDICATOR_COUNTS) as (keyof IndicatorCounts)[]) out[k] = r[k];
  return out;
}

/** The series for a city caller: the same statement over the city's districts (or one of them), city weights. */
export async function citySeries(db: DataSource, p: Principal, q: { from: string; to: string; scope?: StatsScope | 'city'; scopeId?: string; interval: 'week' | 'month' }, now = new Date()) {
  const city = await cityOf(db, p);
  const period = periodOf(q.from, q.to, now);
  const { districts } = cityScope(city, q.scope, q.scopeId);
  return seriesFor(db, districts.map((d) => d.id), period, WHOLE_DISTRICT, CITY_WEIGHTS, q.interval);
}

const previousMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

async function districtRows(db: DataSource, city: City, month: string, now: Date) {
  const period = monthPeriod(month, now);
  const rows = await Promise.all(city.districts.map(async (d) => {
    const [c, enterprises] = await Promise.all([districtCounts(db, d.id, period), enterprisesWithTickets(db, d.id, period, WHOLE_DISTRICT)]);
    return { district: { id: d.id, code: d.code, name: d.name }, enterprises, ...presentCounts(c, CITY_WEIGHTS) };
  }));
  return rankRows(rows, (r) => r.score, (r) => r.district.code);
}

/**
 * The monthly district ranking of a city by the composite score (the department ranking's rules: competition ranks,
 * nothing received → unranked), with last month's rank, ↑↓, 红榜 / 黑榜 and the sentence offices write
 * ("在全市3个区县综合考评中居第一").
 */
export async function districtRanking(db: DataSource, p: Principal, month: string, now = new Date()): Promise<DistrictRanking> {
  const city = await cityOf(db, p);
  const cur = await districtRows(db, city, month, now);
  const prev = new Map((await districtRows(db, city, previousMonth(month), now)).map((r) => [r.district.id, r.rank]));
  const n = city.districts.length;
  const rows = cur.map((r) => {
    const previousRank = prev.get(r.district.id) ?? null;
    const c = rankChange(previousRank, r.rank);
    const tied = r.rank !== null && cur.filter((x) => x.rank === r.rank).length > 1;
    return { ...r, previousRank, change: c ? { ...c, text: rankChangeText(c) } : null, text: cityRankText(n, r.rank, tied) };
  });
  const { red, black } = redBlackLists(rows, CITY_SETTINGS.redBlackN);
  return { kind: 'district', month, city: { code: city.code, name: city.name }, weights: { ...CITY_WEIGHTS }, redBlackN: CITY_SETTINGS.redBlackN, rows, red, black };
}
