import { twoTicketWorlds, type TicketWorld } from '../../../../test/ticket-factories';
import type { TestApp } from '../../../../test/helper';
import type { SeedPerson } from '../../../../test/factories';
import type { AuthUser } from '../../../lib/principal';
import { compactQueueCounts, ticketCounts } from './queue-counts';

/**
 * ADR 0020: the queue counts come from counter rows kept by triggers, so they must stay exactly the live count
 * whatever happens. Random 诉求 operations through the API (filing, every action a person is offered, 督办单 and
 * 回访 handling), deadlines moved across days, compactions in between and concurrently — and after each round,
 * GET /tickets/counts against COUNTs written here from the queues' definitions (the list's overdue rule).
 */
let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: TicketApi;
type TicketApi = Awaited<ReturnType<typeof twoTicketWorlds>>['api'];

const SEGMENT: Record<string, string> = {
  dispatch: 'dispatch', accept: 'accept', return: 'return', reassign: 'reassign', add_note: 'notes', request_info: 'request-info',
  provide_info: 'provide-info', request_extension: 'extension-request', approve_extension: 'extension-approval',
  reject_extension: 'extension-rejection', reply: 'reply', confirm: 'confirm', open_visit: 'open-visit', record_visit: 'record-visit',
  close: 'close', withdraw: 'withdraw', merge: 'merge', escalate: 'escalate', supervise: 'supervise',
};

/** A small seeded generator, so a failure can be replayed (the seed is in the test name). */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

const OPEN = `('submitted','pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`;
const OVERDUE = `t.state IN ('assigned','accepted','in_progress') AND ((t.state = 'assigned' AND t.accept_due_at < $2) OR t.reply_due_at < $2)`;

/** The counts as COUNTs over the tables, at instant `now`, for the person's roles. */
async function liveCounts(who: SeedPerson, now: Date): Promise<Record<string, number>> {
  const c = async (sql: string, params: unknown[]) => Number((await t.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
  const d = who.districtId;
  const out: Record<string, number> = {};
  if (who.roles.includes('department') && who.departmentId) {
    const dep = who.departmentId;
    const sees = `t.district_id = $1 AND (t.lead_department_id = $3 OR $3 = ANY(t.assisting_department_ids))`;
    out.toAccept = await c(`ticket t WHERE t.district_id = $1 AND t.state = 'assigned' AND t.lead_department_id = $2`, [d, dep]);
    out.inProgress = await c(`ticket t WHERE ${sees.replace(/\$3/g, '$2')} AND t.state IN ('accepted','in_progress','awaiting_info')`, [d, dep]);
    out.overdue = await c(`ticket t WHERE ${sees} AND ${OVERDUE}`, [d, now, dep]);
  }
  if (who.roles.includes('coordinator')) {
    out.pendingDispatch = await c(`ticket t WHERE t.district_id = $1 AND t.state IN ('submitted','pending_dispatch') AND t.return_count = 0`, [d]);
    out.returned = await c(`ticket t WHERE t.district_id = $1 AND t.state = 'pending_dispatch' AND t.return_count > 0`, [d]);
    out.extensionPending = await c(`ticket t WHERE t.district_id = $1 AND t.pending_extension IS NOT NULL AND t.state IN ${OPEN}`, [d]);
    out.overdue = await c(`ticket t WHERE t.district_id = $1 AND ${OVERDUE}`, [d, now]);
    out.escalated = await c(`ticket t WHERE t.district_id = $1 AND t.escalation_level >= 2 AND t.state IN ${OPEN} AND t.state <> 'submitted'`, [d]);
    out.returnVisitsOpen = await c(`return_visit_task v WHERE v.district_id = $1 AND v.status = 'open'`, [d]);
    out.supervisionsOpen = await c(`supervision s WHERE s.district_id = $1 AND s.status IN ('issued','acknowledged')`, [d]);
    out.awaitingClose = await c(`ticket t WHERE t.district_id = $1 AND t.state = 'confirmed'`, [d]);
  }
  return out;
}

const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });
const HOUR = 3600_000;

/** The counts through the API and, at other instants, through the service — each against the live COUNT. */
async function expectExact(label: string) {
  for (const who of [w.coordinator, w.staff1, w.staff2, other.coordinator, other.staff1]) {
    const res = await api('GET', '/tickets/counts', who);
    expect(res.statusCode).toBe(200);
    const live = await liveCounts(who, new Date());
    // the API's instant is a moment before `live`'s: nothing here has a deadline within that moment
    expect({ label, who: who.username, counts: res.json() }).toEqual({ label, who: who.username, counts: live });
  }
  for (const offset of [-50 * HOUR, -3 * HOUR, 2 * HOUR, 27 * HOUR, 5 * 24 * HOUR]) {
    const now = new Date(Date.now() + offset);
    for (const who of [w.coordinator, w.staff1, w.staff2]) {
      const got = await ticketCounts(t.db, as(who), { now });
      expect({ label, offset, who: who.username, counts: got }).toEqual({ label, offset, who: who.username, counts: await liveCounts(who, now) });
    }
  }
}

