import { createTestApp, type TestApp } from '../../../test/helper';
import { seedDistrict, type SeedPerson, type World } from '../../../test/factories';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';

jest.setTimeout(120_000);

/** 咨询政策 (issue 14): a policy question is a 诉求 that goes straight to the policy's issuing department. */
let t: TestApp;
let w: TicketWorld;
let other: World;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db);
  other = await seedDistrict(t.db);
  api = apiAs(t);
  // The ordinary rule for 政策兑现 names the first department: a question must not follow it.
  await t.db.query(`INSERT INTO routing_rule (district_id, category_id, lead_department_id) VALUES ($1,$2,$3)`, [w.districtId, w.cat('政策兑现'), w.departments[0]]);
});
afterAll(() => t.close());

async function published(who: SeedPerson, departmentId: string, publish = true) {
  let res = await api('POST', '/policies', who, {
    title: `研发费用补助政策${Math.random().toString(36).slice(2, 6)}`, departmentId, benefitType: 'subsidy', mode: 'inform', summary: '对研发投入给予补助',
    eligibility: { match: 'all', conditions: [] },
  });
  expect(res.statusCode).toBe(201);
  if (!publish) return res.json();
  res = await api('POST', `/policies/${res.json().id}/publish`, who, { version: res.json().version });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const question = (who: SeedPerson, body: Record<string, unknown>) =>
  api('POST', '/tickets', who, { categoryId: w.cat('政策兑现/资金申报'), title: '咨询研发补助申报条件', description: '请问我公司是否符合研发费用补助的申报条件？', ...body });

describe('policy questions', () => {
  test('a question lands at the issuing department (not the routing rule), is linked and listed on the policy', async () => {
    const pol = await published(w.coordinator, w.departments[1]);
    const res = await question(w.contact1, { policyId: pol.id });
    expect(res.statusCode).toBe(201);
    const [row] = await t.db.query(`SELECT state, lead_department_id, assisting_department_ids, policy_id, routing_rule_id, reply_due_at FROM ticket WHERE id = $1`, [res.json().id]);
    expect(row).toMatchObject({ state: 'assigned', lead_department_id: w.departments[1], assisting_department_ids: [], policy_id: pol.id, routing_rule_id: null });
    expect(row.reply_due_at).not.toBeNull(); // the normal lifecycle: deadlines as for any assigned 诉求
    const [ev] = await t.db.query(`SELECT actor_role, note, data FROM ticket_event WHERE ticket_id = $1 AND seq = 2`, [res.json().id]);
    expect(ev.actor_role).toBe('system');
    expect(ev.note).toContain('直接交办发文部门「金融办」');
    expect(ev.data.policy).toEqual({ id: pol.id, title: pol.title });
    const note = await t.db.query(`SELECT person_id FROM notification WHERE entity_id = $1 AND kind = 'ticket.assigned'`, [res.json().id]);
    expect(note.map((n: { person_id: string }) => n.person_id)).toContain(w.staff2.id);

    // the same category without a policy follows the rule
    const plain = await question(w.contact1, {});
    expect((await t.db.query(`SELECT lead_department_id FROM ticket WHERE id = $1`, [plain.json().id]))[0].lead_department_id).toBe(w.departments[0]);

    // a steward files a question for their enterprise too
    expect((await question(w.steward, { enterpriseId: w.enterprises[0].id, policyId: pol.id })).statusCode).toBe(201);

    // the policy's desk view lists its questions: the issuing department and the coordinator; nobody else
    let list = await api('GET', `/policies/${pol.id}/questions`, w.staff2);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(2);
    expect(list.json().items[1]).toMatchObject({ id: res.json().id, state: 'assigned', enterprise: { id: w.enterprises[0].id } });
    list = await api('GET', `/policies/${pol.id}/questions?limit=1`, w.coordinator);
    expect(list.json().items).toHaveLength(1);
    const next = await api('GET', `/policies/${pol.id}/questions?limit=1&cursor=${encodeURIComponent(list.json().nextCursor)}`, w.coordinator);
    expect(next.json().items[0].id).toBe(res.json().id);
    expect(next.json().nextCursor).toBeNull();
    expect((await api('GET', `/policies/${pol.id}/questions`, w.staff1)).statusCode).toBe(404);
    expect((await api('GET', `/policies/${pol.id}/questions`, w.contact1)).statusCode).toBe(404);
    expect((await api('GET', `/policies/${pol.id}/questions`, other.coordinator)).statusCode).toBe(404);
  });

  test('another district’s policy, a draft, the wrong category or another enterprise are refused in Chinese, nothing written', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM ticket WHERE district_id = $1`, [w.districtId]))[0].n;
    const foreign = await published(other.coordinator, other.departments[0]);
    let res = await question(w.contact1, { policyId: foreign.id });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'POLICY_NOT_FOUND', details: [{ path: '/body/policyId', message: '所咨询的政策不存在或尚未发布' }] });
    const draft = await published(w.coordinator, w.departments[1], false);
    expect((await question(w.contact1, { policyId: draft.id })).statusCode).toBe(404);
    const pol = await published(w.coordinator, w.departments[1]);
    res = await question(w.contact1, { policyId: pol.id, categoryId: w.cat('人才用工') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toEqual({ path: '/body/categoryId', message: '咨询政策请选择「政策兑现」类别' });
    // the enterprise must be entitled as usual: a contact for another enterprise, a steward not of it
    expect((await question(w.contact1, { enterpriseId: w.enterprises[1].id, policyId: pol.id })).statusCode).toBe(403);
    expect((await question(w.steward, { enterpriseId: w.enterprises[1].id, policyId: pol.id })).statusCode).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM ticket WHERE district_id = $1`, [w.districtId]))[0].n).toBe(before);
  });
});
