import fc from 'fast-check';
import { shanghaiDate } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildPerson, seedDistrict, type SeedPerson, type World } from '../../../test/factories';
import { projectAccess, projectVisibilitySql } from './project.policy';
import { refreshLight, runLightJob } from './project-light.service';
import { sqlParams } from '../../lib/sql';

jest.setTimeout(60_000);

let t: TestApp;
let w: World;
let other: World;
const TODAY = shanghaiDate(new Date());
const Y = Number(TODAY.slice(0, 4));
const LAST = Y - 1;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  other = await seedDistrict(t.db);
});
afterAll(async () => t.close());

const api = (who: SeedPerson, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: auth(t.app, who), ...(payload !== undefined ? { payload: payload as object } : {}) });

/** A valid project body for world `w`: 1亿元 = 6000万 self-raised + 4000万 bank loan. */
function body(over: Record<string, unknown> = {}) {
  return {
    name: `测试重点项目${Math.random().toString(36).slice(2, 8)}`,
    enterpriseId: w.enterprises[0].id,
    areaId: w.areas[0],
    location: '一号镇工业园',
    nature: '产业',
    levels: ['市重点'],
    kind: 'new',
    startYear: LAST,
    endYear: Y + 1,
    plannedStartOn: `${Y + 1}-03-01`,
    plannedEndOn: `${Y + 1}-06-30`,
    totalInvestment: '100000000',
    funding: [{ source: 'self_raised', amount: '60000000' }, { source: 'bank_loan', amount: '40000000' }],
    leaderId: w.leader.id,
    leadDepartmentId: w.departments[0],
    helperDepartmentIds: [w.departments[1]],
    stewardIds: [w.steward.id],
    contactPersonId: w.contact1.id,
    stage: 'signed',
    stageOn: `${LAST}-01-05`,
    ...over,
  };
}

