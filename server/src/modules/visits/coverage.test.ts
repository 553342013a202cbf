import { toGcj02 } from '@guanjia/shared';
import { createTestApp, type TestApp, clearAppendOnlyTable } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type World } from '../../../test/factories';
import { insertVisit } from '../../../test/visit-helpers';
import { contactCounts } from './coverage.service';
import { purgeVisitLocations } from './visit.jobs';
import { seedVisitDemo } from '../../demo/visit-demo';
import { jobs } from '../../jobs';

// Real PostgreSQL on a shared machine: give a slow moment room rather than a false failure.
jest.setTimeout(30_000);

let t: TestApp;
let w: World;
let ent3: string; // assigned to the steward, area 2, never contacted in February
let ent4: string; // nobody's, area 1: a contact there counts as a contact but not toward coverage
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  ent3 = (await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[1], lat: 41.3, lng: 121.3 })).id;
  ent4 = (await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[0], lat: 41.4, lng: 121.4 })).id;
  await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [w.districtId, w.steward.id, ent3]);
  const [e1, e2] = [w.enterprises[0].id, w.enterprises[1].id];
  const d = w.districtId;
  ids.in = await insertVisit(t.db, { districtId: d, stewardId: w.steward.id, enterpriseId: e1, kind: 'onsite', at: '2026-02-03T10:00:00+08:00', insideFence: true, problems: [{ description: '招工难' }, { description: '融资难' }] });
  ids.out = await insertVisit(t.db, { districtId: d, stewardId: w.steward.id, enterpriseId: e1, kind: 'onsite', at: '2026-02-10T10:00:00+08:00', insideFence: false, point: { lat: 41.11, lng: 121.1 } });
  ids.wechat = await insertVisit(t.db, { districtId: d, stewardId: w.steward.id, enterpriseId: e1, kind: 'wechat', at: '2026-02-12T10:00:00+08:00' });
  ids.meeting = await insertVisit(t.db, { districtId: d, stewardId: w.steward2.id, enterpriseId: e2, kind: 'meeting', at: '2026-02-14T15:00:00+08:00', problems: [{ description: '用地指标' }] });
  ids.unknown = await insertVisit(t.db, { districtId: d, stewardId: w.steward2.id, enterpriseId: e2, kind: 'onsite', at: '2026-02-25T09:00:00+08:00', insideFence: null, point: { lat: 41.2, lng: 121.2 } });
  ids.offAssignment = await insertVisit(t.db, { districtId: d, stewardId: w.steward2.id, enterpriseId: ent4, kind: 'phone', at: '2026-02-26T09:00:00+08:00' });
  // outside February by a minute on each side (Beijing time)
  await insertVisit(t.db, { districtId: d, stewardId: w.steward.id, enterpriseId: ent3, kind: 'phone', at: '2026-01-31T23:59:00+08:00' });
  await insertVisit(t.db, { districtId: d, stewardId: w.steward.id, enterpriseId: ent3, kind: 'onsite', at: '2026-03-01T00:01:00+08:00' });
});
afterAll(() => t.close());

const FEB = 'from=2026-02-01&to=2026-02-28';

