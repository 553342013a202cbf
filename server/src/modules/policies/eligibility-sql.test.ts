import fc from 'fast-check';
import { CERTIFICATION_KINDS, REVENUE_BANDS, SIZE_CLASSES, TAX_BANDS, evaluateEligibility, type Eligibility } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type World } from '../../../test/factories';
import { eligibilitySql, outcomeSql } from './eligibility-sql';
import { PROFILE_SELECT, toEligibilityProfile, type ProfileRow } from './profile.service';

jest.setTimeout(180_000);

/**
 * The SQL evaluation of eligibility (the editor's live count) against the pure function on random data: every
 * field, validity dates, library history, missing data. Both must give every enterprise the same outcome.
 */
let t: TestApp;
let d: World;
let libs: string[];
const TODAY = '2026-06-15';
// a narrow window around TODAY, so boundaries (joined / left / expires on the very day) come up often
const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2026, 4, 1) + n * 86400000).toISOString().slice(0, 10));
const SECTIONS = ['C', 'I', 'M'];
const DIVISIONS = ['13', '34', '39', '65', '73'];

beforeAll(async () => {
  t = await createTestApp();
  d = await seedDistrict(t.db);
  libs = [];
  for (const name of ['重点企业培育库', '研发投入型企业培育库']) libs.push((await t.db.query(`INSERT INTO enterprise_library (district_id, name) VALUES ($1,$2) RETURNING id`, [d.districtId, name]))[0].id);
  const profiles = fc.sample(fc.record({
    area: fc.constantFrom(...d.areas), above: fc.boolean(),
    section: fc.option(fc.constantFrom(...SECTIONS), { nil: null }), division: fc.option(fc.constantFrom(...DIVISIONS), { nil: null }),
    size: fc.option(fc.constantFrom(...SIZE_CLASSES), { nil: null }), employees: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    revenue: fc.option(fc.constantFrom(...REVENUE_BANDS), { nil: null }), tax: fc.option(fc.constantFrom(...TAX_BANDS), { nil: null }),
    founded: fc.option(day, { nil: null }),
    certs: fc.uniqueArray(fc.record({ kind: fc.constantFrom(...CERTIFICATION_KINDS), on: day, days: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }) }), { maxLength: 3, selector: (c) => `${c.kind}${c.on}` }),
    libs: fc.array(fc.record({ lib: fc.integer({ min: 0, max: 1 }), on: day, days: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }) }), { maxLength: 2 }),
  }), 120);
  for (const p of profiles) {
    const e = await buildEnterprise(t.db, { districtId: d.districtId, areaId: p.area, scale: p.above ? 'above' : 'below' });
    await t.db.query(`UPDATE enterprise SET industry_section = $2, industry_division = $3, size_class = $4, employees = $5, revenue_band = $6, tax_band = $7, founded_on = $8 WHERE id = $1`,
      [e.id, p.section, p.division, p.size, p.employees, p.revenue, p.tax, p.founded]);
    for (const c of p.certs)
      await t.db.query(`INSERT INTO enterprise_certification (district_id, enterprise_id, kind, certified_on, expires_on) VALUES ($1,$2,$3,$4::date, $4::date + $5::int)`,
        [d.districtId, e.id, c.kind, c.on, c.days]);
    const seen = new Set<number>();
    for (const m of p.libs) {
      if (seen.has(m.lib)) continue; // one membership per library keeps the current-member index happy
      seen.add(m.lib);
      await t.db.query(`INSERT INTO library_membership (district_id, library_id, enterprise_id, joined_on, left_on) VALUES ($1,$2,$3,$4::date, $4::date + $5::int)`,
        [d.districtId, libs[m.lib], e.id, m.on, m.days]);
    }
  }
}, 180_000);
afterAll(() => t.close());

