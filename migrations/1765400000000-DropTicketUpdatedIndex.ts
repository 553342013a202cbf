import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ix_ticket_updated (district_id, updated_at) is a prefix of ix_ticket_updated_created, which the rollups' "changed
 * since" checks read; on the 1M bench copy after a full bench run it had 0 scans against 1,367. updated_at changes on
 * every ticket write, so each index on it takes a new entry per write: one fewer for every filing, accept and reply,
 * and 42 MB less at 1,000,000 tickets (issue 9).
 */
export class DropTicketUpdatedIndex1765400000000 implements MigrationInterface {
  name = 'DropTicketUpdatedIndex1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_ticket_updated`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_ticket_updated ON ticket (district_id, updated_at)`);
  }
}