describe('coverage statistics', () => {
  it('per district, area and steward for February', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?${FEB}`, headers: auth(t.app, w.coordinator) });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.district).toEqual({
      assigned: 3, contacted: 2, coveragePct: 66.7, contacts: 6,
      byKind: { onsite: 3, phone: 1, wechat: 1, meeting: 1 },
      onsiteInsideFence: 1, onsiteOutsideFence: 1, onsiteUnknownFence: 1, problemsRaised: 3, ticketsRaised: 0,
    });
    const area = (id: string) => r.byArea.find((a: { area: { id: string } }) => a.area.id === id);
    expect(area(w.areas[0])).toMatchObject({ assigned: 1, contacted: 1, coveragePct: 100, contacts: 4, byKind: { onsite: 2, phone: 1, wechat: 1, meeting: 0 } });
    expect(area(w.areas[1])).toMatchObject({ assigned: 2, contacted: 1, coveragePct: 50, contacts: 2, onsiteUnknownFence: 1, problemsRaised: 1 });
    const steward = (id: string) => r.bySteward.find((s: { steward: { id: string } }) => s.steward.id === id);
    expect(steward(w.steward.id)).toMatchObject({ steward: { name: '管家张' }, assigned: 2, contacted: 1, coveragePct: 50, contacts: 3, onsiteInsideFence: 1, onsiteOutsideFence: 1, problemsRaised: 2 });
    // a contact with an enterprise not assigned to them counts as a contact, not as coverage
    expect(steward(w.steward2.id)).toMatchObject({ assigned: 1, contacted: 1, coveragePct: 100, contacts: 3, byKind: { onsite: 1, phone: 1, wechat: 0, meeting: 1 } });
  });

  it('any period: January has only the 23:59 call, a quarter has everything', async () => {
    const jan = (await t.app.inject({ method: 'GET', url: '/api/v1/visits/coverage?from=2026-01-01&to=2026-01-31', headers: auth(t.app, w.leader) })).json();
    expect(jan.district).toMatchObject({ contacts: 1, contacted: 1, byKind: { phone: 1 } });
    const q1 = (await t.app.inject({ method: 'GET', url: '/api/v1/visits/coverage?from=2026-01-01&to=2026-03-31', headers: auth(t.app, w.leader) })).json();
    expect(q1.district).toMatchObject({ contacts: 8, contacted: 3, coveragePct: 100 });
  });

  it('filters narrow every grouping; a steward sees only their own row', async () => {
    const byArea = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?${FEB}&areaId=${w.areas[1]}`, headers: auth(t.app, w.coordinator) })).json();
    expect(byArea.district).toMatchObject({ assigned: 2, contacted: 1, contacts: 2 });
    expect(byArea.byArea.map((a: { area: { id: string } }) => a.area.id)).toEqual([w.areas[1]]);
    const own = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?${FEB}&stewardId=${w.steward2.id}`, headers: auth(t.app, w.steward) })).json();
    expect(own.district).toBeNull();
    expect(own.byArea).toEqual([]);
    expect(own.bySteward.map((s: { steward: { id: string } }) => s.steward.id)).toEqual([w.steward.id]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?${FEB}`, headers: auth(t.app, w.contact1) })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/visits/coverage?from=2026-03-01&to=2026-02-01', headers: auth(t.app, w.coordinator) });
    expect(bad.statusCode).toBe(400);
  });

  it('contactCounts for the monthly report', async () => {
    expect(await contactCounts(t.db, w.districtId, '2026-02-01', '2026-02-28')).toEqual({ total: 6, phone: 1, onsite: 3, wechat: 1, meeting: 1, enterprisesContacted: 3 });
    expect(await contactCounts(t.db, w.districtId, '2026-01-31', '2026-01-31')).toEqual({ total: 1, phone: 1, onsite: 0, wechat: 0, meeting: 0, enterprisesContacted: 1 });
    const other = await seedDistrict(t.db);
    expect((await contactCounts(t.db, other.districtId, '2026-01-01', '2026-12-31')).total).toBe(0);
  });
});

