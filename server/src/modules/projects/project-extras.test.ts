import { makeWorkCalendar, shanghaiDate } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, type SeedPerson } from '../../../test/factories';
import { seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import { nthWorkingDay, runReportReminders } from './project.jobs';

jest.setTimeout(60_000);

let t: TestApp;
let w: TicketWorld;
const TODAY = shanghaiDate(new Date());
const Y = Number(TODAY.slice(0, 4));
const LAST = Y - 1;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db);
});
afterAll(async () => t.close());

const api = (who: SeedPerson, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: auth(t.app, who), ...(payload !== undefined ? { payload: payload as object } : {}) });

async function project(over: Record<string, unknown> = {}) {
  const res = await api(w.coordinator, 'POST', '/projects', {
    name: `项目${Math.random().toString(36).slice(2, 8)}`, enterpriseId: w.enterprises[0].id, areaId: w.areas[0], nature: '产业', levels: ['省重点'],
    kind: 'new', startYear: LAST, endYear: Y + 1, totalInvestment: '500000000', funding: [{ source: 'self_raised', amount: '500000000' }],
    leaderId: w.leader.id, leadDepartmentId: w.departments[0], stewardIds: [w.steward.id], stage: 'signed', stageOn: `${LAST}-01-05`, ...over,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('三个一批 batches', () => {
  it('computes 兑现 from the stage history and takes 达效 projects out of the rolling list', async () => {
    const signed = await project({ name: '签约转开工项目' });
    const started = await project({ name: '开工转投产项目', stage: 'started' });
    const producing = await project({ name: '投产转达效项目', stage: 'producing' });
    const idle = await project({ name: '未兑现项目' });
    const batch = await api(w.coordinator, 'POST', '/project-batches', { no: 7, startsOn: `${LAST}-01-01`, endsOn: `${LAST}-12-31` });
    expect(batch.statusCode).toBe(201);
    expect(batch.json()).toMatchObject({ no: 7, name: '第7期“三个一批”' });
    const id = batch.json().id;
    for (const [p, kind] of [[signed, 'sign'], [started, 'start'], [producing, 'produce'], [idle, 'sign']] as const) {
      expect((await api(w.coordinator, 'POST', `/project-batches/${id}/entries`, { projectId: p.id, kind, promisedOn: `${LAST}-12-31` })).statusCode).toBe(201);
    }
    expect((await api(w.coordinator, 'POST', `/project-batches/${id}/entries`, { projectId: idle.id, kind: 'start', promisedOn: `${LAST}-12-31` })).json().error.code).toBe('PROJECT_BATCH_ENTRY_EXISTS');
    const go = (p: { id: string; version: number }, to: string, on: string) => api(w.coordinator, 'POST', `/projects/${p.id}/advance`, { version: p.version, to, on });
    await go(signed, 'started', `${LAST}-05-01`);
    const s2 = await go(started, 'completed', `${LAST}-06-01`);
    await go(s2.json(), 'producing', `${LAST}-08-01`);
    await go(producing, 'effective', `${LAST}-09-01`);
    const b = (await api(w.leader, 'GET', `/project-batches/${id}`)).json();
    const byName = Object.fromEntries(b.entries.map((e: { project: { name: string } }) => [e.project.name, e]));
    expect(byName['签约转开工项目']).toMatchObject({ fulfilled: true, fulfilledOn: `${LAST}-05-01`, removed: false });
    expect(byName['开工转投产项目']).toMatchObject({ fulfilled: true, fulfilledOn: `${LAST}-08-01` });
    expect(byName['投产转达效项目']).toMatchObject({ fulfilled: true, removed: true });
    expect(byName['未兑现项目']).toMatchObject({ fulfilled: false, fulfilledOn: null });
    expect(b.summary).toMatchObject({
      projects: 4, totalInvestment: '2000000000', removed: 1, inLibrary: 3, inLibraryInvestment: '1500000000',
      byKind: { sign: { projects: 2, fulfilled: 1 }, start: { projects: 1, fulfilled: 1 }, produce: { projects: 1, fulfilled: 1 } },
    });
    // the ledger filters by batch
    const listed = (await api(w.coordinator, 'GET', `/projects?batchId=${id}`)).json().items.map((p: { id: string }) => p.id).sort();
    expect(listed).toEqual([signed.id, started.id, producing.id, idle.id].sort());
    expect((await api(w.contact1, 'GET', '/project-batches')).statusCode).toBe(403);
    expect((await api(w.coordinator, 'POST', '/project-batches', { no: 7, startsOn: `${LAST}-01-01`, endsOn: `${LAST}-12-31` })).statusCode).toBe(409);
    expect((await api(w.coordinator, 'POST', '/project-batches', { no: 8, startsOn: `${LAST}-02-01`, endsOn: `${LAST}-01-01` })).json().error.code).toBe('PROJECT_DATE_ORDER');
  });
});

describe('weekly 调度会', () => {
  it('records a meeting with tasks; the next agenda lists red/yellow projects and open tasks', async () => {
    const red = await project({ name: '红灯项目', plannedStartOn: `${LAST}-01-10` }); // not started 3 months after plan: red
    expect(red.light).toBe('red');
    const m = await api(w.coordinator, 'POST', '/project-meetings', {
      heldOn: TODAY, chairId: w.leader.id, attendeeIds: [w.coordinator.id, w.staff1.id], projectIds: [red.id], decisions: '督促尽快办理施工许可',
      tasks: [{ projectId: red.id, title: '协调办理施工许可', departmentId: w.departments[0], personId: w.staff1.id, dueOn: TODAY }],
    });
    expect(m.statusCode).toBe(201);
    expect(m.json()).toMatchObject({ chair: { id: w.leader.id }, projects: [{ id: red.id }], tasks: [{ title: '协调办理施工许可', status: 'open', department: { id: w.departments[0] } }] });
    const agenda = (await api(w.leader, 'GET', '/project-meetings/agenda')).json();
    expect(agenda.projects).toEqual(expect.arrayContaining([expect.objectContaining({ id: red.id, light: 'red' })]));
    expect(agenda.openTasks.map((x: { title: string }) => x.title)).toContain('协调办理施工许可');
    const taskId = m.json().tasks[0].id;
    expect((await api(w.coordinator, 'POST', `/project-meetings/tasks/${taskId}/done`)).statusCode).toBe(200);
    expect((await api(w.coordinator, 'POST', `/project-meetings/tasks/${taskId}/done`)).statusCode).toBe(404);
    expect((await api(w.leader, 'GET', '/project-meetings/agenda')).json().openTasks.map((x: { id: string }) => x.id)).not.toContain(taskId);
    const bad = await api(w.coordinator, 'POST', '/project-meetings', { heldOn: TODAY, chairId: w.leader.id, projectIds: [], tasks: [{ title: 'x', dueOn: `${LAST}-01-01` }] });
    expect(bad.json().error).toMatchObject({ code: 'PROJECT_DATE_ORDER', details: [{ path: '/body/tasks/0/dueOn' }] });
    expect((await api(w.steward, 'POST', '/project-meetings', { heldOn: TODAY, chairId: w.leader.id, projectIds: [] })).statusCode).toBe(403);
  });
});

describe('problems and visits linked to a project', () => {
  it('a 诉求 filed for the project shows among its problems; another enterprise’s project is refused', async () => {
    const p = await project();
    const res = await api(w.contact1, 'POST', '/tickets', { categoryId: w.cat('人才用工'), title: '项目施工缺少焊工', description: '项目主体施工阶段急需电焊工30名。', projectId: p.id });
    expect(res.statusCode).toBe(201);
    const problems = (await api(w.steward, 'GET', `/projects/${p.id}/problems`)).json();
    expect(problems).toEqual([expect.objectContaining({ id: res.json().id, title: '项目施工缺少焊工', open: true })]);
    const foreign = await api(w.contact2, 'POST', '/tickets', { categoryId: w.cat('人才用工'), title: '借用他人项目', description: '不应关联到其他企业的项目。', projectId: p.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details).toEqual([expect.objectContaining({ path: '/body/projectId' })]);
  });

  it('counts on-site visits naming the project against the monthly cadence', async () => {
    const p = await project({ stage: 'started' });
    const month = TODAY.slice(0, 7);
    const before = (await api(w.coordinator, 'GET', `/project-visits/cadence?month=${month}`)).json();
    expect(before.required).toBe(2);
    expect(before.items).toEqual(expect.arrayContaining([expect.objectContaining({ project: expect.objectContaining({ id: p.id }), done: 0, remaining: 2, overdue: false })]));
    const v = await api(w.steward, 'POST', '/visits', { kind: 'phone', enterpriseId: w.enterprises[0].id, projectId: p.id });
    expect(v.statusCode).toBe(201);
    await t.db.query(`UPDATE visit SET kind = 'onsite', status = 'completed', checkin_at = now() WHERE id = $1`, [v.json().id]); // an on-site visit without the photo dance
    const after = (await api(w.coordinator, 'GET', `/project-visits/cadence?month=${month}`)).json();
    expect(after.items.find((i: { project: { id: string } }) => i.project.id === p.id)).toMatchObject({ done: 1, remaining: 1 });
    const [lastMonth] = [`${LAST}-12`];
    const past = (await api(w.coordinator, 'GET', `/project-visits/cadence?month=${lastMonth}`)).json();
    expect(past.overdue.map((i: { project: { id: string } }) => i.project.id)).toContain(p.id);
    const wrong = await api(w.steward, 'POST', '/visits', { kind: 'phone', enterpriseId: w.enterprises[1].id, projectId: p.id });
    expect(wrong.statusCode).toBeGreaterThanOrEqual(400);
    expect(wrong.statusCode).toBeLessThan(500);
  });
});

describe('调度 reminders', () => {
  it('the n-th working day skips weekends', () => {
    const cal = makeWorkCalendar({ holidays: ['2026-06-01'], makeUpWorkdays: [] });
    expect(nthWorkingDay(cal, '2026-06-20', 1)).toBe('2026-06-02');
    expect(nthWorkingDay(cal, '2026-06-20', 5)).toBe('2026-06-08');
  });

  it('reminds the stewards of projects without last month’s report after the due day, once', async () => {
    const p = await project({ stage: 'started' });
    const late = new Date(Date.UTC(Y, Number(TODAY.slice(5, 7)) - 1, 20, 4)); // the 20th: past the 5th working day
    const r1 = await runReportReminders(t.db, late);
    expect(r1.sent).toBeGreaterThan(0);
    const notes = await t.db.query(`SELECT person_id, title FROM notification WHERE entity_id = $1 AND kind = 'project.report_reminder'`, [p.id]);
    expect(notes).toEqual([{ person_id: w.steward.id, title: expect.stringContaining('调度提醒') }]);
    expect((await runReportReminders(t.db, late)).sent).toBe(0);
    const early = new Date(Date.UTC(Y, Number(TODAY.slice(5, 7)) - 1, 1, 4));
    const q = await project({ stage: 'started' });
    await runReportReminders(t.db, early);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE entity_id = $1`, [q.id]))[0].n).toBe(0);
  });
});

describe('district settings', () => {
  it('a coordinator changes the light thresholds; the next recomputation uses them', async () => {
    const d = await seedTicketWorld(t.db);
    const before = (await api(d.leader, 'GET', '/project-settings')).json();
    expect(before.lights).toEqual({ yellowPoints: 10, redPoints: 30, startLateMonths: 3, scheduleMode: 'calendar' });
    const bad = await api(d.coordinator, 'PUT', '/project-settings', { lights: { ...before.lights, yellowPoints: 40 } });
    expect(bad.json().error.details).toEqual([expect.objectContaining({ path: '/body/lights/yellowPoints', message: '黄灯阈值应小于红灯阈值' })]);
    expect((await api(d.leader, 'PUT', '/project-settings', { reportDueWorkingDay: 3 })).statusCode).toBe(403);
    const ok = await api(d.coordinator, 'PUT', '/project-settings', { lights: { ...before.lights, startLateMonths: 12 }, levels: ['省重点', '市重点', '县重点', '区重点'] });
    expect(ok.json()).toMatchObject({ lights: { startLateMonths: 12 }, levels: ['省重点', '市重点', '县重点', '区重点'], natures: before.natures });
    // not started 5 months after the plan: red with 3 months, green with 12
    const res = await api(d.coordinator, 'POST', '/projects', {
      name: '阈值测试项目', enterpriseId: d.enterprises[0].id, areaId: d.areas[0], nature: '产业', levels: ['区重点'], kind: 'new', startYear: LAST, endYear: Y + 1,
      plannedStartOn: new Date(Date.now() - 150 * 86_400_000).toISOString().slice(0, 10), totalInvestment: '1', funding: [{ source: 'fiscal', amount: '1' }],
      leaderId: d.leader.id, leadDepartmentId: d.departments[0], stage: 'signed', stageOn: `${LAST}-01-05`,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().light).toBe('green');
  });
});
