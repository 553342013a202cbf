/**
 * THE state machine of a 诉求 (ticket): which action each role may take in each state, what the action does to
 * the ticket, and the one timeline event it writes. Pure: the server applies the result inside one transaction
 * (guarded by state and version), the mini-app calls `availableActions` to decide which buttons to show.
 *
 * Lifecycle (ADR 0005):
 *   submit → submitted —route(system)→ assigned | pending_dispatch (no rule matched)
 *   pending_dispatch —dispatch(coordinator)→ assigned —accept(department, 签收)→ accepted
 *   assigned/accepted —return(department, 退回, ≤ 2 per ticket)→ pending_dispatch —dispatch→ …
 *   assigned…awaiting_info —reassign(coordinator, 改派)→ assigned
 *   accepted —(any lead-department activity: note, extension request)→ in_progress
 *   accepted/in_progress —request_info→ awaiting_info (clock paused) —provide_info(enterprise/steward)→ in_progress
 *   accepted/in_progress/awaiting_info —reply(答复: solved | explained | partly_solved)→ replied   ← "handled" (办结)
 *   replied —confirm(enterprise)→ confirmed (满意/基本满意) | in_progress (不满意: 重办, reopenCount+1)
 *   replied —open_visit(system, 5 working days without confirmation)→ awaiting_visit
 *   awaiting_visit —record_visit(coordinator 回访)→ closed (满意/基本满意) | in_progress (不满意, reopen)
 *   awaiting_visit —confirm(enterprise, late)→ same as from replied
 *   confirmed —close(coordinator, 销号)→ closed                                    ← "solved" (解决) = isSolved
 *   before reply —withdraw(enterprise, reason)→ withdrawn —record_visit(voluntary?)→ withdrawn | pending_dispatch
 *   before reply —merge(coordinator, 并单)→ merged
 *   escalate (levels 1–4) and supervise (督办) do not change the state.
 *
 * Roles are per ticket: `department` is staff of this ticket's lead department (主办), `assisting_department`
 * staff of one of its 协办 departments, `system` the server's own jobs. Mapping a person to a ticket role
 * (their department is the lead one, the enterprise is theirs…) is the server's job; the machine trusts it.
 * Stewards may submit on behalf of their enterprise and provide requested information; they may not withdraw
 * or confirm: the verdict on a fix must come from the enterprise itself (or the coordinator's 回访).
 */
import type { ErrorCode } from '../errors';

/** Every state a ticket can be in. */
export const TICKET_STATES = [
  'submitted',
  'pending_dispatch',
  'assigned',
  'accepted',
  'in_progress',
  'awaiting_info',
  'replied',
  'awaiting_visit',
  'confirmed',
  'closed',
  'withdrawn',
  'merged',
] as const;
/** A ticket state. */
export type TicketState = (typeof TICKET_STATES)[number];

/** Every action on an existing ticket (creation is `submitTicket`). */
export const TICKET_ACTIONS = [
  'route',
  'dispatch',
  'accept',
  'return',
  'reassign',
  'add_note',
  'request_info',
  'provide_info',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'reply',
  'confirm',
  'open_visit',
  'record_visit',
  'close',
  'withdraw',
  'merge',
  'escalate',
  'supervise',
] as const;
/** An action on a ticket. */
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** Roles a caller can have with respect to one ticket. */
export const TICKET_ROLES = [
  'enterprise',
  'steward',
  'department',
  'assisting_department',
  'coordinator',
  'leader',
  'system',
] as const;
/** A caller's role with respect to one ticket. */
export type TicketRole = (typeof TICKET_ROLES)[number];

// Chinese names live in the one label table (labels.ts); re-exported for older imports.
export { ESCALATION_LEVEL_LABELS, TICKET_ACTION_LABELS, TICKET_STATE_LABELS } from '../labels';


/** How the department says it handled the request (答复). */
export type ReplyOutcome = 'solved' | 'explained' | 'partly_solved';
/** Reply outcomes, for schemas. */
export const REPLY_OUTCOMES: readonly ReplyOutcome[] = ['solved', 'explained', 'partly_solved'];

/** The enterprise's (or 回访's) verdict on a reply: 满意 / 基本满意 / 不满意. */
export type Verdict = 'satisfied' | 'basically_satisfied' | 'dissatisfied';
/** Verdicts, for schemas. */
export const VERDICTS: readonly Verdict[] = ['satisfied', 'basically_satisfied', 'dissatisfied'];

