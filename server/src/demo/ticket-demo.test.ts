import { createTestApp, type TestApp } from '../../test/helper';
import { seedDistrict } from '../../test/factories';
import { seedTicketDemo } from './ticket-demo';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('seeds realistic tickets in many states through the real services, once', async () => {
  const w = await seedDistrict(t.db, '211116');
  const now = new Date('2026-11-20T10:00:00+08:00');
  const r = await seedTicketDemo(t.db, w.districtId, { count: 60, now });
  expect(r.created).toBeGreaterThan(50);
  expect(Object.keys(r.byState).length).toBeGreaterThanOrEqual(6);
  const [bad] = await t.db.query(
    `SELECT count(*)::int AS n FROM ticket t WHERE district_id = $1 AND version <> (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = t.id)`, [w.districtId]);
  expect(bad.n).toBe(0);
  const [late] = await t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE district_id = $1 AND created_at > $2`, [w.districtId, now]);
  expect(late.n).toBe(0);
  const sups = await t.db.query(`SELECT count(*)::int AS n FROM supervision WHERE district_id = $1`, [w.districtId]);
  expect(sups[0].n).toBeGreaterThan(0);
  expect((await t.db.query(`SELECT 1 FROM supervision WHERE district_id = $1 AND status = 'done'`, [w.districtId])).length).toBeGreaterThan(0);
  const desc = await t.db.query(`SELECT description FROM ticket WHERE district_id = $1 LIMIT 1`, [w.districtId]);
  expect(desc[0].description).toMatch(/[\u4e00-\u9fa5]{5,}/);
  expect((await seedTicketDemo(t.db, w.districtId, { now })).created).toBe(0);
}, 120_000);
