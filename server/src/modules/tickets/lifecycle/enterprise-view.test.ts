import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';

/** The enterprise follows its ticket, not the government's internal handling of it. */
let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211105');
  api = apiAs(t);
});
afterAll(() => t.close());

it('an enterprise contact sees no escalation level, return, supervision or extension counts; staff do', async () => {
  const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
  await t.db.query(`UPDATE ticket SET escalation_level = 2, supervise_count = 1, return_count = 1 WHERE id = $1`, [tk.id]);
  const mine = (await api('GET', `/tickets/${tk.id}`, w.contact1)).json();
  expect(mine).toMatchObject({ escalationLevel: null, counters: { reopenCount: 0, returnCount: null, overdueCount: null, superviseCount: null }, returnCount: null, extensionPending: null });
  const listed = (await api('GET', '/tickets', w.contact1)).json().items.find((x: { id: string }) => x.id === tk.id);
  expect(listed).toMatchObject({ escalationLevel: null, returnCount: null, extensionPending: null });
  const staff = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
  expect(staff).toMatchObject({ escalationLevel: 2, returnCount: 1, counters: { superviseCount: 1, returnCount: 1 } });
});

it('an enterprise contact cannot filter by the internal handling either', async () => {
  for (const qs of ['escalationLevelMin=2', 'escalationLevel=2', 'returned=true', 'extensionPending=true']) {
    const res = await api('GET', `/tickets?${qs}`, w.contact1);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe(`/querystring/${qs.split('=')[0]}`);
  }
  expect((await api('GET', '/tickets?escalationLevelMin=2', w.coordinator)).statusCode).toBe(200);
});