const eligibility = () => fc.record({
  match: fc.constantFrom('all' as const, 'any' as const),
  conditions: fc.array(fc.oneof(
    fc.record({ field: fc.constant('industry_section' as const), in: fc.subarray(SECTIONS, { minLength: 1 }) }),
    fc.record({ field: fc.constant('industry_division' as const), in: fc.subarray(DIVISIONS, { minLength: 1 }) }),
    fc.record({ field: fc.constant('size_class' as const), in: fc.subarray([...SIZE_CLASSES], { minLength: 1 }) }),
    fc.record({ field: fc.constant('above_scale' as const), equals: fc.boolean() }),
    fc.record({ field: fc.constant('certification' as const), kind: fc.constantFrom(...CERTIFICATION_KINDS), validOn: fc.option(day, { nil: undefined }) }, { requiredKeys: ['field', 'kind'] }),
    fc.record({ field: fc.constant('library' as const), libraryId: fc.constantFrom(...libs), on: fc.option(day, { nil: undefined }) }, { requiredKeys: ['field', 'libraryId'] }),
    fc.record({ field: fc.constant('area' as const), in: fc.subarray(d.areas, { minLength: 1 }) }),
    fc.record({ field: fc.constant('founded_before' as const), date: day }),
    fc.record({ field: fc.constant('employees_at_least' as const), value: fc.integer({ min: 0, max: 500 }) }),
    fc.record({ field: fc.constant('revenue_at_least' as const), band: fc.constantFrom(...REVENUE_BANDS) }),
    fc.record({ field: fc.constant('tax_at_least' as const), band: fc.constantFrom(...TAX_BANDS) }),
  ), { maxLength: 5 }),
}) as fc.Arbitrary<Eligibility>;

test('SQL and the pure function give every enterprise the same outcome (met / not met / unknown)', async () => {
  const rows: ProfileRow[] = await t.db.query(`SELECT ${PROFILE_SELECT} FROM enterprise e WHERE e.district_id = $1`, [d.districtId]);
  expect(rows.length).toBeGreaterThanOrEqual(120);
  const seen = { met: 0, not_met: 0, unknown: 0 };
  await fc.assert(fc.asyncProperty(eligibility(), async (el) => {
    const { params, p } = sqlParams([d.districtId]);
    const sql = await t.db.query(`SELECT e.id, ${outcomeSql(eligibilitySql(el, TODAY, p))} AS outcome FROM enterprise e WHERE e.district_id = $1`, params);
    const bySql = new Map<string, string>(sql.map((r: { id: string; outcome: string }) => [r.id, r.outcome]));
    for (const r of rows) {
      const pure = evaluateEligibility(el, toEligibilityProfile(r), { today: TODAY }).outcome;
      seen[pure]++;
      if (bySql.get(r.id) !== pure) throw new Error(`${r.id}: sql ${bySql.get(r.id)} ≠ pure ${pure} for ${JSON.stringify(el)} on ${JSON.stringify(toEligibilityProfile(r))}`);
    }
  }), { numRuns: 150 });
  // the random data exercised all three outcomes
  expect(Math.min(seen.met, seen.not_met, seen.unknown)).toBeGreaterThan(0);
});

test('the editor preview counts with SQL and agrees with the pure function by area', async () => {
  const el: Eligibility = { match: 'any', conditions: [{ field: 'certification', kind: 'specialized' }, { field: 'employees_at_least', value: 250 }] };
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/policies/preview', headers: auth(t.app, d.coordinator), payload: { eligibility: el } });
  expect(res.statusCode).toBe(200);
  const rows: ProfileRow[] = await t.db.query(`SELECT ${PROFILE_SELECT} FROM enterprise e WHERE e.district_id = $1`, [d.districtId]);
  const outcomes = rows.map((r) => ({ area: r.area_id, o: evaluateEligibility(el, toEligibilityProfile(r), { today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }).outcome }));
  expect(res.json()).toMatchObject({ met: outcomes.filter((x) => x.o === 'met').length, unknown: outcomes.filter((x) => x.o === 'unknown').length, notMet: outcomes.filter((x) => x.o === 'not_met').length });
  for (const a of res.json().byArea) expect(a.met).toBe(outcomes.filter((x) => x.area === a.area.id && x.o === 'met').length);
});