/** Escalation levels 1–4: 属地 → 部门 → 县级帮扶责任人 → 协调会. New tickets start at 1. */
export type EscalationLevel = 1 | 2 | 3 | 4;

/** Conditions that raise a ticket's level automatically, each once per ticket. */
export type EscalationTrigger = 'overdue_twice' | 'returned_twice' | 'reopened_thrice';

/** A department may return (退回) a ticket at most this many times; then only the coordinator decides. */
export const MAX_RETURNS = 2;
/** Total extension (延期) a lead department may be granted on one assignment, in working days. */
export const MAX_EXTENSION_WORKING_DAYS = 10;
/** Working days the enterprise has to confirm a reply before a 回访 task opens (`open_visit`). */
export const CONFIRMATION_WINDOW_WORKING_DAYS = 5;

/** An extension request waiting for the coordinator. */
export type PendingExtension = { days: number; reason: string };

/** The counters and flags guards look at: enough for `can`, and a subset of the snapshot. */
export type TicketContext = {
  returnCount: number;
  reopenCount: number;
  overdueCount: number;
  escalationLevel: EscalationLevel;
  /** Triggers that already raised the level (each fires once). */
  escalationTriggers: readonly EscalationTrigger[];
  pendingExtension: PendingExtension | null;
  /** Working days of extension granted to the current lead department. */
  extensionDaysGranted: number;
  /** After a withdrawal: null until the coordinator's 回访 verified it, then true (voluntary) or false. */
  withdrawalVerified: boolean | null;
};

/** What the machine knows of a ticket; the server persists these fields (plus its own: ids, dates, texts). */
export type TicketSnapshot = TicketContext & {
  id: string;
  state: TicketState;
  leadDepartmentId: string | null;
  assistingDepartmentIds: readonly string[];
  superviseCount: number;
  /** The standing reply's outcome; null before a reply and after a reopen. */
  replyOutcome: ReplyOutcome | null;
  /** The verdict that confirmed the standing reply, and who gave it. */
  verdict: { value: Verdict; source: 'enterprise' | 'visit' } | null;
  /** 办结: the department replied and the reply stands (not reopened). */
  isHandled: boolean;
  /** 解决: the enterprise or the 回访 confirmed the reply (满意/基本满意). Never set by the department. */
  isSolved: boolean;
  withdrawReason: string | null;
  mergedIntoId: string | null;
};

/** Payload of each action (the server validates shapes with TypeBox; the machine re-checks what rules need). */
export type TicketPayloads = {
  /** `leadDepartmentId: null` means no routing rule matched: the ticket waits in the dispatch queue. */
  route: { leadDepartmentId: string | null; assistingDepartmentIds?: string[]; ruleId?: string | null };
  dispatch: { leadDepartmentId: string; assistingDepartmentIds?: string[]; note?: string };
  accept: { note?: string };
  return: { reason: string };
  reassign: { leadDepartmentId: string; assistingDepartmentIds?: string[]; reason: string };
  /** `kind: 'leader_instruction'` is a 批示: a leader's written instruction, internal, shown to the departments. */
  add_note: { text: string; visibility?: 'public' | 'internal'; kind?: 'leader_instruction' };
  request_info: { text: string };
  provide_info: { text: string };
  /** `days`: working days added to the reply deadline. */
  request_extension: { days: number; reason: string };
  approve_extension: { note?: string };
  reject_extension: { reason: string };
  reply: { outcome: ReplyOutcome; text: string };
  confirm: { verdict: Verdict; rating?: number; comment?: string };
  open_visit: { note?: string };
  /** On `awaiting_visit`: `verdict` required. On `withdrawn`: `withdrawalVoluntary` required. */
  record_visit: { verdict?: Verdict; withdrawalVoluntary?: boolean; note?: string };
  close: { note?: string };
  withdraw: { reason: string };
  merge: { intoTicketId: string };
  /** Coordinators and leaders may raise to any higher level; the lead department only one level up. */
  escalate: { level: EscalationLevel; reason: string };
  /** `overdue`: the automatic 督办 after a missed deadline (counts toward escalation); `manual`: by hand. */
  supervise: { reason: 'overdue' | 'manual'; note?: string };
};

