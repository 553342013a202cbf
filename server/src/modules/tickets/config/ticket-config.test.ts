import { createTestApp, type TestApp } from '../../../../test/helper';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import { seedDistrict, type World } from '../../../../test/factories';

let t: TestApp;
let w: TicketWorld;
let bare: World;
let api: ReturnType<typeof apiAs>;
/** The ticket as the office reads it: the enterprise's own view no longer carries the routing rule (docs/screens.md). */
const office = async (tk: { id: string }) => (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211111');
  bare = await seedDistrict(t.db, '211112');
  api = apiAs(t);
});
afterAll(() => t.close());

describe('categories', () => {
  it('a new district loads the default two-level tree once; limits inherit from parent and district', async () => {
    expect((await api('GET', '/ticket-categories', bare.coordinator)).json().items).toEqual([]);
    expect((await api('POST', '/ticket-categories/defaults', bare.staff1)).statusCode).toBe(403);
    const first = (await api('POST', '/ticket-categories/defaults', bare.coordinator)).json();
    expect(first.added).toBeGreaterThan(30);
    expect(first.items.map((c: { name: string }) => c.name)).toEqual(['人才用工', '融资信贷', '涉法涉诉', '市场开拓', '项目建设', '政务服务', '用地规划', '环保能耗', '水电气暖', '物流运输', '政策兑现', '其他']);
    expect((await api('POST', '/ticket-categories/defaults', bare.coordinator)).json().added).toBe(0);
    const land = first.items.find((c: { name: string }) => c.name === '用地规划');
    expect(land).toMatchObject({ replyDays: 15, effective: { acceptDays: 1, replyDays: 15, urgentReplyDays: 1 } });
    expect(land.children[0]).toMatchObject({ name: '土地审批', replyDays: null, effective: { replyDays: 15 } });
  });

  it('coordinators add, rename and retune categories with the version read; two levels at most', async () => {
    const top = await api('POST', '/ticket-categories', w.coordinator, { name: '安全生产', replyDays: 3 });
    expect(top.statusCode).toBe(201);
    const child = await api('POST', '/ticket-categories', w.coordinator, { name: '消防验收', parentId: top.json().id, urgentReplyDays: 0 });
    expect(child.json()).toMatchObject({ parentId: top.json().id, effective: { replyDays: 3, urgentReplyDays: 0 } });
    const third = await api('POST', '/ticket-categories', w.coordinator, { name: '第三级', parentId: child.json().id });
    expect(third.json().error.code).toBe('CATEGORY_DEPTH_EXCEEDED');
    const dup = await api('POST', '/ticket-categories', w.coordinator, { name: '安全生产' });
    expect(dup.statusCode).toBe(409);
    const upd = await api('PATCH', `/ticket-categories/${child.json().id}`, w.coordinator, { version: 1, replyDays: 2, urgentReplyDays: null });
    expect(upd.json()).toMatchObject({ replyDays: 2, urgentReplyDays: null, effective: { replyDays: 2, urgentReplyDays: 1 }, version: 2 });
    expect((await api('PATCH', `/ticket-categories/${child.json().id}`, w.coordinator, { version: 1, name: 'x' })).json().error.code).toBe('VERSION_CONFLICT');
    await api('PATCH', `/ticket-categories/${child.json().id}`, w.coordinator, { version: 2, active: false });
    const r = await api('POST', '/tickets', w.contact1, { categoryId: child.json().id, title: '消防验收', description: '新厂房消防验收排期' });
    expect(r.json().error.code).toBe('TICKET_CATEGORY_INVALID');
  });

  it('district deadline defaults apply where categories set none', async () => {
    expect((await api('GET', '/ticket-settings', w.staff1)).json()).toEqual({ acceptDays: 1, replyDays: 5, urgentReplyDays: 1 });
    const put = await api('PUT', '/ticket-settings', w.coordinator, { acceptDays: 2, replyDays: 7, urgentReplyDays: 2 });
    expect(put.json()).toEqual({ acceptDays: 2, replyDays: 7, urgentReplyDays: 2 });
    const cats = (await api('GET', '/ticket-categories', w.contact1)).json().items;
    expect(cats.find((c: { name: string }) => c.name === '人才用工').effective).toEqual({ acceptDays: 2, replyDays: 5, urgentReplyDays: 2 });
    const [d] = await t.db.query(`SELECT settings FROM district WHERE id = $1`, [w.districtId]);
    expect(d.settings.tickets).toEqual({ acceptDays: 2, replyDays: 7, urgentReplyDays: 2 });
    await api('PUT', '/ticket-settings', w.coordinator, { acceptDays: 1, replyDays: 5, urgentReplyDays: 1 });
  });
});

