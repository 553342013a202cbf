import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Going live (ADR 0010, ADR 0010): roster imports keep their outcome (counts and the rejected rows, so the office
 * can download them as .xlsx), enterprises can ask to join by themselves, and an enterprise has an admin contact who
 * may remove its other contacts.
 */
export class GoingLive1764470000001 implements MigrationInterface {
  name = 'GoingLive1764470000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        kind varchar(16) NOT NULL CHECK (kind IN ('enterprises','people','assignments','projects')),
        dry_run boolean NOT NULL,
        file_name varchar(128) NOT NULL,
        file_sha256 char(64) NOT NULL,
        total_rows integer NOT NULL,
        created integer NOT NULL,
        updated integer NOT NULL,
        unchanged integer NOT NULL,
        rejected integer NOT NULL,
        headers jsonb NOT NULL,
        rejected_rows jsonb NOT NULL,
        actor_id uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_import_run_district_time ON import_run (district_id, created_at DESC, id)`);

    await q.query(`ALTER TABLE person ADD COLUMN enterprise_admin boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE join_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        wechat_openid varchar(64) NOT NULL,
        credit_code char(18) NOT NULL,
        company_name varchar(128) NOT NULL,
        contact_name varchar(64) NOT NULL,
        phone varchar(20),
        status varchar(12) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
        enterprise_id uuid REFERENCES enterprise(id),
        person_id uuid REFERENCES person(id),
        decided_by uuid REFERENCES person(id),
        decided_at timestamptz,
        reason varchar(256),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_join_request_decided CHECK ((status = 'pending') = (decided_at IS NULL))
      )`);
    // One open request per WeChat user and district: asking again updates it instead of piling up.
    await q.query(`CREATE UNIQUE INDEX uq_join_request_pending ON join_request (district_id, wechat_openid) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_join_request_queue ON join_request (district_id, status, created_at, id)`);
    await q.query(`CREATE INDEX ix_join_request_code ON join_request (district_id, credit_code)`);
    // The setup checklist counts live assignments per district.
    await q.query(`CREATE INDEX ix_assignment_district_active ON assignment (district_id) WHERE ends_on IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_assignment_district_active`);
    await q.query(`DROP TABLE IF EXISTS join_request`);
    await q.query(`ALTER TABLE person DROP COLUMN IF EXISTS enterprise_admin`);
    await q.query(`DROP TABLE IF EXISTS import_run`);
  }
}