/** Payload of any action (for callers that pick the action at run time). */
export type AnyTicketPayload = TicketPayloads[TicketAction];

/** Raised level and the triggers that caused it, recorded on the event of the transition that crossed them. */
export type AutoEscalation = { from: EscalationLevel; to: EscalationLevel; triggers: EscalationTrigger[] };

/** The one timeline event a successful transition writes. The server adds who, when and the ticket id. */
export type TicketEvent = {
  action: TicketAction | 'submit';
  role: TicketRole;
  from: TicketState | null;
  to: TicketState;
  /** Enterprise contacts see only public events. */
  visibility: 'public' | 'internal';
  /** The payload as accepted (texts trimmed). */
  data: Record<string, unknown>;
  autoEscalation?: AutoEscalation;
};

/** Result of `transition`/`submitTicket`: the next snapshot and its event, or a stable error code. */
export type TransitionResult = { ok: true; next: TicketSnapshot; event: TicketEvent } | { ok: false; code: ErrorCode };

// ---------------------------------------------------------------------------------------------------------------
// Who may do what where.

const PRE_REPLY: readonly TicketState[] = ['submitted', 'pending_dispatch', 'assigned', 'accepted', 'in_progress', 'awaiting_info'];
const WITH_DEPARTMENT: readonly TicketState[] = ['assigned', 'accepted', 'in_progress', 'awaiting_info'];
const WORKING: readonly TicketState[] = ['accepted', 'in_progress', 'awaiting_info'];

type Grant = { roles: readonly TicketRole[]; states: readonly TicketState[] };

/** The permission table: an action is allowed when some grant lists both the role and the state. */
const GRANTS: Record<TicketAction, readonly Grant[]> = {
  route: [{ roles: ['system'], states: ['submitted'] }],
  dispatch: [{ roles: ['coordinator'], states: ['submitted', 'pending_dispatch'] }],
  accept: [{ roles: ['department'], states: ['assigned'] }],
  return: [{ roles: ['department'], states: ['assigned', 'accepted'] }],
  reassign: [{ roles: ['coordinator'], states: WITH_DEPARTMENT }],
  add_note: [
    { roles: ['department'], states: WORKING },
    { roles: ['assisting_department'], states: WITH_DEPARTMENT },
    { roles: ['coordinator', 'leader'], states: ['pending_dispatch', ...WITH_DEPARTMENT, 'replied', 'awaiting_visit'] },
  ],
  request_info: [{ roles: ['department'], states: ['accepted', 'in_progress'] }],
  provide_info: [{ roles: ['enterprise', 'steward'], states: ['awaiting_info'] }],
  request_extension: [{ roles: ['department'], states: ['accepted', 'in_progress'] }],
  approve_extension: [{ roles: ['coordinator'], states: WORKING }],
  reject_extension: [{ roles: ['coordinator'], states: WORKING }],
  reply: [{ roles: ['department'], states: WORKING }],
  confirm: [{ roles: ['enterprise'], states: ['replied', 'awaiting_visit'] }],
  open_visit: [{ roles: ['system', 'coordinator'], states: ['replied'] }],
  record_visit: [{ roles: ['coordinator'], states: ['awaiting_visit', 'withdrawn'] }],
  close: [{ roles: ['coordinator'], states: ['confirmed'] }],
  withdraw: [{ roles: ['enterprise'], states: PRE_REPLY }],
  merge: [{ roles: ['coordinator'], states: PRE_REPLY }],
  escalate: [
    { roles: ['coordinator', 'leader'], states: ['pending_dispatch', ...WITH_DEPARTMENT] },
    { roles: ['department'], states: WORKING },
  ],
  supervise: [
    { roles: ['coordinator'], states: WITH_DEPARTMENT },
    { roles: ['system'], states: ['assigned', 'accepted', 'in_progress'] },
  ],
};

/** Roles that may submit a ticket: the enterprise, or its steward on its behalf. */
export const SUBMIT_ROLES: readonly TicketRole[] = ['enterprise', 'steward'];

/** True when `role` may file a new ticket. */
export function canSubmit(role: TicketRole): boolean {
  return SUBMIT_ROLES.includes(role);
}

function stateAllows(state: TicketState, action: TicketAction): boolean {
  return GRANTS[action].some((g) => g.states.includes(state));
}

