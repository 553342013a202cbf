import type { DataSource } from 'typeorm';
import { TICKET_STATE_LABELS, type TicketState } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { projectForCaller } from './project.service';

/**
 * The weekly 调度会 ("每周召开重点项目调度会"): date, chair, attendees, projects discussed, decisions, and the tasks
 * it assigns (owner department/person, deadline), linked to the meeting. The next meeting's agenda lists the red
 * and yellow projects and the open tasks of earlier meetings. A task becomes a 诉求 through the 诉求 form (POST
 * /tickets with the project's id and `meetingTaskId`, filed by the owner's contact or its steward); the task then
 * shows the 诉求's number and state, and leaves the agenda when the 诉求 is finished.
 */
type MeetingBody = {
  heldOn: string; chairId: string; attendeeIds?: string[]; projectIds: string[]; decisions?: string;
  tasks?: { projectId?: string; title: string; departmentId?: string; personId?: string; dueOn: string }[];
};

const TASK_SQL = `SELECT t.id, t.meeting_id, t.title, to_char(t.due_on, 'YYYY-MM-DD') AS due_on, t.status,
    t.project_id, pr.name AS project_name, t.department_id, d.name AS department_name, t.person_id, pe.name AS person_name,
    t.ticket_id, tk.no AS ticket_no, tk.state AS ticket_state
  FROM project_meeting_task t LEFT JOIN project pr ON pr.id = t.project_id LEFT JOIN department d ON d.id = t.department_id LEFT JOIN person pe ON pe.id = t.person_id
  LEFT JOIN ticket tk ON tk.id = t.ticket_id`;

/** A task still to do: open, and — when it became a 诉求 — that 诉求 not finished. */
const TASK_OPEN_SQL = `t.status = 'open' AND (tk.id IS NULL OR tk.state NOT IN ('closed','withdrawn','merged','confirmed'))`;

type TaskRow = { id: string; meeting_id: string; title: string; due_on: string; status: 'open' | 'done'; project_id: string | null; project_name: string | null;
  department_id: string | null; department_name: string | null; person_id: string | null; person_name: string | null;
  ticket_id: string | null; ticket_no: string | null; ticket_state: TicketState | null };
const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);
const presentTask = (t: TaskRow) => ({
  id: t.id, meetingId: t.meeting_id, title: t.title, dueOn: t.due_on, status: t.status,
  project: ref(t.project_id, t.project_name), department: ref(t.department_id, t.department_name), person: ref(t.person_id, t.person_name),
  ticket: t.ticket_id ? { id: t.ticket_id, no: t.ticket_no ?? '', state: t.ticket_state!, stateLabel: TICKET_STATE_LABELS[t.ticket_state!] ?? '' } : null,
});

const MEETING_SQL = `SELECT m.id, to_char(m.held_on, 'YYYY-MM-DD') AS held_on, m.chair_id, c.name AS chair_name, m.decisions, m.created_at,
    coalesce((SELECT json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name) FROM person a WHERE a.id = ANY(m.attendee_ids)), '[]') AS attendees,
    coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.name) FROM project p WHERE p.id = ANY(m.project_ids)), '[]') AS projects
  FROM project_meeting m JOIN person c ON c.id = m.chair_id`;

type MeetingRow = { id: string; held_on: string; chair_id: string; chair_name: string; decisions: string | null; created_at: Date; attendees: { id: string; name: string }[]; projects: { id: string; name: string }[] };

/** Meetings with their tasks: two statements whatever the number of meetings. */
async function presentMeetings(db: DataSource, meetings: MeetingRow[]) {
  const tasks: TaskRow[] = meetings.length
    ? await db.query(`${TASK_SQL} WHERE t.meeting_id = ANY($1::uuid[]) ORDER BY t.due_on, t.id`, [meetings.map((m) => m.id)])
    : [];
  return meetings.map((m) => ({
    id: m.id, heldOn: m.held_on, chair: { id: m.chair_id, name: m.chair_name }, attendees: m.attendees, projects: m.projects,
    decisions: m.decisions, tasks: tasks.filter((t) => t.meeting_id === m.id).map(presentTask), createdAt: m.created_at.toISOString(),
  }));
}

/** GET /project-meetings/:id */
export async function getMeeting(db: DataSource, auth: AuthUser, id: string) {
  const rows: MeetingRow[] = await db.query(`${MEETING_SQL} WHERE m.id = $1 AND m.district_id = $2`, [id, auth.districtId]);
  if (!rows.length) throw new AppError('PROJECT_MEETING_NOT_FOUND');
  return (await presentMeetings(db, rows))[0];
}

/** GET /project-meetings (newest first, 50) */
export async function listMeetings(db: DataSource, auth: AuthUser) {
  const rows: MeetingRow[] = await db.query(`${MEETING_SQL} WHERE m.district_id = $1 ORDER BY m.held_on DESC, m.id DESC LIMIT 50`, [auth.districtId]);
  return presentMeetings(db, rows);
}

