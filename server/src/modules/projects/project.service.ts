import type { DataSource, EntityManager } from 'typeorm';
import {
  ERRORS, formatYuan, scheduleShare, shanghaiDate, stageTransition, sumYuan,
  type ErrorCode, type ErrorDetail, type Project, type ProjectCreate, type ProjectListQuery, type ProjectRole, type ProjectStageAction,
  type ProjectStagePayloads, type ProjectUpdate, type StageActionBody,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { escapeLike, sqlParams } from '../../lib/sql';
import { recordAudit } from '../audit/audit';
import { nextNumber } from '../tickets/lifecycle/ticket-engine';
import type { AuthUser } from '../../lib/principal';
import { mineSql, projectAccess, projectVisibilitySql, type ProjectAccess } from './project.policy';
import { loadProjectRow, PROJECT_FROM, projectSelect, pushProjectScopeFilters, type ProjectRow, type Queryable } from './project-row';
import { presentProject } from './project.presenter';
import { getProjectSettings, type ProjectSettings } from './project-settings';
import { refreshLight } from './project-light.service';

const yearOf = (day: string) => Number(day.slice(0, 4));
const fail = (code: ErrorCode, path: string, message?: string) => new AppError(code, [{ path, message: message ?? ERRORS[code].message }]);

/** Loads a project the caller may see, with their access; another district's or an unseen project is a 404. */
export async function projectForCaller(db: Queryable, auth: AuthUser, id: string, now: Date): Promise<{ row: ProjectRow; access: ProjectAccess }> {
  const row = await loadProjectRow(db, id, auth.districtId, yearOf(shanghaiDate(now)));
  if (!row) throw new AppError('PROJECT_NOT_FOUND');
  const access = projectAccess(auth, row);
  if (!access.canSee) throw new AppError('PROJECT_NOT_FOUND');
  return { row, access };
}

/** The deviation shown on a project uses calendar months (the light itself honours the district's mode). */
function present(row: ProjectRow, access: ProjectAccess, now: Date): Project {
  const today = shanghaiDate(now);
  return presentProject(row, access, yearOf(today), scheduleShare(today, 'calendar'));
}

/** GET /projects/:id */
export async function getProject(db: DataSource, auth: AuthUser, id: string, now = new Date()): Promise<Project> {
  const { row, access } = await projectForCaller(db, auth, id, now);
  return present(row, access, now);
}

/** GET /projects: keyset by (name, id), filters, the caller's visibility. */
export async function listProjects(db: DataSource, auth: AuthUser, q: ProjectListQuery, now = new Date()): Promise<Page<Project>> {
  const limit = q.limit ?? 50;
  const year = yearOf(shanghaiDate(now));
  const { params, p } = sqlParams([auth.districtId, year]);
  const where = ['p.district_id = $1'];
  const vis = projectVisibilitySql(auth, p);
  if (vis === 'none') return { items: [], nextCursor: null };
  if (vis) where.push(vis);
  if (q.mine) where.push(mineSql(auth, p));
  if (q.stage) where.push(`p.stage = ${p(q.stage)}`);
  if (q.light) where.push(`p.light = ${p(q.light)}`);
  if (q.level) where.push(`${p(q.level)} = ANY(p.levels)`);
  if (q.enterpriseId) where.push(`p.enterprise_id = ${p(q.enterpriseId)}`);
  pushProjectScopeFilters(where, q, p);
  if (q.q?.trim()) {
    const like = p(`%${escapeLike(q.q.trim())}%`);
    where.push(`(p.name ILIKE ${like} OR p.no ILIKE ${like})`);
  }
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(p.name, p.id) > (${p(cursor[0])}, ${p(cursor[1])}::uuid)`);
  const rows: ProjectRow[] = await db.query(
    `SELECT ${projectSelect('$2')} FROM ${PROJECT_FROM} WHERE ${where.join(' AND ')} ORDER BY p.name, p.id LIMIT ${limit + 1}`,
    params,
  );
  const page = toPage(rows, limit, (r) => [r.name, r.id]);
  const today = shanghaiDate(now);
  const share = scheduleShare(today, 'calendar');
  return { items: page.items.map((r) => presentProject(r, projectAccess(auth, r), year, share)), nextCursor: page.nextCursor };
}

type Refs = {
  enterpriseId: string; areaId: string; leaderId: string; leadDepartmentId: string; helperDepartmentIds: string[];
  stewardIds: string[]; contactPersonId: string | null; nature: string; levels: string[];
  startYear: number; endYear: number; plannedStartOn: string | null; plannedEndOn: string | null;
  totalInvestment: string; funding: ProjectCreate['funding'];
};

/** Every cross-field and reference rule of a project, all issues listed (Chinese, next to their fields). */
async function validateProject(em: Queryable, auth: AuthUser, v: Refs, settings: ProjectSettings): Promise<void> {
  const issues: ErrorDetail[] = [];
  let code: ErrorCode = 'VALIDATION_FAILED';
  const add = (c: ErrorCode, path: string, message: string) => {
    if (issues.length === 0) code = c;
    issues.push({ path, message, code: c });
  };
  const sources = v.funding.map((f) => f.source);
  if (new Set(sources).size !== sources.length) add('VALIDATION_FAILED', '/body/funding', '同一资金来源只能填写一次');
  const sum = sumYuan(v.funding.map((f) => f.amount));
  if (sum !== BigInt(v.totalInvestment)) {
    add('PROJECT_FUNDING_MISMATCH', '/body/funding', `资金来源合计${formatYuan(sum)}（${sum}元）与总投资${formatYuan(v.totalInvestment)}（${v.totalInvestment}元）不一致`);
  }
  if (v.endYear < v.startYear) add('PROJECT_DATE_ORDER', '/body/endYear', '建设年限止不能早于建设年限起');
  if (v.plannedStartOn && v.plannedEndOn && v.plannedEndOn < v.plannedStartOn) add('PROJECT_DATE_ORDER', '/body/plannedEndOn', '计划竣工日期不能早于计划开工日期');
  if (!settings.natures.includes(v.nature)) add('PROJECT_OPTION_INVALID', '/body/nature', `项目性质应为：${settings.natures.join('、')}`);
  const badLevel = v.levels.find((l) => !settings.levels.includes(l));
  if (badLevel) add('PROJECT_OPTION_INVALID', '/body/levels', `项目级别应为：${settings.levels.join('、')}`);
  if (v.helperDepartmentIds.includes(v.leadDepartmentId)) add('PROJECT_REFERENCE_INVALID', '/body/helperDepartmentIds', '配合单位不能与牵头责任单位相同');

  const [r] = await em.query(
    `SELECT
       EXISTS (SELECT 1 FROM enterprise WHERE id = $2 AND district_id = $1) AS enterprise_ok,
       EXISTS (SELECT 1 FROM area WHERE id = $3 AND district_id = $1) AS area_ok,
       EXISTS (SELECT 1 FROM person WHERE id = $4 AND district_id = $1 AND 'leader' = ANY(roles) AND NOT disabled) AS leader_ok,
       (SELECT count(*) FROM department WHERE id = ANY($5::uuid[]) AND district_id = $1 AND active)::int AS departments,
       (SELECT count(*) FROM person WHERE id = ANY($6::uuid[]) AND district_id = $1 AND 'steward' = ANY(roles) AND NOT disabled)::int AS stewards,
       ($7::uuid IS NULL OR EXISTS (SELECT 1 FROM person WHERE id = $7 AND district_id = $1 AND 'enterprise' = ANY(roles) AND enterprise_id = $2)) AS contact_ok`,
    [auth.districtId, v.enterpriseId, v.areaId, v.leaderId, [v.leadDepartmentId, ...v.helperDepartmentIds], v.stewardIds, v.contactPersonId],
  );
  if (!r.enterprise_ok) add('PROJECT_REFERENCE_INVALID', '/body/enterpriseId', '业主单位应为本区县已登记的企业');
  if (!r.area_ok) add('PROJECT_REFERENCE_INVALID', '/body/areaId', '建设地点应为本区县的属地');
  if (!r.leader_ok) add('PROJECT_REFERENCE_INVALID', '/body/leaderId', '包联县级领导应为本区县具有领导角色的人员');
  if (r.departments !== 1 + v.helperDepartmentIds.length) add('PROJECT_REFERENCE_INVALID', '/body/leadDepartmentId', '责任单位应为本区县在用的部门');
  if (r.stewards !== v.stewardIds.length) add('PROJECT_REFERENCE_INVALID', '/body/stewardIds', '项目管家应为本区县具有管家角色的人员');
  if (!r.contact_ok) add('PROJECT_REFERENCE_INVALID', '/body/contactPersonId', '联络人应为业主单位的企业联系人');
  if (issues.length) throw new AppError(code, issues, issues.length === 1 ? issues[0]!.message : undefined);
}

async function writeTeam(em: EntityManager, projectId: string, stewardIds: string[], funding: ProjectCreate['funding']) {
  await em.query(`DELETE FROM project_steward WHERE project_id = $1`, [projectId]);
  if (stewardIds.length) await em.query(`INSERT INTO project_steward (project_id, person_id) SELECT $1, unnest($2::uuid[])`, [projectId, stewardIds]);
  await em.query(`DELETE FROM project_funding WHERE project_id = $1`, [projectId]);
  for (const f of funding) {
    await em.query(`INSERT INTO project_funding (project_id, source, amount, note) VALUES ($1,$2,$3,$4)`, [projectId, f.source, f.amount, f.note?.trim() || null]);
  }
}

/** POST /projects (coordinators, admins): the project, its funding, team, template milestones and its first stage event. */
export async function createProject(db: DataSource, auth: AuthUser, b: ProjectCreate, now = new Date()): Promise<Project> {
  const id = await db.transaction((em) => insertProject(em, auth, b, now));
  return getProject(db, auth, id, now);
}

/**
 * The rules and writes of createProject inside the caller's transaction (the project import runs many in one):
 * validates (all issues as one AppError), inserts the project, its funding, team, milestones, first stage event and
 * audit event; returns the new id. `settings` may be passed by a caller that already loaded them.
 */
export async function insertProject(em: EntityManager, auth: AuthUser, b: ProjectCreate, now = new Date(), settingsIn?: ProjectSettings): Promise<string> {
  const today = shanghaiDate(now);
  const stageOn = b.stageOn ?? today;
  if (stageOn > today) throw fail('PROJECT_DATE_IN_FUTURE', '/body/stageOn');
  const settings = settingsIn ?? (await getProjectSettings(em, auth.districtId));
  const refs: Refs = {
    enterpriseId: b.enterpriseId, areaId: b.areaId, leaderId: b.leaderId, leadDepartmentId: b.leadDepartmentId,
    helperDepartmentIds: b.helperDepartmentIds ?? [], stewardIds: b.stewardIds ?? [], contactPersonId: b.contactPersonId ?? null,
    nature: b.nature, levels: b.levels, startYear: b.startYear, endYear: b.endYear, plannedStartOn: b.plannedStartOn ?? null,
    plannedEndOn: b.plannedEndOn ?? null, totalInvestment: b.totalInvestment, funding: b.funding,
  };
  await validateProject(em, auth, refs, settings);
  const stage = b.stage ?? 'planning';
  const n = await nextNumber(em, auth.districtId, 'project', yearOf(today));
  const no = `XM${yearOf(today)}-${String(n).padStart(4, '0')}`;
  const [row] = await em.query(
    `INSERT INTO project (district_id, no, name, enterprise_id, area_id, location, scale_content, industry, nature, levels, kind, start_year, end_year,
       planned_start_on, planned_end_on, total_investment, leader_id, lead_department_id, helper_department_ids, contact_person_id, stage,
       stage_changed_on, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23) RETURNING id`,
    [auth.districtId, no, b.name.trim(), b.enterpriseId, b.areaId, b.location?.trim() || null, b.scaleContent?.trim() || null, b.industry?.trim() || null,
      b.nature, b.levels, b.kind, b.startYear, b.endYear, refs.plannedStartOn, refs.plannedEndOn, b.totalInvestment, b.leaderId, b.leadDepartmentId,
      refs.helperDepartmentIds, refs.contactPersonId, stage, stageOn, auth.id],
  );
  const pid: string = row.id;
  await writeTeam(em, pid, refs.stewardIds, b.funding);
  await em.query(
    `INSERT INTO project_stage_event (project_id, district_id, seq, action, from_stage, to_stage, occurred_on, actor_id, actor_role)
     VALUES ($1,$2,1,'create',NULL,$3,$4,$5,'coordinator')`,
    [pid, auth.districtId, stage, stageOn, auth.id],
  );
  const names = settings.milestoneTemplates[b.nature] ?? settings.milestoneTemplates.default ?? [];
  if (names.length) {
    await em.query(
      `INSERT INTO project_milestone (project_id, district_id, seq, name) SELECT $1, $2, ord, name FROM unnest($3::text[]) WITH ORDINALITY AS t(name, ord)`,
      [pid, auth.districtId, names],
    );
  }
  await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.created', entityType: 'project', entityId: pid, data: { no, name: b.name, totalInvestment: b.totalInvestment } });
  await refreshLight(em, pid, today, settings);
  return pid;
}

/** PATCH /projects/:id (coordinators, admins), guarded by version; funding and total are re-checked together. */
export async function updateProject(db: DataSource, auth: AuthUser, id: string, b: ProjectUpdate, now = new Date()): Promise<Project> {
  const { row, access } = await projectForCaller(db, auth, id, now);
  if (!access.canEdit) throw new AppError('PROJECT_ROLE_NOT_ALLOWED');
  const today = shanghaiDate(now);
  const settings = await getProjectSettings(db, auth.districtId);
  const merged: Refs = {
    enterpriseId: b.enterpriseId ?? row.enterprise_id, areaId: b.areaId ?? row.area_id, leaderId: b.leaderId ?? row.leader_id ?? '',
    leadDepartmentId: b.leadDepartmentId ?? row.lead_department_id, helperDepartmentIds: b.helperDepartmentIds ?? row.helper_department_ids,
    stewardIds: b.stewardIds ?? row.steward_ids, contactPersonId: b.contactPersonId !== undefined ? b.contactPersonId : row.contact_person_id,
    nature: b.nature ?? row.nature, levels: b.levels ?? row.levels, startYear: b.startYear ?? row.start_year, endYear: b.endYear ?? row.end_year,
    plannedStartOn: b.plannedStartOn ?? row.planned_start_on, plannedEndOn: b.plannedEndOn ?? row.planned_end_on,
    totalInvestment: b.totalInvestment ?? row.total_investment,
    funding: b.funding ?? row.funding.map((f) => ({ source: f.source as ProjectCreate['funding'][number]['source'], amount: f.amount, ...(f.note ? { note: f.note } : {}) })),
  };
  await validateProject(db, auth, merged, settings);
  await db.transaction(async (em) => {
    const [updatedRows] = await em.query(
      `UPDATE project SET name = $3, enterprise_id = $4, area_id = $5, location = $6, scale_content = $7, industry = $8, nature = $9, levels = $10,
         kind = $11, start_year = $12, end_year = $13, planned_start_on = $14, planned_end_on = $15, total_investment = $16, leader_id = $17,
         lead_department_id = $18, helper_department_ids = $19, contact_person_id = $20, version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING version`,
      [id, b.version, (b.name ?? row.name).trim(), merged.enterpriseId, merged.areaId, b.location !== undefined ? b.location.trim() || null : row.location,
        b.scaleContent !== undefined ? b.scaleContent.trim() || null : row.scale_content, b.industry !== undefined ? b.industry.trim() || null : row.industry,
        merged.nature, merged.levels, b.kind ?? row.kind, merged.startYear, merged.endYear, merged.plannedStartOn, merged.plannedEndOn, merged.totalInvestment,
        merged.leaderId, merged.leadDepartmentId, merged.helperDepartmentIds, merged.contactPersonId],
    );
    if (!updatedRows.length) throw new AppError('VERSION_CONFLICT');
    await writeTeam(em, id, merged.stewardIds, merged.funding);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.updated', entityType: 'project', entityId: id, data: { fields: Object.keys(b).filter((k) => k !== 'version') } });
    await refreshLight(em, id, today, settings);
  });
  return getProject(db, auth, id, now);
}

/**
 * One stage action (推进 / 退回 / 停工 / 复工), the ticket way: the machine decides, then in one transaction the guarded
 * `UPDATE … WHERE id AND version`, the event whose seq is the new version, the audit row and the light. Photos are
 * check-in photos the actor uploaded (POST /visit-photos).
 */
export async function stageAction(db: DataSource, auth: AuthUser, id: string, action: ProjectStageAction, b: StageActionBody, now = new Date()): Promise<Project> {
  const today = shanghaiDate(now);
  const { row, access } = await projectForCaller(db, auth, id, now);
  const snap = { stage: row.stage, halted: row.halted, lastChangeOn: row.stage_changed_on };
  const payload = { to: b.to, on: b.on, reason: b.reason, note: b.note } as ProjectStagePayloads[typeof action];
  // Try the caller's roles in order; report the first role's refusal when none succeeds.
  let result = stageTransition(snap, action, access.roles[0] as ProjectRole, payload, today);
  for (const r of access.roles.slice(1)) {
    if (result.ok) break;
    const next = stageTransition(snap, action, r, payload, today);
    if (next.ok || result.code === 'PROJECT_ROLE_NOT_ALLOWED') result = next;
  }
  if (!result.ok) {
    const path = result.field ? `/body/${result.field}` : undefined;
    throw new AppError(result.code, path ? [{ path, message: ERRORS[result.code].message }] : undefined);
  }
  const { next, event } = result;
  const photoIds = [...new Set(b.photoIds ?? [])];
  await db.transaction(async (em) => {
    if (photoIds.length) {
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM visit_photo WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND district_id = $3`, [photoIds, auth.id, auth.districtId]);
      if (n !== photoIds.length) throw fail('VALIDATION_FAILED', '/body/photoIds', '照片不存在或不是您上传的');
    }
    const [updated] = await em.query(
      `UPDATE project SET stage = $3, halted = $4, halt_reason = $5, stage_changed_on = $6, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 RETURNING version`,
      [id, b.version, next.stage, next.halted, next.halted ? event.reason : null, next.lastChangeOn],
    );
    if (!updated.length) throw new AppError('VERSION_CONFLICT');
    const seq: number = updated[0].version;
    await em.query(
      `INSERT INTO project_stage_event (project_id, district_id, seq, action, from_stage, to_stage, halted_after, occurred_on, reason, note, skipped, photo_ids, actor_id, actor_role)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
      [id, auth.districtId, seq, event.action, event.from, event.to, event.haltedAfter, event.on, event.reason, event.note, event.skipped, photoIds, auth.id, event.role],
    );
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: `project.${action}`, entityType: 'project', entityId: id, data: { from: event.from, to: event.to, on: event.on } });
    await refreshLight(em, id, today);
  });
  return getProject(db, auth, id, now);
}

/** GET /projects/:id/stage-events: the stage history, oldest first. */
export async function listStageEvents(db: DataSource, auth: AuthUser, id: string, now = new Date()) {
  await projectForCaller(db, auth, id, now);
  const rows = await db.query(
    `SELECT ev.seq, ev.action, coalesce(ev.from_stage, ev.to_stage) AS from, ev.to_stage AS to, ev.halted_after, to_char(ev.occurred_on, 'YYYY-MM-DD') AS on,
            ev.reason, ev.note, ev.skipped, ev.photo_ids, ev.actor_id, pe.name AS actor_name, ev.actor_role, ev.created_at
       FROM project_stage_event ev LEFT JOIN person pe ON pe.id = ev.actor_id WHERE ev.project_id = $1 ORDER BY ev.seq`,
    [id],
  );
  return rows.map((r: Record<string, unknown>) => ({
    seq: r.seq, action: r.action, from: r.from, to: r.to, haltedAfter: r.halted_after, on: r.on, reason: r.reason, note: r.note,
    skipped: r.skipped, photoIds: r.photo_ids, actor: r.actor_id ? { id: r.actor_id, name: r.actor_name } : null, actorRole: r.actor_role,
    createdAt: (r.created_at as Date).toISOString(),
  }));
}

/** GET /projects/:id/plans */
export async function listPlans(db: DataSource, auth: AuthUser, id: string, now = new Date()) {
  await projectForCaller(db, auth, id, now);
  const rows = await db.query(`SELECT year, amount::text AS amount, updated_at FROM project_plan WHERE project_id = $1 ORDER BY year`, [id]);
  return rows.map((r: { year: number; amount: string; updated_at: Date }) => ({ year: r.year, amount: r.amount, updatedAt: r.updated_at.toISOString() }));
}

/** PUT /projects/:id/plans/:year (coordinators): the annual investment plan; the light follows at once. */
export async function putPlan(db: DataSource, auth: AuthUser, id: string, year: number, amount: string, now = new Date()) {
  const { row, access } = await projectForCaller(db, auth, id, now);
  if (!access.canEdit) throw new AppError('PROJECT_ROLE_NOT_ALLOWED');
  if (year < row.start_year || year > row.end_year) throw fail('PROJECT_DATE_ORDER', '/params/year', `年度应在建设年限${row.start_year}—${row.end_year}年之内`);
  if (BigInt(amount) > BigInt(row.total_investment)) throw fail('VALIDATION_FAILED', '/body/amount', '年度计划投资不能超过总投资');
  await db.transaction(async (em) => {
    await em.query(
      `INSERT INTO project_plan (project_id, year, amount, updated_by, updated_at) VALUES ($1,$2,$3,$4,now())
       ON CONFLICT (project_id, year) DO UPDATE SET amount = EXCLUDED.amount, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [id, year, amount, auth.id],
    );
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.plan_set', entityType: 'project', entityId: id, data: { year, amount } });
    await refreshLight(em, id, shanghaiDate(now));
  });
  return listPlans(db, auth, id, now);
}