async function create(over: Record<string, unknown> = {}) {
  const res = await api(w.coordinator, 'POST', '/projects', body(over));
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('project ledger', () => {
  it('creates a project with its funding, team, template milestones and first stage event', async () => {
    const p = await create();
    expect(p).toMatchObject({
      no: expect.stringMatching(/^XM\d{4}-\d{4}$/), stage: 'signed', halted: false, totalInvestment: '100000000', kind: 'new',
      leader: { id: w.leader.id }, leadDepartment: { id: w.departments[0] }, stewards: [{ id: w.steward.id, name: '管家张' }],
      contact: { id: w.contact1.id }, canEdit: true, canReport: true, light: 'green',
    });
    expect(p.funding).toEqual([{ source: 'bank_loan', amount: '40000000', note: null }, { source: 'self_raised', amount: '60000000', note: null }]);
    const ms = await api(w.coordinator, 'GET', `/projects/${p.id}/milestones`);
    expect(ms.json().map((m: { name: string }) => m.name)).toEqual(['立项', '用地预审', '规划许可', '环评', '能评', '施工许可', '开工', '主体完工', '竣工验收', '投产']);
    const ev = await api(w.steward, 'GET', `/projects/${p.id}/stage-events`);
    expect(ev.json()).toEqual([expect.objectContaining({ seq: 1, action: 'create', to: 'signed', on: `${LAST}-01-05` })]);
  });

  it('refuses funding that does not add up, with a Chinese message on the field', async () => {
    const res = await api(w.coordinator, 'POST', '/projects', body({ totalInvestment: '100000001' }));
    expect(res.statusCode).toBe(400);
    const e = res.json().error;
    expect(e.code).toBe('PROJECT_FUNDING_MISMATCH');
    expect(e.details).toEqual([expect.objectContaining({ path: '/body/funding', message: expect.stringContaining('与总投资') })]);
    expect(e.details[0].message).toContain('1亿元');
  });

  it('refuses dates out of order, foreign references and bad amounts, listing every issue', async () => {
    const res = await api(w.coordinator, 'POST', '/projects', body({ plannedEndOn: `${LAST}-01-01`, leaderId: w.steward.id, nature: '不存在' }));
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['/body/leaderId', '/body/nature', '/body/plannedEndOn']);
    for (const amount of ['1.5', '-1', '1e9', '007']) {
      const bad = await api(w.coordinator, 'POST', '/projects', body({ totalInvestment: amount }));
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
    const foreign = await api(w.coordinator, 'POST', '/projects', body({ enterpriseId: other.enterprises[0].id }));
    expect(foreign.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/body/enterpriseId' })]));
    expect((await api(w.steward, 'POST', '/projects', body())).statusCode).toBe(403);
  });

  it('edits with the version; a stale version is a 409 and funding is re-checked against the total', async () => {
    const p = await create();
    const mismatch = await api(w.coordinator, 'PATCH', `/projects/${p.id}`, { version: p.version, totalInvestment: '200000000' });
    expect(mismatch.json().error.code).toBe('PROJECT_FUNDING_MISMATCH');
    const ok = await api(w.coordinator, 'PATCH', `/projects/${p.id}`, {
      version: p.version, totalInvestment: '200000000', funding: [{ source: 'fiscal', amount: '50000000' }, { source: 'special_bond', amount: '150000000' }],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ totalInvestment: '200000000', version: p.version + 1 });
    const stale = await api(w.coordinator, 'PATCH', `/projects/${p.id}`, { version: p.version, name: '改名' });
    expect(stale.statusCode).toBe(409);
  });

  it('lists with keyset pagination and filters', async () => {
    const a = await create({ name: '筛选测试甲', levels: ['省重点'] });
    const b = await create({ name: '筛选测试乙', areaId: w.areas[1] });
    await create({ name: '筛选测试丙' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(w.coordinator, 'GET', `/projects?q=${encodeURIComponent('筛选测试')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((x: { name: string }) => x.name));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect([...seen].sort()).toEqual(['筛选测试丙', '筛选测试甲', '筛选测试乙'].sort());
    expect((await api(w.coordinator, 'GET', `/projects?level=${encodeURIComponent('省重点')}`)).json().items.map((x: { id: string }) => x.id)).toContain(a.id);
    const byArea = (await api(w.coordinator, 'GET', `/projects?areaId=${w.areas[1]}`)).json().items.map((x: { id: string }) => x.id);
    expect(byArea).toEqual([b.id]);
    expect((await api(w.coordinator, 'GET', `/projects?stage=signed&leaderId=${w.leader.id}&light=green`)).json().items.length).toBeGreaterThan(0);
    expect((await api(w.coordinator, 'GET', '/projects?cursor=nonsense')).statusCode).toBe(400);
  });
});

describe('access', () => {
  it('who sees and does what: the matrix', async () => {
    const p = await create();
    const outsider = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'], name: '团队外管家' });
    const otherLeader = await buildPerson(t.db, { districtId: w.districtId, roles: ['leader'], name: '其他领导' });
    const report = { month: `${LAST}-02`, amount: '0', progress: '前期准备' };
    // [person, GET status, report status (null = do not try)]
    const matrix: [string, SeedPerson, number, number | null][] = [
      ['coordinator', w.coordinator, 200, null],
      ['admin', w.admin, 200, 403],
      ['the leader', w.leader, 200, 403],
      ['another leader', otherLeader, 200, 403],
      ['team steward', w.steward, 200, 201],
      ['steward outside the team', outsider, 200, 403],
      ['lead department staff', w.staff1, 200, 403],
      ['helper department staff', w.staff2, 200, 403],
      ['owner contact', w.contact1, 200, 409], // 409: the steward already filed that month
      ['another enterprise', w.contact2, 404, 404],
      ['another district', other.coordinator, 404, 404],
    ];
    for (const [label, who, get, rep] of matrix) {
      expect([label, (await api(who, 'GET', `/projects/${p.id}`)).statusCode]).toEqual([label, get]);
      if (rep !== null) expect([label, (await api(who, 'POST', `/projects/${p.id}/reports`, report)).statusCode]).toEqual([label, rep]);
    }
    // stage changes: the leader yes, another leader and the helper department no
    const adv = (who: SeedPerson, version: number) => api(who, 'POST', `/projects/${p.id}/advance`, { version, to: 'started', on: `${LAST}-03-02` });
    expect((await adv(otherLeader, p.version)).statusCode).toBe(403);
    expect((await adv(w.staff2, p.version)).statusCode).toBe(403);
    expect((await adv(w.contact1, p.version)).statusCode).toBe(403);
    expect((await adv(w.leader, p.version)).statusCode).toBe(200);
  });

  it('the SQL rule and the JS rule agree for every person', async () => {
    const p1 = await create({ leadDepartmentId: w.departments[1], helperDepartmentIds: [], enterpriseId: w.enterprises[1].id, contactPersonId: w.contact2.id, stewardIds: [w.steward2.id] });
    const p2 = await create();
    const people = [w.coordinator, w.admin, w.leader, w.steward, w.steward2, w.staff1, w.staff2, w.contact1, w.contact2];
    const ids = [p1.id, p2.id];
    for (const who of people) {
      const a = { id: who.id, districtId: who.districtId, roles: who.roles, enterpriseId: who.enterpriseId, departmentId: who.departmentId };
      const { params, p } = sqlParams([ids]);
      const vis = projectVisibilitySql(a, p);
      const rows: { id: string }[] = vis === 'none' ? [] : await t.db.query(`SELECT p.id FROM project p WHERE p.id = ANY($1::uuid[]) ${vis ? `AND ${vis}` : ''}`, params);
      const facts: { id: string; district_id: string; enterprise_id: string; leader_id: string; lead_department_id: string; helper_department_ids: string[]; steward_ids: string[] }[] = await t.db.query(
        `SELECT p.id, p.district_id, p.enterprise_id, p.leader_id, p.lead_department_id, p.helper_department_ids,
                coalesce((SELECT array_agg(person_id) FROM project_steward WHERE project_id = p.id), '{}') AS steward_ids
           FROM project p WHERE p.id = ANY($1::uuid[])`, [ids]);
      const js = facts.filter((f) => projectAccess(a, f).canSee).map((f) => f.id).sort();
      expect([who.roles[0], rows.map((r) => r.id).sort()]).toEqual([who.roles[0], js]);
    }
  });
});

describe('stage actions', () => {
  it('advances, refuses a skip without a reason, halts, resumes and keeps the history', async () => {
    const p = await create();
    const post = (who: SeedPerson, action: string, payload: object) => api(who, 'POST', `/projects/${p.id}/${action}`, payload);
    const skip = await post(w.steward, 'advance', { version: p.version, to: 'completed', on: `${LAST}-03-02` });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().error).toMatchObject({ code: 'PROJECT_STAGE_SKIP_REASON_REQUIRED', details: [{ path: '/body/reason', message: '跨阶段推进须填写原因' }] });
    const early = await post(w.steward, 'advance', { version: p.version, to: 'started', on: `${LAST}-01-04` });
    expect(early.json().error.code).toBe('PROJECT_DATE_ORDER');
    const future = await post(w.steward, 'advance', { version: p.version, to: 'started', on: `${Y + 1}-01-01` });
    expect(future.json().error.code).toBe('PROJECT_DATE_IN_FUTURE');
    const started = await post(w.steward, 'advance', { version: p.version, to: 'started', on: `${LAST}-03-02`, note: '举行开工仪式' });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ stage: 'started', stageChangedOn: `${LAST}-03-02`, availableActions: ['advance', 'halt'] });
    const stale = await post(w.steward, 'halt', { version: p.version, on: `${LAST}-04-01`, reason: '资金' });
    expect(stale.statusCode).toBe(409);
    const halted = await post(w.staff1, 'halt', { version: started.json().version, on: `${LAST}-11-15`, reason: '冬季停工' });
    expect(halted.json()).toMatchObject({ halted: true, haltReason: '冬季停工', availableActions: ['resume'] });
    const blocked = await post(w.coordinator, 'advance', { version: halted.json().version, to: 'completed', on: `${LAST}-12-01` });
    expect(blocked.json().error.code).toBe('PROJECT_HALTED');
    const resumed = await post(w.leader, 'resume', { version: halted.json().version, on: `${LAST}-03-10` });
    expect(resumed.json().error.code).toBe('PROJECT_DATE_ORDER');
    const ok = await post(w.leader, 'resume', { version: halted.json().version, on: `${Y}-01-02` > TODAY ? TODAY : `${Y}-01-02` });
    expect(ok.json()).toMatchObject({ halted: false, haltReason: null });
    const revertByLeader = await post(w.leader, 'revert', { version: ok.json().version, to: 'signed', on: TODAY, reason: '误录' });
    expect(revertByLeader.statusCode).toBe(403);
    const noReason = await post(w.coordinator, 'revert', { version: ok.json().version, to: 'signed', on: TODAY });
    expect(noReason.json().error).toMatchObject({ code: 'PROJECT_REASON_REQUIRED', details: [{ path: '/body/reason' }] });
    const reverted = await post(w.coordinator, 'revert', { version: ok.json().version, to: 'signed', on: TODAY, reason: '开工信息误录' });
    expect(reverted.json().stage).toBe('signed');
    const hist = (await api(w.contact1, 'GET', `/projects/${p.id}/stage-events`)).json();
    expect(hist.map((e: { action: string }) => e.action)).toEqual(['create', 'advance', 'halt', 'resume', 'revert']);
    expect(hist.map((e: { seq: number }) => e.seq)).toEqual([...hist.map((e: { seq: number }) => e.seq)].sort((a: number, b: number) => a - b));
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [p.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['project.created', 'project.advance', 'project.halt', 'project.resume', 'project.revert']);
  });
});

describe('monthly 调度 reports', () => {
  it('files, refuses a second report and a future month, corrects with a reason and derives the totals', async () => {
    const p = await create({ totalInvestment: '100000000' });
    await api(w.coordinator, 'PUT', `/projects/${p.id}/plans/${LAST}`, { amount: '40000000' });
    const r1 = await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-01`, amount: '10000000', progress: '场地平整完成' });
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({ month: `${LAST}-01`, version: 1, ytd: '10000000', sinceStart: '10000000', percentOfPlan: '25.00%', percentOfTotal: '10.00%' });
    const dup = await api(w.contact1, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-01`, amount: '1', progress: 'x' });
    expect(dup.json().error.code).toBe('PROJECT_REPORT_EXISTS');
    const nextMonth = new Date(Date.UTC(Y, Number(TODAY.slice(5, 7)), 1)).toISOString().slice(0, 7);
    const fut = await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: nextMonth, amount: '1', progress: 'x' });
    expect(fut.statusCode).toBe(400);
    expect(fut.json().error).toMatchObject({ code: 'PROJECT_REPORT_FUTURE_MONTH', details: [{ path: '/body/month' }] });
    await api(w.contact1, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-02`, amount: '5000000', progress: '桩基施工' });
    const noReason = await api(w.steward, 'POST', `/projects/${p.id}/reports/${LAST}-01/corrections`, { amount: '12000000', progress: '场地平整完成' });
    expect(noReason.statusCode).toBe(400);
    const fix = await api(w.steward, 'POST', `/projects/${p.id}/reports/${LAST}-01/corrections`, { amount: '12000000', progress: '场地平整完成', reason: '漏报设备款' });
    expect(fix.json()).toMatchObject({ version: 2, reason: '漏报设备款', ytd: '12000000' });
    const list = (await api(w.leader, 'GET', `/projects/${p.id}/reports?year=${LAST}`)).json();
    expect(list.map((r: { month: string; ytd: string }) => [r.month, r.ytd])).toEqual([[`${LAST}-01`, '12000000'], [`${LAST}-02`, '17000000']]);
    expect(list[1]).toMatchObject({ percentOfPlan: '42.50%', percentOfTotal: '17.00%' });
    const hist = (await api(w.leader, 'GET', `/projects/${p.id}/reports?history=true`)).json();
    expect(hist.map((r: { version: number; current: boolean }) => [r.version, r.current])).toEqual([[1, false], [2, true], [1, true]]);
    expect((await api(w.steward, 'POST', `/projects/${p.id}/reports/${LAST}-05/corrections`, { amount: '1', progress: 'x', reason: 'y' })).statusCode).toBe(404);
  });

  it('refuses completion beyond 总投资 unless a coordinator confirms with a reason', async () => {
    const p = await create({ totalInvestment: '10000000', funding: [{ source: 'fiscal', amount: '10000000' }] });
    await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-01`, amount: '9000000', progress: '主体施工' });
    const over = await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-02`, amount: '1000001', progress: '装修', overTotalReason: '设计变更' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'PROJECT_OVER_TOTAL', details: [{ path: '/body/amount', message: expect.stringContaining('超过总投资1000万元') }] });
    const noReason = await api(w.coordinator, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-02`, amount: '1000001', progress: '装修' });
    expect(noReason.statusCode).toBe(409);
    const ok = await api(w.coordinator, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-02`, amount: '1000001', progress: '装修', overTotalReason: '设计变更，总投资待调整' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ overTotalReason: '设计变更，总投资待调整', sinceStart: '10000001' });
  });

  it('lists the projects that have not reported this month', async () => {
    const p = await create({ stage: 'started' });
    const month = TODAY.slice(0, 7);
    const res = await api(w.coordinator, 'GET', `/project-reports/missing?month=${month}`);
    expect(res.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ id: p.id, stewards: [{ id: w.steward.id, name: '管家张' }] })]));
    await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month, amount: '0', progress: '施工中' });
    const after = await api(w.coordinator, 'GET', `/project-reports/missing?month=${month}`);
    expect(after.json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);
    expect((await api(w.steward, 'GET', `/project-reports/missing?month=${month}`)).statusCode).toBe(403);
  });
});

