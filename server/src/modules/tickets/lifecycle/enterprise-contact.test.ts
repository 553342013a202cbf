import type { TestApp } from '../../../../test/helper';
import { type apiAs, fileTicket, twoTicketWorlds, type TicketWorld } from '../../../../test/ticket-factories';

/**
 * Issue 13: the department calls the enterprise from the ticket — its detail carries the enterprise's registered
 * contact for the office (lead department, coordinator), not for the enterprise itself, and not across districts.
 */
let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  ({ t, w, other, api } = await twoTicketWorlds('211118', '211119'));
  await t.db.query(`UPDATE enterprise SET contact_name = '王经理', contact_phone = '13912345678' WHERE id = $1`, [w.enterprises[0].id]);
});
afterAll(() => t.close());

it('shows the enterprise contact to the office only', async () => {
  const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
  for (const who of [w.staff1, w.coordinator]) {
    const d = (await api('GET', `/tickets/${tk.id}`, who)).json();
    expect(d.enterpriseContact).toEqual({ name: '王经理', phone: '13912345678' });
  }
  expect((await api('GET', `/tickets/${tk.id}`, w.contact1)).json()).not.toHaveProperty('enterpriseContact');
  expect((await api('GET', `/tickets/${tk.id}`, w.staff2)).statusCode).toBe(404);
  expect((await api('GET', `/tickets/${tk.id}`, other.staff1)).statusCode).toBe(404);
});
