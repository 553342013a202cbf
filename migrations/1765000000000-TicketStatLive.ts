import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEYS = ['district_id', 'month', 'category_id', 'state', 'is_handled', 'is_solved', 'solved_month', 'escalated', 'verdict'];
const COLUMNS = [...KEYS, 'n', 'rating_sum', 'rating_n'];

/** One ticket's row of ticket_stat (`t`: NEW or OLD), signed, in COLUMNS' order. */
const statRow = (t: string, sign: number) => [
  `${t}.district_id`, `date_trunc('month', ${t}.created_at AT TIME ZONE 'Asia/Shanghai')::date`, `${t}.category_id`, `${t}.state`,
  `${t}.is_handled`, `${t}.is_solved`, `date_trunc('month', ${t}.solved_at AT TIME ZONE 'Asia/Shanghai')::date`,
  `${t}.escalation_level >= 2`, `${t}.verdict`, `${sign}`, `${sign} * COALESCE(${t}.rating, 0)`, `${sign} * (${t}.rating IS NOT NULL)::int`,
].join(', ');

/** 受理: neither withdrawn nor merged (receivedSql in server/src/modules/indicators/indicator-sql.ts). */
const RECEIVED = (t: string) => `${t}.state NOT IN ('withdrawn','merged')`;
/** The ticket changed the enterprise, district or filing instant it counts for. */
const MOVED = `(OLD.enterprise_id <> NEW.enterprise_id OR OLD.district_id <> NEW.district_id OR OLD.created_at <> NEW.created_at)`;

/**
 * ADR 0007, amended: `ticket_stat` (the rollup of /ticket-stats and the monthly report) is kept by a trigger in every
 * ticket write's transaction, as signed delta rows (the pattern of ADR 0020 and indicator_live), instead of being
 * rebuilt by the 5-minute job for every month a ticket changed in. Before, a month with any ticket touched in the last
 * quarter of an hour was counted live, and in a busy district that is every recent month: "this year so far" took
 * 0.7–1.4 s at 1,000,000 tickets.
 *
 * - A write appends its new row (+1) and its old one (−1); `folded` marks the rows the job has summed, and the job
 *   folds the rest.
 * - The rollup is rebuilt here, in the transaction that creates the trigger, so it is exact from the first write on.
 *   Data loaded with triggers off (the bench generator) is rebuilt by the job for districts without a mark.
 * - The distinct enterprises with 诉求 in a period cannot be summed from months. For periods that run to now they are
 *   the enterprises whose latest received ticket was filed since the period's start: `ticket_enterprise_last` keeps
 *   that instant per enterprise (a trigger again), so "this year so far" counts index entries instead of
 *   de-duplicating half a million tickets.
 */
