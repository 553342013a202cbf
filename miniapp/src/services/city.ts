/**
 * The city person's API (ADR 0008): the districts of their city side by side for a month. Only a city-scoped account
 * may call it; district people never see this screen.
 */
import type { Static } from '@sinclair/typebox';
import type { CityDistricts as CityDistrictsSchema } from '@guanjia/shared/schemas/city';
import type { DistrictRanking as DistrictRankingSchema, IndicatorSummary as IndicatorSummarySchema } from '@guanjia/shared/schemas/stats';
import { shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';
import type { HttpClient } from './http';
import { PAGES } from './pages';

export type CityDistricts = Static<typeof CityDistrictsSchema>;
export type CityDistrictRow = CityDistricts['districts'][number];
/** The districts of the city ranked for a month (`/stats/rankings/districts`), and the city's (or a district's) summary. */
export type DistrictRanking = Static<typeof DistrictRankingSchema>;
export type CitySummary = Static<typeof IndicatorSummarySchema>;

export const CITY_PAGE = PAGES.coordinator.city;

export function createCityApi(http: HttpClient) {
  return {
    districts: (month: string) => http.get<CityDistricts>('/city/districts', { month }),
    /** The district ranking of the month (composite score, ↑↓, "在全市…考评中居第X"). */
    ranking: (month: string) => http.get<DistrictRanking>('/stats/rankings/districts', { month }),
    /** The whole city's figures for the month (the sum of its districts). */
    summary: (month: string) => http.get<CitySummary>('/stats/summary', { from: `${month}-01`, to: monthEnd(month) }),
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