beforeAll(async () => {
  ({ t, w, other, api } = await twoTicketWorlds('211141', '211142'));
});
afterAll(() => t.close());

describe('queue counters stay equal to the live counts', () => {
  const seed = 20261201;
  test(`random operations through the API (seed ${seed})`, async () => {
    const r = rng(seed);
    const tickets: { id: string; world: TicketWorld }[] = [];
    const categories = ['人才用工', '融资信贷', '政务服务', '其他'];
    const done: Record<string, number> = {};
    const file = async (world: TicketWorld) => {
      const contact = r.next() < 0.5 ? world.contact1 : world.contact2;
      const res = await api('POST', '/tickets', contact, { categoryId: world.cat(r.pick(categories)), title: `随机诉求${tickets.length}`, description: `随机操作测试的诉求内容，第${tickets.length}件。` });
      expect(res.statusCode).toBe(201);
      tickets.push({ id: res.json().id, world });
      done.file = (done.file ?? 0) + 1;
    };
    const bodyFor = (action: string, world: TicketWorld, cur: { escalationLevel: number | null; id: string }): Record<string, unknown> => {
      const dep = r.pick(world.departments);
      const assisting = r.next() < 0.4 ? world.departments.filter((x) => x !== dep) : [];
      switch (action) {
        case 'dispatch': return { leadDepartmentId: dep, assistingDepartmentIds: assisting };
        case 'reassign': return { leadDepartmentId: dep, assistingDepartmentIds: assisting, reason: '改派其他部门' };
        case 'return': return { reason: '不属于本部门职能' };
        case 'add_note': return { text: '办理进展' };
        case 'request_info': return { text: '请补充材料' };
        case 'provide_info': return { text: '已补充材料' };
        case 'request_extension': return { days: 1 + r.int(5), reason: '需要协调' };
        case 'reject_extension': return { reason: '不同意延期' };
        case 'reply': return { outcome: r.pick(['solved', 'explained', 'partly_solved']), text: '已办理' };
        case 'confirm': return { verdict: r.pick(['satisfied', 'basically_satisfied', 'dissatisfied']) };
        case 'record_visit': return { verdict: r.pick(['satisfied', 'basically_satisfied', 'dissatisfied']), withdrawalVoluntary: r.next() < 0.5, method: 'phone' };
        case 'withdraw': return { reason: '问题已自行解决' };
        case 'merge': return { intoTicketId: r.pick(tickets.filter((x) => x.world === world && x.id !== cur.id)).id };
        case 'escalate': return { level: Math.min(4, (cur.escalationLevel ?? 1) + 1), reason: '需要协调' };
        default: return {};
      }
    };
    // Side steps less often than the ones that move a ticket on, so tickets reach every state.
    const WEIGHT: Record<string, number> = { withdraw: 0.1, merge: 0.1, add_note: 0.1, escalate: 0.3, supervise: 0.5, return: 0.5, reassign: 0.5 };
    const act = async () => {
      const { id, world } = r.pick(tickets);
      // every (person, action) offered on it, one picked by weight
      const offers: { who: SeedPerson; cur: { id: string; version: number; escalationLevel: number | null }; action: string }[] = [];
      for (const who of [world.coordinator, world.staff1, world.staff2, world.contact1, world.contact2, world.leader]) {
        const view = await api('GET', `/tickets/${id}`, who);
        if (view.statusCode !== 200) continue;
        const cur = view.json();
        for (const action of cur.availableActions as string[])
          if (SEGMENT[action] && !(action === 'escalate' && (cur.escalationLevel ?? 1) >= 4)) offers.push({ who, cur, action });
      }
      if (!offers.length) return;
      const total = offers.reduce((n, o) => n + (WEIGHT[o.action] ?? 1), 0);
      let x = r.next() * total;
      const { who, cur, action } = offers.find((o) => (x -= WEIGHT[o.action] ?? 1) < 0) ?? offers[offers.length - 1];
      const res = await api('POST', `/tickets/${id}/${SEGMENT[action]}`, who, { version: cur.version, ...bodyFor(action, world, cur) });
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode === 200) done[action] = (done[action] ?? 0) + 1;
    };
    const supervisionStep = async (world: TicketWorld) => {
      const [s] = await t.db.query(
        `SELECT s.id, s.version, s.status, s.department_id FROM supervision s WHERE s.district_id = $1 AND s.status <> 'done' ORDER BY random() LIMIT 1`, [world.districtId]);
      if (!s) return;
      const staff = s.department_id === world.departments[0] ? world.staff1 : world.staff2;
      const res = s.status === 'issued' && r.next() < 0.6
        ? await api('POST', `/supervisions/${s.id}/acknowledge`, staff, { version: s.version })
        : await api('POST', `/supervisions/${s.id}/complete`, r.next() < 0.5 ? staff : world.coordinator, { version: s.version, response: '已督促办理' });
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode === 200) done.supervision = (done.supervision ?? 0) + 1;
    };
    const returnVisitStep = async (world: TicketWorld) => {
      const [v] = await t.db.query(
        `SELECT v.id, v.kind, tk.version FROM return_visit_task v JOIN ticket tk ON tk.id = v.ticket_id WHERE v.district_id = $1 AND v.status = 'open' LIMIT 1`, [world.districtId]);
      if (!v) return;
      const res = await api('POST', `/return-visits/${v.id}/record`, world.coordinator,
        { version: v.version, method: 'phone', ...(v.kind === 'withdrawal' ? { withdrawalVoluntary: r.next() < 0.5 } : { verdict: r.pick(['satisfied', 'dissatisfied']) }) });
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode === 200) done.returnVisit = (done.returnVisit ?? 0) + 1;
    };
    // Deadlines anywhere from three days ago to three days ahead (today's and other days' counter rows), as time passing would.
    const moveDeadlines = async () => {
      const { id } = r.pick(tickets);
      const at = (h: number) => new Date(Date.now() + h * HOUR);
      const which = r.int(3); // the 签收 deadline, the reply deadline, or both
      await t.db.query(`UPDATE ticket SET accept_due_at = CASE WHEN accept_due_at IS NOT NULL AND $4 <> 1 THEN $2::timestamptz ELSE accept_due_at END,
                                          reply_due_at = CASE WHEN reply_due_at IS NOT NULL AND $4 <> 0 THEN $3::timestamptz ELSE reply_due_at END WHERE id = $1`,
      [id, at(r.int(144) - 72), at(r.int(144) - 72), which]);
      done.moveDeadlines = (done.moveDeadlines ?? 0) + 1;
    };

    for (let i = 0; i < 10; i++) await file(r.next() < 0.8 ? w : other);
    for (let round = 0; round < 16; round++) {
      for (let i = 0; i < 20; i++) {
        const x = r.next();
        if (x < 0.07) await file(r.next() < 0.8 ? w : other);
        else if (x < 0.75) await act();
        else if (x < 0.87) await moveDeadlines();
        else if (x < 0.94) await supervisionStep(r.next() < 0.8 ? w : other);
        else await returnVisitStep(w);
      }
      if (round % 3 === 1) await compactQueueCounts(t.db);
      await expectExact(`round ${round}`);
    }
    if (process.env.QUEUE_LOG) console.log(done);
    // enough of the queue-moving operations happened for the comparison to mean something
    expect(done.file).toBeGreaterThanOrEqual(20);
    for (const a of ['accept', 'return', 'dispatch', 'reply', 'confirm', 'close', 'request_extension', 'supervise', 'moveDeadlines', 'supervision']) expect({ a, n: (done[a] ?? 0) > 0 }).toEqual({ a, n: true });
    await compactQueueCounts(t.db);
    await expectExact('after the last compaction');
    // compacted: one row per key, none zero
    const [{ dup }] = await t.db.query(`SELECT count(*)::int AS dup FROM (SELECT 1 FROM ticket_queue_count GROUP BY district_id, department_id, queue, due_day HAVING count(*) > 1 OR sum(n) = 0) x`);
    expect(dup).toBe(0);
  }, 600_000);

  test('concurrent filings and actions, with compactions running meanwhile', async () => {
    const files = Array.from({ length: 12 }, (_, i) => api('POST', '/tickets', i % 2 ? w.contact1 : w.contact2, { categoryId: w.cat(i % 3 ? '人才用工' : '融资信贷'), title: `并发诉求${i}`, description: `并发测试的诉求内容，第${i}件。` }));
    const compactions = Array.from({ length: 4 }, () => compactQueueCounts(t.db));
    const filed = await Promise.all(files);
    await Promise.all(compactions);
    const ids = filed.map((f) => { expect(f.statusCode).toBe(201); return f.json() as { id: string; version: number; leadDepartment: { id: string } | null }; });
    const staffOf = (tk: { leadDepartment: { id: string } | null }) => (tk.leadDepartment?.id === w.departments[1] ? w.staff2 : w.staff1);
    const accepted = await Promise.all([
      ...ids.filter((x) => x.leadDepartment).map((x) => api('POST', `/tickets/${x.id}/accept`, staffOf(x), { version: x.version })),
      compactQueueCounts(t.db), compactQueueCounts(t.db),
    ]);
    expect(accepted.filter((x) => typeof x === 'object' && x.statusCode === 200).length).toBeGreaterThan(0);
    await expectExact('concurrent');
  }, 300_000);

  test('ticket_queue_rebuild recomputes the same rows the triggers kept', async () => {
    const before = await t.db.query(`SELECT district_id, department_id, queue, due_day, sum(n)::int AS n FROM ticket_queue_count GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`);
    await t.db.query(`SELECT ticket_queue_rebuild(NULL)`);
    const after = await t.db.query(`SELECT district_id, department_id, queue, due_day, n FROM ticket_queue_count ORDER BY 1, 2, 3, 4`);
    expect(after).toEqual(before);
    expect(after.length).toBeGreaterThan(5);
  });
});
