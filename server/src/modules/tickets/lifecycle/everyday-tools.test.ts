import { createTestApp, type TestApp } from '../../../../test/helper';
import { buildPerson, seedDistrict } from '../../../../test/factories';
import { urgeTicket } from './urge.service';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';

/**
 * Issue 13, each role's everyday tools: the working-day countdown, 催办, 联系管家 and the steward's consent, the
 * steward rating on the confirmation, 常用语 and the extension preview — against the real database.
 */
let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211131');
  api = apiAs(t);
  await t.db.query(`UPDATE person SET phone = '13900001111' WHERE id = $1`, [w.steward.id]);
});
afterAll(() => t.close());

const get = async (id: string, who: Parameters<typeof api>[2]) => (await api('GET', `/tickets/${id}`, who)).json();
const act = async (id: string, segment: string, who: Parameters<typeof api>[2], body: object = {}) =>
  api('POST', `/tickets/${id}/${segment}`, who, { version: (await get(id, who)).version, ...body });
/** Moves the ticket's running deadlines into the past (the department missed them). */
const makeOverdue = (id: string) => t.db.query(`UPDATE ticket SET accept_due_at = now() - interval '3 days', reply_due_at = now() - interval '2 days' WHERE id = $1`, [id]);

describe('countdown: working days left on the running deadline', () => {
  it('tells the enterprise the reply deadline and the office the accept deadline, in working days; overdue when missed', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    const mine = await get(tk.id, w.contact1);
    expect(mine.countdown).toMatchObject({ of: 'reply', overdue: false });
    expect(mine.countdown.text).toMatch(/^(剩余 \d+ 个工作日|今天到期)$/);
    expect((await get(tk.id, w.staff1)).countdown).toMatchObject({ of: 'accept', overdue: false });
    await makeOverdue(tk.id);
    const late = await get(tk.id, w.contact1);
    expect(late.countdown).toMatchObject({ of: 'reply', overdue: true });
    expect(late.countdown.text).toMatch(/^已超期/);
  });
});

