import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 受理: neither withdrawn nor merged (receivedSql in server/src/modules/indicators/indicator-sql.ts). */
const RECEIVED = (t: string) => `${t}.state NOT IN ('withdrawn','merged')`;
/** The ticket changed the enterprise, district or filing instant it counts for. */
const MOVED = `(OLD.enterprise_id <> NEW.enterprise_id OR OLD.district_id <> NEW.district_id OR OLD.created_at <> NEW.created_at)`;
const LOCAL = (t: string) => `(${t}.created_at AT TIME ZONE 'Asia/Shanghai')`;
/** A year's twelve monthly counts from rows of (y, m). */
const MONTHS = Array.from({ length: 12 }, (_, i) => `count(*) FILTER (WHERE m = ${i + 1})`).join(', ');

/**
 * ADR 0007, fourth amendment: the distinct enterprises with 诉求 from the first of January to the end of a month (the
 * monthly report's 累计 figure for a month that has ended) were de-duplicated from the tickets: 369 ms of the report's
 * 320–410 ms at 1,000,000 tickets. `ticket_enterprise_year` keeps, per district, year and enterprise, its received
 * tickets filed in each month (Asia/Shanghai) and the first month with any; "January to month M" is then an
 * index-only count of the enterprises whose first month is at most M.
 *
 * - Kept by a trigger in every ticket write's transaction, one upsert per side of the change adding ±1 to one month;
 *   the first month is a generated column. Rows are never deleted (an enterprise whose every ticket was withdrawn
 *   keeps a row with no first month), so concurrent writers only ever add to a row, and no upsert can lose one that
 *   a delete removed.
 * - The bench generator loads with triggers off: the ticket-stats job rebuilds it with ticket_stat for districts
 *   without a mark, and readers use it only once the district has its mark.
 */
export class TicketEnterpriseYear1765500000000 implements MigrationInterface {
  name = 'TicketEnterpriseYear1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ticket_enterprise_year_first(months int[]) RETURNS smallint LANGUAGE sql IMMUTABLE AS
        $$ SELECT min(i)::smallint FROM generate_subscripts(months, 1) i WHERE months[i] > 0 $$`);
    // first_month is generated from months, so a write only ever adds to one month's count
    await q.query(`
      CREATE TABLE ticket_enterprise_year (
        district_id uuid NOT NULL,
        year smallint NOT NULL,
        enterprise_id uuid NOT NULL,
        months int[] NOT NULL,
        first_month smallint GENERATED ALWAYS AS (ticket_enterprise_year_first(months)) STORED,
        PRIMARY KEY (district_id, year, enterprise_id)
      )`);
    await q.query(`CREATE INDEX ix_ticket_enterprise_year_first ON ticket_enterprise_year (district_id, year, first_month)`);
    await q.query(`
      CREATE FUNCTION ticket_enterprise_year_add(d uuid, e uuid, at timestamptz, delta int) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        at_local timestamp := at AT TIME ZONE 'Asia/Shanghai';
        m int := extract(month FROM at_local);
        one int[] := array_fill(0, ARRAY[12]);
      BEGIN
        one[m] := delta;
        INSERT INTO ticket_enterprise_year AS x (district_id, year, enterprise_id, months)
        VALUES (d, extract(year FROM at_local), e, one)
        ON CONFLICT (district_id, year, enterprise_id) DO UPDATE SET months[m] = x.months[m] + delta;
      END $$`);
    await q.query(`
      CREATE FUNCTION ticket_enterprise_year_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND ${RECEIVED('OLD')} AND (TG_OP = 'DELETE' OR NOT ${RECEIVED('NEW')} OR ${MOVED}) THEN
          PERFORM ticket_enterprise_year_add(OLD.district_id, OLD.enterprise_id, OLD.created_at, -1);
        END IF;
        IF TG_OP <> 'DELETE' AND ${RECEIVED('NEW')} AND (TG_OP = 'INSERT' OR NOT ${RECEIVED('OLD')} OR ${MOVED}) THEN
          PERFORM ticket_enterprise_year_add(NEW.district_id, NEW.enterprise_id, NEW.created_at, 1);
        END IF;
        RETURN NULL;
      END $$`);
    // A district's rows from its tickets: the backfill here, and the job's rebuild of a district loaded with triggers
    // off (its caller holds the district's ticket_stat lock and the table's lock against concurrent writers).
    await q.query(`
      CREATE FUNCTION ticket_enterprise_year_rebuild(d uuid) RETURNS void LANGUAGE sql AS $$
        DELETE FROM ticket_enterprise_year WHERE district_id = d;
        INSERT INTO ticket_enterprise_year (district_id, year, enterprise_id, months)
        SELECT d, y, enterprise_id, ARRAY[${MONTHS}]::int[]
          FROM (SELECT t.enterprise_id, extract(year FROM ${LOCAL('t')})::smallint AS y, extract(month FROM ${LOCAL('t')})::int AS m
                  FROM ticket t WHERE t.district_id = d AND ${RECEIVED('t')}) t
         GROUP BY 2, 3
      $$`);
    await q.query(`SELECT ticket_enterprise_year_rebuild(id) FROM district`);
    await q.query(`
      CREATE TRIGGER tg_ticket_enterprise_year_insert AFTER INSERT OR DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_enterprise_year_track()`);
    await q.query(`
      CREATE TRIGGER tg_ticket_enterprise_year_update AFTER UPDATE ON ticket FOR EACH ROW
      WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id
            OR OLD.district_id IS DISTINCT FROM NEW.district_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
      EXECUTE FUNCTION ticket_enterprise_year_track()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_enterprise_year_update ON ticket`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_enterprise_year_insert ON ticket`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_enterprise_year_track()`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_enterprise_year_rebuild(uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_enterprise_year_add(uuid, uuid, timestamptz, int)`);
    await q.query(`DROP TABLE IF EXISTS ticket_enterprise_year`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_enterprise_year_first(int[])`);
  }
}