/** POST /project-meetings (coordinators): the record and its tasks, one transaction. */
export async function createMeeting(db: DataSource, auth: AuthUser, b: MeetingBody) {
  const people = [b.chairId, ...(b.attendeeIds ?? []), ...(b.tasks ?? []).flatMap((t) => (t.personId ? [t.personId] : []))];
  const projects = [...b.projectIds, ...(b.tasks ?? []).flatMap((t) => (t.projectId ? [t.projectId] : []))];
  const deps = (b.tasks ?? []).flatMap((t) => (t.departmentId ? [t.departmentId] : []));
  const [r] = await db.query(
    `SELECT (SELECT count(DISTINCT id) FROM person WHERE id = ANY($2::uuid[]) AND district_id = $1)::int AS people,
            (SELECT count(DISTINCT id) FROM project WHERE id = ANY($3::uuid[]) AND district_id = $1)::int AS projects,
            (SELECT count(DISTINCT id) FROM department WHERE id = ANY($4::uuid[]) AND district_id = $1)::int AS deps`,
    [auth.districtId, people, projects, deps],
  );
  if (r.people !== new Set(people).size) throw new AppError('PROJECT_REFERENCE_INVALID', [{ path: '/body/attendeeIds', message: '主持人、参会人员或责任人不属于本区县' }]);
  if (r.projects !== new Set(projects).size) throw new AppError('PROJECT_REFERENCE_INVALID', [{ path: '/body/projectIds', message: '项目不存在或不属于本区县' }]);
  if (r.deps !== new Set(deps).size) throw new AppError('PROJECT_REFERENCE_INVALID', [{ path: '/body/tasks', message: '责任单位不属于本区县' }]);
  const badDue = (b.tasks ?? []).findIndex((t) => t.dueOn < b.heldOn);
  if (badDue >= 0) throw new AppError('PROJECT_DATE_ORDER', [{ path: `/body/tasks/${badDue}/dueOn`, message: '办结期限不能早于会议日期' }]);
  const id = await db.transaction(async (em) => {
    const [m] = await em.query(
      `INSERT INTO project_meeting (district_id, held_on, chair_id, attendee_ids, project_ids, decisions, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [auth.districtId, b.heldOn, b.chairId, b.attendeeIds ?? [], b.projectIds, b.decisions?.trim() || null, auth.id],
    );
    for (const t of b.tasks ?? []) {
      await em.query(
        `INSERT INTO project_meeting_task (meeting_id, district_id, project_id, title, department_id, person_id, due_on) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [m.id, auth.districtId, t.projectId ?? null, t.title.trim(), t.departmentId ?? null, t.personId ?? null, t.dueOn],
      );
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project_meeting.created', entityType: 'project_meeting', entityId: m.id, data: { heldOn: b.heldOn, tasks: b.tasks?.length ?? 0 } });
    return m.id as string;
  });
  return getMeeting(db, auth, id);
}

/** POST /project-meetings/tasks/:id/done (coordinators) */
export async function completeTask(db: DataSource, auth: AuthUser, taskId: string) {
  return db.transaction(async (em) => {
    const [rows] = await em.query(`UPDATE project_meeting_task SET status = 'done' WHERE id = $1 AND district_id = $2 AND status = 'open' RETURNING meeting_id`, [taskId, auth.districtId]);
    if (!rows.length) throw new AppError('NOT_FOUND');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project_meeting.task_done', entityType: 'project_meeting', entityId: rows[0].meeting_id, data: { taskId } });
    return { ok: true };
  });
}

/** GET /project-meetings/agenda: red and yellow projects (red first) and the open tasks of earlier meetings. */
export async function meetingAgenda(db: DataSource, auth: AuthUser) {
  const projects = await db.query(
    `SELECT id, name, light, light_reason FROM project WHERE district_id = $1 AND light IN ('red','yellow') ORDER BY light = 'red' DESC, light_since, name`,
    [auth.districtId],
  );
  // bounded: an agenda lists what a meeting can go through
  const tasks: TaskRow[] = await db.query(`${TASK_SQL} WHERE t.district_id = $1 AND ${TASK_OPEN_SQL} ORDER BY t.due_on, t.id LIMIT 200`, [auth.districtId]);
  return {
    projects: projects.map((p: { id: string; name: string; light: string; light_reason: string | null }) => ({ id: p.id, name: p.name, light: p.light, lightReason: p.light_reason })),
    openTasks: tasks.map(presentTask),
  };
}

/** GET /projects/:id/meeting-tasks: what the 调度会 assigned about one project (open first), for its detail page. */
export async function listProjectTasks(db: DataSource, auth: AuthUser, projectId: string, now = new Date()) {
  await projectForCaller(db, auth, projectId, now);
  const tasks: TaskRow[] = await db.query(
    `${TASK_SQL} WHERE t.project_id = $1 AND t.district_id = $2 ORDER BY (${TASK_OPEN_SQL}) DESC, t.due_on, t.id LIMIT 100`,
    [projectId, auth.districtId],
  );
  return tasks.map(presentTask);
}