function grantAllows(state: TicketState, action: TicketAction, role: TicketRole): boolean {
  return GRANTS[action].some((g) => g.states.includes(state) && g.roles.includes(role));
}

/** Guards that depend on the counters, not on the payload: the reason `can` says no after the table said yes. */
function guard(state: TicketState, action: TicketAction, ctx: TicketContext): ErrorCode | null {
  switch (action) {
    case 'return':
      return ctx.returnCount >= MAX_RETURNS ? 'RETURN_LIMIT_REACHED' : null;
    case 'request_extension':
      if (ctx.pendingExtension) return 'EXTENSION_PENDING';
      return ctx.extensionDaysGranted >= MAX_EXTENSION_WORKING_DAYS ? 'EXTENSION_TOO_LONG' : null;
    case 'approve_extension':
    case 'reject_extension':
      return ctx.pendingExtension ? null : 'EXTENSION_NOT_PENDING';
    case 'escalate':
      return ctx.escalationLevel >= 4 ? 'ESCALATION_LEVEL_INVALID' : null;
    case 'record_visit':
      return state === 'withdrawn' && ctx.withdrawalVerified !== null ? 'TICKET_ACTION_NOT_ALLOWED' : null;
    default:
      return null;
  }
}

/**
 * Whether `role` may take `action` on a ticket in `state` with these counters — payload aside. The one rule
 * both sides use: the server refuses what this refuses, the mini-app hides the button.
 */
export function can(state: TicketState, action: TicketAction, role: TicketRole, ctx: TicketContext): boolean {
  return grantAllows(state, action, role) && guard(state, action, ctx) === null;
}

/** The actions `role` may take now, in `TICKET_ACTIONS` order: the buttons the mini-app shows. */
export function availableActions(snapshot: TicketSnapshot, role: TicketRole): TicketAction[] {
  return TICKET_ACTIONS.filter((a) => can(snapshot.state, a, role, snapshot));
}

// ---------------------------------------------------------------------------------------------------------------
// Escalation.

/** Which automatic triggers the counters meet: overdue a second time, returned twice, reopened 3 times. */
export function escalationTriggersMet(ctx: Pick<TicketContext, 'overdueCount' | 'returnCount' | 'reopenCount'>): EscalationTrigger[] {
  const met: EscalationTrigger[] = [];
  if (ctx.overdueCount >= 2) met.push('overdue_twice');
  if (ctx.returnCount >= 2) met.push('returned_twice');
  if (ctx.reopenCount >= 3) met.push('reopened_thrice');
  return met;
}

/**
 * The level the ticket should be at: one level up for each trigger met that has not raised it yet, capped at
 * 4. Each trigger fires once per ticket (`escalationTriggers` remembers), so a ticket escalated by hand to 3
 * and then returned twice goes to 4, and meeting the same trigger again later does nothing.
 */
export function autoEscalationLevel(ctx: TicketContext): EscalationLevel {
  const fresh = escalationTriggersMet(ctx).filter((t) => !ctx.escalationTriggers.includes(t));
  return Math.min(4, ctx.escalationLevel + fresh.length) as EscalationLevel;
}

// ---------------------------------------------------------------------------------------------------------------
// Transitions.

/** A brand-new ticket's snapshot (state `submitted`, level 1, counters zero). */
export function newTicketSnapshot(id: string): TicketSnapshot {
  return {
    id,
    state: 'submitted',
    leadDepartmentId: null,
    assistingDepartmentIds: [],
    returnCount: 0,
    reopenCount: 0,
    overdueCount: 0,
    superviseCount: 0,
    escalationLevel: 1,
    escalationTriggers: [],
    pendingExtension: null,
    extensionDaysGranted: 0,
    replyOutcome: null,
    verdict: null,
    isHandled: false,
    isSolved: false,
    withdrawReason: null,
    withdrawalVerified: null,
    mergedIntoId: null,
  };
}

/** Files a ticket: the initial snapshot and its `submit` event, or an error when the role may not submit. */
export function submitTicket(id: string, role: TicketRole): TransitionResult {
  if (!canSubmit(role)) return { ok: false, code: 'TICKET_ROLE_NOT_ALLOWED' };
  if (!nonEmpty(id)) return { ok: false, code: 'TICKET_PAYLOAD_INVALID' };
  return {
    ok: true,
    next: newTicketSnapshot(id),
    event: { action: 'submit', role, from: null, to: 'submitted', visibility: 'public', data: {} },
  };
}

