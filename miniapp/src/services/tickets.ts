import type { Static } from '@sinclair/typebox';
import type {
  Attachment,
  DuplicateCandidate,
  Supervision,
  TicketCategory,
  TicketCategoryCreate,
  TicketCategoryNode,
  TicketCategoryUpdate,
  TicketCreate,
  TicketCounts,
  TicketCreated,
  TicketDetail,
  TicketSummary,
  TimelineEntry,
} from '@guanjia/shared/schemas/tickets';
import {
  ESCALATION_LEVEL_LABELS,
  TICKET_STATE_LABELS,
  type EscalationLevel,
  type ReplyOutcome,
  type TicketAction,
  type TicketState,
  type Verdict,
} from '@guanjia/shared/ticket/ticket-machine';
import {
  REPLY_OUTCOME_LABELS as SHARED_REPLY_OUTCOME_LABELS, SUPERVISION_KIND_LABELS, SUPERVISION_STATUS_LABELS, URGENCY_LABELS, VERDICT_LABELS as SHARED_VERDICT_LABELS,
  VISIT_METHOD_LABELS,
} from '@guanjia/shared/labels';
import type { FileClient } from './files';
import type { HttpClient, QueryValue } from './http';

/**
 * The 诉求 (ticket) API as the mini-app uses it, and the view logic of the ticket screens (deadlines, sorting,
 * tabs, badges, timeline lines) as plain functions with unit tests. Types come from the shared schemas by deep,
 * type-only imports: TypeBox itself never reaches the bundle.
 */

export type { Attachment, Supervision, TicketDetail, TicketSummary, TimelineEntry };

/** The schemas type states and actions as plain strings (TypeBox unions of literals); the machine's names are narrower. */
export const asActions = (list: readonly string[]): TicketAction[] => list as TicketAction[];
export type CategoryNode = Static<typeof TicketCategoryNode>;
export type Duplicate = Static<typeof DuplicateCandidate>;
export type TicketCreatedResponse = Static<typeof TicketCreated>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Notification = {
  id: string; kind: string; title: string; body: string; entityType: string | null; entityId: string | null; read: boolean; createdAt: string;
  /** someone entitled already did what it asked; `doneNote` says what happened */
  done?: boolean; doneNote?: string | null;
};
export type NotificationPage = Page<Notification> & { unreadCount: number };
export type Department = { id: string; name: string };

/** Endpoint segment of each action (`POST /tickets/{id}/<segment>`), as server/src/modules/tickets/routes.ts. */
export const ACTION_PATHS: Record<Exclude<TicketAction, 'route'>, string> = {
  dispatch: 'dispatch',
  accept: 'accept',
  return: 'return',
  reassign: 'reassign',
  add_note: 'notes',
  request_info: 'request-info',
  provide_info: 'provide-info',
  request_extension: 'extension-request',
  approve_extension: 'extension-approval',
  reject_extension: 'extension-rejection',
  reply: 'reply',
  confirm: 'confirm',
  open_visit: 'open-visit',
  record_visit: 'record-visit',
  close: 'close',
  withdraw: 'withdraw',
  merge: 'merge',
  escalate: 'escalate',
  supervise: 'supervise',
};

/**
 * The one wrapper of the ticket and category endpoints (`/tickets…`, `/ticket-categories…`). The ticket service
 * below, the coordinator's desk (admin.ts) and the steward's API (visits.ts) are built on it. A call without a key
 * gets a fresh Idempotency-Key from the HTTP client.
 */
