import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A counted contact (CONTACT_STATUSES in shared visit/cadence.ts). */
const COUNTED = `('checked_in','completed')`;
/** The length of a rule period (week, month, quarter) as an interval. */
const STEP = (period: string) => `CASE ${period} WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month' ELSE interval '3 months' END`;

/**
 * ADR 0019: `/cadence/overdue` and the stewards behind their cadence from maintained counts instead of evaluating
 * every assignment of the district on each call (docs/benchmarks.md, "Issue 9, session 6").
 *
 * A district is maintained once the cadence job has built it (`cadence_meta`: the key-enterprise criteria its
 * classes were computed with, and the horizon: the rows answer exactly for rule periods starting on or after it).
 * Until then, and whenever the district's key criteria differ from the meta's or a period starts before the
 * horizon, the readers count live as before.
 *
 * - `cadence_span` (append-only signed deltas, folded by the job): per steward, area and class, how many pairs
 *   (steward, enterprise) are assigned in a period. Each pair's assignments are merged into disjoint islands; an
 *   island counts +1 for every period it overlaps (`bridge` false: lo <= last AND hi >= first) and the gap between
 *   two islands −1 for every period that contains it (`bridge` true: first <= lo AND last >= hi), so a pair counts
 *   once however many of its assignments overlap the period (inclusion–exclusion over consecutive islands).
 * - `cadence_contact`: per pair, rule period kind (week / month / quarter) and period start, the counted contacts
 *   (any kind, on-site) of the pair's steward, the enterprise's area and class, and whether the pair is assigned
 *   in that period. One row per pair and period: only that steward's visits to that enterprise write it.
 * - `cadence_done` (append-only deltas, folded by the job): per period, steward, area, class and (n_any, n_onsite),
 *   the number of assigned pairs with exactly those counts; the pairs meeting a rule are the rows with n >= the
 *   rule's count, so a rule change needs no rebuild.
 * - `cadence_pair`: one row per pair with an assignment, with the enterprise's name, area and class, and the hull of
 *   its assignments with the number of islands (one island: assigned in a period iff the hull overlaps it), for the page's
 *   pending lists (walked by name per steward instead of sorting the steward's pairs).
 * - Triggers keep them in the writer's transaction: visits (counted status, time, kind, steward, enterprise),
 *   assignments (statement-level, transition tables: a statement touching several assignments of a pair is seen
 *   whole), enterprises (area, tags, scale, name). Writers take the district's advisory lock shared; a rebuild takes
 *   it exclusively.
 */
export class CadenceCounts1764800000000 implements MigrationInterface {
  name = 'CadenceCounts1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_assignment_pair ON assignment (steward_id, enterprise_id, starts_on)`);
    await q.query(`
      CREATE TABLE cadence_meta (
        district_id uuid PRIMARY KEY REFERENCES district(id),
        key_tags text[] NOT NULL,
        key_above boolean NOT NULL,
        horizon date NOT NULL,
        built_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE cadence_span (
        district_id uuid NOT NULL,
        steward_id uuid NOT NULL,
        area_id uuid NOT NULL,
        is_key boolean NOT NULL,
        bridge boolean NOT NULL,
        lo date NOT NULL,
        hi date NOT NULL,
        n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_cadence_span ON cadence_span (district_id, steward_id, area_id, is_key, bridge, lo, hi) INCLUDE (n)`);
    await q.query(`
      CREATE TABLE cadence_contact (
        district_id uuid NOT NULL,
        steward_id uuid NOT NULL,
        enterprise_id uuid NOT NULL,
        period varchar(8) NOT NULL CHECK (period IN ('week','month','quarter')),
        first_day date NOT NULL,
        last_day date NOT NULL,
        n_any integer NOT NULL,
        n_onsite integer NOT NULL,
        area_id uuid NOT NULL,
        is_key boolean NOT NULL,
        assigned boolean NOT NULL,
        PRIMARY KEY (steward_id, enterprise_id, period, first_day)
      )`);
    await q.query(`CREATE INDEX ix_cadence_contact_enterprise ON cadence_contact (enterprise_id)`);
    await q.query(`CREATE INDEX ix_cadence_contact_period ON cadence_contact (district_id, first_day)`);
    await q.query(`
      CREATE TABLE cadence_done (
        district_id uuid NOT NULL,
        period varchar(8) NOT NULL,
        first_day date NOT NULL,
        steward_id uuid NOT NULL,
        area_id uuid NOT NULL,
        is_key boolean NOT NULL,
        n_any integer NOT NULL,
        n_onsite integer NOT NULL,
        n integer NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_cadence_done ON cadence_done (district_id, period, first_day, steward_id, area_id, is_key, n_any, n_onsite) INCLUDE (n)`);
    await q.query(`
      CREATE TABLE cadence_pair (
        district_id uuid NOT NULL,
        steward_id uuid NOT NULL,
        enterprise_id uuid NOT NULL,
        enterprise_name varchar(128) NOT NULL,
        area_id uuid NOT NULL,
        is_key boolean NOT NULL,
        hull_lo date NOT NULL DEFAULT '-infinity',
        hull_hi date NOT NULL DEFAULT 'infinity',
        islands integer NOT NULL DEFAULT 0,
        PRIMARY KEY (steward_id, enterprise_id)
      )`);
    await q.query(`CREATE INDEX ix_cadence_pair_walk ON cadence_pair (steward_id, enterprise_name, enterprise_id)`);
    await q.query(`CREATE INDEX ix_cadence_pair_enterprise ON cadence_pair (enterprise_id)`);

