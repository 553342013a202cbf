import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';

let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
/** The ticket as the office reads it: the enterprise's own view no longer carries the routing rule (docs/screens.md). */
const office = async (tk: { id: string }) => (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211106');
  api = apiAs(t);
});
afterAll(() => t.close());

describe('submit and route', () => {
  it('routes by the matching rule, records it on the timeline, and offers each role its buttons', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工/招工用工') });
    expect(tk).toMatchObject({ state: 'assigned', version: 2, leadDepartment: { id: w.departments[0] }, escalationLevel: null, isHandled: false, isSolved: false });
    expect(tk.no).toMatch(/^\d{4}-000001$/);
    expect(tk.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'route']);
    expect((await office(tk)).timeline[1].data.rule.id).toBe(w.rules.hr);
    expect((await office(tk)).timeline[1].note).toContain('人社局');
    expect(tk.availableActions).toEqual(['withdraw']);
    const staff = (await api('GET', `/tickets/${tk.id}`, w.staff1)).json();
    expect(staff.availableActions).toEqual(['accept', 'return']);
    const coordinator = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
    expect(coordinator.availableActions).toEqual(['reassign', 'add_note', 'merge', 'escalate', 'supervise']);
  });
});

describe('ticket numbers (ADR 0018)', () => {
  it('a rejected filing takes no number: the next accepted one gets the next number', async () => {
    const no = async (who: Parameters<typeof fileTicket>[1], body: Record<string, unknown>) => Number((await fileTicket(t, who, body)).no.split('-')[1]);
    const first = await no(w.contact1, { categoryId: w.cat('人才用工') });
    // a category that does not exist, an enterprise the caller may not file for, a steward of another enterprise
    const bad = [
      await api('POST', '/tickets', w.contact1, { categoryId: '00000000-0000-4000-8000-000000000001', title: '招工难，急需电焊工', description: '企业扩产，急需招聘熟练电焊工20名。' }),
      await api('POST', '/tickets', w.contact1, { enterpriseId: w.enterprises[1].id, categoryId: w.cat('人才用工'), title: '招工难，急需电焊工', description: '企业扩产，急需招聘熟练电焊工20名。' }),
      await api('POST', '/tickets', w.steward, { enterpriseId: w.enterprises[1].id, categoryId: w.cat('人才用工'), title: '招工难，急需电焊工', description: '企业扩产，急需招聘熟练电焊工20名。' }),
    ];
    expect(bad.map((r) => [r.statusCode, r.json().error.code])).toEqual([
      [400, 'TICKET_CATEGORY_INVALID'], [403, 'TICKET_ENTERPRISE_NOT_ALLOWED'], [403, 'TICKET_ENTERPRISE_NOT_ALLOWED'],
    ]);
    // filed by its steward (the number taken with the enterprise read), then by the enterprise itself
    expect(await no(w.steward, { enterpriseId: w.enterprises[0].id, categoryId: w.cat('人才用工') })).toBe(first + 1);
    expect(await no(w.contact2, { categoryId: w.cat('人才用工') })).toBe(first + 2);
  });
});

const act = async (id: string, segment: string, who: Parameters<ReturnType<typeof apiAs>>[2], body: object = {}) => {
  const cur = (await api('GET', `/tickets/${id}`, who)).json();
  return api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
};

