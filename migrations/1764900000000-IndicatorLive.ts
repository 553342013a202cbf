import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The count columns of indicator_stat, in its order (snake case of IndicatorCounts without overdue). */
const COUNTS = [
  'received', 'solved', 'handled', 'accepted', 'accepted_on_time', 'replied', 'replied_on_time', 'returned', 'reopened', 'extended',
  'withdrawn', 'satisfied', 'basically_satisfied', 'dissatisfied', 'accept_days_sum', 'accept_days_n', 'reply_days_sum', 'reply_days_n',
  'escalated_l2', 'escalated_l3', 'escalated_l4',
];
const KEYS = ['category_id', 'area_id', 'lead_department_id', 'steward_id'];

// One ticket's contribution, as of now (the columns of countColumns in indicator-rollup.ts for one row, with
// 'infinity' as the as-of instant and the calendar function for the working days).
const R = `t.state NOT IN ('withdrawn','merged')`;
const acc = `t.accepted_at IS NOT NULL AND t.state <> 'merged'`;
const rep = `t.replied_at IS NOT NULL AND t.state <> 'merged'`;
const day = (c: string) => `(${c} AT TIME ZONE 'Asia/Shanghai')::date`;
const accDays = `calendar_working_days(t.district_id, ${day('t.assigned_at')}, ${day('t.accepted_at')})`;
const repDays = `calendar_working_days(t.district_id, ${day('t.assigned_at')}, ${day('t.replied_at')})`;
const i = (c: string) => `COALESCE((${c})::int, 0)`; // a FILTER with a null condition counts nothing
const row = (t: string, sign: number) => `
  SELECT t.district_id, date_trunc('month', t.created_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
         t.category_id, t.area_id, t.lead_department_id, CASE WHEN t.submitted_role = 'steward' THEN t.submitted_by END AS steward_id,
         ${[
           i(R), i(`${R} AND t.is_solved AND t.solved_at IS NOT NULL`), i(`${R} AND t.is_handled`),
           i(acc), i(`${acc} AND t.accepted_at <= t.accept_due_at`), i(rep), i(`${rep} AND t.replied_at <= t.reply_due_at`),
           i(`${R} AND t.return_count > 0`), i(`${R} AND t.reopen_count > 0`), i(`${R} AND t.extension_days_granted > 0`),
           i(`t.state = 'withdrawn'`), i(`${R} AND t.verdict = 'satisfied'`), i(`${R} AND t.verdict = 'basically_satisfied'`),
           i(`${R} AND t.verdict = 'dissatisfied'`),
           `CASE WHEN ${acc} THEN COALESCE(${accDays}, 0) ELSE 0 END`, i(`${acc} AND t.assigned_at IS NOT NULL`),
           `CASE WHEN ${rep} THEN COALESCE(${repDays}, 0) ELSE 0 END`, i(`${rep} AND t.assigned_at IS NOT NULL`),
           i(`${R} AND t.escalation_level = 2`), i(`${R} AND t.escalation_level = 3`), i(`${R} AND t.escalation_level = 4`),
         ].map((e, n) => `${sign} * ${e} AS ${COUNTS[n]}`).join(',\n             ')}
    FROM (SELECT ${t}.*) t`;
const append = (rows: string) => `
  INSERT INTO indicator_live (district_id, month, ${KEYS.join(', ')}, ${COUNTS.join(', ')})
  SELECT district_id, month, ${KEYS.join(', ')}, ${COUNTS.map((c) => `sum(${c})`).join(', ')}
    FROM (${rows}) x
   GROUP BY district_id, month, ${KEYS.join(', ')}
  HAVING ${COUNTS.map((c) => `sum(${c}) <> 0`).join(' OR ')}`;

/**
 * The trigger function that appends a ticket write's contribution. `lockShared`: as first created, it took the
 * district's advisory lock shared against the job's rebuild (migration 1765200000000 drops that).
 */
export const ticketIndicatorTrackSql = (lockShared: boolean) => `
      CREATE OR REPLACE FUNCTION ticket_indicator_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${lockShared ? `-- shared: the job's rebuild of the district (exclusive) sees this write whole, before or after it
        PERFORM pg_advisory_xact_lock_shared(hashtext('indicator_live'), hashtext(COALESCE(NEW.district_id, OLD.district_id)::text));` : ''}
        IF TG_OP = 'INSERT' THEN
          ${append(row('NEW', 1))};
        ELSIF TG_OP = 'DELETE' THEN
          ${append(row('OLD', -1))};
        ELSE
          ${append(`${row('NEW', 1)} UNION ALL ${row('OLD', -1)}`)};
        END IF;
        RETURN NULL;
      END $$`;