    // The class rule of enterpriseClass (shared visit/cadence.ts) with the criteria the district was built with.
    await q.query(`
      CREATE FUNCTION cadence_is_key(tags text[], scale varchar, key_tags text[], key_above boolean) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$ SELECT (key_above AND scale = 'above') OR COALESCE(tags && key_tags, false) $$`);
    // A pair's assignments (start, end or NULL when open) as islands (bridge false) and the gaps between consecutive
    // islands (bridge true, lo = the end of one island, hi = the start of the next). Touching assignments merge.
    await q.query(`
      CREATE FUNCTION cadence_spans(starts date[], ends date[]) RETURNS TABLE (bridge boolean, lo date, hi date, n integer)
      LANGUAGE sql IMMUTABLE AS $$
        WITH a AS (SELECT s, COALESCE(e, 'infinity'::date) AS e FROM unnest(starts, ends) x(s, e)),
             b AS (SELECT s, e, CASE WHEN s <= max(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1 THEN 0 ELSE 1 END AS brk FROM a),
             g AS (SELECT s, e, sum(brk) OVER (ORDER BY s, e) AS grp FROM b),
             isl AS (SELECT min(s) AS lo, max(e) AS hi FROM g GROUP BY grp)
        SELECT false, lo, hi, 1 FROM isl
        UNION ALL
        SELECT true, hi, nxt, -1 FROM (SELECT hi, lead(lo) OVER (ORDER BY lo) AS nxt FROM isl) x WHERE nxt IS NOT NULL
      $$`);
    // The district's meta row after waiting for a rebuild of it; NULL when the district is not maintained (yet).
    await q.query(`
      CREATE FUNCTION cadence_meta_of(d uuid) RETURNS cadence_meta LANGUAGE plpgsql AS $$
      DECLARE m cadence_meta;
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(hashtext('cadence'), hashtext(d::text));
        SELECT * INTO m FROM cadence_meta WHERE district_id = d;
        RETURN m;
      END $$`);

