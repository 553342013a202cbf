import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The overdue list newest first (`GET /tickets?overdue=true`, issue 9): ix_ticket_clock_created (the clock states'
 * tickets by creation, newest first) becomes ix_ticket_clock_newest, the same key with the columns of the overdue
 * test and of a department's visibility included. The list takes its page's ids from it by an index-only scan and
 * joins only those (ticket.service.ts, listTickets); before, each newer ticket on the clock that was not overdue
 * was read from the heap to be dropped: 12,500–36,500 of them per page at 1,000,000 tickets, 0.9–5 s a page under
 * load (docs/benchmarks.md, "Issue 9, session 6"). Replaces the old index (same key), so a write maintains one.
 *
 * An index-only scan reads the heap for every entry on a page not marked all-visible, and new tickets are exactly
 * the ones the list walks first. With PostgreSQL's defaults autovacuum visits `ticket` (and marks its pages) only
 * after inserts or dead rows of 20 % of the table — 200,000 tickets at 1M, months of filing — so `ticket` gets
 * its own thresholds: 1 % of inserts, 2 % of dead rows (a vacuum skips the pages already all-visible). Measured
 * on the 1M copy right after the bench's 36,000 new tickets: 14,538 heap fetches and 65–85 ms for the first phase
 * before a VACUUM, none and 19–30 ms after it.
 */
export class OverdueListIndex1764810000000 implements MigrationInterface {
  name = 'OverdueListIndex1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_ticket_clock_newest ON ticket (district_id, created_at DESC, id DESC)
      INCLUDE (state, accept_due_at, reply_due_at, lead_department_id, assisting_department_ids)
      WHERE state IN ('assigned','accepted','in_progress')`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_clock_created`);
    await q.query(`ALTER TABLE ticket SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.02)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_scale_factor)`);
    await q.query(`CREATE INDEX ix_ticket_clock_created ON ticket (district_id, created_at DESC, id DESC) WHERE state IN ('assigned','accepted','in_progress')`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_clock_newest`);
  }
}
