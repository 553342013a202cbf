import { createTestApp, type TestApp } from '../../test/helper';
import { auth, buildPerson, seedDistrict } from '../../test/factories';
import { seedProjectDemo } from './project-demo';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('seeds ≥ 60 projects across stages, 12 months of reports, two batches and some red and yellow lights, once', async () => {
  const w = await seedDistrict(t.db, '211117');
  await buildPerson(t.db, { districtId: w.districtId, roles: ['leader'], name: '县领导钱' });
  const now = new Date('2026-11-20T10:00:00+08:00');
  const started = Date.now();
  const r = await seedProjectDemo(t.db, w.districtId, { now });
  const ms = Date.now() - started;
  expect(r.created).toBeGreaterThanOrEqual(60);
  expect(r.reports).toBeGreaterThan(300);
  const stages = await t.db.query(`SELECT stage, count(*)::int AS n FROM project WHERE district_id = $1 GROUP BY stage`, [w.districtId]);
  expect(stages.length).toBe(6);
  const lights = Object.fromEntries((await t.db.query(`SELECT light, count(*)::int AS n FROM project WHERE district_id = $1 GROUP BY light`, [w.districtId])).map((x: { light: string; n: number }) => [x.light, x.n]));
  expect(lights.red).toBeGreaterThanOrEqual(2);
  expect(lights.yellow).toBeGreaterThanOrEqual(2);
  const months = await t.db.query(`SELECT count(DISTINCT (year, month))::int AS n FROM project_report WHERE district_id = $1`, [w.districtId]);
  expect(months[0].n).toBe(12);
  const batches = (await t.app.inject({ method: 'GET', url: '/api/v1/project-batches', headers: auth(t.app, w.coordinator) })).json();
  expect(batches.map((b: { no: number }) => b.no)).toEqual([6, 7]);
  expect(batches[0].summary.removed).toBeGreaterThan(0);
  // no report beyond 总投资, no event in the future
  const [over] = await t.db.query(
    `SELECT count(*)::int AS n FROM project p WHERE district_id = $1 AND total_investment < (SELECT coalesce(sum(amount), 0) FROM project_report r WHERE r.project_id = p.id AND r.is_current)`, [w.districtId]);
  expect(over.n).toBe(0);
  const [late] = await t.db.query(`SELECT count(*)::int AS n FROM project_stage_event WHERE district_id = $1 AND occurred_on > '2026-11-20'`, [w.districtId]);
  expect(late.n).toBe(0);
  expect((await seedProjectDemo(t.db, w.districtId, { now })).created).toBe(0);
  console.log(`project demo: ${r.created} projects, ${r.reports} reports in ${ms} ms`);
}, 300_000);
