import crypto from 'node:crypto';
import JSZip from 'jszip';
import { CONTACT_STATUSES, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay, workingDaysBetween } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import { auth, buildCityPerson, buildEnterprise, buildPerson, type ScopedPerson, type SeedPerson } from '../../../test/factories';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { runWorkReportDelivery } from './indicator.jobs';
import { compactTicketStats, contactsByChannel, monthlyReport, refreshTicketStats, ticketStats } from '../tickets/stats/stats.service';
import { enterprisesWithTickets, liveTicketCounts, liveVisitIndicators, periodOf, type Scope } from './indicators.service';
import { refreshVisitMonths, rolledVisitIndicators } from './visit-rollup';
import { getVisitSettings } from '../visits/visit-settings';
import { closedMonthOf, rolledTicketCounts, workingDayOrdinals } from './indicator-rollup';
import { buildMissingIndicatorLive, compactIndicatorLive, liveTicketCountsFromDeltas, rebuildIndicatorLive, runsToNow } from './indicator-live';
import type { IndicatorCounts } from '@guanjia/shared';

type IndicatorCountsRow = IndicatorCounts & { k: string | null };

/**
 * Indicators, rankings and the work report against a random district generated in SQL (seeded PRNG; the seed is
 * printed). Every expected figure is counted here, in JavaScript, from the generated rows — not by the module's SQL.
 */
const SEED = Number(process.env.INDICATOR_SEED ?? (Date.now() % 1_000_000_007));
function mulberry32(a: number) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number) => rnd() < p;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));