    // ---- visits: the pair's counted contacts per period (week, month, quarter) starting on or after the horizon
    await q.query(`
      CREATE FUNCTION cadence_count_visit(d uuid, s uuid, e uuid, at timestamptz, kind varchar, sign integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        m cadence_meta := cadence_meta_of(d);
        day date := (at AT TIME ZONE 'Asia/Shanghai')::date;
        ent enterprise;
      BEGIN
        IF m.district_id IS NULL THEN RETURN; END IF;
        SELECT * INTO ent FROM enterprise WHERE id = e;
        INSERT INTO cadence_contact AS c (district_id, steward_id, enterprise_id, period, first_day, last_day, n_any, n_onsite, area_id, is_key, assigned)
        SELECT d, s, e, p.period, p.first_day, p.last_day, sign, CASE WHEN kind = 'onsite' THEN sign ELSE 0 END, ent.area_id,
               cadence_is_key(ent.tags, ent.scale, m.key_tags, m.key_above),
               EXISTS (SELECT 1 FROM assignment a WHERE a.steward_id = s AND a.enterprise_id = e AND a.district_id = d
                          AND a.starts_on <= p.last_day AND (a.ends_on IS NULL OR a.ends_on >= p.first_day))
          FROM (SELECT x.period, x.f AS first_day, (x.f + ${STEP('x.period')})::date - 1 AS last_day
                  FROM (SELECT k AS period, date_trunc(k, day::timestamp)::date AS f FROM unnest(ARRAY['week','month','quarter']) k) x) p
         WHERE p.first_day >= m.horizon
        ON CONFLICT (steward_id, enterprise_id, period, first_day)
        DO UPDATE SET n_any = c.n_any + EXCLUDED.n_any, n_onsite = c.n_onsite + EXCLUDED.n_onsite;
        IF sign < 0 THEN
          DELETE FROM cadence_contact c WHERE c.steward_id = s AND c.enterprise_id = e AND c.first_day >= m.horizon AND c.n_any = 0 AND c.n_onsite = 0;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION cadence_track_visit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status IN ${COUNTED} THEN
          PERFORM cadence_count_visit(OLD.district_id, OLD.steward_id, OLD.enterprise_id, OLD.occurred_at, OLD.kind, -1);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status IN ${COUNTED} THEN
          PERFORM cadence_count_visit(NEW.district_id, NEW.steward_id, NEW.enterprise_id, NEW.occurred_at, NEW.kind, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tr_visit_cadence AFTER INSERT OR DELETE ON visit FOR EACH ROW EXECUTE FUNCTION cadence_track_visit()`);
    await q.query(`
      CREATE TRIGGER tr_visit_cadence_update AFTER UPDATE ON visit FOR EACH ROW
      WHEN ((OLD.status IN ${COUNTED} OR NEW.status IN ${COUNTED}) AND (
            OLD.status IS DISTINCT FROM NEW.status OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at OR OLD.kind IS DISTINCT FROM NEW.kind
            OR OLD.steward_id IS DISTINCT FROM NEW.steward_id OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id
            OR OLD.district_id IS DISTINCT FROM NEW.district_id))
      EXECUTE FUNCTION cadence_track_visit()`);

    // ---- cadence_contact → cadence_done: assigned pairs by their counts (statement-level: bulk writes in one insert)
    const doneDelta = (rows: string) => `
      INSERT INTO cadence_done (district_id, period, first_day, steward_id, area_id, is_key, n_any, n_onsite, n)
      SELECT district_id, period, first_day, steward_id, area_id, is_key, n_any, n_onsite, sum(n) FROM (${rows}) x
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0`;
    const pick = (t: string, n: number) =>
      `SELECT district_id, period, first_day, steward_id, area_id, is_key, n_any, n_onsite, ${n} AS n FROM ${t} WHERE assigned AND n_any > 0`;
    await q.query(`CREATE FUNCTION cadence_done_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${doneDelta(pick('nt', 1))}; RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION cadence_done_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${doneDelta(pick('ot', -1))}; RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION cadence_done_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${doneDelta(`${pick('nt', 1)} UNION ALL ${pick('ot', -1)}`)}; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER tr_cadence_done_insert AFTER INSERT ON cadence_contact REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION cadence_done_insert()`);
    await q.query(`CREATE TRIGGER tr_cadence_done_update AFTER UPDATE ON cadence_contact REFERENCING OLD TABLE AS ot NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION cadence_done_update()`);
    await q.query(`CREATE TRIGGER tr_cadence_done_delete AFTER DELETE ON cadence_contact REFERENCING OLD TABLE AS ot FOR EACH STATEMENT EXECUTE FUNCTION cadence_done_delete()`);

