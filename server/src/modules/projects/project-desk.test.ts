import { shanghaiDate } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, seedDistrict, type SeedPerson, type World } from '../../../test/factories';
import { seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import { insertVisit } from '../../../test/visit-helpers';

/**
 * The routes behind the coordinator's project desk and the project page (ADR 0009): 催报 of the 调度 list, a
 * 调度会 task that becomes a 诉求 (linked both ways, leaving the agenda when the 诉求 is finished), the project's
 * meeting tasks, and the future-month rule shared with the mini-app.
 */
jest.setTimeout(60_000);

let t: TestApp;
let w: TicketWorld;
let other: World;
const TODAY = shanghaiDate(new Date());
const Y = Number(TODAY.slice(0, 4));
const THIS_MONTH = TODAY.slice(0, 7);
const NEXT_MONTH = (() => {
  const [y, m] = THIS_MONTH.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
})();

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db);
  other = await seedDistrict(t.db);
});
afterAll(async () => t.close());

const api = (who: SeedPerson, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(t.app, who), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function project(over: Record<string, unknown> = {}) {
  const res = await api(w.coordinator, 'POST', '/projects', {
    name: `项目${Math.random().toString(36).slice(2, 8)}`, enterpriseId: w.enterprises[0].id, areaId: w.areas[0], nature: '产业', levels: ['省重点'],
    kind: 'new', startYear: Y - 1, endYear: Y + 1, totalInvestment: '500000000', funding: [{ source: 'self_raised', amount: '500000000' }],
    leaderId: w.leader.id, leadDepartmentId: w.departments[0], stewardIds: [w.steward.id], stage: 'started', stageOn: `${Y - 1}-01-05`, ...over,
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; name: string; version: number };
}

describe('催报: POST /project-reports/reminders', () => {
  it('reminds the stewards of the projects without the month’s report, once a day', async () => {
    const p = await project({ name: '催报测试项目' });
    const first = await api(w.coordinator, 'POST', '/project-reports/reminders', { month: THIS_MONTH });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ month: THIS_MONTH });
    expect(first.json().projects).toBeGreaterThanOrEqual(1);
    const rows = await t.db.query(`SELECT person_id, title FROM notification WHERE entity_id = $1 AND kind = 'project.report_reminder'`, [p.id]);
    expect(rows).toEqual([{ person_id: w.steward.id, title: '催报：催报测试项目' }]);
    // the same day again: nothing new for that project
    const again = await api(w.coordinator, 'POST', '/project-reports/reminders', { month: THIS_MONTH });
    expect(again.json().sent).toBe(0);
    expect(await t.db.query(`SELECT 1 FROM notification WHERE entity_id = $1 AND kind = 'project.report_reminder'`, [p.id])).toHaveLength(1);
    // each 催报 is audited
    expect(await t.db.query(`SELECT actor_id FROM audit_event WHERE action = 'project.report_reminded' AND district_id = $1`, [w.districtId]))
      .toEqual([{ actor_id: w.coordinator.id }, { actor_id: w.coordinator.id }]);
  });

  it('a project that filed the month’s report is not reminded', async () => {
    const p = await project({ name: '已填报项目' });
    expect((await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: THIS_MONTH, amount: '100', progress: '已完成基础施工' })).statusCode).toBe(201);
    await api(w.coordinator, 'POST', '/project-reports/reminders', { month: THIS_MONTH });
    expect(await t.db.query(`SELECT 1 FROM notification WHERE entity_id = $1 AND kind = 'project.report_reminder'`, [p.id])).toEqual([]);
  });

  it('only coordinators; a future month or a bad month gets a 400 with the field named in Chinese', async () => {
    for (const who of [w.leader, w.steward, w.staff1, w.contact1]) {
      expect((await api(who, 'POST', '/project-reports/reminders', { month: THIS_MONTH })).statusCode).toBe(403);
    }
    const future = await api(w.coordinator, 'POST', '/project-reports/reminders', { month: NEXT_MONTH });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('PROJECT_REPORT_FUTURE_MONTH');
    expect(future.json().error.details[0]).toMatchObject({ path: '/body/month', message: `不能填报${NEXT_MONTH}（未来月份）的调度信息` });
    const bad = await api(w.coordinator, 'POST', '/project-reports/reminders', { month: '2026-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('another district’s coordinator reminds nobody here', async () => {
    const p = await project({ name: '他区催报隔离项目' });
    const r = await api(other.coordinator, 'POST', '/project-reports/reminders', { month: THIS_MONTH });
    expect(r.statusCode).toBe(200);
    expect(await t.db.query(`SELECT 1 FROM notification WHERE entity_id = $1 AND title LIKE '催报%' AND created_at > now() - interval '1 minute' AND person_id <> $2`, [p.id, w.steward.id])).toEqual([]);
    expect(r.json().projects).toBe(0);
  });

  it('the future-month rule of a report is the shared one (same message)', async () => {
    const p = await project();
    const r = await api(w.steward, 'POST', `/projects/${p.id}/reports`, { month: NEXT_MONTH, amount: '1', progress: '未来' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0]).toMatchObject({ path: '/body/month', message: `不能填报${NEXT_MONTH}（未来月份）的调度信息` });
  });
});

