import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A steward's latest check-in that still holds its point (issue 9). The check-in's speed test compares with the
 * previous located check-in, and the retention job nulls the points of older visits, so ix_visit_steward_checkin
 * led the query through every check-in the steward ever made to reach the few still located: 8,200 heap rows per
 * steward on the 1M bench district, 51 ms alone and 1.0-1.9 s under 10 concurrent check-ins (check-in p99 1,051 ms).
 * This index holds only the located check-ins, the retention window's.
 */
export class VisitLocatedIndex1765300000000 implements MigrationInterface {
  name = 'VisitLocatedIndex1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_visit_steward_located ON visit (steward_id, checkin_at DESC) WHERE checkin_lat IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_visit_steward_located`);
  }
}