    // ---- assignments: the touched pairs' islands before and after the statement, their pair row, their contacts' flag
    await q.query(`
      CREATE FUNCTION cadence_assignments_moved(olds assignment[], news assignment[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE d uuid;
      BEGIN
        FOR d IN SELECT DISTINCT x.district_id FROM (SELECT district_id FROM unnest(olds) UNION ALL SELECT district_id FROM unnest(news)) x LOOP
          IF (cadence_meta_of(d)).district_id IS NULL THEN CONTINUE; END IF;
          CREATE TEMP TABLE IF NOT EXISTS cadence_touched (steward_id uuid, enterprise_id uuid) ON COMMIT DROP;
          TRUNCATE cadence_touched;
          INSERT INTO cadence_touched SELECT DISTINCT x.steward_id, x.enterprise_id
            FROM (SELECT steward_id, enterprise_id, district_id FROM unnest(olds) UNION ALL SELECT steward_id, enterprise_id, district_id FROM unnest(news)) x
           WHERE x.district_id = d;
          INSERT INTO cadence_span (district_id, steward_id, area_id, is_key, bridge, lo, hi, n)
          WITH cur AS (SELECT a.id, a.steward_id, a.enterprise_id, a.starts_on, a.ends_on FROM assignment a JOIN cadence_touched p USING (steward_id, enterprise_id)
                        WHERE a.district_id = d),
               was AS (SELECT * FROM cur WHERE id NOT IN (SELECT id FROM unnest(news))
                       UNION ALL
                       SELECT o.id, o.steward_id, o.enterprise_id, o.starts_on, o.ends_on FROM unnest(olds) o WHERE o.district_id = d),
               st AS (SELECT 1 AS sign, * FROM cur UNION ALL SELECT -1, * FROM was),
               agg AS (SELECT sign, steward_id, enterprise_id, array_agg(starts_on) AS s, array_agg(ends_on) AS e FROM st GROUP BY 1, 2, 3)
          SELECT d, agg.steward_id, en.area_id, cadence_is_key(en.tags, en.scale, m.key_tags, m.key_above), k.bridge, k.lo, k.hi, sum(agg.sign * k.n)
            FROM agg JOIN enterprise en ON en.id = agg.enterprise_id JOIN cadence_meta m ON m.district_id = d, cadence_spans(agg.s, agg.e) k
           GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(agg.sign * k.n) <> 0;
          DELETE FROM cadence_pair cp USING cadence_touched p
           WHERE cp.steward_id = p.steward_id AND cp.enterprise_id = p.enterprise_id
             AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.steward_id = p.steward_id AND a.enterprise_id = p.enterprise_id AND a.district_id = d);
          INSERT INTO cadence_pair (district_id, steward_id, enterprise_id, enterprise_name, area_id, is_key)
          SELECT d, p.steward_id, p.enterprise_id, en.name, en.area_id, cadence_is_key(en.tags, en.scale, m.key_tags, m.key_above)
            FROM cadence_touched p JOIN enterprise en ON en.id = p.enterprise_id JOIN cadence_meta m ON m.district_id = d
           WHERE EXISTS (SELECT 1 FROM assignment a WHERE a.steward_id = p.steward_id AND a.enterprise_id = p.enterprise_id AND a.district_id = d)
          ON CONFLICT (steward_id, enterprise_id) DO NOTHING;
          UPDATE cadence_pair cp SET hull_lo = h.lo, hull_hi = h.hi, islands = h.islands
            FROM (SELECT a.steward_id, a.enterprise_id, min(a.starts_on) AS lo, max(COALESCE(a.ends_on, 'infinity'::date)) AS hi,
                         (SELECT count(*) FROM cadence_spans(array_agg(a.starts_on), array_agg(a.ends_on)) k WHERE NOT k.bridge)::int AS islands
                    FROM assignment a JOIN cadence_touched p USING (steward_id, enterprise_id) WHERE a.district_id = d GROUP BY 1, 2) h
           WHERE cp.steward_id = h.steward_id AND cp.enterprise_id = h.enterprise_id;
          UPDATE cadence_contact c SET assigned = x.now_assigned
            FROM (SELECT c2.steward_id, c2.enterprise_id, c2.period, c2.first_day,
                         EXISTS (SELECT 1 FROM assignment a WHERE a.steward_id = c2.steward_id AND a.enterprise_id = c2.enterprise_id AND a.district_id = d
                                    AND a.starts_on <= c2.last_day AND (a.ends_on IS NULL OR a.ends_on >= c2.first_day)) AS now_assigned, c2.assigned
                    FROM cadence_contact c2 JOIN cadence_touched p USING (steward_id, enterprise_id)) x
           WHERE c.steward_id = x.steward_id AND c.enterprise_id = x.enterprise_id AND c.period = x.period AND c.first_day = x.first_day
             AND x.assigned <> x.now_assigned;
        END LOOP;
      END $$`);
    await q.query(`CREATE FUNCTION cadence_assignment_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM cadence_assignments_moved(NULL::assignment[], (SELECT array_agg(ROW(nt.*)::assignment) FROM nt)); RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION cadence_assignment_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM cadence_assignments_moved((SELECT array_agg(ROW(ot.*)::assignment) FROM ot), (SELECT array_agg(ROW(nt.*)::assignment) FROM nt)); RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION cadence_assignment_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM cadence_assignments_moved((SELECT array_agg(ROW(ot.*)::assignment) FROM ot), NULL::assignment[]); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER tr_assignment_cadence_insert AFTER INSERT ON assignment REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION cadence_assignment_insert()`);
    await q.query(`CREATE TRIGGER tr_assignment_cadence_update AFTER UPDATE ON assignment REFERENCING OLD TABLE AS ot NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION cadence_assignment_update()`);
    await q.query(`CREATE TRIGGER tr_assignment_cadence_delete AFTER DELETE ON assignment REFERENCING OLD TABLE AS ot FOR EACH STATEMENT EXECUTE FUNCTION cadence_assignment_delete()`);