const DAY = 86_400_000;
const sh = (s: string) => new Date(`${s}+08:00`);
const MARCH = { start: sh('2026-03-01T00:00:00'), endEx: sh('2026-04-01T00:00:00') };
const FEB = { start: sh('2026-02-01T00:00:00'), endEx: sh('2026-03-01T00:00:00') };
const STATES = ['submitted', 'pending_dispatch', 'assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed', 'closed', 'withdrawn', 'merged'] as const;
const NEEDS_LEAD = new Set(['assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed']);
const AFTER_ACCEPT = new Set(['accepted', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed', 'closed']);
const AFTER_REPLY = new Set(['replied', 'awaiting_visit', 'confirmed', 'closed']);
const CLOCK = new Set(['assigned', 'accepted', 'in_progress']);

type Gen = {
  id?: string; created: Date; categoryId: string; topId: string; areaId: string; enterpriseId: string; dept: string | null;
  submittedBy: string; role: 'steward' | 'enterprise'; state: (typeof STATES)[number];
  assignedAt: Date | null; acceptDue: Date | null; replyDue: Date | null; acceptedAt: Date | null; repliedAt: Date | null;
  handled: boolean; solved: boolean; solvedAt: Date | null; verdict: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | null;
  returns: number; reopens: number; ext: number; level: number;
};
type GenVisit = { stewardId: string; enterpriseId: string; kind: string; status: string; at: Date; problems: number };

let t: TestApp;
let api: ReturnType<typeof apiAs>;
let a: TicketWorld;
let b: TicketWorld;
let city: ScopedPerson;
let stewards: SeedPerson[];
let enterprises: { id: string; areaId: string }[];
let cats: { id: string; parent: string | null; name: string }[];
const gen: Gen[] = [];
const visits: GenVisit[] = [];
const assignments: { stewardId: string; enterpriseId: string; starts: string; ends: string | null }[] = [];
let cal: Awaited<ReturnType<typeof loadWorkCalendar>>;
const now = new Date();
jest.setTimeout(120_000);

beforeAll(async () => {
  console.info(`indicators test seed: INDICATOR_SEED=${SEED}`);
  t = await createTestApp();
  api = apiAs(t);
  a = await seedTicketWorld(t.db, '211201');
  b = await seedTicketWorld(t.db, '211202');
  city = await buildCityPerson(t.db, '211200');
  await t.db.query(`UPDATE district SET city_code = '211200' WHERE id = ANY($1)`, [[a.districtId, b.districtId]]);
  cal = await loadWorkCalendar(t.db, '2026-03-15', a.districtId);
  const [d3] = await t.db.query(`INSERT INTO department (district_id, name) VALUES ($1, '发改局') RETURNING id`, [a.districtId]);
  const [d4] = await t.db.query(`INSERT INTO department (district_id, name) VALUES ($1, '自然资源局') RETURNING id`, [a.districtId]);
  const depts = [...a.departments, d3.id, d4.id];
  stewards = [a.steward, a.steward2, await buildPerson(t.db, { districtId: a.districtId, roles: ['steward'], name: '管家王' })];
  enterprises = [{ id: a.enterprises[0].id, areaId: a.areas[0] }, { id: a.enterprises[1].id, areaId: a.areas[1] }];
  for (let i = 0; i < 6; i++) {
    const areaId = pick(a.areas);
    enterprises.push({ id: (await buildEnterprise(t.db, { districtId: a.districtId, areaId })).id, areaId });
  }
  assignments.push({ stewardId: a.steward.id, enterpriseId: a.enterprises[0].id, starts: '2026-01-01', ends: null });
  assignments.push({ stewardId: a.steward2.id, enterpriseId: a.enterprises[1].id, starts: '2026-01-01', ends: null });
  for (const e of enterprises.slice(2)) {
    const s = pick(stewards);
    const starts = pick(['2026-01-01', '2026-03-10', '2026-04-02']);
    const ends = pick([null, null, '2026-02-15', '2026-03-20']);
    if (ends && ends < starts) continue;
    assignments.push({ stewardId: s.id, enterpriseId: e.id, starts, ends });
    await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on, ends_on) VALUES ($1,$2,$3,$4,$5)`, [a.districtId, s.id, e.id, starts, ends]);
  }
  cats = await t.db.query(`SELECT id, parent_id AS parent, name FROM ticket_category WHERE district_id = $1`, [a.districtId]);

  // An anchor in January for merged tickets to point at.
  const [anchor] = await t.db.query(
    `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, created_at, updated_at)
     VALUES ($1,'ANCHOR',$2,$3,$4,'锚点','锚点诉求',$5,'enterprise','submitted','2026-01-05T02:00:00Z','2026-01-05T02:00:00Z') RETURNING id`,
    [a.districtId, a.enterprises[0].id, a.areas[0], cats[0]!.id, a.contact1.id],
  );
  const n = int(160, 260);
  for (let i = 0; i < n; i++) {
    // Mostly February to March, some right at the month's edges, a few in April.
    const created = chance(0.08) ? new Date(MARCH.start.getTime() + pick([-1, 1, -60_000, 60_000]) * (chance(0.5) ? 1 : 1))
      : chance(0.05) ? new Date(MARCH.endEx.getTime() + int(0, 5) * DAY + 3600_000)
        : new Date(FEB.start.getTime() + rnd() * (MARCH.endEx.getTime() - FEB.start.getTime()));
    const c = pick(cats);
    const e = pick(enterprises);
    const state = pick(STATES);
    const dept = NEEDS_LEAD.has(state) || (state !== 'submitted' && state !== 'pending_dispatch' && chance(0.6)) ? pick(depts) : null;
    const assignedAt = dept ? new Date(created.getTime() + int(0, 2) * DAY + int(0, 3600_000)) : null;
    const far = sh('2027-01-15T12:00:00');
    const acceptDue = assignedAt ? (CLOCK.has(state) && chance(0.5) ? far : new Date(assignedAt.getTime() + int(1, 3) * DAY)) : null;
    const replyDue = assignedAt ? (CLOCK.has(state) && chance(0.5) ? far : new Date(assignedAt.getTime() + int(4, 15) * DAY)) : null;
    const acceptedAt = assignedAt && (AFTER_ACCEPT.has(state) || (state === 'withdrawn' && chance(0.3))) ? new Date(assignedAt.getTime() + int(0, 6) * DAY + int(0, 3600_000)) : null;
    const repliedAt = acceptedAt && AFTER_REPLY.has(state) ? new Date(acceptedAt.getTime() + int(0, 20) * DAY + int(0, 3600_000)) : null;
    const handled = !!repliedAt;
    const solved = handled && chance(0.6);
    const solvedAt = solved ? new Date(repliedAt!.getTime() + int(0, 12) * DAY) : null;
    const verdict = handled && chance(0.7) ? pick(['satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied'] as const) : null;
    const role = chance(0.35) ? 'steward' : 'enterprise';
    gen.push({
      created, categoryId: c.id, topId: c.parent ?? c.id, areaId: e.areaId, enterpriseId: e.id, dept,
      submittedBy: role === 'steward' ? pick(stewards).id : a.contact1.id, role, state,
      assignedAt, acceptDue, replyDue, acceptedAt, repliedAt, handled, solved, solvedAt, verdict,
      returns: chance(0.15) ? int(1, 2) : 0, reopens: chance(0.1) ? 1 : 0, ext: chance(0.1) ? int(1, 5) : 0, level: pick([1, 1, 1, 1, 2, 2, 3, 4]),
    });
  }
  for (const [i, g] of gen.entries()) {
    const [row] = await t.db.query(
      `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state,
         lead_department_id, assigned_at, accept_due_at, reply_due_at, accepted_at, replied_at, is_handled, is_solved, solved_at, verdict,
         return_count, reopen_count, extension_days_granted, escalation_level, merged_into_id, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,'随机生成的诉求',$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$25) RETURNING id`,
      [a.districtId, `R${String(i).padStart(5, '0')}`, g.enterpriseId, g.areaId, g.categoryId, `随机诉求${i}`, g.submittedBy, g.role, g.state,
        g.dept, g.assignedAt, g.acceptDue, g.replyDue, g.acceptedAt, g.repliedAt, g.handled, g.solved, g.solvedAt, g.verdict,
        g.returns, g.reopens, g.ext, g.level, g.state === 'merged' ? anchor.id : null, g.created],
    );
    g.id = row.id;
  }
  // 督办单 on some tickets, issued around March.
  let s = 0;
  for (const g of gen) {
    if (!g.dept || !chance(0.2)) continue;
    const issued = new Date(g.created.getTime() + int(1, 10) * DAY);
    const status = pick(['issued', 'acknowledged', 'done']);
    await t.db.query(
      `INSERT INTO supervision (district_id, ticket_id, no, department_id, kind, status, issued_by, issued_at) VALUES ($1,$2,$3,$4,'manual',$5,$6,$7)`,
      [a.districtId, g.id, `D${s++}`, g.dept, status, a.coordinator.id, issued],
    );
    (g as Gen & { sup?: { issued: Date; status: string }[] }).sup = [...((g as Gen & { sup?: { issued: Date; status: string }[] }).sup ?? []), { issued, status }];
  }
  // Visits of every kind and status around March.
  for (let i = 0; i < int(60, 120); i++) {
    const kind = pick(['onsite', 'phone', 'wechat', 'meeting']);
    const status = kind === 'onsite' ? pick(['planned', 'checked_in', 'completed', 'cancelled']) : pick(['completed', 'completed', 'cancelled']);
    const at = new Date(FEB.start.getTime() + 20 * DAY + rnd() * 45 * DAY);
    const v = { stewardId: pick(stewards).id, enterpriseId: pick(enterprises).id, kind, status, at, problems: chance(0.2) ? int(1, 3) : 0 };
    visits.push(v);
    await t.db.query(
      `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, checkin_at, problems, created_by)
       VALUES ($1,$2,$3,$4::varchar,$5::varchar,$6,CASE WHEN $5::varchar IN ('checked_in','completed') AND $4::varchar = 'onsite' THEN $6::timestamptz END,$7::jsonb,$2)`,
      [a.districtId, v.stewardId, v.enterpriseId, kind, status, at, JSON.stringify(Array.from({ length: v.problems }, (_, k) => ({ text: `问题${k}` })))],
    );
  }
  // District B: a little of everything, never to be seen from A.
  await t.db.query(
    `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, created_at, updated_at)
     VALUES ($1,'B1',$2,$3,(SELECT id FROM ticket_category WHERE district_id = $1 LIMIT 1),'乙区诉求','乙区诉求',$4,'enterprise','submitted','2026-03-05T02:00:00Z','2026-03-05T02:00:00Z')`,
    [b.districtId, b.enterprises[0].id, b.areas[0], b.contact1.id],
  );
}, 300_000);
afterAll(async () => { await t.close(); });

// ---------------------------------------------------------------- expected figures, counted from `gen`
const inPeriod = (g: Gen, p: { start: Date; endEx: Date }) => g.created >= p.start && g.created < p.endEx;
const received = (g: Gen) => g.state !== 'withdrawn' && g.state !== 'merged';
const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

function expected(rows: Gen[], asOf: Date, w = { response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 }) {
  const R = rows.filter(received);
  const acc = rows.filter((g) => g.acceptedAt && g.acceptedAt < asOf && g.state !== 'merged');
  const rep = rows.filter((g) => g.repliedAt && g.repliedAt < asOf && g.state !== 'merged');
  const solved = R.filter((g) => g.solved && g.solvedAt! < asOf).length;
  const sat = R.filter((g) => g.verdict === 'satisfied').length;
  const bas = R.filter((g) => g.verdict === 'basically_satisfied').length;
  const dis = R.filter((g) => g.verdict === 'dissatisfied').length;
  const accRate = pct(acc.filter((g) => g.acceptedAt! <= g.acceptDue!).length, acc.length);
  const solveRate = pct(solved, R.length);
  const satRate = pct(sat + w.basicallySatisfied * bas, sat + bas + dis);
  const days = (list: Gen[], end: (g: Gen) => Date) => {
    const xs = list.filter((g) => g.assignedAt).map((g) => workingDaysBetween(cal, shanghaiDate(g.assignedAt!), shanghaiDate(end(g))));
    return xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10 : null;
  };
  return {
    received: R.length,
    solved,
    inCoordination: R.length - solved,
    handled: R.filter((g) => g.handled).length,
    accepted: acc.length,
    acceptedOnTime: acc.filter((g) => g.acceptedAt! <= g.acceptDue!).length,
    replied: rep.length,
    repliedOnTime: rep.filter((g) => g.repliedAt! <= g.replyDue!).length,
    returned: R.filter((g) => g.returns > 0).length,
    reopened: R.filter((g) => g.reopens > 0).length,
    extended: R.filter((g) => g.ext > 0).length,
    withdrawn: rows.filter((g) => g.state === 'withdrawn').length,
    overdue: rows.filter((g) => CLOCK.has(g.state) && ((g.state === 'assigned' && g.acceptDue! < now) || g.replyDue! < now)).length,
    satisfied: sat, basicallySatisfied: bas, dissatisfied: dis,
    acceptOnTimeRate: accRate,
    replyOnTimeRate: pct(rep.filter((g) => g.repliedAt! <= g.replyDue!).length, rep.length),
    handledRate: pct(R.filter((g) => g.handled).length, R.length),
    solveRate,
    satisfactionRate: satRate,
    returnRate: pct(R.filter((g) => g.returns > 0).length, R.length),
    reopenRate: pct(R.filter((g) => g.reopens > 0).length, R.length),
    avgAcceptDays: days(acc, (g) => g.acceptedAt!),
    avgReplyDays: days(rep, (g) => g.repliedAt!),
    score: R.length === 0 ? null : Math.round((w.response * (accRate ?? 0) + w.solve * (solveRate ?? 0) + w.satisfaction * (satRate ?? 0)) * 10) / 10,
  };
}
const FIGURE_KEYS = Object.keys(expected([], new Date())) as (keyof ReturnType<typeof expected>)[];
const pickFigures = (o: Record<string, unknown>) => Object.fromEntries(FIGURE_KEYS.map((k) => [k, o[k]]));

const get = async (who: SeedPerson | ScopedPerson, url: string) => {
  const res = await api('GET', url, who);
  return { status: res.statusCode, body: res.json() };
};

describe('indicators of a random district (seeded)', () => {
  const march = (g: Gen) => inPeriod(g, MARCH);

  test('the district summary of March equals the figures counted from the generated rows', async () => {
    const r = await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31');
    expect(r.status).toBe(200);
    const rows = gen.filter(march);
    expect(pickFigures(r.body.tickets)).toEqual(expected(rows, MARCH.endEx));
    expect(r.body.tickets.enterprises).toBe(new Set(rows.filter(received).map((g) => g.enterpriseId)).size);
    const R = rows.filter(received);
    expect(r.body.tickets.escalations).toEqual({
      level2: R.filter((g) => g.level === 2).length, level3: R.filter((g) => g.level === 3).length, level4: R.filter((g) => g.level === 4).length,
    });
    // categories add up to the total; solved + in coordination = total
    const byCat = r.body.tickets.byCategory as { category: { id: string }; received: number; solved: number; children: { received: number }[] }[];
    expect(byCat.reduce((s, c) => s + c.received, 0)).toBe(r.body.tickets.received);
    expect(r.body.tickets.solved + r.body.tickets.inCoordination).toBe(r.body.tickets.received);
    for (const c of byCat) {
      expect(c.received).toBe(R.filter((g) => g.topId === c.category.id).length);
      expect(c.children.reduce((s, x) => s + x.received, 0)).toBe(R.filter((g) => g.topId === c.category.id && g.categoryId !== c.category.id).length);
    }
    // 督办单 issued in March for the district's tickets
    const sups = gen.flatMap((g) => ((g as Gen & { sup?: { issued: Date; status: string }[] }).sup ?? [])).filter((s) => s.issued >= MARCH.start && s.issued < MARCH.endEx);
    expect(r.body.tickets.supervisions).toEqual({ issued: sups.length, done: sups.filter((s) => s.status === 'done').length });
    // contacts and coverage
    const v = visits.filter((x) => x.at >= MARCH.start && x.at < MARCH.endEx && ['checked_in', 'completed'].includes(x.status));
    const assigned = new Set(assignments.filter((x) => x.starts <= '2026-03-31' && (!x.ends || x.ends >= '2026-03-01')).map((x) => x.enterpriseId));
    const contacted = new Set(v.map((x) => x.enterpriseId));
    expect(r.body.visits).toMatchObject({
      contacts: v.length,
      byChannel: { onsite: v.filter((x) => x.kind === 'onsite').length, phone: v.filter((x) => x.kind === 'phone').length, wechat: v.filter((x) => x.kind === 'wechat').length, meeting: v.filter((x) => x.kind === 'meeting').length },
      enterprisesContacted: contacted.size,
      enterprisesAssigned: assigned.size,
      assignedContacted: [...assigned].filter((e) => contacted.has(e)).length,
      problemsRaised: v.reduce((s, x) => s + x.problems, 0),
    });
  });

  test('every scope (area, department, steward, category) equals its own count', async () => {
    const rows = gen.filter(march);
    for (const area of a.areas) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${area}`);
      expect(pickFigures(r.body.tickets)).toEqual(expected(rows.filter((g) => g.areaId === area), MARCH.endEx));
    }
    const depts: string[] = (await t.db.query(`SELECT id FROM department WHERE district_id = $1`, [a.districtId])).map((x: { id: string }) => x.id);
    for (const d of depts) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=department&scopeId=${d}`);
      expect(pickFigures(r.body.tickets)).toEqual(expected(rows.filter((g) => g.dept === d), MARCH.endEx));
      expect(r.body.visits).toBeNull();
    }
    for (const s of stewards) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=steward&scopeId=${s.id}`);
      expect(pickFigures(r.body.tickets)).toEqual(expected(rows.filter((g) => g.role === 'steward' && g.submittedBy === s.id), MARCH.endEx));
      const v = visits.filter((x) => x.stewardId === s.id && x.at >= MARCH.start && x.at < MARCH.endEx && ['checked_in', 'completed'].includes(x.status));
      expect(r.body.visits.contacts).toBe(v.length);
    }
    for (const c of cats.filter((x) => !x.parent).slice(0, 4)) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=category&scopeId=${c.id}`);
      expect(pickFigures(r.body.tickets)).toEqual(expected(rows.filter((g) => g.topId === c.id), MARCH.endEx));
    }
  });

  test('breakdowns add up to the total, row by row as counted', async () => {
    const rows = gen.filter(march);
    const keyOf: Record<string, (g: Gen) => string | null> = {
      category: (g) => g.categoryId, area: (g) => g.areaId, department: (g) => g.dept, steward: (g) => (g.role === 'steward' ? g.submittedBy : null),
    };
    for (const by of ['category', 'area', 'department', 'steward']) {
      const r = await get(a.coordinator, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=${by}`);
      expect(r.status).toBe(200);
      expect(r.body.rows.reduce((s: number, x: { received: number }) => s + x.received, 0)).toBe(r.body.total.received);
      expect(pickFigures(r.body.total)).toEqual(expected(rows, MARCH.endEx));
      for (const row of r.body.rows) {
        const k = row.key.id === '00000000-0000-0000-0000-000000000000' ? null : row.key.id;
        expect(pickFigures(row)).toEqual(expected(rows.filter((g) => keyOf[by]!(g) === k), MARCH.endEx));
      }
    }
  });

  test('a weekly and a monthly series cover the period, zero weeks included', async () => {
    const r = await get(a.coordinator, '/stats/series?from=2026-02-01&to=2026-03-31&interval=month');
    expect(r.body.points.map((p: { label: string }) => p.label)).toEqual(['2026-02', '2026-03']);
    expect(r.body.points[1].received).toBe(gen.filter(march).filter(received).length);
    expect(r.body.points[0].received).toBe(gen.filter((g) => inPeriod(g, FEB)).filter(received).length);
    const w = await get(a.coordinator, '/stats/series?from=2026-03-01&to=2026-03-31&interval=week');
    expect(w.body.points[0]).toMatchObject({ from: '2026-03-01', to: '2026-03-01' }); // 1 March 2026 is a Sunday
    expect(w.body.points.reduce((s: number, p: { received: number }) => s + p.received, 0)).toBe(gen.filter(march).filter(received).length);
    for (const p of w.body.points) {
      const rows = gen.filter((g) => inPeriod(g, { start: sh(`${p.from}T00:00:00`), endEx: new Date(sh(`${p.to}T00:00:00`).getTime() + DAY) }));
      expect(p.received).toBe(rows.filter(received).length);
    }
  });

  test('the department ranking ranks by the composite score, with last month and 红黑榜', async () => {
    const depts: { id: string; name: string }[] = await t.db.query(`SELECT id, name FROM department WHERE district_id = $1 AND active`, [a.districtId]);
    const scores = (p: { start: Date; endEx: Date }) => depts.map((d) => ({ d, s: expected(gen.filter((g) => inPeriod(g, p) && g.dept === d.id), p.endEx).score }));
    const ranksOf = (list: { d: { id: string; name: string }; s: number | null }[]) => {
      const sorted = [...list].sort((x, y) => (x.s === null ? 1 : 0) - (y.s === null ? 1 : 0) || (y.s ?? 0) - (x.s ?? 0) || (x.d.name < y.d.name ? -1 : x.d.name > y.d.name ? 1 : x.d.id < y.d.id ? -1 : 1));
      const out = new Map<string, number | null>();
      sorted.forEach((x) => out.set(x.d.id, x.s === null ? null : 1 + sorted.filter((y) => y.s !== null && y.s > x.s!).length));
      return { sorted, out };
    };
    const cur = ranksOf(scores(MARCH));
    const prev = ranksOf(scores(FEB));
    const r = await get(a.coordinator, '/stats/rankings/departments?month=2026-03');
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x: { department: { id: string } }) => x.department.id)).toEqual(cur.sorted.map((x) => x.d.id));
    for (const row of r.body.rows) {
      expect(row.rank).toBe(cur.out.get(row.department.id));
      expect(row.previousRank).toBe(prev.out.get(row.department.id));
      const p = prev.out.get(row.department.id)!;
      if (row.rank !== null && p !== null) expect(row.change.text).toBe(p === row.rank ? '—' : p > row.rank ? `↑${p - row.rank}` : `↓${row.rank - p}`);
    }
    const ranked = cur.sorted.filter((x) => x.s !== null).map((x) => x.d.id);
    expect(r.body.red.map((x: { department: { id: string } }) => x.department.id)).toEqual(ranked.slice(0, 3));
    expect(r.body.black.map((x: { department: { id: string } }) => x.department.id)).toEqual(ranked.slice(3).slice(-3));
  });

  test('the steward ranking counts contacts, coverage, problems raised and solved', async () => {
    const r = await get(a.coordinator, '/stats/rankings/stewards?month=2026-03');
    expect(r.status).toBe(200);
    for (const s of stewards) {
      const row = r.body.rows.find((x: { steward: { id: string } }) => x.steward.id === s.id);
      const v = visits.filter((x) => x.stewardId === s.id && x.at >= MARCH.start && x.at < MARCH.endEx && ['checked_in', 'completed'].includes(x.status));
      const mine = assignments.filter((x) => x.stewardId === s.id && x.starts <= '2026-03-31' && (!x.ends || x.ends >= '2026-03-01'));
      const assigned = new Set(mine.map((x) => x.enterpriseId));
      const covered = [...assigned].filter((e) => v.some((x) => x.enterpriseId === e)).length;
      const e = expected(gen.filter((g) => inPeriod(g, MARCH) && g.role === 'steward' && g.submittedBy === s.id), MARCH.endEx);
      expect(row).toMatchObject({ contacts: v.length, enterprisesAssigned: assigned.size, assignedContacted: covered, problemsRaised: e.received, problemsSolved: e.solved });
      const parts = [pct(covered, assigned.size), e.solveRate, e.satisfactionRate].filter((x): x is number => x !== null);
      expect(row.score).toBe(parts.length ? Math.round((parts.reduce((x, y) => x + y, 0) / parts.length) * 10) / 10 : null);
    }
  });
});

