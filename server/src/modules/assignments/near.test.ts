import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type World } from '../../../test/factories';

/**
 * Issue 13, picking the enterprise on site: GET /assignments?near=lat,lng lists the steward's enterprises nearest
 * first with their distance, unlocated ones last, keyset-paged; bad points are a 400; a coordinator must name the
 * steward; another district's steward list stays empty.
 */
jest.setTimeout(30_000);
let t: TestApp;
let w: World;
let other: World;
const names: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  other = await seedDistrict(t.db);
  // Enterprise 1 of seedDistrict is at 41.1, 121.1. Add a near one, a far one and one without coordinates.
  const add = async (key: string, lat?: number, lng?: number) => {
    const e = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[0], lat, lng });
    names[key] = e.id;
    await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [w.districtId, w.steward.id, e.id]);
  };
  await add('near', 41.2001, 121.2001);
  await add('far', 41.5, 121.5);
  await add('none');
});
afterAll(async () => t.close());

const list = (query: string, who = w.steward) => t.app.inject({ method: 'GET', url: `/api/v1/assignments?${query}`, headers: auth(t.app, who) });

it('lists the steward’s enterprises nearest first, with distances, unlocated last', async () => {
  const r = await list('near=41.2,121.2&limit=50');
  expect(r.statusCode).toBe(200);
  const items = r.json().items as { enterprise: { id: string }; distanceM: number | null }[];
  expect(items.map((i) => i.enterprise.id)).toEqual([names.near, w.enterprises[0].id, names.far, names.none]);
  expect(items[0].distanceM).toBeLessThan(30);
  expect(items[1].distanceM).toBeGreaterThan(13000);
  expect(items[1].distanceM).toBeLessThan(15000);
  expect(items[3].distanceM).toBeNull();
  // Without near: the old order, no distance.
  expect((await list('limit=50')).json().items[0]).not.toHaveProperty('distanceM');
});

it('pages by keyset in the same order', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await list(`near=41.2,121.2&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.statusCode).toBe(200);
    seen.push(...r.json().items.map((i: { enterprise: { id: string } }) => i.enterprise.id));
    cursor = r.json().nextCursor;
  } while (cursor && seen.length < 10);
  expect(seen).toEqual([names.near, w.enterprises[0].id, names.far, names.none]);
});

it('refuses bad points with a 400, and a coordinator without a steward', async () => {
  for (const near of ['91,121', '41.2', 'abc,def', '41.2,181', '41.2;121.2']) {
    const r = await list(`near=${encodeURIComponent(near)}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
  }
  expect((await list('near=41.2,121.2', w.coordinator)).statusCode).toBe(400);
  const named = await list(`near=41.2,121.2&stewardId=${w.steward.id}`, w.coordinator);
  expect(named.statusCode).toBe(200);
  expect(named.json().items).toHaveLength(4);
  // Another district's coordinator naming this steward sees nothing of it.
  const foreign = await list(`near=41.2,121.2&stewardId=${w.steward.id}`, other.coordinator);
  expect(foreign.statusCode).toBe(200);
  expect(foreign.json().items).toEqual([]);
});
