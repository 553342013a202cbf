import {
  availableStageActions, basisPoints, deviationBasisPoints, formatBasisPointsPercent, formatPoints,
  type Project, type ProjectStageAction, type Share,
} from '@guanjia/shared';
import type { ProjectAccess } from './project.policy';
import type { ProjectRow } from './project-row';

const pct = (part: bigint, whole: bigint) => {
  const bp = basisPoints(part, whole);
  return bp === null ? null : formatBasisPointsPercent(bp);
};

/** The stage actions the caller may take now: the union over their project roles. */
export function actionsFor(row: Pick<ProjectRow, 'stage' | 'halted' | 'stage_changed_on'>, access: ProjectAccess): ProjectStageAction[] {
  const snap = { stage: row.stage, halted: row.halted, lastChangeOn: row.stage_changed_on };
  const set = new Set(access.roles.flatMap((r) => availableStageActions(snap, r)));
  return (['advance', 'revert', 'halt', 'resume'] as const).filter((a) => set.has(a));
}

/** The only path from a project row to JSON. `share` is the schedule share of today for the deviation. */
export function presentProject(row: ProjectRow, access: ProjectAccess, year: number, share: Share): Project {
  const plan = BigInt(row.annual_plan);
  const ytd = BigInt(row.completed_ytd);
  const total = BigInt(row.total_investment);
  const dev = deviationBasisPoints(ytd, plan, share);
  return {
    id: row.id,
    no: row.no,
    name: row.name,
    enterprise: { id: row.enterprise_id, name: row.enterprise_name },
    area: { id: row.area_id, name: row.area_name },
    location: row.location,
    scaleContent: row.scale_content,
    industry: row.industry,
    nature: row.nature,
    levels: row.levels,
    kind: row.kind,
    startYear: row.start_year,
    endYear: row.end_year,
    plannedStartOn: row.planned_start_on,
    plannedEndOn: row.planned_end_on,
    totalInvestment: row.total_investment,
    funding: row.funding.map((f) => ({ source: f.source as Project['funding'][number]['source'], amount: f.amount, note: f.note })),
    leader: row.leader_id ? { id: row.leader_id, name: row.leader_name ?? '' } : null,
    leadDepartment: { id: row.lead_department_id, name: row.lead_department_name },
    helperDepartments: row.helpers,
    stewards: row.stewards,
    contact: row.contact_person_id ? { id: row.contact_person_id, name: row.contact_name ?? '' } : null,
    stage: row.stage,
    halted: row.halted,
    haltReason: row.halt_reason,
    stageChangedOn: row.stage_changed_on,
    light: row.light,
    lightReason: row.light_reason,
    lightSince: row.light_since,
    figures: {
      year,
      annualPlan: row.annual_plan,
      completedYtd: row.completed_ytd,
      completedTotal: row.completed_total,
      percentOfPlan: pct(ytd, plan),
      percentOfTotal: pct(BigInt(row.completed_total), total),
      deviationPoints: dev === null ? null : formatPoints(dev),
      lastReportMonth: row.last_report_month,
    },
    availableActions: actionsFor(row, access),
    canReport: access.canReport,
    canEdit: access.canEdit,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
