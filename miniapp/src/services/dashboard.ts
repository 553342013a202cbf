/**
 * The dashboard and the leader's cockpit (issue 12): the month's figures from the existing endpoints
 * (/ticket-stats, /reports/monthly, /project-stats, /visits/coverage) plus /dashboard/month (weekly trend,
 * department ranking), the chart specs the F2 component draws, the drill-down from a figure to the ticket list,
 * and the 台账 export (download on H5, open the file in WeChat).
 */
import type { Static } from '@sinclair/typebox';
import type { DashboardMonth as DashboardMonthSchema, DashboardVisitMap as DashboardVisitMapSchema } from '@guanjia/shared/schemas/dashboard';
import type { TicketStats as TicketStatsSchema } from '@guanjia/shared/schemas/tickets';
import type { CoverageReport as CoverageSchema } from '@guanjia/shared/schemas/visits';
import type { ProjectStats as ProjectStatsSchema, Project as ProjectSchema } from '@guanjia/shared/schemas/projects';
import { shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';
import type { HttpClient, QueryValue } from './http';
import { buildUrl } from './http';
import { PAGES } from './pages';

export type DashboardMonth = Static<typeof DashboardMonthSchema>;
export type VisitMap = Static<typeof DashboardVisitMapSchema>;
export type TicketStats = Static<typeof TicketStatsSchema>;
export type Coverage = Static<typeof CoverageSchema>;
export type ProjectStats = Static<typeof ProjectStatsSchema>;
export type ProjectItem = Static<typeof ProjectSchema>;
export type MonthlyReport = { month: string; from: string; to: string; paragraph: string; contacts: Record<string, number>; stats: TicketStats };

export const DASHBOARD_PAGE = PAGES.dashboard.index;
export const COCKPIT_PAGE = PAGES.dashboard.cockpit;
export const DRILL_PAGE = PAGES.dashboard.tickets;

/** States in which an escalated ticket still waits for someone (the leader's queue). */
export const OPEN_STATES = ['pending_dispatch', 'assigned', 'accepted', 'in_progress', 'awaiting_info'] as const;
/** Every state but withdrawn and merged: what /ticket-stats counts as a problem (诉求数). */
export const PROBLEM_STATES = ['submitted', 'pending_dispatch', 'assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed', 'closed'] as const;

/** A chart the F2 component draws: a line of series over labels, bars, or a ring of shares. */
export type ChartSpec =
  | { kind: 'line'; data: { label: string; value: number; series: string }[]; colors: string[] }
  | { kind: 'bar'; data: { label: string; value: number }[]; horizontal?: boolean; colors?: string[] }
  | { kind: 'pie'; data: { label: string; value: number; group: string }[]; colors: string[] }
  | { kind: 'map'; data: { label: string; value: number; x: number; y: number }[]; colors: string[] };

const PALETTE = ['#fa2c19', '#1677ff', '#52c41a', '#faad14', '#722ed1', '#13c2c2', '#eb2f96', '#8c8c8c'];

/** 诉求 by week: received and solved as two lines, labelled by the week's first day in the month ("3/2"). */
export function weeklyTrendSpec(weeks: DashboardMonth['weeks']): ChartSpec {
  const label = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
  return {
    kind: 'line', colors: ['#1677ff', '#52c41a'],
    data: weeks.flatMap((w) => [
      { label: label(w.from), value: w.received, series: '受理' },
      { label: label(w.from), value: w.solved, series: '解决' },
    ]),
  };
}

/** Categories as a ring; beyond seven the rest become 其他 so the legend stays readable. */
export function categorySpec(stats: TicketStats): ChartSpec {
  const sorted = [...stats.byCategory].sort((a, b) => b.count - a.count);
  const top = sorted.slice(0, 7).map((c) => ({ label: c.category.name, value: c.count, group: '1' }));
  const rest = sorted.slice(7).reduce((s, c) => s + c.count, 0);
  if (rest) top.push({ label: '其他', value: rest, group: '1' });
  return { kind: 'pie', data: top, colors: PALETTE };
}

/** Contacts by area (the district's map, as bars: one per 乡镇/街道/园区). */
export function areaSpec(coverage: Coverage): ChartSpec {
  return { kind: 'bar', horizontal: true, colors: ['#1677ff'], data: coverage.byArea.map((a) => ({ label: a.area.name, value: a.contacts })).sort((a, b) => a.value - b.value) };
}

/** Project lights as a ring in their own colours. */
export function lightSpec(p: ProjectStats): ChartSpec {
  const rows = [
    { label: '绿灯', value: p.byLight.green, color: '#52c41a' },
    { label: '黄灯', value: p.byLight.yellow, color: '#faad14' },
    { label: '红灯', value: p.byLight.red, color: '#f5222d' },
    { label: '未评价', value: p.byLight.none, color: '#bfbfbf' },
  ].filter((r) => r.value > 0);
  return { kind: 'pie', data: rows.map((r) => ({ label: r.label, value: r.value, group: '1' })), colors: rows.map((r) => r.color) };
}

/** Department ranking: solve rate as bars (percent), best first from the top. */
export function rankingSpec(m: DashboardMonth): ChartSpec {
  const ranked = m.departments.filter((d) => d.received > 0).slice(0, 10);
  return { kind: 'bar', horizontal: true, colors: ['#fa2c19'], data: ranked.map((d) => ({ label: d.department.name, value: Math.round((d.solveRate ?? 0) * 1000) / 10 })).reverse() };
}

/** The 考核 ranking (composite score) as bars, best at the top: the first ten ranked departments. */
export function scoreSpec(rows: readonly { department: { name: string }; rank: number | null; score: number | null }[]): ChartSpec {
  const ranked = rows.filter((d) => d.rank !== null).slice(0, 10);
  return { kind: 'bar', horizontal: true, colors: ['#fa2c19'], data: ranked.map((d) => ({ label: d.department.name, value: d.score ?? 0 })).reverse() };
}

/** First and last day of a 'YYYY-MM'. */
export function monthRange(month: string): { from: string; to: string } {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The filters a drill-down carries to the ticket list (the list's own query names). */
export type DrillFilters = { from?: string; to?: string; categoryId?: string; departmentId?: string; leadDepartmentId?: string; solved?: boolean; overdue?: boolean; escalationLevelMin?: number; state?: readonly string[]; title?: string };

/** The drill-down page's URL for a figure: its filters as query parameters (an array comma-joined: page params are single strings). */
export function drillUrl(f: DrillFilters): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null) continue;
    parts.push(`${k}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`);
  }
  return parts.length ? `${DRILL_PAGE}?${parts.join('&')}` : DRILL_PAGE;
}