describe('routing rules', () => {
  it('the most specific rule wins and the timeline says which', async () => {
    const areaRule = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('人才用工'), areaId: w.areas[0], leadDepartmentId: w.departments[1], note: '一号镇人才用工由金融办牵头（测试）' });
    expect(areaRule.statusCode).toBe(201);
    expect(areaRule.json()).toMatchObject({ specificity: 2, area: { id: w.areas[0] }, leadDepartment: { id: w.departments[1] } });
    const child = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('人才用工/人才引进'), areaId: w.areas[0], leadDepartmentId: w.departments[0] });
    expect(child.json().specificity).toBe(3);
    const inArea = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工/招工用工') }); // enterprise 1 is in area 0
    expect(inArea.leadDepartment.id).toBe(w.departments[1]);
    expect((await office(inArea)).timeline[1].data.rule).toMatchObject({ id: areaRule.json().id, specificity: 2, candidates: 2 });
    const talent = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工/人才引进') });
    expect((await office(talent)).timeline[1].data.rule).toMatchObject({ id: child.json().id, specificity: 3, candidates: 3 });
    const elsewhere = await fileTicket(t, w.contact2, { categoryId: w.cat('人才用工/招工用工') }); // area 1
    expect((await office(elsewhere)).timeline[1].data.rule.id).toBe(w.rules.hr);
    const preview = (await api('GET', `/routing-rules/preview?categoryId=${w.cat('人才用工/人才引进')}&enterpriseId=${w.enterprises[0].id}`, w.coordinator)).json();
    expect(preview).toMatchObject({ outcome: 'matched', candidates: 3, rule: { id: child.json().id } });
    for (const r of [areaRule.json(), child.json()]) await api('PATCH', `/routing-rules/${r.id}`, w.coordinator, { version: r.version, active: false });
  });

  it('the routing preview the dispatch form suggests from: overseers of the district only, never another district’s enterprise', async () => {
    const q = `/routing-rules/preview?categoryId=${w.cat('人才用工/人才引进')}&enterpriseId=${w.enterprises[0].id}`;
    expect((await api('GET', q, w.coordinator)).statusCode).toBe(200);
    expect((await api('GET', q, w.staff1)).statusCode).toBe(403);
    expect((await api('GET', q, w.contact1)).statusCode).toBe(403);
    const foreign = await api('GET', q, bare.coordinator);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('NOT_FOUND');
  });

  it('refuses a rule that would tie with another, naming both; priority or a more specific rule resolves it', async () => {
    await t.db.query(`UPDATE enterprise SET tags = ARRAY['重点企业'] WHERE id = $1`, [w.enterprises[0].id]);
    const areaRule = (await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('环保能耗'), areaId: w.areas[0], leadDepartmentId: w.departments[0] })).json();
    const tie = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('环保能耗'), enterpriseTag: '重点企业', leadDepartmentId: w.departments[1] });
    expect(tie.statusCode).toBe(409);
    expect(tie.json().error.code).toBe('ROUTING_RULE_CONFLICT');
    expect(tie.json().error.details).toHaveLength(1);
    expect(tie.json().error.details[0].message).toContain('环保能耗');
    expect(tie.json().error.details[0].message).toContain('重点企业');
    expect(await t.db.query(`SELECT 1 FROM routing_rule WHERE enterprise_tag = '重点企业'`)).toHaveLength(0);
    const same = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('环保能耗'), areaId: w.areas[0], leadDepartmentId: w.departments[1] });
    expect(same.json().error.code).toBe('ROUTING_RULE_CONFLICT');
    const cover = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('环保能耗'), areaId: w.areas[0], enterpriseTag: '重点企业', leadDepartmentId: w.departments[1] });
    expect(cover.statusCode).toBe(201);
    const nowOk = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('环保能耗'), enterpriseTag: '重点企业', leadDepartmentId: w.departments[1] });
    expect(nowOk.statusCode).toBe(201);
    // Removing the covering rule would bring the tie back: refused.
    const drop = await api('PATCH', `/routing-rules/${cover.json().id}`, w.coordinator, { version: cover.json().version, active: false });
    expect(drop.json().error.code).toBe('ROUTING_RULE_CONFLICT');
    // …unless priority decides.
    const prio = await api('PATCH', `/routing-rules/${areaRule.id}`, w.coordinator, { version: areaRule.version, priority: 10 });
    expect(prio.statusCode).toBe(200);
    expect((await api('PATCH', `/routing-rules/${cover.json().id}`, w.coordinator, { version: cover.json().version, active: false })).statusCode).toBe(200);
    const tk = await fileTicket(t, w.contact1, { categoryId: w.cat('环保能耗/排污许可'), title: '排污许可证延续', description: '排污许可证即将到期需办理延续' });
    expect((await office(tk)).timeline[1].data.rule.id).toBe(areaRule.id);
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_type = 'routing_rule' AND district_id = $1`, [w.districtId]);
    expect(audit.length).toBeGreaterThanOrEqual(4);
  });

  it('only coordinators edit rules; references must belong to the district', async () => {
    expect((await api('POST', '/routing-rules', w.staff1, { categoryId: w.cat('其他'), leadDepartmentId: w.departments[0] })).statusCode).toBe(403);
    const r = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('其他'), leadDepartmentId: bare.departments[0] });
    expect(r.json().error.code).toBe('DEPARTMENT_NOT_IN_DISTRICT');
    const lead = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('其他'), leadDepartmentId: w.departments[0], assistingDepartmentIds: [w.departments[0]] });
    expect(lead.statusCode).toBe(400);
    const list = (await api('GET', '/routing-rules', w.leader)).json();
    expect(list.items.map((x: { specificity: number }) => x.specificity)).toEqual([...list.items.map((x: { specificity: number }) => x.specificity)].sort((a, b) => b - a));
  });
});

describe('list filters and keyset paging', () => {
  it('pages through every visible ticket exactly once, newest first, and filters', async () => {
    for (let i = 0; i < 7; i++) await fileTicket(t, w.contact2, { categoryId: w.cat('融资信贷/银行贷款'), title: `分页诉求${i}`, description: `分页测试诉求第${i}件` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; createdAt: string }[]; nextCursor: string | null } = (await api('GET', `/tickets?limit=3&q=${encodeURIComponent('分页诉求')}${cursor ? `&cursor=${cursor}` : ''}`, w.coordinator)).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const byCat = (await api('GET', `/tickets?categoryId=${w.cat('融资信贷')}&limit=200`, w.coordinator)).json().items;
    expect(byCat.every((x: { category: { path: string } }) => x.category.path.startsWith('融资信贷'))).toBe(true);
    const byDep = (await api('GET', `/tickets?departmentId=${w.departments[0]}&limit=200`, w.coordinator)).json().items;
    expect(byDep.length).toBeGreaterThan(7); // 人社局 assists every 融资信贷 ticket
    const states = (await api('GET', '/tickets?state=assigned&state=pending_dispatch&limit=200', w.coordinator)).json().items;
    expect(states.every((x: { state: string }) => ['assigned', 'pending_dispatch'].includes(x.state))).toBe(true);
    const bySteward = (await api('GET', `/tickets?stewardId=${w.steward2.id}&limit=200`, w.coordinator)).json().items;
    expect(bySteward.every((x: { enterprise: { id: string } }) => x.enterprise.id === w.enterprises[1].id)).toBe(true);
    expect((await api('GET', '/tickets?overdue=true', w.coordinator)).json().items).toEqual([]);
    expect((await api('GET', '/tickets?escalationLevel=5', w.coordinator)).statusCode).toBe(400);
    expect((await api('GET', '/tickets?state=bogus', w.coordinator)).json().error.details[0]).toMatchObject({ path: '/querystring/state/0', code: 'enum' });
  });
});

describe('OpenAPI', () => {
  it('documents every ticket endpoint', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/accept', '/api/v1/tickets/{id}/reply', '/api/v1/tickets/{id}/meetings',
      '/api/v1/routing-rules', '/api/v1/ticket-categories', '/api/v1/calendar/years/{year}', '/api/v1/supervisions', '/api/v1/return-visits',
      '/api/v1/ticket-stats', '/api/v1/reports/monthly', '/api/v1/attachments']) expect(paths).toContain(p);
    expect(doc.paths['/api/v1/tickets/{id}/return'].post.summary).toContain('退回');
  });
});
