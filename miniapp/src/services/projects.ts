import type { Static } from '@sinclair/typebox';
import type {
  Milestone, Project, ProjectBatch, ProjectListQuery, ProjectMeeting, ProjectMeetingAgenda, ProjectMeetingCreate, ProjectMeetingTask, ProjectReport,
  ProjectSettings, ProjectStats, ProjectStatsQuery, ReportCreate, StageActionBody,
} from '@guanjia/shared/schemas/projects';
import type { ProjectStageAction } from '@guanjia/shared/project/project-machine';
import { PROJECT_LABELS } from '@guanjia/shared/project/project-labels';
import { formatYuan } from '@guanjia/shared/project/project-money';
import { wanToYuan } from '@guanjia/shared/report/money';
import { PROJECT_STAGES, stageIndex, type ProjectStage } from '@guanjia/shared/project/project-machine';
import { checkReportMonth, previousMonth } from '@guanjia/shared/project/project-report-month';
import type { HttpClient, QueryValue } from './http';
import { pageUrl } from './navigation';
import { PAGES } from './pages';

/**
 * Key projects (ADR 0009) as the mini-app uses them: the ledger and "我的项目", a project's detail pieces, the monthly
 * 调度 form, and the pure view logic (money in 万元/亿元, the stage bar, the form's rules) with unit tests. Money stays
 * integer 元 strings end to end; people type 万元 and `wanToYuan` converts exactly.
 */

export type { Project, ProjectReport, ProjectBatch, ProjectMeeting, ProjectMeetingAgenda, ProjectMeetingCreate, ProjectMeetingTask, ProjectSettings, ProjectStats, StageActionBody };
/** One row of the 调度 list: a project without the month's report and its stewards. */
export type MissingReport = { id: string; no: string; name: string; light: Project['light']; stewards: { id: string; name: string }[] };
/** The project paragraph of the monthly report with the figures it was written from. */
export type ProjectParagraph = { text: string; ledger: ProjectStats; large: ProjectStats };
export type StageEventItem = {
  seq: number; action: string; from: ProjectStage; to: ProjectStage; haltedAfter: boolean; on: string; reason: string | null; note: string | null;
  skipped: ProjectStage[]; photoIds: string[]; actor: { id: string; name: string } | null; actorRole: string; createdAt: string;
};
export type MilestoneItem = Static<typeof Milestone>;
export type ProjectProblem = { id: string; no: string; title: string; state: string; replyDueAt: string | null; solved: boolean; open: boolean };
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Named = { id: string; name: string };
/** An on-site visit at a project (who and when). */
export type ProjectVisit = { id: string; kind: string; status: string; occurredAt: string; steward: Named };
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
    visits: (projectId: string) => http.get<ProjectVisit[]>(`/projects/${id(projectId)}/visits`),
    tasks: (projectId: string) => http.get<ProjectMeetingTask[]>(`/projects/${id(projectId)}/meeting-tasks`),
    stageEvents: (projectId: string) => http.get<StageEventItem[]>(`/projects/${id(projectId)}/stage-events`),
    stage: (projectId: string, action: ProjectStageAction, body: StageActionBody, idempotencyKey?: string) =>
      http.post<Project>(`/projects/${id(projectId)}/${action}`, body, idempotencyKey ? { idempotencyKey } : {}),
    settings: () => http.get<ProjectSettings>('/project-settings'),
    missing: (month: string) => http.get<{ month: string; items: MissingReport[] }>('/project-reports/missing', { month }),
    remind: (month: string, idempotencyKey?: string) =>
      http.post<{ month: string; projects: number; sent: number }>('/project-reports/reminders', { month }, idempotencyKey ? { idempotencyKey } : {}),
    batches: () => http.get<ProjectBatch[]>('/project-batches'),
    meetings: () => http.get<ProjectMeeting[]>('/project-meetings'),
    agenda: () => http.get<ProjectMeetingAgenda>('/project-meetings/agenda'),
    createMeeting: (body: ProjectMeetingCreate, idempotencyKey?: string) =>
      http.post<ProjectMeeting>('/project-meetings', body, idempotencyKey ? { idempotencyKey } : {}),
    completeTask: (taskId: string) => http.post<{ ok: boolean }>(`/project-meetings/tasks/${id(taskId)}/done`, {}),
    // pickers of the desk forms (the meeting's chair and attendees, task departments, the figures' scope)
    people: (role: 'leader' | 'coordinator' | 'steward') => http.get<Page<Named>>('/people', { role, limit: 100 }),
    departments: () => http.get<{ items: Named[] }>('/departments'),
    areas: () => http.get<{ items: Named[] }>('/areas'),
    stats: (q: ProjectStatsQuery) => http.get<ProjectStats>('/project-stats', q as Record<string, QueryValue>),
    paragraph: (q: ProjectStatsQuery & { threshold?: string }) => http.get<ProjectParagraph>('/project-stats/paragraph', q as Record<string, QueryValue>),
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
export type ReportForm = { month: string; amountWan: string; progress: string; problems: string; photoIds?: string[] };