const INTERNAL_ACTIONS: ReadonlySet<TicketAction> = new Set<TicketAction>([
  'return',
  'reassign',
  'request_extension',
  'reject_extension',
  'open_visit',
  'escalate',
  'supervise',
]);

function nonEmpty(s: unknown): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

function departmentIds(ids: unknown): string[] | null {
  if (ids === undefined) return [];
  if (!Array.isArray(ids) || !ids.every(nonEmpty)) return null;
  return [...new Set(ids.map((s) => s.trim()))];
}

function isVerdict(v: unknown): v is Verdict {
  return (VERDICTS as readonly unknown[]).includes(v);
}

type Step = { ok: true; patch: Partial<TicketSnapshot>; to: TicketState; data: Record<string, unknown> } | { ok: false; code: ErrorCode };

const fail = (code: ErrorCode): Step => ({ ok: false, code });

/** Reopen after 不满意 (from the enterprise or the 回访): back to the same department, in progress. */
function reopen(s: TicketSnapshot, data: Record<string, unknown>): Step {
  return {
    ok: true,
    to: 'in_progress',
    patch: { reopenCount: s.reopenCount + 1, isHandled: false, isSolved: false, replyOutcome: null, verdict: null },
    data,
  };
}

/** The effect of each action, after the permission table and guards passed; validates what the rule needs. */
function apply(s: TicketSnapshot, action: TicketAction, role: TicketRole, p: Record<string, unknown>): Step {
  const workState = (): TicketState => (s.state === 'accepted' ? 'in_progress' : s.state);
  switch (action) {
    case 'route': {
      const assisting = departmentIds(p.assistingDepartmentIds);
      if (assisting === null) return fail('TICKET_PAYLOAD_INVALID');
      const ruleId = nonEmpty(p.ruleId) ? p.ruleId : null;
      if (p.leadDepartmentId === null || p.leadDepartmentId === undefined) {
        return { ok: true, to: 'pending_dispatch', patch: {}, data: { leadDepartmentId: null, ruleId: null } };
      }
      if (!nonEmpty(p.leadDepartmentId)) return fail('TICKET_DEPARTMENT_REQUIRED');
      const lead = p.leadDepartmentId.trim();
      const data = { leadDepartmentId: lead, assistingDepartmentIds: assisting.filter((d) => d !== lead), ruleId };
      return { ok: true, to: 'assigned', patch: { leadDepartmentId: lead, assistingDepartmentIds: data.assistingDepartmentIds }, data };
    }
    case 'dispatch':
    case 'reassign': {
      if (!nonEmpty(p.leadDepartmentId)) return fail('TICKET_DEPARTMENT_REQUIRED');
      const lead = p.leadDepartmentId.trim();
      const assisting = departmentIds(p.assistingDepartmentIds);
      if (assisting === null) return fail('TICKET_PAYLOAD_INVALID');
      if (action === 'reassign') {
        if (!nonEmpty(p.reason)) return fail('TICKET_REASON_REQUIRED');
        if (lead === s.leadDepartmentId) return fail('TICKET_SAME_DEPARTMENT');
      }
      const assistingIds = assisting.filter((d) => d !== lead);
      return {
        ok: true,
        to: 'assigned',
        // A new lead department starts a new assignment: its own extension budget, no pending request.
        patch: { leadDepartmentId: lead, assistingDepartmentIds: assistingIds, pendingExtension: null, extensionDaysGranted: 0 },
        data: { leadDepartmentId: lead, assistingDepartmentIds: assistingIds, ...(action === 'reassign' ? { reason: p.reason } : {}) },
      };
    }
    case 'accept':
      return { ok: true, to: 'accepted', patch: {}, data: {} };
    case 'return':
      if (!nonEmpty(p.reason)) return fail('TICKET_REASON_REQUIRED');
      return {
        ok: true,
        to: 'pending_dispatch',
        patch: { returnCount: s.returnCount + 1, leadDepartmentId: null, assistingDepartmentIds: [], pendingExtension: null, extensionDaysGranted: 0 },
        data: { reason: p.reason, departmentId: s.leadDepartmentId },
      };
    case 'add_note': {
      if (!nonEmpty(p.text)) return fail('TICKET_PAYLOAD_INVALID');
      if (p.kind !== undefined) {
        // 批示 (issue 13): only a leader writes one; it is an instruction to the departments, never public.
        if (p.kind !== 'leader_instruction' || p.visibility === 'public') return fail('TICKET_PAYLOAD_INVALID');
        if (role !== 'leader') return fail('TICKET_ROLE_NOT_ALLOWED');
        return { ok: true, to: s.state, patch: {}, data: { text: p.text, visibility: 'internal', kind: 'leader_instruction' } };
      }
      const visibility = p.visibility ?? 'internal';
      if (visibility !== 'public' && visibility !== 'internal') return fail('TICKET_PAYLOAD_INVALID');
      return { ok: true, to: role === 'department' ? workState() : s.state, patch: {}, data: { text: p.text, visibility } };
    }
    case 'request_info':
    case 'provide_info':
      if (!nonEmpty(p.text)) return fail('TICKET_PAYLOAD_INVALID');
      return { ok: true, to: action === 'request_info' ? 'awaiting_info' : 'in_progress', patch: {}, data: { text: p.text } };
    case 'request_extension': {
      const days = p.days;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) return fail('TICKET_PAYLOAD_INVALID');
      if (s.extensionDaysGranted + days > MAX_EXTENSION_WORKING_DAYS) return fail('EXTENSION_TOO_LONG');
      if (!nonEmpty(p.reason)) return fail('TICKET_REASON_REQUIRED');
      return { ok: true, to: workState(), patch: { pendingExtension: { days, reason: p.reason } }, data: { days, reason: p.reason } };
    }
    case 'approve_extension': {
      const days = s.pendingExtension!.days;
      return {
        ok: true,
        to: s.state,
        patch: { pendingExtension: null, extensionDaysGranted: s.extensionDaysGranted + days },
        data: { days, ...(nonEmpty(p.note) ? { note: p.note } : {}) },
      };
    }
    case 'reject_extension':
      if (!nonEmpty(p.reason)) return fail('TICKET_REASON_REQUIRED');
      return { ok: true, to: s.state, patch: { pendingExtension: null }, data: { days: s.pendingExtension!.days, reason: p.reason } };
    case 'reply': {
      if (!(REPLY_OUTCOMES as readonly unknown[]).includes(p.outcome)) return fail('TICKET_PAYLOAD_INVALID');
      if (!nonEmpty(p.text)) return fail('TICKET_PAYLOAD_INVALID');
      const outcome = p.outcome as ReplyOutcome;
      return { ok: true, to: 'replied', patch: { replyOutcome: outcome, isHandled: true, pendingExtension: null }, data: { outcome, text: p.text } };
    }
    case 'confirm': {
      if (!isVerdict(p.verdict)) return fail('TICKET_PAYLOAD_INVALID');
      const rating = p.rating;
      if (rating !== undefined && (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5)) {
        return fail('TICKET_PAYLOAD_INVALID');
      }
      const data = { verdict: p.verdict, ...(rating !== undefined ? { rating } : {}), ...(nonEmpty(p.comment) ? { comment: p.comment } : {}) };
      if (p.verdict === 'dissatisfied') return reopen(s, data);
      return { ok: true, to: 'confirmed', patch: { isSolved: true, verdict: { value: p.verdict, source: 'enterprise' } }, data };
    }
    case 'open_visit':
      return { ok: true, to: 'awaiting_visit', patch: {}, data: {} };
    case 'record_visit': {
      const note = nonEmpty(p.note) ? { note: p.note } : {};
      if (s.state === 'withdrawn') {
        if (typeof p.withdrawalVoluntary !== 'boolean') return fail('TICKET_PAYLOAD_INVALID');
        if (p.withdrawalVoluntary) return { ok: true, to: 'withdrawn', patch: { withdrawalVerified: true }, data: { withdrawalVoluntary: true, ...note } };
        // Not voluntary: the withdrawal is void and the coordinator dispatches the ticket again.
        return {
          ok: true,
          to: 'pending_dispatch',
          patch: { withdrawalVerified: false, leadDepartmentId: null, assistingDepartmentIds: [], extensionDaysGranted: 0 },
          data: { withdrawalVoluntary: false, ...note },
        };
      }
      if (!isVerdict(p.verdict)) return fail('TICKET_PAYLOAD_INVALID');
      if (p.verdict === 'dissatisfied') return reopen(s, { verdict: p.verdict, ...note });
      return { ok: true, to: 'closed', patch: { isSolved: true, verdict: { value: p.verdict, source: 'visit' } }, data: { verdict: p.verdict, ...note } };
    }
    case 'close':
      return { ok: true, to: 'closed', patch: {}, data: nonEmpty(p.note) ? { note: p.note } : {} };
    case 'withdraw':
      if (!nonEmpty(p.reason)) return fail('TICKET_REASON_REQUIRED');
      return { ok: true, to: 'withdrawn', patch: { withdrawReason: p.reason, withdrawalVerified: null, pendingExtension: null }, data: { reason: p.reason } };
    case 'merge':
      if (!nonEmpty(p.intoTicketId) || p.intoTicketId.trim() === s.id) return fail('TICKET_MERGE_INVALID');
      return { ok: true, to: 'merged', patch: { mergedIntoId: p.intoTicketId.trim(), pendingExtension: null }, data: { intoTicketId: p.intoTicketId.trim() } };
    case 'escalate': {
      const level = p.level;
      if (level !== 2 && level !== 3 && level !== 4) return fail('ESCALATION_LEVEL_INVALID');
      if (level <= s.escalationLevel) return fail('ESCALATION_LEVEL_INVALID');
      if (role === 'department' && level !== s.escalationLevel + 1) return fail('ESCALATION_LEVEL_INVALID');
      if (!nonEmpty(p.reason)) return fail('TICKET_REASON_REQUIRED');
      return { ok: true, to: s.state, patch: { escalationLevel: level }, data: { from: s.escalationLevel, level, reason: p.reason } };
    }
    case 'supervise': {
      if (p.reason !== 'overdue' && p.reason !== 'manual') return fail('TICKET_PAYLOAD_INVALID');
      if (role === 'system' && p.reason !== 'overdue') return fail('TICKET_PAYLOAD_INVALID');
      const overdue = p.reason === 'overdue';
      return {
        ok: true,
        to: s.state,
        patch: { superviseCount: s.superviseCount + 1, overdueCount: s.overdueCount + (overdue ? 1 : 0) },
        data: { reason: p.reason, ...(nonEmpty(p.note) ? { note: p.note } : {}) },
      };
    }
  }
}

