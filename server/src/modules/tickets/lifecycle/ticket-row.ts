import type { EscalationLevel, EscalationTrigger, PendingExtension, ReplyOutcome, TicketSnapshot, TicketState, Verdict } from '@guanjia/shared';
import { overdueSql } from '../../indicators/indicator-sql';

/** A ticket row as `TICKET_SELECT` returns it (snake_case columns plus joined names and the overdue flag). */
export type TicketRow = {
  id: string;
  district_id: string;
  no: string;
  enterprise_id: string;
  enterprise_name: string;
  area_id: string;
  area_name: string;
  category_id: string;
  category_name: string;
  category_parent_id: string | null;
  category_parent_name: string | null;
  title: string;
  description: string;
  urgency: 'normal' | 'urgent';
  submitted_by: string;
  submitted_by_name: string;
  submitted_role: 'enterprise' | 'steward';
  state: TicketState;
  version: number;
  lead_department_id: string | null;
  lead_department_name: string | null;
  assisting_department_ids: string[];
  routing_rule_id: string | null;
  return_count: number;
  reopen_count: number;
  overdue_count: number;
  supervise_count: number;
  escalation_level: number;
  escalation_triggers: string[];
  pending_extension: PendingExtension | null;
  extension_days_granted: number;
  reply_outcome: ReplyOutcome | null;
  reply_text: string | null;
  verdict: Verdict | null;
  verdict_source: 'enterprise' | 'visit' | null;
  rating: number | null;
  confirm_comment: string | null;
  is_handled: boolean;
  is_solved: boolean;
  withdraw_reason: string | null;
  withdrawal_verified: boolean | null;
  merged_into_id: string | null;
  merged_into_no: string | null;
  accept_days: number | null;
  reply_days: number | null;
  assigned_at: Date | null;
  accept_due_at: Date | null;
  reply_due_at: Date | null;
  reply_clock_at: Date | null;
  reply_extra_days: number;
  paused_at: Date | null;
  pauses: { pausedAt: string; resumedAt: string; days: number }[];
  accepted_at: Date | null;
  replied_at: Date | null;
  confirmation_due_at: Date | null;
  solved_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  overdue: boolean;
};

/** States in which a ticket is on a department's clock (and can become overdue). */
export const CLOCK_STATES: readonly TicketState[] = ['assigned', 'accepted', 'in_progress'];

/**
 * Columns every ticket query selects. `$now` must be replaced by the parameter holding the current instant
 * (the overdue flag depends on it); `ticketSelect` does that.
 */
const SELECT = `t.*, e.name AS enterprise_name, a.name AS area_name, c.name AS category_name, c.parent_id AS category_parent_id,
  pc.name AS category_parent_name, ld.name AS lead_department_name, sp.name AS submitted_by_name, m.no AS merged_into_no,
  ${overdueSql('$now')} AS overdue`;

/** FROM clause matching `summarySelect`. */
export const SUMMARY_FROM = `ticket t
  JOIN enterprise e ON e.id = t.enterprise_id
  JOIN area a ON a.id = t.area_id
  JOIN ticket_category c ON c.id = t.category_id
  LEFT JOIN ticket_category pc ON pc.id = c.parent_id
  LEFT JOIN department ld ON ld.id = t.lead_department_id`;

/** FROM clause matching `ticketSelect`: the summary's tables, the submitter and the ticket it was merged into. */
export const TICKET_FROM = `${SUMMARY_FROM}
  JOIN person sp ON sp.id = t.submitted_by
  LEFT JOIN ticket m ON m.id = t.merged_into_id`;

/** The SELECT list with the current instant bound to parameter `$n`. */
export function ticketSelect(nowParam: string): string {
  return SELECT.replace(/\$now/g, `${nowParam}::timestamptz`);
}

/** The columns of a ticket the list shows (`presentSummary`). */
export type SummaryRow = Pick<TicketRow,
  'id' | 'no' | 'title' | 'state' | 'urgency' | 'category_id' | 'category_name' | 'category_parent_name' | 'enterprise_id' | 'enterprise_name'
  | 'area_id' | 'area_name' | 'lead_department_id' | 'lead_department_name' | 'escalation_level' | 'overdue' | 'accept_due_at' | 'reply_due_at'
  | 'is_handled' | 'is_solved' | 'created_at' | 'updated_at' | 'version' | 'return_count'> & { extension_pending: boolean };

/**
 * The list's SELECT and FROM: the columns of `SummaryRow` only (not the description, the pauses or the other
 * deadlines a detail reads: pg parses every column of every row into JavaScript), without the detail's joins of
 * the submitter and the merged ticket. `$now` bound like `ticketSelect`.
 */
export function summarySelect(nowParam: string): string {
  return `t.id, t.no, t.title, t.state, t.urgency, t.category_id, c.name AS category_name, pc.name AS category_parent_name,
  t.enterprise_id, e.name AS enterprise_name, t.area_id, a.name AS area_name, t.lead_department_id, ld.name AS lead_department_name,
  t.escalation_level, ${overdueSql(`${nowParam}::timestamptz`)} AS overdue, t.accept_due_at, t.reply_due_at, t.is_handled, t.is_solved,
  t.created_at, t.updated_at, t.version, t.return_count, t.pending_extension IS NOT NULL AS extension_pending`;
}


/** The machine's view of a stored ticket. */
export function toSnapshot(r: TicketRow): TicketSnapshot {
  return {
    id: r.id,
    state: r.state,
    leadDepartmentId: r.lead_department_id,
    assistingDepartmentIds: r.assisting_department_ids,
    returnCount: r.return_count,
    reopenCount: r.reopen_count,
    overdueCount: r.overdue_count,
    superviseCount: r.supervise_count,
    escalationLevel: r.escalation_level as EscalationLevel,
    escalationTriggers: r.escalation_triggers as EscalationTrigger[],
    pendingExtension: r.pending_extension,
    extensionDaysGranted: r.extension_days_granted,
    replyOutcome: r.reply_outcome,
    verdict: r.verdict && r.verdict_source ? { value: r.verdict, source: r.verdict_source } : null,
    isHandled: r.is_handled,
    isSolved: r.is_solved,
    withdrawReason: r.withdraw_reason,
    withdrawalVerified: r.withdrawal_verified,
    mergedIntoId: r.merged_into_id,
  };
}

/** The columns that persist a snapshot (everything the machine owns). */
export function snapshotColumns(s: TicketSnapshot): Record<string, unknown> {
  return {
    state: s.state,
    lead_department_id: s.leadDepartmentId,
    assisting_department_ids: [...s.assistingDepartmentIds],
    return_count: s.returnCount,
    reopen_count: s.reopenCount,
    overdue_count: s.overdueCount,
    supervise_count: s.superviseCount,
    escalation_level: s.escalationLevel,
    escalation_triggers: [...s.escalationTriggers],
    pending_extension: s.pendingExtension ? JSON.stringify(s.pendingExtension) : null,
    extension_days_granted: s.extensionDaysGranted,
    reply_outcome: s.replyOutcome,
    verdict: s.verdict?.value ?? null,
    verdict_source: s.verdict?.source ?? null,
    is_handled: s.isHandled,
    is_solved: s.isSolved,
    withdraw_reason: s.withdrawReason,
    withdrawal_verified: s.withdrawalVerified,
    merged_into_id: s.mergedIntoId,
  };
}