describe('催办', () => {
  it('is refused before the ticket is overdue', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    expect((await get(tk.id, w.contact1)).urge).toEqual({ available: false, urgedToday: false, count: 0 });
    const r = await api('POST', `/tickets/${tk.id}/urge`, w.contact1, {});
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'TICKET_NOT_OVERDUE', message: '诉求尚未超期，暂不能催办' });
  });

  it('once per working day: on the timeline, audited, the department and the steward told; a retry replays; a second is refused', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await makeOverdue(tk.id);
    expect((await get(tk.id, w.contact1)).urge).toMatchObject({ available: true, urgedToday: false });
    const key = { 'idempotency-key': `urge-${tk.id}` };
    const r = await api('POST', `/tickets/${tk.id}/urge`, w.contact1, { note: '已超期三天，请尽快' }, key);
    expect(r.statusCode).toBe(200);
    const urge = r.json().timeline.find((e: { action: string }) => e.action === 'urge');
    expect(urge).toMatchObject({ label: '企业催办', visibility: 'public', note: '已超期三天，请尽快', role: 'enterprise' });
    expect(r.json().urge).toMatchObject({ available: false, urgedToday: true, count: 1 });
    // The same request again (a lost answer): the same answer, no second step.
    const again = await api('POST', `/tickets/${tk.id}/urge`, w.contact1, { note: '已超期三天，请尽快' }, key);
    expect(again.statusCode).toBe(200);
    expect(again.json().version).toBe(r.json().version);
    // A new urge the same working day.
    const second = await api('POST', `/tickets/${tk.id}/urge`, w.contact1, {});
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'TICKET_ALREADY_URGED', message: '今天已催办过该诉求，请下个工作日再催办' });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = $1 AND action = 'urge'`, [tk.id]);
    expect(n).toBe(1);
    const audit = await t.db.query(`SELECT data FROM audit_event WHERE action = 'ticket.urge' AND entity_id = $1`, [tk.id]);
    expect(audit).toHaveLength(1);
    const told = await t.db.query(`SELECT person_id, title FROM notification WHERE entity_id = $1 AND kind = 'ticket.urge'`, [tk.id]);
    expect(told.map((x: { person_id: string }) => x.person_id).sort()).toEqual([w.staff1.id, w.steward.id].sort());
    expect(told[0].title).toBe(`企业催办：诉求 ${tk.no}`);
    // The office sees it too.
    expect((await get(tk.id, w.staff1)).timeline.some((e: { action: string }) => e.action === 'urge')).toBe(true);
    // Signing for it answers the 催办: the notices say so instead of asking.
    expect((await act(tk.id, 'accept', w.staff1)).statusCode).toBe(200);
    const settled = await t.db.query(`SELECT done_note FROM notification WHERE entity_id = $1 AND kind = 'ticket.urge'`, [tk.id]);
    expect(settled.map((x: { done_note: string }) => x.done_note)).toEqual(['已由人社办理人签收', '已由人社办理人签收']);
  });

  it('a next working day allows another (the urge day is the district calendar\'s)', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await makeOverdue(tk.id);
    expect((await api('POST', `/tickets/${tk.id}/urge`, w.contact1, {})).statusCode).toBe(200);
    // A week later (a different working day, whatever today is): allowed again.
    const later = new Date(Date.now() + 7 * 86_400_000);
    const again = await urgeTicket(t.db, { ...w.contact1, roles: ['enterprise'] }, tk.id, {}, { now: later });
    expect(again.urge).toMatchObject({ urgedToday: true, count: 2 });
    const days = again.timeline.filter((e) => e.action === 'urge').map((e) => e.data.urgeDay);
    expect(new Set(days).size).toBe(2);
  });

  it('another enterprise gets 404, other roles 403', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await makeOverdue(tk.id);
    const other = await api('POST', `/tickets/${tk.id}/urge`, w.contact2, {});
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('TICKET_NOT_FOUND');
    expect((await api('POST', `/tickets/${tk.id}/urge`, w.staff1, {})).statusCode).toBe(403);
    expect((await api('POST', `/tickets/${tk.id}/urge`, w.steward, {})).statusCode).toBe(403);
    expect((await api('POST', `/tickets/${tk.id}/urge`, w.contact1, { note: 'x'.repeat(201) })).statusCode).toBe(400);
  });
});

describe('联系管家', () => {
  it('gives the enterprise its steward and the phone while the steward allows it; the steward changes it, audited', async () => {
    expect((await api('GET', '/my-steward', w.contact1)).json()).toEqual({ steward: { id: w.steward.id, name: '管家张', phone: '13900001111' } });
    expect((await api('GET', '/steward-settings', w.steward)).json()).toEqual({ phoneVisibleToEnterprises: true });
    const put = await api('PUT', '/steward-settings', w.steward, { phoneVisibleToEnterprises: false });
    expect(put.statusCode).toBe(200);
    expect((await api('GET', '/my-steward', w.contact1)).json().steward).toEqual({ id: w.steward.id, name: '管家张', phone: null });
    const [a] = await t.db.query(`SELECT data FROM audit_event WHERE action = 'steward.settings' AND entity_id = $1`, [w.steward.id]);
    expect(a.data.phoneVisibleToEnterprises).toEqual({ from: true, to: false });
    await api('PUT', '/steward-settings', w.steward, { phoneVisibleToEnterprises: true });
    // The other enterprise sees its own steward; only stewards change the setting; bad input is 400.
    expect((await api('GET', '/my-steward', w.contact2)).json().steward.id).toBe(w.steward2.id);
    expect((await api('PUT', '/steward-settings', w.contact1, { phoneVisibleToEnterprises: false })).statusCode).toBe(403);
    expect((await api('PUT', '/steward-settings', w.steward, { phoneVisibleToEnterprises: 'no' })).statusCode).toBe(400);
    expect((await api('GET', '/my-steward', w.staff1)).statusCode).toBe(403);
  });
});

describe('rating the steward on the confirmation', () => {
  const replied = async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await act(tk.id, 'accept', w.staff1);
    await act(tk.id, 'reply', w.staff1, { outcome: 'solved', text: '已解决' });
    return tk;
  };

  it('stores the optional 1–5 rating for the current steward, audited, on the timeline; coordinators read it', async () => {
    const tk = await replied();
    const r = await act(tk.id, 'confirm', w.contact1, { verdict: 'satisfied', rating: 5, stewardRating: 4, stewardComment: '管家跑前跑后，很负责' });
    expect(r.statusCode).toBe(200);
    const step = r.json().timeline.find((e: { action: string }) => e.action === 'confirm');
    expect(step.data).toMatchObject({ stewardRating: 4, stewardComment: '管家跑前跑后，很负责' });
    const rows = await t.db.query(`SELECT steward_id, rating, comment FROM steward_rating WHERE ticket_id = $1`, [tk.id]);
    expect(rows).toEqual([{ steward_id: w.steward.id, rating: 4, comment: '管家跑前跑后，很负责' }]);
    expect(await t.db.query(`SELECT 1 FROM audit_event WHERE action = 'steward.rated' AND data->>'ticketId' = $1`, [tk.id])).toHaveLength(1);
    // Confirming without rating the steward stores nothing.
    const tk2 = await replied();
    expect((await act(tk2.id, 'confirm', w.contact1, { verdict: 'basically_satisfied' })).statusCode).toBe(200);
    expect(await t.db.query(`SELECT 1 FROM steward_rating WHERE ticket_id = $1`, [tk2.id])).toHaveLength(0);

    const read = await api('GET', `/stewards/${w.steward.id}/ratings`, w.coordinator);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ steward: { id: w.steward.id, name: '管家张' }, count: 1, average: 4 });
    expect(read.json().items[0]).toMatchObject({ ticketNo: tk.no, rating: 4, comment: '管家跑前跑后，很负责', enterprise: { id: w.enterprises[0].id } });
    expect((await api('GET', `/stewards/${w.steward.id}/ratings`, w.leader)).statusCode).toBe(200);
    expect((await api('GET', `/stewards/${w.steward.id}/ratings`, w.staff1)).statusCode).toBe(403);
    expect((await api('GET', `/stewards/${w.steward.id}/ratings`, w.steward)).statusCode).toBe(403);
  });

  it('refuses a rating out of range, and a coordinator of another district finds no such steward', async () => {
    const tk = await replied();
    const bad = await act(tk.id, 'confirm', w.contact1, { verdict: 'satisfied', stewardRating: 6 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const other = await seedDistrict(t.db, '211132');
    expect((await api('GET', `/stewards/${w.steward.id}/ratings`, other.coordinator)).statusCode).toBe(404);
  });

  it('an enterprise without a steward cannot rate one (the whole confirmation is refused, nothing half-written)', async () => {
    const tk = await replied();
    await t.db.query(`UPDATE assignment SET ends_on = '2026-06-30' WHERE enterprise_id = $1`, [w.enterprises[0].id]);
    try {
      const r = await act(tk.id, 'confirm', w.contact1, { verdict: 'satisfied', stewardRating: 5 });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('STEWARD_RATING_NO_STEWARD');
      expect((await get(tk.id, w.contact1)).state).toBe('replied');
      expect((await api('GET', '/my-steward', w.contact1)).json()).toEqual({ steward: null });
    } finally {
      await t.db.query(`UPDATE assignment SET ends_on = NULL WHERE enterprise_id = $1`, [w.enterprises[0].id]);
    }
  });
});

describe('常用语', () => {
  it('a department\'s staff add, list, edit and delete their own; another department sees none and cannot touch them', async () => {
    const colleague = await buildPerson(t.db, { districtId: w.districtId, roles: ['department'], departmentId: w.departments[0], name: '人社办理人乙' });
    const c = await api('POST', '/reply-templates', w.staff1, { text: '  您好，您反映的问题已收悉，我局正在办理。 ' });
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({ text: '您好，您反映的问题已收悉，我局正在办理。', version: 1 });
    expect((await api('GET', '/reply-templates', colleague)).json().items.map((x: { text: string }) => x.text)).toEqual(['您好，您反映的问题已收悉，我局正在办理。']);
    expect((await api('GET', '/reply-templates', w.staff2)).json().items).toEqual([]);
    const dup = await api('POST', '/reply-templates', colleague, { text: '您好，您反映的问题已收悉，我局正在办理。' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'REPLY_TEMPLATE_DUPLICATE', message: '已有相同的常用语' });
    expect((await api('POST', '/reply-templates', w.staff1, { text: '   ' })).statusCode).toBe(400);
    expect((await api('POST', '/reply-templates', w.staff1, { text: 'x'.repeat(501) })).statusCode).toBe(400);
    const id = c.json().id;
    expect((await api('PUT', `/reply-templates/${id}`, w.staff2, { text: '改', version: 1 })).statusCode).toBe(404);
    expect((await api('DELETE', `/reply-templates/${id}`, w.staff2)).statusCode).toBe(404);
    const u = await api('PUT', `/reply-templates/${id}`, colleague, { text: '您好，已收悉，正在办理。', version: 1 });
    expect(u.json()).toMatchObject({ text: '您好，已收悉，正在办理。', version: 2 });
    expect((await api('PUT', `/reply-templates/${id}`, w.staff1, { text: '旧版本', version: 1 })).statusCode).toBe(409);
    expect((await api('GET', '/reply-templates', w.coordinator)).statusCode).toBe(403);
    expect((await api('DELETE', `/reply-templates/${id}`, w.staff1)).statusCode).toBe(204);
    expect((await api('GET', '/reply-templates', w.staff1)).json().items).toEqual([]);
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['reply_template.create', 'reply_template.update', 'reply_template.delete']);
  });
});

describe('extension preview', () => {
  it('shows the lead department the new reply deadline against today, and warns when it would still be overdue', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await act(tk.id, 'accept', w.staff1);
    const p = await api('GET', `/tickets/${tk.id}/extension-preview?days=3`, w.staff1);
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ stillOverdue: false, countdown: { overdue: false } });
    expect(new Date(p.json().newDueAt).getTime()).toBeGreaterThan(new Date(p.json().currentDueAt).getTime());
    // The reply clock started long ago: even 1 more day leaves it overdue.
    await t.db.query(`UPDATE ticket SET reply_clock_at = now() - interval '60 days', reply_due_at = now() - interval '50 days' WHERE id = $1`, [tk.id]);
    const late = await api('GET', `/tickets/${tk.id}/extension-preview?days=1`, w.staff1);
    expect(late.json()).toMatchObject({ stillOverdue: true, countdown: { overdue: true } });
    expect(late.json().text).toMatch(/^已超期 \d+ 个工作日$/);
    expect((await api('GET', `/tickets/${tk.id}/extension-preview?days=11`, w.staff1)).statusCode).toBe(400);
    expect((await api('GET', `/tickets/${tk.id}/extension-preview?days=1`, w.staff2)).statusCode).toBe(404);
    expect((await api('GET', `/tickets/${tk.id}/extension-preview?days=1`, w.coordinator)).statusCode).toBe(403);
  });
});
