import type { Static } from '@sinclair/typebox';
import type { Milestone, Project, ProjectListQuery, ProjectReport, ReportCreate } from '@guanjia/shared/schemas/projects';
import { PROJECT_LABELS } from '@guanjia/shared/project/project-labels';
import { formatYuan } from '@guanjia/shared/project/project-money';
import { wanToYuan } from '@guanjia/shared/report/money';
import { PROJECT_STAGES, stageIndex, type ProjectStage } from '@guanjia/shared/project/project-machine';
import type { HttpClient, QueryValue } from './http';

/**
 * Key projects (issue 10) as the mini-app uses them: the ledger and "我的项目", a project's detail pieces, the monthly
 * 调度 form, and the pure view logic (money in 万元/亿元, the stage bar, the form's rules) with unit tests. Money stays
 * integer 元 strings end to end; people type 万元 and `wanToYuan` converts exactly.
 */

export type { Project, ProjectReport };
export type MilestoneItem = Static<typeof Milestone>;
export type ProjectProblem = { id: string; no: string; title: string; state: string; replyDueAt: string | null; solved: boolean; open: boolean };
export type Page<T> = { items: T[]; nextCursor: string | null };
export { PROJECT_LABELS };

/** Everything the project screens call. */
export function createProjectService(http: HttpClient) {
  const id = encodeURIComponent;
  return {
    list: (q: Partial<ProjectListQuery>) => http.get<Page<Project>>('/projects', q as Record<string, QueryValue>),
    get: (projectId: string) => http.get<Project>(`/projects/${id(projectId)}`),
    reports: (projectId: string, year?: number) => http.get<ProjectReport[]>(`/projects/${id(projectId)}/reports`, year ? { year } : {}),
    fileReport: (projectId: string, body: ReportCreate, idempotencyKey?: string) =>
      http.post<ProjectReport>(`/projects/${id(projectId)}/reports`, body, idempotencyKey ? { idempotencyKey } : {}),
    milestones: (projectId: string) => http.get<MilestoneItem[]>(`/projects/${id(projectId)}/milestones`),
    problems: (projectId: string) => http.get<ProjectProblem[]>(`/projects/${id(projectId)}/problems`),
  };
}
export type ProjectService = ReturnType<typeof createProjectService>;

/** "796.5亿元" / "2505万元" from integer 元 strings; "—" for nothing. */
export function money(yuan: string | null | undefined): string {
  return yuan ? formatYuan(yuan) : '—';
}

/** The stage bar: every stage with done / current / todo. */
export function stageBar(stage: ProjectStage): { stage: ProjectStage; label: string; state: 'done' | 'current' | 'todo' }[] {
  const at = stageIndex(stage);
  return PROJECT_STAGES.map((s, i) => ({ stage: s, label: PROJECT_LABELS.stage[s], state: i < at ? 'done' : i === at ? 'current' : 'todo' }));
}

/** One line under a project's name: stage, light, % of plan. */
export function glance(p: Pick<Project, 'stage' | 'halted' | 'light' | 'figures'>): string {
  const parts = [p.halted ? `${PROJECT_LABELS.stage[p.stage]}·${PROJECT_LABELS.halted}` : PROJECT_LABELS.stage[p.stage]];
  parts.push(PROJECT_LABELS.light[p.light ?? 'none']);
  parts.push(p.figures.percentOfPlan ? `完成年计划${p.figures.percentOfPlan}` : '未下达年度计划');
  return parts.join(' · ');
}

/** The monthly 调度 form as typed (amount in 万元, as offices report). */
export type ReportForm = { month: string; amountWan: string; progress: string; problems: string };

/** The previous month of `today` (reports are filed for the month just ended). */
export function defaultReportMonth(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Validates the form the way the server will (same messages), and builds the request body. */
export function validateReportForm(f: ReportForm, today: string): { ok: true; body: ReportCreate } | { ok: false; errors: Partial<Record<keyof ReportForm, string>> } {
  const errors: Partial<Record<keyof ReportForm, string>> = {};
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(f.month)) errors.month = '请选择填报月份';
  else if (f.month > today.slice(0, 7)) errors.month = `不能填报${f.month}（未来月份）的调度信息`;
  let yuan: bigint | null = null;
  try {
    yuan = f.amountWan.trim() === '' ? null : wanToYuan(f.amountWan.trim());
  } catch {
    yuan = null;
  }
  if (yuan === null || yuan < 0n) errors.amountWan = '请填写本月完成投资（万元，最多4位小数）';
  if (!f.progress.trim()) errors.progress = '请填写形象进度';
  if (Object.keys(errors).length || yuan === null) return { ok: false, errors };
  return {
    ok: true,
    body: { month: f.month, amount: yuan.toString(), progress: f.progress.trim(), ...(f.problems.trim() ? { problems: f.problems.trim() } : {}) },
  };
}

/** Bars of the monthly investment chart: each month's share of the largest month (0–100). */
export function monthlyBars(reports: Pick<ProjectReport, 'month' | 'amount'>[]): { month: string; amount: string; percent: number }[] {
  const max = reports.reduce((m, r) => (BigInt(r.amount) > m ? BigInt(r.amount) : m), 0n);
  return reports.map((r) => ({ month: r.month, amount: r.amount, percent: max === 0n ? 0 : Number((BigInt(r.amount) * 100n) / max) }));
}
