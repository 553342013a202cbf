import type { DataSource, EntityManager } from 'typeorm';
import { computeLight, scheduleShare, shanghaiDate, type LocalDate, type ProjectLight, type ProjectStage } from '@guanjia/shared';
import { notify } from '../notifications/notify';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { getProjectSettings, type ProjectSettings } from './project-settings';

/** Advisory lock keys (pg_try_advisory_xact_lock(int, int)): class 10 = projects. */
export const PROJECT_LOCK_CLASS = 10;
const LOCK_LIGHTS = 1;

type LightRow = {
  id: string; district_id: string; name: string; stage: ProjectStage; planned_start_on: string | null;
  light: ProjectLight | null; light_reason: string | null; leader_id: string | null; lead_department_id: string;
  annual_plan: string; completed_ytd: string; overdue: string[] | null;
};

/**
 * Recomputes one project's light as of `asOf` inside the caller's transaction (ADR 0009). Stores the light, its
 * reasons and — when it changed — the date it turned and a `project_light_event` row. A turn to red notifies the
 * leader, the lead department's staff and the stewards (in-app + WeChat outbox), once per turn. The light columns
 * do not bump the project's version: a recomputation must not make an editor's form stale.
 */
export async function refreshLight(em: EntityManager, projectId: string, asOf: LocalDate, settings?: ProjectSettings): Promise<{ light: ProjectLight; changed: boolean }> {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const [row]: LightRow[] = await em.query(
    `SELECT p.id, p.district_id, p.name, p.stage, to_char(p.planned_start_on, 'YYYY-MM-DD') AS planned_start_on, p.light, p.light_reason,
            p.leader_id, p.lead_department_id,
            coalesce((SELECT amount FROM project_plan WHERE project_id = p.id AND year = $2), 0)::text AS annual_plan,
            coalesce((SELECT sum(amount) FROM project_report WHERE project_id = p.id AND is_current AND year = $2 AND month <= $3), 0)::text AS completed_ytd,
            (SELECT array_agg(name ORDER BY seq) FROM project_milestone WHERE project_id = p.id AND actual_on IS NULL AND planned_on < $4::date) AS overdue
       FROM project p WHERE p.id = $1`,
    [projectId, year, month, asOf],
  );
  if (!row) return { light: 'green', changed: false };
  const s = settings ?? (await getProjectSettings(em, row.district_id));
  const cal = s.lights.scheduleMode === 'working_days' ? await loadWorkCalendar(em, asOf) : undefined;
  const result = computeLight({
    asOf, stage: row.stage, plannedStartOn: row.planned_start_on, annualPlan: BigInt(row.annual_plan), completedYtd: BigInt(row.completed_ytd),
    share: scheduleShare(asOf, s.lights.scheduleMode, cal), overdueMilestones: row.overdue ?? [],
  }, s.lights);
  const reason = result.reasons.join('；') || '进度正常';
  const changed = result.light !== row.light;
  if (!changed) {
    await em.query(`UPDATE project SET light_reason = $2, light_checked_at = now() WHERE id = $1`, [projectId, reason]);
    return { light: result.light, changed: false };
  }
  await em.query(`UPDATE project SET light = $2, light_reason = $3, light_since = $4, light_checked_at = now() WHERE id = $1`, [projectId, result.light, reason, asOf]);
  const [ev] = await em.query(
    `INSERT INTO project_light_event (project_id, district_id, from_light, to_light, reason, occurred_on) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
    [projectId, row.district_id, row.light, result.light, reason, asOf],
  );
  if (result.light === 'red') {
    const people: { id: string }[] = await em.query(
      `SELECT $2::uuid AS id WHERE $2::uuid IS NOT NULL
       UNION SELECT person_id FROM project_steward WHERE project_id = $1
       UNION SELECT id FROM person WHERE department_id = $3 AND 'department' = ANY(roles) AND NOT disabled`,
      [projectId, row.leader_id, row.lead_department_id],
    );
    await notify(em, {
      districtId: row.district_id,
      personIds: people.map((p) => p.id),
      kind: 'project.light_red',
      title: `项目亮红灯：${row.name}`,
      body: reason,
      entityType: 'project',
      entityId: projectId,
      dedupeKey: `project-red:${projectId}:${ev.id}`,
    });
  }
  return { light: result.light, changed: true };
}

/**
 * Daily: recomputes every project's light (month boundaries move the schedule, milestones fall due). One instance
 * at a time (advisory lock); re-running on the same day changes nothing and notifies nobody twice.
 */
export async function runLightJob(db: DataSource, now = new Date()): Promise<{ skipped: boolean; checked: number; turned: number }> {
  const asOf = shanghaiDate(now);
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [PROJECT_LOCK_CLASS, LOCK_LIGHTS]);
    if (!locked) return { skipped: true, checked: 0, turned: 0 };
    let checked = 0;
    let turned = 0;
    const districts: { id: string }[] = await em.query(`SELECT DISTINCT district_id AS id FROM project`);
    for (const d of districts) {
      const settings = await getProjectSettings(em, d.id);
      const ids: { id: string }[] = await em.query(`SELECT id FROM project WHERE district_id = $1 ORDER BY id`, [d.id]);
      for (const { id } of ids) {
        checked++;
        if ((await refreshLight(em, id, asOf, settings)).changed) turned++;
      }
    }
    return { skipped: false, checked, turned };
  });
}
