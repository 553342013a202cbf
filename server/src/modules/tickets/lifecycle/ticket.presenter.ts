import type { Static } from '@sinclair/typebox';
import {
  TICKET_ACTION_LABELS,
  TICKET_EVENT_LABELS,
  type Meeting,
  TICKET_STATE_LABELS,
  type Attachment,
  type TicketAction,
  type TicketDetail,
  type TicketState,
  type TicketSummary,
  type TimelineEntry,
} from '@guanjia/shared';
import type { SummaryRow, TicketRow } from './ticket-row';

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** Row shape of `ticket_attachment` as the queries select it. */
export type AttachmentRow = { id: string; event_id: string | null; kind: 'image' | 'pdf'; mime: string; file_name: string; size_bytes: number; created_at: Date };

/** The only path from an attachment row to JSON; the URL is checked against the ticket's access rules. */
export function presentAttachment(a: AttachmentRow): Attachment {
  return { id: a.id, kind: a.kind, mime: a.mime, fileName: a.file_name, sizeBytes: a.size_bytes, url: `/api/v1/attachments/${a.id}`, createdAt: iso(a.created_at)! };
}

/**
 * The list view of a ticket. `seesInternal` is false for enterprise contacts: how often the ticket was returned,
 * escalated or supervised is the government's internal handling, not theirs to see.
 */
export function presentSummary(r: SummaryRow, seesInternal = true): TicketSummary {
  return {
    id: r.id,
    no: r.no,
    title: r.title,
    state: r.state,
    stateLabel: TICKET_STATE_LABELS[r.state],
    urgency: r.urgency,
    category: { id: r.category_id, name: r.category_name, path: r.category_parent_name ? `${r.category_parent_name}/${r.category_name}` : r.category_name },
    enterprise: { id: r.enterprise_id, name: r.enterprise_name },
    area: { id: r.area_id, name: r.area_name },
    leadDepartment: r.lead_department_id ? { id: r.lead_department_id, name: r.lead_department_name ?? '' } : null,
    escalationLevel: seesInternal ? r.escalation_level : null,
    overdue: !!r.overdue,
    acceptDueAt: r.state === 'assigned' ? iso(r.accept_due_at) : null,
    replyDueAt: ['assigned', 'accepted', 'in_progress', 'awaiting_info'].includes(r.state) ? iso(r.reply_due_at) : null,
    isHandled: r.is_handled,
    isSolved: r.is_solved,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    version: r.version,
    returnCount: seesInternal ? r.return_count : null,
    extensionPending: seesInternal ? r.extension_pending : null,
  };
}

/** Row shape of a timeline event with its actor's name. */
export type EventRow = {
  id: string; seq: number; action: string; actor_id: string | null; actor_name: string | null; actor_role: string;
  from_state: TicketState | null; to_state: TicketState; visibility: 'public' | 'internal'; note: string | null; data: Record<string, unknown>; created_at: Date;
};

/** Labels of timeline entries that are not machine actions. */
const EXTRA_LABELS: Record<string, string> = TICKET_EVENT_LABELS;

/**
 * What the enterprise reads for the automatic routing step: that its request was received and is being routed,
 * never the office's internal routing text (rules, ties, manual dispatch).
 */
export const PUBLIC_ROUTE_NOTE = { pending: '已受理，正在分派', assigned: '已受理，已交承办部门办理' } as const;

/** One timeline line, with the attachments added at that step; `seesInternal` false for enterprise contacts. */
export function presentEvent(e: EventRow, attachments: AttachmentRow[], seesInternal = true): TimelineEntry {
  if (!seesInternal && e.action === 'route') {
    e = { ...e, note: e.to_state === 'pending_dispatch' ? PUBLIC_ROUTE_NOTE.pending : PUBLIC_ROUTE_NOTE.assigned, data: {} };
  }
  return {
    seq: e.seq,
    action: e.action,
    label: (TICKET_ACTION_LABELS as Record<string, string>)[e.action] ?? EXTRA_LABELS[e.action] ?? e.action,
    actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? '' } : null,
    role: e.actor_role,
    from: e.from_state,
    to: e.to_state,
    visibility: e.visibility,
    note: e.note,
    data: e.data ?? {},
    attachments: attachments.map(presentAttachment),
    createdAt: iso(e.created_at)!,
  };
}

/** Everything the detail needs besides the row. */
export type DetailExtras = {
  assisting: { id: string; name: string }[];
  mergedTickets: { id: string; no: string; title: string }[];
  availableActions: TicketAction[];
  timeline: TimelineEntry[];
  seesInternal: boolean;
  provisional: boolean;
};

/** The detail view: summary + texts, deadlines, counters, reply and verdict, the caller's actions and timeline. */
export function presentDetail(r: TicketRow, x: DetailExtras): TicketDetail {
  return {
    ...presentSummary({ ...r, extension_pending: r.pending_extension != null }, x.seesInternal),
    description: r.description,
    submittedBy: { id: r.submitted_by, name: r.submitted_by_name, role: r.submitted_role },
    assistingDepartments: x.assisting,
    routingRuleId: x.seesInternal ? r.routing_rule_id : null,
    deadlines: {
      assignedAt: iso(r.assigned_at),
      acceptDueAt: r.state === 'assigned' ? iso(r.accept_due_at) : null,
      replyDueAt: ['assigned', 'accepted', 'in_progress', 'awaiting_info'].includes(r.state) ? iso(r.reply_due_at) : null,
      confirmationDueAt: r.state === 'replied' ? iso(r.confirmation_due_at) : null,
      paused: r.state === 'awaiting_info',
      provisional: x.provisional,
    },
    counters: x.seesInternal
      ? { reopenCount: r.reopen_count, returnCount: r.return_count, overdueCount: r.overdue_count, superviseCount: r.supervise_count }
      : { reopenCount: r.reopen_count, returnCount: null, overdueCount: null, superviseCount: null },
    pendingExtension: x.seesInternal ? r.pending_extension : null,
    extensionDaysGranted: r.extension_days_granted,
    reply: r.reply_outcome && r.replied_at ? { outcome: r.reply_outcome, text: r.reply_text ?? '', repliedAt: iso(r.replied_at)! } : null,
    verdict: r.verdict && r.verdict_source ? { value: r.verdict, source: r.verdict_source, rating: r.rating, comment: r.confirm_comment } : null,
    solvedAt: iso(r.solved_at),
    closedAt: iso(r.closed_at),
    withdrawReason: r.withdraw_reason,
    mergedInto: r.merged_into_id ? { id: r.merged_into_id, no: r.merged_into_no ?? '' } : null,
    mergedTickets: x.mergedTickets,
    availableActions: x.availableActions,
    timeline: x.timeline,
  };
}

/** A coordination meeting (coordination_meeting joined with the recorder's name; held_on as YYYY-MM-DD text). */
export type MeetingRow = {
  id: string; ticket_id: string; held_on: string; location: string | null; attendees: Static<typeof Meeting>['attendees'];
  decisions: string; actions: Static<typeof Meeting>['actions']; recorded_by: string; recorded_by_name: string; created_at: Date;
};

/** A coordination meeting as the API shows it. */
export function presentMeeting(m: MeetingRow): Static<typeof Meeting> {
  return {
    id: m.id, ticketId: m.ticket_id, heldOn: m.held_on, location: m.location ?? null,
    attendees: m.attendees, decisions: m.decisions, actions: m.actions,
    recordedBy: { id: m.recorded_by, name: m.recorded_by_name }, createdAt: new Date(m.created_at).toISOString(),
  };
}
