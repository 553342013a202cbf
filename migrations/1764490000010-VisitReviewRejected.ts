import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: the coordinator's review of a flagged check-in can also reject it (驳回, with a reason). A rejected visit
 * takes the status `rejected`: every count of contacts reads `status IN ('checked_in','completed')`, so a rejected
 * visit stops counting toward the steward's cadence, coverage and rankings without touching those queries.
 */
export class VisitReviewRejected1764490000010 implements MigrationInterface {
  name = 'VisitReviewRejected1764490000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visit DROP CONSTRAINT visit_status_check`);
    await q.query(`ALTER TABLE visit ADD CONSTRAINT visit_status_check CHECK (status IN ('planned','checked_in','completed','cancelled','rejected'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE visit SET status = 'completed' WHERE status = 'rejected'`);
    await q.query(`ALTER TABLE visit DROP CONSTRAINT visit_status_check`);
    await q.query(`ALTER TABLE visit ADD CONSTRAINT visit_status_check CHECK (status IN ('planned','checked_in','completed','cancelled'))`);
  }
}
