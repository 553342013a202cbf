import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';

let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211110');
  api = apiAs(t);
});
afterAll(() => t.close());

const act = async (id: string, segment: string, who: SeedPerson, body: object = {}) => {
  const cur = (await api('GET', `/tickets/${id}`, who)).json();
  return api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
};
const ok = async (id: string, segment: string, who: SeedPerson, body: object = {}) => {
  const r = await act(id, segment, who, body);
  if (r.statusCode !== 200) throw new Error(`${segment}: ${r.statusCode} ${r.body}`);
  return r.json();
};

describe('dispatch queue, returns and reassignment', () => {
  it('a ticket no rule covers waits for the coordinator, who dispatches it with an assisting department', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('用地规划/土地审批'), title: '扩建用地审批', description: '二期厂房扩建用地审批进度慢' });
    expect(tk).toMatchObject({ state: 'pending_dispatch', leadDepartment: null });
    // The enterprise reads that it is being assigned; the coordinator reads why it waits (docs/screens.md).
    expect(tk.timeline[1].note).toBe('已受理，正在分派');
    const internal = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
    expect(internal.timeline[1].note).toContain('无匹配的交办规则');
    const coord = await t.db.query(`SELECT title FROM notification WHERE person_id = $1 AND entity_id = $2`, [w.coordinator.id, tk.id]);
    expect(coord.map((n: { title: string }) => n.title)).toEqual([expect.stringContaining('待交办')]);
    const d = await ok(tk.id, 'dispatch', w.coordinator, { leadDepartmentId: w.departments[1], assistingDepartmentIds: [w.departments[0]], note: '金融办牵头' });
    expect(d).toMatchObject({ state: 'assigned', leadDepartment: { id: w.departments[1] }, assistingDepartments: [{ id: w.departments[0] }] });
    expect(d.deadlines.acceptDueAt).toBeTruthy();
    expect(d.timeline.at(-1).data).toMatchObject({ leadDepartmentName: '金融办', assistingDepartmentNames: ['人社局'] });
  });

  it('refuses a department of another district or an unknown one', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('其他'), title: '其他诉求', description: '无对应部门的其他诉求' });
    const other = (await t.db.query(`SELECT id FROM department WHERE district_id <> $1 LIMIT 1`, [w.districtId]))[0];
    const foreign = (await t.db.query(`INSERT INTO district (code, name) VALUES ('990001','外区') ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`))[0];
    const dep = other ?? (await t.db.query(`INSERT INTO department (district_id, name) VALUES ($1,'外区部门') RETURNING id`, [foreign.id]))[0];
    const r = await act(tk.id, 'dispatch', w.coordinator, { leadDepartmentId: dep.id });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('DEPARTMENT_NOT_IN_DISTRICT');
  });

  it('returned twice: escalates automatically, and a third return is refused (only the coordinator decides)', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), title: '外地员工子女入学', description: '外地技术员工子女入学咨询' });
    await ok(tk.id, 'return', w.staff1, { reason: '属于教育局职能' });
    await ok(tk.id, 'dispatch', w.coordinator, { leadDepartmentId: w.departments[0] });
    const second = await ok(tk.id, 'return', w.staff1, { reason: '仍不属于本部门' });
    expect(second.counters.returnCount).toBe(2);
    expect(second.escalationLevel).toBe(2);
    expect(second.timeline.at(-1).data.autoEscalation).toEqual({ from: 1, to: 2, triggers: ['returned_twice'] });
    await ok(tk.id, 'dispatch', w.coordinator, { leadDepartmentId: w.departments[0] });
    const view = (await api('GET', `/tickets/${tk.id}`, w.staff1)).json();
    expect(view.availableActions).toEqual(['accept']);
    const third = await act(tk.id, 'return', w.staff1, { reason: '第三次' });
    expect(third.statusCode).toBe(409);
    expect(third.json().error.code).toBe('RETURN_LIMIT_REACHED');
    const moved = await ok(tk.id, 'reassign', w.coordinator, { leadDepartmentId: w.departments[1], reason: '改由金融办牵头' });
    expect(moved).toMatchObject({ state: 'assigned', leadDepartment: { id: w.departments[1] } });
    const same = await act(tk.id, 'reassign', w.coordinator, { leadDepartmentId: w.departments[1], reason: '重复' });
    expect(same.json().error.code).toBe('TICKET_SAME_DEPARTMENT');
  });

  it('a return needs a reason: the validation error lists every missing field', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    const r = await api('POST', `/tickets/${tk.id}/return`, w.staff1, {});
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/body/reason', '/body/version']);
  });
});

