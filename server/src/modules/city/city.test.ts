import { createTestApp, type TestApp } from '../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import { buildCityPerson, type ScopedPerson, type SeedPerson } from '../../../test/factories';
import type { AuthUser } from '../../lib/principal';
import { createTicket, getTicket } from '../tickets/lifecycle/ticket.service';
import { performAction } from '../tickets/lifecycle/ticket-actions';

let t: TestApp;
let api: ReturnType<typeof apiAs>;
let a: TicketWorld; // 211101, city 211100
let b: TicketWorld; // 211102, city 211100
let c: TicketWorld; // 340302, city 340300
let cityA: ScopedPerson;
let cityC: ScopedPerson;

const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });
const at = (s: string) => ({ now: new Date(`${s}+08:00`) });

async function file(w: TicketWorld, who: SeedPerson, when: string, title: string, category = '人才用工') {
  return createTicket(t.db, as(who), { categoryId: w.cat(category), title, description: `${title}：企业反映的具体困难` }, at(when));
}
async function step(id: string, who: SeedPerson, action: Parameters<typeof performAction>[3], when: string, body: Record<string, unknown> = {}) {
  const cur = await getTicket(t.db, as(who), id, at(when));
  return performAction(t.db, as(who), id, action, { version: cur.version, ...body }, at(when));
}
async function solve(w: TicketWorld, id: string, when: string, verdict = 'satisfied', contact = w.contact1) {
  await step(id, w.staff1, 'accept', when);
  await step(id, w.staff1, 'reply', when, { outcome: 'solved', text: '已解决' });
  await step(id, contact, 'confirm', when, { verdict, rating: verdict === 'satisfied' ? 5 : 4 });
}
async function visit(w: TicketWorld, status: string, when: string) {
  await t.db.query(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, checkin_at, created_by)
     VALUES ($1,$2,$3,'onsite',$4::varchar,$5,CASE WHEN $4::varchar = 'checked_in' THEN $5::timestamptz END,$2)`,
    [w.districtId, w.steward.id, w.enterprises[0].id, status, new Date(`${when}+08:00`)],
  );
}

beforeAll(async () => {
  t = await createTestApp();
  api = apiAs(t);
  a = await seedTicketWorld(t.db, '211101');
  b = await seedTicketWorld(t.db, '211102');
  c = await seedTicketWorld(t.db, '340302');
  cityA = await buildCityPerson(t.db, '211100');
  cityC = await buildCityPerson(t.db, '340300', ['leader']);
  await t.db.query(`UPDATE district SET city_code = '211100' WHERE id = ANY($1)`, [[a.districtId, b.districtId]]);
  await t.db.query(`UPDATE district SET city_code = '340300' WHERE id = $1`, [c.districtId]);

  // District A, March 2026: two solved (满意, 基本满意), one accepted and answered late, one never accepted (overdue now),
  // one filed half an hour into March (Shanghai), one withdrawn; outside March: one on Feb 28 23:30 and one in April.
  const a1 = await file(a, a.contact1, '2026-03-02T09:00:00', '招工困难一');
  await solve(a, a1.id, '2026-03-02T10:00:00');
  const a2 = await file(a, a.contact2, '2026-03-03T09:00:00', '招工困难二');
  await solve(a, a2.id, '2026-03-03T10:00:00', 'basically_satisfied', a.contact2);
  const a3 = await file(a, a.contact1, '2026-03-04T09:00:00', '招工困难三');
  await step(a3.id, a.staff1, 'accept', '2026-03-20T09:00:00');
  await step(a3.id, a.staff1, 'reply', '2026-03-31T20:00:00', { outcome: 'explained', text: '不属于政策支持范围，已解释' });
  await file(a, a.contact1, '2026-03-05T09:00:00', '招工困难四');
  const a5 = await file(a, a.contact1, '2026-03-01T00:30:00', '月初的诉求');
  await step(a5.id, a.staff1, 'accept', '2026-03-02T09:00:00');
  const wd = await file(a, a.contact1, '2026-03-06T09:00:00', '撤回的诉求');
  await step(wd.id, a.contact1, 'withdraw', '2026-03-06T10:00:00', { reason: '已自行解决' });
  await file(a, a.contact1, '2026-02-28T23:30:00', '二月底的诉求');
  await file(a, a.contact1, '2026-04-01T09:00:00', '四月份的诉求');
  await visit(a, 'completed', '2026-03-03T10:00:00');
  await visit(a, 'checked_in', '2026-03-10T10:00:00');
  await visit(a, 'planned', '2026-03-11T10:00:00');
  await visit(a, 'cancelled', '2026-03-12T10:00:00');
  await visit(a, 'completed', '2026-04-01T10:00:00');

  // District B: every ticket solved and satisfied, so it ranks above A.
  for (const [i, day] of ['03-09', '03-10', '03-11'].entries()) {
    const x = await file(b, b.contact1, `2026-${day}T09:00:00`, `融资难${i}`);
    await solve(b, x.id, `2026-${day}T11:00:00`);
  }
  await visit(b, 'completed', '2026-03-15T10:00:00');

  // District C, another city: lots of activity that city 211100 must never see.
  for (const [i, day] of ['03-09', '03-10', '03-11', '03-12'].entries()) {
    const x = await file(c, c.contact1, `2026-${day}T09:00:00`, `外市诉求${i}`);
    await solve(c, x.id, `2026-${day}T11:00:00`);
  }
  await visit(c, 'completed', '2026-03-15T10:00:00');
});
afterAll(() => t.close());

/** Independent count of one district's March 2026 figures from the raw rows (plain SQL, JS arithmetic). */
async function expected(w: TicketWorld) {
  const from = new Date('2026-02-28T16:00:00Z');
  const to = new Date('2026-03-31T16:00:00Z');
  const rows: { state: string; enterprise_id: string; is_handled: boolean; is_solved: boolean; solved_at: Date | null; accepted_at: Date | null; accept_due_at: Date | null; replied_at: Date | null; reply_due_at: Date | null; verdict: string | null }[] =
    await t.db.query(`SELECT * FROM ticket WHERE district_id = $1 AND created_at >= $2 AND created_at < $3`, [w.districtId, from, to]);
  const live = rows.filter((r) => r.state !== 'withdrawn' && r.state !== 'merged');
  const acc = rows.filter((r) => r.accepted_at && r.accepted_at < to);
  const rep = rows.filter((r) => r.replied_at && r.replied_at < to);
  const now = Date.now();
  const received = live.length;
  const solved = live.filter((r) => r.is_solved && r.solved_at! < to).length;
  const satisfied = live.filter((r) => r.verdict === 'satisfied').length;
  const basically = live.filter((r) => r.verdict === 'basically_satisfied').length;
  const verdicts = live.filter((r) => r.verdict).length;
  const p = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
  const acceptOnTimeRate = p(acc.filter((r) => r.accepted_at! <= r.accept_due_at!).length, acc.length);
  const solveRate = p(solved, received);
  const satisfactionRate = p(satisfied + 0.9 * basically, verdicts);
  const [{ n: contacts }] = await t.db.query(
    `SELECT count(*)::int AS n FROM visit WHERE district_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND status IN ('checked_in','completed')`,
    [w.districtId, from, to],
  );
  return {
    district: { id: w.districtId, code: w.code },
    received,
    enterprises: new Set(live.map((r) => r.enterprise_id)).size,
    closed: live.filter((r) => r.is_handled).length,
    solved,
    accepted: acc.length,
    acceptedOnTime: acc.filter((r) => r.accepted_at! <= r.accept_due_at!).length,
    replied: rep.length,
    repliedOnTime: rep.filter((r) => r.replied_at! <= r.reply_due_at!).length,
    satisfied, basicallySatisfied: basically, verdicts,
    overdue: rows.filter((r) => ['assigned', 'accepted', 'in_progress'].includes(r.state)
      && ((r.state === 'assigned' && r.accept_due_at!.getTime() < now) || (r.reply_due_at && r.reply_due_at.getTime() < now))).length,
    contacts,
    acceptOnTimeRate,
    replyOnTimeRate: p(rep.filter((r) => r.replied_at! <= r.reply_due_at!).length, rep.length),
    solveRate,
    satisfactionRate,
    score: received ? Math.round((0.1 * (acceptOnTimeRate ?? 0) + 0.5 * (solveRate ?? 0) + 0.4 * (satisfactionRate ?? 0)) * 10) / 10 : null,
  };
}

describe('the city view of its districts', () => {
  it('shows exactly the districts of the city, each figure equal to an independent count, ranked by the composite', async () => {
    const res = await api('GET', '/city/districts?month=2026-03', cityA);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.city).toEqual({ code: '211100', name: '测试市211100' });
    expect(body.districts.map((d: { district: { code: string } }) => d.district.code).sort()).toEqual(['211101', '211102']);
    expect(JSON.stringify(body)).not.toContain(c.districtId);
    const ea = await expected(a);
    const eb = await expected(b);
    const byCode = new Map(body.districts.map((d: { district: { code: string } }) => [d.district.code, d]));
    expect(byCode.get('211101')).toMatchObject(ea);
    expect(byCode.get('211102')).toMatchObject(eb);
    // What the test created, so the independent count itself is checked against the scenario.
    expect(ea).toMatchObject({ received: 5, enterprises: 2, closed: 3, solved: 2, accepted: 4, replied: 3, satisfied: 1, basicallySatisfied: 1, verdicts: 2, contacts: 2 });
    expect(ea.acceptedOnTime).toBe(3); // a3 accepted on 03-20, past its deadline
    expect(ea.overdue).toBeGreaterThanOrEqual(1); // a4 was never accepted
    expect(eb).toMatchObject({ received: 3, solved: 3, solveRate: 100, satisfactionRate: 100, contacts: 1 });
    // Rank 1 = best score; B (everything solved and satisfied) ahead of A.
    const ranked = [ea, eb].sort((x, y) => (y.score ?? -1) - (x.score ?? -1) || x.district.code.localeCompare(y.district.code));
    expect(body.districts.map((d: { district: { code: string }; rank: number }) => [d.rank, d.district.code])).toEqual(ranked.map((e, i) => [i + 1, e.district.code]));
    expect(body.districts[0].district.code).toBe('211102');
  });

  it('the other city sees only its own district', async () => {
    const body = (await api('GET', '/city/districts?month=2026-03', cityC)).json();
    expect(body.districts).toHaveLength(1);
    expect(body.districts[0]).toMatchObject({ ...(await expected(c)), rank: 1 });
    expect(body.districts[0]).toMatchObject({ received: 4, solved: 4 });
  });

  it('a month without activity reports zeros and null rates, ranked by code', async () => {
    const body = (await api('GET', '/city/districts?month=2025-01', cityA)).json();
    expect(body.districts.map((d: { rank: number; district: { code: string }; received: number; solveRate: null; score: null }) => [d.rank, d.district.code, d.received, d.solveRate, d.score]))
      .toEqual([[1, '211101', 0, null, null], [2, '211102', 0, null, null]]);
  });

  it('refuses district people (403), anonymous callers (401) and a bad month (400)', async () => {
    for (const who of [a.coordinator, a.admin, a.leader]) {
      const res = await api('GET', '/city/districts?month=2026-03', who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SCOPE_FORBIDDEN');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/city/districts?month=2026-03' })).statusCode).toBe(401);
    for (const month of ['2026-13', '2026-3', 'x', '', '1999-12']) {
      const res = await api('GET', `/city/districts?month=${encodeURIComponent(month)}`, cityA);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await api('GET', '/city/districts', cityA)).statusCode).toBe(400);
  });

  it('a city person cannot reach district routes', async () => {
    expect((await api('GET', '/tickets', cityA)).statusCode).toBe(403);
  });
});