/**
 * ADR 0011, third amendment: the counts of periods that run up to now ("this month", "this year so far") from signed
 * delta rows kept by a trigger in every ticket write's transaction, as the queue counters of ADR 0020.
 *
 * - indicator_live: per district, creation month (Asia/Shanghai) and the four grouping keys, every count of
 *   `ticketCounts` except overdue as of now (a count of "accepted before now" is "accepted"). A trigger on ticket
 *   appends the new row's contribution minus the old row's; a job folds each key's rows into one.
 * - Working days to 签收 / 答复 need the calendar: `calendar_working_days` counts the working days in (a, b] by the
 *   same rule as the shared calendar (a district's local day, else the national day, else Monday–Friday). A calendar
 *   edit changes past contributions, so it deletes the marks; a district without a mark is counted live until the
 *   job has rebuilt its rows (under an exclusive advisory lock on the district; the trigger takes it shared).
 * - indicator_live_mark: districts whose rows are complete (built by the job, not by this migration: at 1,000,000
 *   tickets the first build takes tens of seconds).
 */
export class IndicatorLive1764900000000 implements MigrationInterface {
  name = 'IndicatorLive1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE indicator_live (
        district_id uuid NOT NULL,
        month date NOT NULL,
        ${KEYS.map((k) => `${k} uuid`).join(',\n        ')},
        ${COUNTS.map((c) => `${c} integer NOT NULL`).join(',\n        ')},
        folded boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX ix_indicator_live ON indicator_live (district_id, month)`);
    // what the compaction job has to fold: the months that received deltas since its last run
    await q.query(`CREATE INDEX ix_indicator_live_unfolded ON indicator_live (district_id, month) WHERE NOT folded`);
    await q.query(`CREATE TABLE indicator_live_mark (district_id uuid PRIMARY KEY REFERENCES district(id), built_at timestamptz NOT NULL)`);

    await q.query(`
      CREATE FUNCTION calendar_is_working(p_district uuid, p_day date) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT COALESCE(
          (SELECT l.kind = 'workday' FROM calendar_local_day l WHERE l.district_id = p_district AND l.day = p_day),
          (SELECT c.kind = 'workday' FROM calendar_day c WHERE c.day = p_day),
          extract(isodow FROM p_day) < 6)
      $$`);
    await q.query(`
      CREATE FUNCTION calendar_working_days(p_district uuid, a date, b date) RETURNS integer LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL
                    WHEN b >= a THEN (SELECT count(*)::int FROM generate_series(a + 1, b, interval '1 day') g(d) WHERE calendar_is_working(p_district, g.d::date))
                    ELSE -(SELECT count(*)::int FROM generate_series(b + 1, a, interval '1 day') g(d) WHERE calendar_is_working(p_district, g.d::date)) END
      $$`);

    await q.query(ticketIndicatorTrackSql(true));
    await q.query(`CREATE TRIGGER tg_ticket_indicator_insert AFTER INSERT OR DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_indicator_track()`);
    // Updates that change no counted column (notes, versions, reminders, the overdue job's marks) skip the function.
    const watched = ['district_id', 'created_at', 'state', 'category_id', 'area_id', 'lead_department_id', 'submitted_by', 'submitted_role',
      'is_solved', 'solved_at', 'is_handled', 'assigned_at', 'accepted_at', 'accept_due_at', 'replied_at', 'reply_due_at', 'return_count',
      'reopen_count', 'extension_days_granted', 'verdict', 'escalation_level'];
    await q.query(`
      CREATE TRIGGER tg_ticket_indicator_update AFTER UPDATE ON ticket FOR EACH ROW
      WHEN (${watched.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
      EXECUTE FUNCTION ticket_indicator_track()`);

    // A calendar edit changes the working days of past tickets: the districts it concerns are counted live until rebuilt.
    await q.query(`
      CREATE FUNCTION indicator_live_unmark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'calendar_local_day' THEN
          DELETE FROM indicator_live_mark m WHERE m.district_id IN (SELECT district_id FROM changed);
        ELSE
          DELETE FROM indicator_live_mark;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['calendar_day', 'calendar_local_day']) {
      for (const [op, rel] of [['INSERT', 'NEW TABLE AS changed'], ['UPDATE', 'NEW TABLE AS changed'], ['DELETE', 'OLD TABLE AS changed']] as const) {
        await q.query(`CREATE TRIGGER tg_${table}_indicator_${op.toLowerCase()} AFTER ${op} ON ${table} REFERENCING ${rel}
          FOR EACH STATEMENT EXECUTE FUNCTION indicator_live_unmark()`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['calendar_day', 'calendar_local_day']) {
      for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER IF EXISTS tg_${table}_indicator_${op} ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS indicator_live_unmark()`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_indicator_update ON ticket`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_indicator_insert ON ticket`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_indicator_track()`);
    await q.query(`DROP FUNCTION IF EXISTS calendar_working_days(uuid, date, date)`);
    await q.query(`DROP FUNCTION IF EXISTS calendar_is_working(uuid, date)`);
    await q.query(`DROP TABLE IF EXISTS indicator_live_mark`);
    await q.query(`DROP TABLE IF EXISTS indicator_live`);
  }
}
