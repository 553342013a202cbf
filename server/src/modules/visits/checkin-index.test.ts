import { createTestApp, type TestApp } from '../../../test/helper';
import { seedTicketWorld } from '../../../test/ticket-factories';
import { PREVIOUS_LOCATED_CHECKIN_SQL } from './visit.service';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/**
 * The check-in's "previous located check-in" must be read from ix_visit_steward_located (migration 1765300000000),
 * whose rows are only the check-ins that still hold a point. Through ix_visit_steward_checkin it filters out every
 * check-in whose point the retention job nulled: 8,200 heap rows per steward on the 1M bench district, check-in p99
 * 1,051 ms instead of 143 ms. If the query or the index's predicate drift apart, only this test notices.
 */
it('reads the previous located check-in from the located check-ins’ own index, past a year of purged points', async () => {
  const w = await seedTicketWorld(t.db);
  // A year of one steward's check-ins: all but the last two with their points purged by retention.
  await t.db.query(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, checkin_at, checkin_lat, checkin_lng, location_purged_at, created_by)
     SELECT $1, $2, $3, 'onsite', 'completed', at, at, CASE WHEN g > 3000 THEN 41.1 END, CASE WHEN g > 3000 THEN 121.1 END,
            CASE WHEN g <= 3000 THEN now() END, $2
       FROM generate_series(1, 3002) g, LATERAL (SELECT now() - (3002 - g) * interval '3 hours' AS at) x`,
    [w.districtId, w.steward.id, w.enterprises[0].id],
  );
  await t.db.query(`ANALYZE visit`);
  const [row] = await t.db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${PREVIOUS_LOCATED_CHECKIN_SQL}`, [w.steward.id, '00000000-0000-0000-0000-000000000002']);
  const plan = JSON.stringify(row['QUERY PLAN']);
  expect(plan).toContain('"Index Name":"ix_visit_steward_located"');
  expect(plan).not.toMatch(/"Rows Removed by Filter":[1-9]/);
  const [prev] = await t.db.query(PREVIOUS_LOCATED_CHECKIN_SQL, [w.steward.id, '00000000-0000-0000-0000-000000000002']);
  expect(prev.checkin_lat).toBe(41.1);
});