    // ---- enterprises: area and class move the pairs' islands and contacts; the name re-sorts the pending lists
    await q.query(`
      CREATE FUNCTION cadence_track_enterprise() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        m cadence_meta := cadence_meta_of(NEW.district_id);
        was_key boolean;
        now_key boolean;
      BEGIN
        IF m.district_id IS NULL THEN RETURN NULL; END IF;
        was_key := cadence_is_key(OLD.tags, OLD.scale, m.key_tags, m.key_above);
        now_key := cadence_is_key(NEW.tags, NEW.scale, m.key_tags, m.key_above);
        UPDATE cadence_pair SET enterprise_name = NEW.name, area_id = NEW.area_id, is_key = now_key
         WHERE enterprise_id = NEW.id AND (enterprise_name, area_id, is_key) IS DISTINCT FROM (NEW.name, NEW.area_id, now_key);
        IF OLD.area_id IS NOT DISTINCT FROM NEW.area_id AND was_key = now_key THEN RETURN NULL; END IF;
        INSERT INTO cadence_span (district_id, steward_id, area_id, is_key, bridge, lo, hi, n)
        SELECT NEW.district_id, a.steward_id, v.area_id, v.is_key, k.bridge, k.lo, k.hi, sum(v.sign * k.n)
          FROM (SELECT steward_id, array_agg(starts_on) AS s, array_agg(ends_on) AS e FROM assignment
                 WHERE enterprise_id = NEW.id AND district_id = NEW.district_id GROUP BY steward_id) a,
               cadence_spans(a.s, a.e) k,
               (VALUES (OLD.area_id, was_key, -1), (NEW.area_id, now_key, 1)) v(area_id, is_key, sign)
         GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(v.sign * k.n) <> 0;
        UPDATE cadence_contact SET area_id = NEW.area_id, is_key = now_key WHERE enterprise_id = NEW.id AND district_id = NEW.district_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_enterprise_cadence AFTER UPDATE ON enterprise FOR EACH ROW
      WHEN (OLD.area_id IS DISTINCT FROM NEW.area_id OR OLD.tags IS DISTINCT FROM NEW.tags OR OLD.scale IS DISTINCT FROM NEW.scale
            OR OLD.name IS DISTINCT FROM NEW.name)
      EXECUTE FUNCTION cadence_track_enterprise()`);

