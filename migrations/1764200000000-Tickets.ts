import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 诉求 lifecycle (ADR 0005): China's working-day calendar, categories and routing rules per district, tickets with
 * their timeline, attachments, 督办单, 回访 tasks and level-4 coordination meetings.
 *
 * A ticket row holds the state machine's snapshot (shared/src/ticket/ticket-machine.ts) plus the server's own
 * fields (deadlines, texts). Every transition bumps `version` and writes exactly one `ticket_event` whose `seq` is
 * the new version: UNIQUE (ticket_id, seq) makes "one event per transition" a database fact.
 *
 * Deadlines are stored as instants and always equal a formula over stored inputs, so they can be recomputed when a
 * year's official calendar is entered late: accept_due_at = deadlineAfter(assigned_at, accept_days),
 * reply_due_at = deadlineAfter(reply_clock_at, reply_days + reply_extra_days) where reply_clock_at is the assignment
 * (or the 重办 reopen) and reply_extra_days the approved 延期 plus the working days paused waiting for the enterprise.
 */
export class Tickets1764200000000 implements MigrationInterface {
  name = 'Tickets1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // --- calendar (national, shared by every district) ---
    await q.query(`
      CREATE TABLE calendar_year (
        year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        source varchar(16) NOT NULL CHECK (source IN ('package','official')),
        note varchar(256),
        updated_by uuid REFERENCES person(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE calendar_day (
        day date PRIMARY KEY,
        year integer NOT NULL REFERENCES calendar_year(year) ON DELETE CASCADE,
        kind varchar(8) NOT NULL CHECK (kind IN ('holiday','workday')),
        name varchar(32) NOT NULL DEFAULT '',
        CONSTRAINT ck_calendar_day_year CHECK (extract(year FROM day)::int = year)
      )`);
    await q.query(`CREATE INDEX ix_calendar_day_year ON calendar_day (year)`);

    // --- numbering (诉求编号, 督办单编号) per district and year ---
    await q.query(`
      CREATE TABLE doc_counter (
        district_id uuid NOT NULL REFERENCES district(id),
        kind varchar(16) NOT NULL,
        year integer NOT NULL,
        last integer NOT NULL,
        PRIMARY KEY (district_id, kind, year)
      )`);

    // --- categories and routing ---
    await q.query(`
      CREATE TABLE ticket_category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        parent_id uuid REFERENCES ticket_category(id),
        name varchar(32) NOT NULL,
        accept_days smallint CHECK (accept_days BETWEEN 0 AND 10),
        reply_days smallint CHECK (reply_days BETWEEN 1 AND 60),
        urgent_reply_days smallint CHECK (urgent_reply_days BETWEEN 0 AND 60),
        sort_order integer NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_ticket_category_parent CHECK (parent_id IS NULL OR parent_id <> id)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_ticket_category_name ON ticket_category (district_id, COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name)`);
    await q.query(`CREATE INDEX ix_ticket_category_parent ON ticket_category (parent_id) WHERE parent_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE routing_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        category_id uuid NOT NULL REFERENCES ticket_category(id),
        area_id uuid REFERENCES area(id),
        enterprise_tag varchar(16),
        lead_department_id uuid NOT NULL REFERENCES department(id),
        assisting_department_ids uuid[] NOT NULL DEFAULT '{}',
        priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 100),
        note varchar(256),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_routing_rule_lead_not_assisting CHECK (NOT (lead_department_id = ANY(assisting_department_ids)))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_routing_rule_key ON routing_rule (category_id, COALESCE(area_id, '00000000-0000-0000-0000-000000000000'::uuid), COALESCE(enterprise_tag, '')) WHERE active`);
    await q.query(`CREATE INDEX ix_routing_rule_district ON routing_rule (district_id) WHERE active`);

