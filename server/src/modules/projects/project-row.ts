import type { Queryable } from '../../lib/sql';
import type { ProjectKind, ProjectLight, ProjectStage } from '@guanjia/shared';
import type { ProjectFacts } from './project.policy';

export type { Queryable };

/** A project as the presenter and the policy read it (money columns as digit strings, dates as YYYY-MM-DD). */
export type ProjectRow = ProjectFacts & {
  id: string; no: string; name: string; enterprise_name: string; area_id: string; area_name: string;
  location: string | null; scale_content: string | null; industry: string | null; nature: string; levels: string[];
  kind: ProjectKind; start_year: number; end_year: number; planned_start_on: string | null; planned_end_on: string | null;
  total_investment: string; leader_name: string | null; lead_department_name: string; contact_person_id: string | null; contact_name: string | null;
  stage: ProjectStage; halted: boolean; halt_reason: string | null; stage_changed_on: string | null;
  light: ProjectLight | null; light_reason: string | null; light_since: string | null;
  version: number; created_at: Date; updated_at: Date;
  stewards: { id: string; name: string }[];
  helpers: { id: string; name: string }[];
  funding: { source: string; amount: string; note: string | null }[];
  annual_plan: string; completed_ytd: string; completed_total: string; last_report_month: string | null;
};

const d = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** Columns of `ProjectRow`; `$year` is the placeholder of the figures' year. */
export function projectSelect(year: string): string {
  return `p.id, p.district_id, p.no, p.name, p.enterprise_id, e.name AS enterprise_name, p.area_id, a.name AS area_name,
    p.location, p.scale_content, p.industry, p.nature, p.levels, p.kind, p.start_year, p.end_year,
    ${d('p.planned_start_on')} AS planned_start_on, ${d('p.planned_end_on')} AS planned_end_on, p.total_investment::text AS total_investment,
    p.leader_id, l.name AS leader_name, p.lead_department_id, ld.name AS lead_department_name, p.helper_department_ids,
    p.contact_person_id, c.name AS contact_name, p.stage, p.halted, p.halt_reason, ${d('p.stage_changed_on')} AS stage_changed_on,
    p.light, p.light_reason, ${d('p.light_since')} AS light_since, p.version, p.created_at, p.updated_at,
    coalesce((SELECT array_agg(ps.person_id ORDER BY ps.person_id) FROM project_steward ps WHERE ps.project_id = p.id), '{}') AS steward_ids,
    coalesce((SELECT json_agg(json_build_object('id', sp.id, 'name', sp.name) ORDER BY sp.name, sp.id) FROM project_steward ps JOIN person sp ON sp.id = ps.person_id WHERE ps.project_id = p.id), '[]') AS stewards,
    coalesce((SELECT json_agg(json_build_object('id', hd.id, 'name', hd.name) ORDER BY hd.name) FROM department hd WHERE hd.id = ANY(p.helper_department_ids)), '[]') AS helpers,
    coalesce((SELECT json_agg(json_build_object('source', f.source, 'amount', f.amount::text, 'note', f.note) ORDER BY f.source) FROM project_funding f WHERE f.project_id = p.id), '[]') AS funding,
    coalesce((SELECT pl.amount FROM project_plan pl WHERE pl.project_id = p.id AND pl.year = ${year}), 0)::text AS annual_plan,
    coalesce((SELECT sum(r.amount) FROM project_report r WHERE r.project_id = p.id AND r.is_current AND r.year = ${year}), 0)::text AS completed_ytd,
    coalesce((SELECT sum(r.amount) FROM project_report r WHERE r.project_id = p.id AND r.is_current), 0)::text AS completed_total,
    (SELECT to_char(make_date(r.year, r.month, 1), 'YYYY-MM') FROM project_report r WHERE r.project_id = p.id AND r.is_current ORDER BY r.year DESC, r.month DESC LIMIT 1) AS last_report_month`;
}

/** Tables of `projectSelect`. */
export const PROJECT_FROM = `project p
  JOIN enterprise e ON e.id = p.enterprise_id
  JOIN area a ON a.id = p.area_id
  JOIN department ld ON ld.id = p.lead_department_id
  LEFT JOIN person l ON l.id = p.leader_id
  LEFT JOIN person c ON c.id = p.contact_person_id`;

/** Loads one project of the caller's district with its figures for `year`. */
export async function loadProjectRow(db: Queryable, id: string, districtId: string, year: number): Promise<ProjectRow | null> {
  const [row] = await db.query(`SELECT ${projectSelect('$3')} FROM ${PROJECT_FROM} WHERE p.id = $1 AND p.district_id = $2`, [id, districtId, year]);
  return (row as ProjectRow | undefined) ?? null;
}

/** The ledger filters that the project list and the project figures share. */
export type ProjectScopeFilters = { areaId?: string; leaderId?: string; departmentId?: string; batchId?: string };

/**
 * Pushes the shared filters on `project p` into `where`: 属地, 包联领导, 责任部门 (leading or helping) and 三个一批 batch.
 * `p` adds a parameter and returns its `$n`.
 */
export function pushProjectScopeFilters(where: string[], q: ProjectScopeFilters, p: (v: unknown) => string): void {
  if (q.areaId) where.push(`p.area_id = ${p(q.areaId)}`);
  if (q.leaderId) where.push(`p.leader_id = ${p(q.leaderId)}`);
  if (q.departmentId) {
    const d = p(q.departmentId);
    where.push(`(p.lead_department_id = ${d}::uuid OR ${d}::uuid = ANY(p.helper_department_ids))`);
  }
  if (q.batchId) where.push(`EXISTS (SELECT 1 FROM project_batch_entry be WHERE be.project_id = p.id AND be.batch_id = ${p(q.batchId)})`);
}