describe('the closed loop', () => {
  it('accept → progress → info request/provide → reply → confirm → close; handled and solved kept apart', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    let r = await act(tk.id, 'accept', w.staff1, { note: '已签收，安排专人对接' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ state: 'accepted', version: 3 });
    r = await act(tk.id, 'notes', w.staff1, { text: '已联系人力资源市场，本周五专场招聘会', visibility: 'public' });
    expect(r.json().state).toBe('in_progress');
    r = await act(tk.id, 'notes', w.staff1, { text: '内部：需协调职业技术学校' });
    expect(r.json().state).toBe('in_progress');
    r = await act(tk.id, 'request-info', w.staff1, { text: '请提供岗位需求清单' });
    expect(r.json()).toMatchObject({ state: 'awaiting_info', deadlines: { paused: true } });
    r = await act(tk.id, 'provide-info', w.steward, { text: '岗位清单：电焊工20名，月薪8000元' });
    expect(r.statusCode).toBe(200);
    expect(r.json().state).toBe('in_progress');
    r = await act(tk.id, 'reply', w.staff1, { outcome: 'solved', text: '已通过专场招聘会招到电焊工18名，其余2名下周到岗' });
    expect(r.json()).toMatchObject({ state: 'replied', isHandled: true, isSolved: false, reply: { outcome: 'solved' } });
    expect(r.json().deadlines.confirmationDueAt).toBeTruthy();
    const contactView = (await api('GET', `/tickets/${tk.id}`, w.contact1)).json();
    expect(contactView.availableActions).toEqual(['confirm']);
    expect(contactView.timeline.some((e: { note: string }) => e.note?.startsWith('内部'))).toBe(false);
    r = await act(tk.id, 'confirm', w.contact1, { verdict: 'satisfied', rating: 5, comment: '非常及时' });
    expect(r.json()).toMatchObject({ state: 'confirmed', isSolved: true, verdict: { value: 'satisfied', source: 'enterprise', rating: 5 } });
    r = await act(tk.id, 'close', w.coordinator, { note: '销号' });
    expect(r.json()).toMatchObject({ state: 'closed', isHandled: true, isSolved: true });
    const full = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
    expect(full.timeline.map((e: { seq: number }) => e.seq)).toEqual(full.timeline.map((_: unknown, i: number) => i + 1));
    expect(full.version).toBe(full.timeline.length);
    const notes = await t.db.query(`SELECT kind FROM notification WHERE person_id = $1 AND entity_id = $2 ORDER BY created_at`, [w.contact1.id, tk.id]);
    expect(notes.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['ticket.accept', 'ticket.add_note', 'ticket.request_info', 'ticket.reply', 'ticket.close']));
  });

  it('a stale version is a conflict; two staff accepting at once: exactly one wins', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    const staff1b = { ...w.staff1, id: (await t.db.query(`INSERT INTO person (district_id, name, roles, department_id) VALUES ($1,'人社办理人乙',ARRAY['department'],$2) RETURNING id`, [w.districtId, w.departments[0]]))[0].id };
    const [a, b] = await Promise.all([
      api('POST', `/tickets/${tk.id}/accept`, w.staff1, { version: tk.version }),
      api('POST', `/tickets/${tk.id}/accept`, staff1b, { version: tk.version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect([a, b].find((x) => x.statusCode === 409)!.json().error.code).toBe('VERSION_CONFLICT');
    const events = await t.db.query(`SELECT action FROM ticket_event WHERE ticket_id = $1 AND action = 'accept'`, [tk.id]);
    expect(events).toHaveLength(1);
    const stale = await api('POST', `/tickets/${tk.id}/notes`, w.staff1, { version: tk.version, text: '过期版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
  });

  it('a coordinator reassigning while the department accepts: exactly one of them happens', async () => {
    for (let i = 0; i < 3; i++) {
      const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
      const [acc, re] = await Promise.all([
        api('POST', `/tickets/${tk.id}/accept`, w.staff1, { version: tk.version }),
        api('POST', `/tickets/${tk.id}/reassign`, w.coordinator, { version: tk.version, leadDepartmentId: w.departments[1], reason: '改由金融办办理' }),
      ]);
      expect([acc.statusCode, re.statusCode].sort()).toEqual([200, 409]);
      const final = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
      expect(final.version).toBe(3);
      expect(final.state).toBe(acc.statusCode === 200 ? 'accepted' : 'assigned');
      expect(final.leadDepartment.id).toBe(acc.statusCode === 200 ? w.departments[0] : w.departments[1]);
      expect(final.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'route', acc.statusCode === 200 ? 'accept' : 'reassign']);
    }
  });
});
