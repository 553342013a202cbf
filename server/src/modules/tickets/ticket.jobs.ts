import type { DataSource, EntityManager } from 'typeorm';
import { nextWorkingDay, shanghaiDate, startOfShanghaiDay } from '@guanjia/shared';
import type { Job } from '../../jobs/job';
import { retentionRemoved } from '../../lib/metrics';
import { AppError } from '../../lib/app-error';
import { loadWorkCalendar, type LoadedCalendar } from '../calendar/calendar.service';
import { loadTicketRow } from './lifecycle/ticket-engine';
import type { TicketRow } from './lifecycle/ticket-row';
import { runAction } from './lifecycle/ticket-actions';
import { purgeOrphanAttachments } from './files/attachment.service';
import { compactTicketStats, refreshTicketStats } from './stats/stats.service';
import { compactQueueCounts } from './lifecycle/queue-counts';

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
 * One holder at a time (an advisory lock held by an open transaction; the other instance returns at once), each ticket in its own
 * transaction under a row lock, and the unique index on (ticket, kind, missed deadline) as the last word.
 */
export async function runTicketDeadlines(db: DataSource, now = new Date()): Promise<DeadlineRun> {
  const lock = db.createQueryRunner();
  await lock.connect();
  const run: DeadlineRun = { ran: false, supervised: 0, visitsOpened: 0, skipped: 0 };
  try {
    // A transaction-level lock held by a transaction left open for the run (the work commits on other connections):
    // through PgBouncer in transaction mode a session lock could be taken on one server connection and released on
    // another — or never; an open transaction pins its server connection, and a dead process's lock goes with it.
    await lock.startTransaction();
    const [{ locked }] = await lock.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [DEADLINES_LOCK]);
    if (!locked) return run;
    run.ran = true;
    {
      // Deadlines not yet supervised, through the partial indexes of the Performance migration: the scan reads the
      // newly lapsed deadlines, not the whole overdue backlog (each supervised deadline is recorded on the ticket).
      const cands: Candidate[] = await db.query(
        `SELECT t.id, t.district_id, 'overdue_accept' AS kind, t.accept_due_at AS due FROM ticket t
          WHERE t.state = 'assigned' AND t.accept_supervised_due_at IS DISTINCT FROM t.accept_due_at AND t.accept_due_at < $1
         UNION ALL
         SELECT t.id, t.district_id, 'overdue_reply', t.reply_due_at FROM ticket t
          WHERE t.state IN ('assigned','accepted','in_progress') AND t.reply_supervised_due_at IS DISTINCT FROM t.reply_due_at AND t.reply_due_at < $1
         ORDER BY due LIMIT 500`,
        [now],
      );
      const cals = new Map<string, LoadedCalendar>();
      const today = shanghaiDate(now);
      const eligible = new Map<string, Candidate[]>();
      for (const c of cands) {
        const dueDate = shanghaiDate(new Date(c.due));
        const year = `${c.district_id}:${dueDate.slice(0, 4)}`;
        if (!cals.has(year)) cals.set(year, await loadWorkCalendar(db, dueDate, c.district_id));
        if (today < nextWorkingDay(cals.get(year)!, dueDate)) continue; // not yet the working day after the deadline
        (eligible.get(c.id) ?? eligible.set(c.id, []).get(c.id)!).push(c);
      }
      // One lapse, one 督办单 (docs/security.md): per ticket and run, the earliest missed deadline is supervised, and a deadline
      // missed on the same day (签收 and 答复 of an urgent ticket) is covered by the same 督办单 instead of a second
      // one — which would count twice and escalate at once. A later lapse waits for a later day.
      for (const [id, cs] of eligible) {
        const first = cs[0];
        const sameDay = cs.slice(1).filter((c) => shanghaiDate(new Date(c.due)) === shanghaiDate(new Date(first.due)));
        const done = await once(db, async (em) => {
          const row = await loadTicketRow(em, id, now, { forUpdate: true });
          if (!row || !stillMissed(row, first)) return false;
          // At most one automatic 督办 (and so one automatic escalation step) per ticket and day.
          const [today_] = await em.query(
            `SELECT 1 FROM supervision WHERE ticket_id = $1 AND kind <> 'manual' AND issued_at >= $2`,
            [id, startOfShanghaiDay(today)],
          );
          if (today_) return false;
          const covers = sameDay.filter((c) => stillMissed(row, c)).map((c) => ({ kind: c.kind, missedDueAt: new Date(c.due) }));
          await runAction(em, row, 'supervise', ['system'], { actorId: null, auth: null, body: {}, now, overdue: { kind: first.kind, missedDueAt: new Date(first.due), covers } });
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
    }
  } finally {
    if (lock.isTransactionActive) await lock.commitTransaction().catch(() => lock.rollbackTransaction());
    await lock.release();
  }
  return run;
}

/** True while the ticket still waits on exactly the deadline the candidate saw (nothing moved it since). */
function stillMissed(row: TicketRow, c: Candidate): boolean {
  const due = c.kind === 'overdue_accept' ? row.accept_due_at : row.reply_due_at;
  const stateOk = c.kind === 'overdue_accept' ? row.state === 'assigned' : ['assigned', 'accepted', 'in_progress'].includes(row.state);
  return stateOk && !!due && new Date(due).getTime() === new Date(c.due).getTime();
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
  {
    name: 'ticket-deadlines', everyMs: 5 * 60_000,
    run: async (app) => {
      const r = await runTicketDeadlines(app.db);
      // one line per run that did something: how many instances did the work shows in the logs (scale:local counts them)
      if (r.supervised || r.visitsOpened) app.log.info({ job: 'ticket-deadlines', supervised: r.supervised, visitsOpened: r.visitsOpened, pid: process.pid }, 'ticket deadlines run');
    },
  },
  { name: 'ticket-stats', everyMs: 5 * 60_000, run: async (app) => void (await refreshTicketStats(app.db)) },
  // ADR 0007, amended: folds the rows ticket writes appended to ticket_stat, so a report sums a few rows per month.
  { name: 'ticket-stat-compact', everyMs: 60_000, run: async (app) => void (await compactTicketStats(app.db)) },
  // ADR 0020: one counter row per queue key again, so a count sums a few rows (every instance may run it).
  { name: 'ticket-queue-compact', everyMs: 60_000, run: async (app) => void (await compactQueueCounts(app.db)) },
  {
    name: 'ticket-attachment-cleanup', everyMs: 60 * 60_000,
    run: async (app) => {
      const removed = await purgeOrphanAttachments(app.db, app.config.uploadDir);
      retentionRemoved.inc({ job: 'ticket-attachment-cleanup', kind: 'orphan_attachment' }, removed);
      if (removed) app.log.info({ job: 'ticket-attachment-cleanup', removed }, 'retention: unused uploads older than a day removed');
    },
  },
];
