import type { OverdueReport } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { buildEnterprise, buildPerson, seedDistrict, type World } from '../../../test/factories';
import type { AuthUser } from '../../lib/principal';
import { overdueReport, stewardsBehindCadence, type CadenceMode } from './cadence.service';
import { buildCadenceCounts, foldCadenceCounts, maintainCadenceCounts, moveCadenceHorizon, cadenceHorizon } from './cadence-counts';
import { getVisitSettings } from './visit-settings';

// ADR 0019: the maintained cadence counts must give exactly what the live computation gives, on a random district,
// after random writes of every kind that moves them.
jest.setTimeout(300_000);

let t: TestApp;
let w: World;
let coordinator: AuthUser;
const areas: string[] = [];
const stewards: string[] = [];
const enterprises: string[] = [];

// a small deterministic PRNG (mulberry32): a failure can be replayed
let seed = 20261201;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const day = (from: string, span: number) => new Date(Date.parse(`${from}T00:00:00Z`) + int(0, span) * 86_400_000).toISOString().slice(0, 10);
/** An instant in Shanghai between January and July 2026, often within minutes of midnight (period edges). */
const instant = () => {
  const d = day('2026-01-03', 205);
  const edge = rnd() < 0.3;
  const hh = edge ? pick(['00', '23']) : String(int(8, 20)).padStart(2, '0');
  const mm = edge ? String(int(0, 59)).padStart(2, '0') : '30';
  return `${d}T${hh}:${mm}:00+08:00`;
};