    // --- tickets ---
    await q.query(`
      CREATE TABLE ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        no varchar(16) NOT NULL,
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        area_id uuid NOT NULL REFERENCES area(id),
        category_id uuid NOT NULL REFERENCES ticket_category(id),
        title varchar(64) NOT NULL,
        description text NOT NULL CHECK (char_length(description) <= 2000),
        urgency varchar(8) NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal','urgent')),
        source_visit_id uuid,
        submitted_by uuid NOT NULL REFERENCES person(id),
        submitted_role varchar(12) NOT NULL CHECK (submitted_role IN ('enterprise','steward')),
        state varchar(20) NOT NULL CHECK (state IN ('submitted','pending_dispatch','assigned','accepted','in_progress','awaiting_info',
          'replied','awaiting_visit','confirmed','closed','withdrawn','merged')),
        version integer NOT NULL DEFAULT 1,
        lead_department_id uuid REFERENCES department(id),
        assisting_department_ids uuid[] NOT NULL DEFAULT '{}',
        routing_rule_id uuid REFERENCES routing_rule(id),
        return_count integer NOT NULL DEFAULT 0,
        reopen_count integer NOT NULL DEFAULT 0,
        overdue_count integer NOT NULL DEFAULT 0,
        supervise_count integer NOT NULL DEFAULT 0,
        escalation_level smallint NOT NULL DEFAULT 1 CHECK (escalation_level BETWEEN 1 AND 4),
        escalation_triggers text[] NOT NULL DEFAULT '{}',
        pending_extension jsonb,
        extension_days_granted integer NOT NULL DEFAULT 0 CHECK (extension_days_granted BETWEEN 0 AND 10),
        reply_outcome varchar(16) CHECK (reply_outcome IN ('solved','explained','partly_solved')),
        reply_text text,
        verdict varchar(24) CHECK (verdict IN ('satisfied','basically_satisfied','dissatisfied')),
        verdict_source varchar(12) CHECK (verdict_source IN ('enterprise','visit')),
        rating smallint CHECK (rating BETWEEN 1 AND 5),
        confirm_comment varchar(500),
        is_handled boolean NOT NULL DEFAULT false,
        is_solved boolean NOT NULL DEFAULT false,
        withdraw_reason varchar(500),
        withdrawal_verified boolean,
        merged_into_id uuid REFERENCES ticket(id),
        accept_days smallint,
        reply_days smallint,
        assigned_at timestamptz,
        accept_due_at timestamptz,
        reply_due_at timestamptz,
        reply_clock_at timestamptz,
        reply_extra_days integer NOT NULL DEFAULT 0,
        paused_at timestamptz,
        pauses jsonb NOT NULL DEFAULT '[]'::jsonb,
        accepted_at timestamptz,
        replied_at timestamptz,
        confirmation_due_at timestamptz,
        solved_at timestamptz,
        closed_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_ticket_no UNIQUE (district_id, no),
        CONSTRAINT ck_ticket_solved_is_handled CHECK (NOT is_solved OR is_handled),
        CONSTRAINT ck_ticket_merged CHECK ((state = 'merged') = (merged_into_id IS NOT NULL)),
        CONSTRAINT ck_ticket_lead CHECK (state NOT IN ('assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit','confirmed') OR lead_department_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ix_ticket_district_created ON ticket (district_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_ticket_enterprise ON ticket (enterprise_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_ticket_lead ON ticket (lead_department_id, state) WHERE lead_department_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_ticket_assisting ON ticket USING gin (assisting_department_ids)`);
    await q.query(`CREATE INDEX ix_ticket_open_due ON ticket (reply_due_at) WHERE state IN ('assigned','accepted','in_progress')`);
    await q.query(`CREATE INDEX ix_ticket_confirmation_due ON ticket (confirmation_due_at) WHERE state = 'replied'`);
    await q.query(`
      CREATE TABLE ticket_event (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        district_id uuid NOT NULL REFERENCES district(id),
        seq integer NOT NULL,
        action varchar(24) NOT NULL,
        actor_id uuid REFERENCES person(id),
        actor_role varchar(24) NOT NULL,
        from_state varchar(20),
        to_state varchar(20) NOT NULL,
        visibility varchar(8) NOT NULL CHECK (visibility IN ('public','internal')),
        note text,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL,
        CONSTRAINT uq_ticket_event_seq UNIQUE (ticket_id, seq)
      )`);
    await q.query(`
      CREATE TABLE ticket_attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        uploaded_by uuid NOT NULL REFERENCES person(id),
        ticket_id uuid REFERENCES ticket(id),
        event_id bigint REFERENCES ticket_event(id),
        kind varchar(8) NOT NULL CHECK (kind IN ('image','pdf')),
        mime varchar(32) NOT NULL,
        file_name varchar(128) NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        storage_key varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_ticket_attachment_link CHECK ((ticket_id IS NULL) = (event_id IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_ticket_attachment_event ON ticket_attachment (event_id) WHERE event_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_ticket_attachment_orphan ON ticket_attachment (created_at) WHERE ticket_id IS NULL`);