/** The previous month of `today` (reports are filed for the month just ended). */
export const defaultReportMonth = previousMonth;

/** Validates the form the way the server will (same messages), and builds the request body. */
export function validateReportForm(f: ReportForm, today: string): { ok: true; body: ReportCreate } | { ok: false; errors: Partial<Record<keyof ReportForm, string>> } {
  const errors: Partial<Record<keyof ReportForm, string>> = {};
  // the server's own rule (shared): format, then no future month
  const month = checkReportMonth(f.month, today);
  if (!month.ok) errors.month = month.reason === 'format' ? '请选择填报月份' : month.message;
  let yuan: bigint | null;
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
    body: {
      month: f.month, amount: yuan.toString(), progress: f.progress.trim(), ...(f.problems.trim() ? { problems: f.problems.trim() } : {}),
      ...(f.photoIds?.length ? { photoIds: f.photoIds } : {}),
    },
  };
}

/** Bars of the monthly investment chart: each month's share of the largest month (0–100). */
export function monthlyBars(reports: Pick<ProjectReport, 'month' | 'amount'>[]): { month: string; amount: string; percent: number }[] {
  const max = reports.reduce((m, r) => (BigInt(r.amount) > m ? BigInt(r.amount) : m), 0n);
  return reports.map((r) => ({ month: r.month, amount: r.amount, percent: max === 0n ? 0 : Number((BigInt(r.amount) * 100n) / max) }));
}

/** "超过时间进度13.8个百分点" / "落后时间进度5个百分点" / "与时间进度持平" from signed percentage points. */
export function deviationText(points: string | null | undefined): string {
  if (points === null || points === undefined) return '未下达年度计划';
  if (/^-?0(\.0+)?$/.test(points)) return '与时间进度持平';
  return points.startsWith('-') ? `落后时间进度${points.slice(1)}个百分点` : `超过时间进度${points}个百分点`;
}

/** The stage form: which action, which target, when, why, what evidence. */
export type StageForm = { action: ProjectStageAction | ''; to: ProjectStage | ''; on: string; reason: string; note: string };

/** Target stages an action can move to from `stage` (advance: later ones, revert: earlier ones; none for halt/resume). */
export function stageTargets(stage: ProjectStage, action: ProjectStageAction | ''): { value: ProjectStage; label: string }[] {
  const at = stageIndex(stage);
  const pick = action === 'advance' ? PROJECT_STAGES.filter((_, i) => i > at) : action === 'revert' ? PROJECT_STAGES.filter((_, i) => i < at) : [];
  return pick.map((s) => ({ value: s, label: PROJECT_LABELS.stage[s] }));
}

/** Whether the form needs a reason (the machine's rule): a revert, a halt, or an advance that skips a stage. */
export function stageNeedsReason(stage: ProjectStage, f: Pick<StageForm, 'action' | 'to'>): boolean {
  if (f.action === 'revert' || f.action === 'halt') return true;
  return f.action === 'advance' && !!f.to && stageIndex(f.to) > stageIndex(stage) + 1;
}

/** Checks the stage form like the server does (same messages) and builds the body; `photoIds` are uploaded first. */
export function validateStageForm(p: Pick<Project, 'stage' | 'version'>, f: StageForm, today: string, photoIds: string[]):
  { ok: true; action: ProjectStageAction; body: StageActionBody } | { ok: false; errors: Partial<Record<keyof StageForm, string>> } {
  const errors: Partial<Record<keyof StageForm, string>> = {};
  if (!f.action) errors.action = '请选择操作';
  if ((f.action === 'advance' || f.action === 'revert') && !f.to) errors.to = '请选择目标阶段';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.on)) errors.on = '日期格式应为 YYYY-MM-DD';
  else if (f.on > today) errors.on = '日期不能晚于今天';
  if (f.action && stageNeedsReason(p.stage, f) && !f.reason.trim()) {
    errors.reason = f.action === 'advance' ? '跨阶段推进须填写原因' : '请填写原因';
  }
  if (Object.keys(errors).length || !f.action) return { ok: false, errors };
  return {
    ok: true,
    action: f.action,
    body: {
      version: p.version, on: f.on,
      ...(f.to && (f.action === 'advance' || f.action === 'revert') ? { to: f.to } : {}),
      ...(f.reason.trim() ? { reason: f.reason.trim() } : {}),
      ...(f.note.trim() ? { note: f.note.trim() } : {}),
      ...(photoIds.length ? { photoIds } : {}),
    },
  };
}

