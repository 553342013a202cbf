/**
 * The coordinator's desk (docs/ARCHITECTURE.md): the queues that wait on the coordinator (dispatch, returned, extensions,
 * overdue and 督办单, 回访, escalations), the actions taken straight from them, and the district's configuration
 * (categories, routing rules, the holiday calendar, departments, areas, people, assignments). Pure TS over the one
 * HTTP client; the rules the screens show (queue splitting, form checks, captions) are plain functions below.
 */
import type { Static } from '@sinclair/typebox';
import type { Area, Assignment, Department, Enterprise, Person } from '@guanjia/shared/schemas/org';
import type {
  CalendarYear as CalendarYearSchema, CalendarYearSummary as CalendarYearSummarySchema, ReturnVisit as ReturnVisitSchema,
  RoutingPreview as RoutingPreviewSchema, RoutingRule, RoutingRuleCreate, RoutingRuleUpdate, Supervision, TicketCategory,
  TicketCategoryNode as TicketCategoryNodeSchema, TicketDetail, TicketListQuery,
  TicketStats, TicketSummary, TimelineEntry,
} from '@guanjia/shared/schemas/tickets';
import type { CoverageReport, LocationProposal, OverdueReport, Visit } from '@guanjia/shared/schemas/visits';
import type { Role } from '@guanjia/shared/roles';
import {
  AREA_KIND_LABELS, CONTACT_METHOD_LABELS as METHOD_LABELS, ESCALATION_LEVEL_LABELS, RETURN_VISIT_KIND_LABELS,
  SUPERVISION_ISSUER_STATUS_LABELS as SUPERVISION_STATUS_LABELS, SUPERVISION_KIND_LABELS, VERDICT_LABELS,
} from '@guanjia/shared/labels';
import type { HttpClient, QueryValue } from './http';
import { createCategoryEndpoints, createTicketEndpoints } from './tickets';
import { describeRule } from '@guanjia/shared/ticket/rule-words';

export type { Area, Assignment, CoverageReport, Department, LocationProposal, OverdueReport, Visit, Enterprise, Person, RoutingRule, Supervision, TicketCategory, TicketDetail, TicketStats, TicketSummary };
export type CalendarYear = Static<typeof CalendarYearSchema>;
export type CalendarYearSummary = Static<typeof CalendarYearSummarySchema>;
export type LocalDay = { date: string; kind: 'holiday' | 'workday'; name: string };
export type LocalDayResult = { date: string; kind: LocalDay['kind'] | null; name: string | null; ticketsRecomputed: number };
export type ReturnVisit = Static<typeof ReturnVisitSchema>;
export type RoutingPreview = Static<typeof RoutingPreviewSchema>;
export type TicketCategoryNode = Static<typeof TicketCategoryNodeSchema>;

/** One page of a keyset-paginated list. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** The queues a coordinator works through, in the order the desk shows them. */
/** The escalation levels that need a leader (3 分管领导协调, 4 协调会): the leader's default view of 升级事项. */
export const LEADER_MIN_LEVEL = 3 as const;

/** The lowest escalation level the 升级事项 queue shows: a leader (not also coordinator) starts at 3 unless asked for all. */
export function escalationFloor(roles: readonly string[], levels: string | undefined): 2 | 3 {
  if (levels === 'all') return 2;
  if (levels === 'leader') return LEADER_MIN_LEVEL;
  return roles.includes('leader') && !roles.includes('coordinator') ? LEADER_MIN_LEVEL : 2;
}

export type QueueKind = 'dispatch' | 'returned' | 'extensions' | 'overdue' | 'escalations' | 'closing';

/** A ticket in a queue, with what the queue needs from its detail (the list endpoint does not carry it). */
export type QueueItem = {
  ticket: TicketSummary;
  /** Present for the returned and extension queues (read from the detail). */
  detail?: TicketDetail;
  /** The last 退回: which department, why, when. */
  returned?: { departmentName: string | null; reason: string | null; at: string } | null;
};

type Q = Record<string, QueryValue>;

const WITH_DEPARTMENT = ['assigned', 'accepted', 'in_progress', 'awaiting_info'] as const;

