import type { MigrationInterface, QueryRunner } from 'typeorm';

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * Scopes above the district (ADR 0008): cities group districts; a person is scoped to a district, a city or the
 * platform. Invitation codes are stored hashed with an expiry; login names, phones and credit codes are unique per
 * district (a 409 must not tell district B what district A holds); districts may adjust the national calendar locally.
 */
export class Scopes1764400000000 implements MigrationInterface {
  name = 'Scopes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE city (
        code char(6) PRIMARY KEY CHECK (code ~ '^[1-9][0-9]{3}00$'),
        name varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE district ADD COLUMN city_code char(6) REFERENCES city(code)`);
    await q.query(`CREATE INDEX ix_district_city ON district (city_code) WHERE city_code IS NOT NULL`);

    await q.query(`ALTER TABLE person ALTER COLUMN district_id DROP NOT NULL`);
    await q.query(`ALTER TABLE person ADD COLUMN scope varchar(16) NOT NULL DEFAULT 'district'`);
    await q.query(`ALTER TABLE person ADD COLUMN city_code char(6) REFERENCES city(code)`);
    await q.query(`ALTER TABLE person ADD COLUMN token_version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE person DROP CONSTRAINT ck_person_roles`);
    await q.query(`ALTER TABLE person ADD CONSTRAINT ck_person_roles CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['enterprise','steward','department','coordinator','leader','admin','operator']::text[])`);
    await q.query(`
      ALTER TABLE person ADD CONSTRAINT ck_person_scope CHECK (
        (scope = 'district' AND district_id IS NOT NULL AND city_code IS NULL AND NOT ('operator' = ANY(roles)))
        OR (scope = 'city' AND district_id IS NULL AND city_code IS NOT NULL AND roles <@ ARRAY['coordinator','leader']::text[])
        OR (scope = 'platform' AND district_id IS NULL AND city_code IS NULL AND roles = ARRAY['operator']::text[]))`);

    // Invitation codes: only a hash is kept, with an expiry and who issued it; the code is shown once to the issuer.
    await q.query(`ALTER TABLE person ADD COLUMN invitation_hash char(64), ADD COLUMN invitation_expires_at timestamptz, ADD COLUMN invitation_issued_by uuid REFERENCES person(id)`);
    await q.query(`UPDATE person SET invitation_hash = encode(digest(invitation_code, 'sha256'), 'hex'), invitation_expires_at = now() + interval '7 days' WHERE invitation_code IS NOT NULL`);
    await q.query(`ALTER TABLE person DROP COLUMN invitation_code`);
    await q.query(`CREATE UNIQUE INDEX uq_person_invitation ON person (invitation_hash) WHERE invitation_hash IS NOT NULL`);

    // Unique per district (platform and city people share the nil key, so their names stay unambiguous too).
    await q.query(`ALTER TABLE person DROP CONSTRAINT uq_person_username, DROP CONSTRAINT uq_person_phone`);
    await q.query(`CREATE UNIQUE INDEX uq_person_username ON person ((COALESCE(district_id, ${NIL})), username) WHERE username IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX uq_person_phone ON person ((COALESCE(district_id, ${NIL})), phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE INDEX ix_person_username ON person (username) WHERE username IS NOT NULL`);
    await q.query(`CREATE INDEX ix_person_phone ON person (phone) WHERE phone IS NOT NULL`);

    await q.query(`ALTER TABLE enterprise DROP CONSTRAINT uq_enterprise_credit_code`);
    await q.query(`ALTER TABLE enterprise ADD CONSTRAINT uq_enterprise_credit_code UNIQUE (district_id, credit_code)`);
    await q.query(`CREATE INDEX ix_enterprise_credit_code ON enterprise (credit_code)`);

    // A district's own adjustments to the national calendar (a local holiday, a local make-up day).
    await q.query(`
      CREATE TABLE calendar_local_day (
        district_id uuid NOT NULL REFERENCES district(id),
        day date NOT NULL,
        kind varchar(8) NOT NULL CHECK (kind IN ('holiday','workday')),
        name varchar(64) NOT NULL,
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (district_id, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_local_day`);
    await q.query(`DROP INDEX ix_enterprise_credit_code`);
    await q.query(`ALTER TABLE enterprise DROP CONSTRAINT uq_enterprise_credit_code`);
    await q.query(`ALTER TABLE enterprise ADD CONSTRAINT uq_enterprise_credit_code UNIQUE (credit_code)`);
    await q.query(`DROP INDEX ix_person_username, ix_person_phone, uq_person_username, uq_person_phone, uq_person_invitation`);
    await q.query(`DELETE FROM refresh_token WHERE person_id IN (SELECT id FROM person WHERE scope <> 'district')`);
    await q.query(`DELETE FROM person WHERE scope <> 'district'`);
    await q.query(`ALTER TABLE person ADD CONSTRAINT uq_person_username UNIQUE (username), ADD CONSTRAINT uq_person_phone UNIQUE (phone)`);
    // Hashed codes cannot be recovered: pending invitations are dropped.
    await q.query(`ALTER TABLE person ADD COLUMN invitation_code varchar(16) CONSTRAINT uq_person_invitation UNIQUE`);
    await q.query(`ALTER TABLE person DROP COLUMN invitation_hash, DROP COLUMN invitation_expires_at, DROP COLUMN invitation_issued_by`);
    await q.query(`ALTER TABLE person DROP CONSTRAINT ck_person_scope, DROP CONSTRAINT ck_person_roles`);
    await q.query(`ALTER TABLE person ADD CONSTRAINT ck_person_roles CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['enterprise','steward','department','coordinator','leader','admin']::text[])`);
    await q.query(`ALTER TABLE person DROP COLUMN token_version, DROP COLUMN city_code, DROP COLUMN scope`);
    await q.query(`ALTER TABLE person ALTER COLUMN district_id SET NOT NULL`);
    await q.query(`DROP INDEX ix_district_city`);
    await q.query(`ALTER TABLE district DROP COLUMN city_code`);
    await q.query(`DROP TABLE city`);
  }
}
