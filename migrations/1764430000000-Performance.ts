import type { MigrationInterface, QueryRunner } from 'typeorm';

/** States a ticket is still being worked on in (every work-queue count is over these). */
const OPEN = `('submitted','pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`;

/**
 * docs/benchmarks.md (performance at city scale), measured with `npm run bench` on 1,000,000 tickets:
 * - `merged_into_id` index: the detail's "tickets merged into this one" scanned every ticket;
 * - the `sort=deadline` key as an expression index (the list orders by exactly this expression);
 * - the work-queue counts read open tickets only, through a partial index;
 * - the overdue job remembers, on the ticket, which accept/reply deadline it already supervised, so its scan is
 *   a partial index of the not-yet-supervised ones instead of an anti-join over the whole overdue backlog;
 * - `config_version`: one counter bumped by triggers whenever routing rules, categories, departments, district
 *   settings or the calendar change, so per-process caches of them are checked with one tiny read.
 * - ticket_stat: the monthly rollup the reports read (ADR 0007), filled and kept by the ticket-stats job; months
 *   changed since its last run are counted live, so the figures are never stale.
 */
export class Performance1764430000000 implements MigrationInterface {
  name = 'Performance1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_ticket_merged_into ON ticket (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_ticket_deadline ON ticket (district_id, (CASE WHEN state = 'assigned' THEN LEAST(accept_due_at, reply_due_at)
      WHEN state IN ('accepted','in_progress','awaiting_info') THEN reply_due_at END), id)`);
    // Covering, so the counts are an index-only scan of the open tickets (a bitmap heap scan of 150k open tickets
    // spread over a 1M-row table took 1.8 s).
    await q.query(`CREATE INDEX ix_ticket_open_queue ON ticket (district_id, state)
      INCLUDE (lead_department_id, assisting_department_ids, enterprise_id, return_count, escalation_level, accept_due_at, reply_due_at, pending_extension, created_at)
      WHERE state IN ${OPEN}`);
    // Newest-first lists of tickets on a department's clock (the overdue filter): the created-order walk skips the
    // closed history.
    await q.query(`CREATE INDEX ix_supervision_open ON supervision (district_id) WHERE status IN ('issued','acknowledged')`);
    await q.query(`CREATE INDEX ix_ticket_clock_created ON ticket (district_id, created_at DESC, id DESC) WHERE state IN ('assigned','accepted','in_progress')`);

    await q.query(`ALTER TABLE ticket ADD COLUMN accept_supervised_due_at timestamptz, ADD COLUMN reply_supervised_due_at timestamptz`);
    await q.query(`UPDATE ticket t SET accept_supervised_due_at = t.accept_due_at
      WHERE t.state = 'assigned' AND EXISTS (SELECT 1 FROM supervision s WHERE s.ticket_id = t.id AND s.kind = 'overdue_accept' AND s.missed_due_at = t.accept_due_at)`);
    await q.query(`UPDATE ticket t SET reply_supervised_due_at = t.reply_due_at
      WHERE t.state IN ('assigned','accepted','in_progress') AND EXISTS (SELECT 1 FROM supervision s WHERE s.ticket_id = t.id AND s.kind = 'overdue_reply' AND s.missed_due_at = t.reply_due_at)`);
    await q.query(`CREATE INDEX ix_ticket_accept_unsupervised ON ticket (accept_due_at)
      WHERE state = 'assigned' AND accept_supervised_due_at IS DISTINCT FROM accept_due_at`);
    await q.query(`CREATE INDEX ix_ticket_reply_unsupervised ON ticket (reply_due_at)
      WHERE state IN ('assigned','accepted','in_progress') AND reply_supervised_due_at IS DISTINCT FROM reply_due_at`);

    // Report rollup (ADR 0007): tickets counted by creation month × category × the fields the reports split on.
    await q.query(`
      CREATE TABLE ticket_stat (
        district_id uuid NOT NULL REFERENCES district(id),
        month date NOT NULL,
        category_id uuid NOT NULL,
        state varchar(20) NOT NULL,
        is_handled boolean NOT NULL,
        is_solved boolean NOT NULL,
        solved_month date,
        escalated boolean NOT NULL,
        verdict varchar(24),
        n integer NOT NULL,
        rating_sum integer NOT NULL,
        rating_n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_ticket_stat_month ON ticket_stat (district_id, month)`);
    await q.query(`CREATE TABLE ticket_stat_mark (district_id uuid PRIMARY KEY REFERENCES district(id), refreshed_at timestamptz NOT NULL)`);
    // Which months changed since the last refresh; and the distinct enterprises of a period, from the index alone.
    await q.query(`CREATE INDEX ix_ticket_updated ON ticket (district_id, updated_at)`);
    await q.query(`CREATE INDEX ix_ticket_district_created_ent ON ticket (district_id, created_at) INCLUDE (enterprise_id, state)`);

    await q.query(`CREATE TABLE config_version (id smallint PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)`);
    await q.query(`INSERT INTO config_version VALUES (1, 1)`);
    await q.query(`
      CREATE FUNCTION bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE config_version SET n = n + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const t of ['routing_rule', 'ticket_category', 'department', 'district', 'calendar_year', 'calendar_day', 'calendar_local_day']) {
      await q.query(`CREATE TRIGGER tg_${t}_config_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['routing_rule', 'ticket_category', 'department', 'district', 'calendar_year', 'calendar_day', 'calendar_local_day']) {
      await q.query(`DROP TRIGGER IF EXISTS tg_${t}_config_version ON ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS bump_config_version()`);
    await q.query(`DROP TABLE IF EXISTS config_version`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_district_created_ent`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_updated`);
    await q.query(`DROP TABLE IF EXISTS ticket_stat_mark`);
    await q.query(`DROP TABLE IF EXISTS ticket_stat`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_reply_unsupervised`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_accept_unsupervised`);
    await q.query(`ALTER TABLE ticket DROP COLUMN IF EXISTS accept_supervised_due_at, DROP COLUMN IF EXISTS reply_supervised_due_at`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_clock_created`);
    await q.query(`DROP INDEX IF EXISTS ix_supervision_open`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_open_queue`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_deadline`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_merged_into`);
  }
}