describe('check-in map (GeoJSON)', () => {
  it('returns February check-ins as points in WGS-84 [lng, lat], and logs the read', async () => {
    await clearAppendOnlyTable(t.db, 'location_access_log');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?${FEB}`, headers: auth(t.app, w.coordinator) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.json();
    expect(fc).toMatchObject({ type: 'FeatureCollection', datum: 'wgs84', truncated: false });
    expect(fc.features.map((f: { id: string }) => f.id).sort()).toEqual([ids.in, ids.out, ids.unknown].sort());
    const out = fc.features.find((f: { id: string }) => f.id === ids.out);
    expect(out.geometry).toEqual({ type: 'Point', coordinates: [121.1, 41.11] });
    expect(out.properties).toMatchObject({ insideFence: false, flags: ['outside_fence'], steward: { id: w.steward.id } });
    const [log] = await t.db.query(`SELECT actor_id, purpose, visit_ids FROM location_access_log`);
    expect(log.actor_id).toBe(w.coordinator.id);
    expect(log.purpose).toBe('visit.map');
    expect([...log.visit_ids].sort()).toEqual([ids.in, ids.out, ids.unknown].sort());
  });

  it('converts to GCJ-02 for Chinese base maps, and filters by steward and area', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?${FEB}&datum=gcj02&stewardId=${w.steward.id}`, headers: auth(t.app, w.leader) });
    const fc = res.json();
    expect(fc.datum).toBe('gcj02');
    const g = toGcj02(41.11, 121.1);
    const out = fc.features.find((f: { id: string }) => f.id === ids.out);
    expect(out.geometry.coordinates[0]).toBeCloseTo(g.lng, 9);
    expect(out.geometry.coordinates[1]).toBeCloseTo(g.lat, 9);
    expect(fc.features).toHaveLength(2);
    const area2 = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?${FEB}&areaId=${w.areas[1]}`, headers: auth(t.app, w.leader) })).json();
    expect(area2.features.map((f: { id: string }) => f.id)).toEqual([ids.unknown]);
    const capped = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?${FEB}&limit=1`, headers: auth(t.app, w.leader) })).json();
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.features).toHaveLength(1);
  });

  it('is for coordinators and leaders only', async () => {
    for (const p of [w.steward, w.contact1, w.staff1])
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?${FEB}`, headers: auth(t.app, p) })).statusCode).toBe(403);
  });
});

describe('location retention (PIPL)', () => {
  it('erases coordinates older than the retention period, keeps the verdicts, and is idempotent', async () => {
    const [visit] = await t.db.query(`SELECT enterprise_id, steward_id FROM visit WHERE id = $1`, [ids.in]);
    await t.db.query(
      `INSERT INTO enterprise_location_proposal (district_id, enterprise_id, visit_id, proposed_by, lat, lng, accuracy_m, created_at)
       VALUES ($1,$2,$3,$4,41.2,121.2,10,'2026-02-03T10:00:00+08:00')`,
      [w.districtId, w.enterprises[1].id, ids.unknown, visit.steward_id],
    );
    // 20 March, 30 days' retention: everything checked in before 18 February goes
    const r = await purgeVisitLocations(t.db, 30, new Date('2026-03-20T12:00:00+08:00'));
    expect(r).toEqual({ skipped: false, visits: 2, proposals: 1 });
    const rows = await t.db.query(`SELECT id, checkin_lat, checkout_lat, distance_m, inside_fence, flags, location_purged_at FROM visit WHERE id = ANY($1::uuid[]) ORDER BY checkin_at`, [[ids.in, ids.out, ids.unknown]]);
    expect(rows.map((x: { checkin_lat: number | null }) => x.checkin_lat === null)).toEqual([true, true, false]);
    expect(rows[1]).toMatchObject({ inside_fence: false, flags: ['outside_fence'], distance_m: null });
    const [p] = await t.db.query(`SELECT lat, status, decision_note FROM enterprise_location_proposal`);
    expect(p).toMatchObject({ lat: null, status: 'rejected' });
    expect(await purgeVisitLocations(t.db, 30, new Date('2026-03-20T12:00:00+08:00'))).toEqual({ skipped: false, visits: 0, proposals: 0 });

    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/${ids.out}`, headers: auth(t.app, w.coordinator) })).json();
    expect(detail.locationPurged).toBe(true);
    expect(detail.checkIn).toMatchObject({ location: null, insideFence: false });
    const map = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?${FEB}`, headers: auth(t.app, w.coordinator) })).json();
    expect(map.features.map((f: { id: string }) => f.id)).toEqual([ids.unknown]);
    // statistics do not change
    const cov = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?${FEB}`, headers: auth(t.app, w.coordinator) })).json();
    expect(cov.district).toMatchObject({ onsiteInsideFence: 1, onsiteOutsideFence: 1, onsiteUnknownFence: 1 });
  });

  it('the job reads the retention period from the configuration', async () => {
    expect(t.app.config.locationRetentionDays).toBe(365);
    const job = jobs.find((j) => j.name === 'visit-location-purge')!;
    await t.db.query(`UPDATE visit SET checkin_at = now() - interval '400 days', location_purged_at = NULL WHERE id = $1`, [ids.unknown]);
    await job.run(t.app);
    const [v] = await t.db.query(`SELECT checkin_lat FROM visit WHERE id = $1`, [ids.unknown]);
    expect(v.checkin_lat).toBeNull();
  });
});

