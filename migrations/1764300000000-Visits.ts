import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stewards in the field (ADR 0006): visits (走访) with on-site check-in/out, their photos, location proposals for
 * enterprises without one, coordinator-granted exceptions to the assignment rule, and the log of who read
 * check-in locations (PIPL art. 28). Cadence rules and the fence radius live in `district.settings.visits`.
 *
 * Coordinates are WGS-84 (docs/adr: coordinate datum); `checkin_datum` only records what the phone reported.
 * No `project_id` yet: projects do not exist; the projects migration adds it (and relaxes enterprise_id).
 */
export class Visits1764300000000 implements MigrationInterface {
  name = 'Visits1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visit_photo (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        uploaded_by uuid NOT NULL REFERENCES person(id),
        sha256 char(64) NOT NULL,
        mime varchar(16) NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        storage_key varchar(128) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_visit_photo_sha256 ON visit_photo (district_id, sha256)`);
    await q.query(`
      CREATE TABLE visit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        steward_id uuid NOT NULL REFERENCES person(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        kind varchar(8) NOT NULL CHECK (kind IN ('onsite','phone','wechat','meeting')),
        status varchar(12) NOT NULL CHECK (status IN ('planned','checked_in','completed','cancelled')),
        occurred_at timestamptz NOT NULL,
        notes varchar(2000),
        problems jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(problems) = 'array'),
        problem_count integer GENERATED ALWAYS AS (jsonb_array_length(problems)) STORED,
        off_assignment boolean NOT NULL DEFAULT false,
        checkin_at timestamptz,
        checkin_lat double precision,
        checkin_lng double precision,
        checkin_accuracy_m real,
        checkin_datum varchar(8) CHECK (checkin_datum IN ('gcj02','wgs84')),
        checkin_photo_id uuid REFERENCES visit_photo(id),
        distance_m integer,
        fence_radius_m integer,
        inside_fence boolean,
        checkout_at timestamptz,
        checkout_lat double precision,
        checkout_lng double precision,
        checkout_accuracy_m real,
        flags text[] NOT NULL DEFAULT '{}',
        flag_details jsonb NOT NULL DEFAULT '{}'::jsonb,
        reviewed_by uuid REFERENCES person(id),
        reviewed_at timestamptz,
        review_note varchar(500),
        location_purged_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_by uuid NOT NULL REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_visit_checkin_photo UNIQUE (checkin_photo_id),
        CONSTRAINT ck_visit_checkin_point CHECK ((checkin_lat IS NULL) = (checkin_lng IS NULL)),
        CONSTRAINT ck_visit_checkout_point CHECK ((checkout_lat IS NULL) = (checkout_lng IS NULL)),
        CONSTRAINT ck_visit_onsite_only CHECK (kind = 'onsite' OR status IN ('completed','cancelled')),
        CONSTRAINT ck_visit_checked_in CHECK (status NOT IN ('checked_in') OR checkin_at IS NOT NULL),
        CONSTRAINT ck_visit_checked_out CHECK (checkout_at IS NULL OR checkin_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ix_visit_district_time ON visit (district_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_visit_steward_time ON visit (steward_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX ix_visit_enterprise_time ON visit (enterprise_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX ix_visit_steward_checkin ON visit (steward_id, checkin_at DESC) WHERE checkin_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_visit_location_retained ON visit (checkin_at) WHERE location_purged_at IS NULL AND checkin_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE enterprise_location_proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        visit_id uuid NOT NULL REFERENCES visit(id),
        proposed_by uuid NOT NULL REFERENCES person(id),
        lat double precision,
        lng double precision,
        accuracy_m real,
        status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','confirmed','rejected')),
        decided_by uuid REFERENCES person(id),
        decided_at timestamptz,
        decision_note varchar(256),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_location_proposal_point CHECK ((lat IS NULL) = (lng IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_location_proposal_pending ON enterprise_location_proposal (enterprise_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_location_proposal_district ON enterprise_location_proposal (district_id, status, created_at DESC)`);
    await q.query(`
      CREATE TABLE visit_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        steward_id uuid NOT NULL REFERENCES person(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        reason varchar(256) NOT NULL,
        valid_until date,
        granted_by uuid NOT NULL REFERENCES person(id),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_visit_grant_pair ON visit_grant (steward_id, enterprise_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX ix_visit_grant_district ON visit_grant (district_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE location_access_log (
        id bigserial PRIMARY KEY,
        district_id uuid NOT NULL REFERENCES district(id),
        actor_id uuid NOT NULL REFERENCES person(id),
        purpose varchar(32) NOT NULL,
        visit_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_location_access_district_time ON location_access_log (district_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['location_access_log', 'visit_grant', 'enterprise_location_proposal', 'visit', 'visit_photo'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