describe('调度会 tasks become 诉求', () => {
  let p: { id: string; name: string; version: number };
  let meeting: { id: string; tasks: { id: string; title: string; project: { id: string } | null }[] };
  beforeAll(async () => {
    p = await project({ name: '调度会交办项目' });
    const res = await api(w.coordinator, 'POST', '/project-meetings', {
      heldOn: TODAY, chairId: w.leader.id, attendeeIds: [w.leader.id], projectIds: [p.id], decisions: '加快施工许可办理',
      tasks: [
        { projectId: p.id, title: '协调解决施工用电', departmentId: w.departments[0], dueOn: TODAY },
        { projectId: p.id, title: '督促办理施工许可', departmentId: w.departments[1], dueOn: TODAY },
      ],
    });
    expect(res.statusCode).toBe(201);
    meeting = res.json();
  });

  it('lists the project’s tasks for everyone who reads the project, 404 for another district', async () => {
    for (const who of [w.coordinator, w.leader, w.steward, w.steward2, w.staff1, w.contact1]) {
      const r = await api(who, 'GET', `/projects/${p.id}/meeting-tasks`);
      expect(r.statusCode).toBe(200);
      expect(r.json().map((x: { title: string }) => x.title).sort()).toEqual(['协调解决施工用电', '督促办理施工许可']);
    }
    expect((await api(other.coordinator, 'GET', `/projects/${p.id}/meeting-tasks`)).statusCode).toBe(404);
    expect((await api(w.contact2, 'GET', `/projects/${p.id}/meeting-tasks`)).statusCode).toBe(404);
    expect((await api(w.coordinator, 'GET', `/projects/not-a-uuid/meeting-tasks`)).statusCode).toBe(400);
  });

  it('the owner’s contact files the task as a 诉求: linked to the project and the task; the agenda follows the 诉求', async () => {
    const task = meeting.tasks.find((x) => x.title === '协调解决施工用电')!;
    const filed = await api(w.contact1, 'POST', '/tickets', {
      categoryId: w.cat('人才用工'), title: '协调解决施工用电', description: '调度会交办：施工用电负荷不足，需供电部门协调', projectId: p.id, meetingTaskId: task.id,
    }, { 'idempotency-key': `task-${task.id}` });
    expect(filed.statusCode).toBe(201);
    const ticketId = filed.json().id;
    expect(await t.db.query(`SELECT project_id FROM ticket WHERE id = $1`, [ticketId])).toEqual([{ project_id: p.id }]);
    const tasks = (await api(w.steward, 'GET', `/projects/${p.id}/meeting-tasks`)).json();
    expect(tasks.find((x: { id: string }) => x.id === task.id).ticket).toMatchObject({ id: ticketId, no: filed.json().no, stateLabel: expect.stringMatching(/[\u4e00-\u9fff]/) });
    // the meeting shows it too; the agenda keeps it while the 诉求 is open
    const m = (await api(w.coordinator, 'GET', `/project-meetings/${meeting.id}`)).json();
    expect(m.tasks.find((x: { id: string }) => x.id === task.id).ticket.id).toBe(ticketId);
    expect((await api(w.coordinator, 'GET', '/project-meetings/agenda')).json().openTasks.map((x: { id: string }) => x.id)).toContain(task.id);
    await t.db.query(`UPDATE ticket SET state = 'closed' WHERE id = $1`, [ticketId]);
    expect((await api(w.coordinator, 'GET', '/project-meetings/agenda')).json().openTasks.map((x: { id: string }) => x.id)).not.toContain(task.id);
    // the project lists the problem with its deadline
    const problems = (await api(w.contact1, 'GET', `/projects/${p.id}/problems`)).json();
    expect(problems.map((x: { id: string }) => x.id)).toContain(ticketId);
  });

  it('a task becomes one 诉求 only; another project, another district or a made-up task is a 400 with a Chinese message, nothing written', async () => {
    const task = meeting.tasks.find((x) => x.title === '督促办理施工许可')!;
    const body = (over: Record<string, unknown>) => ({ enterpriseId: w.enterprises[0].id, categoryId: w.cat('人才用工'), title: '督促办理施工许可', description: '调度会交办：施工许可办理进度慢', ...over });
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM ticket`))[0].n;
    const otherProject = await project({ name: '另一项目' });
    for (const over of [
      { projectId: otherProject.id, meetingTaskId: task.id },
      { meetingTaskId: task.id },
      { projectId: p.id, meetingTaskId: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const r = await api(w.steward, 'POST', '/tickets', body(over));
      expect(r.statusCode).toBe(400);
      expect(r.json().error.details[0]).toMatchObject({ path: '/body/meetingTaskId', message: expect.stringMatching(/调度会交办事项/) });
    }
    expect((await t.db.query(`SELECT count(*)::int AS n FROM ticket`))[0].n).toBe(before);
    const ok = await api(w.steward, 'POST', '/tickets', body({ projectId: p.id, meetingTaskId: task.id }));
    expect(ok.statusCode).toBe(201);
    const twice = await api(w.steward, 'POST', '/tickets', body({ projectId: p.id, meetingTaskId: task.id }));
    expect(twice.statusCode).toBe(400);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM project_meeting_task WHERE id = $1 AND ticket_id = $2`, [task.id, ok.json().id])).toEqual([{ n: 1 }]);
  });
});

