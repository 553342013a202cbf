import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';
import type { AuthUser } from '../../../lib/principal';
import { createTicket, getTicket } from './ticket.service';
import { performAction } from './ticket-actions';

/** The work-queue filters of GET /tickets (returned, extensionPending, escalationLevelMin, sort=deadline) and GET /tickets/counts. */
let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: ReturnType<typeof apiAs>;
const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });
const at = (s: string) => ({ now: new Date(`${s}+08:00`) });
const ids: Record<string, string> = {};

async function file(world: TicketWorld, who: SeedPerson, category: string, when: string, title: string, enterpriseId?: string) {
  const c = await createTicket(t.db, as(who), { categoryId: world.cat(category), title, description: `${title}：企业反映的具体困难`, enterpriseId }, at(when));
  return c.id as string;
}
async function step(id: string, who: SeedPerson, action: Parameters<typeof performAction>[3], when: string, body: Record<string, unknown> = {}) {
  const cur = await getTicket(t.db, as(who), id, at(when));
  return performAction(t.db, as(who), id, action, { version: cur.version, ...body }, at(when));
}
async function list(who: SeedPerson, qs: string) {
  const res = await api('GET', `/tickets?${qs}`, who);
  expect(res.statusCode).toBe(200);
  return res.json() as { items: { id: string; title: string; replyDueAt: string | null; returnCount: number; extensionPending: boolean; escalationLevel: number }[]; nextCursor: string | null };
}
async function counts(who: SeedPerson) {
  const res = await api('GET', '/tickets/counts', who);
  expect(res.statusCode).toBe(200);
  return res.json() as Record<string, number>;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211131');
  other = await seedTicketWorld(t.db, '211132');
  api = apiAs(t);
  // In w (all 人才用工 → 人社局 staff1 unless said otherwise):
  ids.fresh = await file(w, w.contact1, '政务服务', '2026-11-02T09:00:00', '新提交待交办');
  ids.returned = await file(w, w.contact1, '人才用工', '2026-11-02T10:00:00', '被退回的诉求');
  await step(ids.returned, w.staff1, 'return', '2026-11-02T11:00:00', { reason: '不属于本部门职能' });
  ids.assigned = await file(w, w.contact1, '人才用工', '2026-11-03T09:00:00', '待签收');
  ids.extension = await file(w, w.contact1, '人才用工', '2026-11-03T10:00:00', '申请延期');
  await step(ids.extension, w.staff1, 'accept', '2026-11-03T11:00:00');
  await step(ids.extension, w.staff1, 'request_extension', '2026-11-03T12:00:00', { days: 3, reason: '需要协调用工指标' });
  ids.accepted = await file(w, w.contact1, '人才用工', '2026-11-04T09:00:00', '办理中');
  await step(ids.accepted, w.staff1, 'accept', '2026-11-04T10:00:00');
  ids.info = await file(w, w.contact1, '人才用工', '2026-11-04T11:00:00', '待补充材料');
  await step(ids.info, w.staff1, 'accept', '2026-11-04T12:00:00');
  await step(ids.info, w.staff1, 'request_info', '2026-11-04T13:00:00', { text: '请补充用工计划' });
  ids.replied = await file(w, w.contact1, '人才用工', '2026-11-05T09:00:00', '已答复待确认');
  await step(ids.replied, w.staff1, 'accept', '2026-11-05T10:00:00');
  await step(ids.replied, w.staff1, 'reply', '2026-11-05T11:00:00', { outcome: 'solved', text: '已解决' });
  ids.finance = await file(w, w.contact2, '融资信贷', '2026-11-05T12:00:00', '金融办主办', w.enterprises[1].id);
  // Deadlines set by hand, relative to the real clock the API uses: the overdue one first.
  const day = 24 * 3600 * 1000;
  const due = (d: number) => new Date(Date.now() + d * day);
  await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.accepted, due(-2)]);
  await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.extension, due(3)]);
  await t.db.query(`UPDATE ticket SET reply_due_at = $2, accept_due_at = $3 WHERE id = $1`, [ids.assigned, due(5), due(2)]);
  await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.info, due(1)]);
  await t.db.query(`UPDATE ticket SET reply_due_at = $2, accept_due_at = $2 WHERE id = $1`, [ids.finance, due(4)]);
  await t.db.query(`UPDATE ticket SET escalation_level = 2 WHERE id = $1`, [ids.accepted]);
  await t.db.query(`UPDATE ticket SET escalation_level = 3 WHERE id = $1`, [ids.extension]);
  // The other district: a returned ticket, an extension request, an escalated one — none may show or count in w.
  const o1 = await file(other, other.contact1, '人才用工', '2026-11-02T10:00:00', '外区退回');
  await step(o1, other.staff1, 'return', '2026-11-02T11:00:00', { reason: '不属于本部门职能' });
  const o2 = await file(other, other.contact1, '人才用工', '2026-11-03T10:00:00', '外区延期');
  await step(o2, other.staff1, 'accept', '2026-11-03T11:00:00');
  await step(o2, other.staff1, 'request_extension', '2026-11-03T12:00:00', { days: 2, reason: '外区' });
  await t.db.query(`UPDATE ticket SET escalation_level = 4 WHERE id = $1`, [o2]);
  await file(other, other.contact1, '政务服务', '2026-11-02T09:00:00', '外区待交办');
});
afterAll(() => t.close());

