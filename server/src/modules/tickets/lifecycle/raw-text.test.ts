import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';

/**
 * docs/screens.md, raw text: the timeline and notifications carry people's words, never codes ("manual", "overdue"), and
 * the enterprise never reads the office's internal routing text.
 */
let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211115');
  api = apiAs(t);
});
afterAll(() => t.close());

const supervise = async (id: string, body: object) => {
  const cur = (await api('GET', `/tickets/${id}`, w.coordinator)).json();
  const r = await api('POST', `/tickets/${id}/supervise`, w.coordinator, { version: cur.version, ...body });
  expect(r.statusCode).toBe(200);
  return r.json();
};

it('a 督办 by hand shows the coordinator’s instruction in the timeline and the notification, not its reason code', async () => {
  const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '企业升规入统' });
  const d = await supervise(tk.id, { note: '请于两日内答复企业' });
  expect(d.timeline.at(-1)).toMatchObject({ action: 'supervise', note: '请于两日内答复企业' });
  const [n] = await t.db.query(`SELECT body FROM notification WHERE person_id = $1 AND entity_id = $2 AND kind = 'ticket.supervise'`, [w.staff1.id, tk.id]);
  expect(n.body).toBe('企业升规入统：请于两日内答复企业');
  const plain = await supervise(tk.id, {});
  expect(plain.timeline.at(-1).note).toBe('人工督办');
  const bodies = (await t.db.query(`SELECT body FROM notification WHERE entity_id = $1`, [tk.id])).map((r: { body: string }) => r.body);
  for (const b of bodies) expect(b).not.toMatch(/manual|overdue/);
});

it('the enterprise reads 已受理，正在分派 where the office reads its routing text', async () => {
  const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('其他'), title: '无规则的诉求', description: '没有交办规则覆盖的诉求' });
  const mine = (await api('GET', `/tickets/${tk.id}`, w.contact1)).json();
  const route = mine.timeline.find((e: { action: string }) => e.action === 'route');
  expect(route).toMatchObject({ note: '已受理，正在分派', data: {} });
  expect(JSON.stringify(mine.timeline)).not.toContain('交办规则');
  const office = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
  expect(office.timeline.find((e: { action: string }) => e.action === 'route').note).toContain('无匹配的交办规则');
});