describe('demo visits', () => {
  it('creates about two months of contacts for the current assignments, some outside the fence, once', async () => {
    const demo = await seedDistrict(t.db);
    for (let i = 0; i < 12; i++) {
      const e = await buildEnterprise(t.db, { districtId: demo.districtId, areaId: demo.areas[i % 2], lat: 41 + i / 100, lng: 121 + i / 100, tags: i % 2 ? ['重点企业'] : [] });
      await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [demo.districtId, i % 3 ? demo.steward.id : demo.steward2.id, e.id]);
    }
    const now = new Date('2026-05-20T12:00:00+08:00');
    const { created } = await seedVisitDemo(t.db, demo.districtId, now);
    // every current assignment (12 + the 2 of seedDistrict) gets at least one contact
    expect(created).toBeGreaterThanOrEqual(14);
    expect(await seedVisitDemo(t.db, demo.districtId, now)).toEqual({ created: 0 });
    const rows = await t.db.query(
      `SELECT v.kind, v.occurred_at, v.inside_fence, v.checkin_lat, v.problem_count,
              EXISTS (SELECT 1 FROM assignment s WHERE s.steward_id = v.steward_id AND s.enterprise_id = v.enterprise_id) AS assigned
         FROM visit v WHERE v.district_id = $1`,
      [demo.districtId],
    );
    expect(rows).toHaveLength(created);
    expect(rows.every((r: { assigned: boolean }) => r.assigned)).toBe(true);
    const kinds = new Set(rows.map((r: { kind: string }) => r.kind));
    for (const k of ['onsite', 'phone']) expect(kinds).toContain(k);
    expect(rows.some((r: { inside_fence: boolean | null }) => r.inside_fence === false)).toBe(true);
    expect(rows.some((r: { inside_fence: boolean | null }) => r.inside_fence === true)).toBe(true);
    expect(rows.some((r: { problem_count: number }) => r.problem_count > 0)).toBe(true);
    const perPair = await t.db.query(`SELECT count(DISTINCT (steward_id, enterprise_id))::int AS n FROM visit WHERE district_id = $1`, [demo.districtId]);
    expect(perPair[0].n).toBe(14);
    const oldest = Math.min(...rows.map((r: { occurred_at: Date }) => new Date(r.occurred_at).getTime()));
    expect(now.getTime() - oldest).toBeLessThan(62 * 86_400_000);
    expect(rows.every((r: { occurred_at: Date }) => new Date(r.occurred_at) < now)).toBe(true);
    // the enterprise without a location is only phoned, never "checked in" nowhere
    expect(rows.filter((r: { kind: string; checkin_lat: number | null }) => r.kind === 'onsite' && r.checkin_lat === null)).toHaveLength(0);
    const counts = await contactCounts(t.db, demo.districtId, '2026-03-20', '2026-05-20');
    expect(counts.total).toBe(created);
  });
});

describe('one definition of a contact', () => {
  it('a checked-in (not yet checked-out) visit counts in coverage and in the monthly report alike', async () => {
    const other = await seedDistrict(t.db);
    const v = await insertVisit(t.db, { districtId: other.districtId, stewardId: other.steward.id, enterpriseId: other.enterprises[0].id, kind: 'onsite', at: '2026-05-06T10:00:00+08:00' });
    await insertVisit(t.db, { districtId: other.districtId, stewardId: other.steward.id, enterpriseId: other.enterprises[0].id, kind: 'phone', at: '2026-05-07T10:00:00+08:00' });
    await t.db.query(`UPDATE visit SET status = 'checked_in' WHERE id = $1`, [v]);
    const cov = (await t.app.inject({ method: 'GET', url: '/api/v1/visits/coverage?from=2026-05-01&to=2026-05-31', headers: auth(t.app, other.coordinator) })).json();
    const rep = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/monthly?month=2026-05', headers: auth(t.app, other.coordinator) })).json();
    expect(cov.district.contacts).toBe(2);
    expect(rep.contacts).toMatchObject({ onsite: 1, phone: 1 });
  });
});