/** Reads the drill-down filters back from page params (Taro gives strings; `state` may be comma-joined). */
export function drillFromParams(p: Record<string, string | undefined>): DrillFilters {
  const f: DrillFilters = {};
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const uuid = /^[0-9a-f-]{36}$/i;
  if (p.from && date.test(p.from)) f.from = p.from;
  if (p.to && date.test(p.to)) f.to = p.to;
  if (p.categoryId && uuid.test(p.categoryId)) f.categoryId = p.categoryId;
  if (p.departmentId && uuid.test(p.departmentId)) f.departmentId = p.departmentId;
  if (p.leadDepartmentId && uuid.test(p.leadDepartmentId)) f.leadDepartmentId = p.leadDepartmentId;
  if (p.solved === 'true' || p.solved === 'false') f.solved = p.solved === 'true';
  if (p.overdue === 'true' || p.overdue === 'false') f.overdue = p.overdue === 'true';
  if (p.escalationLevelMin && /^[1-4]$/.test(p.escalationLevelMin)) f.escalationLevelMin = Number(p.escalationLevelMin);
  if (p.state) f.state = decodeURIComponent(p.state).split(',').filter((s) => /^[a-z_]+$/.test(s));
  if (p.title) f.title = decodeURIComponent(p.title);
  return f;
}

/** The list/ledger query of drill-down filters (drops the page title). */
export function drillQuery(f: DrillFilters): Record<string, QueryValue> {
  const { title: _title, state, ...rest } = f;
  return { ...rest, ...(state?.length ? { state: [...state] } : {}) } as Record<string, QueryValue>;
}

/** The ledgers the server exports. */
export type LedgerKind = 'tickets' | 'visits' | 'projects' | 'rankings';

/** `/api/v1/ledgers/<kind>?…`, the path the file client downloads with the caller's token. */
export function ledgerPath(kind: LedgerKind, query: Record<string, QueryValue>): string {
  return buildUrl('/api/v1', `/ledgers/${kind}`, query);
}

/** File name the office sees: 诉求台账-20260331.xlsx. */
export function ledgerFileName(kind: LedgerKind, now = new Date()): string {
  const title = { tickets: '诉求台账', visits: '走访台账', projects: '项目台账', rankings: '考核排名表' }[kind];
  return `${title}-${shanghaiDate(now).replace(/-/g, '')}.xlsx`;
}

/** `/api/v1/reports/work?from&to&format=docx`: the month's work report (district scope) as a Word file. */
export function workReportPath(month: string): string {
  return buildUrl('/api/v1', '/reports/work', { ...monthRange(month), format: 'docx' });
}

/** File name of the month's work report: 工作报告-2026年3月.docx. */
export function workReportFileName(month: string): string {
  return `工作报告-${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月.docx`;
}

export function createDashboardApi(http: HttpClient) {
  return {
    month: (month: string) => http.get<DashboardMonth>('/dashboard/month', { month }),
    ticketStats: (from: string, to: string) => http.get<TicketStats>('/ticket-stats', { from, to }),
    monthly: (month: string) => http.get<MonthlyReport>('/reports/monthly', { month, cumulative: false }),
    projectStats: () => http.get<ProjectStats>('/project-stats'),
    visitMap: (month: string) => http.get<VisitMap>('/dashboard/visit-map', { month }),
    coverage: (from: string, to: string) => http.get<Coverage>('/visits/coverage', { from, to, limit: 1 }),
    redProjects: () => http.get<{ items: ProjectItem[] }>('/projects', { mine: true, light: 'red', limit: 20 }),
  };
}
