import type { DataSource } from 'typeorm';
import { seedOrgDemo } from '../demo/org-demo';
import { seedDefaultCategories } from '../modules/tickets/config/category.service';

/** How big a district the bench builds. */
export type Sizes = { enterprises: number; tickets: number; visits: number; pool: number };

/** The issue's city-scale district, and the quick mode that must stay under a minute. */
export const FULL: Sizes = { enterprises: 100_000, tickets: 1_000_000, visits: 500_000, pool: 6_000 };
export const QUICK: Sizes = { enterprises: 3_000, tickets: 5_000, visits: 3_000, pool: 400 };

/** What the load phase needs to know about the generated district. */
export type District = {
  districtId: string;
  usernames: { coordinator: string; department: string; steward: string };
  departmentId: string;
  /** steward-owned (enterprise, leaf category) pairs for creating 诉求 */
  createTargets: { stewardUsername: string; enterpriseId: string; categoryId: string }[];
  /** 'assigned' tickets of the department (version 2), for accept */
  toAccept: string[];
  /** 'accepted' tickets of the department (version 3), for reply */
  toReply: string[];
  /** planned on-site visits with an unused photo, for check-in */
  toCheckIn: { visitId: string; photoId: string; stewardUsername: string }[];
  /** a ticket id for detail and the primary-key baseline */
  sampleTicketId: string;
  /** the keyset position 60% down the newest-first list */
  deepCursor: { createdAt: string; id: string };
  counts: Record<string, number>;
};

type Progress = (line: string) => void;

/**
 * Builds a district at scale in SQL (generate_series, no round trip per row): the demo organisation (people,
 * departments, 2,000 enterprises), then more enterprises with one steward each, categories and routing rules,
 * tickets spread over two years in every state with their timeline events, 督办单 for the old overdue ones, visits,
 * and pools of fresh tickets and planned visits for the write benchmarks. Ends with ANALYZE.
 */
export async function generateDistrict(ds: DataSource, sizes: Sizes, progress: Progress = () => {}): Promise<District> {
  // One connection throughout: the helper tables are TEMP.
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    return await generateOn(ds, (sql, params = []) => qr.query(sql, params), sizes, progress);
  } finally {
    await qr.release();
  }
}