/** GET /projects/:id/lights: the light's turns, newest first. */
export async function listLightEvents(db: DataSource, auth: AuthUser, id: string, now = new Date()) {
  await projectForCaller(db, auth, id, now);
  const rows = await db.query(
    `SELECT from_light, to_light, reason, to_char(occurred_on, 'YYYY-MM-DD') AS on, created_at FROM project_light_event WHERE project_id = $1 ORDER BY id DESC`,
    [id],
  );
  return rows.map((r: { from_light: string | null; to_light: string; reason: string; on: string; created_at: Date }) => ({
    from: r.from_light, to: r.to_light, reason: r.reason, on: r.on, createdAt: r.created_at.toISOString(),
  }));
}

/** GET /projects/:id/problems: the project's 诉求 (ticket.project_id) with their state and reply deadline. */
export async function listProblems(db: DataSource, auth: AuthUser, id: string, now = new Date()) {
  await projectForCaller(db, auth, id, now);
  const rows = await db.query(
    `SELECT t.id, t.no, t.title, t.state, t.reply_due_at, t.is_solved FROM ticket t WHERE t.project_id = $1 AND t.district_id = $2 ORDER BY t.created_at DESC LIMIT 200`,
    [id, auth.districtId],
  );
  return rows.map((r: { id: string; no: string; title: string; state: string; reply_due_at: Date | null; is_solved: boolean }) => ({
    id: r.id, no: r.no, title: r.title, state: r.state, replyDueAt: r.reply_due_at ? r.reply_due_at.toISOString() : null, solved: r.is_solved,
    open: !['closed', 'withdrawn', 'merged', 'confirmed'].includes(r.state),
  }));
}

/**
 * GET /projects/:id/visits: the on-site visits at the project (visit.project_id; checked in or completed), newest
 * first, 50 at most — who went and when, for the project page. No notes or coordinates: the project's readers
 * include the owner's contacts (ADR 0006 keeps locations to the steward and the coordinators).
 */
export async function listProjectVisits(db: DataSource, auth: AuthUser, id: string, now = new Date()) {
  await projectForCaller(db, auth, id, now);
  const rows: { id: string; kind: string; status: string; occurred_at: Date; steward_id: string; steward_name: string }[] = await db.query(
    `SELECT v.id, v.kind, v.status, coalesce(v.checkin_at, v.occurred_at) AS occurred_at, v.steward_id, s.name AS steward_name
       FROM visit v JOIN person s ON s.id = v.steward_id
      WHERE v.project_id = $1 AND v.district_id = $2 AND v.status IN ('checked_in','completed')
      ORDER BY v.occurred_at DESC, v.id DESC LIMIT 50`,
    [id, auth.districtId],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, status: r.status, occurredAt: r.occurred_at.toISOString(), steward: { id: r.steward_id, name: r.steward_name } }));
}