describe('GET /tickets work-queue filters', () => {
  test('returned=true: only tickets returned by a department and waiting for dispatch, with their return count', async () => {
    const p = await list(w.coordinator, 'returned=true');
    expect(p.items.map((i) => i.id)).toEqual([ids.returned]);
    expect(p.items[0].returnCount).toBe(1);
    const fresh = await list(w.coordinator, 'returned=false&state=pending_dispatch');
    expect(fresh.items.map((i) => i.id)).toEqual([ids.fresh]);
    expect(fresh.items[0].returnCount).toBe(0);
  });

  test('extensionPending=true: only tickets with a request awaiting the coordinator', async () => {
    const p = await list(w.coordinator, 'extensionPending=true');
    expect(p.items.map((i) => i.id)).toEqual([ids.extension]);
    expect(p.items[0].extensionPending).toBe(true);
    const rest = await list(w.coordinator, 'extensionPending=false');
    expect(rest.items.every((i) => !i.extensionPending)).toBe(true);
    expect(rest.items).toHaveLength(7);
  });

  test('escalationLevelMin=N: level N and above', async () => {
    expect((await list(w.coordinator, 'escalationLevelMin=2')).items.map((i) => i.id).sort()).toEqual([ids.accepted, ids.extension].sort());
    expect((await list(w.coordinator, 'escalationLevelMin=3')).items.map((i) => i.id)).toEqual([ids.extension]);
    expect((await list(w.coordinator, 'escalationLevelMin=1')).items).toHaveLength(8);
    expect((await api('GET', '/tickets?escalationLevelMin=5', w.coordinator)).statusCode).toBe(400);
  });

  test('filters keep the access rules: the department sees only its tickets, the enterprise only its own', async () => {
    expect((await list(w.staff2, 'extensionPending=true')).items).toHaveLength(0);
    expect((await list(w.staff1, 'extensionPending=true')).items.map((i) => i.id)).toEqual([ids.extension]);
    expect((await api('GET', '/tickets?escalationLevelMin=2', w.contact2)).statusCode).toBe(400); // not a filter the enterprise may use
    expect((await list(w.staff1, 'returned=true')).items).toHaveLength(0);
  });

  test('sort=deadline: reply deadline ascending, overdue first, tickets without one last, stable across pages', async () => {
    const all: { id: string; replyDueAt: string | null }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(w.coordinator, `sort=deadline&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(all.map((i) => i.id).slice(0, 5)).toEqual([ids.accepted, ids.info, ids.assigned, ids.extension, ids.finance]);
    expect(new Set(all.map((i) => i.id)).size).toBe(8);
    expect(all.slice(5).every((i) => i.replyDueAt === null)).toBe(true);
    const single = await list(w.coordinator, 'sort=deadline&limit=50');
    expect(single.items.map((i) => i.id)).toEqual(all.map((i) => i.id));
    // The department's inbox, the same order with its filters.
    const inbox = await list(w.staff1, 'sort=deadline&state=assigned&state=accepted&state=in_progress&state=awaiting_info');
    expect(inbox.items.map((i) => i.id)).toEqual([ids.accepted, ids.info, ids.assigned, ids.extension, ids.finance]);
  });

  test('overdue=true: newest first and stable across pages, with a filter on a joined table, for a department, and overdue=false the rest', async () => {
    const day = 24 * 3600 * 1000;
    const due = (d: number) => new Date(Date.now() + d * day);
    // More lapsed deadlines for this test only (restored below): the 签收 deadline of the assigned tickets, the
    // reply deadline of the one with an extension request, and of the one waiting for information (off the clock:
    // never overdue).
    await t.db.query(`UPDATE ticket SET accept_due_at = $2 WHERE id = $1`, [ids.assigned, due(-1)]);
    await t.db.query(`UPDATE ticket SET accept_due_at = $2 WHERE id = $1`, [ids.finance, due(-0.5)]);
    await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.extension, due(-1)]);
    await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.info, due(-1)]);
    try {
      const newestFirst = [ids.finance, ids.accepted, ids.extension, ids.assigned];
      const all: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(w.coordinator, `overdue=true&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        all.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(all).toEqual(newestFirst);
      expect(pages).toBe(4);
      expect((await list(w.coordinator, 'overdue=true&limit=3')).items.map((i) => i.id)).toEqual(newestFirst.slice(0, 3));
      // A condition on the category table (the one-statement form), and the departments' own tickets.
      expect((await list(w.coordinator, `overdue=true&categoryId=${w.cat('人才用工')}`)).items.map((i) => i.id)).toEqual(newestFirst.slice(1));
      expect((await list(w.staff1, 'overdue=true')).items.map((i) => i.id)).toEqual(newestFirst);
      expect((await list(w.staff2, 'overdue=true')).items.map((i) => i.id)).toEqual([ids.finance]);
      const notOverdue = (await list(w.coordinator, 'overdue=false&limit=50')).items.map((i) => i.id);
      expect(notOverdue).toHaveLength(4);
      expect(notOverdue).toContain(ids.info);
      expect(notOverdue.some((id) => newestFirst.includes(id))).toBe(false);
    } finally {
      await t.db.query(`UPDATE ticket SET reply_due_at = $2, accept_due_at = $3 WHERE id = $1`, [ids.assigned, due(5), due(2)]);
      await t.db.query(`UPDATE ticket SET reply_due_at = $2, accept_due_at = $2 WHERE id = $1`, [ids.finance, due(4)]);
      await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.extension, due(3)]);
      await t.db.query(`UPDATE ticket SET reply_due_at = $2 WHERE id = $1`, [ids.info, due(1)]);
    }
  });

  test('the default order is unchanged (newest first), and a deadline cursor is not taken for another order', async () => {
    const p = await list(w.coordinator, 'limit=50');
    expect(p.items[0].id).toBe(ids.finance);
    expect(p.items[p.items.length - 1].id).toBe(ids.fresh);
    const bad = await api('GET', `/tickets?sort=deadline&cursor=${Buffer.from(JSON.stringify([5, 'x'])).toString('base64url')}`, w.coordinator);
    expect(bad.statusCode).toBe(400);
  });
});