/** Runs `fn` over `items` with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The last 退回 on a ticket's timeline, if any. */
export function lastReturn(timeline: Pick<TimelineEntry, 'action' | 'note' | 'data' | 'createdAt'>[]): QueueItem['returned'] {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i];
    if (e.action !== 'return') continue;
    const d = e.data ?? {};
    const reason = e.note ?? (typeof d.reason === 'string' ? d.reason : null);
    return { departmentName: typeof d.departmentName === 'string' ? d.departmentName : null, reason, at: e.createdAt };
  }
  return null;
}

/**
 * Splits waiting tickets, read with their details, into never-assigned ones and ones a department sent back (退回).
 * The desk asks the server for each queue instead (`returned` filter); this stays for details already at hand.
 */
export function splitDispatch(details: TicketDetail[], summaries: TicketSummary[]): { fresh: QueueItem[]; returned: QueueItem[] } {
  const fresh: QueueItem[] = [];
  const returned: QueueItem[] = [];
  details.forEach((detail, i) => {
    const ticket = summaries[i];
    if ((detail.counters.returnCount ?? 0) > 0) returned.push({ ticket, detail, returned: lastReturn(detail.timeline) });
    else fresh.push({ ticket, detail });
  });
  return { fresh, returned };
}

/** Body of 交办 / 改派 built from the form; `mode` follows the ticket's state (see `assignMode`). */
export type AssignForm = { leadDepartmentId: string; assistingDepartmentIds: string[]; text: string };

/**
 * A ticket waiting for dispatch (new or returned) is 交办ed (`dispatch`); one still with a department is 改派ed
 * (`reassign`, reason required). The state machine allows exactly these two.
 */
export function assignMode(state: TicketSummary['state']): 'dispatch' | 'reassign' | null {
  if (state === 'submitted' || state === 'pending_dispatch') return 'dispatch';
  if ((WITH_DEPARTMENT as readonly string[]).includes(state)) return 'reassign';
  return null;
}

/** Client checks of the 交办/改派 form, field → Chinese message. */
export function validateAssign(form: AssignForm, mode: 'dispatch' | 'reassign', currentLeadId?: string | null): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.leadDepartmentId) errors.leadDepartmentId = '请选择主办部门';
  else if (mode === 'reassign' && currentLeadId && form.leadDepartmentId === currentLeadId) errors.leadDepartmentId = '改派的部门与当前承办部门相同';
  if (form.assistingDepartmentIds.includes(form.leadDepartmentId)) errors.assistingDepartmentIds = '协办部门不能与主办部门相同';
  if (form.assistingDepartmentIds.length > 10) errors.assistingDepartmentIds = '协办部门最多 10 个';
  if (mode === 'reassign' && !form.text.trim()) errors.reason = '请填写改派原因';
  if (form.text.length > 500) errors[mode === 'reassign' ? 'reason' : 'note'] = '不能超过 500 字';
  return errors;
}

/** The action body (with the version read) for `mode`. */
export function assignBody(form: AssignForm, mode: 'dispatch' | 'reassign', version: number): Record<string, unknown> {
  const assisting = form.assistingDepartmentIds.filter((id) => id && id !== form.leadDepartmentId);
  const text = form.text.trim();
  return {
    version,
    leadDepartmentId: form.leadDepartmentId,
    ...(assisting.length ? { assistingDepartmentIds: assisting } : {}),
    ...(mode === 'reassign' ? { reason: text } : text ? { note: text } : {}),
  };
}

/** Everything the coordinator screens call. */
export type AdminApi = ReturnType<typeof createAdminApi>;