    // --- 督办单, 回访 tasks, coordination meetings ---
    await q.query(`
      CREATE TABLE supervision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        no varchar(16) NOT NULL,
        department_id uuid NOT NULL REFERENCES department(id),
        kind varchar(16) NOT NULL CHECK (kind IN ('overdue_accept','overdue_reply','manual')),
        missed_due_at timestamptz,
        note varchar(500),
        status varchar(12) NOT NULL DEFAULT 'issued' CHECK (status IN ('issued','acknowledged','done')),
        issued_by uuid REFERENCES person(id),
        issued_at timestamptz NOT NULL,
        acknowledged_by uuid REFERENCES person(id),
        acknowledged_at timestamptz,
        done_by uuid REFERENCES person(id),
        done_at timestamptz,
        response varchar(1000),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT uq_supervision_no UNIQUE (district_id, no),
        CONSTRAINT ck_supervision_auto CHECK ((kind = 'manual') = (missed_due_at IS NULL))
      )`);
    // The automatic 督办 of one missed deadline exists at most once, whichever instance's job issues it.
    await q.query(`CREATE UNIQUE INDEX uq_supervision_overdue ON supervision (ticket_id, kind, missed_due_at) WHERE kind <> 'manual'`);
    await q.query(`CREATE INDEX ix_supervision_department ON supervision (department_id, status, issued_at DESC)`);
    await q.query(`CREATE INDEX ix_supervision_district ON supervision (district_id, issued_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE return_visit_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        kind varchar(12) NOT NULL CHECK (kind IN ('confirmation','withdrawal')),
        status varchar(12) NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
        created_at timestamptz NOT NULL,
        done_by uuid REFERENCES person(id),
        done_at timestamptz,
        verdict varchar(24) CHECK (verdict IN ('satisfied','basically_satisfied','dissatisfied')),
        withdrawal_voluntary boolean,
        method varchar(8) CHECK (method IN ('phone','onsite','wechat')),
        note varchar(1000)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_return_visit_open ON return_visit_task (ticket_id, kind) WHERE status = 'open'`);
    await q.query(`CREATE INDEX ix_return_visit_district ON return_visit_task (district_id, status, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE coordination_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        event_id bigint NOT NULL REFERENCES ticket_event(id),
        held_on date NOT NULL,
        location varchar(128),
        attendees jsonb NOT NULL CHECK (jsonb_typeof(attendees) = 'array'),
        decisions text NOT NULL,
        actions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(actions) = 'array'),
        recorded_by uuid NOT NULL REFERENCES person(id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_coordination_meeting_ticket ON coordination_meeting (ticket_id)`);
    // The national calendar is data, not schema: connectDatabase seeds it from the chinese-days package after
    // migrating, so this migration's result does not change with a package version.
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['coordination_meeting', 'return_visit_task', 'supervision', 'ticket_attachment', 'ticket_event', 'ticket',
      'routing_rule', 'ticket_category', 'doc_counter', 'calendar_day', 'calendar_year'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