    // ---- building a district (the job: districts not built yet or built with other key criteria; the bench after
    // its bulk load). Writers of the district wait on its advisory lock while it runs.
    await q.query(`
      CREATE FUNCTION cadence_rebuild(d uuid, key_tags text[], key_above boolean, horizon date) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('cadence'), hashtext(d::text));
        DELETE FROM cadence_meta WHERE district_id = d;
        DELETE FROM cadence_contact WHERE district_id = d;
        DELETE FROM cadence_done WHERE district_id = d;
        DELETE FROM cadence_span WHERE district_id = d;
        DELETE FROM cadence_pair WHERE district_id = d;
        INSERT INTO cadence_meta (district_id, key_tags, key_above, horizon, built_at) VALUES (d, key_tags, key_above, horizon, now());
        INSERT INTO cadence_pair (district_id, steward_id, enterprise_id, enterprise_name, area_id, is_key, hull_lo, hull_hi, islands)
        SELECT d, p.steward_id, p.enterprise_id, en.name, en.area_id, cadence_is_key(en.tags, en.scale, key_tags, key_above), p.lo, p.hi, p.islands
          FROM (SELECT steward_id, enterprise_id, min(starts_on) AS lo, max(COALESCE(ends_on, 'infinity'::date)) AS hi,
                       CASE WHEN count(*) = 1 THEN 1
                            ELSE (SELECT count(*) FROM cadence_spans(array_agg(starts_on), array_agg(ends_on)) k WHERE NOT k.bridge)::int END AS islands
                  FROM assignment WHERE district_id = d GROUP BY 1, 2) p JOIN enterprise en ON en.id = p.enterprise_id;
        -- a pair with one assignment is one island: no function call for it
        INSERT INTO cadence_span (district_id, steward_id, area_id, is_key, bridge, lo, hi, n)
        SELECT d, x.steward_id, cp.area_id, cp.is_key, x.bridge,
               CASE WHEN NOT x.bridge AND x.lo < horizon THEN '-infinity'::date ELSE x.lo END, x.hi, sum(x.n)
          FROM (SELECT steward_id, enterprise_id, false AS bridge, min(starts_on) AS lo, COALESCE(min(ends_on), 'infinity'::date) AS hi, 1 AS n
                  FROM assignment WHERE district_id = d GROUP BY 1, 2 HAVING count(*) = 1
                UNION ALL
                SELECT a.steward_id, a.enterprise_id, k.bridge, k.lo, k.hi, k.n
                  FROM (SELECT steward_id, enterprise_id, array_agg(starts_on) AS s, array_agg(ends_on) AS e FROM assignment
                         WHERE district_id = d GROUP BY 1, 2 HAVING count(*) > 1) a, cadence_spans(a.s, a.e) k) x
          JOIN cadence_pair cp ON cp.steward_id = x.steward_id AND cp.enterprise_id = x.enterprise_id
         WHERE x.hi >= horizon AND NOT (x.bridge AND x.lo < horizon)
         GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(x.n) <> 0;
        INSERT INTO cadence_contact (district_id, steward_id, enterprise_id, period, first_day, last_day, n_any, n_onsite, area_id, is_key, assigned)
        SELECT d, c.steward_id, c.enterprise_id, c.period, c.first_day, c.last_day, c.n_any, c.n_onsite, en.area_id,
               cadence_is_key(en.tags, en.scale, key_tags, key_above),
               EXISTS (SELECT 1 FROM assignment a WHERE a.steward_id = c.steward_id AND a.enterprise_id = c.enterprise_id AND a.district_id = d
                          AND a.starts_on <= c.last_day AND (a.ends_on IS NULL OR a.ends_on >= c.first_day))
          FROM (SELECT v.steward_id, v.enterprise_id, k.period, date_trunc(k.period, v.day::timestamp)::date AS first_day,
                       (date_trunc(k.period, v.day::timestamp) + ${STEP('k.period')})::date - 1 AS last_day,
                       count(*)::int AS n_any, count(*) FILTER (WHERE v.kind = 'onsite')::int AS n_onsite
                  FROM (SELECT steward_id, enterprise_id, kind, (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day FROM visit
                         WHERE district_id = d AND status IN ${COUNTED} AND occurred_at >= (horizon::timestamp AT TIME ZONE 'Asia/Shanghai')) v,
                       unnest(ARRAY['week','month','quarter']) k(period)
                 GROUP BY 1, 2, 3, 4, 5) c
          JOIN enterprise en ON en.id = c.enterprise_id
         WHERE c.first_day >= horizon;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_enterprise_cadence ON enterprise`);
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER IF EXISTS tr_assignment_cadence_${t} ON assignment`);
    await q.query(`DROP TRIGGER IF EXISTS tr_visit_cadence ON visit`);
    await q.query(`DROP TRIGGER IF EXISTS tr_visit_cadence_update ON visit`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_rebuild(uuid, text[], boolean, date)`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_track_enterprise()`);
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP FUNCTION IF EXISTS cadence_assignment_${t}()`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_assignments_moved(assignment[], assignment[])`);
    await q.query(`DROP TABLE IF EXISTS cadence_contact`);
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP FUNCTION IF EXISTS cadence_done_${t}()`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_track_visit()`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_count_visit(uuid, uuid, uuid, timestamptz, varchar, integer)`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_meta_of(uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_spans(date[], date[])`);
    await q.query(`DROP FUNCTION IF EXISTS cadence_is_key(text[], varchar, text[], boolean)`);
    for (const t of ['cadence_pair', 'cadence_done', 'cadence_span', 'cadence_meta']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`DROP INDEX IF EXISTS ix_assignment_pair`);
  }
}
