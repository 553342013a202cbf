import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('submitted','pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`;

/**
 * docs/benchmarks.md: `/tickets/counts` under 50 ms at 1,000,000 tickets. The counts read every open ticket of the district
 * through ix_ticket_open_queue (150,000 entries in the bench's district: 270–436 ms). Each queue is now its own
 * count over a partial index holding just that queue, so a count reads about as many entries as it returns:
 * - overdue: the deadline key of ix_ticket_deadline, on the clock states only, covering the columns the key is
 *   computed from (PostgreSQL plans an index-only scan of an expression index only when every column the query
 *   names is in the index) and the department columns: an index-only range scan up to now;
 * - extension requests and escalated tickets: tiny partial indexes;
 * - a department's overdue from the same index (lead and assisting departments are included in it); its queues
 *   to accept and in progress, and the coordinator's waiting for dispatch and returned, read ix_ticket_open_queue's
 *   states (index-only).
 * Measured on a generated district of 200,000 tickets (docs/benchmarks.md): coordinator 101 → 15 ms, department
 * 58 → 19 ms (EXPLAIN ANALYZE execution time).
 */
export class QueueCounts1764520000001 implements MigrationInterface {
  name = 'QueueCounts1764520000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_ticket_overdue ON ticket (district_id, (CASE WHEN state = 'assigned' THEN LEAST(accept_due_at, reply_due_at)
      WHEN state IN ('accepted','in_progress','awaiting_info') THEN reply_due_at END))
      INCLUDE (state, accept_due_at, reply_due_at, lead_department_id, assisting_department_ids) WHERE state IN ('assigned','accepted','in_progress')`);
    await q.query(`CREATE INDEX ix_ticket_extension_pending ON ticket (district_id) WHERE pending_extension IS NOT NULL AND state IN ${OPEN}`);
    await q.query(`CREATE INDEX ix_ticket_escalated_open ON ticket (district_id)
      WHERE escalation_level >= 2 AND state IN ('pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const ix of ['ix_ticket_overdue', 'ix_ticket_extension_pending', 'ix_ticket_escalated_open']) await q.query(`DROP INDEX IF EXISTS ${ix}`);
  }
}