describe('the city’s statistics over its districts (ADR 0008)', () => {
  // District B's one March ticket, as the generator would describe it.
  const bTicket = (): Gen => ({
    created: new Date('2026-03-05T02:00:00Z'), categoryId: '', topId: '', areaId: b.areas[0], enterpriseId: b.enterprises[0].id, dept: null,
    submittedBy: b.contact1.id, role: 'enterprise', state: 'submitted', assignedAt: null, acceptDue: null, replyDue: null, acceptedAt: null,
    repliedAt: null, handled: false, solved: false, solvedAt: null, verdict: null, returns: 0, reopens: 0, ext: 0, level: 1,
  });
  let c: TicketWorld;
  beforeAll(async () => {
    // A district of another city, with activity the city 211200 must never see.
    c = await seedTicketWorld(t.db, '219301');
    await t.db.query(`INSERT INTO city (code, name) VALUES ('219300', '测试市219300') ON CONFLICT DO NOTHING`);
    await t.db.query(`UPDATE district SET city_code = '219300' WHERE id = $1`, [c.districtId]);
    // its leader would receive the monthly report the delivery test below counts for A and B
    await t.db.query(`UPDATE person SET disabled = true WHERE district_id = $1 AND 'leader' = ANY(roles)`, [c.districtId]);
    await t.db.query(
      `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, created_at, updated_at)
       VALUES ($1,'C1',$2,$3,(SELECT id FROM ticket_category WHERE district_id = $1 LIMIT 1),'外市诉求','外市诉求',$4,'enterprise','submitted','2026-03-06T02:00:00Z','2026-03-06T02:00:00Z')`,
      [c.districtId, c.enterprises[0].id, c.areas[0], c.contact1.id],
    );
  });
  const march = (g: Gen) => inPeriod(g, MARCH);

  test('the whole city is the sum of its districts; one district is that district’s summary', async () => {
    const r = await get(city, '/stats/summary?from=2026-03-01&to=2026-03-31');
    expect(r.status).toBe(200);
    expect(r.body.scope).toEqual({ kind: 'city', id: null, name: '测试市211200' });
    const aRows = gen.filter(march);
    expect(pickFigures(r.body.tickets)).toEqual(expected([...aRows, bTicket()], MARCH.endEx));
    expect(r.body.tickets.enterprises).toBe(new Set(aRows.filter(received).map((g) => g.enterpriseId)).size + 1);
    expect(r.body.tickets.byCategory.reduce((s: number, x: { received: number }) => s + x.received, 0)).toBe(r.body.tickets.received);
    const v = visits.filter((x) => x.at >= MARCH.start && x.at < MARCH.endEx && ['checked_in', 'completed'].includes(x.status));
    expect(r.body.visits.contacts).toBe(v.length);
    expect(JSON.stringify(r.body)).not.toContain(c.districtId);
    const one = await get(city, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=district&scopeId=${a.districtId}`);
    expect(one.status).toBe(200);
    expect(one.body.scope).toMatchObject({ kind: 'district', id: a.districtId });
    expect(pickFigures(one.body.tickets)).toEqual(expected(aRows, MARCH.endEx));
    expect(one.body.tickets).toEqual((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets);
  });

  test('districts side by side, a series over the city, and the district ranking “在全市…考评中居第X”', async () => {
    const bd = await get(city, '/stats/breakdown?from=2026-03-01&to=2026-03-31&by=district');
    expect(bd.status).toBe(200);
    expect(bd.body.rows.map((x: { key: { id: string } }) => x.key.id)).toEqual([a.districtId, b.districtId]);
    expect(pickFigures(bd.body.rows[0])).toEqual(expected(gen.filter(march), MARCH.endEx));
    expect(pickFigures(bd.body.rows[1])).toEqual(expected([bTicket()], MARCH.endEx));
    expect(pickFigures(bd.body.total)).toEqual(expected([...gen.filter(march), bTicket()], MARCH.endEx));
    const se = await get(city, '/stats/series?from=2026-02-01&to=2026-03-31&interval=month');
    expect(se.status).toBe(200);
    expect(se.body.points.map((p: { received: number }) => p.received)).toEqual([
      gen.filter((g) => inPeriod(g, FEB)).filter(received).length, gen.filter(march).filter(received).length + 1]);
    const rk = await get(city, '/stats/rankings/districts?month=2026-03');
    expect(rk.status).toBe(200);
    const scores = [
      { id: a.districtId, code: '211201', s: expected(gen.filter(march), MARCH.endEx).score, p: expected(gen.filter((g) => inPeriod(g, FEB)), FEB.endEx).score },
      { id: b.districtId, code: '211202', s: expected([bTicket()], MARCH.endEx).score, p: null },
    ];
    const sorted = [...scores].sort((x, y) => (y.s ?? -1) - (x.s ?? -1) || (x.code < y.code ? -1 : 1));
    expect(rk.body.rows.map((x: { district: { id: string } }) => x.district.id)).toEqual(sorted.map((x) => x.id));
    const cn = ['', '一', '二'];
    for (const row of rk.body.rows) {
      const e = scores.find((x) => x.id === row.district.id)!;
      const rank = e.s === null ? null : 1 + scores.filter((x) => x.s !== null && x.s > e.s!).length;
      const tied = rank !== null && scores.filter((x) => x.s === e.s).length > 1;
      expect(row).toMatchObject({ score: e.s, rank, text: rank === null ? '' : `在全市2个区县综合考评中${tied ? '并列' : '居'}第${cn[rank]}` });
      const prev = e.p === null ? null : 1 + scores.filter((x) => x.p !== null && x.p > e.p!).length;
      expect(row.previousRank).toBe(prev);
      if (rank !== null) expect(row.change.text).toBe(prev === null ? '新上榜' : prev === rank ? '—' : prev > rank ? `↑${prev - rank}` : `↓${rank - prev}`);
    }
    expect(JSON.stringify(rk.body)).not.toContain(c.districtId);
  });

  test('a city role sees only the districts of its city; district roles see nothing outside their district', async () => {
    for (const url of [`/stats/summary?from=2026-03-01&to=2026-03-31&scope=district&scopeId=${c.districtId}`,
      `/stats/series?from=2026-03-01&to=2026-03-31&interval=week&scope=district&scopeId=${c.districtId}`,
      `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=district&scope=district&scopeId=${c.districtId}`,
      `/stats/summary?from=2026-03-01&to=2026-03-31&scope=district&scopeId=${crypto.randomUUID()}`]) {
      const r = await get(city, url);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('STATS_SCOPE_NOT_FOUND');
      expect(r.body.error.message).toMatch(/统计对象不存在/);
    }
    for (const url of [`/stats/summary?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${a.areas[0]}`, '/stats/summary?from=2026-03-01&to=2026-03-31&scope=district',
      `/stats/summary?from=2026-03-01&to=2026-03-31&scope=city&scopeId=${a.districtId}`, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=category&scope=area&scopeId=${a.areas[0]}`,
      '/stats/summary?from=2026-03-31&to=2026-03-01', '/stats/rankings/districts?month=2026-13']) {
      const r = await get(city, url);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // district people: no city scope, no districts side by side, no district ranking, no other district
    for (const who of [a.coordinator, a.leader, a.staff1, a.steward]) {
      for (const url of ['/stats/summary?from=2026-03-01&to=2026-03-31&scope=city', '/stats/breakdown?from=2026-03-01&to=2026-03-31&by=district&scope=city', '/stats/rankings/districts?month=2026-03']) {
        const r = await get(who, url);
        expect(r.status).toBe(403);
        expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
    expect((await get(a.coordinator, '/stats/breakdown?from=2026-03-01&to=2026-03-31&by=district')).status).toBe(403);
    expect((await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=district&scopeId=${b.districtId}`)).status).toBe(400);
    expect((await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${b.areas[0]}`)).status).toBe(404);
    // the city role acts on no district's rankings, reports or tickets
    for (const url of ['/stats/rankings/departments?month=2026-03', '/reports/work?from=2026-03-01&to=2026-03-31', '/indicator-settings', '/tickets']) {
      expect((await get(city, url)).status).toBe(403);
    }
  });

  test('by category: top categories summed over the city, each district’s received and solved side by side', async () => {
    const r = await get(city, '/stats/breakdown?from=2026-03-01&to=2026-03-31&by=category');
    expect(r.status).toBe(200);
    const rows = r.body.rows as { key: { name: string }; received: number; solved: number; districts: { district: { id: string }; received: number; solved: number }[] }[];
    const aRows = gen.filter(march);
    expect(pickFigures(r.body.total)).toEqual(expected([...aRows, bTicket()], MARCH.endEx));
    expect(rows.reduce((s, x) => s + x.received, 0)).toBe(r.body.total.received);
    // B's one ticket: its category's top name, read here in SQL
    const [bTop] = await t.db.query(
      `SELECT COALESCE(p.name, c.name) AS name FROM ticket t JOIN ticket_category c ON c.id = t.category_id LEFT JOIN ticket_category p ON p.id = c.parent_id
        WHERE t.district_id = $1 AND t.no = 'B1'`, [b.districtId]);
    const topName = new Map(cats.map((c) => [c.id, c.name]));
    const tops = new Set([...aRows.filter(received).map((g) => topName.get(g.topId)!), bTop.name]);
    expect(new Set(rows.filter((x) => x.received > 0).map((x) => x.key.name))).toEqual(tops);
    for (const row of rows) {
      const mine = aRows.filter((g) => topName.get(g.topId) === row.key.name);
      const bMine = row.key.name === bTop.name ? [bTicket()] : [];
      expect(pickFigures(row)).toEqual(expected([...mine, ...bMine], MARCH.endEx));
      expect(row.districts.map((d) => d.district.id)).toEqual([a.districtId, b.districtId]);
      const ea = expected(mine, MARCH.endEx);
      expect(row.districts[0]).toMatchObject({ received: ea.received, solved: ea.solved });
      expect(row.districts[1]).toMatchObject({ received: bMine.length, solved: 0 });
    }
    // one district of the city: only its column
    const one = await get(city, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=category&scope=district&scopeId=${b.districtId}`);
    expect(one.status).toBe(200);
    expect(one.body.rows).toHaveLength(1);
    expect(one.body.rows[0]).toMatchObject({ key: { name: bTop.name }, received: 1, districts: [{ district: { id: b.districtId }, received: 1, solved: 0 }] });
    expect(JSON.stringify(r.body)).not.toContain(c.districtId);
  });

  test('by area (and department, steward): each district’s own rows, tagged with the district, equal to its own count', async () => {
    const r = await get(city, '/stats/breakdown?from=2026-03-01&to=2026-03-31&by=area');
    expect(r.status).toBe(200);
    const rows = r.body.rows as { key: { id: string }; district: { id: string; name: string }; received: number }[];
    expect(rows.reduce((s, x) => s + x.received, 0)).toBe(r.body.total.received);
    expect([...new Set(rows.map((x) => x.district.id))]).toEqual([a.districtId, b.districtId]); // by district code
    const aMarch = gen.filter(march);
    for (const row of rows.filter((x) => x.district.id === a.districtId)) {
      expect(pickFigures(row)).toEqual(expected(aMarch.filter((g) => g.areaId === row.key.id), MARCH.endEx));
    }
    expect(new Set(rows.filter((x) => x.district.id === a.districtId).map((x) => x.key.id))).toEqual(new Set(aMarch.map((g) => g.areaId)));
    const bRows = rows.filter((x) => x.district.id === b.districtId);
    expect(bRows).toHaveLength(1);
    expect(bRows[0]!.key.id).toBe(b.areas[0]);
    expect(pickFigures(bRows[0]!)).toEqual(expected([bTicket()], MARCH.endEx));
    for (const by of ['department', 'steward']) {
      const x = await get(city, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=${by}`);
      expect(x.status).toBe(200);
      expect(x.body.rows.reduce((s: number, y: { received: number }) => s + y.received, 0)).toBe(x.body.total.received);
      const mine = await get(a.coordinator, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=${by}`);
      const aPart = x.body.rows.filter((y: { district: { id: string } }) => y.district.id === a.districtId);
      // A's rows as A's coordinator reads them (A keeps the default weights, as the city does)
      expect(aPart.map(({ district: _d, ...y }: { district: unknown }) => y)).toEqual(mine.body.rows);
    }
  });

  test('city breakdowns stay inside the city; district roles cannot ask for the city', async () => {
    for (const by of ['category', 'area']) {
      const r = await get(city, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=${by}&scope=district&scopeId=${c.districtId}`);
      expect(r.status).toBe(404);
      expect(r.body.error.message).toMatch(/统计对象不存在/);
      for (const who of [a.coordinator, a.leader]) {
        const d = await get(who, `/stats/breakdown?from=2026-03-01&to=2026-03-31&by=${by}&scope=city`);
        expect(d.status).toBe(403);
        expect(d.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
    const long = await get(city, '/stats/breakdown?from=2025-01-01&to=2026-03-31&by=category');
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('STATS_PERIOD_TOO_LONG');
  });

  test('project figures of the whole city are its districts’ summed', async () => {
    // A city of its own, so the projects touch no other test's district.
    const d1 = await seedTicketWorld(t.db, '219401');
    const d2 = await seedTicketWorld(t.db, '219402');
    const cp = await buildCityPerson(t.db, '219400', ['leader']);
    await t.db.query(`UPDATE district SET city_code = '219400' WHERE id = ANY($1)`, [[d1.districtId, d2.districtId]]);
    const make = async (w: TicketWorld, name: string, total: string, stage: string) => {
      const res = await api('POST', '/projects', w.coordinator, {
        name, enterpriseId: w.enterprises[0].id, areaId: w.areas[0], location: '工业园', nature: '产业', levels: ['市重点'], kind: 'new',
        startYear: 2025, endYear: 2027, plannedStartOn: '2026-02-01', plannedEndOn: '2027-06-30', totalInvestment: total,
        funding: [{ source: 'self_raised', amount: total }], leaderId: w.leader.id, leadDepartmentId: w.departments[0], helperDepartmentIds: [],
        stewardIds: [w.steward.id], contactPersonId: w.contact1.id, stage, stageOn: '2026-01-05',
      });
      expect(res.statusCode).toBe(201);
    };
    await make(d1, '新材料项目', '100000000', 'signed');
    await make(d1, '物流园项目', '23456789', 'started');
    await make(d2, '食品加工项目', '50000000', 'started');
    const q = 'from=2026-03-01&to=2026-03-31';
    const r = await get(cp, `/stats/summary?${q}`);
    expect(r.status).toBe(200);
    const [sql] = await t.db.query(
      `SELECT count(*)::int AS n, sum(total_investment)::text AS total FROM project WHERE district_id = ANY($1)`, [[d1.districtId, d2.districtId]]);
    expect(r.body.projects).toMatchObject({
      projects: sql.n, totalInvestment: sql.total, period: { from: '2026-03-01', to: '2026-03-31' },
      byStage: { signed: 1, started: 2 }, startRate: { due: 3, started: 2 },
    });
    expect(r.body.projects.projects).toBe(3);
    // each district's own figures, as its coordinator reads them, add up to the city's
    const own = await Promise.all([d1, d2].map(async (w) => (await get(w.coordinator, `/stats/summary?${q}`)).body.projects));
    for (const k of ['projects', 'active', 'newStarts', 'completions', 'halted'] as const) expect(r.body.projects[k]).toBe(own[0][k] + own[1][k]);
    expect(BigInt(r.body.projects.annualPlan)).toBe(BigInt(own[0].annualPlan) + BigInt(own[1].annualPlan));
    // one district seen from the city is that district's figures; two years at once has none, as for a district
    const one = await get(cp, `/stats/summary?${q}&scope=district&scopeId=${d2.districtId}`);
    expect(one.body.projects).toEqual(own[1]);
    expect((await get(cp, '/stats/summary?from=2025-12-01&to=2026-01-31')).body.projects).toBeNull();
    // their leaders would receive the monthly report the delivery test below counts for A and B
    await t.db.query(`UPDATE person SET disabled = true WHERE district_id = ANY($1) AND 'leader' = ANY(roles)`, [[d1.districtId, d2.districtId]]);
  });
});

describe('settings, publishing and access', () => {
  test('weights: only coordinators and admins change them, the three add up to 1, and the rates follow', async () => {
    expect((await api('PATCH', '/indicator-settings', a.leader, { weights: { response: 0.2, solve: 0.4, satisfaction: 0.4, basicallySatisfied: 0.8 } })).statusCode).toBe(403);
    const bad = await api('PATCH', '/indicator-settings', a.coordinator, { weights: { response: 0.5, solve: 0.4, satisfaction: 0.4, basicallySatisfied: 0.8 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INDICATOR_WEIGHTS_INVALID');
    expect(bad.json().error.message).toMatch(/权重/);
    const ok = await api('PATCH', '/indicator-settings', a.coordinator, { weights: { response: 0.2, solve: 0.4, satisfaction: 0.4, basicallySatisfied: 0.8 }, redBlackN: 2 });
    expect(ok.statusCode).toBe(200);
    const r = await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31');
    expect(pickFigures(r.body.tickets)).toEqual(expected(gen.filter((g) => inPeriod(g, MARCH)), MARCH.endEx, { response: 0.2, solve: 0.4, satisfaction: 0.4, basicallySatisfied: 0.8 }));
    const rk = await get(a.coordinator, '/stats/rankings/departments?month=2026-03');
    expect(rk.body.red.length).toBeLessThanOrEqual(2);
    // district B keeps the defaults
    expect((await get(b.coordinator, '/indicator-settings')).body.weights.response).toBe(0.1);
    await api('PATCH', '/indicator-settings', a.coordinator, { weights: { response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 }, redBlackN: 3 });
  });

  test('a published ranking is a frozen snapshot, seen by the departments and stewards concerned only', async () => {
    expect((await api('POST', '/rankings', a.coordinator, { kind: 'department', month: shanghaiDate(now).slice(0, 7) })).json().error.code).toBe('RANKING_MONTH_OPEN');
    const live = (await get(a.coordinator, '/stats/rankings/departments?month=2026-03')).body;
    const pub = await api('POST', '/rankings', a.coordinator, { kind: 'department', month: '2026-03', note: '三月考核' }, { 'idempotency-key': 'pub-2026-03' });
    expect(pub.statusCode).toBe(201);
    const id = pub.json().id;
    expect(pub.json().rows).toEqual(live.rows);
    const again = await api('POST', '/rankings', a.coordinator, { kind: 'department', month: '2026-03' });
    expect(again.statusCode).toBe(409);
    // later edits (solve every March ticket, change weights) leave the published ranking as it was
    await t.db.query(`UPDATE ticket SET is_handled = true, is_solved = true, solved_at = '2026-03-31T00:00:00Z', updated_at = now() WHERE district_id = $1 AND created_at >= $2 AND created_at < $3 AND state = 'confirmed'`, [a.districtId, MARCH.start, MARCH.endEx]);
    await api('PATCH', '/indicator-settings', a.coordinator, { weights: { response: 0.3, solve: 0.3, satisfaction: 0.4, basicallySatisfied: 0.5 } });
    const after = await get(a.coordinator, `/rankings/${id}`);
    expect(after.body.rows).toEqual(live.rows);
    expect((await get(a.coordinator, '/stats/rankings/departments?month=2026-03')).body.rows).toEqual(live.rows);
    // the department concerned sees it with its own row marked; a steward does not see department rankings
    const mine = await get(a.staff1, `/rankings/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.rows[mine.body.mine].department.id).toBe(a.departments[0]);
    expect((await get(a.staff1, '/rankings')).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await get(a.steward, `/rankings/${id}`)).status).toBe(404);
    expect((await get(a.contact1, `/rankings/${id}`)).status).toBe(403);
    // another district's people never see it
    expect((await get(b.coordinator, `/rankings/${id}`)).status).toBe(404);
    expect((await get(b.staff1, `/rankings/${id}`)).status).toBe(404);
    expect((await get(b.coordinator, '/rankings')).body.items).toEqual([]);
    // the staff of the departments were notified
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE kind = 'ranking_published' AND entity_id = $1`, [id]);
    expect(n).toBe((await t.db.query(`SELECT id FROM person WHERE district_id = $1 AND 'department' = ANY(roles)`, [a.districtId])).length);
    const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_event WHERE action = 'ranking.published' AND entity_id = $1`, [id]);
    expect(audits).toBe(1);
    // stewards see a published steward ranking with their row
    const sp = await api('POST', '/rankings', a.coordinator, { kind: 'steward', month: '2026-03' });
    expect(sp.statusCode).toBe(201);
    const seen = await get(a.steward, `/rankings/${sp.json().id}`);
    expect(seen.body.rows[seen.body.mine].steward.id).toBe(a.steward.id);
    expect((await get(a.staff1, `/rankings/${sp.json().id}`)).status).toBe(404);
  });

  test('bad periods and scopes are refused in Chinese; scopes stay inside the caller’s district and role', async () => {
    const reversed = await get(a.coordinator, '/stats/summary?from=2026-03-31&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.code).toBe('STATS_PERIOD_REVERSED');
    expect(reversed.body.error.message).toMatch(/截止日期/);
    const long = await get(a.coordinator, '/stats/breakdown?from=2025-01-01&to=2026-03-31&by=area');
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('STATS_PERIOD_TOO_LONG');
    expect((await get(a.coordinator, '/stats/series?from=2025-01-01&to=2026-12-31&interval=week')).status).toBe(400);
    const unknown = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/统计对象不存在/);
    expect((await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=department&scopeId=${b.departments[0]}`)).status).toBe(404);
    expect((await get(a.coordinator, `/reports/work?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${b.areas[0]}`)).status).toBe(404);
    // the work report refuses the same bad periods and scopes, in every format
    for (const format of ['json', 'md', 'docx']) {
      for (const [url, code] of [['from=2026-03-31&to=2026-03-01', 'STATS_PERIOD_REVERSED'], ['from=2025-01-01&to=2026-03-31', 'STATS_PERIOD_TOO_LONG'],
        [`from=2026-03-01&to=2026-03-31&scope=department&scopeId=${crypto.randomUUID()}`, 'STATS_SCOPE_NOT_FOUND']] as const) {
        const r = await get(a.coordinator, `/reports/work?${url}&format=${format}`);
        expect([r.status, r.body.error.code]).toEqual([code === 'STATS_SCOPE_NOT_FOUND' ? 404 : 400, code]);
        expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    }
    expect((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31&scope=area')).status).toBe(400);
    expect((await get(a.coordinator, '/stats/summary?from=2026-02-30&to=2026-03-31')).status).toBe(400);
    expect((await get(a.coordinator, '/stats/rankings/departments?month=2026-13')).status).toBe(400);
    // a department reads its own figures only
    const own = await get(a.staff1, '/stats/summary?from=2026-03-01&to=2026-03-31');
    expect(own.status).toBe(200);
    expect(own.body.scope).toMatchObject({ kind: 'department', id: a.departments[0] });
    expect((await get(a.staff1, '/stats/summary?from=2026-03-01&to=2026-03-31&scope=district')).status).toBe(403);
    expect((await get(a.staff1, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=department&scopeId=${a.departments[1]}`)).status).toBe(403);
    expect((await get(a.staff1, '/stats/rankings/departments?month=2026-03')).status).toBe(403);
    expect((await get(a.contact1, '/stats/summary?from=2026-03-01&to=2026-03-31')).status).toBe(403);
    // district B's coordinator sees only B; a city person reads the city's statistics, never a district's rankings
    expect((await get(b.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets.received).toBe(1);
    expect((await get(city, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.scope.kind).toBe('city');
    expect((await get(city, '/stats/rankings/departments?month=2026-03')).status).toBe(403);
    const cityView = await get(city, '/city/districts?month=2026-03');
    expect(cityView.body.districts.map((d: { district: { code: string } }) => d.district.code).sort()).toEqual(['211201', '211202']);
  });
});

describe('the work report', () => {
  test('json, md and docx carry the same numbers as /stats/summary, in the GB/T 9704 layout', async () => {
    const summary = (await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body;
    const rep = await get(a.coordinator, '/reports/work?from=2026-03-01&to=2026-03-31');
    expect(rep.status).toBe(200);
    expect(rep.body.figures.tickets).toEqual(summary.tickets);
    expect(rep.body.title).toMatch(/2026年3月份助企服务工作情况报告$/);
    const heads = rep.body.sections.map((s: { heading: string }) => s.heading);
    expect(heads[0]).toBe('一、总体情况');
    expect(heads).toContain('二、诉求办理情况');
    expect(heads.at(-1)).toMatch(/、下步工作$/);
    const text = (key: string) => rep.body.sections.find((s: { key: string }) => s.key === key)?.paragraphs.map((p: { text: string; items?: string[] }) => [p.text, ...(p.items ?? [])].join('\n')).join('\n') ?? '';
    const tk = summary.tickets;
    const tickets = text('tickets');
    expect(tickets).toContain(`共受理企业诉求${tk.received}件，涉及企业${tk.enterprises}家`);
    expect(tickets).toContain(`已办结${tk.handled}件`);
    expect(tickets).toContain(`已解决${tk.solved}件`);
    if (tk.solveRate !== null) expect(tickets).toContain(`解决率${tk.solveRate}%`);
    if (tk.satisfactionRate !== null) expect(tickets).toContain(`满意率${tk.satisfactionRate}%`);
    if (tk.acceptOnTimeRate !== null) expect(tickets).toContain(`及时签收率${tk.acceptOnTimeRate}%`);
    if (tk.score !== null) expect(tickets).toContain(`综合得分${tk.score}分`);
    // every number in the section is one of the summary's numbers (or a weight)
    const allowed = new Set<string>([...Object.values(tk).filter((x) => typeof x === 'number').map(String), ...Object.values(tk.escalations).map(String),
      ...Object.values(tk.supervisions).map(String), ...Object.values(summary.weights as Record<string, number>).map(String), String(tk.satisfied + tk.basicallySatisfied + tk.dissatisfied), '2026', '3']);
    for (const n of tickets.match(/\d+(\.\d+)?/g) ?? []) expect(allowed).toContain(n);
    // 总体情况: the monthly paragraph over the same figures
    const overview = text('overview');
    expect(overview).toContain(`${tk.enterprises}家企业提出困难诉求涉及${tk.received}项问题`);
    for (const c of tk.byCategory) expect(overview).toContain(`${c.category.name}${c.received}项`);
    if (summary.visits.contacts > 0) expect(overview).toContain(`累计对接企业${summary.visits.contacts}次`);
    // 考核排名: the published March ranking's 红榜 and 黑榜 in order
    const ranking = (await get(a.coordinator, '/stats/rankings/departments?month=2026-03')).body;
    const rk = text('rankings');
    for (const r of [...ranking.red, ...ranking.black]) expect(rk).toContain(`${r.department.name}，综合得分${r.score}分`);
    // 存在问题: the overdue count and the oldest overdue items
    if (tk.overdue > 0) {
      expect(text('problems')).toContain(`超期未办结诉求${tk.overdue}件`);
      const [first] = await t.db.query(
        `SELECT no FROM ticket WHERE district_id = $1 AND created_at >= $2 AND created_at < $3 AND state IN ('assigned','accepted','in_progress')
           AND ((state = 'assigned' AND accept_due_at < now()) OR reply_due_at < now()) ORDER BY created_at, id LIMIT 1`, [a.districtId, MARCH.start, MARCH.endEx]);
      expect(text('problems')).toContain(first.no);
    } else {
      expect(heads.some((h: string) => h.endsWith('存在问题'))).toBe(rep.body.sections.some((s: { key: string }) => s.key === 'problems'));
    }

    const md = await api('GET', '/reports/work?from=2026-03-01&to=2026-03-31&format=md', a.coordinator);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toMatch(/text\/markdown/);
    expect(md.body).toContain(`# ${rep.body.title}`);
    expect(md.body).toContain('## 二、诉求办理情况');

    const docx = await t.app.inject({ method: 'GET', url: '/api/v1/reports/work?from=2026-03-01&to=2026-03-31&format=docx', headers: auth(t.app, a.coordinator) });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toMatch(/wordprocessingml/);
    const zip = await JSZip.loadAsync(docx.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    const plain = xml.replace(/<[^>]+>/g, '');
    expect(plain).toContain(rep.body.title);
    for (const h of heads) expect(plain).toContain(h);
    expect(plain).toContain(`共受理企业诉求${tk.received}件`);
    expect(xml).toContain('w:w="11906"');
    expect(xml).toContain('w:h="16838"');
    expect(xml).toMatch(/w:top="2098"/); // 37 mm
    expect(xml).toMatch(/w:bottom="1984"/); // 35 mm
    expect(xml).toMatch(/w:left="1587"/); // 28 mm
    expect(xml).toMatch(/w:right="1474"/); // 26 mm
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('<w:sz w:val="32"/>');
    const fonts = await zip.file('word/fontTable.xml')!.async('string');
    expect(fonts).toContain('<w:altName w:val="仿宋"/>');
  });

  test('sections with nothing to say are left out', async () => {
    const empty = await get(b.coordinator, '/reports/work?from=2026-06-01&to=2026-06-30');
    expect(empty.status).toBe(200);
    expect(empty.body.sections.map((s: { key: string }) => s.key)).toEqual(['next']);
    expect(empty.body.sections[0].heading).toBe('一、下步工作');
  });

  test('the job sends last month’s report to the leaders from the first working day, once', async () => {
    // 1–7 October 2026 are the National Day holidays: nothing is sent before the first working day (8 October).
    expect(await runWorkReportDelivery(t.db, sh('2026-10-05T10:00:00'))).toEqual({ skipped: false, sent: 0 });
    const first = await runWorkReportDelivery(t.db, sh('2026-04-01T10:00:00'));
    expect(first.sent).toBe(2); // the leaders of districts A and B
    const [n] = await t.db.query(`SELECT title, body FROM notification WHERE person_id = $1 AND kind = 'report.work_monthly'`, [a.leader.id]);
    expect(n.title).toMatch(/2026年3月份助企服务工作情况报告$/);
    const summary = (await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body;
    expect(n.body).toContain(`共受理企业诉求${summary.tickets.received}件`);
    expect((await runWorkReportDelivery(t.db, sh('2026-04-02T10:00:00'))).sent).toBe(0);
  });
});

describe('stewards behind their cadence', () => {
  test('counted from the generated assignments and visits, and as /cadence/overdue shows them', async () => {
    // Known cases on top of the random ones: a key enterprise (规上) visited on site twice in March (met), another
    // visited once (behind), and an ordinary enterprise never contacted (behind).
    const [keyDone, keyShort, never] = await Promise.all([
      buildEnterprise(t.db, { districtId: a.districtId, areaId: a.areas[0], scale: 'above' }),
      buildEnterprise(t.db, { districtId: a.districtId, areaId: a.areas[1], tags: ['重点企业'] }),
      buildEnterprise(t.db, { districtId: a.districtId, areaId: a.areas[1] }),
    ]);
    const okSteward = await buildPerson(t.db, { districtId: a.districtId, roles: ['steward'], name: '管家达标' });
    const shortSteward = await buildPerson(t.db, { districtId: a.districtId, roles: ['steward'], name: '管家欠次' });
    const idleSteward = await buildPerson(t.db, { districtId: a.districtId, roles: ['steward'], name: '管家未走访' });
    for (const [s, e] of [[okSteward, keyDone], [shortSteward, keyShort], [idleSteward, never]] as const) {
      await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-02-01')`, [a.districtId, s.id, e.id]);
    }
    const extra: GenVisit[] = [
      { stewardId: okSteward.id, enterpriseId: keyDone.id, kind: 'onsite', status: 'completed', at: sh('2026-03-03T10:00:00'), problems: 0 },
      { stewardId: okSteward.id, enterpriseId: keyDone.id, kind: 'onsite', status: 'checked_in', at: sh('2026-03-30T10:00:00'), problems: 0 },
      { stewardId: shortSteward.id, enterpriseId: keyShort.id, kind: 'onsite', status: 'completed', at: sh('2026-03-10T10:00:00'), problems: 0 },
      { stewardId: shortSteward.id, enterpriseId: keyShort.id, kind: 'phone', status: 'completed', at: sh('2026-03-11T10:00:00'), problems: 0 },
    ];
    for (const v of extra) {
      visits.push(v);
      await t.db.query(
        `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, checkin_at, created_by)
         VALUES ($1,$2,$3,$4::varchar,$5::varchar,$6,CASE WHEN $4::varchar = 'onsite' THEN $6::timestamptz END,$2)`,
        [a.districtId, v.stewardId, v.enterpriseId, v.kind, v.status, v.at],
      );
    }
    // Independent count: the default rules (重点/规上: 2 on-site visits a month; others: 1 contact of any kind).
    const ents: { id: string; area_id: string; scale: string; tags: string[] }[] = await t.db.query(`SELECT id, area_id, scale, tags FROM enterprise WHERE district_id = $1`, [a.districtId]);
    const asg: { steward_id: string; enterprise_id: string; s: string; e: string | null }[] = await t.db.query(
      `SELECT steward_id, enterprise_id, to_char(starts_on, 'YYYY-MM-DD') AS s, to_char(ends_on, 'YYYY-MM-DD') AS e FROM assignment WHERE district_id = $1`, [a.districtId]);
    const behind = (f: { areaId?: string; stewardId?: string } = {}) => {
      const out = new Set<string>();
      for (const x of asg) {
        if (x.s > '2026-03-31' || (x.e && x.e < '2026-03-01')) continue;
        const e = ents.find((y) => y.id === x.enterprise_id)!;
        if ((f.areaId && e.area_id !== f.areaId) || (f.stewardId && x.steward_id !== f.stewardId)) continue;
        const key = e.scale === 'above' || e.tags.includes('重点企业');
        const n = visits.filter((v) => v.stewardId === x.steward_id && v.enterpriseId === x.enterprise_id && v.at >= MARCH.start && v.at < MARCH.endEx
          && ['checked_in', 'completed'].includes(v.status) && (!key || v.kind === 'onsite')).length;
        if (n < (key ? 2 : 1)) out.add(x.steward_id);
      }
      return out.size;
    };
    const sum = await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31');
    expect(sum.body.visits.stewardsBehind).toBe(behind());
    expect(behind()).toBeGreaterThanOrEqual(2);
    for (const area of a.areas) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${area}`);
      expect(r.body.visits.stewardsBehind).toBe(behind({ areaId: area }));
    }
    for (const [s, n] of [[okSteward, 0], [shortSteward, 1], [idleSteward, 1]] as const) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=steward&scopeId=${s.id}`);
      expect(r.body.visits.stewardsBehind).toBe(n);
      expect(behind({ stewardId: s.id })).toBe(n);
    }
    // The same rule as the coordinators' 未按频次 list for 31 March (seen now, after March has ended).
    const od = await get(a.coordinator, '/cadence/overdue?date=2026-03-31&limit=100');
    expect(od.body.bySteward.filter((x: { summary: { overdue: number } }) => x.summary.overdue > 0).length).toBe(sum.body.visits.stewardsBehind);
    // Department and category scopes have no visit figures.
    expect((await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=department&scopeId=${a.departments[0]}`)).body.visits).toBeNull();
  });
});

describe('the closed-month rollup (ADR 0011)', () => {
  const scopesOf = async (): Promise<Scope[]> => {
    const depts: { id: string }[] = await t.db.query(`SELECT id FROM department WHERE district_id = $1`, [a.districtId]);
    return [
      { kind: 'district', id: null, name: '' },
      ...a.areas.map((id) => ({ kind: 'area' as const, id, name: '' })),
      ...depts.map((d) => ({ kind: 'department' as const, id: d.id, name: '' })),
      ...stewards.map((s) => ({ kind: 'steward' as const, id: s.id, name: '' })),
      ...cats.map((c) => ({ kind: 'category' as const, id: c.id, name: '' })),
    ];
  };
  const sortRows = <T extends { k: string | null }>(rows: T[]) => [...rows].sort((x, y) => ((x.k ?? '') < (y.k ?? '') ? -1 : 1));
  /** Every scope × grouping of a month: the rollup answers (not null) and equals the live count, row by row. */
  async function expectRollupEqualsLive(month: string, to: string) {
    const period = periodOf(month, to);
    const lastDay = shanghaiDate(new Date(period.asOf.getTime() - 1));
    const ords = await workingDayOrdinals(t.db, a.districtId, period.from, lastDay);
    for (const scope of await scopesOf()) {
      for (const by of ['none', 'category', 'area', 'department', 'steward'] as const) {
        const rolled = await rolledTicketCounts(t.db, a.districtId, period, month, ords, scope, by);
        expect(rolled).not.toBeNull();
        const live = (await liveTicketCounts(t.db, a.districtId, period, ords, scope, by)).filter((r) => r.received + r.withdrawn + r.accepted + r.replied + r.overdue > 0);
        expect(sortRows(rolled!.filter((r) => r.received + r.withdrawn + r.accepted + r.replied + r.overdue > 0))).toEqual(sortRows(live));
      }
    }
  }
  /**
   * The job's next run, 20 minutes later: the rollup trusts a month only when no ticket of it changed after the mark
   * minus a 10-minute margin (commits in flight), so a refresh right after a change still leaves the month live.
   * Moving the recent changes and the mark 20 minutes back is the same as waiting.
   */
  const jobRunsLater = async () => {
    await t.db.query(`UPDATE ticket SET updated_at = updated_at - interval '20 minutes' WHERE updated_at > now() - interval '1 day'`);
    await t.db.query(`UPDATE ticket_stat_mark SET refreshed_at = refreshed_at - interval '20 minutes'`);
    await refreshTicketStats(t.db);
  };
  /** The weights in force (an earlier test changed them) for the expected figures. */
  const weights = async () => (await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.weights;
  const rolledMarch = async () => {
    const period = periodOf('2026-03-01', '2026-03-31');
    const ords = await workingDayOrdinals(t.db, a.districtId, '2026-03-01', '2026-03-31');
    return rolledTicketCounts(t.db, a.districtId, period, '2026-03-01', ords, { kind: 'district', id: null, name: '' }, 'none');
  };

  test('after the job, every closed month is read from the rollup and equals the live count in every scope and grouping', async () => {
    expect(await rolledMarch()).toBeNull(); // nothing rolled up yet: the tests above counted live
    // The publishing test solved every confirmed March ticket after publishing; the expected figures follow.
    for (const g of gen) if (inPeriod(g, MARCH) && g.state === 'confirmed') Object.assign(g, { handled: true, solved: true, solvedAt: new Date('2026-03-31T00:00:00Z') });
    await jobRunsLater();
    const months: { m: string }[] = await t.db.query(`SELECT to_char(month, 'YYYY-MM') AS m FROM indicator_month WHERE district_id = $1 ORDER BY 1`, [a.districtId]);
    expect(months.map((x) => x.m)).toEqual(expect.arrayContaining(['2026-01', '2026-02', '2026-03']));
    await expectRollupEqualsLive('2026-02-01', '2026-02-28');
    await expectRollupEqualsLive('2026-03-01', '2026-03-31');
    // …and the endpoints, now answered from the rollup, still equal the figures counted from the generated rows.
    const rows = gen.filter((g) => inPeriod(g, MARCH));
    const w = await weights();
    expect(pickFigures((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets)).toEqual(expected(rows, MARCH.endEx, w));
    for (const area of a.areas) {
      const r = await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=area&scopeId=${area}`);
      expect(pickFigures(r.body.tickets)).toEqual(expected(rows.filter((g) => g.areaId === area), MARCH.endEx, w));
    }
    const br = await get(a.coordinator, '/stats/breakdown?from=2026-03-01&to=2026-03-31&by=department');
    for (const row of br.body.rows) {
      const k = row.key.id === '00000000-0000-0000-0000-000000000000' ? null : row.key.id;
      expect(pickFigures(row)).toEqual(expected(rows.filter((g) => g.dept === k), MARCH.endEx, w));
    }
  });

  test('a March ticket changed in May makes March live again until the job rebuilds it, and the figures follow the change', async () => {
    const w = await weights();
    await jobRunsLater();
    expect(await rolledMarch()).not.toBeNull();
    // A March ticket gets its 回访 verdict and is withdrawn later (what writeStep does: the row and updated_at).
    const g = gen.find((x) => inPeriod(x, MARCH) && received(x) && x.state !== 'merged' && x.verdict !== 'dissatisfied')!;
    await t.db.query(`UPDATE ticket SET verdict = 'dissatisfied', updated_at = now() WHERE id = $1`, [g.id]);
    g.verdict = 'dissatisfied';
    expect(await rolledMarch()).toBeNull();
    const rows = () => gen.filter((x) => inPeriod(x, MARCH));
    expect(pickFigures((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets)).toEqual(expected(rows(), MARCH.endEx, w));
    await jobRunsLater();
    expect(await rolledMarch()).not.toBeNull();
    expect(pickFigures((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets)).toEqual(expected(rows(), MARCH.endEx, w));
    await expectRollupEqualsLive('2026-03-01', '2026-03-31');
    // Withdrawn: no longer received.
    await t.db.query(`UPDATE ticket SET state = 'withdrawn', updated_at = now() WHERE id = $1`, [g.id]);
    g.state = 'withdrawn';
    expect(await rolledMarch()).toBeNull();
    expect(pickFigures((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets)).toEqual(expected(rows(), MARCH.endEx, w));
    await jobRunsLater();
    expect(await rolledMarch()).not.toBeNull();
    expect(pickFigures((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.tickets)).toEqual(expected(rows(), MARCH.endEx, w));
    await expectRollupEqualsLive('2026-03-01', '2026-03-31');
  });

  test('a calendar edit in the month makes it live until the job rebuilds it with the new working days', async () => {
    await jobRunsLater();
    expect(await rolledMarch()).not.toBeNull();
    // 9 March 2026 (a Monday) becomes a local holiday of district A.
    await t.db.query(`INSERT INTO calendar_local_day (district_id, day, kind, name) VALUES ($1, '2026-03-09', 'holiday', '测试')`, [a.districtId]);
    try {
      expect(await rolledMarch()).toBeNull();
      await refreshTicketStats(t.db);
      expect(await rolledMarch()).not.toBeNull();
      await expectRollupEqualsLive('2026-03-01', '2026-03-31');
    } finally {
      await t.db.query(`DELETE FROM calendar_local_day WHERE district_id = $1 AND day = '2026-03-09'`, [a.districtId]);
      await refreshTicketStats(t.db);
    }
    cal = await loadWorkCalendar(t.db, '2026-03-15', a.districtId);
  });

  test('the current month and periods other than one whole month are never read from the rollup', () => {
    const now = new Date();
    const today = shanghaiDate(now);
    expect(closedMonthOf(periodOf(`${today.slice(0, 7)}-01`, today, now))).toBeNull();
    expect(closedMonthOf(periodOf('2026-03-01', '2026-03-30', now))).toBeNull();
    expect(closedMonthOf(periodOf('2026-03-02', '2026-03-31', now))).toBeNull();
    expect(closedMonthOf(periodOf('2026-02-01', '2026-03-31', now))).toBeNull();
    expect(closedMonthOf(periodOf('2026-03-01', '2026-03-31', now))).toBe('2026-03-01');
    // March as seen on 31 March (not yet ended) is live.
    expect(closedMonthOf(periodOf('2026-03-01', '2026-03-31', sh('2026-03-31T12:00:00')))).toBeNull();
  });
});

describe('the closed-month rollup of the visit figures (ADR 0011)', () => {
  const MONTHS = [['2026-01-01', '2026-01-31'], ['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31'], ['2026-04-01', '2026-04-30']] as const;
  const visitScopes = (): Scope[] => [
    { kind: 'district', id: null, name: '' },
    ...a.areas.map((id) => ({ kind: 'area' as const, id, name: '' })),
    ...stewards.map((s) => ({ kind: 'steward' as const, id: s.id, name: '' })),
  ];
  const rolled = async (month: string, scope: Scope = { kind: 'district', id: null, name: '' }) =>
    rolledVisitIndicators(t.db, a.districtId, month, scope, await getVisitSettings(t.db, a.districtId));
  /** Every closed month × scope: the rollup answers and equals the live count. */
  async function expectVisitRollupEqualsLive(months: readonly (readonly [string, string])[] = MONTHS) {
    let nonZero = 0;
    for (const [from, to] of months) {
      for (const scope of visitScopes()) {
        const r = await rolled(from, scope);
        expect({ from, scope: scope.id, r }).toEqual({ from, scope: scope.id, r: expect.anything() });
        const live = await liveVisitIndicators(t.db, a.districtId, periodOf(from, to), scope);
        expect({ from, scope: scope.id, r }).toEqual({ from, scope: scope.id, r: live });
        if (live!.contacts || live!.stewardsBehind || live!.enterprisesAssigned) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(0); // the comparison is not between zeros only
  }
  const rolledMonths = async () =>
    (await t.db.query(`SELECT to_char(month, 'YYYY-MM') AS m FROM visit_month WHERE district_id = $1 ORDER BY 1`, [a.districtId])).map((x: { m: string }) => x.m);

  test('after the job, every closed month of every district, area and steward scope equals the live count; the summary reads it', async () => {
    expect(await rolled('2026-03-01')).toBeNull();
    const before = (await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.visits;
    expect((await refreshVisitMonths(t.db)).months).toBeGreaterThanOrEqual(4);
    expect(await rolledMonths()).toEqual(expect.arrayContaining(['2026-01', '2026-02', '2026-03', '2026-04']));
    expect(await rolledMonths()).not.toContain(shanghaiDate(new Date()).slice(0, 7)); // the current month is never rolled
    expect((await refreshVisitMonths(t.db)).months).toBe(0); // nothing changed, nothing rebuilt
    await expectVisitRollupEqualsLive();
    // The endpoint answers the same from the rollup as it did live; a department scope still has no visit figures.
    expect((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.visits).toEqual(before);
    expect((await get(a.coordinator, `/stats/summary?from=2026-03-01&to=2026-03-31&scope=department&scopeId=${a.departments[0]}`)).body.visits).toBeNull();
  });

  test('a back-dated visit, a voided visit, a reassignment, an enterprise edit and a settings change make the months they touch live at once', async () => {
    const district = { kind: 'district' as const, id: null, name: '' };
    const live = (from: string, to: string, scope: Scope = district) => liveVisitIndicators(t.db, a.districtId, periodOf(from, to), scope);
    await refreshVisitMonths(t.db);
    // 1. A visit back-dated into March (as the API writes it within backdateDays; the trigger sees the row).
    const marchBefore = await rolled('2026-03-01');
    const [v] = await t.db.query(
      `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, created_by) VALUES ($1,$2,$3,'phone','completed','2026-03-30T03:00:00Z',$2) RETURNING id`,
      [a.districtId, a.steward.id, a.enterprises[0].id]);
    expect(await rolled('2026-03-01')).toBeNull();
    expect(await rolled('2026-05-01')).toBeNull(); // its quarter's later months (cadence windows) too
    expect(await rolled('2026-02-01')).not.toBeNull(); // earlier months are untouched
    expect((await live('2026-03-01', '2026-03-31'))!.contacts).toBe(marchBefore!.contacts + 1);
    expect((await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.visits.contacts).toBe(marchBefore!.contacts + 1);
    await refreshVisitMonths(t.db);
    expect((await rolled('2026-03-01'))!.contacts).toBe(marchBefore!.contacts + 1);
    // 2. The same visit voided (reviewed away): March is live again and back to its figures.
    await t.db.query(`UPDATE visit SET status = 'cancelled' WHERE id = $1`, [v.id]);
    expect(await rolled('2026-03-01')).toBeNull();
    expect((await live('2026-03-01', '2026-03-31'))!.contacts).toBe(marchBefore!.contacts);
    // A change that does not count (notes) leaves the months rolled.
    await refreshVisitMonths(t.db);
    await t.db.query(`UPDATE visit SET notes = '补记' WHERE id = $1`, [v.id]);
    expect(await rolled('2026-03-01')).not.toBeNull();
    // 3. A reassignment: steward 1's enterprise ended on 10 March and given to steward 3 from 11 March.
    const stewardScope = { kind: 'steward' as const, id: stewards[2]!.id, name: '' };
    await t.db.query(`UPDATE assignment SET ends_on = '2026-03-10' WHERE steward_id = $1 AND enterprise_id = $2 AND ends_on IS NULL`, [a.steward.id, a.enterprises[0].id]);
    await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-03-11')`, [a.districtId, stewards[2]!.id, a.enterprises[0].id]);
    expect(await rolled('2026-03-01', stewardScope)).toBeNull();
    expect(await rolled('2026-02-01', stewardScope)).not.toBeNull();
    await refreshVisitMonths(t.db);
    await expectVisitRollupEqualsLive();
    // 4. An enterprise moved to another area and tagged 重点企业 (its class): every month since its first assignment.
    const other = a.areas.find((x) => x !== a.areas[0])!;
    await t.db.query(`UPDATE enterprise SET area_id = $2, tags = array_append(tags, '重点企业') WHERE id = $1`, [a.enterprises[0].id, other]);
    for (const [m] of MONTHS) expect(await rolled(m)).toBeNull();
    await refreshVisitMonths(t.db);
    await expectVisitRollupEqualsLive();
    // 5. New cadence rules (a quarterly rule for ordinary enterprises): rolled months are not read until rebuilt, and
    //    March (a quarter's end) then counts the whole quarter's contacts, a key enterprise the last week's.
    const saved = (await t.db.query(`SELECT settings FROM district WHERE id = $1`, [a.districtId]))[0].settings;
    try {
      await t.db.query(`UPDATE district SET settings = jsonb_set(settings, '{visits}', COALESCE(settings -> 'visits', '{}') || $2::jsonb) WHERE id = $1`, [
        a.districtId, JSON.stringify({ cadenceRules: [
          { enterpriseClass: 'key', period: 'week', requiredCount: 1, requiredKind: 'onsite' },
          { enterpriseClass: 'other', period: 'quarter', requiredCount: 2, requiredKind: 'any' }] })]);
      expect(await rolled('2026-03-01')).toBeNull();
      expect((await refreshVisitMonths(t.db)).months).toBeGreaterThanOrEqual(4);
      await expectVisitRollupEqualsLive();
    } finally {
      await t.db.query(`UPDATE district SET settings = $2 WHERE id = $1`, [a.districtId, saved]);
    }
  });
});

describe('the counts of periods that run to now, from the trigger’s delta rows (ADR 0011, third amendment)', () => {
  const whole: Scope = { kind: 'district', id: null, name: '' };
  const scopesOf = async (): Promise<Scope[]> => {
    const depts: { id: string }[] = await t.db.query(`SELECT id FROM department WHERE district_id = $1`, [a.districtId]);
    return [
      whole,
      ...a.areas.map((id) => ({ kind: 'area' as const, id, name: '' })),
      ...depts.map((d) => ({ kind: 'department' as const, id: d.id, name: '' })),
      ...stewards.map((s) => ({ kind: 'steward' as const, id: s.id, name: '' })),
      ...cats.map((c) => ({ kind: 'category' as const, id: c.id, name: '' })),
    ];
  };
  const nonZero = <T extends IndicatorCountsRow>(rows: T[]) =>
    rows.filter((r) => Object.entries(r).some(([k, v]) => k !== 'k' && v !== 0)).sort((x, y) => ((x.k ?? '') < (y.k ?? '') ? -1 : 1));
  const today = () => shanghaiDate(new Date());
  /** Every scope × grouping of periods from the first of a month to today: deltas = live count. */
  async function expectDeltasEqualLive(froms = ['2026-02-01']) {
    for (const from of froms) {
      const period = periodOf(from, today());
      const ords = await workingDayOrdinals(t.db, a.districtId, period.from, today());
      for (const scope of await scopesOf()) {
        for (const by of ['none', 'category', 'area', 'department', 'steward'] as const) {
          const summed = await liveTicketCountsFromDeltas(t.db, a.districtId, period, scope, by);
          expect(summed).not.toBeNull();
          expect(nonZero(summed!)).toEqual(nonZero(await liveTicketCounts(t.db, a.districtId, period, ords, scope, by)));
        }
      }
    }
  }
  const unfolded = async () => (await t.db.query(`SELECT count(*)::int AS n FROM indicator_live WHERE district_id = $1 AND NOT folded`, [a.districtId]))[0].n as number;

  test('a district is counted live until the job builds its rows; then every scope and grouping equals the live count', async () => {
    await t.db.query(`DELETE FROM indicator_live_mark`);
    expect(runsToNow(periodOf('2026-03-01', today()))).toBe(true);
    expect(runsToNow(periodOf('2026-03-02', today()))).toBe(false); // not from a month's first day
    expect(runsToNow(periodOf('2026-03-01', '2026-03-31'))).toBe(false); // ended: as of its end
    expect(await liveTicketCountsFromDeltas(t.db, a.districtId, periodOf('2026-03-01', today()), whole, 'none')).toBeNull();
    expect(await buildMissingIndicatorLive(t.db)).toBeGreaterThanOrEqual(2); // A and B at least
    await expectDeltasEqualLive(['2026-01-01', '2026-02-01', '2026-03-01']);
    // The endpoint reads them and equals the figures counted here from the generated rows, as of now.
    const w = (await get(a.coordinator, '/stats/summary?from=2026-03-01&to=2026-03-31')).body.weights;
    const r = await get(a.coordinator, `/stats/summary?from=2026-02-01&to=${today()}`);
    expect(r.status).toBe(200);
    expect(pickFigures(r.body.tickets)).toEqual(expected(gen.filter((g) => g.created >= FEB.start), new Date(), w));
    // District B's rows are its own.
    const bPeriod = periodOf('2026-03-01', today());
    const [bRow] = (await liveTicketCountsFromDeltas(t.db, b.districtId, bPeriod, whole, 'none'))!;
    expect(bRow!.received).toBe(1);
  });

  test('every kind of ticket write keeps the sums equal to the live count without the job; folding changes no sum', async () => {
    const open = gen.filter((g) => g.id && ['assigned', 'accepted', 'in_progress'].includes(g.state));
    const [g1, g2, g3, g4] = [open[0]!, open[1]!, open[2]!, gen.find((g) => g.id && g.state === 'closed' && g.verdict !== 'dissatisfied')!];
    const depts: { id: string }[] = await t.db.query(`SELECT id FROM department WHERE district_id = $1 ORDER BY id`, [a.districtId]);
    const writes = [
      // accepted and answered (the working days change with the dates)
      [`UPDATE ticket SET state = 'replied', accepted_at = COALESCE(accepted_at, assigned_at + interval '3 days'), replied_at = assigned_at + interval '9 days', is_handled = true, updated_at = now() WHERE id = $1`, g1.id],
      // moved to another department and category, escalated
      [`UPDATE ticket SET lead_department_id = '${depts[depts.length - 1]!.id}', category_id = '${cats[cats.length - 1]!.id}', escalation_level = 3, updated_at = now() WHERE id = $1`, g2.id],
      // withdrawn
      [`UPDATE ticket SET state = 'withdrawn', updated_at = now() WHERE id = $1`, g3.id],
      // re-rated, reopened, returned, extended
      [`UPDATE ticket SET verdict = 'dissatisfied', reopen_count = reopen_count + 1, return_count = return_count + 1, extension_days_granted = 3, updated_at = now() WHERE id = $1`, g4.id],
      // a change that counts nothing (the trigger's WHEN skips it)
      [`UPDATE ticket SET title = title || '（补充）', updated_at = now() WHERE id = $1`, g4.id],
    ] as const;
    for (const [sql, id] of writes) await t.db.query(sql, [id]);
    // filed today, in this month, by a steward
    await t.db.query(
      `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, lead_department_id,
                           assigned_at, accept_due_at, reply_due_at, created_at, updated_at)
       VALUES ($1, 'NOW1', $2, $3, $4, '今天的诉求', '今天的诉求', $5, 'steward', 'assigned', $6, now(), now() + interval '1 day', now() + interval '7 days', now(), now())`,
      [a.districtId, enterprises[2]!.id, enterprises[2]!.areaId, cats[0]!.id, stewards[2]!.id, depts[0]!.id],
    );
    // and one deleted (a test fixture's cleanup path: the trigger subtracts it)
    await t.db.query(`DELETE FROM supervision WHERE ticket_id = $1`, [open[3]!.id]);
    await t.db.query(`DELETE FROM ticket_event WHERE ticket_id = $1`, [open[3]!.id]);
    await t.db.query(`DELETE FROM ticket WHERE id = $1`, [open[3]!.id]).catch(() => undefined);
    expect(await unfolded()).toBeGreaterThan(0);
    await expectDeltasEqualLive();
    const before = await t.db.query(`SELECT count(*)::int AS n FROM indicator_live WHERE district_id = $1`, [a.districtId]);
    expect(await compactIndicatorLive(t.db)).toBeGreaterThan(0);
    expect(await unfolded()).toBe(0);
    const after = await t.db.query(`SELECT count(*)::int AS n FROM indicator_live WHERE district_id = $1`, [a.districtId]);
    expect(after[0].n).toBeLessThan(before[0].n);
    await expectDeltasEqualLive();
  });

  test('a rebuild does not wait for the district’s writers, and a write committing during it is counted once', async () => {
    const g = gen.find((x) => x.id && x.state === 'accepted') ?? gen.find((x) => x.id && x.state === 'in_progress')!;
    const writer = t.db.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      await writer.query(`UPDATE ticket SET state = 'replied', replied_at = now(), is_handled = true, escalation_level = 2, updated_at = now() WHERE id = $1`, [g.id]);
      // before migration 1765200000000 the writer held the district's lock shared and this waited for its COMMIT
      await rebuildIndicatorLive(t.db, a.districtId);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    await expectDeltasEqualLive();
  });

  test('a calendar edit makes the district live until the job rebuilds its rows with the new working days', async () => {
    await t.db.query(`INSERT INTO calendar_local_day (district_id, day, kind, name) VALUES ($1, '2026-03-10', 'holiday', '测试')`, [a.districtId]);
    try {
      expect(await liveTicketCountsFromDeltas(t.db, a.districtId, periodOf('2026-03-01', today()), whole, 'none')).toBeNull();
      // district B has no local day: still marked
      expect(await liveTicketCountsFromDeltas(t.db, b.districtId, periodOf('2026-03-01', today()), whole, 'none')).not.toBeNull();
      expect(await buildMissingIndicatorLive(t.db)).toBe(1);
      await expectDeltasEqualLive();
      // …and a write after the edit is counted with the new calendar by the trigger
      const g = gen.find((x) => x.id && x.state === 'in_progress' && x.assignedAt && x.assignedAt < sh('2026-03-10T00:00:00'))
        ?? gen.find((x) => x.id && x.state === 'in_progress')!;
      await t.db.query(`UPDATE ticket SET state = 'replied', replied_at = assigned_at + interval '12 days', is_handled = true, updated_at = now() WHERE id = $1`, [g.id]);
      await expectDeltasEqualLive();
    } finally {
      await t.db.query(`DELETE FROM calendar_local_day WHERE district_id = $1 AND day = '2026-03-10'`, [a.districtId]);
    }
    expect(await liveTicketCountsFromDeltas(t.db, a.districtId, periodOf('2026-03-01', today()), whole, 'none')).toBeNull();
    await buildMissingIndicatorLive(t.db);
    await expectDeltasEqualLive();
  });
});

describe('the report rollup kept by a trigger (ADR 0007, amended)', () => {
  const today = () => shanghaiDate(new Date());
  const periods = () => [
    ['2026-01-01', today()], ['2026-02-01', today()], [`${today().slice(0, 7)}-01`, today()], // running to now
    ['2026-03-01', '2026-03-31'], ['2026-01-01', '2026-04-30'], // whole months, ended
    ['2026-02-01', '2026-03-15'], ['2026-02-10', today()], // edges counted live
  ];
  const coordinator = () => ({ id: a.coordinator.id, districtId: a.districtId, roles: a.coordinator.roles, enterpriseId: null, departmentId: null });
  /** ticketStats with and without the rollup (no mark: every month is counted live). */
  async function expectRollupEqualsLive() {
    const rolled = await Promise.all(periods().map(([from, to]) => ticketStats(t.db, coordinator(), from!, to!)));
    // the summary's distinct enterprises, from the latest filings while the period runs to now
    const district: Scope = { kind: 'district', id: null, name: '' };
    const withTickets = () => Promise.all(periods().map(([from, to]) => enterprisesWithTickets(t.db, a.districtId, periodOf(from!, to!), district)));
    const rolledEnterprises = await withTickets();
    const [mark] = await t.db.query(`SELECT refreshed_at FROM ticket_stat_mark WHERE district_id = $1`, [a.districtId]);
    expect(mark).toBeDefined();
    await t.db.query(`DELETE FROM ticket_stat_mark WHERE district_id = $1`, [a.districtId]);
    try {
      const live = await Promise.all(periods().map(([from, to]) => ticketStats(t.db, coordinator(), from!, to!)));
      expect(rolled).toEqual(live);
      expect(live[0]!.total).toBeGreaterThan(0);
      expect(rolledEnterprises).toEqual(await withTickets());
      expect(rolledEnterprises).toEqual(live.map((x) => x.enterprises));
      // each enterprise's latest received filing, as the trigger keeps it
      const [{ wrong }] = await t.db.query(
        `SELECT count(*)::int AS wrong
           FROM (SELECT enterprise_id, max(created_at) AS at FROM ticket WHERE district_id = $1 AND state NOT IN ('withdrawn','merged') GROUP BY 1) l
           FULL JOIN (SELECT * FROM ticket_enterprise_last WHERE district_id = $1) k USING (enterprise_id)
          WHERE l.at IS DISTINCT FROM k.last_at`,
        [a.districtId],
      );
      expect(wrong).toBe(0);
      // each enterprise's received filings by month of the year, and its first month, as the trigger keeps them
      const months = Array.from({ length: 12 }, (_, i) => `count(*) FILTER (WHERE m = ${i + 1})`).join(', ');
      const [year] = await t.db.query(
        `WITH l AS (SELECT y, enterprise_id, ARRAY[${months}]::int[] AS months
                      FROM (SELECT extract(year FROM created_at AT TIME ZONE 'Asia/Shanghai')::int AS y, enterprise_id,
                                   extract(month FROM created_at AT TIME ZONE 'Asia/Shanghai')::int AS m
                              FROM ticket WHERE district_id = $1 AND state NOT IN ('withdrawn','merged')) x GROUP BY 1, 2),
              k AS (SELECT year::int AS y, enterprise_id, months, first_month FROM ticket_enterprise_year WHERE district_id = $1)
         SELECT count(*) FILTER (WHERE (l.months IS DISTINCT FROM k.months AND (l.months IS NOT NULL OR k.first_month IS NOT NULL))
                                    OR (l.months IS NOT NULL AND k.first_month IS DISTINCT FROM
                                          (SELECT min(i) FROM generate_subscripts(l.months, 1) i WHERE l.months[i] > 0)))::int AS wrong,
                count(l.months)::int AS years
           FROM l FULL JOIN k USING (y, enterprise_id)`,
        [a.districtId],
      );
      expect(year).toEqual({ wrong: 0, years: expect.any(Number) });
      expect(year.years).toBeGreaterThan(0);
    } finally {
      await t.db.query(`INSERT INTO ticket_stat_mark (district_id, refreshed_at) VALUES ($1, $2)`, [a.districtId, mark.refreshed_at]);
    }
  }
  const unfolded = async () => (await t.db.query(`SELECT count(*)::int AS n FROM ticket_stat WHERE district_id = $1 AND NOT folded`, [a.districtId]))[0].n as number;

  test('a district without a mark is rebuilt by the job, counting once a write that commits during the rebuild', async () => {
    await t.db.query(`DELETE FROM ticket_stat_mark WHERE district_id = $1`, [a.districtId]);
    await t.db.query(`DELETE FROM ticket_stat WHERE district_id = $1`, [a.districtId]);
    // A write in flight while the job rebuilds: its old row is what the rebuild counts, its delta rows come after.
    const g = gen.find((x) => x.id && x.state === 'in_progress')!;
    const writer = t.db.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      await writer.query(`UPDATE ticket SET state = 'closed', is_handled = true, is_solved = true, solved_at = now(), verdict = 'satisfied', rating = 5, updated_at = now() WHERE id = $1`, [g.id]);
      await refreshTicketStats(t.db);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    await expectRollupEqualsLive();
  });

  test('every kind of ticket write keeps the rollup equal to the live count without the job; folding changes no figure', async () => {
    const open = gen.filter((g) => g.id && ['assigned', 'accepted', 'in_progress'].includes(g.state));
    const closed = gen.filter((g) => g.id && g.state === 'closed' && g.dept); // reopened below: on a department's clock
    const writes = [
      // answered and confirmed now: solved this month although filed months ago
      [`UPDATE ticket SET state = 'closed', is_handled = true, is_solved = true, solved_at = now(), verdict = 'basically_satisfied', rating = 4, updated_at = now() WHERE id = $1`, open[4]!.id],
      // moved to another category, escalated
      [`UPDATE ticket SET category_id = '${cats[cats.length - 1]!.id}', escalation_level = 2, updated_at = now() WHERE id = $1`, open[5]!.id],
      [`UPDATE ticket SET state = 'withdrawn', updated_at = now() WHERE id = $1`, open[6]!.id],
      [`UPDATE ticket SET state = 'merged', merged_into_id = '${open[9]!.id}', updated_at = now() WHERE id = $1`, open[7]!.id],
      // re-rated only (the key stays, the rating sum moves), then reopened (no longer solved)
      [`UPDATE ticket SET rating = CASE WHEN rating = 1 THEN 2 ELSE 1 END, verdict = 'dissatisfied', updated_at = now() WHERE id = $1`, closed[0]!.id],
      [`UPDATE ticket SET state = 'in_progress', is_solved = false, solved_at = NULL, updated_at = now() WHERE id = $1`, closed[1]!.id],
      // a change the trigger's WHEN skips
      [`UPDATE ticket SET title = title || '（补充）', updated_at = now() WHERE id = $1`, closed[2]!.id],
    ] as const;
    for (const [sql, id] of writes) await t.db.query(sql, [id]);
    const depts: { id: string }[] = await t.db.query(`SELECT id FROM department WHERE district_id = $1 ORDER BY id`, [a.districtId]);
    await t.db.query(
      `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, lead_department_id,
                           assigned_at, accept_due_at, reply_due_at, created_at, updated_at)
       VALUES ($1, 'NOW2', $2, $3, $4, '今天的诉求', '今天的诉求', $5, 'steward', 'assigned', $6, now(), now() + interval '1 day', now() + interval '7 days', now(), now())`,
      [a.districtId, enterprises[3]!.id, enterprises[3]!.areaId, cats[0]!.id, stewards[1]!.id, depts[0]!.id],
    );
    await expectRollupEqualsLive();
    // …withdrawn again: its enterprise's latest filing falls back to an earlier one
    await t.db.query(`UPDATE ticket SET state = 'withdrawn', updated_at = now() WHERE district_id = $1 AND no = 'NOW2'`, [a.districtId]);
    await t.db.query(`DELETE FROM supervision WHERE ticket_id = $1`, [open[8]!.id]);
    await t.db.query(`DELETE FROM ticket_event WHERE ticket_id = $1`, [open[8]!.id]);
    await t.db.query(`DELETE FROM ticket WHERE id = $1`, [open[8]!.id]);
    expect(await unfolded()).toBeGreaterThanOrEqual(12); // two rows per counted update, one per insert and delete
    await expectRollupEqualsLive();
    const rows = async () => (await t.db.query(`SELECT count(*)::int AS n FROM ticket_stat WHERE district_id = $1`, [a.districtId]))[0].n as number;
    const before = await rows();
    expect(await compactTicketStats(t.db)).toBeGreaterThan(0);
    expect(await unfolded()).toBe(0);
    expect(await rows()).toBeLessThan(before);
    await expectRollupEqualsLive();
    // The monthly report of the running month reads the same rollup.
    const report = await monthlyReport(t.db, coordinator(), { month: today().slice(0, 7) });
    expect(report.stats).toEqual(await ticketStats(t.db, coordinator(), '2026-01-01', report.to));
  });

  test('contacts by channel take the whole months the visit rollup holds, and equal the count without it', async () => {
    await refreshVisitMonths(t.db);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM visit_month WHERE district_id = $1`, [a.districtId]);
    expect(n).toBeGreaterThan(0);
    const spans = [['2026-01-01', today()], ['2026-02-10', '2026-03-31'], ['2026-03-01', '2026-03-31'], ['2026-01-15', '2026-02-14']];
    const contacts = () => Promise.all(spans.map(([from, to]) => contactsByChannel(t.db, a.districtId, startOfShanghaiDay(from!), endOfShanghaiDay(to!))));
    const rolled = await contacts();
    // every visit month gone: counted from the visits alone
    await t.db.query(`DELETE FROM visit_month WHERE district_id = $1`, [a.districtId]);
    const live = await contacts();
    expect(rolled).toEqual(live);
    // …and those equal the generated visits' own count
    const isContact = (v: GenVisit) => (CONTACT_STATUSES as readonly string[]).includes(v.status);
    const counted = visits.filter((v) => isContact(v) && v.at >= startOfShanghaiDay('2026-03-01') && v.at < startOfShanghaiDay('2026-04-01'));
    expect(Object.values(live[2]!).reduce((x, y) => x + y, 0)).toBe(counted.length);
    expect(counted.length).toBeGreaterThan(0);
    await refreshVisitMonths(t.db);
  });
});