describe('confirmation, reopening, withdrawal, merging', () => {
  it('不满意 reopens to the same department (重办); the third reopen escalates', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await ok(tk.id, 'accept', w.staff1);
    for (let i = 1; i <= 3; i++) {
      const replied = await ok(tk.id, 'reply', w.staff1, { outcome: 'partly_solved', text: `第${i}次答复：已推荐部分人员` });
      expect(replied).toMatchObject({ isHandled: true });
      const back = await ok(tk.id, 'confirm', w.contact1, { verdict: 'dissatisfied', rating: 2, comment: '人员不足' });
      expect(back).toMatchObject({ state: 'in_progress', isHandled: false, isSolved: false, reply: null, leadDepartment: { id: w.departments[0] }, counters: { reopenCount: i } });
      expect(back.escalationLevel).toBeNull(); // the enterprise does not see the escalation
      expect((await api('GET', `/tickets/${tk.id}`, w.coordinator)).json().escalationLevel).toBe(i === 3 ? 2 : 1);
    }
    const r = await ok(tk.id, 'reply', w.staff1, { outcome: 'explained', text: '岗位薪资低于市场水平，已向企业解释并建议调整' });
    const done = await ok(tk.id, 'confirm', w.contact1, { verdict: 'basically_satisfied', rating: 4 });
    expect(done).toMatchObject({ state: 'confirmed', isSolved: true, reply: { outcome: 'explained' } });
    expect(r.version).toBeLessThan(done.version);
  });

  it('a withdrawal opens a 回访 task; the coordinator verifies it was voluntary', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    const wd = await ok(tk.id, 'withdraw', w.contact1, { reason: '已自行招到人员' });
    expect(wd).toMatchObject({ state: 'withdrawn', withdrawReason: '已自行招到人员' });
    const tasks = (await api('GET', '/return-visits?kind=withdrawal', w.coordinator)).json();
    const task = tasks.items.find((x: { ticket: { id: string } }) => x.ticket.id === tk.id);
    expect(task).toMatchObject({ kind: 'withdrawal', status: 'open', enterprise: { id: w.enterprises[0].id } });
    const rec = await api('POST', `/return-visits/${task.id}/record`, w.coordinator, { version: task.ticket.version, withdrawalVoluntary: true, method: 'phone', note: '企业确认自愿撤回' });
    expect(rec.statusCode).toBe(200);
    expect(rec.json()).toMatchObject({ status: 'done', withdrawalVoluntary: true, doneBy: { id: w.coordinator.id } });
    const again = await api('POST', `/return-visits/${task.id}/record`, w.coordinator, { version: task.ticket.version + 1, withdrawalVoluntary: true });
    expect(again.json().error.code).toBe('RETURN_VISIT_NOT_OPEN');
    expect((await api('GET', `/tickets/${tk.id}`, w.coordinator)).json().state).toBe('withdrawn');
  });

  it('an involuntary withdrawal goes back to the dispatch queue', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await ok(tk.id, 'withdraw', w.contact1, { reason: '部门让我撤回' });
    const back = await ok(tk.id, 'record-visit', w.coordinator, { withdrawalVoluntary: false, note: '非企业本意' });
    expect(back).toMatchObject({ state: 'pending_dispatch', leadDepartment: null });
  });

  it('merges a duplicate into another open ticket; the target lists it', async () => {
    const a = await fileTicket(t, w.contact1, { categoryId: w.cat('融资信贷'), title: '流动资金贷款到期续贷', description: '500万流动资金贷款下月到期，申请续贷' });
    const b = await api('POST', '/tickets', w.contact1, { categoryId: w.cat('融资信贷'), title: '贷款到期申请续贷', description: '流动资金贷款500万下月到期，希望协调续贷' });
    expect(b.json().possibleDuplicates.map((d: { id: string }) => d.id)).toContain(a.id);
    const m = await ok(b.json().id, 'merge', w.coordinator, { intoTicketId: a.id });
    expect(m).toMatchObject({ state: 'merged', mergedInto: { id: a.id, no: a.no } });
    const target = (await api('GET', `/tickets/${a.id}`, w.coordinator)).json();
    expect(target.mergedTickets.map((x: { id: string }) => x.id)).toEqual([b.json().id]);
    const self = await act(a.id, 'merge', w.coordinator, { intoTicketId: a.id });
    expect(self.json().error.code).toBe('TICKET_MERGE_INVALID');
    const intoClosed = await act(a.id, 'merge', w.coordinator, { intoTicketId: b.json().id });
    expect(intoClosed.json().error.code).toBe('TICKET_MERGE_INVALID');
  });

  it('suggests duplicates before submitting too, and not across enterprises', async () => {
    const text = '500万流动资金贷款到期续贷';
    const mine = (await api('GET', `/tickets/similar?enterpriseId=${w.enterprises[0].id}&categoryId=${w.cat('融资信贷/银行贷款')}&text=${encodeURIComponent(text)}`, w.contact1)).json();
    expect(mine.items.length).toBeGreaterThan(0);
    const theirs = await api('GET', `/tickets/similar?enterpriseId=${w.enterprises[0].id}&categoryId=${w.cat('融资信贷')}&text=${encodeURIComponent('贷款续贷')}`, w.contact2);
    expect(theirs.statusCode).toBe(403);
  });
});