describe('lights', () => {
  it('turns red at a month boundary, notifies leader, lead department and stewards once, and lifts when the project catches up', async () => {
    const p = await create({ stage: 'started', stageOn: `${LAST}-01-05` });
    await api(w.coordinator, 'PUT', `/projects/${p.id}/plans/${LAST}`, { amount: '12000000' });
    // 4,000,000 of 12,000,000 = 33.33%. On 05-31 the schedule is 4/12 (on time), on 06-01 5/12 (8.33 behind: green),
    // on 07-01 6/12 (16.67 behind: yellow), on 09-01 8/12 (33.33 behind: red).
    await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-01`, amount: '4000000', progress: '施工' });
    const light = (asOf: string) => t.db.transaction((em) => refreshLight(em, p.id, asOf));
    expect((await light(`${LAST}-05-31`)).light).toBe('green');
    expect((await light(`${LAST}-06-01`)).light).toBe('green');
    expect(await light(`${LAST}-07-01`)).toEqual({ light: 'yellow', changed: true });
    expect(await light(`${LAST}-09-01`)).toEqual({ light: 'red', changed: true });
    expect(await light(`${LAST}-09-02`)).toEqual({ light: 'red', changed: false });
    const notes = await t.db.query(`SELECT person_id FROM notification WHERE entity_id = $1 AND kind = 'project.light_red'`, [p.id]);
    expect(notes.map((n: { person_id: string }) => n.person_id).sort()).toEqual([w.leader.id, w.steward.id, w.staff1.id].sort());
    const outbox = await t.db.query(`SELECT count(*)::int AS n FROM wechat_outbox o JOIN notification n ON n.id = o.notification_id WHERE n.entity_id = $1`, [p.id]);
    expect(outbox[0].n).toBe(3);
    const [row] = await t.db.query(`SELECT light, light_reason, to_char(light_since, 'YYYY-MM-DD') AS since FROM project WHERE id = $1`, [p.id]);
    expect(row).toEqual({ light: 'red', light_reason: '落后时间进度33.33个百分点', since: `${LAST}-09-01` });
    await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-08`, amount: '5000000', progress: '追赶进度' });
    expect((await light(`${LAST}-09-03`)).light).toBe('green');
    const turns = (await api(w.leader, 'GET', `/projects/${p.id}/lights`)).json();
    expect(turns.slice(0, 3).map((e: { from: string; to: string }) => `${e.from}→${e.to}`)).toEqual(['red→green', 'yellow→red', 'green→yellow']);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE entity_id = $1`, [p.id]))[0].n).toBe(3);
  });

  it('red when 开工 is more than three months late; yellow for an overdue milestone', async () => {
    const p = await create({ stage: 'signed', plannedStartOn: `${LAST}-02-10` });
    const light = (asOf: string) => t.db.transaction((em) => refreshLight(em, p.id, asOf));
    expect((await light(`${LAST}-05-10`)).light).toBe('green');
    expect((await light(`${LAST}-05-11`)).light).toBe('red');
    const ms = (await api(w.steward, 'GET', `/projects/${p.id}/milestones`)).json();
    const eia = ms.find((m: { name: string }) => m.name === '环评');
    const upd = await api(w.steward, 'PATCH', `/projects/${p.id}/milestones/${eia.id}`, { version: eia.version, plannedOn: `${LAST}-04-01`, departmentId: w.departments[0] });
    expect(upd.statusCode).toBe(200);
    const q = await create({ stage: 'started' });
    const qms = (await api(w.steward, 'GET', `/projects/${q.id}/milestones`)).json();
    const permit = qms.find((m: { name: string }) => m.name === '施工许可');
    await api(w.staff1, 'PATCH', `/projects/${q.id}/milestones/${permit.id}`, { version: permit.version, plannedOn: `${LAST}-04-01` });
    const r = await t.db.transaction((em) => refreshLight(em, q.id, TODAY));
    expect(r.light).toBe('yellow');
    const [row] = await t.db.query(`SELECT light_reason FROM project WHERE id = $1`, [q.id]);
    expect(row.light_reason).toBe('节点逾期：施工许可');
    const fut = await api(w.staff1, 'PATCH', `/projects/${q.id}/milestones/${permit.id}`, { version: permit.version + 1, actualOn: `${Y + 1}-01-01` });
    expect(fut.json().error.code).toBe('PROJECT_DATE_IN_FUTURE');
    const done = await api(w.staff1, 'PATCH', `/projects/${q.id}/milestones/${permit.id}`, { version: permit.version + 1, actualOn: TODAY });
    expect(done.json().find((m: { name: string }) => m.name === '施工许可')).toMatchObject({ actualOn: TODAY, overdue: false });
    const [after] = await t.db.query(`SELECT light FROM project WHERE id = $1`, [q.id]);
    expect(after.light).toBe('green');
    expect((await api(w.staff2, 'PATCH', `/projects/${q.id}/milestones/${permit.id}`, { version: permit.version + 2, actualOn: TODAY })).statusCode).toBe(403);
  });

  it('the daily job recomputes every project once and a re-run changes nothing', async () => {
    const first = await runLightJob(t.db);
    expect(first.skipped).toBe(false);
    expect(first.checked).toBeGreaterThan(5);
    const again = await runLightJob(t.db);
    expect(again).toMatchObject({ skipped: false, turned: 0 });
  });
});

describe('figures and the project paragraph', () => {
  it('counts stages, kinds, new starts, restarts, completions and money exactly, and the paragraph prints the same numbers', async () => {
    const d = await seedDistrict(t.db);
    const mk = async (over: Record<string, unknown>) => {
      const res = await api(d.coordinator, 'POST', '/projects', {
        ...body(), enterpriseId: d.enterprises[0].id, areaId: d.areas[0], leaderId: d.leader.id, leadDepartmentId: d.departments[0],
        helperDepartmentIds: [], stewardIds: [d.steward.id], contactPersonId: d.contact1.id, ...over,
      });
      expect(res.statusCode).toBe(201);
      return res.json();
    };
    const big = (yi: number) => ({ totalInvestment: String(yi * 100_000_000), funding: [{ source: 'self_raised', amount: String(yi * 100_000_000) }] });
    const a = await mk({ ...big(12), levels: ['省重点'], kind: 'new', stage: 'signed' });
    const b = await mk({ ...big(3), levels: ['市重点'], kind: 'continuing', stage: 'started' });
    const c = await mk({ ...big(1), levels: ['县重点'], kind: 'new', stage: 'started' });
    const small = await mk({ totalInvestment: '30000000', funding: [{ source: 'fiscal', amount: '30000000' }], levels: ['市重点'], kind: 'expansion', stage: 'started' });
    const go = (p: { id: string }, action: string, payload: object) => api(d.coordinator, 'POST', `/projects/${p.id}/${action}`, payload).then((r) => { expect(r.statusCode).toBe(200); return r.json(); });
    await go(a, 'advance', { version: a.version, to: 'started', on: `${LAST}-04-01` }); // 新开工
    const bh = await go(b, 'halt', { version: b.version, on: `${LAST}-01-10`, reason: '春节停工' });
    await go(b, 'resume', { version: bh.version, on: `${LAST}-02-20` }); // 复工
    await go(c, 'advance', { version: c.version, to: 'completed', on: `${LAST}-10-01` }); // 竣工
    await go(small, 'advance', { version: small.version, to: 'completed', on: `${LAST}-09-01` });
    for (const [p, plan, done] of [[a, '300000000', '123456789'], [b, '100000000', '50000001'], [c, '80000000', '80000000'], [small, '30000000', '7']] as const) {
      await api(d.coordinator, 'PUT', `/projects/${p.id}/plans/${LAST}`, { amount: plan });
      await api(d.steward, 'POST', `/projects/${p.id}/reports`, { month: `${LAST}-05`, amount: done, progress: '施工' });
    }
    const period = `from=${LAST}-01-01&to=${LAST}-12-31`;
    const levels = `levels=${encodeURIComponent('省重点')}&levels=${encodeURIComponent('市重点')}`;
    const ledger = (await api(d.coordinator, 'GET', `/project-stats?${period}&${levels}`)).json();
    expect(ledger).toMatchObject({
      projects: 3, byKind: { new: 1, continuing: 1, expansion: 1 }, byStage: { started: 2, completed: 1 }, halted: 0,
      totalInvestment: '1530000000', annualPlan: '430000000', completedYtd: '173456797', percentOfPlan: '40.34%',
      newStarts: 1, restarts: 1, completions: 1, schedule: { num: 12, den: 12, percent: '100.00%' }, deviationPoints: '-59.66',
      text: { totalInvestment: '15.3亿元', annualPlan: '4.3亿元', completedYtd: '1.73亿元' },
    });
    const large = (await api(d.coordinator, 'GET', `/project-stats?${period}&minTotal=50000000`)).json();
    expect(large).toMatchObject({ projects: 3, newStarts: 1, restarts: 1, completions: 1, active: 3 });
    const para = await api(d.coordinator, 'GET', `/project-stats/paragraph?${period}&${levels}`);
    expect(para.statusCode).toBe(200);
    expect(para.json().ledger).toEqual(ledger);
    expect(para.json().large).toEqual(large);
    expect(para.json().text).toBe(
      `共实施省市重点项目${ledger.projects}个，总投资${ledger.text.totalInvestment}，年度计划投资${ledger.text.annualPlan}，其中新建项目1个、续建项目1个、改扩建项目1个。`
      + `截至目前，已完成投资${ledger.text.completedYtd}，占年度计划投资的${ledger.percentOfPlan}。`
      + `实施5000万元以上项目${large.active}项，其中新开工${large.newStarts}项，复工${large.restarts}项。竣工项目${large.completions}项。`,
    );
    // the period matters: before April, a has not started and b has not resumed
    const q1 = (await api(d.coordinator, 'GET', `/project-stats?from=${LAST}-01-01&to=${LAST}-03-31&minTotal=50000000`)).json();
    expect(q1).toMatchObject({ newStarts: 0, restarts: 1, completions: 0, byStage: { signed: 1, started: 2 }, completedYtd: '0', schedule: { num: 3, den: 12 } });
    expect((await api(d.steward, 'GET', `/project-stats?${period}`)).statusCode).toBe(403);
    expect((await api(d.coordinator, 'GET', `/project-stats?from=${LAST}-05-01&to=${LAST}-04-01`)).json().error.code).toBe('REPORT_PERIOD_INVALID');
  });

  it('money sums are exact over random amounts (compared with a BigInt sum)', async () => {
    const d = await seedDistrict(t.db);
    await fc.assert(fc.asyncProperty(fc.array(fc.bigInt({ min: 1n, max: 10n ** 14n }), { minLength: 1, maxLength: 4 }), async (amounts) => {
      const marker = `随机${Math.random().toString(36).slice(2, 8)}`;
      const area = (await t.db.query(`INSERT INTO area (district_id, code, name, kind) VALUES ($1, $2, $3, 'other') RETURNING id`, [d.districtId, marker, marker]))[0].id;
      let expected = 0n;
      for (const amt of amounts) {
        const parts = [amt / 3n, amt - amt / 3n];
        const res = await api(d.coordinator, 'POST', '/projects', {
          ...body(), enterpriseId: d.enterprises[0].id, areaId: area, leaderId: d.leader.id, leadDepartmentId: d.departments[0], helperDepartmentIds: [],
          stewardIds: [], contactPersonId: undefined, totalInvestment: amt.toString(),
          funding: [{ source: 'fiscal', amount: parts[0]!.toString() }, { source: 'bank_loan', amount: parts[1]!.toString() }],
        });
        expect(res.statusCode).toBe(201);
        expected += amt;
      }
      const s = (await api(d.coordinator, 'GET', `/project-stats?from=${LAST}-01-01&to=${LAST}-12-31&areaId=${area}`)).json();
      expect(BigInt(s.totalInvestment)).toBe(expected);
      expect(s.projects).toBe(amounts.length);
    }), { numRuns: 8 });
  });
});

describe('OpenAPI', () => {
  it('documents every project route with a Chinese summary', () => {
    const spec = (t.app as unknown as { swagger: () => { paths: Record<string, Record<string, { summary?: string }>> } }).swagger();
    const ops = Object.entries(spec.paths).filter(([p]) => /\/(projects|project-)/.test(p)).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => [`${m} ${p}`, op.summary ?? ''] as const));
    expect(ops.length).toBeGreaterThanOrEqual(25);
    for (const [op, summary] of ops) expect([op, /[\u4e00-\u9fa5]/.test(summary)]).toEqual([op, true]);
  });
});
