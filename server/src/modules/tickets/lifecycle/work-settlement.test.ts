import type { TestApp } from '../../../../test/helper';
import { type apiAs, fileTicket, twoTicketWorlds, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';

/**
 * docs/screens.md, dead ends: notifications that asked for an action are settled once it is taken (by anyone entitled), a
 * 督办单 follows its ticket (signed with it, closed when it is returned), the 待销号 queue and its count, and the
 * ticket search's filters (enterprise name, dates) within the caller's district.
 */
let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  ({ t, w, other, api } = await twoTicketWorlds('211113', '211114'));
});
afterAll(() => t.close());

const ok = async (id: string, segment: string, who: SeedPerson, body: object = {}) => {
  const cur = (await api('GET', `/tickets/${id}`, who)).json();
  const r = await api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
  if (r.statusCode !== 200) throw new Error(`${segment}: ${r.statusCode} ${r.body}`);
  return r.json();
};
const notes = (who: SeedPerson, id: string) =>
  t.db.query(`SELECT kind, done_at IS NOT NULL AS done, done_note FROM notification WHERE person_id = $1 AND entity_id = $2 ORDER BY created_at`, [who.id, id]);

describe('notifications that ask for an action', () => {
  it('are settled when the action is taken, say what happened, and leave the unread count', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '待确认的诉求' });
    expect(await notes(w.staff1, tk.id)).toEqual([{ kind: 'ticket.assigned', done: false, done_note: null }]);
    await ok(tk.id, 'accept', w.staff1);
    expect(await notes(w.staff1, tk.id)).toEqual([{ kind: 'ticket.assigned', done: true, done_note: expect.stringMatching(/^已由.+签收$/) }]);

    await ok(tk.id, 'reply', w.staff1, { outcome: 'solved', text: '已组织专场招聘会' });
    const before = (await api('GET', '/notifications', w.contact1)).json();
    const asked = before.items.find((n: { entityId: string; kind: string }) => n.entityId === tk.id && n.kind === 'ticket.reply');
    expect(asked).toMatchObject({ done: false, doneNote: null, title: expect.stringContaining('已答复，请确认') });

    await ok(tk.id, 'confirm', w.contact1, { verdict: 'basically_satisfied' });
    const after = (await api('GET', '/notifications', w.contact1)).json();
    expect(after.items.find((n: { id: string }) => n.id === asked.id)).toMatchObject({ done: true, doneNote: expect.stringContaining('确认办理结果') });
    expect(after.unreadCount).toBe(before.unreadCount - 1);
    // the steward was asked too: settled for them as well (anyone entitled acting settles it)
    expect((await notes(w.steward, tk.id)).filter((n: { kind: string }) => n.kind === 'ticket.reply')).toEqual([expect.objectContaining({ done: true })]);

    // 待销号: counted for the coordinator, listed by state; 销号 settles the coordinator's notice and empties the queue
    expect((await api('GET', '/tickets/counts', w.coordinator)).json().awaitingClose).toBe(1);
    expect((await api('GET', '/tickets/counts', other.coordinator)).json().awaitingClose).toBe(0);
    expect((await api('GET', '/tickets?state=confirmed', w.coordinator)).json().items.map((x: { id: string }) => x.id)).toEqual([tk.id]);
    expect((await notes(w.coordinator, tk.id)).find((n: { kind: string }) => n.kind === 'ticket.confirm')).toMatchObject({ done: false });
    await ok(tk.id, 'close', w.coordinator);
    expect((await notes(w.coordinator, tk.id)).find((n: { kind: string }) => n.kind === 'ticket.confirm')).toMatchObject({ done: true, done_note: expect.stringContaining('销号') });
    expect((await api('GET', '/tickets/counts', w.coordinator)).json().awaitingClose).toBe(0);
  });
});

describe('督办单 follow their ticket', () => {
  it('is signed for with the ticket: the department cannot sign it a second time', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '督办后签收' });
    await ok(tk.id, 'supervise', w.coordinator, { note: '请尽快签收' });
    const [sup] = (await api('GET', `/supervisions?ticketId=${tk.id}`, w.staff1)).json().items;
    expect(sup.status).toBe('issued');
    await ok(tk.id, 'accept', w.staff1);
    const now = (await api('GET', `/supervisions/${sup.id}`, w.staff1)).json();
    expect(now).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String), version: 2 });
    const again = await api('POST', `/supervisions/${sup.id}/acknowledge`, w.staff1, { version: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'SUPERVISION_STATE_INVALID', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    const audit = await t.db.query(`SELECT actor_id FROM audit_event WHERE entity_id = $1 AND action = 'supervision.acknowledge_with_ticket'`, [sup.id]);
    expect(audit).toEqual([{ actor_id: w.staff1.id }]);
  });

  it('closes with a reason when the ticket is returned, and can then be neither signed nor completed', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '督办后退回' });
    await ok(tk.id, 'supervise', w.coordinator, {});
    const [sup] = (await api('GET', `/supervisions?ticketId=${tk.id}`, w.coordinator)).json().items;
    await ok(tk.id, 'return', w.staff1, { reason: '不属于本部门职能' });
    const closed = (await api('GET', `/supervisions/${sup.id}`, w.coordinator)).json();
    expect(closed).toMatchObject({ status: 'closed', closedReason: expect.stringContaining('退回'), closedAt: expect.any(String) });
    expect((await api('POST', `/supervisions/${sup.id}/acknowledge`, w.staff1, { version: closed.version })).json().error.code).toBe('SUPERVISION_STATE_INVALID');
    expect((await api('POST', `/supervisions/${sup.id}/complete`, w.coordinator, { version: closed.version, response: '无' })).json().error.code).toBe('SUPERVISION_STATE_INVALID');
    expect((await api('GET', '/supervisions?status=closed', w.coordinator)).json().items.map((x: { id: string }) => x.id)).toContain(sup.id);
    // the returned ticket's new-assignment notice to the department is settled too
    expect((await notes(w.staff1, tk.id)).find((n: { kind: string }) => n.kind === 'ticket.assigned')).toMatchObject({ done: true, done_note: expect.stringContaining('退回') });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'supervision.close_with_ticket'`, [sup.id]))[0].n).toBe(1);
  });
});

describe('ticket search', () => {
  it('finds by enterprise name and submission dates, only within the caller’s district and visibility', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '按企业名称查找' });
    const name: string = tk.enterprise.name;
    const ids = async (who: SeedPerson, q: string) => (await api('GET', `/tickets?${q}`, who)).json().items.map((x: { id: string }) => x.id);
    expect(await ids(w.coordinator, `q=${encodeURIComponent(name)}`)).toContain(tk.id);
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    expect(await ids(w.coordinator, `createdFrom=${today}&createdTo=${today}&q=${encodeURIComponent('按企业名称')}`)).toEqual([tk.id]);
    expect(await ids(w.coordinator, `createdTo=2020-01-01`)).toEqual([]);
    expect(await ids(other.coordinator, `q=${encodeURIComponent(tk.no)}`)).toEqual([]);
    expect(await ids(w.staff2, `q=${encodeURIComponent(tk.no)}`)).toEqual([]);
    expect(await ids(w.contact2, `q=${encodeURIComponent(tk.no)}`)).toEqual([]);
    const bad = await api('GET', '/tickets?createdFrom=2026-13-45', w.coordinator);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
