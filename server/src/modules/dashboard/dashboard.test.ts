import { createTestApp, type TestApp } from '../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import type { SeedPerson } from '../../../test/factories';
import type { AuthUser } from '../../lib/principal';
import { createTicket } from '../tickets/lifecycle/ticket.service';
import { buildEnterprise, seedDistrict } from '../../../test/factories';
import { insertVisit } from '../../../test/visit-helpers';

jest.setTimeout(120_000);

let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211301');
  api = apiAs(t);
  // March 2026 starts on a Sunday: weeks start 02-23, 03-02, 03-09, 03-16, 03-23, 03-30.
  const days = ['01', '02', '03', '10', '10', '17', '31'];
  for (const [i, d] of days.entries()) {
    await createTicket(t.db, as(w.contact1), { categoryId: w.cat(i % 2 ? '融资信贷' : '人才用工'), title: `诉求${i}`, description: '企业反映的困难' }, { now: new Date(`2026-03-${d}T09:00:00+08:00`) });
  }
  await createTicket(t.db, as(w.contact1), { categoryId: w.cat('人才用工'), title: '四月', description: '四月的诉求' }, { now: new Date('2026-04-01T09:00:00+08:00') });
});
afterAll(() => t.close());

describe('GET /dashboard/month', () => {
  it('counts 诉求 by Monday week inside the month and ranks departments, equal to SQL counted here', async () => {
    const res = await api('GET', '/dashboard/month?month=2026-03', w.leader);
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.weeks.map((x: { weekStart: string; received: number }) => [x.weekStart, x.received])).toEqual([
      ['2026-02-23', 1], ['2026-03-02', 2], ['2026-03-09', 2], ['2026-03-16', 1], ['2026-03-23', 0], ['2026-03-30', 1],
    ]);
    expect(b.weeks[0].from).toBe('2026-03-01');
    const sum = b.weeks.reduce((s: number, x: { received: number }) => s + x.received, 0);
    const stats = (await api('GET', '/ticket-stats?from=2026-03-01&to=2026-03-31', w.leader)).json();
    expect(sum).toBe(stats.total);
    const deps: { id: string; n: number }[] = await t.db.query(
      `SELECT lead_department_id AS id, count(*)::int AS n FROM ticket WHERE district_id = $1 AND created_at < '2026-04-01T00:00:00+08:00' GROUP BY 1`, [w.districtId]);
    for (const d of deps) expect(b.departments.find((x: { department: { id: string } }) => x.department.id === d.id).received).toBe(d.n);
  });

  it('counts as solved only what was solved before the month ended, as /stats/* does', async () => {
    // Two March tickets of 人社局: one solved in March, one solved in April (after the period's end).
    const [a, b]: { id: string }[] = await t.db.query(
      `SELECT id FROM ticket WHERE district_id = $1 AND created_at >= '2026-03-01T00:00:00+08:00' AND created_at < '2026-04-01T00:00:00+08:00' ORDER BY created_at LIMIT 2`, [w.districtId]);
    await t.db.query(`UPDATE ticket SET lead_department_id = $2, is_handled = true, is_solved = true, solved_at = '2026-03-20T10:00:00+08:00' WHERE id = $1`, [a!.id, w.departments[0]]);
    await t.db.query(`UPDATE ticket SET lead_department_id = $2, is_handled = true, is_solved = true, solved_at = '2026-04-05T10:00:00+08:00' WHERE id = $1`, [b!.id, w.departments[0]]);
    try {
      const m = (await api('GET', '/dashboard/month?month=2026-03', w.leader)).json();
      const solved = m.weeks.reduce((s: number, x: { solved: number }) => s + x.solved, 0);
      const summary = (await api('GET', '/stats/summary?from=2026-03-01&to=2026-03-31', w.leader)).json();
      expect(solved).toBe(1);
      expect(solved).toBe(summary.tickets.solved);
      const dep = m.departments.find((x: { department: { id: string } }) => x.department.id === w.departments[0]);
      expect(dep.solved).toBe(1);
    } finally {
      await t.db.query(`UPDATE ticket SET is_solved = false, is_handled = false, solved_at = NULL WHERE id = ANY($1::uuid[])`, [[a!.id, b!.id]]);
    }
  });

  it('refuses other roles and bad months with a Chinese message', async () => {
    expect((await api('GET', '/dashboard/month?month=2026-03', w.staff1)).statusCode).toBe(403);
    const bad = await api('GET', '/dashboard/month?month=2026-13', w.coordinator);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('GET /dashboard/visit-map', () => {
  it('places each of the district\'s areas at its enterprises\' centroid with the month\'s check-ins, equal to SQL counted here; never another district\'s', async () => {
    const other = await seedDistrict(t.db, '211302');
    const ent3 = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[0], lat: 41.3, lng: 121.5 });
    const [ent1, ent2] = w.enterprises;
    const v = (stewardId: string, enterpriseId: string, kind: 'onsite' | 'phone', at: string, districtId = w.districtId) => insertVisit(t.db, { districtId, stewardId, enterpriseId, kind, at });
    await v(w.steward.id, ent1.id, 'onsite', '2026-03-01T00:30:00+08:00');
    await v(w.steward.id, ent3.id, 'onsite', '2026-03-15T10:00:00+08:00');
    await v(w.steward.id, ent1.id, 'onsite', '2026-03-31T23:00:00+08:00');
    await v(w.steward2.id, ent2.id, 'onsite', '2026-03-20T10:00:00+08:00');
    await v(w.steward.id, ent1.id, 'phone', '2026-03-10T10:00:00+08:00'); // not a check-in
    await v(w.steward.id, ent1.id, 'onsite', '2026-02-28T23:30:00+08:00'); // February in Shanghai
    await v(w.steward.id, ent1.id, 'onsite', '2026-04-01T00:10:00+08:00'); // April
    const planned = await v(w.steward.id, ent3.id, 'onsite', '2026-03-16T10:00:00+08:00');
    await t.db.query(`UPDATE visit SET status = 'cancelled' WHERE id = $1`, [planned]); // cancelled: not counted
    await v(other.steward.id, other.enterprises[0].id, 'onsite', '2026-03-10T10:00:00+08:00', other.districtId);

    const res = await api('GET', '/dashboard/visit-map?month=2026-03', w.coordinator);
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b).toMatchObject({ month: '2026-03', from: '2026-03-01', to: '2026-03-31' });
    const counted: { area_id: string; n: number }[] = await t.db.query(
      `SELECT e.area_id, count(*)::int AS n FROM visit v JOIN enterprise e ON e.id = v.enterprise_id
        WHERE v.district_id = $1 AND v.kind = 'onsite' AND v.status IN ('checked_in', 'completed') AND v.checkin_at IS NOT NULL
          AND v.occurred_at >= '2026-03-01T00:00:00+08:00' AND v.occurred_at < '2026-04-01T00:00:00+08:00' GROUP BY 1`, [w.districtId]);
    const areaIds = (await t.db.query(`SELECT id FROM area WHERE district_id = $1`, [w.districtId])).map((r: { id: string }) => r.id).sort();
    expect(b.areas.map((a: { area: { id: string } }) => a.area.id).sort()).toEqual(areaIds);
    for (const a of b.areas) expect(a.checkins).toBe(counted.find((c) => c.area_id === a.area.id)?.n ?? 0);
    const byId = Object.fromEntries(b.areas.map((a: { area: { id: string } }) => [a.area.id, a]));
    expect(byId[w.areas[0]].checkins).toBe(3);
    expect(byId[w.areas[0]].locatedEnterprises).toBe(2);
    expect(byId[w.areas[0]].center.lat).toBeCloseTo(41.2, 9);
    expect(byId[w.areas[0]].center.lng).toBeCloseTo(121.3, 9);
    expect(byId[w.areas[1]]).toMatchObject({ checkins: 1, locatedEnterprises: 0, center: null });
    // the other district's areas never appear
    const otherAreas = new Set(other.areas);
    expect(b.areas.some((a: { area: { id: string } }) => otherAreas.has(a.area.id))).toBe(false);
    const theirs = (await api('GET', '/dashboard/visit-map?month=2026-03', other.coordinator)).json();
    expect(theirs.areas.map((a: { area: { id: string } }) => a.area.id).sort()).toEqual([...other.areas].sort());
    expect(theirs.areas.reduce((s: number, a: { checkins: number }) => s + a.checkins, 0)).toBe(1);
    // the leader reads it too; the area's check-ins are coverage's on-site contacts of the area
    expect((await api('GET', '/dashboard/visit-map?month=2026-03', w.leader)).json()).toEqual(b);
    const cov = (await api('GET', '/visits/coverage?from=2026-03-01&to=2026-03-31', w.coordinator)).json();
    for (const a of cov.byArea) expect(byId[a.area.id].checkins).toBe(a.byKind.onsite);
  });

  it('refuses department staff, stewards and enterprises, and bad months', async () => {
    for (const p of [w.staff1, w.steward, w.contact1]) expect((await api('GET', '/dashboard/visit-map?month=2026-03', p)).statusCode).toBe(403);
    const bad = await api('GET', '/dashboard/visit-map?month=2026-3', w.coordinator);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