type Q = (sql: string, params?: unknown[]) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function generateOn(ds: DataSource, q: Q, sizes: Sizes, progress: Progress): Promise<District> {
  const step = async (label: string, rows: number, fn: () => Promise<unknown>) => {
    const t0 = Date.now();
    await fn();
    const s = (Date.now() - t0) / 1000;
    progress(`  ${label.padEnd(34)} ${String(rows.toLocaleString('en')).padStart(10)} rows  ${s.toFixed(1).padStart(6)} s  ${rows && s ? Math.round(rows / s).toLocaleString('en') : '-'} rows/s`);
  };
  await q(`SELECT setseed(0.42)`);
  // Bulk load without per-row foreign-key triggers (superuser only; the data is consistent by construction).
  await q(`SET session_replication_role = replica`).catch(() => progress('  (not a superuser: foreign keys checked per row, slower)'));
  let districtId = '';
  await step('organisation (demo seed)', 2_000, async () => ({ districtId } = await seedOrgDemo(ds)));
  await step('categories + routing rules', 0, async () => {
    await seedDefaultCategories(ds, districtId);
    // One rule per top-level category, spread over the departments (dept01 gets the first).
    await q(
      `INSERT INTO routing_rule (district_id, category_id, lead_department_id, note)
       SELECT $1, c.id, d.id, 'bench' FROM
         (SELECT id, row_number() OVER (ORDER BY sort_order, name) AS i FROM ticket_category WHERE district_id = $1 AND parent_id IS NULL) c
         JOIN (SELECT id, row_number() OVER (ORDER BY (SELECT username FROM person WHERE department_id = department.id ORDER BY username LIMIT 1) NULLS LAST, id) AS i,
                      count(*) OVER () AS n FROM department WHERE district_id = $1) d ON d.i = ((c.i - 1) % d.n) + 1`,
      [districtId],
    );
  });
  const extra = Math.max(0, sizes.enterprises - 2_000);
  await step('enterprises', extra, () => q(
    `INSERT INTO enterprise (district_id, area_id, name, credit_code, lat, lng, location_confirmed, industry, scale, tags)
     SELECT $1, (SELECT array_agg(id ORDER BY code) FROM area WHERE district_id = $1)[1 + g % (SELECT count(*) FROM area WHERE district_id = $1)],
            '基准企业' || g || '有限公司', 'ZZ' || lpad(g::text, 16, '0'), 41.12 + (random() - 0.5) * 0.16, 122.07 + (random() - 0.5) * 0.22, true,
            '制造业', CASE WHEN random() < 0.18 THEN 'above' ELSE 'below' END, CASE WHEN random() < 0.08 THEN ARRAY['重点企业'] ELSE '{}' END
       FROM generate_series(1, $2::int) g`,
    [districtId, extra],
  ));
  await q(`CREATE TEMP TABLE bench_ent AS SELECT id, area_id, (row_number() OVER (ORDER BY created_at, id))::int AS i FROM enterprise WHERE district_id = $1`, [districtId]);
  await q(`CREATE TEMP TABLE bench_steward AS SELECT id, username, (row_number() OVER (ORDER BY username))::int - 1 AS i FROM person WHERE district_id = $1 AND 'steward' = ANY(roles)`, [districtId]);
  await q(`CREATE UNIQUE INDEX ON bench_ent (i)`);
  await step('assignments', extra, () => q(
    `INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on)
     SELECT $1, s.id, e.id, '2024-01-01' FROM bench_ent e JOIN bench_steward s ON s.i = e.i % (SELECT count(*) FROM bench_steward)
      WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.enterprise_id = e.id)`,
    [districtId],
  ));
  await q(`CREATE TEMP TABLE bench_owner AS SELECT DISTINCT ON (a.enterprise_id) a.enterprise_id, a.steward_id FROM assignment a WHERE a.district_id = $1 AND a.ends_on IS NULL ORDER BY a.enterprise_id, a.starts_on`, [districtId]);
  await q(`CREATE UNIQUE INDEX ON bench_owner (enterprise_id)`);
  await q(
    `CREATE TEMP TABLE bench_cat AS
     SELECT c.id, (row_number() OVER (ORDER BY c.id))::int - 1 AS i, r.lead_department_id AS dep
       FROM ticket_category c JOIN routing_rule r ON r.category_id = COALESCE(c.parent_id, c.id) AND r.active WHERE c.district_id = $1 AND c.parent_id IS NOT NULL`,
    [districtId],
  );
  const [{ nent }] = await q(`SELECT count(*)::int AS nent FROM bench_ent`);
  const [{ ncat }] = await q(`SELECT count(*)::int AS ncat FROM bench_cat`);
  const [dep] = await q(`SELECT p.username, p.department_id FROM person p WHERE p.district_id = $1 AND p.username = 'dept01'`, [districtId]);

  // Tickets over two years: old ones mostly closed, recent ones in every open state. Deadlines approximate the
  // calendar (accept +1 day, reply +7 days): the bench needs their distribution, not their exact working days.
  // Rows are written in the order they were created, as the product writes them: a month's tickets (and visits) lie
  // on neighbouring pages, not one page per row (the random order of earlier versions was a worst case; ADR 0011).
  await step('tickets', sizes.tickets, () => q(
    `INSERT INTO ticket (id, district_id, no, enterprise_id, area_id, category_id, title, description, urgency, submitted_by, submitted_role, state, version,
                         lead_department_id, escalation_level, is_handled, is_solved, verdict, verdict_source, rating, reply_outcome, reply_text,
                         accept_days, reply_days, assigned_at, accept_due_at, reply_due_at, reply_clock_at, accepted_at, replied_at, confirmation_due_at,
                         solved_at, closed_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, to_char(x.created_at, 'YYYY') || '-' || lpad(x.g::text, 7, '0'), e.id, e.area_id, c.id,
            '基准诉求' || x.g, '企业反映的问题描述，编号' || x.g || '，请协助解决。', CASE WHEN x.r2 < 0.1 THEN 'urgent' ELSE 'normal' END,
            o.steward_id, 'steward', x.state, x.version,
            CASE WHEN x.state NOT IN ('pending_dispatch','withdrawn') THEN c.dep END,
            CASE WHEN x.r2 > 0.97 THEN 2 ELSE 1 END,
            x.state IN ('replied','awaiting_visit','confirmed','closed'), x.state IN ('confirmed','closed'),
            CASE WHEN x.state IN ('confirmed','closed') THEN (ARRAY['satisfied','satisfied','basically_satisfied','dissatisfied'])[1 + (x.g % 4)] END,
            CASE WHEN x.state IN ('confirmed','closed') THEN 'enterprise' END,
            CASE WHEN x.state IN ('confirmed','closed') THEN 3 + x.g % 3 END,
            CASE WHEN x.state IN ('replied','awaiting_visit','confirmed','closed') THEN 'solved' END,
            CASE WHEN x.state IN ('replied','awaiting_visit','confirmed','closed') THEN '已办理' END,
            CASE WHEN x.assigned THEN 1 END, CASE WHEN x.assigned THEN 5 END,
            CASE WHEN x.assigned THEN x.created_at + interval '5 minutes' END,
            CASE WHEN x.assigned THEN x.created_at + interval '1 day 5 minutes' END,
            CASE WHEN x.assigned THEN x.created_at + interval '7 days 5 minutes' END,
            CASE WHEN x.assigned THEN x.created_at + interval '5 minutes' END,
            CASE WHEN x.version >= 3 AND x.assigned THEN x.created_at + interval '2 hours' END,
            CASE WHEN x.state IN ('replied','awaiting_visit','confirmed','closed') THEN x.created_at + interval '4 days' END,
            CASE WHEN x.state IN ('replied','awaiting_visit','confirmed','closed') THEN x.created_at + interval '11 days' END,
            CASE WHEN x.state IN ('confirmed','closed') THEN x.created_at + interval '5 days' END,
            CASE WHEN x.state = 'closed' THEN x.created_at + interval '6 days' END,
            x.created_at, x.created_at
       FROM (SELECT g, r2, created_at, state, state NOT IN ('pending_dispatch','withdrawn') AS assigned,
                    CASE state WHEN 'pending_dispatch' THEN 2 WHEN 'assigned' THEN 2 WHEN 'accepted' THEN 3 WHEN 'in_progress' THEN 4
                      WHEN 'awaiting_info' THEN 5 WHEN 'replied' THEN 5 WHEN 'confirmed' THEN 6 WHEN 'closed' THEN 7 ELSE 3 END AS version
               FROM (SELECT g, r2, created_at,
                      CASE WHEN created_at < now() - interval '45 days' THEN
                             CASE WHEN r < 0.86 THEN 'closed' WHEN r < 0.91 THEN 'withdrawn' WHEN r < 0.95 THEN 'confirmed' WHEN r < 0.97 THEN 'in_progress' WHEN r < 0.985 THEN 'accepted' ELSE 'assigned' END
                           ELSE CASE WHEN r < 0.25 THEN 'closed' WHEN r < 0.35 THEN 'replied' WHEN r < 0.5 THEN 'in_progress' WHEN r < 0.62 THEN 'accepted'
                             WHEN r < 0.75 THEN 'assigned' WHEN r < 0.8 THEN 'awaiting_info' WHEN r < 0.85 THEN 'pending_dispatch' WHEN r < 0.9 THEN 'withdrawn' ELSE 'confirmed' END END AS state
                 FROM (SELECT g, random() AS r, random() AS r2, date_trunc('milliseconds', now() - random() * interval '730 days') AS created_at FROM generate_series(1, $2::int) g) s0) s1) x
       JOIN bench_ent e ON e.i = 1 + (x.g::bigint * 7919) % $3
       JOIN bench_owner o ON o.enterprise_id = e.id
       JOIN bench_cat c ON c.i = x.g % $4
      ORDER BY x.created_at`,
    [districtId, sizes.tickets, nent, ncat],
  ));
  void dep;
  const merged = Math.floor(sizes.tickets * 0.005);
  await step('merged tickets', merged, () => q(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM (SELECT id FROM ticket WHERE district_id = $1 AND state = 'closed' ORDER BY id LIMIT $2 * 2) s0),
          m AS (SELECT a.id, b.id AS into_id FROM s a JOIN s b ON b.n = a.n + 1 WHERE a.n % 2 = 1)
     UPDATE ticket t SET state = 'merged', merged_into_id = m.into_id FROM m WHERE t.id = m.id`,
    [districtId, merged],
  ));
  const [{ events }] = await q(`SELECT coalesce(sum(version), 0)::int AS events FROM ticket WHERE district_id = $1`, [districtId]);
  await step('ticket events', events, () => q(
    `INSERT INTO ticket_event (ticket_id, district_id, seq, action, actor_id, actor_role, from_state, to_state, visibility, note, data, created_at)
     SELECT t.id, t.district_id, s, (ARRAY['submit','route','accept','add_note','reply','confirm','close'])[s],
            CASE WHEN s = 2 THEN NULL ELSE t.submitted_by END, CASE WHEN s = 2 THEN 'system' ELSE 'steward' END,
            CASE WHEN s = 1 THEN NULL ELSE 'submitted' END, CASE WHEN s = t.version THEN t.state ELSE 'submitted' END,
            CASE WHEN s = 4 THEN 'internal' ELSE 'public' END, NULL, '{}'::jsonb, t.created_at + s * interval '1 hour'
       FROM ticket t CROSS JOIN LATERAL generate_series(1, t.version) s WHERE t.district_id = $1`,
    [districtId],
  ));
  await step('督办单 for old overdue tickets', 0, () => q(
    `INSERT INTO supervision (district_id, ticket_id, no, department_id, kind, missed_due_at, issued_at)
     SELECT t.district_id, t.id, 'DB-' || row_number() OVER (), t.lead_department_id, 'overdue_reply', t.reply_due_at, t.reply_due_at + interval '1 day'
       FROM ticket t WHERE t.district_id = $1 AND t.state IN ('assigned','accepted','in_progress') AND t.reply_due_at < now() - interval '3 days'
     UNION ALL
     SELECT t.district_id, t.id, 'DA-' || row_number() OVER (), t.lead_department_id, 'overdue_accept', t.accept_due_at, t.accept_due_at + interval '1 day'
       FROM ticket t WHERE t.district_id = $1 AND t.state = 'assigned' AND t.accept_due_at < now() - interval '3 days'`,
    [districtId],
  ));
  // What issuing them records on the ticket (the deadlines job skips a supervised deadline by these columns).
  await q(
    `UPDATE ticket t SET reply_supervised_due_at = CASE WHEN t.reply_due_at < now() - interval '3 days' THEN t.reply_due_at END,
                         accept_supervised_due_at = CASE WHEN t.state = 'assigned' AND t.accept_due_at < now() - interval '3 days' THEN t.accept_due_at END
      WHERE t.district_id = $1 AND t.state IN ('assigned','accepted','in_progress') AND t.reply_due_at < now() - interval '3 days'`,
    [districtId],
  );
  const year = new Date().getFullYear();
  await q(
    `INSERT INTO doc_counter (district_id, kind, year, last) SELECT $1, k, y, $2 FROM unnest(ARRAY['ticket','supervision']) k, generate_series($3::int - 2, $3::int + 1) y
     ON CONFLICT (district_id, kind, year) DO UPDATE SET last = EXCLUDED.last`,
    [districtId, sizes.tickets + sizes.pool * 2 + 10, year],
  );
  await step('visits', sizes.visits, () => q(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, checkin_at, inside_fence, created_by, created_at, updated_at)
     SELECT $1, o.steward_id, e.id, k.kind, 'completed', x.at, CASE WHEN k.kind = 'onsite' THEN x.at END,
            CASE WHEN k.kind = 'onsite' THEN random() < 0.9 END, o.steward_id, x.at, x.at
       FROM (SELECT g, now() - random() * interval '730 days' AS at FROM generate_series(1, $2::int) g) x
       JOIN bench_ent e ON e.i = 1 + (x.g::bigint * 6007) % (SELECT count(*) FROM bench_ent)
       JOIN bench_owner o ON o.enterprise_id = e.id
       CROSS JOIN LATERAL (SELECT (ARRAY['onsite','phone','phone','wechat','meeting'])[1 + x.g % 5] AS kind) k
      ORDER BY x.at`,
    [districtId, sizes.visits],
  ));
  await q(`SET session_replication_role = DEFAULT`).catch(() => {});
  // The queue counters' triggers were off with the foreign keys: count the loaded rows once (ADR 0020).
  await step('queue counters', 0, () => q(`SELECT ticket_queue_rebuild($1)`, [districtId]));
  // VACUUM every table, not only ticket: index-only scans need the visibility map (autovacuum sets it in
  // production, later); an unvacuumed visit table made its covering index read the heap (1.2 s of a 2 s statement).
  await step('VACUUM ANALYZE', 0, () => q(`VACUUM (ANALYZE)`));

  const counts: Record<string, number> = {};
  for (const t of ['enterprise', 'ticket', 'ticket_event', 'visit', 'supervision']) {
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM ${t}`);
    counts[t] = n;
  }
  progress(`  totals: ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
  return describe(ds, districtId, await addPools(ds, districtId, sizes.pool, progress), counts);
}