/** Builds the coordinator API over the app's HTTP client. */
export function createAdminApi(http: HttpClient) {
  const enc = encodeURIComponent;
  const key = (k?: string) => (k ? { idempotencyKey: k } : {});
  const endpoints = createTicketEndpoints(http);
  const categoryEndpoints = createCategoryEndpoints(http);
  const tickets = (query: Partial<TicketListQuery> & { cursor?: string }) => endpoints.list(query as Q);
  const ticket = endpoints.get;
  const action = endpoints.action;

  /** Reads up to `max` tickets matching `query`, following cursors. */
  async function allTickets(query: Partial<TicketListQuery>, max = 200): Promise<TicketSummary[]> {
    const out: TicketSummary[] = [];
    let cursor: string | undefined;
    while (out.length < max) {
      const page = await tickets({ ...query, limit: Math.min(100, max - out.length), cursor });
      out.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return out;
  }

  return {
    tickets,
    ticket,
    allTickets,

    /** The caller's work-queue counts in one request (the home and desk badges). */
    counts: endpoints.counts,

    /**
     * 待交办 and 被退回: the tickets waiting for dispatch, new ones and those a department sent back, each read with
     * its own filter; only the returned ones' details are read (the last 退回 reason).
     */
    async dispatchQueues(): Promise<{ fresh: QueueItem[]; returned: QueueItem[] }> {
      const [fresh, back] = await Promise.all([allTickets({ state: ['pending_dispatch', 'submitted'], returned: false }), allTickets({ returned: true })]);
      const details = await mapLimit(back, 6, (s) => ticket(s.id));
      return { fresh: fresh.map((t) => ({ ticket: t })), returned: details.map((detail, i) => ({ ticket: back[i], detail, returned: lastReturn(detail.timeline) })) };
    },

    /** 延期审批: tickets whose lead department asked for more time; each detail carries the days and the reason. */
    async extensionQueue(): Promise<QueueItem[]> {
      const summaries = await allTickets({ extensionPending: true });
      const details = await mapLimit(summaries, 6, (s) => ticket(s.id));
      return details.map((detail, i) => ({ ticket: summaries[i], detail }));
    },

    /** 待销号: tickets the enterprise confirmed (满意 / 基本满意), waiting for the coordinator's 销号. */
    closing: () => allTickets({ state: ['confirmed'] }),
    close: (id: string, version: number, k?: string) => action(id, 'close', { version }, k),

    /** 超期: tickets past their accept or reply deadline now. */
    overdue: (cursor?: string) => tickets({ overdue: true, limit: 50, cursor }),

    /** 升级事项: open tickets raised to `minLevel`–4 (default 2; a leader's own view starts at 3), highest first. */
    async escalations(minLevel: 2 | 3 | 4 = 2): Promise<QueueItem[]> {
      const all = await allTickets({ escalationLevelMin: minLevel, state: ['pending_dispatch', ...WITH_DEPARTMENT, 'replied', 'awaiting_visit'] }, 300);
      return [...all].sort((a, b) => (b.escalationLevel ?? 1) - (a.escalationLevel ?? 1)).map((t) => ({ ticket: t }));
    },

    dispatch: (id: string, body: Record<string, unknown>, k?: string) => action(id, 'dispatch', body, k),
    reassign: (id: string, body: Record<string, unknown>, k?: string) => action(id, 'reassign', body, k),
    approveExtension: (id: string, version: number, note?: string, k?: string) => action(id, 'extension-approval', { version, ...(note?.trim() ? { note: note.trim() } : {}) }, k),
    rejectExtension: (id: string, version: number, reason: string, k?: string) => action(id, 'extension-rejection', { version, reason: reason.trim() }, k),
    supervise: (id: string, version: number, note?: string, k?: string) => action(id, 'supervise', { version, ...(note?.trim() ? { note: note.trim() } : {}) }, k),
    escalate: (id: string, version: number, level: number, reason: string, k?: string) => action(id, 'escalate', { version, level, reason: reason.trim() }, k),
    meetings: (id: string) => endpoints.meetings<Meeting>(id),
    recordMeeting: endpoints.recordMeeting,
    previewRouting: (categoryId: string, enterpriseId: string) => http.get<RoutingPreview>('/routing-rules/preview', { categoryId, enterpriseId }),

    supervisions: (query: { status?: Supervision['status']; cursor?: string; departmentId?: string }) => http.get<Page<Supervision>>('/supervisions', { limit: 50, ...query }),
    completeSupervision: (id: string, version: number, response: string, k?: string) => http.post<Supervision>(`/supervisions/${enc(id)}/complete`, { version, response: response.trim() }, key(k)),

    returnVisits: (query: { status?: ReturnVisit['status']; cursor?: string; limit?: number }) => http.get<Page<ReturnVisit>>('/return-visits', { limit: 50, ...query }),
    recordReturnVisit: (id: string, body: Record<string, unknown>, k?: string) => http.post<ReturnVisit>(`/return-visits/${enc(id)}/record`, body, key(k)),

    categories: (includeInactive = true) => categoryEndpoints.tree({ includeInactive }),
    createCategory: categoryEndpoints.create,
    updateCategory: categoryEndpoints.update,
    loadDefaultCategories: categoryEndpoints.loadDefaults,

    routingRules: (includeInactive = true) => http.get<{ items: RoutingRule[] }>('/routing-rules', { includeInactive }),
    createRule: (body: RoutingRuleCreate, k?: string) => http.post<RoutingRule>('/routing-rules', body, key(k)),
    updateRule: (id: string, body: RoutingRuleUpdate) => http.patch<RoutingRule>(`/routing-rules/${enc(id)}`, body),

    calendarYears: () => http.get<{ items: CalendarYearSummary[] }>('/calendar/years'),
    calendarYear: (year: number) => http.get<CalendarYear>(`/calendar/years/${year}`),
    putCalendarYear: (year: number, body: { holidays: NamedDay[]; makeUpWorkdays: NamedDay[]; note?: string }, k?: string) =>
      http.put<CalendarYear & { ticketsRecomputed: number }>(`/calendar/years/${year}`, body, key(k)),
    localDays: (year: number) => http.get<{ items: LocalDay[] }>('/calendar/local-days', { year }),
    setLocalDay: (date: string, body: { kind: LocalDay['kind']; name: string }) => http.put<LocalDayResult>(`/calendar/local-days/${enc(date)}`, body),
    removeLocalDay: (date: string) => http.delete<LocalDayResult>(`/calendar/local-days/${enc(date)}`),

    departments: () => http.get<{ items: Department[] }>('/departments'),
    createDepartment: (body: { name: string; shortName?: string; functions?: string }, k?: string) => http.post<Department>('/departments', body, key(k)),
    updateDepartment: (id: string, body: Partial<{ name: string; shortName: string; functions: string; active: boolean }>) => http.patch<Department>(`/departments/${enc(id)}`, body),

    areas: () => http.get<{ items: Area[] }>('/areas'),
    createArea: (body: { code: string; name: string; kind: Area['kind'] }, k?: string) => http.post<Area>('/areas', body, key(k)),
    updateArea: (id: string, body: Partial<{ name: string; kind: Area['kind'] }>) => http.patch<Area>(`/areas/${enc(id)}`, body),

    people: (query: { q?: string; role?: Role; departmentId?: string; enterpriseId?: string; cursor?: string; limit?: number }) => http.get<Page<Person>>('/people', { limit: 50, ...query }),
    createPerson: (body: Record<string, unknown>, k?: string) => http.post<Person>('/people', body, key(k)),
    updatePerson: (id: string, body: Record<string, unknown>) => http.patch<Person>(`/people/${enc(id)}`, body),

    assignments: (query: { stewardId?: string; enterpriseId?: string; active?: boolean; cursor?: string }) => http.get<Page<Assignment>>('/assignments', { limit: 50, ...query }),
    createAssignment: (body: { stewardId: string; enterpriseId: string; startsOn?: string; note?: string }, k?: string) => http.post<Assignment>('/assignments', body, key(k)),
    endAssignment: (id: string, endsOn?: string) => http.post<Assignment>(`/assignments/${enc(id)}/end`, endsOn ? { endsOn } : {}),

    enterprises: (query: { q?: string; areaId?: string; cursor?: string; limit?: number }) => http.get<Page<Enterprise>>('/enterprises', { limit: 20, ...query }),

    /** Check-ins with a flag (外勤, implausible travel, reused photo…) not yet reviewed by a coordinator. */
    flaggedVisits: (cursor?: string) => http.get<Page<Visit>>('/visits', { flagged: true, unreviewed: true, limit: 30, cursor }),
    reviewVisit: (id: string, note?: string) => http.post<Visit>(`/visits/${enc(id)}/review`, note?.trim() ? { note: note.trim() } : {}),
    /** 驳回 a flagged check-in: the reason is required; the visit stops counting toward the steward's contacts. */
    rejectVisit: (id: string, reason: string) => http.post<Visit>(`/visits/${enc(id)}/review`, { verdict: 'rejected', note: reason.trim() }),
    /** The check-in photo (token-protected: shown through AuthImage). */
    visitPhotoUrl: (photoId: string) => `${http.baseUrl}/visit-photos/${enc(photoId)}`,
    locationProposals: (cursor?: string) => http.get<Page<LocationProposal>>('/location-proposals', { status: 'pending', limit: 30, cursor }),
    decideProposal: (id: string, decision: 'confirm' | 'reject', note?: string) =>
      http.post<LocationProposal>(`/location-proposals/${enc(id)}/${decision}`, note?.trim() ? { note: note.trim() } : {}),
    overdueContacts: () => http.get<OverdueReport>('/cadence/overdue'),

    ticketStats: (from: string, to: string) => http.get<TicketStats>('/ticket-stats', { from, to }),
    coverage: (from: string, to: string) => http.get<CoverageReport>('/visits/coverage', { from, to }),
    monthlyReport: (month: string) => http.get<{ month: string; paragraph: string }>('/reports/monthly', { month }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Captions and form rules.

/** 督办单 status and kind captions. */
// Label tables: the one table in @guanjia/shared/labels (the office sees 已下发/已签收).
export {
  AREA_KIND_LABELS, METHOD_LABELS, RETURN_VISIT_KIND_LABELS, SUPERVISION_STATUS_LABELS, SUPERVISION_KIND_LABELS, VERDICT_LABELS,
};

/** 回访 captions. */
export const ESCALATION_LABELS: Record<number, string> = Object.fromEntries(Object.entries(ESCALATION_LEVEL_LABELS).map(([k, v]) => [k, `${k}级 ${v}`]));

/** The 回访 form. */
export type ReturnVisitForm = { verdict: keyof typeof VERDICT_LABELS | ''; voluntary: 'yes' | 'no' | ''; method: keyof typeof METHOD_LABELS; note: string };

/** Checks a 回访 record: a verdict for a confirmation task, voluntary yes/no for a withdrawal; a note for 不满意/非自愿. */
export function validateReturnVisit(kind: ReturnVisit['kind'], form: ReturnVisitForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (kind === 'confirmation' && !form.verdict) errors.verdict = '请选择企业的评价';
  if (kind === 'withdrawal' && !form.voluntary) errors.withdrawalVoluntary = '请选择企业是否自愿撤回';
  const needsNote = form.verdict === 'dissatisfied' || form.voluntary === 'no';
  if (needsNote && !form.note.trim()) errors.note = '请记录企业反映的情况';
  if (form.note.length > 1000) errors.note = '不能超过 1000 字';
  return errors;
}

/** The POST /return-visits/:id/record body. */
export function returnVisitBody(kind: ReturnVisit['kind'], form: ReturnVisitForm, version: number): Record<string, unknown> {
  return {
    version,
    method: form.method,
    ...(kind === 'confirmation' && form.verdict ? { verdict: form.verdict } : {}),
    ...(kind === 'withdrawal' && form.voluntary ? { withdrawalVoluntary: form.voluntary === 'yes' } : {}),
    ...(form.note.trim() ? { note: form.note.trim() } : {}),
  };
}

/** A named day of the holiday calendar. */
export type NamedDay = { date: string; name: string };

/**
 * Parses the calendar editor's text: one day per line, `2027-01-01 元旦`, or a range `2027-02-10~2027-02-16 春节`
 * (a name is required; `，`/`,`/spaces separate). Returns the days and the Chinese error of each bad line.
 */
export function parseDayLines(text: string, year: number): { days: NamedDay[]; errors: string[] } {
  const days: NamedDay[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(\d{4}-\d{2}-\d{2})(?:\s*[~～至-]{1}\s*(\d{4}-\d{2}-\d{2}))?[\s,，、]+(.{1,32})$/.exec(line);
    if (!m) {
      errors.push(`第 ${i + 1} 行格式应为「日期 名称」，如 ${year}-01-01 元旦`);
      return;
    }
    const [, from, to, name] = m;
    const range = expandRange(from, to ?? from);
    if (!range) {
      errors.push(`第 ${i + 1} 行日期无效`);
      return;
    }
    for (const date of range) {
      if (!date.startsWith(`${year}-`)) {
        errors.push(`第 ${i + 1} 行的日期不在 ${year} 年`);
        return;
      }
      if (seen.has(date)) continue;
      seen.add(date);
      days.push({ date, name: name.trim() });
    }
  });
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { days, errors };
}

function expandRange(from: string, to: string): string[] | null {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a || b - a > 40 * 86_400_000) return null;
  if (new Date(a).toISOString().slice(0, 10) !== from || new Date(b).toISOString().slice(0, 10) !== to) return null;
  const out: string[] = [];
  for (let t = a; t <= b; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The editor's text for a list of named days: consecutive days with one name become one range line. */
export function formatDayLines(days: NamedDay[]): string {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const lines: string[] = [];
  let start: NamedDay | null = null;
  let prev: NamedDay | null = null;
  const flush = () => {
    if (start && prev) lines.push(start.date === prev.date ? `${start.date} ${start.name}` : `${start.date}~${prev.date} ${start.name}`);
  };
  for (const d of sorted) {
    const consecutive = prev && prev.name === d.name && Date.parse(`${d.date}T00:00:00Z`) - Date.parse(`${prev.date}T00:00:00Z`) === 86_400_000;
    if (!consecutive) {
      flush();
      start = d;
    }
    prev = d;
  }
  flush();
  return lines.join('\n');
}

/** The new-person form of the people screen. */
export type PersonForm = {
  name: string; roles: Role[]; username: string; phone: string; password: string; title: string;
  departmentId: string; enterpriseId: string; issueInvitation: boolean;
};

/** Client checks of a new person, field → Chinese message (the server re-checks everything). */
export function validatePerson(form: PersonForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.name.trim()) errors.name = '请输入姓名';
  if (!form.roles.length) errors.roles = '请至少选择一个角色';
  if (form.username && !/^[A-Za-z][A-Za-z0-9_.-]{2,63}$/.test(form.username)) errors.username = '用户名以字母开头，3–64 位字母、数字或 _ . -';
  if (form.phone && !/^1\d{10}$/.test(form.phone)) errors.phone = '请输入 11 位手机号';
  if (form.password && form.password.length < 8) errors.password = '密码至少 8 位';
  if (form.password && !form.username && !form.phone) errors.username = '设置密码时需填写用户名或手机号';
  if (form.roles.includes('department') && !form.departmentId) errors.departmentId = '部门办理人需选择所属部门';
  if (form.roles.includes('enterprise') && !form.enterpriseId) errors.enterpriseId = '企业联系人需选择所属企业';
  if (!form.password && !form.issueInvitation && !form.phone) errors.issueInvitation = '请设置密码或生成邀请码，否则此人无法登录';
  return errors;
}

/** The POST /people body of the form (empty fields left out). */
export function personBody(form: PersonForm): Record<string, unknown> {
  const body: Record<string, unknown> = { name: form.name.trim(), roles: form.roles };
  if (form.username.trim()) body.username = form.username.trim();
  if (form.phone.trim()) body.phone = form.phone.trim();
  if (form.password) body.password = form.password;
  if (form.title.trim()) body.title = form.title.trim();
  if (form.roles.includes('department') && form.departmentId) body.departmentId = form.departmentId;
  if (form.roles.includes('enterprise') && form.enterpriseId) body.enterpriseId = form.enterpriseId;
  if (form.issueInvitation) body.issueInvitation = true;
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Home screen badges

/**
 * Badge counts of the steward's and the coordinator's/leader's work lists, keyed `<role>:<item key>` as
 * role-home.ts names them: enterprises still to contact this period; the coordinator's queues (waiting for dispatch,
 * sent back, extension requests, overdue, 回访 open) from one GET /tickets/counts; escalations (level ≥ 2). A failed
 * part leaves its badges out.
 */
export async function loadDeskWorkCounts(http: HttpClient, roles: readonly string[], userId: string | undefined): Promise<Record<string, number>> {
  const api = createAdminApi(http);
  const out: Record<string, number> = {};
  const jobs: Promise<unknown>[] = [];
  if (roles.includes('steward') && userId) {
    jobs.push(http.get<{ summary: { due: number; overdue: number } }>(`/stewards/${encodeURIComponent(userId)}/cadence`).then((c) => {
      out['steward:enterprises'] = c.summary.due + c.summary.overdue;
    }));
  }
  if (roles.includes('coordinator')) {
    jobs.push(api.counts().then((c) => {
      const put = (k: string, n: number | undefined) => {
        if (n !== undefined) out[k] = n;
      };
      put('coordinator:dispatch', c.pendingDispatch);
      put('coordinator:returned', c.returned);
      put('coordinator:extensions', c.extensionPending);
      put('coordinator:overdue', c.overdue);
      put('coordinator:followups', c.returnVisitsOpen);
      put('coordinator:closing', c.awaitingClose);
    }));
  }
  // The leader's badge counts what needs a leader: levels 3 (分管领导) and 4 (协调会) (issue 13).
  if (roles.includes('leader')) jobs.push(api.escalations(LEADER_MIN_LEVEL).then((x) => (out['leader:escalations'] = x.length)));
  await Promise.allSettled(jobs);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 协调会 (level-4 escalation)

/** The 协调会 form: attendees one per line (`张三 区发改局局长`), action items one per line. */
export type MeetingForm = { heldOn: string; location: string; attendees: string; decisions: string; actions: string };

/** `姓名 职务` lines → attendees (the first word is the name, the rest the title). */
export function parseAttendees(text: string): { name: string; title?: string }[] {
  return text
    .split(/\r?\n|[;；]/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, ...rest] = l.split(/[\s,，、]+/);
      const title = rest.join(' ').trim();
      return title ? { name: name.slice(0, 64), title: title.slice(0, 64) } : { name: name.slice(0, 64) };
    });
}

/** Client checks of the 协调会 form, field → Chinese message. */
export function validateMeeting(form: MeetingForm, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.heldOn) || Number.isNaN(Date.parse(`${form.heldOn}T00:00:00Z`))) errors.heldOn = '日期格式为 2026-01-01';
  else if (form.heldOn > today) errors.heldOn = '会议日期不能晚于今天';
  const attendees = parseAttendees(form.attendees);
  if (!attendees.length) errors.attendees = '请填写参会人员，每行一人';
  else if (attendees.length > 50) errors.attendees = '参会人员最多 50 人';
  if (!form.decisions.trim()) errors.decisions = '请填写会议议定事项';
  else if (form.decisions.length > 4000) errors.decisions = '议定事项不能超过 4000 字';
  const actions = form.actions.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (actions.length > 30) errors.actions = '交办任务最多 30 条';
  if (actions.some((a) => a.length > 500)) errors.actions = '每条任务不超过 500 字';
  return errors;
}

/** The POST /tickets/:id/meetings body. */
export function meetingBody(form: MeetingForm, version: number): Record<string, unknown> {
  const actions = form.actions.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((text) => ({ text }));
  return {
    version,
    heldOn: form.heldOn,
    ...(form.location.trim() ? { location: form.location.trim().slice(0, 128) } : {}),
    attendees: parseAttendees(form.attendees),
    decisions: form.decisions.trim(),
    ...(actions.length ? { actions } : {}),
  };
}

/** A recorded 协调会, as GET /tickets/:id/meetings lists it. */
export type Meeting = {
  id: string; heldOn: string; location: string | null; attendees: { name: string; title?: string }[]; decisions: string;
  actions: { text: string; dueDate?: string }[]; recordedBy: { id: string; name: string }; createdAt: string;
};

/**
 * The department the dispatch form preselects (issue 13): the lead (and assisting ones) of the rule the routing
 * preview matches for the ticket's enterprise and category — unless that department already returned the ticket
 * or holds it now. `why` says it in the rule's plain words; `note` explains when nothing is preselected.
 */
export function routingSuggestion(
  preview: RoutingPreview | undefined,
  opts: { returnedDepartmentNames: ReadonlySet<string>; currentLeadId: string | null; activeDepartmentIds: ReadonlySet<string> },
): { leadDepartmentId: string; assistingDepartmentIds: string[]; name: string; why: string } | { note: string } | null {
  if (!preview) return null;
  if (preview.outcome === 'tie') return { note: `有 ${preview.candidates} 条交办规则同样适用，请人工选择承办部门` };
  const rule = preview.rule;
  if (preview.outcome !== 'matched' || !rule) return { note: '没有适用的交办规则，请人工选择承办部门' };
  const lead = rule.leadDepartment;
  if (lead.id === opts.currentLeadId) return { note: `交办规则指向当前承办部门 ${lead.name}，请另选部门` };
  if (opts.returnedDepartmentNames.has(lead.name)) return { note: `交办规则指向的 ${lead.name} 已退回过此诉求，请另选部门` };
  if (!opts.activeDepartmentIds.has(lead.id)) return { note: `交办规则指向的 ${lead.name} 已停用，请人工选择承办部门` };
  return {
    leadDepartmentId: lead.id,
    assistingDepartmentIds: rule.assistingDepartments.map((d) => d.id).filter((id) => id !== lead.id && opts.activeDepartmentIds.has(id)),
    name: lead.name,
    why: describeRule(rule),
  };
}