async function addVisit() {
  const [a] = await t.db.query(`SELECT steward_id, enterprise_id FROM assignment WHERE district_id = $1 ORDER BY random() LIMIT 1`, [w.districtId]);
  const stewardId = rnd() < 0.85 && a ? a.steward_id : pick(stewards);
  const enterpriseId = rnd() < 0.85 && a ? a.enterprise_id : pick(enterprises);
  const kind = pick(['onsite', 'onsite', 'phone', 'wechat', 'meeting'] as const);
  const status = kind === 'onsite' ? pick(['completed', 'completed', 'checked_in', 'planned', 'cancelled']) : pick(['completed', 'completed', 'cancelled']);
  const at = instant();
  await t.db.query(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, checkin_at, created_by)
     VALUES ($1, $2, $3, $4::varchar, $5::varchar, $6::timestamptz, CASE WHEN $4::varchar = 'onsite' AND $5::varchar IN ('checked_in','completed') THEN $6::timestamptz END, $2)`,
    [w.districtId, stewardId, enterpriseId, kind, status, at],
  );
}

async function addAssignment(stewardId = pick(stewards), enterpriseId = pick(enterprises)) {
  const starts = day('2026-01-01', 200);
  const open = rnd() < 0.4;
  const ends = open ? null : new Date(Date.parse(`${starts}T00:00:00Z`) + int(0, 60) * 86_400_000).toISOString().slice(0, 10);
  // one open assignment per pair (uq_assignment_active)
  await t.db.query(
    `INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on, ends_on)
     SELECT $1, $2, $3, $4, $5 WHERE $5::date IS NOT NULL OR NOT EXISTS (SELECT 1 FROM assignment WHERE steward_id = $2 AND enterprise_id = $3 AND ends_on IS NULL)`,
    [w.districtId, stewardId, enterpriseId, starts, ends],
  );
}

async function setSettings(visits: Record<string, unknown>) {
  await t.db.query(
    `UPDATE district SET settings = jsonb_set(settings, '{visits}', COALESCE(settings -> 'visits', '{}'::jsonb) || $2::jsonb, true) WHERE id = $1`,
    [w.districtId, JSON.stringify(visits)],
  );
}

/** Every page of the report (limit 2: the keyset is walked too), concatenated. */
async function walk(date: string, now: Date, mode: CadenceMode, areaId?: string) {
  const pages: OverdueReport[] = [];
  let cursor: string | undefined;
  do {
    const r = await overdueReport(t.db, coordinator, { date, areaId, limit: 2, ...(cursor ? { cursor } : {}) }, now, mode);
    pages.push(r);
    cursor = r.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return { total: pages[0]!.total, byArea: pages[0]!.byArea, bySteward: pages.flatMap((p) => p.bySteward), cursors: pages.map((p) => p.nextCursor) };
}

const DATES = ['2026-01-15', '2026-02-01', '2026-02-28', '2026-03-31', '2026-04-01', '2026-05-20', '2026-06-30', '2026-07-10'];

/** The counted answer equals the live one for every date, two instants of view, every area and the district. */
async function expectSame(label: string, dates = DATES) {
  let compared = 0;
  for (const date of dates) {
    // long after (everything ended: overdue), at noon of the date (its periods run: due), two days later (a week or
    // month may have ended while a quarter runs: both statuses on one page)
    const noon = Date.parse(`${date}T12:00:00+08:00`);
    for (const now of [new Date('2026-12-01T04:00:00Z'), new Date(noon), new Date(noon + 2 * 86_400_000)]) {
      for (const areaId of [undefined, ...areas]) {
        const counted = await walk(date, now, 'counted', areaId);
        const live = await walk(date, now, 'live', areaId);
        expect({ label, date, now, areaId, ...counted }).toEqual({ label, date, now, areaId, ...live });
        compared++;
      }
      for (const scope of [{}, ...areas.map((areaId) => ({ areaId })), ...stewards.map((stewardId) => ({ stewardId }))]) {
        const counted = await stewardsBehindCadence(t.db, w.districtId, { date, now, ...scope, mode: 'counted' });
        const live = await stewardsBehindCadence(t.db, w.districtId, { date, now, ...scope, mode: 'live' });
        expect({ label, date, now, scope, behind: counted }).toEqual({ label, date, now, scope, behind: live });
      }
    }
  }
  return compared;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  coordinator = { id: w.coordinator.id, districtId: w.districtId, roles: ['coordinator'], enterpriseId: null, departmentId: null };
  areas.push(...w.areas);
  const [a3] = await t.db.query(`INSERT INTO area (district_id, code, name, kind) VALUES ($1, $2, '三号街道', 'street') RETURNING id`, [w.districtId, `${w.code}102`]);
  areas.push(a3.id);
  stewards.push(w.steward.id, w.steward2.id);
  for (const name of ['管家甲', '管家乙', '管家丙']) stewards.push((await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'], name })).id);
  enterprises.push(...w.enterprises.map((e) => e.id));
  for (let i = 0; i < 36; i++) {
    const e = await buildEnterprise(t.db, {
      districtId: w.districtId, areaId: pick(areas), name: `企业${String.fromCharCode(0x4e00 + int(0, 40))}${i % 7}`,
      tags: rnd() < 0.3 ? ['重点企业'] : rnd() < 0.2 ? ['专精特新'] : [], scale: rnd() < 0.3 ? 'above' : 'below',
    });
    enterprises.push(e.id);
  }
  // assignments: most enterprises one steward; some two; some pairs renewed with gaps, touching or overlapping
  for (const e of enterprises) {
    await addAssignment(pick(stewards), e);
    if (rnd() < 0.3) await addAssignment(pick(stewards), e);
  }
  for (let i = 0; i < 12; i++) {
    const [a] = await t.db.query(`SELECT steward_id, enterprise_id FROM assignment WHERE district_id = $1 ORDER BY random() LIMIT 1`, [w.districtId]);
    await addAssignment(a.steward_id, a.enterprise_id);
  }
  for (let i = 0; i < 300; i++) await addVisit();
});
afterAll(() => t.close());

describe('cadence counts (ADR 0019) equal the live computation', () => {
  it('are not used before the district is built, then answer every date, scope and page as the live statement does', async () => {
    await expect(overdueReport(t.db, coordinator, { date: '2026-03-31' }, new Date(), 'counted')).rejects.toThrow(/cannot answer/);
    const settings = await getVisitSettings(t.db, w.districtId);
    await buildCadenceCounts(t.db, w.districtId, settings, '2025-12-29');
    expect(await expectSame('built')).toBeGreaterThan(0);
    // a sanity check that the data exercises every status
    const r = await overdueReport(t.db, coordinator, { date: '2026-03-31' }, new Date('2026-12-01T04:00:00Z'), 'counted');
    expect(r.total.done).toBeGreaterThan(0);
    expect(r.total.overdue).toBeGreaterThan(0);
    expect(r.bySteward.some((s) => s.pending.length > 0)).toBe(true);
    // periods starting before the horizon are not answered from the counts
    await expect(overdueReport(t.db, coordinator, { date: '2025-12-20' }, new Date(), 'counted')).rejects.toThrow(/cannot answer/);
  });

  it('stay exact through visits added, voided, back-dated, moved and deleted', async () => {
    for (let i = 0; i < 60; i++) await addVisit();
    await t.db.query(`UPDATE visit SET status = 'cancelled' WHERE id IN (SELECT id FROM visit WHERE district_id = $1 AND status = 'completed' ORDER BY random() LIMIT 25)`, [w.districtId]);
    await t.db.query(`UPDATE visit SET occurred_at = occurred_at - interval '9 days' WHERE id IN (SELECT id FROM visit WHERE district_id = $1 ORDER BY random() LIMIT 25)`, [w.districtId]);
    await t.db.query(`UPDATE visit SET occurred_at = occurred_at + interval '35 minutes' WHERE id IN (SELECT id FROM visit WHERE district_id = $1 ORDER BY random() LIMIT 25)`, [w.districtId]);
    await t.db.query(`UPDATE visit SET kind = 'meeting' WHERE id IN (SELECT id FROM visit WHERE district_id = $1 AND kind = 'phone' ORDER BY random() LIMIT 10)`, [w.districtId]);
    await t.db.query(`UPDATE visit SET steward_id = $2 WHERE id IN (SELECT id FROM visit WHERE district_id = $1 ORDER BY random() LIMIT 10)`, [w.districtId, stewards[3]]);
    await t.db.query(`UPDATE visit SET status = 'completed', checkin_at = occurred_at WHERE id IN (SELECT id FROM visit WHERE district_id = $1 AND status = 'planned' ORDER BY random() LIMIT 10)`, [w.districtId]);
    await t.db.query(`DELETE FROM visit WHERE id IN (SELECT id FROM visit WHERE district_id = $1 ORDER BY random() LIMIT 15)`, [w.districtId]);
    await expectSame('visits');
  });

  it('stay exact through reassignments, date edits, renewals, multi-row statements and deletions', async () => {
    // reassign: end some open assignments and give the enterprise to another steward the next day
    const open: { id: string; enterprise_id: string }[] = await t.db.query(
      `SELECT id, enterprise_id FROM assignment WHERE district_id = $1 AND ends_on IS NULL ORDER BY random() LIMIT 8`, [w.districtId]);
    for (const a of open) {
      const [{ d }] = await t.db.query(
        `WITH u AS (UPDATE assignment SET ends_on = greatest(starts_on, date '2026-03-14') WHERE id = $1 RETURNING to_char(ends_on + 1, 'YYYY-MM-DD') AS d) SELECT d FROM u`, [a.id]);
      await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on)
                        SELECT $1, s, $2, $3 FROM unnest($4::uuid[]) s WHERE NOT EXISTS (SELECT 1 FROM assignment WHERE steward_id = s AND enterprise_id = $2 AND ends_on IS NULL) LIMIT 1`,
        [w.districtId, a.enterprise_id, d, stewards]);
    }
    await t.db.query(`UPDATE assignment SET starts_on = starts_on + 20 WHERE id IN (SELECT id FROM assignment WHERE district_id = $1 AND (ends_on IS NULL OR ends_on >= starts_on + 20) ORDER BY random() LIMIT 6)`, [w.districtId]);
    await t.db.query(`UPDATE assignment SET ends_on = starts_on + 40 WHERE id IN (SELECT id FROM assignment WHERE district_id = $1 AND ends_on IS NOT NULL ORDER BY random() LIMIT 6)`, [w.districtId]);
    // one statement touching every assignment of a pair with several (the trigger sees the statement whole)
    await t.db.query(
      `UPDATE assignment SET ends_on = COALESCE(ends_on, starts_on + 100) - 3
        WHERE (steward_id, enterprise_id) IN (SELECT steward_id, enterprise_id FROM assignment WHERE district_id = $1 GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 3)
          AND COALESCE(ends_on, starts_on + 100) - 3 >= starts_on`, [w.districtId]);
    for (let i = 0; i < 10; i++) await addAssignment();
    await t.db.query(`DELETE FROM assignment WHERE id IN (SELECT id FROM assignment WHERE district_id = $1 ORDER BY random() LIMIT 5)`, [w.districtId]);
    await expectSame('assignments');
  });

  it('stay exact through enterprises changing class, area and name, and after folding', async () => {
    const some = enterprises.slice(0, 12);
    await t.db.query(`UPDATE enterprise SET tags = CASE WHEN '重点企业' = ANY(tags) THEN '{}'::text[] ELSE '{重点企业}'::text[] END WHERE id = ANY($1::uuid[])`, [some.slice(0, 4)]);
    await t.db.query(`UPDATE enterprise SET scale = CASE scale WHEN 'above' THEN 'below' ELSE 'above' END WHERE id = ANY($1::uuid[])`, [some.slice(4, 8)]);
    await t.db.query(`UPDATE enterprise SET area_id = $2 WHERE id = ANY($1::uuid[])`, [some.slice(6, 10), areas[2]]);
    await t.db.query(`UPDATE enterprise SET name = '企业' || md5(id::text) WHERE id = ANY($1::uuid[])`, [some.slice(9, 12)]);
    await expectSame('enterprises');
    expect(await foldCadenceCounts(t.db)).toBeGreaterThan(0);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM cadence_done GROUP BY district_id, period, first_day, steward_id, area_id, is_key, n_any, n_onsite HAVING count(*) > 1) x`);
    expect(n).toBe(0);
    await expectSame('folded', ['2026-02-28', '2026-05-20']);
  });

  it('apply new cadence rules at once, and new key criteria after the job rebuilds', async () => {
    await setSettings({ cadenceRules: [{ enterpriseClass: 'key', period: 'week', requiredKind: 'any', requiredCount: 1 }, { enterpriseClass: 'other', period: 'quarter', requiredKind: 'onsite', requiredCount: 2 }] });
    await expectSame('week and quarter rules', ['2026-01-15', '2026-03-31', '2026-04-01', '2026-06-30']);
    await setSettings({ cadenceRules: [{ enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 3 }] });
    await expectSame('other only', ['2026-02-28', '2026-05-20']);
    await setSettings({ cadenceRules: [{ enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 }, { enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 1 }], keyTags: ['专精特新'], keyIncludesAboveScale: false });
    await expect(overdueReport(t.db, coordinator, { date: '2026-03-31' }, new Date(), 'counted')).rejects.toThrow(/cannot answer/);
    // auto falls back to live meanwhile
    const live = await overdueReport(t.db, coordinator, { date: '2026-03-31' }, new Date(), 'live');
    expect(await overdueReport(t.db, coordinator, { date: '2026-03-31' }, new Date(), 'auto')).toEqual(live);
    const r = await maintainCadenceCounts(t.db, new Date(), { horizon: '2025-12-29' });
    expect(r.built).toBeGreaterThanOrEqual(1);
    await expectSame('new key criteria');
    for (let i = 0; i < 20; i++) await addVisit();
    await t.db.query(`UPDATE enterprise SET tags = '{专精特新}' WHERE id = ANY($1::uuid[])`, [enterprises.slice(20, 24)]);
    await expectSame('after the rebuild', ['2026-03-31', '2026-06-30']);
  });

  it('answer only from the horizon on once it moves, and stay exact there', async () => {
    await moveCadenceHorizon(t.db, w.districtId, '2026-04-01');
    await expect(overdueReport(t.db, coordinator, { date: '2026-03-31' }, new Date(), 'counted')).rejects.toThrow(/cannot answer/);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM cadence_contact WHERE district_id = $1 AND first_day < '2026-04-01'`, [w.districtId]);
    expect(n).toBe(0);
    await expectSame('horizon moved', ['2026-04-01', '2026-05-20', '2026-06-30', '2026-07-10']);
    for (let i = 0; i < 20; i++) await addVisit();
    await t.db.query(`UPDATE visit SET status = 'cancelled' WHERE id IN (SELECT id FROM visit WHERE district_id = $1 AND status = 'completed' ORDER BY random() LIMIT 10)`, [w.districtId]);
    for (let i = 0; i < 4; i++) await addAssignment();
    await expectSame('after the move', ['2026-04-01', '2026-06-30']);
  });

  it('the horizon is the first day of the quarter before the current one (Asia/Shanghai)', () => {
    expect(cadenceHorizon(new Date('2026-12-01T04:00:00Z'))).toBe('2026-07-01');
    expect(cadenceHorizon(new Date('2026-03-31T15:59:00Z'))).toBe('2025-10-01');
    expect(cadenceHorizon(new Date('2026-03-31T16:00:00Z'))).toBe('2026-01-01');
  });
});
