import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open on-site visits: the check-in looks up the steward's open visit (one at a time) and the auto-checkout job finds
 * those left open past the district's limit; both read this partial index of the few visits still checked in.
 */
export class OpenVisits1764490000002 implements MigrationInterface {
  name = 'OpenVisits1764490000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_visit_open ON visit (steward_id, checkin_at) WHERE status = 'checked_in'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_visit_open`);
  }
}
