import { OVERDUE_PENDING_MAX } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, buildPerson, seedDistrict, type World } from '../../../test/factories';
import { insertVisit } from '../../../test/visit-helpers';

// Real PostgreSQL on a shared machine: give a slow moment room rather than a false failure.
jest.setTimeout(60_000);

let t: TestApp;
let w: World;
const stewardIds: string[] = [];
let busy: string; // one steward with more pending enterprises than the report lists

/**
 * docs/benchmarks.md: /visits/coverage and /cadence/overdue page their per-steward lists by keyset, while the district and area
 * figures still cover everything. Seven extra stewards, each with 1..7 enterprises in February and some contacts.
 */
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  for (let i = 0; i < 7; i++) {
    const st = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'], name: `管家${String.fromCharCode(0x7532 + (i % 3))}` });
    stewardIds.push(st.id);
    for (let j = 0; j <= i; j++) {
      const e = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[j % 2] });
      await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [w.districtId, st.id, e.id]);
      if (j % 2 === 0) await insertVisit(t.db, { districtId: w.districtId, stewardId: st.id, enterpriseId: e.id, kind: 'phone', at: '2026-02-05T10:00:00+08:00' });
    }
  }
  const st = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'], name: '管家多' });
  busy = st.id;
  for (let j = 0; j < OVERDUE_PENDING_MAX + 3; j++) {
    const e = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[0] });
    await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [w.districtId, st.id, e.id]);
  }
});
afterAll(() => t.close());

async function all(path: string, limit: number) {
  const pages: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: { statusCode: number; json: () => any } = await t.app.inject({ method: 'GET', url: `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: auth(t.app, w.coordinator) });
    expect(res.statusCode).toBe(200);
    const body: any = res.json();
    expect(body.bySteward.length).toBeLessThanOrEqual(limit);
    pages.push(body);
    cursor = body.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('coverage pages its stewards', () => {
  const URL = '/api/v1/visits/coverage?from=2026-02-01&to=2026-02-28';

  it('every steward exactly once across pages of 3, the same rows as one big page; totals on every page', async () => {
    const whole = (await t.app.inject({ method: 'GET', url: `${URL}&limit=200`, headers: auth(t.app, w.coordinator) })).json();
    expect(whole.nextCursor).toBeNull();
    const pages = await all(URL, 3);
    expect(pages.length).toBeGreaterThan(3);
    const ids = pages.flatMap((p) => p.bySteward.map((s: { steward: { id: string } }) => s.steward.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(whole.bySteward.map((s: { steward: { id: string } }) => s.steward.id));
    for (const id of [...stewardIds, busy, w.steward.id, w.steward2.id]) expect(ids).toContain(id);
    expect(pages.flatMap((p) => p.bySteward)).toEqual(whole.bySteward);
    for (const p of pages) {
      expect(p.district).toEqual(whole.district);
      expect(p.byArea).toEqual(whole.byArea);
    }
    // the district is the sum over areas, and over stewards for what each steward owns alone
    expect(whole.district.assigned).toBe(whole.byArea.reduce((n: number, a: { assigned: number }) => n + a.assigned, 0));
    const seventh = whole.bySteward.find((s: { steward: { id: string } }) => s.steward.id === stewardIds[6]);
    expect(seventh).toMatchObject({ assigned: 7, contacted: 4, contacts: 4, coveragePct: 57.1 });
    const names = whole.bySteward.map((s: { steward: { name: string } }) => s.steward.name);
    expect(names).toEqual([...names].sort());
  });

  it('the default page is 50; over 200 or a forged cursor is a 400, never a 500', async () => {
    const h = auth(t.app, w.coordinator);
    expect((await t.app.inject({ method: 'GET', url: `${URL}&limit=201`, headers: h })).statusCode).toBe(400);
    for (const cursor of ['garbage', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["a","not-a-uuid"]').toString('base64url')]) {
      const res = await t.app.inject({ method: 'GET', url: `${URL}&cursor=${cursor}`, headers: h });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('overdue report pages its stewards', () => {
  const URL = '/api/v1/cadence/overdue?date=2026-02-10';

  it('every steward exactly once across pages of 2, worst first; total and areas on every page', async () => {
    const whole = (await t.app.inject({ method: 'GET', url: `${URL}&limit=200`, headers: auth(t.app, w.coordinator) })).json();
    const pages = await all(URL, 2);
    const rows = pages.flatMap((p) => p.bySteward);
    const ids = rows.map((s: { steward: { id: string } }) => s.steward.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rows).toEqual(whole.bySteward);
    for (const id of [...stewardIds, busy]) expect(ids).toContain(id);
    for (const p of pages) {
      expect(p.total).toEqual(whole.total);
      expect(p.byArea).toEqual(whole.byArea);
    }
    const key = (s: { summary: { overdue: number; due: number } }) => s.summary.overdue * 1000 + s.summary.due;
    for (let i = 1; i < rows.length; i++) expect(key(rows[i - 1])).toBeGreaterThanOrEqual(key(rows[i]));
    const sum = rows.reduce((n: number, s: { summary: { done: number; due: number; overdue: number } }) => n + s.summary.done + s.summary.due + s.summary.overdue, 0);
    expect(sum).toBe(whole.total.done + whole.total.due + whole.total.overdue);
    // the 7th steward phoned 4 of 7 (other class: one contact a month); February has ended by now
    expect(rows.find((s: { steward: { id: string } }) => s.steward.id === stewardIds[6]).summary).toEqual({ done: 4, due: 0, overdue: 3 });
    const many = rows.find((s: { steward: { id: string } }) => s.steward.id === busy);
    expect(many.summary.overdue).toBe(OVERDUE_PENDING_MAX + 3);
    expect(ids[0]).toBe(busy);
    expect(many.pending).toHaveLength(OVERDUE_PENDING_MAX);
  });

  it('a forged cursor is a 400', async () => {
    const h = auth(t.app, w.coordinator);
    for (const cursor of ['%%%', Buffer.from('["x",1,"a","b"]').toString('base64url'), Buffer.from('[1,1,"a","nope"]').toString('base64url')]) {
      const res = await t.app.inject({ method: 'GET', url: `${URL}&cursor=${cursor}`, headers: h });
      expect(res.statusCode).toBe(400);
    }
  });
});
