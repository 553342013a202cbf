/**
 * What a step on a ticket settles: the notifications that asked somebody to act (so they stop looking actionable
 * once anyone entitled acted, and say what happened), and the 督办单 that follow the ticket (signed for with it,
 * closed with a reason when the ticket leaves the department or ends). Pure: the server applies it in the step's
 * transaction, the mini-app shows its captions.
 */
import { TICKET_ACTION_LABELS } from '../labels';
import type { TicketAction, TicketState } from './ticket-machine';

const ENDED: readonly TicketState[] = ['closed', 'withdrawn', 'merged'];

/** Notification kinds (`ticket.<step>`) that ask their reader to act on the ticket. */
export const ACTIONABLE_NOTIFICATION_KINDS: readonly string[] = [
  'ticket.assigned', 'ticket.pending_dispatch', 'ticket.dispatch', 'ticket.reassign', 'ticket.return',
  'ticket.request_info', 'ticket.provide_info', 'ticket.request_extension', 'ticket.reply', 'ticket.confirm',
  'ticket.open_visit', 'ticket.withdraw', 'ticket.urge',
];

/** For each action, the notification kinds on the same ticket it answers. */
const SETTLES: Partial<Record<TicketAction, readonly string[]>> = {
  accept: ['ticket.assigned', 'ticket.dispatch', 'ticket.reassign', 'ticket.urge'],
  return: ['ticket.assigned', 'ticket.dispatch', 'ticket.reassign'],
  dispatch: ['ticket.pending_dispatch', 'ticket.return'],
  reassign: ['ticket.pending_dispatch', 'ticket.return', 'ticket.assigned', 'ticket.dispatch', 'ticket.reassign'],
  provide_info: ['ticket.request_info'],
  // A 催办 (issue 13) asked the department to get on with it: answered by signing for it or replying.
  reply: ['ticket.provide_info', 'ticket.urge'],
  approve_extension: ['ticket.request_extension'],
  reject_extension: ['ticket.request_extension'],
  confirm: ['ticket.reply'],
  open_visit: ['ticket.reply'],
  record_visit: ['ticket.reply', 'ticket.open_visit', 'ticket.withdraw'],
  close: ['ticket.confirm'],
};

/**
 * The notification kinds a step settles: its own answers, and every actionable kind once the ticket has ended
 * (nothing is left to do on a closed, withdrawn or merged ticket).
 */
export function settledNotificationKinds(action: TicketAction | 'meeting', next: TicketState): readonly string[] {
  if (ENDED.includes(next)) return ACTIONABLE_NOTIFICATION_KINDS;
  return action === 'meeting' ? [] : (SETTLES[action] ?? []);
}

/** What a settled notification says instead of asking: 已由 张三 确认办理结果. */
export function settledNote(action: TicketAction, actorName: string | null): string {
  const label = TICKET_ACTION_LABELS[action];
  return actorName ? `已由${actorName}${label}` : `系统已${label}`;
}

/** What a step does to the ticket's open 督办单. */
export type SupervisionEffect =
  | { kind: 'none' }
  /** the ticket was signed for (签收): the 督办单 of that department waiting for signature is signed with it */
  | { kind: 'acknowledge' }
  /** the ticket left the department or ended: its open 督办单 close, with the reason shown on them */
  | { kind: 'close'; reason: string; keepDepartmentId?: string | null };

/** How a step moves the ticket's open 督办单 (issued / acknowledged). */
export function supervisionEffect(action: TicketAction, next: { state: TicketState; leadDepartmentId: string | null }): SupervisionEffect {
  if (action === 'accept') return { kind: 'acknowledge' };
  if (action === 'return') return { kind: 'close', reason: '诉求已被部门退回，督办单随之关闭' };
  if (action === 'reassign') return { kind: 'close', reason: '诉求已改派其他部门，督办单随之关闭', keepDepartmentId: next.leadDepartmentId };
  if (next.state === 'closed') return { kind: 'close', reason: '诉求已销号，督办单随之关闭' };
  if (next.state === 'withdrawn') return { kind: 'close', reason: '企业已撤回诉求，督办单随之关闭' };
  if (next.state === 'merged') return { kind: 'close', reason: '诉求已并单，督办单随之关闭' };
  return { kind: 'none' };
}
