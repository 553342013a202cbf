import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisation model, people, login, assignments, audit and idempotency: the base every module builds on. */
export class Foundation1764100000000 implements MigrationInterface {
  name = 'Foundation1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE district (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code char(6) NOT NULL,
        name varchar(64) NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_district_code UNIQUE (code)
      )`);
    await q.query(`
      CREATE TABLE area (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        code varchar(12) NOT NULL,
        name varchar(64) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('township','street','park','other')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_area_code UNIQUE (district_id, code),
        CONSTRAINT uq_area_name UNIQUE (district_id, name)
      )`);
    await q.query(`
      CREATE TABLE department (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        name varchar(64) NOT NULL,
        short_name varchar(32),
        functions text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_department_name UNIQUE (district_id, name)
      )`);
    await q.query(`
      CREATE TABLE enterprise (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        area_id uuid NOT NULL REFERENCES area(id),
        name varchar(128) NOT NULL,
        credit_code char(18) NOT NULL,
        address varchar(256),
        lat double precision,
        lng double precision,
        location_confirmed boolean NOT NULL DEFAULT false,
        industry varchar(64),
        scale varchar(16) NOT NULL DEFAULT 'below' CHECK (scale IN ('above','below')),
        tags text[] NOT NULL DEFAULT '{}',
        contact_name varchar(64),
        contact_phone varchar(20),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_enterprise_credit_code UNIQUE (credit_code),
        CONSTRAINT ck_enterprise_location CHECK ((lat IS NULL) = (lng IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_enterprise_district_name ON enterprise (district_id, name, id)`);
    await q.query(`CREATE INDEX ix_enterprise_area ON enterprise (area_id)`);
    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        name varchar(64) NOT NULL,
        username varchar(64),
        phone varchar(20),
        password_hash text,
        roles text[] NOT NULL,
        title varchar(64),
        enterprise_id uuid REFERENCES enterprise(id),
        department_id uuid REFERENCES department(id),
        wechat_openid varchar(64),
        invitation_code varchar(16),
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_person_username UNIQUE (username),
        CONSTRAINT uq_person_phone UNIQUE (phone),
        CONSTRAINT uq_person_openid UNIQUE (wechat_openid),
        CONSTRAINT uq_person_invitation UNIQUE (invitation_code),
        CONSTRAINT ck_person_roles CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['enterprise','steward','department','coordinator','leader','admin']::text[]),
        CONSTRAINT ck_person_enterprise CHECK (NOT ('enterprise' = ANY(roles)) OR enterprise_id IS NOT NULL),
        CONSTRAINT ck_person_department CHECK (NOT ('department' = ANY(roles)) OR department_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ix_person_district_name ON person (district_id, name, id)`);
    await q.query(`CREATE INDEX ix_person_enterprise ON person (enterprise_id) WHERE enterprise_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_person_department ON person (department_id) WHERE department_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_refresh_token_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_refresh_token_family ON refresh_token (family_id)`);
    await q.query(`
      CREATE TABLE assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        steward_id uuid NOT NULL REFERENCES person(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        starts_on date NOT NULL,
        ends_on date,
        note varchar(256),
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_by uuid REFERENCES person(id),
        CONSTRAINT ck_assignment_dates CHECK (ends_on IS NULL OR ends_on >= starts_on)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_assignment_active ON assignment (steward_id, enterprise_id) WHERE ends_on IS NULL`);
    await q.query(`CREATE INDEX ix_assignment_enterprise ON assignment (enterprise_id)`);
    await q.query(`CREATE INDEX ix_assignment_steward ON assignment (steward_id)`);
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        district_id uuid REFERENCES district(id),
        actor_id uuid REFERENCES person(id),
        action varchar(64) NOT NULL,
        entity_type varchar(32) NOT NULL,
        entity_id uuid,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_audit_entity ON audit_event (entity_type, entity_id)`);
    await q.query(`CREATE INDEX ix_audit_district_time ON audit_event (district_id, created_at)`);
    await q.query(`
      CREATE TABLE idempotency_record (
        person_id uuid NOT NULL REFERENCES person(id),
        key varchar(128) NOT NULL,
        method varchar(8) NOT NULL,
        path varchar(256) NOT NULL,
        request_hash char(64) NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_record', 'audit_event', 'assignment', 'refresh_token', 'person', 'enterprise', 'department', 'area', 'district'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
