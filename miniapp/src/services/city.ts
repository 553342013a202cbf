/**
 * The city person's API (ADR 0008): the districts of their city side by side for a month. Only a city-scoped account
 * may call it; district people never see this screen.
 */
import type { Static } from '@sinclair/typebox';
import type { CityDistricts as CityDistrictsSchema } from '@guanjia/shared/schemas/city';
import type {
  Breakdown as BreakdownSchema, DistrictRanking as DistrictRankingSchema, IndicatorSummary as IndicatorSummarySchema,
} from '@guanjia/shared/schemas/stats';
import { shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';
import type { HttpClient } from './http';
import { PAGES } from './pages';

export type CityDistricts = Static<typeof CityDistrictsSchema>;
export type CityDistrictRow = CityDistricts['districts'][number];
/** The districts of the city ranked for a month (`/stats/rankings/districts`), and the city's (or a district's) summary. */
export type DistrictRanking = Static<typeof DistrictRankingSchema>;
export type CitySummary = Static<typeof IndicatorSummarySchema>;
/** `/stats/breakdown` over the city: by category (summed, each district's column) or by area (each district's rows). */
export type CityBreakdown = Static<typeof BreakdownSchema>;

export const CITY_PAGE = PAGES.coordinator.city;

export function createCityApi(http: HttpClient) {
  return {
    districts: (month: string) => http.get<CityDistricts>('/city/districts', { month }),
    /** The district ranking of the month (composite score, ↑↓, "在全市…考评中居第X"). */
    ranking: (month: string) => http.get<DistrictRanking>('/stats/rankings/districts', { month }),
    /** The whole city's figures for the month (the sum of its districts). */
    summary: (month: string) => http.get<CitySummary>('/stats/summary', { from: `${month}-01`, to: monthEnd(month) }),
    /** The month's 诉求 by top category (each district's column) or by area (each district's own areas). */
    breakdown: (month: string, by: 'category' | 'area') => http.get<CityBreakdown>('/stats/breakdown', { from: `${month}-01`, to: monthEnd(month), by }),
  };
}

/** 'YYYY-MM' of an instant in Asia/Shanghai. */
export function monthOf(now = new Date()): string {
  return shanghaiDate(now).slice(0, 7);
}

/** The month `n` months after (or before, n < 0) a 'YYYY-MM'. */
export function shiftMonth(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** '2026年3月' */
export function monthLabel(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** A percentage as shown in the table: '96.5%', or '—' when there was nothing to count. */
export function rateText(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(1)}%`;
}

/** The last day of a 'YYYY-MM' as 'YYYY-MM-DD'. */
export function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * The 诉求类别 table of the city: one column per district (the breakdown's order: by code) and the city's total, one
 * row per top category with something received (at most `limit`, the most received first; the rest folded into 其他).
 */
export function categoryTable(b: CityBreakdown, limit = 8): { heads: string[]; rows: { name: string; cells: number[]; total: number }[] } {
  const rows = b.rows.filter((r) => r.received > 0);
  const heads = (rows[0]?.districts ?? []).map((d) => d.district.name);
  const line = (r: CityBreakdown['rows'][number]) => ({ name: r.key.name, cells: (r.districts ?? []).map((d) => d.received), total: r.received });
  const shown = rows.slice(0, limit).map(line);
  const rest = rows.slice(limit);
  if (rest.length) {
    shown.push({
      name: `其他（${rest.length}类）`,
      cells: heads.map((_, i) => rest.reduce((s, r) => s + (r.districts?.[i]?.received ?? 0), 0)),
      total: rest.reduce((s, r) => s + r.received, 0),
    });
  }
  return { heads, rows: shown };
}

/** The city's areas grouped by their district, in the breakdown's order (district code, then received). */
export function areasByDistrict(b: CityBreakdown): { district: { id: string; name: string }; areas: { id: string; name: string; received: number; solveRate: number | null }[] }[] {
  const out: ReturnType<typeof areasByDistrict> = [];
  for (const r of b.rows) {
    if (!r.district || r.received === 0) continue;
    let g = out.find((x) => x.district.id === r.district!.id);
    if (!g) out.push((g = { district: r.district, areas: [] }));
    g.areas.push({ id: r.key.id, name: r.key.name, received: r.received, solveRate: r.solveRate });
  }
  return out;
}
