import { createTestApp, type TestApp } from '../../../test/helper';
import { auth } from '../../../test/factories';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';

// Real PostgreSQL on a shared machine: give a slow moment room rather than a false failure.
jest.setTimeout(30_000);

let t: TestApp;
let w: TicketWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db);
});
afterAll(() => t.close());

describe('a problem found at a visit becomes a 诉求', () => {
  it('files a ticket from the visit; the visit lists it and coverage counts it', async () => {
    const api = apiAs(t);
    const visit = await api('POST', '/visits', w.steward, {
      kind: 'phone', enterpriseId: w.enterprises[0].id, problems: [{ description: '扩产急需电焊工20名，本地招聘困难', category: '人才用工' }],
    });
    expect(visit.statusCode).toBe(201);
    const v = visit.json();
    const filed = await api('POST', '/tickets', w.steward, {
      enterpriseId: w.enterprises[0].id, categoryId: w.cat('人才用工'), visitId: v.id,
      title: '急需电焊工', description: v.problems[0].description,
    });
    expect(filed.statusCode).toBe(201);
    const ticket = filed.json();
    const [{ source_visit_id }] = await t.db.query(`SELECT source_visit_id FROM ticket WHERE id = $1`, [ticket.id]);
    expect(source_visit_id).toBe(v.id);

    const detail = await api('GET', `/visits/${v.id}`, w.steward);
    expect(detail.json().tickets).toEqual([{ id: ticket.id, no: ticket.no, title: '急需电焊工', state: expect.any(String) }]);
    // the enterprise sees the link on its own service record too
    const seen = await api('GET', `/visits/${v.id}`, w.contact1);
    expect(seen.json().tickets.map((x: { id: string }) => x.id)).toEqual([ticket.id]);
    const list = await api('GET', `/visits?enterpriseId=${w.enterprises[0].id}`, w.coordinator);
    expect(list.json().items.find((x: { id: string }) => x.id === v.id).tickets).toHaveLength(1);

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const cov = await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?from=${today}&to=${today}`, headers: auth(t.app, w.coordinator) });
    expect(cov.json().district).toMatchObject({ problemsRaised: 1, ticketsRaised: 1, contacts: 1 });
  });

  it('a visit to another enterprise cannot be named as the source', async () => {
    const api = apiAs(t);
    const v = (await api('POST', '/visits', w.steward2, { kind: 'wechat', enterpriseId: w.enterprises[1].id })).json();
    const res = await api('POST', '/tickets', w.steward, { enterpriseId: w.enterprises[0].id, categoryId: w.cat('人才用工'), visitId: v.id, title: '串号', description: '引用了别家企业的走访记录' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('/body/visitId');
  });
});
