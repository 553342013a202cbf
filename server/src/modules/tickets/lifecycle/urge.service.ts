import type { DataSource } from 'typeorm';
import { countdown, countdownText, extensionPreview, urgeDay, type TicketDetail, type TicketUrge } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import type { AuthUser } from '../../../lib/principal';
import type { Queryable } from '../../../lib/sql';
import { recordAudit } from '../../audit/audit';
import { loadWorkCalendar, type LoadedCalendar } from '../../calendar/calendar.service';
import { relationOf } from './ticket.policy';
import { loadTicketRow, writeStep } from './ticket-engine';
import { notifyTicketEvent } from './ticket-notify';
import type { TicketRow } from './ticket-row';
import { getTicket, type Clock } from './ticket.service';

/**
 * 催办 (issue 13): the enterprise's contact urges an overdue ticket — at most once per working day (`urgeDay`, the
 * district calendar). One transaction: the ticket row is locked (two urges at once serialise; the unique index
 * uq_ticket_event_urge_day backs it), one public timeline step `urge`, its audit row, and the notification of the
 * handling (lead) department and the enterprise's steward. A retried request with its Idempotency-Key replays the
 * answer; a second urge the same working day is refused (TICKET_ALREADY_URGED, 409).
 */
export async function urgeTicket(db: DataSource, auth: AuthUser, id: string, body: TicketUrge, clock: Clock = {}): Promise<TicketDetail> {
  const now = clock.now ?? new Date();
  await db.transaction(async (em) => {
    const row = await loadTicketRow(em, id, now, { forUpdate: true });
    if (!row) throw new AppError('TICKET_NOT_FOUND');
    const rel = await relationOf(em, auth, row);
    if (!rel.canSee) throw new AppError('TICKET_NOT_FOUND');
    if (!rel.roles.includes('enterprise')) throw new AppError('TICKET_ROLE_NOT_ALLOWED');
    if (!row.overdue) throw new AppError('TICKET_NOT_OVERDUE');
    const cal = await loadWorkCalendar(em, now, row.district_id);
    const day = urgeDay(cal, now);
    const [done] = await em.query(`SELECT 1 FROM ticket_event WHERE ticket_id = $1 AND action = 'urge' AND data->>'urgeDay' = $2`, [id, day]);
    if (done) throw new AppError('TICKET_ALREADY_URGED');
    const note = body.note?.trim() || '诉求已超期，企业催办，请尽快办理';
    const missed = row.state === 'assigned' && row.accept_due_at && new Date(row.accept_due_at) < now ? 'accept' : 'reply';
    const step = await writeStep(em, {
      row, next: null, event: { action: 'urge' as never, from: row.state, to: row.state, visibility: 'public', role: 'enterprise' },
      actorId: auth.id, now, note, data: { urgeDay: day, missed },
    });
    await recordAudit(em, { districtId: row.district_id, actorId: auth.id, action: 'ticket.urge', entityType: 'ticket', entityId: id, data: { seq: step.seq, urgeDay: day, missed } });
    await notifyTicketEvent(em, row, {
      seq: step.seq, kind: 'urge', title: `企业催办：诉求 ${row.no}`, body: `${row.title}：${note}`, actorId: auth.id,
    }, ['lead', 'stewards']);
  });
  return getTicket(db, auth, id, { now });
}

/** The deadline that runs for the audience: the enterprise only hears of the reply deadline. */
function runningDeadline(row: TicketRow, enterprise: boolean): { of: 'accept' | 'reply'; at: Date } | null {
  const clock = ['assigned', 'accepted', 'in_progress'].includes(row.state);
  if (!clock) return null;
  const accept = row.state === 'assigned' && row.accept_due_at ? new Date(row.accept_due_at) : null;
  const reply = row.reply_due_at ? new Date(row.reply_due_at) : null;
  if (!enterprise && accept && (!reply || accept <= reply)) return { of: 'accept', at: accept };
  return reply ? { of: 'reply', at: reply } : null;
}

/**
 * What the detail adds for the everyday tools: the countdown of the running deadline in working days, and for the
 * enterprise's contact whether 催办 is open now. The calendar (cached per configuration version) is read only for a
 * ticket on the clock.
 */
export async function deadlineViews(
  calendar: () => Promise<LoadedCalendar>, row: TicketRow, enterprise: boolean, urges: { urgeDay: string }[], now: Date,
): Promise<Pick<TicketDetail, 'countdown' | 'urge'>> {
  const due = runningDeadline(row, enterprise);
  const cal: LoadedCalendar | null = due ? await calendar() : null;
  const c = due && cal ? countdown(cal, now, due.at) : null;
  const out: Pick<TicketDetail, 'countdown' | 'urge'> = { countdown: c && due ? { of: due.of, ...c, text: countdownText(c) } : null };
  if (enterprise) {
    const today = cal ? urgeDay(cal, now) : null;
    const urgedToday = today !== null && urges.some((u) => u.urgeDay === today);
    out.urge = { available: row.overdue && !urgedToday && cal !== null, urgedToday, count: urges.length };
  }
  return out;
}

/**
 * The extension form's preview for the lead department: the reply deadline after `days` more working days, set
 * against today (the same count the approval writes).
 */
export async function previewExtension(db: Queryable, auth: AuthUser, id: string, days: number, clock: Clock = {}) {
  const now = clock.now ?? new Date();
  const row = await loadTicketRow(db, id, now);
  if (!row) throw new AppError('TICKET_NOT_FOUND');
  const rel = await relationOf(db, auth, row);
  if (!rel.canSee) throw new AppError('TICKET_NOT_FOUND');
  if (!rel.roles.includes('department')) throw new AppError('TICKET_ROLE_NOT_ALLOWED');
  if (!row.reply_clock_at || row.reply_days === null || !row.reply_due_at || !['accepted', 'in_progress'].includes(row.state)) {
    throw new AppError('TICKET_ACTION_NOT_ALLOWED');
  }
  const cal = await loadWorkCalendar(db, now, row.district_id);
  const p = extensionPreview(cal, now, {
    replyClockAt: new Date(row.reply_clock_at), replyDays: row.reply_days, extraDays: row.reply_extra_days, currentDueAt: new Date(row.reply_due_at),
  }, days);
  return { ...p, text: countdownText(p.countdown) };
}
