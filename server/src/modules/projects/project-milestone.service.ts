import type { DataSource } from 'typeorm';
import { shanghaiDate } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { sqlParams } from '../../lib/sql';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { projectForCaller } from './project.service';
import { refreshLight } from './project-light.service';

/** Milestones (前期手续 and construction nodes): planned and actual dates, responsible department and person. */

type MilestoneRow = {
  id: string; name: string; seq: number; planned_on: string | null; actual_on: string | null; department_id: string | null; department_name: string | null;
  person_id: string | null; person_name: string | null; version: number;
};

/** GET /projects/:id/milestones, in template order; `overdue` = planned date passed without an actual date. */
export async function listMilestones(db: DataSource, auth: AuthUser, id: string, now = new Date()) {
  await projectForCaller(db, auth, id, now);
  const today = shanghaiDate(now);
  const rows: MilestoneRow[] = await db.query(
    `SELECT m.id, m.name, m.seq, to_char(m.planned_on, 'YYYY-MM-DD') AS planned_on, to_char(m.actual_on, 'YYYY-MM-DD') AS actual_on,
            m.department_id, d.name AS department_name, m.person_id, pe.name AS person_name, m.version
       FROM project_milestone m LEFT JOIN department d ON d.id = m.department_id LEFT JOIN person pe ON pe.id = m.person_id
      WHERE m.project_id = $1 ORDER BY m.seq, m.name`,
    [id],
  );
  return rows.map((m) => ({
    id: m.id, name: m.name, seq: m.seq, plannedOn: m.planned_on, actualOn: m.actual_on,
    department: m.department_id ? { id: m.department_id, name: m.department_name ?? '' } : null,
    person: m.person_id ? { id: m.person_id, name: m.person_name ?? '' } : null,
    overdue: !m.actual_on && !!m.planned_on && m.planned_on < today, version: m.version,
  }));
}

async function checkRefs(db: DataSource, auth: AuthUser, departmentId: string | null | undefined, personId: string | null | undefined) {
  const [r] = await db.query(
    `SELECT ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM department WHERE id = $2 AND district_id = $1)) AS dep_ok,
            ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM person WHERE id = $3 AND district_id = $1)) AS person_ok`,
    [auth.districtId, departmentId ?? null, personId ?? null],
  );
  if (!r.dep_ok) throw new AppError('PROJECT_REFERENCE_INVALID', [{ path: '/body/departmentId', message: '责任部门应为本区县的部门' }]);
  if (!r.person_ok) throw new AppError('PROJECT_REFERENCE_INVALID', [{ path: '/body/personId', message: '责任人应为本区县的人员' }]);
}

function checkActual(actualOn: string | null | undefined, today: string) {
  if (actualOn && actualOn > today) throw new AppError('PROJECT_DATE_IN_FUTURE', [{ path: '/body/actualOn', message: '实际完成日期不能晚于今天' }]);
}

/** Who may edit a milestone and what it names, shared by adding and changing one; returns today (Asia/Shanghai). */
async function checkMilestoneEdit(db: DataSource, auth: AuthUser, id: string,
  b: { actualOn?: string | null; departmentId?: string | null; personId?: string | null }, now: Date): Promise<string> {
  const { access } = await projectForCaller(db, auth, id, now);
  if (!access.canManageMilestones) throw new AppError('PROJECT_ROLE_NOT_ALLOWED');
  const today = shanghaiDate(now);
  checkActual(b.actualOn, today);
  await checkRefs(db, auth, b.departmentId, b.personId);
  return today;
}

/** POST /projects/:id/milestones */
export async function createMilestone(db: DataSource, auth: AuthUser, id: string,
  b: { name: string; plannedOn?: string; actualOn?: string; departmentId?: string; personId?: string }, now = new Date()) {
  const today = await checkMilestoneEdit(db, auth, id, b, now);
  await db.transaction(async (em) => {
    const [dup] = await em.query(`SELECT 1 FROM project_milestone WHERE project_id = $1 AND name = $2`, [id, b.name.trim()]);
    if (dup) throw new AppError('DUPLICATE', [{ path: '/body/name', message: '该节点已存在' }]);
    await em.query(
      `INSERT INTO project_milestone (project_id, district_id, seq, name, planned_on, actual_on, department_id, person_id)
       VALUES ($1,$2,(SELECT coalesce(max(seq), 0) + 1 FROM project_milestone WHERE project_id = $1),$3,$4,$5,$6,$7)`,
      [id, auth.districtId, b.name.trim(), b.plannedOn ?? null, b.actualOn ?? null, b.departmentId ?? null, b.personId ?? null],
    );
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.milestone_added', entityType: 'project', entityId: id, data: { name: b.name } });
    await refreshLight(em, id, today);
  });
  return listMilestones(db, auth, id, now);
}

/** PATCH /projects/:id/milestones/:milestoneId (guarded by the milestone's version). */
export async function updateMilestone(db: DataSource, auth: AuthUser, id: string, milestoneId: string,
  b: { version: number; plannedOn?: string | null; actualOn?: string | null; departmentId?: string | null; personId?: string | null }, now = new Date()) {
  const today = await checkMilestoneEdit(db, auth, id, b, now);
  await db.transaction(async (em) => {
    const sets: string[] = [];
    const { params, p } = sqlParams([milestoneId, id, b.version]);
    for (const [key, col] of [['plannedOn', 'planned_on'], ['actualOn', 'actual_on'], ['departmentId', 'department_id'], ['personId', 'person_id']] as const) {
      if (b[key] !== undefined) sets.push(`${col} = ${p(b[key])}`);
    }
    const [rows] = await em.query(
      `UPDATE project_milestone SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 AND project_id = $2 AND version = $3 RETURNING id`,
      params,
    );
    if (!rows.length) {
      const [exists] = await em.query(`SELECT 1 FROM project_milestone WHERE id = $1 AND project_id = $2`, [milestoneId, id]);
      throw new AppError(exists ? 'VERSION_CONFLICT' : 'PROJECT_MILESTONE_NOT_FOUND');
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.milestone_updated', entityType: 'project', entityId: id, data: { milestoneId, ...b } });
    await refreshLight(em, id, today);
  });
  return listMilestones(db, auth, id, now);
}
