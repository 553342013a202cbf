import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';
import type { AuthUser } from '../../../lib/principal';
import { createTicket, getTicket } from '../lifecycle/ticket.service';
import { performAction } from '../lifecycle/ticket-actions';
import { refreshTicketStats } from './stats.service';

let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });
const at = (s: string) => ({ now: new Date(`${s}+08:00`) });

async function file(who: SeedPerson, category: string, when: string, title = '测试诉求标题', enterpriseId?: string) {
  return createTicket(t.db, as(who), { categoryId: w.cat(category), title, description: `${title}：企业反映的具体困难`, enterpriseId }, at(when));
}
async function step(id: string, who: SeedPerson, action: Parameters<typeof performAction>[3], when: string, body: Record<string, unknown> = {}) {
  const cur = await getTicket(t.db, as(who), id, at(when));
  return performAction(t.db, as(who), id, action, { version: cur.version, ...body }, at(when));
}
async function solve(id: string, when: string, verdict = 'satisfied', rating = 5) {
  await step(id, w.staff1, 'accept', when);
  await step(id, w.staff1, 'reply', when, { outcome: 'solved', text: '已解决' });
  await step(id, w.contact1, 'confirm', when, { verdict, rating });
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211114');
  api = apiAs(t);
  // March 2026: 5 人才用工 (3 solved, one handled but unconfirmed), 2 融资信贷, 1 政务服务, 1 withdrawn, 1 merged;
  // one 人才用工 in April (outside the March period).
  const hr = [];
  for (let i = 0; i < 5; i++) hr.push(await file(w.contact1, i % 2 ? '人才用工/招工用工' : '人才用工', `2026-03-0${i + 2}T09:00:00`, `招工困难第${i}件`));
  await solve(hr[0].id, '2026-03-10T10:00:00');
  await solve(hr[1].id, '2026-03-11T10:00:00', 'basically_satisfied', 4);
  await solve(hr[2].id, '2026-03-12T10:00:00');
  await step(hr[3].id, w.staff1, 'accept', '2026-03-12T10:00:00');
  await step(hr[3].id, w.staff1, 'reply', '2026-03-13T10:00:00', { outcome: 'explained', text: '不属于政策支持范围，已解释' });
  const fin1 = await file(w.contact2, '融资信贷', '2026-03-05T09:00:00', '贷款续贷', w.enterprises[1].id);
  await file(w.contact2, '融资信贷/融资担保', '2026-03-06T09:00:00', '担保费用高', w.enterprises[1].id);
  await file(w.contact1, '政务服务', '2026-03-09T09:00:00', '证照办理慢');
  const wd = await file(w.contact1, '政务服务', '2026-03-09T10:00:00', '撤回的诉求');
  await step(wd.id, w.contact1, 'withdraw', '2026-03-09T11:00:00', { reason: '已自行解决' });
  const dup = await file(w.contact2, '融资信贷', '2026-03-05T10:00:00', '贷款续贷重复', w.enterprises[1].id);
  await step(dup.id, w.coordinator, 'merge', '2026-03-05T11:00:00', { intoTicketId: fin1.id });
  await file(w.contact1, '人才用工', '2026-04-02T09:00:00', '四月份的诉求');
  // Steward contacts in March (visits module): 2 by phone, 1 on site; one in April.
  const visit = (kind: string, when: string, enterpriseId = w.enterprises[0].id) => t.db.query(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, created_by) VALUES ($1,$2,$3,$4,'completed',$5,$2)`,
    [w.districtId, w.steward.id, enterpriseId, kind, new Date(`${when}+08:00`)]);
  await visit('phone', '2026-03-03T10:00:00');
  await visit('phone', '2026-03-17T10:00:00');
  await visit('onsite', '2026-03-20T15:00:00');
  await visit('onsite', '2026-04-20T15:00:00');
});
afterAll(() => t.close());

describe('ticket statistics', () => {
  it('counts requests by category, solved vs still being coordinated, and the solve rate for a period', async () => {
    const s = (await api('GET', '/ticket-stats?from=2026-03-01&to=2026-03-31', w.leader)).json();
    expect(s).toMatchObject({
      from: '2026-03-01', to: '2026-03-31', enterprises: 2, total: 8, solved: 3, inProgress: 5, handled: 4, solveRate: 0.375, withdrawn: 1, merged: 1, escalated: 0,
      // 满意率 = (满意 + 0.9 × 基本满意) ÷ 有效回访 = (2 + 0.9) / 3, the one definition of /stats/summary (not (2 + 1) / 3)
      satisfaction: { satisfied: 2, basicallySatisfied: 1, dissatisfied: 0, rate: 0.967, averageRating: 4.67 },
    });
    expect(s.byCategory.map((c: { category: { name: string }; count: number; solved: number }) => [c.category.name, c.count, c.solved])).toEqual([
      ['人才用工', 5, 3], ['融资信贷', 2, 0], ['政务服务', 1, 0],
    ]);
    expect((await api('GET', '/ticket-stats?from=2026-03-01&to=2026-03-31', w.staff1)).statusCode).toBe(403);
    expect((await api('GET', '/ticket-stats?from=2026-04-01&to=2026-03-01', w.coordinator)).json().error.code).toBe('REPORT_PERIOD_INVALID');
  });

  it('writes the monthly paragraph the office writes by hand (S0), contacts counted from the visits', async () => {
    const month = (await api('GET', '/reports/monthly?month=2026-03&cumulative=false', w.coordinator)).json();
    expect(month.paragraph).toBe(
      '3月份，助企干部累计对接企业3次，其中：电话对接2次，现场走访1次。2家企业提出困难诉求涉及8项问题，其中，人才用工5项，融资信贷2项，政务服务1项。' +
      '经助企干部的帮扶，已帮助企业解决问题3项，正在协调解决问题5项。',
    );
    const ytd = (await api('GET', '/reports/monthly?month=2026-04&stewardTerm=项目管家', w.coordinator)).json();
    expect(ytd).toMatchObject({ from: '2026-01-01', to: '2026-04-30', contacts: { phone: 2, onsite: 2 } });
    expect(ytd.paragraph).toMatch(/^截至4月底，项目管家累计对接企业4次，其中：电话对接2次，现场走访2次。2家企业提出困难诉求涉及9项问题，其中，人才用工6项/);
    expect((await api('GET', '/reports/monthly?month=2026-13', w.coordinator)).statusCode).toBe(400);
  });
});

describe('one definition with /stats/summary', () => {
  it('the satisfaction rate, the counts and the month paragraph agree with the indicators, under the district’s own 基本满意 factor', async () => {
    const agree = async () => {
      const stats = (await api('GET', '/ticket-stats?from=2026-03-01&to=2026-03-31', w.leader)).json();
      const sum = (await api('GET', '/stats/summary?from=2026-03-01&to=2026-03-31', w.leader)).json();
      const month = (await api('GET', '/reports/monthly?month=2026-03&cumulative=false', w.coordinator)).json();
      const tk = sum.tickets;
      expect(stats.satisfaction).toMatchObject({ satisfied: tk.satisfied, basicallySatisfied: tk.basicallySatisfied, dissatisfied: tk.dissatisfied });
      expect(stats.satisfaction.rate * 100).toBeCloseTo(tk.satisfactionRate, 6);
      expect(stats).toMatchObject({ total: tk.received, solved: tk.solved, inProgress: tk.inCoordination, handled: tk.handled, overdue: tk.overdue, enterprises: tk.enterprises });
      expect(stats.solveRate * 100).toBeCloseTo(tk.solveRate, 6);
      expect(stats.byCategory.map((c: { category: { id: string }; count: number; solved: number }) => [c.category.id, c.count, c.solved]))
        .toEqual(tk.byCategory.map((c: { category: { id: string }; received: number; solved: number }) => [c.category.id, c.received, c.solved]));
      expect(month.paragraph).toContain(`${tk.enterprises}家企业提出困难诉求涉及${tk.received}项问题`);
      expect(month.paragraph).toContain(`已帮助企业解决问题${tk.solved}项，正在协调解决问题${tk.inCoordination}项`);
      return stats.satisfaction.rate;
    };
    expect(await agree()).toBe(0.967);
    // The district weighs 基本满意 at 0.5: both follow, (2 + 0.5) / 3.
    expect((await api('PATCH', '/indicator-settings', w.coordinator, { weights: { response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.5 } })).statusCode).toBe(200);
    expect(await agree()).toBe(0.833);
    await api('PATCH', '/indicator-settings', w.coordinator, { weights: { response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 } });
  });
});

// Last: it changes a ticket the tests above count.
describe('the report rollup (ADR 0007)', () => {
  it('gives the same figures once refreshed, and counts a change made after the refresh at once', async () => {
    const get = async (url: string, who = w.leader) => (await api('GET', url, who)).json();
    const period = '/ticket-stats?from=2026-03-01&to=2026-04-30';
    const live = await get(period);
    const report = await get('/reports/monthly?month=2026-04', w.coordinator);
    expect(await refreshTicketStats(t.db)).toMatchObject({ months: expect.any(Number) });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ticket_stat WHERE district_id = $1`, [w.districtId]);
    expect(n).toBeGreaterThan(0);
    expect(await get(period)).toEqual(live);
    expect(await get('/reports/monthly?month=2026-04', w.coordinator)).toEqual(report);
    // Withdrawn now (a real clock, as in production): March is counted live again until the next refresh.
    const [tk] = await t.db.query(`SELECT id, version FROM ticket WHERE district_id = $1 AND title = '证照办理慢'`, [w.districtId]);
    await performAction(t.db, as(w.contact1), tk.id, 'withdraw', { version: tk.version, reason: '不再需要' });
    const after = await get(period);
    expect(after).toMatchObject({ total: live.total - 1, withdrawn: live.withdrawn + 1 });
    await refreshTicketStats(t.db);
    expect(await get(period)).toEqual(after);
  });
});