export function createTicketEndpoints(http: HttpClient) {
  const enc = encodeURIComponent;
  const key = (k?: string) => (k ? { idempotencyKey: k } : {});
  return {
    list: (query: Record<string, QueryValue> = {}) => http.get<Page<TicketSummary>>('/tickets', query),
    /** The caller's work-queue counts (home and desk badges), one request. */
    counts: () => http.get<TicketCounts>('/tickets/counts'),
    get: (id: string) => http.get<TicketDetail>(`/tickets/${enc(id)}`),
    similar: async (q: { enterpriseId: string; categoryId: string; text: string }) => (await http.get<{ items: Duplicate[] }>('/tickets/similar', q)).items,
    create: (body: TicketCreate, k?: string) => http.post<TicketCreatedResponse>('/tickets', body, key(k)),
    /** `POST /tickets/{id}/<segment>` (see ACTION_PATHS). */
    action: (id: string, segment: string, body: Record<string, unknown>, k?: string) => http.post<TicketDetail>(`/tickets/${enc(id)}/${segment}`, body, key(k)),
    meetings: <M>(id: string) => http.get<{ items: M[] }>(`/tickets/${enc(id)}/meetings`),
    recordMeeting: (id: string, body: Record<string, unknown>, k?: string) => http.post<TicketDetail>(`/tickets/${enc(id)}/meetings`, body, key(k)),
  };
}

/** The one wrapper of the category endpoints (the tree; the coordinator's edits). */
export function createCategoryEndpoints(http: HttpClient) {
  const key = (k?: string) => (k ? { idempotencyKey: k } : {});
  return {
    /** The tree; active categories only unless `includeInactive`. */
    tree: (query?: { includeInactive?: boolean }) => http.get<{ items: CategoryNode[] }>('/ticket-categories', query),
    create: (body: TicketCategoryCreate, k?: string) => http.post<TicketCategory>('/ticket-categories', body, key(k)),
    update: (id: string, body: TicketCategoryUpdate) => http.patch<TicketCategory>(`/ticket-categories/${encodeURIComponent(id)}`, body),
    loadDefaults: () => http.post<{ added: number; items: CategoryNode[] }>('/ticket-categories/defaults', {}),
  };
}

