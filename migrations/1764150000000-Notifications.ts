import type { MigrationInterface, QueryRunner } from 'typeorm';

/** In-app notifications per person, and the outbox a relay drains to WeChat subscribe messages. */
export class Notifications1764150000000 implements MigrationInterface {
  name = 'Notifications1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        person_id uuid NOT NULL REFERENCES person(id),
        kind varchar(48) NOT NULL,
        title varchar(64) NOT NULL,
        body varchar(512) NOT NULL DEFAULT '',
        entity_type varchar(32),
        entity_id uuid,
        dedupe_key varchar(160),
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_notification_person ON notification (person_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_notification_unread ON notification (person_id) WHERE read_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX uq_notification_dedupe ON notification (person_id, dedupe_key) WHERE dedupe_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE wechat_outbox (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notification(id),
        status varchar(12) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','skipped','failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error varchar(256),
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_outbox_notification UNIQUE (notification_id)
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON wechat_outbox (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS wechat_outbox`);
    await q.query(`DROP TABLE IF EXISTS notification`);
  }
}