describe('escalation, coordination meetings and 督办', () => {
  it('escalates by hand to level 4, records a coordination meeting, and tells the leaders', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    await ok(tk.id, 'accept', w.staff1);
    const early = await act(tk.id, 'meetings', w.coordinator, { heldOn: '2026-11-20', attendees: [{ name: '张副区长' }], decisions: '会议议定' });
    expect(early.json().error.code).toBe('MEETING_LEVEL_REQUIRED');
    const dep = await act(tk.id, 'escalate', w.staff1, { level: 3, reason: '跳级' });
    expect(dep.json().error.code).toBe('ESCALATION_LEVEL_INVALID');
    await ok(tk.id, 'escalate', w.staff1, { level: 2, reason: '需要部门间协调' });
    const l4 = await ok(tk.id, 'escalate', w.leader, { level: 4, reason: '县级层面难以解决，召开协调会' });
    expect(l4.escalationLevel).toBe(4);
    const leaderNote = await t.db.query(`SELECT title FROM notification WHERE person_id = $1 AND entity_id = $2 AND kind = 'ticket.escalate'`, [w.leader.id, tk.id]);
    expect(leaderNote).toHaveLength(0); // the leader escalated it himself
    const coordNote = await t.db.query(`SELECT title FROM notification WHERE person_id = $1 AND entity_id = $2 AND kind = 'ticket.escalate'`, [w.coordinator.id, tk.id]);
    expect(coordNote.map((n: { title: string }) => n.title)).toContain(`诉求 ${tk.no} 升级至协调会`);
    const met = await ok(tk.id, 'meetings', w.coordinator, {
      heldOn: '2026-11-20', location: '区政府三楼会议室',
      attendees: [{ name: '张副区长', title: '县级帮扶责任人' }, { name: '人社局李局长', departmentId: w.departments[0] }],
      decisions: '由人社局牵头举办专场招聘会，金融办协调稳岗贷款',
      actions: [{ text: '举办专场招聘会', departmentId: w.departments[0], dueDate: '2026-11-30' }, { text: '对接稳岗贷款', departmentId: w.departments[1] }],
    });
    expect(met.timeline.at(-1)).toMatchObject({ action: 'meeting', label: '召开协调会', visibility: 'internal', note: '由人社局牵头举办专场招聘会，金融办协调稳岗贷款' });
    const list = (await api('GET', `/tickets/${tk.id}/meetings`, w.leader)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ heldOn: '2026-11-20', actions: [{ text: '举办专场招聘会' }, { text: '对接稳岗贷款' }], recordedBy: { id: w.coordinator.id } });
    expect((await api('GET', `/tickets/${tk.id}/meetings`, w.contact1)).json().items).toEqual([]);
    const staff2Note = await t.db.query(`SELECT 1 FROM notification WHERE person_id = $1 AND entity_id = $2 AND kind = 'ticket.meeting'`, [w.staff2.id, tk.id]);
    expect(staff2Note).toHaveLength(1);
  });

  it('a coordinator issues a 督办单 by hand; the department acknowledges and completes it', async () => {
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    const s = await ok(tk.id, 'supervise', w.coordinator, { note: '请于本周内答复' });
    expect(s.counters).toMatchObject({ superviseCount: 1, overdueCount: 0 });
    const list = (await api('GET', `/supervisions?ticketId=${tk.id}`, w.staff1)).json();
    expect(list.items).toHaveLength(1);
    const sup = list.items[0];
    expect(sup).toMatchObject({ kind: 'manual', status: 'issued', department: { id: w.departments[0] }, issuedBy: { id: w.coordinator.id }, note: '请于本周内答复' });
    expect(sup.no).toMatch(/^DB\d{4}-\d{4}$/);
    expect((await api('GET', `/supervisions/${sup.id}`, w.staff2)).statusCode).toBe(404);
    expect((await api('POST', `/supervisions/${sup.id}/acknowledge`, w.staff2, { version: 1 })).statusCode).toBe(404);
    const ack = await api('POST', `/supervisions/${sup.id}/acknowledge`, w.staff1, { version: 1 });
    expect(ack.json()).toMatchObject({ status: 'acknowledged', version: 2 });
    expect((await api('POST', `/supervisions/${sup.id}/acknowledge`, w.staff1, { version: 2 })).json().error.code).toBe('SUPERVISION_STATE_INVALID');
    const done = await api('POST', `/supervisions/${sup.id}/complete`, w.staff1, { version: 2, response: '已签收诉求并安排专人办理' });
    expect(done.json()).toMatchObject({ status: 'done', response: '已签收诉求并安排专人办理' });
    expect((await api('GET', '/supervisions?status=done', w.leader)).json().items.map((x: { id: string }) => x.id)).toContain(sup.id);
  });
});

describe('idempotency', () => {
  it('a retried submission or action with the same key happens once and replays; another body is 422', async () => {
    const body = { categoryId: w.cat('人才用工'), title: '重试提交', description: '网络不好重复点了提交' };
    const k = { 'idempotency-key': 'ticket-submit-0001' };
    const a = await api('POST', '/tickets', w.contact1, body, k);
    const b = await api('POST', '/tickets', w.contact1, body, k);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(b.headers['idempotent-replay']).toBe('true');
    expect((await api('POST', '/tickets', w.contact1, { ...body, title: '改了标题' }, k)).statusCode).toBe(422);
    const id = a.json().id;
    const ka = { 'idempotency-key': 'ticket-accept-0001' };
    const x = await api('POST', `/tickets/${id}/accept`, w.staff1, { version: 2 }, ka);
    const y = await api('POST', `/tickets/${id}/accept`, w.staff1, { version: 2 }, ka);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    expect(y.json().version).toBe(3);
    expect(await t.db.query(`SELECT 1 FROM ticket_event WHERE ticket_id = $1 AND action = 'accept'`, [id])).toHaveLength(1);
    expect((await api('POST', `/tickets/${id}/accept`, w.staff1, { version: 3 }, ka)).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