/** The ticket calls, over the one HTTP client (Idempotency-Key passed in by the form that owns the submission). */
export function createTicketService(http: HttpClient, files?: FileClient) {
  const endpoints = createTicketEndpoints(http);
  const tree = createCategoryEndpoints(http).tree;
  let categories: Promise<CategoryNode[]> | undefined;
  return {
    list: endpoints.list,
    /** The caller's work-queue counts (home badges), one request. */
    counts: endpoints.counts,
    get: endpoints.get,
    /** The category tree, loaded once per app run (a failure is not cached). */
    categories() {
      categories ??= tree().then(
        (r) => r.items.filter((c) => c.active).map((c) => ({ ...c, children: c.children.filter((x) => x.active) })),
        (e) => {
          categories = undefined;
          throw e;
        },
      );
      return categories;
    },
    similar: endpoints.similar,
    create(body: TicketCreate, idempotencyKey: string) {
      return endpoints.create(body, idempotencyKey);
    },
    act(id: string, action: Exclude<TicketAction, 'route'>, body: Record<string, unknown>, idempotencyKey: string) {
      return endpoints.action(id, ACTION_PATHS[action], body, idempotencyKey);
    },
    upload(file: { path: string; name?: string; size?: number }) {
      if (!files) throw new Error('file client missing');
      return files.upload<Attachment>('/attachments', file);
    },
    departments() {
      return http.get<{ items: Department[] }>('/departments').then((r) => r.items);
    },
    /** The date N working days after `from` on China's calendar (for the extension form). */
    workingDaysFrom(from: string, days: number) {
      return http.get<{ from: string; days: number; date: string; provisional: boolean }>('/calendar/working-days', { from, days });
    },
    notifications(query: { cursor?: string; limit?: number; unread?: boolean } = {}) {
      return http.get<NotificationPage>('/notifications', query);
    },
    markRead(id: string) {
      return http.post<void>(`/notifications/${encodeURIComponent(id)}/read`, undefined, { idempotencyKey: false });
    },
    markAllRead() {
      return http.post<void>('/notifications/read-all', undefined, { idempotencyKey: false });
    },
    supervisions(query: { status?: Supervision['status']; cursor?: string; limit?: number } = {}) {
      return http.get<Page<Supervision>>('/supervisions', query);
    },
    acknowledgeSupervision(id: string, version: number, idempotencyKey: string) {
      return http.post<Supervision>(`/supervisions/${encodeURIComponent(id)}/acknowledge`, { version }, { idempotencyKey });
    },
    completeSupervision(id: string, version: number, response: string, idempotencyKey: string) {
      return http.post<Supervision>(`/supervisions/${encodeURIComponent(id)}/complete`, { version, response }, { idempotencyKey });
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;

// ---------------------------------------------------------------------------------------------------------------
// Dates (always shown in Beijing time, whatever the phone's zone)

const OFFSET = 8 * 3600_000;
const DAY = 24 * 3600_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `11-26 17:30`, with the year when it is not `now`'s year (Beijing time). */
export function formatTime(iso: string, now: Date = new Date()): string {
  const d = new Date(new Date(iso).getTime() + OFFSET);
  const n = new Date(now.getTime() + OFFSET);
  const md = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCFullYear() === n.getUTCFullYear() ? md : `${d.getUTCFullYear()}-${md}`;
}

/** `2026-11-26（周四）` for a `YYYY-MM-DD` date. */
export function formatDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : `${date}（周${WEEKDAYS[d.getUTCDay()]}）`;
}

/**
 * What the enterprise is promised right after filing (issue 13): the 受理编号 and the reply date — the reply
 * deadline when the ticket was assigned at once, else that it is being dispatched.
 */
export function filedPromise(t: Pick<TicketDetail, 'no' | 'deadlines'>): { no: string; promise: string } {
  const due = t.deadlines.replyDueAt;
  return {
    no: t.no,
    promise: due ? `承诺于 ${formatDate(beijingDate(due))} 前答复` : '调度员正在分派，交办后按办理时限答复，届时会通知您',
  };
}

/**
 * 批量签收 (issue 13): accepts each chosen ticket in turn, one action (one transaction) per ticket, with a key
 * fixed by ticket and version so a retried batch never signs twice. Failures are collected, not thrown.
 */
export async function acceptMany(
  items: readonly { id: string; no: string; version: number }[],
  act: (id: string, body: Record<string, unknown>, key: string) => Promise<unknown>,
  messageOf: (e: unknown) => string,
): Promise<{ done: string[]; failed: { no: string; message: string }[] }> {
  const done: string[] = [];
  const failed: { no: string; message: string }[] = [];
  for (const t of items) {
    try {
      await act(t.id, { version: t.version }, `accept-${t.id}-v${t.version}`);
      done.push(t.id);
    } catch (e) {
      failed.push({ no: t.no, message: messageOf(e) });
    }
  }
  return { done, failed };
}

/** The step bar of a ticket's life as the enterprise reads it (issue 13). */
export const TICKET_STEPS = ['提交', '交办', '签收', '办理', '答复', '确认', '销号'] as const;

/** The last step a ticket has reached (index into TICKET_STEPS), or null when it left the path (撤回, 合并). */
export function ticketStep(state: string): number | null {
  const at: Record<string, number> = {
    submitted: 0, pending_dispatch: 0, assigned: 1, accepted: 2, in_progress: 3, awaiting_info: 3, replied: 4, awaiting_visit: 4, confirmed: 5, closed: 6,
  };
  return at[state] ?? null;
}

/** The Beijing calendar date of an instant, `YYYY-MM-DD`. */
export function beijingDate(iso: string | Date): string {
  return new Date(new Date(iso).getTime() + OFFSET).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------
// Deadlines

/** States in which nothing waits any more. */
export const ENDED_STATES: readonly string[] = ['closed', 'withdrawn', 'merged'] satisfies TicketState[];

/** Who reads a deadline: staff care about 签收 then 答复; the enterprise waits for the 答复 only. */
export type Audience = 'staff' | 'enterprise';

/** The deadline that matters now: 签收 while assigned (staff), 答复 while being handled (null otherwise). */
export function deadlineOf(t: Pick<TicketSummary, 'state' | 'acceptDueAt' | 'replyDueAt'>, audience: Audience = 'staff'): { kind: 'accept' | 'reply'; at: string } | null {
  if (audience === 'staff' && t.state === 'assigned' && t.acceptDueAt) return { kind: 'accept', at: t.acceptDueAt };
  if (t.replyDueAt && ['assigned', 'accepted', 'in_progress', 'awaiting_info'].includes(t.state)) return { kind: 'reply', at: t.replyDueAt };
  return null;
}

export type DueInfo = { text: string; tone: 'overdue' | 'soon' | 'normal' | 'paused' };

/**
 * What a list row or a detail header says about the deadline: `已超期 2 天`, `今天 17:30 前签收`,
 * `答复期限 11-28 17:30`, `等待企业补充材料，期限暂停`. Null when no deadline runs.
 */
export function dueInfo(t: Pick<TicketSummary, 'state' | 'acceptDueAt' | 'replyDueAt' | 'overdue'>, now: Date = new Date(), audience: Audience = 'staff'): DueInfo | null {
  if (t.state === 'awaiting_info') return { text: audience === 'enterprise' ? '请补充材料，部门办理期限暂停' : '等待企业补充材料，期限暂停', tone: 'paused' };
  const d = deadlineOf(t, audience);
  if (!d) return null;
  const verb = d.kind === 'accept' ? '签收' : '答复';
  const due = new Date(d.at).getTime();
  // `overdue` may be the 签收 deadline: the enterprise is told about the 答复 deadline only.
  if ((audience === 'staff' && t.overdue) || due < now.getTime()) {
    const days = Math.floor((now.getTime() - due) / DAY);
    return { text: days >= 1 ? `${verb}已超期 ${days} 天` : `${verb}已超期`, tone: 'overdue' };
  }
  const time = formatTime(d.at, now);
  if (beijingDate(d.at) === beijingDate(now)) return { text: `今天 ${time.slice(-5)} 前${verb}`, tone: 'soon' };
  if (due - now.getTime() < DAY) return { text: `明天 ${time.slice(-5)} 前${verb}`, tone: 'soon' };
  return { text: `${verb}期限 ${time}`, tone: 'normal' };
}

/** Department inbox order: overdue first, then the nearest deadline, tickets without one last, newest first among equals. */
export function sortByDeadline<T extends Pick<TicketSummary, 'state' | 'acceptDueAt' | 'replyDueAt' | 'overdue' | 'createdAt'>>(items: readonly T[], now: Date = new Date()): T[] {
  const key = (t: T) => {
    const d = deadlineOf(t);
    const at = d ? new Date(d.at).getTime() : Number.POSITIVE_INFINITY;
    return { overdue: t.overdue || at < now.getTime() ? 0 : 1, at };
  };
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka.overdue - kb.overdue || ka.at - kb.at || b.createdAt.localeCompare(a.createdAt);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Tabs and badges

export type TabSpec = { key: string; title: string; states?: TicketState[] };

/** The enterprise's "my requests" tabs; `states` is the server filter (none = all). */
export const ENTERPRISE_TABS: readonly TabSpec[] = [
  { key: 'all', title: '全部' },
  { key: 'open', title: '办理中', states: ['submitted', 'pending_dispatch', 'assigned', 'accepted', 'in_progress'] },
  { key: 'info', title: '待补充', states: ['awaiting_info'] },
  { key: 'confirm', title: '待确认', states: ['replied', 'awaiting_visit'] },
  { key: 'done', title: '已办结', states: ['confirmed', 'closed', 'withdrawn', 'merged'] },
];

/**
 * The list query of a department inbox tab: the open tabs ask the server for nearest reply deadline first (overdue
 * first, none last) so the order holds across pages; 已答复 stays newest first.
 */
export function departmentInboxQuery(spec: TabSpec, overdueOnly: boolean, cursor?: string): Record<string, QueryValue> {
  const open = spec.key !== 'replied';
  return {
    state: spec.states,
    limit: 100,
    ...(cursor ? { cursor } : {}),
    ...(open ? { sort: 'deadline' } : {}),
    ...(overdueOnly ? { overdue: true } : {}),
  };
}

/** The department inbox tabs (待签收 / 办理中 / 已答复). */
export const DEPARTMENT_TABS: readonly TabSpec[] = [
  { key: 'assigned', title: '待签收', states: ['assigned'] },
  { key: 'handling', title: '办理中', states: ['accepted', 'in_progress', 'awaiting_info'] },
  { key: 'replied', title: '已答复', states: ['replied', 'awaiting_visit', 'confirmed', 'closed'] },
];

/** The tab a home work item opens (`?item=` of the home screen), falling back to the first. */
export function tabFor(tabs: readonly TabSpec[], key: string | undefined): TabSpec {
  const alias: Record<string, string> = { mine: 'all', inbox: 'assigned' };
  const k = key ? alias[key] ?? key : undefined;
  return tabs.find((t) => t.key === k) ?? tabs[0];
}

/** Badges of the enterprise contact's work list: open requests, replies waiting for a verdict, information asked for. */
export function enterpriseCounts(items: readonly Pick<TicketSummary, 'state'>[]): Record<'mine' | 'confirm' | 'info', number> {
  const c = { mine: 0, confirm: 0, info: 0 };
  for (const t of items) {
    if (!ENDED_STATES.includes(t.state) && t.state !== 'confirmed') c.mine += 1;
    if (t.state === 'replied' || t.state === 'awaiting_visit') c.confirm += 1;
    if (t.state === 'awaiting_info') c.info += 1;
  }
  return c;
}

/** Badges of department staff: tickets to accept, tickets being handled (overdue counted apart). */
export function departmentCounts(items: readonly Pick<TicketSummary, 'state' | 'overdue'>[]): { inbox: number; handling: number; overdue: number } {
  const c = { inbox: 0, handling: 0, overdue: 0 };
  for (const t of items) {
    if (t.state === 'assigned') c.inbox += 1;
    if (t.state === 'accepted' || t.state === 'in_progress' || t.state === 'awaiting_info') c.handling += 1;
    if (t.overdue) c.overdue += 1;
  }
  return c;
}

/** `99+` past 99, nothing for 0. */
export function badgeText(n: number | undefined): string {
  if (!n || n < 0) return '';
  return n > 99 ? '99+' : String(n);
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

// Label tables: the one table in @guanjia/shared/labels.
export { SUPERVISION_KIND_LABELS, SUPERVISION_STATUS_LABELS, URGENCY_LABELS, VISIT_METHOD_LABELS };
export const REPLY_OUTCOME_LABELS: Record<ReplyOutcome | string, string> = SHARED_REPLY_OUTCOME_LABELS;
export const VERDICT_LABELS: Record<Verdict | string, string> = SHARED_VERDICT_LABELS;
const ROLE_NAMES: Record<string, string> = {
  enterprise: '企业', steward: '管家', department: '承办部门', assisting_department: '协办部门', coordinator: '调度员', leader: '领导', system: '系统',
};

/** Chinese state name (the server's label when it knows a newer state). */
export function stateLabel(state: string, serverLabel?: string): string {
  return (TICKET_STATE_LABELS as Record<string, string>)[state] ?? serverLabel ?? '处理中';
}

/** Colour family of a state tag. */
export function stateTone(state: string): 'primary' | 'warning' | 'success' | 'default' | 'danger' {
  if (state === 'replied' || state === 'awaiting_visit' || state === 'awaiting_info') return 'warning';
  if (state === 'confirmed' || state === 'closed') return 'success';
  if (state === 'withdrawn' || state === 'merged') return 'default';
  return 'primary';
}

export function escalationLabel(level: number): string {
  return (ESCALATION_LEVEL_LABELS as Record<number, string>)[level as EscalationLevel] ?? '';
}

/** One timeline line: who did what, and the details worth reading. */
export type TimelineLine = { title: string; who: string; details: string[]; internal: boolean; highlight?: boolean };

/** A leader's 批示 (issue 13): an internal add_note of kind leader_instruction. */
export function isInstruction(e: Pick<TimelineEntry, 'action' | 'data'>): boolean {
  return e.action === 'add_note' && (e.data as Record<string, unknown>).kind === 'leader_instruction';
}

/** Turns a timeline entry into the lines the detail screen prints (texts the server stored, in Chinese). */
export function describeEvent(e: TimelineEntry): TimelineLine {
  const d = e.data as Record<string, unknown>;
  const details: string[] = [];
  const str = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : undefined);
  let title = e.label;
  switch (e.action) {
    case 'submit':
      if (d.urgency === 'urgent') details.push('紧急诉求');
      break;
    case 'route':
      title = e.to === 'assigned' ? '自动交办' : '转调度员交办';
      break;
    case 'dispatch':
    case 'reassign':
      if (str('leadDepartmentName')) title = `${e.label}至${str('leadDepartmentName')}`;
      if (Array.isArray(d.assistingDepartmentNames) && d.assistingDepartmentNames.length) details.push(`协办：${d.assistingDepartmentNames.join('、')}`);
      break;
    case 'reply':
      if (typeof d.outcome === 'string') title = `答复：${REPLY_OUTCOME_LABELS[d.outcome as ReplyOutcome] ?? ''}`;
      break;
    case 'confirm':
    case 'record_visit': {
      const v = d.verdict as Verdict | undefined;
      if (v) title = `${e.action === 'confirm' ? '企业评价' : '回访结果'}：${VERDICT_LABELS[v]}${v === 'dissatisfied' ? '（重办）' : ''}`;
      if (typeof d.rating === 'number') details.push(`评分：${'★'.repeat(d.rating)}${'☆'.repeat(Math.max(0, 5 - d.rating))}`);
      if (typeof d.method === 'string') details.push(VISIT_METHOD_LABELS[d.method as keyof typeof VISIT_METHOD_LABELS] ?? '');
      if (d.withdrawalVoluntary === true) title = '回访核实：企业自愿撤回';
      if (d.withdrawalVoluntary === false) title = '回访核实：撤回非企业本意，重新交办';
      break;
    }
    case 'request_extension':
      if (typeof d.days === 'number') title = `申请延期 ${d.days} 个工作日`;
      break;
    case 'approve_extension':
      if (typeof d.days === 'number') title = `同意延期 ${d.days} 个工作日`;
      if (str('replyDueAt')) details.push(`新的答复期限：${formatTime(str('replyDueAt')!)}`);
      break;
    case 'escalate':
      if (str('levelLabel')) title = `升级至${str('levelLabel')}`;
      break;
    case 'supervise':
      title = d.kind === 'manual' ? '下发督办单' : '超期督办';
      break;
    case 'add_note':
      if (d.kind === 'leader_instruction') title = '领导批示';
      break;
    default:
      break;
  }
  if (e.note) details.unshift(e.note);
  const auto = d.autoEscalation as { to?: number } | undefined;
  if (auto?.to) details.push(`已自动升级至${escalationLabel(auto.to)}`);
  const who = e.actor ? `${e.actor.name}${ROLE_NAMES[e.role] ? ` · ${ROLE_NAMES[e.role]}` : ''}` : '系统';
  return { title, who, details: details.filter(Boolean), internal: e.visibility === 'internal', ...(isInstruction(e) ? { highlight: true } : {}) };
}

/** Attachments split for display: images (thumbnails, preview) and other files (PDF rows). */
export function splitAttachments(list: readonly Attachment[]): { images: Attachment[]; files: Attachment[] } {
  return { images: list.filter((a) => a.kind === 'image'), files: list.filter((a) => a.kind !== 'image') };
}

/** `1.2 MB` / `356 KB`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// ---------------------------------------------------------------------------------------------------------------
// Filing a ticket

export type TicketForm = {
  parentCategoryId: string;
  categoryId: string;
  title: string;
  description: string;
  urgency: 'normal' | 'urgent';
  attachments: Attachment[];
};

export const EMPTY_TICKET_FORM: TicketForm = { parentCategoryId: '', categoryId: '', title: '', description: '', urgency: 'normal', attachments: [] };

/** Client checks of the filing form, with the same limits as the server's TicketCreate schema. */
export function validateTicketForm(f: TicketForm, categories: readonly CategoryNode[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const parent = categories.find((c) => c.id === f.parentCategoryId);
  if (!f.categoryId) errors.categoryId = parent && parent.children.length ? `请选择「${parent.name}」下的具体类别` : '请选择诉求类别';
  const title = f.title.trim();
  if (title.length < 2) errors.title = '请用一句话概括问题（至少 2 个字）';
  else if (title.length > 64) errors.title = '标题不能超过 64 个字';
  const desc = f.description.trim();
  if (desc.length < 5) errors.description = '请把问题描述清楚（至少 5 个字）';
  else if (desc.length > 2000) errors.description = '描述不能超过 2000 个字';
  if (f.attachments.length > 9) errors.attachmentIds = '最多上传 9 张照片';
  return errors;
}

/** The POST /tickets body of a valid form; a steward filing for an enterprise names it (and the visit, if any). */
export function ticketBody(f: TicketForm, on: { enterpriseId?: string; visitId?: string; projectId?: string; meetingTaskId?: string; policyId?: string } = {}): TicketCreate {
  return {
    ...(on.enterpriseId ? { enterpriseId: on.enterpriseId } : {}),
    ...(on.visitId ? { visitId: on.visitId } : {}),
    ...(on.projectId ? { projectId: on.projectId } : {}),
    ...(on.meetingTaskId ? { meetingTaskId: on.meetingTaskId } : {}),
    ...(on.policyId ? { policyId: on.policyId } : {}),
    categoryId: f.categoryId,
    title: f.title.trim(),
    description: f.description.trim(),
    urgency: f.urgency,
    ...(f.attachments.length ? { attachmentIds: f.attachments.map((a) => a.id) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Home screen badges

/**
 * Badge counts of the enterprise and department work lists, keyed `<role>:<work item key>` as role-home.ts names
 * them: one GET /tickets/counts for both roles (the server counts with the list's access rules), the open 督办单
 * and the unread notifications. A failed part leaves its badges out rather than failing the home screen.
 */
export async function loadTicketWorkCounts(svc: Pick<TicketService, 'counts' | 'supervisions' | 'notifications'>, roles: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const jobs: Promise<void>[] = [];
  const wants = (r: string) => roles.includes(r);
  const put = (k: string, n: number | undefined) => {
    if (n !== undefined) out[k] = n;
  };
  if (wants('enterprise') || wants('department')) {
    jobs.push(svc.counts().then((c) => {
      if (wants('enterprise')) {
        put('enterprise:mine', c.open);
        put('enterprise:confirm', c.awaitingConfirmation);
        put('enterprise:info', c.infoRequested);
      }
      if (wants('department')) {
        put('department:inbox', c.toAccept);
        put('department:handling', c.inProgress);
      }
    }));
  }
  if (wants('department')) {
    jobs.push(svc.supervisions({ status: 'issued', limit: 200 }).then((p) => {
      out['department:supervision'] = p.items.length;
    }));
  }
  if (wants('enterprise') || wants('department')) {
    jobs.push(svc.notifications({ limit: 1 }).then((p) => {
      for (const r of ['enterprise', 'department']) if (wants(r)) out[`${r}:notifications`] = p.unreadCount;
    }));
  }
  await Promise.allSettled(jobs);
  return out;
}

/** `2026-12-03（周四）`: the Beijing day of an instant, as a deadline reads. */
export function dueDay(iso: string): string {
  const d = new Date(new Date(iso).getTime() + OFFSET);
  return formatDate(`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`);
}

/**
 * A pending 延期 as the coordinator decides it (issue 13): the days and reason asked for, the reply deadline now and
 * the one approving would set (the server worked it out on the working-day calendar when the department asked:
 * the request's `proposedReplyDueAt`). Null without a pending request.
 */
export function extensionDecision(t: Pick<TicketDetail, 'pendingExtension' | 'deadlines' | 'timeline'>): {
  days: number; reason: string; currentDue: string | null; newDue: string | null; confirmText: string;
} | null {
  if (!t.pendingExtension) return null;
  const request = [...t.timeline].reverse().find((e) => e.action === 'request_extension');
  const proposed = typeof request?.data?.proposedReplyDueAt === 'string' ? request.data.proposedReplyDueAt : null;
  const currentDue = t.deadlines.replyDueAt ? dueDay(t.deadlines.replyDueAt) : null;
  const newDue = proposed ? dueDay(proposed) : null;
  const { days, reason } = t.pendingExtension;
  const lines = [
    `原答复期限：${currentDue ?? '未定'}`,
    newDue ? `同意后延至：${newDue}` : `同意后答复期限顺延 ${days} 个工作日`,
    `申请延长 ${days} 个工作日：${reason}`,
  ];
  return { days, reason, currentDue, newDue, confirmText: lines.join('\n') };
}
