import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('submitted','pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`;
const ESCALATED_STATES = `('pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`;
/** The department of a district-wide counter row. */
const DISTRICT_WIDE = '00000000-0000-0000-0000-000000000000';

/**
 * ADR 0020: the work-queue counts of `GET /tickets/counts` from counter rows instead of counting the queues
 * (docs/benchmarks.md, issue 9: 195 ms at 1,000,000 tickets after VACUUM, linear in each queue).
 *
 * `ticket_queue_count` holds signed deltas per (district, department, queue, due day); a queue's size is the sum
 * of its rows. Triggers append a delta row in the transaction of every change of a ticket, 督办单 or 回访 task
 * that moves it into or out of a queue — append only, so concurrent filings and actions never wait on a shared
 * counter row (the per-district hot row ADR 0018 took out of filing). A job folds each key's rows into one
 * (`compactQueueCounts`). Department rows carry the department (the lead for 待签收; lead and assisting for in
 * progress and overdue, the list's visibility rule); district-wide rows carry DISTINCT ('0000…').
 *
 * Overdue depends on the clock (a ticket becomes overdue without a write): queue `clock` counts the tickets on a
 * department's clock by the UTC day of their running deadline (the key of `ix_ticket_overdue`). Overdue at an
 * instant = the rows of the days before that instant's day + an index range scan of today's deadlines up to now.
 */
export class QueueCounters1764630000000 implements MigrationInterface {
  name = 'QueueCounters1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_queue_count (
        district_id uuid NOT NULL,
        department_id uuid NOT NULL,
        queue varchar(24) NOT NULL,
        due_day date NOT NULL DEFAULT '-infinity',
        n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_ticket_queue_count ON ticket_queue_count (district_id, department_id, queue, due_day) INCLUDE (n)`);
    // The queues a ticket is in, as counter keys. Mirrors the conditions of ticketCounts (queue-counts.ts).
    await q.query(`
      CREATE FUNCTION ticket_queue_keys(st varchar, lead uuid, assisting uuid[], ret_count integer, ext_pending boolean, level smallint,
                                        accept_due timestamptz, reply_due timestamptz)
      RETURNS TABLE (department_id uuid, queue varchar, due_day date) LANGUAGE sql IMMUTABLE AS $$
        WITH k AS (SELECT (CASE WHEN st = 'assigned' THEN LEAST(accept_due, reply_due)
                                WHEN st IN ('accepted','in_progress') THEN reply_due END AT TIME ZONE 'UTC')::date AS day),
             deps AS (SELECT DISTINCT d FROM unnest(array_append(assisting, lead)) d WHERE d IS NOT NULL)
        SELECT '${DISTRICT_WIDE}'::uuid, v.q::varchar, '-infinity'::date FROM (VALUES
            ('pending_dispatch', st IN ('submitted','pending_dispatch') AND ret_count = 0),
            ('returned', st = 'pending_dispatch' AND ret_count > 0),
            ('extension_pending', ext_pending AND st IN ${OPEN}),
            ('escalated', level >= 2 AND st IN ${ESCALATED_STATES}),
            ('awaiting_close', st = 'confirmed')) v(q, member)
         WHERE v.member
        UNION ALL SELECT '${DISTRICT_WIDE}'::uuid, 'clock', k.day FROM k WHERE k.day IS NOT NULL
        UNION ALL SELECT lead, 'to_accept', '-infinity'::date WHERE st = 'assigned' AND lead IS NOT NULL
        UNION ALL SELECT deps.d, 'in_progress', '-infinity'::date FROM deps WHERE st IN ('accepted','in_progress','awaiting_info')
        UNION ALL SELECT deps.d, 'clock', k.day FROM deps, k WHERE k.day IS NOT NULL
      $$`);
    const keysOf = (r: string) =>
      `ticket_queue_keys(${r}.state, ${r}.lead_department_id, ${r}.assisting_department_ids, ${r}.return_count, ${r}.pending_extension IS NOT NULL,
                         ${r}.escalation_level, ${r}.accept_due_at, ${r}.reply_due_at)`;
    const append = (rows: string) =>
      `INSERT INTO ticket_queue_count (district_id, department_id, queue, due_day, n)
       SELECT x.district_id, x.department_id, x.queue, x.due_day, sum(x.n) FROM (${rows}) x GROUP BY 1, 2, 3, 4 HAVING sum(x.n) <> 0`;
    await q.query(`
      CREATE FUNCTION ticket_queue_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${append(`SELECT NEW.district_id AS district_id, k.*, 1 AS n FROM ${keysOf('NEW')} k`)};
        ELSIF TG_OP = 'DELETE' THEN
          ${append(`SELECT OLD.district_id AS district_id, k.*, -1 AS n FROM ${keysOf('OLD')} k`)};
        ELSE
          ${append(`SELECT NEW.district_id AS district_id, k.*, 1 AS n FROM ${keysOf('NEW')} k
                    UNION ALL SELECT OLD.district_id, k.*, -1 FROM ${keysOf('OLD')} k`)};
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tg_ticket_queue_insert AFTER INSERT OR DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_queue_track()`);
    // Updates that leave every key alone (notes, versions, the overdue job's counters) skip the function.
    await q.query(`
      CREATE TRIGGER tg_ticket_queue_update AFTER UPDATE ON ticket FOR EACH ROW
      WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.district_id IS DISTINCT FROM NEW.district_id
         OR OLD.lead_department_id IS DISTINCT FROM NEW.lead_department_id OR OLD.assisting_department_ids IS DISTINCT FROM NEW.assisting_department_ids
         OR OLD.return_count IS DISTINCT FROM NEW.return_count OR (OLD.pending_extension IS NULL) <> (NEW.pending_extension IS NULL)
         OR OLD.escalation_level IS DISTINCT FROM NEW.escalation_level
         OR OLD.accept_due_at IS DISTINCT FROM NEW.accept_due_at OR OLD.reply_due_at IS DISTINCT FROM NEW.reply_due_at)
      EXECUTE FUNCTION ticket_queue_track()`);

    // 督办单 still open, 回访 tasks still open: district-wide queues of their own tables (TG_ARGV: queue, open statuses).
    await q.query(`
      CREATE FUNCTION status_queue_track() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was boolean := false;
        now_open boolean := false;
      BEGIN
        IF TG_OP <> 'INSERT' THEN was := OLD.status = ANY(TG_ARGV[1]::text[]); END IF;
        IF TG_OP <> 'DELETE' THEN now_open := NEW.status = ANY(TG_ARGV[1]::text[]); END IF;
        IF was AND NOT (now_open AND NEW.district_id = OLD.district_id) THEN
          INSERT INTO ticket_queue_count (district_id, department_id, queue, n) VALUES (OLD.district_id, '${DISTRICT_WIDE}', TG_ARGV[0], -1);
        END IF;
        IF now_open AND NOT (was AND NEW.district_id = OLD.district_id) THEN
          INSERT INTO ticket_queue_count (district_id, department_id, queue, n) VALUES (NEW.district_id, '${DISTRICT_WIDE}', TG_ARGV[0], 1);
        END IF;
        RETURN NULL;
      END $$`);
    for (const [table, queue, open] of [['supervision', 'supervisions_open', '{issued,acknowledged}'], ['return_visit_task', 'return_visits_open', '{open}']]) {
      await q.query(`CREATE TRIGGER tg_${table}_queue AFTER INSERT OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION status_queue_track('${queue}', '${open}')`);
      await q.query(`CREATE TRIGGER tg_${table}_queue_update AFTER UPDATE ON ${table} FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.district_id IS DISTINCT FROM NEW.district_id)
        EXECUTE FUNCTION status_queue_track('${queue}', '${open}')`);
    }

    // Recomputes the counter rows of one district (every district when null) from the tables: after a bulk load
    // with triggers off (the bench's generator), or to repair. Writers of the three tables wait while it runs.
    await q.query(`
      CREATE FUNCTION ticket_queue_rebuild(d uuid) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE ticket, supervision, return_visit_task IN SHARE MODE;
        DELETE FROM ticket_queue_count c WHERE d IS NULL OR c.district_id = d;
        INSERT INTO ticket_queue_count (district_id, department_id, queue, due_day, n)
        SELECT t.district_id, k.department_id, k.queue, k.due_day, count(*) FROM ticket t, ${keysOf('t')} k
         WHERE d IS NULL OR t.district_id = d GROUP BY 1, 2, 3, 4;
        INSERT INTO ticket_queue_count (district_id, department_id, queue, n)
        SELECT s.district_id, '${DISTRICT_WIDE}', 'supervisions_open', count(*) FROM supervision s
         WHERE s.status IN ('issued','acknowledged') AND (d IS NULL OR s.district_id = d) GROUP BY 1;
        INSERT INTO ticket_queue_count (district_id, department_id, queue, n)
        SELECT v.district_id, '${DISTRICT_WIDE}', 'return_visits_open', count(*) FROM return_visit_task v
         WHERE v.status = 'open' AND (d IS NULL OR v.district_id = d) GROUP BY 1;
      END $$`);
    await q.query(`SELECT ticket_queue_rebuild(NULL)`);
    // The list filtered to escalated tickets (escalationLevelMin ≥ 2), newest first: walking every ticket of the
    // district for the few escalated ones read 38,000 rows per page at 1,000,000 tickets (docs/benchmarks.md).
    await q.query(`CREATE INDEX ix_ticket_escalated_created ON ticket (district_id, created_at DESC, id DESC) WHERE escalation_level >= 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_ticket_escalated_created`);
    for (const t of ['supervision', 'return_visit_task']) {
      await q.query(`DROP TRIGGER IF EXISTS tg_${t}_queue ON ${t}`);
      await q.query(`DROP TRIGGER IF EXISTS tg_${t}_queue_update ON ${t}`);
    }
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_queue_insert ON ticket`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_queue_update ON ticket`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_queue_rebuild(uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS status_queue_track()`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_queue_track()`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_queue_keys(varchar, uuid, uuid[], integer, boolean, smallint, timestamptz, timestamptz)`);
    await q.query(`DROP TABLE IF EXISTS ticket_queue_count`);
  }
}
