import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 待销号 queue (tickets the enterprise confirmed, waiting for the coordinator's 销号): its home-badge count and
 * its list read this partial index of the few confirmed tickets, instead of walking every ticket of the district
 * ('confirmed' is not an open state, so ix_ticket_open_queue does not hold it).
 */
export class AwaitingClose1764530000000 implements MigrationInterface {
  name = 'AwaitingClose1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_ticket_awaiting_close ON ticket (district_id, created_at DESC, id DESC) WHERE state = 'confirmed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_ticket_awaiting_close`);
  }
}
