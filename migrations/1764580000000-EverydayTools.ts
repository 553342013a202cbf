import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, each role's everyday tools:
 * - `person.phone_visible_to_enterprises`: a steward's consent to show their phone to the enterprises they look
 *   after (联系管家). Default true: the steward is the enterprise's assigned contact and the phone is a work line;
 *   the steward can turn it off on 我的.
 * - 催办: an event `urge` on the timeline; at most one per ticket and working day (`data.urgeDay`), enforced here
 *   as well as in the service (two concurrent urges cannot both commit).
 * - `steward_rating`: the enterprise's optional 1–5 rating of its steward given with the confirmation (one per
 *   confirmation step).
 * - `reply_template`: a department's 常用语 for replies and notes.
 */
export class EverydayTools1764580000000 implements MigrationInterface {
  name = 'EverydayTools1764580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person ADD COLUMN phone_visible_to_enterprises boolean NOT NULL DEFAULT true`);
    await q.query(`CREATE UNIQUE INDEX uq_ticket_event_urge_day ON ticket_event (ticket_id, (data->>'urgeDay')) WHERE action = 'urge'`);
    await q.query(`
      CREATE TABLE steward_rating (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        event_id bigint NOT NULL REFERENCES ticket_event(id),
        steward_id uuid NOT NULL REFERENCES person(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        rated_by uuid NOT NULL REFERENCES person(id),
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment varchar(500),
        created_at timestamptz NOT NULL,
        CONSTRAINT uq_steward_rating_event UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX ix_steward_rating_steward ON steward_rating (steward_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE reply_template (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        department_id uuid NOT NULL REFERENCES department(id),
        text varchar(500) NOT NULL CHECK (length(btrim(text)) > 0),
        created_by uuid NOT NULL REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT uq_reply_template_text UNIQUE (department_id, text)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reply_template`);
    await q.query(`DROP TABLE IF EXISTS steward_rating`);
    await q.query(`DROP INDEX IF EXISTS uq_ticket_event_urge_day`);
    await q.query(`ALTER TABLE person DROP COLUMN IF EXISTS phone_visible_to_enterprises`);
  }
}
