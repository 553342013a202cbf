import type { EntityManager } from 'typeorm';
import { CONFIRMATION_WINDOW_WORKING_DAYS, deadlineAfter, shanghaiDate, type TicketSettings, type TicketState } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { loadWorkCalendar, type DeadlineRecompute, type LoadedCalendar } from '../../calendar/calendar.service';
import { writeStep } from './ticket-engine';
import type { Queryable } from '../../../lib/sql';


/** Defaults when neither the category nor the district says otherwise (ADR 0005): accept 1, reply 5, urgent 1. */
export const DEFAULT_TICKET_SETTINGS: TicketSettings = { acceptDays: 1, replyDays: 5, urgentReplyDays: 1 };

/** The district's deadline defaults (`district.settings.tickets`), filled in with the built-in ones. */
export async function districtTicketSettings(db: Queryable, districtId: string): Promise<TicketSettings> {
  const [row] = await db.query(`SELECT settings -> 'tickets' AS t FROM district WHERE id = $1`, [districtId]);
  return { ...DEFAULT_TICKET_SETTINGS, ...((row?.t as Partial<TicketSettings> | null) ?? {}) };
}

/** The limits a ticket of this category gets: the category's own, else its parent's, else the district's. */
export async function categoryLimits(db: Queryable, districtId: string, categoryId: string): Promise<TicketSettings> {
  const [row] = await db.query(
    `SELECT c.accept_days, c.reply_days, c.urgent_reply_days, p.accept_days AS p_accept, p.reply_days AS p_reply, p.urgent_reply_days AS p_urgent
       FROM ticket_category c LEFT JOIN ticket_category p ON p.id = c.parent_id WHERE c.id = $1 AND c.district_id = $2`,
    [categoryId, districtId],
  );
  if (!row) throw new AppError('TICKET_CATEGORY_INVALID');
  const d = await districtTicketSettings(db, districtId);
  return {
    acceptDays: row.accept_days ?? row.p_accept ?? d.acceptDays,
    replyDays: row.reply_days ?? row.p_reply ?? d.replyDays,
    urgentReplyDays: row.urgent_reply_days ?? row.p_urgent ?? d.urgentReplyDays,
  };
}

/** Deadline inputs stored on a ticket; every due instant is a formula over them (see the Tickets migration). */
export type DeadlineInputs = {
  state: string;
  assigned_at: Date | null;
  accept_days: number | null;
  reply_clock_at: Date | null;
  reply_days: number | null;
  reply_extra_days: number;
  replied_at: Date | null;
};

/** Recomputes the three due instants from their inputs with `cal`. */
export function computeDeadlines(cal: LoadedCalendar, t: DeadlineInputs): { acceptDueAt: Date | null; replyDueAt: Date | null; confirmationDueAt: Date | null } {
  return {
    acceptDueAt: t.assigned_at && t.accept_days !== null ? deadlineAfter(cal, new Date(t.assigned_at), t.accept_days) : null,
    replyDueAt: t.reply_clock_at && t.reply_days !== null ? deadlineAfter(cal, new Date(t.reply_clock_at), t.reply_days + t.reply_extra_days) : null,
    confirmationDueAt: t.replied_at ? deadlineAfter(cal, new Date(t.replied_at), CONFIRMATION_WINDOW_WORKING_DAYS) : null,
  };
}

const OPEN_STATES = ['assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied'];

/**
 * After a calendar change (a year's national schedule, or one district's local day): recomputes the deadlines of
 * open tickets whose deadline window touches [from, to] — in every district, or in `districtId` only — and
 * writes each moved ticket's new deadlines with a public timeline entry saying why. Returns how many moved.
 */
export async function recomputeDeadlines(em: EntityManager, r: DeadlineRecompute): Promise<number> {
  const rows: (DeadlineInputs & { id: string; district_id: string; version: number; accept_due_at: Date | null; reply_due_at: Date | null; confirmation_due_at: Date | null })[] = await em.query(
    `SELECT id, district_id, state, version, assigned_at, accept_days, reply_clock_at, reply_days, reply_extra_days, replied_at, accept_due_at, reply_due_at, confirmation_due_at
       FROM ticket WHERE state = ANY($1) AND ($4::uuid IS NULL OR district_id = $4)
        AND GREATEST(reply_due_at, accept_due_at, confirmation_due_at) >= $2::date::timestamptz - interval '1 day'
        AND LEAST(assigned_at, reply_clock_at, replied_at) < $3::date::timestamptz + interval '1 day' ORDER BY id FOR UPDATE`,
    [OPEN_STATES, r.from, r.to, r.districtId],
  );
  const cals = new Map<string, LoadedCalendar>();
  const now = new Date();
  let moved = 0;
  for (const t of rows) {
    const start = shanghaiDate(new Date(t.replied_at ?? t.reply_clock_at ?? t.assigned_at ?? now));
    const key = `${t.district_id}:${start.slice(0, 4)}`;
    if (!cals.has(key)) cals.set(key, await loadWorkCalendar(em, start, t.district_id));
    const d = computeDeadlines(cals.get(key)!, t);
    const same = (a: Date | null, b: Date | null) => (a === null ? b === null : b !== null && new Date(a).getTime() === b.getTime());
    if (same(t.accept_due_at, d.acceptDueAt) && same(t.reply_due_at, d.replyDueAt) && same(t.confirmation_due_at, d.confirmationDueAt)) continue;
    const iso = (x: Date | null) => (x ? new Date(x).toISOString() : null);
    await writeStep(em, {
      row: { ...t, state: t.state as TicketState }, next: null, event: { action: 'deadline_recomputed' as never, from: t.state as TicketState, to: t.state as TicketState, visibility: 'public', role: 'system' },
      actorId: r.actorId, now, note: r.reason,
      columns: { accept_due_at: d.acceptDueAt, reply_due_at: d.replyDueAt, confirmation_due_at: d.confirmationDueAt },
      data: {
        before: { acceptDueAt: iso(t.accept_due_at), replyDueAt: iso(t.reply_due_at), confirmationDueAt: iso(t.confirmation_due_at) },
        after: { acceptDueAt: iso(d.acceptDueAt), replyDueAt: iso(d.replyDueAt), confirmationDueAt: iso(d.confirmationDueAt) },
      },
    });
    moved++;
  }
  return moved;
}

/** Deadline columns of a fresh assignment (route, dispatch, reassign): accept and reply clocks start now. `cal` and `known` limits skip their queries. */
export async function assignmentColumns(em: Queryable, t: { district_id: string; category_id: string; urgency: string }, now: Date, cal?: LoadedCalendar, known?: TicketSettings) {
  const limits = known ?? (await categoryLimits(em, t.district_id, t.category_id));
  const replyDays = t.urgency === 'urgent' ? limits.urgentReplyDays : limits.replyDays;
  const c = cal ?? (await loadWorkCalendar(em, now, t.district_id));
  const acceptDueAt = deadlineAfter(c, now, limits.acceptDays);
  const replyDueAt = deadlineAfter(c, now, replyDays);
  return {
    columns: {
      assigned_at: now, accept_days: limits.acceptDays, reply_days: replyDays, reply_clock_at: now, reply_extra_days: 0,
      accept_due_at: acceptDueAt, reply_due_at: replyDueAt, paused_at: null, accepted_at: null,
    },
    data: { acceptDueAt: acceptDueAt.toISOString(), replyDueAt: replyDueAt.toISOString(), replyDays },
  };
}

