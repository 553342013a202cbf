import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key projects (ADR 0009, ADR 0009): the project ledger with its funding sources and team, the stage history,
 * annual plans, monthly 调度 reports (versioned corrections), milestones, light history, 三个一批 batches and the
 * weekly 调度会 with its tasks. Money is integer 元 in bigint columns. A 诉求 and a visit may name a project.
 * Settings (levels, natures, light thresholds, report due day) live in `district.settings.projects`.
 */
export class Projects1764450000000 implements MigrationInterface {
  name = 'Projects1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        no varchar(16) NOT NULL,
        name varchar(128) NOT NULL,
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        area_id uuid NOT NULL REFERENCES area(id),
        location varchar(256),
        scale_content varchar(2000),
        industry varchar(64),
        nature varchar(16) NOT NULL,
        levels text[] NOT NULL DEFAULT '{}',
        kind varchar(12) NOT NULL CHECK (kind IN ('new','continuing','expansion')),
        start_year smallint NOT NULL,
        end_year smallint NOT NULL,
        planned_start_on date,
        planned_end_on date,
        total_investment bigint NOT NULL CHECK (total_investment >= 0),
        leader_id uuid NOT NULL REFERENCES person(id),
        lead_department_id uuid NOT NULL REFERENCES department(id),
        helper_department_ids uuid[] NOT NULL DEFAULT '{}',
        contact_person_id uuid REFERENCES person(id),
        stage varchar(12) NOT NULL CHECK (stage IN ('planning','signed','started','completed','producing','effective')),
        halted boolean NOT NULL DEFAULT false,
        halt_reason varchar(500),
        stage_changed_on date,
        light varchar(8) CHECK (light IN ('green','yellow','red')),
        light_reason varchar(500),
        light_since date,
        light_checked_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_project_no UNIQUE (district_id, no),
        CONSTRAINT ck_project_years CHECK (end_year >= start_year),
        CONSTRAINT ck_project_dates CHECK (planned_end_on IS NULL OR planned_start_on IS NULL OR planned_end_on >= planned_start_on),
        CONSTRAINT ck_project_halt CHECK (NOT halted OR stage = 'started')
      )`);
    await q.query(`CREATE INDEX ix_project_district_name ON project (district_id, name, id)`);
    await q.query(`CREATE INDEX ix_project_leader ON project (leader_id)`);
    await q.query(`CREATE INDEX ix_project_lead_department ON project (lead_department_id)`);
    await q.query(`CREATE INDEX ix_project_helpers ON project USING gin (helper_department_ids)`);
    await q.query(`CREATE INDEX ix_project_enterprise ON project (enterprise_id)`);
    await q.query(`
      CREATE TABLE project_funding (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        source varchar(16) NOT NULL CHECK (source IN ('fiscal','special_bond','self_raised','bank_loan','other')),
        amount bigint NOT NULL CHECK (amount >= 0),
        note varchar(128),
        PRIMARY KEY (project_id, source)
      )`);
    await q.query(`
      CREATE TABLE project_steward (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id),
        PRIMARY KEY (project_id, person_id)
      )`);
    await q.query(`CREATE INDEX ix_project_steward_person ON project_steward (person_id)`);
    await q.query(`
      CREATE TABLE project_stage_event (
        id bigserial PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES district(id),
        seq integer NOT NULL,
        action varchar(12) NOT NULL CHECK (action IN ('create','advance','revert','halt','resume')),
        from_stage varchar(12),
        to_stage varchar(12) NOT NULL,
        halted_after boolean NOT NULL DEFAULT false,
        occurred_on date NOT NULL,
        reason varchar(500),
        note varchar(2000),
        skipped text[] NOT NULL DEFAULT '{}',
        photo_ids uuid[] NOT NULL DEFAULT '{}',
        actor_id uuid REFERENCES person(id),
        actor_role varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_project_stage_event_seq UNIQUE (project_id, seq)
      )`);
    await q.query(`CREATE INDEX ix_project_stage_event_district_on ON project_stage_event (district_id, occurred_on)`);
    await q.query(`
      CREATE TABLE project_plan (
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        year smallint NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        updated_by uuid REFERENCES person(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, year)
      )`);
    await q.query(`
      CREATE TABLE project_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES district(id),
        year smallint NOT NULL,
        month smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
        version integer NOT NULL,
        is_current boolean NOT NULL DEFAULT true,
        amount bigint NOT NULL CHECK (amount >= 0),
        progress varchar(2000) NOT NULL,
        problems varchar(2000),
        photo_ids uuid[] NOT NULL DEFAULT '{}',
        reason varchar(500),
        over_total_reason varchar(500),
        over_total_confirmed_by uuid REFERENCES person(id),
        reported_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_project_report_version UNIQUE (project_id, year, month, version),
        CONSTRAINT ck_project_report_correction CHECK (version = 1 OR reason IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_project_report_current ON project_report (project_id, year, month) WHERE is_current`);
    await q.query(`CREATE INDEX ix_project_report_district_month ON project_report (district_id, year, month) WHERE is_current`);
    await q.query(`
      CREATE TABLE project_milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES district(id),
        seq smallint NOT NULL,
        name varchar(32) NOT NULL,
        planned_on date,
        actual_on date,
        department_id uuid REFERENCES department(id),
        person_id uuid REFERENCES person(id),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_project_milestone_name UNIQUE (project_id, name)
      )`);
    await q.query(`CREATE INDEX ix_project_milestone_due ON project_milestone (planned_on) WHERE actual_on IS NULL`);
    await q.query(`
      CREATE TABLE project_light_event (
        id bigserial PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES district(id),
        from_light varchar(8),
        to_light varchar(8) NOT NULL CHECK (to_light IN ('green','yellow','red')),
        reason varchar(500) NOT NULL,
        occurred_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_project_light_event_project ON project_light_event (project_id, id)`);
    await q.query(`
      CREATE TABLE project_batch (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        no smallint NOT NULL,
        name varchar(64) NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_project_batch_no UNIQUE (district_id, no),
        CONSTRAINT ck_project_batch_dates CHECK (ends_on >= starts_on)
      )`);
    await q.query(`
      CREATE TABLE project_batch_entry (
        batch_id uuid NOT NULL REFERENCES project_batch(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        kind varchar(8) NOT NULL CHECK (kind IN ('sign','start','produce')),
        promised_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (batch_id, project_id)
      )`);
    await q.query(`CREATE INDEX ix_project_batch_entry_project ON project_batch_entry (project_id)`);
    await q.query(`
      CREATE TABLE project_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        held_on date NOT NULL,
        chair_id uuid NOT NULL REFERENCES person(id),
        attendee_ids uuid[] NOT NULL DEFAULT '{}',
        project_ids uuid[] NOT NULL DEFAULT '{}',
        decisions varchar(5000),
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_project_meeting_district ON project_meeting (district_id, held_on DESC, id DESC)`);
    await q.query(`
      CREATE TABLE project_meeting_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES project_meeting(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES district(id),
        project_id uuid REFERENCES project(id),
        title varchar(200) NOT NULL,
        department_id uuid REFERENCES department(id),
        person_id uuid REFERENCES person(id),
        due_on date NOT NULL,
        status varchar(8) NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_project_meeting_task_open ON project_meeting_task (district_id, due_on) WHERE status = 'open'`);
    await q.query(`ALTER TABLE ticket ADD COLUMN project_id uuid REFERENCES project(id)`);
    await q.query(`CREATE INDEX ix_ticket_project ON ticket (project_id) WHERE project_id IS NOT NULL`);
    await q.query(`ALTER TABLE visit ADD COLUMN project_id uuid REFERENCES project(id)`);
    await q.query(`CREATE INDEX ix_visit_project ON visit (project_id, occurred_at) WHERE project_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visit DROP COLUMN IF EXISTS project_id`);
    await q.query(`ALTER TABLE ticket DROP COLUMN IF EXISTS project_id`);
    for (const t of ['project_meeting_task', 'project_meeting', 'project_batch_entry', 'project_batch', 'project_light_event', 'project_milestone',
      'project_report', 'project_plan', 'project_stage_event', 'project_steward', 'project_funding', 'project'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