/**
 * Fresh write pools for one load run (a reused database gets new ones each run): 'assigned' (accept) and
 * 'accepted' (reply) tickets of dept01, planned on-site visits each with an unused photo (check-in). Returns the tag.
 */
export async function addPools(ds: DataSource, districtId: string, n: number, progress: Progress = () => {}): Promise<string> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    return await addPoolsOn((sql, params = []) => qr.query(sql, params), districtId, n, progress);
  } finally {
    await qr.release();
  }
}

async function addPoolsOn(q: Q, districtId: string, n: number, progress: Progress): Promise<string> {
  const tag = Math.random().toString(36).slice(2, 6).toUpperCase();
  const step = async (label: string, rows: number, fn: () => Promise<unknown>) => {
    const t0 = Date.now();
    await fn();
    progress(`  ${label.padEnd(34)} ${String(rows.toLocaleString('en')).padStart(10)} rows  ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`);
  };
  const [dep] = await q(`SELECT department_id FROM person WHERE district_id = $1 AND username = 'dept01'`, [districtId]);
  await q(`CREATE TEMP TABLE bench_pool_ent AS SELECT e.id, e.area_id, a.steward_id, (row_number() OVER (ORDER BY e.id))::int AS i
             FROM enterprise e JOIN assignment a ON a.enterprise_id = e.id AND a.ends_on IS NULL WHERE e.district_id = $1`, [districtId]);
  const [{ ne }] = await q(`SELECT count(*)::int AS ne FROM bench_pool_ent`);
  const [cat] = await q(`SELECT id FROM ticket_category WHERE district_id = $1 AND parent_id IS NOT NULL ORDER BY id LIMIT 1`, [districtId]);
  // Write pools for the load phase: fresh 'assigned' (accept) and 'accepted' (reply) tickets of dept01.
  await step('pools (accept, reply)', n * 2, () => q(
    `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, version,
                         lead_department_id, accept_days, reply_days, assigned_at, accept_due_at, reply_due_at, reply_clock_at, accepted_at, created_at, updated_at)
     SELECT $1, 'P' || $5 || lpad(g::text, 8, '0'), e.id, e.area_id, $6, '基准待办' || g, '用于签收和答复基准的诉求。', e.steward_id, 'steward',
            CASE WHEN g % 2 = 0 THEN 'assigned' ELSE 'accepted' END, CASE WHEN g % 2 = 0 THEN 2 ELSE 3 END, $3, 1, 5,
            x.at, x.at + interval '1 day', x.at + interval '7 days', x.at, CASE WHEN g % 2 = 1 THEN x.at END, x.at - interval '1 hour', x.at
       FROM generate_series(1, $2::int) g CROSS JOIN (SELECT date_trunc('milliseconds', now()) AS at) x
       JOIN bench_pool_ent e ON e.i = 1 + (g::bigint * 104729) % $4`,
    [districtId, n * 2, dep.department_id, ne, tag, cat.id],
  ));
  // A steward holds one open on-site visit at a time: an earlier run's check-ins on this database are checked out
  // first, or a second run on the same copy finds no steward free to check in.
  await q(
    `UPDATE visit SET status = 'completed', checkout_at = now(), version = version + 1, updated_at = now()
      WHERE district_id = $1 AND status = 'checked_in' AND kind = 'onsite'
        AND checkin_photo_id IN (SELECT id FROM visit_photo WHERE district_id = $1 AND storage_key LIKE 'bench/%')`,
    [districtId],
  );
  await step('check-in pool (visits + photos)', n, () => q(
    `WITH v AS (
       INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, created_by)
       SELECT $1, e.steward_id, e.id, 'onsite', 'planned', now(), e.steward_id
         FROM generate_series(1, $2::int) g JOIN bench_pool_ent e ON e.i = 1 + (g * 15485863::bigint) % $3
       RETURNING id, steward_id)
     INSERT INTO visit_photo (district_id, uploaded_by, sha256, mime, size_bytes, storage_key)
     SELECT $1, v.steward_id, encode(sha256(v.id::text::bytea), 'hex'), 'image/jpeg', 1000, 'bench/' || $4 || '/' || v.id FROM v`,
    [districtId, n, ne, tag],
  ));
  await q(`DROP TABLE bench_pool_ent`);
  await q(`ANALYZE ticket`);
  return tag;
}