describe('GET /tickets/counts', () => {
  test('department staff: to accept, in progress, overdue — their department only', async () => {
    expect(await counts(w.staff1)).toEqual({ toAccept: 1, inProgress: 3, overdue: 1 });
    // 金融办 leads the 融资信贷 ticket (人社局 assists it): it is in 人社局's sight but not its to-accept.
    expect(await counts(w.staff2)).toEqual({ toAccept: 1, inProgress: 0, overdue: 0 });
  });

  test('coordinator: the desk queues of their district only', async () => {
    await t.db.query(
      `INSERT INTO supervision (district_id, ticket_id, no, department_id, kind, note, status, issued_by, issued_at)
       SELECT district_id, id, 'DB-Q-' || $3, lead_department_id, 'manual', '请加快办理', $4, $2, now() FROM ticket WHERE id = $1`,
      [ids.accepted, w.coordinator.id, '1', 'issued'],
    );
    await t.db.query(
      `INSERT INTO supervision (district_id, ticket_id, no, department_id, kind, note, status, issued_by, issued_at)
       SELECT district_id, id, 'DB-Q-' || $3, lead_department_id, 'manual', '已办结', $4, $2, now() FROM ticket WHERE id = $1`,
      [ids.accepted, w.coordinator.id, '2', 'done'],
    );
    const c = await counts(w.coordinator);
    expect(c).toMatchObject({ pendingDispatch: 1, returned: 1, extensionPending: 1, overdue: 1, escalated: 2, returnVisitsOpen: 0 });
    expect(c.supervisionsOpen).toBe(1);
    expect(Object.keys(c).sort()).toEqual(['awaitingClose', 'escalated', 'extensionPending', 'overdue', 'pendingDispatch', 'returnVisitsOpen', 'returned', 'supervisionsOpen']);
    expect(await counts(other.coordinator)).toMatchObject({ pendingDispatch: 1, returned: 1, extensionPending: 1, escalated: 1, returnVisitsOpen: 0, supervisionsOpen: 0 });
  });

  test('enterprise contact: their own enterprise only', async () => {
    expect(await counts(w.contact1)).toEqual({ open: 7, awaitingConfirmation: 1, infoRequested: 1 });
    expect(await counts(w.contact2)).toEqual({ open: 1, awaitingConfirmation: 0, infoRequested: 0 });
    expect(await counts(other.contact2)).toEqual({ open: 0, awaitingConfirmation: 0, infoRequested: 0 });
  });

  test('roles without work queues get an empty object; the counts need a login', async () => {
    expect(await counts(w.steward)).toEqual({});
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts' })).statusCode).toBe(401);
  });
});

// Last: it adds a ticket the tests above do not expect.
describe('sort=deadline with a passed 签收 deadline', () => {
  test('sort=deadline: a ticket whose 签收 deadline passed comes first even with a later reply deadline', async () => {
    const late = await file(w, w.contact2, '融资信贷', '2026-11-06T09:00:00', '签收超期', w.enterprises[1].id);
    await t.db.query(`UPDATE ticket SET accept_due_at = now() - interval '3 days', reply_due_at = now() + interval '10 days' WHERE id = $1`, [late]);
    try {
      const inbox = await list(w.staff2, 'sort=deadline&limit=1');
      expect(inbox.items.map((i) => i.id)).toEqual([late]);
      const next = await list(w.staff2, `sort=deadline&limit=1&cursor=${inbox.nextCursor}`);
      expect(next.items.map((i) => i.id)).toEqual([ids.finance]);
      expect(next.nextCursor).toBeNull();
    } finally {
      await t.db.query(`UPDATE ticket SET state = 'withdrawn', lead_department_id = NULL WHERE id = $1`, [late]);
    }
  });
});
