import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications that asked for an action are settled when the action is taken (done_at, and what happened), and a
 * 督办单 can be closed with its ticket (returned, reassigned, closed…) with the reason shown on it. The 待销号 count
 * has a partial index of its own.
 */
export class WorkStates1764490000001 implements MigrationInterface {
  name = 'WorkStates1764490000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN done_at timestamptz, ADD COLUMN done_note varchar(120)`);
    await q.query(`CREATE INDEX ix_notification_entity_open ON notification (entity_id, kind) WHERE done_at IS NULL AND entity_id IS NOT NULL`);
    await q.query(`ALTER TABLE supervision DROP CONSTRAINT IF EXISTS supervision_status_check`);
    await q.query(`ALTER TABLE supervision ADD CONSTRAINT supervision_status_check CHECK (status IN ('issued','acknowledged','done','closed'))`);
    await q.query(`ALTER TABLE supervision ADD COLUMN closed_at timestamptz, ADD COLUMN closed_reason varchar(120)`);
    await q.query(`CREATE INDEX ix_supervision_ticket_open ON supervision (ticket_id) WHERE status IN ('issued','acknowledged')`);
    await q.query(`CREATE INDEX ix_ticket_confirmed ON ticket (district_id, created_at DESC, id DESC) WHERE state = 'confirmed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_ticket_confirmed`);
    await q.query(`DROP INDEX IF EXISTS ix_supervision_ticket_open`);
    await q.query(`UPDATE supervision SET status = 'done', done_at = closed_at WHERE status = 'closed'`);
    await q.query(`ALTER TABLE supervision DROP COLUMN closed_at, DROP COLUMN closed_reason`);
    await q.query(`ALTER TABLE supervision DROP CONSTRAINT IF EXISTS supervision_status_check`);
    await q.query(`ALTER TABLE supervision ADD CONSTRAINT supervision_status_check CHECK (status IN ('issued','acknowledged','done'))`);
    await q.query(`DROP INDEX IF EXISTS ix_notification_entity_open`);
    await q.query(`ALTER TABLE notification DROP COLUMN done_at, DROP COLUMN done_note`);
  }
}
