import type { TestApp } from '../../../../test/helper';
import { type apiAs, fileTicket, twoTicketWorlds, type TicketWorld } from '../../../../test/ticket-factories';

/**
 * Issue 13, 批示: a leader's written instruction on a ticket is an internal add_note of kind leader_instruction —
 * one transaction with its event and audit row, in the departments' timeline, hidden from the enterprise, notified
 * to the lead department; nobody else writes one, and another district's leader cannot reach the ticket.
 */
let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  ({ t, w, other, api } = await twoTicketWorlds('211116', '211117'));
});
afterAll(() => t.close());

it('a leader’s 批示 reaches the departments’ timeline and the lead department, not the enterprise', async () => {
  const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '用电增容迟迟未批' });
  const r = await api('POST', `/tickets/${tk.id}/notes`, w.leader, { version: tk.version, text: '请供电公司本周内拿出增容方案', kind: 'leader_instruction' });
  expect(r.statusCode).toBe(200);
  expect(r.json().state).toBe(tk.state);

  const staff = (await api('GET', `/tickets/${tk.id}`, w.staff1)).json();
  expect(staff.timeline.at(-1)).toMatchObject({ action: 'add_note', role: 'leader', visibility: 'internal', note: '请供电公司本周内拿出增容方案', data: { kind: 'leader_instruction' } });
  const mine = (await api('GET', `/tickets/${tk.id}`, w.contact1)).json();
  expect(JSON.stringify(mine.timeline)).not.toContain('增容方案');

  const [n] = await t.db.query(`SELECT title FROM notification WHERE person_id = $1 AND entity_id = $2 ORDER BY created_at DESC LIMIT 1`, [w.staff1.id, tk.id]);
  expect(n.title).toBe(`诉求 ${tk.no} 有领导批示`);
  const enterpriseNotes = await t.db.query(`SELECT title FROM notification WHERE person_id = $1 AND entity_id = $2 AND title LIKE '%批示%'`, [w.contact1.id, tk.id]);
  expect(enterpriseNotes).toEqual([]);
  const audit = await t.db.query(`SELECT 1 FROM ticket_event WHERE ticket_id = $1 AND action = 'add_note' AND data ->> 'kind' = 'leader_instruction'`, [tk.id]);
  expect(audit).toHaveLength(1);
});

it('is refused from a coordinator or a department, as public, and across districts — nothing written', async () => {
  const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
  const body = { version: tk.version, text: '批示内容', kind: 'leader_instruction' };
  expect((await api('POST', `/tickets/${tk.id}/notes`, w.coordinator, body)).json().error.code).toBe('TICKET_ROLE_NOT_ALLOWED');
  expect((await api('POST', `/tickets/${tk.id}/notes`, w.leader, { ...body, visibility: 'public' })).json().error.code).toBe('TICKET_PAYLOAD_INVALID');
  expect((await api('POST', `/tickets/${tk.id}/notes`, w.leader, { ...body, kind: 'order' })).statusCode).toBe(400);
  expect((await api('POST', `/tickets/${tk.id}/notes`, other.leader, body)).statusCode).toBe(404);
  const events = await t.db.query(`SELECT 1 FROM ticket_event WHERE ticket_id = $1 AND action = 'add_note'`, [tk.id]);
  expect(events).toEqual([]);
});