export class TicketStatLive1765000000000 implements MigrationInterface {
  name = 'TicketStatLive1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_stat ADD COLUMN folded boolean NOT NULL DEFAULT true`);
    await q.query(`CREATE INDEX ix_ticket_stat_unfolded ON ticket_stat (district_id, month) WHERE NOT folded`);
    await q.query(`DELETE FROM ticket_stat`);
    await q.query(`
      INSERT INTO ticket_stat (${COLUMNS.join(', ')})
      SELECT t.district_id, date_trunc('month', t.created_at AT TIME ZONE 'Asia/Shanghai')::date, t.category_id, t.state, t.is_handled,
             t.is_solved, date_trunc('month', t.solved_at AT TIME ZONE 'Asia/Shanghai')::date, t.escalation_level >= 2, t.verdict,
             count(*), COALESCE(sum(t.rating), 0), count(t.rating)
        FROM ticket t GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    await q.query(`
      CREATE FUNCTION ticket_stat_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO ticket_stat (${COLUMNS.join(', ')}, folded) VALUES (${statRow('NEW', 1)}, false);
        END IF;
        IF TG_OP <> 'INSERT' THEN
          INSERT INTO ticket_stat (${COLUMNS.join(', ')}, folded) VALUES (${statRow('OLD', -1)}, false);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tg_ticket_stat_insert AFTER INSERT OR DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_stat_track()`);
    // Updates that change no column of the row (most of a ticket's steps) skip the function.
    const watched = ['district_id', 'created_at', 'category_id', 'state', 'is_handled', 'is_solved', 'solved_at', 'escalation_level', 'verdict', 'rating'];
    await q.query(`
      CREATE TRIGGER tg_ticket_stat_update AFTER UPDATE ON ticket FOR EACH ROW
      WHEN (${watched.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
      EXECUTE FUNCTION ticket_stat_track()`);

    await q.query(`
      CREATE TABLE ticket_enterprise_last (
        district_id uuid NOT NULL,
        enterprise_id uuid NOT NULL,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (district_id, enterprise_id)
      )`);
    await q.query(`CREATE INDEX ix_ticket_enterprise_last ON ticket_enterprise_last (district_id, last_at)`);
    await q.query(`
      INSERT INTO ticket_enterprise_last (district_id, enterprise_id, last_at)
      SELECT district_id, enterprise_id, max(created_at) FROM ticket WHERE ${RECEIVED('ticket')} GROUP BY 1, 2`);
    await q.query(`
      CREATE FUNCTION ticket_enterprise_track() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE latest timestamptz;
      BEGIN
        -- A received ticket that is new, or newly received, or moved: its enterprise's latest is at least its filing.
        IF TG_OP <> 'DELETE' AND ${RECEIVED('NEW')} AND (TG_OP = 'INSERT' OR NOT ${RECEIVED('OLD')} OR ${MOVED}) THEN
          INSERT INTO ticket_enterprise_last (district_id, enterprise_id, last_at) VALUES (NEW.district_id, NEW.enterprise_id, NEW.created_at)
          ON CONFLICT (district_id, enterprise_id) DO UPDATE SET last_at = GREATEST(ticket_enterprise_last.last_at, EXCLUDED.last_at);
        END IF;
        -- A received ticket that no longer counts there: the latest may be an earlier ticket, or none. The row is locked
        -- first, so the next statement's snapshot sees every filing that committed while this waited for it.
        IF TG_OP <> 'INSERT' AND ${RECEIVED('OLD')} AND (TG_OP = 'DELETE' OR NOT ${RECEIVED('NEW')} OR ${MOVED}) THEN
          PERFORM 1 FROM ticket_enterprise_last WHERE district_id = OLD.district_id AND enterprise_id = OLD.enterprise_id FOR UPDATE;
          SELECT max(created_at) INTO latest FROM ticket
           WHERE enterprise_id = OLD.enterprise_id AND district_id = OLD.district_id AND ${RECEIVED('ticket')};
          IF latest IS NULL THEN
            DELETE FROM ticket_enterprise_last WHERE district_id = OLD.district_id AND enterprise_id = OLD.enterprise_id;
          ELSE
            UPDATE ticket_enterprise_last SET last_at = latest WHERE district_id = OLD.district_id AND enterprise_id = OLD.enterprise_id;
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tg_ticket_enterprise_insert AFTER INSERT OR DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION ticket_enterprise_track()`);
    await q.query(`
      CREATE TRIGGER tg_ticket_enterprise_update AFTER UPDATE ON ticket FOR EACH ROW
      WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id
            OR OLD.district_id IS DISTINCT FROM NEW.district_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
      EXECUTE FUNCTION ticket_enterprise_track()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_enterprise_update ON ticket`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_enterprise_insert ON ticket`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_enterprise_track()`);
    await q.query(`DROP TABLE IF EXISTS ticket_enterprise_last`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_stat_update ON ticket`);
    await q.query(`DROP TRIGGER IF EXISTS tg_ticket_stat_insert ON ticket`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_stat_track()`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_stat_unfolded`);
    // The job's rebuild, as before this migration, for months changed since the mark.
    await q.query(`DELETE FROM ticket_stat_mark`);
    await q.query(`ALTER TABLE ticket_stat DROP COLUMN IF EXISTS folded`);
  }
}