describe('GET /projects/:id/visits', () => {
  it('lists the on-site visits at the project for its readers, without notes or coordinates; 404 elsewhere', async () => {
    const p = await project({ name: '走访记录项目' });
    const at = new Date(Date.now() - 86_400_000);
    const v = await insertVisit(t.db, { districtId: w.districtId, stewardId: w.steward.id, enterpriseId: w.enterprises[0].id, kind: 'onsite', at });
    await t.db.query(`UPDATE visit SET project_id = $2 WHERE id = $1`, [v, p.id]);
    // a visit at the enterprise that does not name the project is not listed
    await insertVisit(t.db, { districtId: w.districtId, stewardId: w.steward.id, enterpriseId: w.enterprises[0].id, kind: 'onsite', at });
    for (const who of [w.coordinator, w.leader, w.steward2, w.staff1, w.contact1]) {
      const r = await api(who, 'GET', `/projects/${p.id}/visits`);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual([{ id: v, kind: 'onsite', status: 'completed', occurredAt: at.toISOString(), steward: { id: w.steward.id, name: '管家张' } }]);
    }
    expect((await api(w.contact2, 'GET', `/projects/${p.id}/visits`)).statusCode).toBe(404);
    expect((await api(other.coordinator, 'GET', `/projects/${p.id}/visits`)).statusCode).toBe(404);
  });
});
