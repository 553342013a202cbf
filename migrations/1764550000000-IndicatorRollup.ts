import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADR 0011 (amended): the indicator counts of whole calendar months, rolled up by the ticket-stats job.
 * - indicator_stat: per district, creation month (Asia/Shanghai) and the four grouping keys of the indicators
 *   (category, area, lead department, filing steward), every count of `ticketCounts` except overdue, as of the
 *   month's end. `fine` rows hold all four keys (tens of thousands a month at 1,000,000 tickets: the steward key is
 *   nearly per ticket); the other rows only category × lead department (hundreds), which answer the district,
 *   department and category scopes grouped by nothing, category or department — the summary and the ranking.
 * - indicator_month: which months are rolled up, and the working-day ordinals of the month's days they were computed
 *   with (a calendar edit changes them, and the month is then counted live until the job rebuilds it).
 * - ix_ticket_clock_created_cov: overdue stays live (it is "now"); the open tickets of a period, with the columns
 *   overdue and the keys need, from the index alone.
 * - ix_ticket_updated_created: whether a ticket of a month changed since the mark, from the index.
 * - ix_supervision_district_issued: the period's 督办单 counts, from the index.
 * The ticket-stats marks are deleted so that the job's next run rebuilds every month of both rollups.
 */
export class IndicatorRollup1764550000000 implements MigrationInterface {
  name = 'IndicatorRollup1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator_stat (
        district_id uuid NOT NULL REFERENCES district(id),
        month date NOT NULL,
        fine boolean NOT NULL,
        category_id uuid,
        area_id uuid,
        lead_department_id uuid,
        steward_id uuid,
        received integer NOT NULL,
        solved integer NOT NULL,
        handled integer NOT NULL,
        accepted integer NOT NULL,
        accepted_on_time integer NOT NULL,
        replied integer NOT NULL,
        replied_on_time integer NOT NULL,
        returned integer NOT NULL,
        reopened integer NOT NULL,
        extended integer NOT NULL,
        withdrawn integer NOT NULL,
        satisfied integer NOT NULL,
        basically_satisfied integer NOT NULL,
        dissatisfied integer NOT NULL,
        accept_days_sum integer NOT NULL,
        accept_days_n integer NOT NULL,
        reply_days_sum integer NOT NULL,
        reply_days_n integer NOT NULL,
        escalated_l2 integer NOT NULL,
        escalated_l3 integer NOT NULL,
        escalated_l4 integer NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_indicator_stat_month ON indicator_stat (district_id, month, fine)`);
    await q.query(`
      CREATE TABLE indicator_month (
        district_id uuid NOT NULL REFERENCES district(id),
        month date NOT NULL,
        ords integer[] NOT NULL,
        rolled_at timestamptz NOT NULL,
        PRIMARY KEY (district_id, month)
      )`);
    await q.query(`CREATE INDEX ix_ticket_clock_created_cov ON ticket (district_id, created_at)
      INCLUDE (state, accept_due_at, reply_due_at, category_id, area_id, lead_department_id, submitted_by, submitted_role)
      WHERE state IN ('assigned','accepted','in_progress')`);
    // "Did a ticket of this month change since the mark?" reads the recently updated tickets; with created_at in the
    // index it needs no heap read for the ones on all-visible pages.
    await q.query(`CREATE INDEX ix_ticket_updated_created ON ticket (district_id, updated_at) INCLUDE (created_at)`);
    // 督办单 issued in a period and how many are done (the summary's district and department scopes), from the index.
    await q.query(`CREATE INDEX ix_supervision_district_issued ON supervision (district_id, issued_at) INCLUDE (status, department_id)`);
    await q.query(`DELETE FROM ticket_stat_mark`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_supervision_district_issued`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_updated_created`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_clock_created_cov`);
    await q.query(`DROP TABLE IF EXISTS indicator_month`);
    await q.query(`DROP TABLE IF EXISTS indicator_stat`);
  }
}