/** A batch's three lists (签约一批 / 开工一批 / 投产一批) with their 兑现 line ("签约转开工 3/5"). */
export function batchLists(b: ProjectBatch): { kind: 'sign' | 'start' | 'produce'; title: string; fulfilment: string; entries: ProjectBatch['entries'] }[] {
  return (['sign', 'start', 'produce'] as const).map((kind) => {
    const k = b.summary.byKind[kind] ?? { projects: 0, fulfilled: 0, totalInvestment: '0' };
    return {
      kind, title: `${PROJECT_LABELS.batchKind[kind]}（${k.projects}个${k.projects ? `，总投资${money(k.totalInvestment)}` : ''}）`,
      fulfilment: `${PROJECT_LABELS.batchFulfilment[kind]} ${k.fulfilled}/${k.projects}`,
      entries: b.entries.filter((e) => e.kind === kind),
    };
  });
}

/** The 调度会 form as typed; tasks are added one by one. */
export type MeetingTaskForm = { title: string; projectId: string; departmentId: string; dueOn: string };
export type MeetingForm = { heldOn: string; chairId: string; attendeeIds: string[]; projectIds: string[]; decisions: string; tasks: MeetingTaskForm[] };

/** Checks the meeting form (same rules as the server: a chair, dates in order) and builds the body. */
export function validateMeetingForm(f: MeetingForm): { ok: true; body: ProjectMeetingCreate } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.heldOn)) errors.heldOn = '会议日期格式应为 YYYY-MM-DD';
  if (!f.chairId) errors.chairId = '请选择主持人';
  f.tasks.forEach((t, i) => {
    if (!t.title.trim()) errors[`tasks.${i}.title`] = '请填写交办事项';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(t.dueOn)) errors[`tasks.${i}.dueOn`] = '办结期限格式应为 YYYY-MM-DD';
    else if (t.dueOn < f.heldOn) errors[`tasks.${i}.dueOn`] = '办结期限不能早于会议日期';
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    body: {
      heldOn: f.heldOn, chairId: f.chairId, projectIds: f.projectIds,
      ...(f.attendeeIds.length ? { attendeeIds: f.attendeeIds } : {}),
      ...(f.decisions.trim() ? { decisions: f.decisions.trim() } : {}),
      ...(f.tasks.length ? {
        tasks: f.tasks.map((t) => ({
          title: t.title.trim(), dueOn: t.dueOn, ...(t.projectId ? { projectId: t.projectId } : {}), ...(t.departmentId ? { departmentId: t.departmentId } : {}),
        })),
      } : {}),
    },
  };
}

/** The 诉求 form for a project's problem (and, from a 调度会 task, that task): `${PAGES.enterprise.new}?…`. */
export function problemFormUrl(p: { id: string; enterpriseId: string }, task?: { id: string; title: string }): string {
  return pageUrl(PAGES.enterprise.new, {
    enterpriseId: p.enterpriseId, projectId: p.id, meetingTaskId: task?.id, title: task?.title.slice(0, 64),
  });
}

/** The steward's on-site check-in at the project's owner, naming the project (a subpackage page of the steward). */
export function projectCheckInUrl(p: { id: string; name: string; enterpriseId: string }): string {
  return pageUrl(PAGES.steward.checkin, { enterpriseId: p.enterpriseId, projectId: p.id, projectName: p.name });
}

/** Desk pages of the project subpackage (the coordinator's 调度 list, 三个一批, 调度会 and figures). */
export const PROJECT_PAGES = {
  list: PAGES.project.list,
  detail: PAGES.project.detail,
  report: PAGES.project.report,
  stage: PAGES.project.stage,
  due: PAGES.project.due,
  batches: PAGES.project.batches,
  meetings: PAGES.project.meetings,
  stats: PAGES.project.stats,
} as const;