/** What the load phase needs, read back from a generated district (pools of run `tag`). */
export async function describe(ds: DataSource, districtId: string, tag: string, counts: Record<string, number> = {}): Promise<District> {
  const q = (sql: string, params: unknown[] = []) => ds.query(sql, params);
  const [dep] = await q(`SELECT username, department_id FROM person WHERE district_id = $1 AND username = 'dept01'`, [districtId]);
  const leaves: { id: string }[] = await q(`SELECT id FROM ticket_category WHERE district_id = $1 AND parent_id IS NOT NULL AND active ORDER BY id`, [districtId]);
  const owners: { stewardUsername: string; enterpriseId: string }[] = await q(
    `SELECT s.username AS "stewardUsername", a.enterprise_id AS "enterpriseId" FROM assignment a JOIN person s ON s.id = a.steward_id
      WHERE a.district_id = $1 AND a.ends_on IS NULL ORDER BY a.enterprise_id LIMIT 200`,
    [districtId],
  );
  const createTargets: District['createTargets'] = owners.map((o, i) => ({ ...o, categoryId: leaves[i % leaves.length].id }));
  const pool = (state: string) => q(`SELECT id FROM ticket WHERE district_id = $1 AND no LIKE $3 AND state = $2 ORDER BY no`, [districtId, state, `P${tag}%`]).then((r: { id: string }[]) => r.map((x) => x.id));
  // Each pool photo is named after the visit it was made for (storage_key bench/<tag>/<visit id>). A steward holds
  // one open on-site visit at a time (a second check-in is refused until the first is checked out), so the pool
  // takes one planned visit per steward who has none open.
  const toCheckIn: District['toCheckIn'] = await q(
    `SELECT "visitId", "photoId", "stewardUsername" FROM (
       SELECT v.id AS "visitId", p.id AS "photoId", s.username AS "stewardUsername",
              row_number() OVER (PARTITION BY v.steward_id ORDER BY v.id) AS rn
         FROM visit_photo p JOIN visit v ON v.id = substr(p.storage_key, $3)::uuid JOIN person s ON s.id = v.steward_id
        WHERE p.district_id = $1 AND p.storage_key LIKE $2 AND v.status = 'planned'
          AND NOT EXISTS (SELECT 1 FROM visit o WHERE o.steward_id = v.steward_id AND o.status = 'checked_in' AND o.kind = 'onsite')) x
      WHERE rn = 1 ORDER BY "stewardUsername"`,
    [districtId, `bench/${tag}/%`, `bench/${tag}/`.length + 1],
  );
  const [sample] = await q(`SELECT id FROM ticket WHERE district_id = $1 AND state = 'in_progress' ORDER BY created_at DESC LIMIT 1`, [districtId]);
  const [{ n }] = await q(`SELECT count(*)::int AS n FROM ticket WHERE district_id = $1`, [districtId]);
  const [deep] = await q(`SELECT created_at, id FROM ticket WHERE district_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`, [districtId, Math.floor(n * 0.6)]);
  return {
    districtId,
    usernames: { coordinator: 'coordinator', department: dep.username, steward: 'steward01' },
    departmentId: dep.department_id,
    createTargets,
    toAccept: await pool('assigned'),
    toReply: await pool('accepted'),
    toCheckIn,
    sampleTicketId: sample.id,
    deepCursor: { createdAt: new Date(deep.created_at).toISOString(), id: deep.id },
    counts,
  };
}
