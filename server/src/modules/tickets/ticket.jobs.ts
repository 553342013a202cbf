import type { DataSource, EntityManager } from 'typeorm';
import { nextWorkingDay, shanghaiDate } from '@guanjia/shared';
import type { Job } from '../../jobs';
import { AppError } from '../../lib/app-error';
import { loadWorkCalendar, type LoadedCalendar } from '../calendar/calendar.service';
import { loadTicketRow } from './ticket-engine';
import { runAction } from './ticket-actions';
import { purgeOrphanAttachments } from './attachment.service';

/** Advisory lock key of the deadlines job: one holder across every instance sharing the database. */
export const DEADLINES_LOCK = 'guanjia:ticket-deadlines';

export type DeadlineRun = { ran: boolean; supervised: number; visitsOpened: number; skipped: number };

type Candidate = { id: string; district_id: string; kind: 'overdue_accept' | 'overdue_reply'; due: Date };

/**
 * The scheduled work of the 诉求 lifecycle, exactly once however many instances run it:
 * 1. 督办: a ticket whose accept or reply deadline passed gets a 督办单 on the working day after the deadline
 *    (a deadline on Friday is supervised on Monday, after a holiday on the first working day), as the machine's
 *    `supervise` by 'system' — which counts the overdue and may escalate automatically;
 * 2. 回访: a reply unconfirmed for 5 working days opens a 回访 task (`open_visit` by 'system').
 * One holder at a time (session advisory lock; the other instance returns at once), each ticket in its own
 * transaction under a row lock, and the unique index on (ticket, kind, missed deadline) as the last word.
 */
export async function runTicketDeadlines(db: DataSource, now = new Date()): Promise<DeadlineRun> {
  const lock = db.createQueryRunner();
  await lock.connect();
  const run: DeadlineRun = { ran: false, supervised: 0, visitsOpened: 0, skipped: 0 };
  try {
    const [{ locked }] = await lock.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [DEADLINES_LOCK]);
    if (!locked) return run;
    run.ran = true;
    try {
      const cands: Candidate[] = await db.query(
        `SELECT t.id, t.district_id, 'overdue_accept' AS kind, t.accept_due_at AS due FROM ticket t
          WHERE t.state = 'assigned' AND t.accept_due_at < $1
            AND NOT EXISTS (SELECT 1 FROM supervision s WHERE s.ticket_id = t.id AND s.kind = 'overdue_accept' AND s.missed_due_at = t.accept_due_at)
         UNION ALL
         SELECT t.id, t.district_id, 'overdue_reply', t.reply_due_at FROM ticket t
          WHERE t.state IN ('assigned','accepted','in_progress') AND t.reply_due_at < $1
            AND NOT EXISTS (SELECT 1 FROM supervision s WHERE s.ticket_id = t.id AND s.kind = 'overdue_reply' AND s.missed_due_at = t.reply_due_at)
         ORDER BY due LIMIT 500`,
        [now],
      );
      const cals = new Map<string, LoadedCalendar>();
      const today = shanghaiDate(now);
      for (const c of cands) {
        const dueDate = shanghaiDate(new Date(c.due));
        const year = `${c.district_id}:${dueDate.slice(0, 4)}`;
        if (!cals.has(year)) cals.set(year, await loadWorkCalendar(db, dueDate, c.district_id));
        if (today < nextWorkingDay(cals.get(year)!, dueDate)) continue; // not yet the working day after the deadline
        const done = await once(db, async (em) => {
          const row = await loadTicketRow(em, c.id, now, { forUpdate: true });
          const due = c.kind === 'overdue_accept' ? row?.accept_due_at : row?.reply_due_at;
          const stateOk = c.kind === 'overdue_accept' ? row?.state === 'assigned' : ['assigned', 'accepted', 'in_progress'].includes(row?.state ?? '');
          if (!row || !stateOk || !due || new Date(due).getTime() !== new Date(c.due).getTime()) return false;
          await runAction(em, row, 'supervise', ['system'], { actorId: null, auth: null, body: {}, now, overdue: { kind: c.kind, missedDueAt: new Date(c.due) } });
          return true;
        });
        if (done) run.supervised++;
        else run.skipped++;
      }

      const replied: { id: string }[] = await db.query(
        `SELECT id FROM ticket WHERE state = 'replied' AND confirmation_due_at < $1 ORDER BY confirmation_due_at LIMIT 500`,
        [now],
      );
      for (const r of replied) {
        const done = await once(db, async (em) => {
          const row = await loadTicketRow(em, r.id, now, { forUpdate: true });
          if (!row || row.state !== 'replied' || !row.confirmation_due_at || new Date(row.confirmation_due_at) >= now) return false;
          await runAction(em, row, 'open_visit', ['system'], { actorId: null, auth: null, body: {}, now });
          return true;
        });
        if (done) run.visitsOpened++;
        else run.skipped++;
      }
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [DEADLINES_LOCK]);
    }
  } finally {
    await lock.release();
  }
  return run;
}

/** Runs one ticket's step in its own transaction; a conflict or an already-issued 督办 means "not this time". */
async function once(db: DataSource, fn: (em: EntityManager) => Promise<boolean>): Promise<boolean> {
  try {
    return await db.transaction(fn);
  } catch (e) {
    if (e instanceof AppError && ['DUPLICATE', 'VERSION_CONFLICT', 'TICKET_ACTION_NOT_ALLOWED'].includes(e.code)) return false;
    throw e;
  }
}

/** The jobs of this module, for server/src/jobs. */
export const ticketJobs: Job[] = [
  { name: 'ticket-deadlines', everyMs: 5 * 60_000, run: async (app) => void (await runTicketDeadlines(app.db)) },
  { name: 'ticket-attachment-cleanup', everyMs: 60 * 60_000, run: async (app) => void (await purgeOrphanAttachments(app.db, app.config.uploadDir)) },
];