function trimStrings(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'string' ? v.trim() : v;
  return out;
}

/**
 * Applies `action` by `role` to a ticket: the next snapshot and exactly one event, or the error code that
 * explains the refusal (checked in this order: TICKET_ACTION_NOT_ALLOWED when no role may do it in this state,
 * TICKET_ROLE_NOT_ALLOWED when others could, then the guard's code, then the payload's). Pure: the input
 * snapshot is never modified. Automatic escalation is folded into the same event (`autoEscalation`).
 */
export function transition<A extends TicketAction>(
  snapshot: TicketSnapshot,
  action: A,
  role: TicketRole,
  payload: TicketPayloads[A],
): TransitionResult {
  if (!stateAllows(snapshot.state, action)) return { ok: false, code: 'TICKET_ACTION_NOT_ALLOWED' };
  if (!grantAllows(snapshot.state, action, role)) return { ok: false, code: 'TICKET_ROLE_NOT_ALLOWED' };
  const blocked = guard(snapshot.state, action, snapshot);
  if (blocked) return { ok: false, code: blocked };
  if (payload === null || typeof payload !== 'object') return { ok: false, code: 'TICKET_PAYLOAD_INVALID' };
  const step = apply(snapshot, action, role, trimStrings(payload as Record<string, unknown>));
  if (!step.ok) return step;

  let next: TicketSnapshot = { ...snapshot, ...step.patch, state: step.to };
  const event: TicketEvent = {
    action,
    role,
    from: snapshot.state,
    to: step.to,
    visibility: action === 'add_note' ? (step.data.visibility as 'public' | 'internal') : INTERNAL_ACTIONS.has(action) ? 'internal' : 'public',
    data: step.data,
  };
  const met = escalationTriggersMet(next);
  const fresh = met.filter((t) => !next.escalationTriggers.includes(t));
  if (fresh.length > 0) {
    const to = autoEscalationLevel(next);
    event.autoEscalation = { from: next.escalationLevel, to, triggers: fresh };
    next = { ...next, escalationLevel: to, escalationTriggers: [...next.escalationTriggers, ...fresh] };
  }
  return { ok: true, next, event };
}
