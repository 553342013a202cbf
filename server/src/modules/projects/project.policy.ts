import { DESK_ROLES, DISTRICT_WIDE_ROLES, type ProjectRole, type Role } from '@guanjia/shared';
import { holdsAny } from '../../lib/policy';
import type { AuthUser } from '../../lib/principal';

/**
 * Who sees and does what on a key project (ADR 0009), in one module, in JS and in SQL (the matrix test checks
 * that both agree). Everything is scoped to the caller's district first: another district's project is a 404.
 * - coordinators: everything (create/edit, plans, reports, over-total confirmation, every stage action);
 * - admins: read and edit the ledger;
 * - leaders: read every project of the district; the project's own 包联领导 also changes its stage and milestones;
 * - stewards: read every project of the district (they cover for each other on site); the project's team also
 *   files the monthly 调度 report, changes the stage and keeps the milestones. A steward outside the team reads only;
 * - department staff: read the projects their department leads or helps; the lead department changes the stage
 *   and keeps the milestones;
 * - enterprise contacts: read their own enterprise's projects, file its 调度 report and its problems (诉求).
 */

/** Who may call each kind of project endpoint (the route guards); projectAccess below decides per project. */
export const PROJECT_ROLES = {
  /** create and edit projects, annual plans, batches (三个一批) and 调度会 records */
  edit: DESK_ROLES,
  /** the district's figures: missing reports, statistics, visit cadence, 调度会 records and agenda */
  oversee: DISTRICT_WIDE_ROLES,
  /** 催报 reminders and the project settings (红黄灯 thresholds etc.): the coordinator's */
  coordinate: ['coordinator'],
  /** read the 三个一批 batches: the district's staff, not enterprise contacts */
  readBatches: [...DISTRICT_WIDE_ROLES, 'steward', 'department'],
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of a project. */
export type ProjectFacts = {
  district_id: string;
  enterprise_id: string;
  leader_id: string | null;
  lead_department_id: string;
  helper_department_ids: string[];
  steward_ids: string[];
};

/** The caller's standing on one project. */
export type ProjectAccess = {
  canSee: boolean;
  /** roles for the stage machine, in the order actions try them; 'viewer' when the caller only reads */
  roles: ProjectRole[];
  canEdit: boolean;
  canReport: boolean;
  canConfirmOverTotal: boolean;
  canManageMilestones: boolean;
};

const NONE: ProjectAccess = { canSee: false, roles: [], canEdit: false, canReport: false, canConfirmOverTotal: false, canManageMilestones: false };

/** Maps a person to their standing on a project. */
export function projectAccess(auth: AuthUser, p: ProjectFacts): ProjectAccess {
  if (auth.districtId !== p.district_id) return NONE;
  const has = (r: AuthUser['roles'][number]) => auth.roles.includes(r);
  const roles: ProjectRole[] = [];
  if (has('coordinator')) roles.push('coordinator');
  if (has('leader') && p.leader_id === auth.id) roles.push('leader');
  const inTeam = has('steward') && p.steward_ids.includes(auth.id);
  if (inTeam) roles.push('steward');
  const dep = has('department') ? auth.departmentId : null;
  const leadDept = !!dep && dep === p.lead_department_id;
  if (leadDept) roles.push('department');
  const owner = has('enterprise') && auth.enterpriseId === p.enterprise_id;
  if (owner) roles.push('enterprise');
  const reads = has('admin') || has('leader') || has('steward') || (!!dep && (leadDept || p.helper_department_ids.includes(dep)));
  const canSee = roles.length > 0 || reads;
  if (!canSee) return NONE;
  if (roles.length === 0) roles.push('viewer');
  const changer = roles.some((r) => r === 'coordinator' || r === 'leader' || r === 'steward' || r === 'department');
  return {
    canSee,
    roles,
    canEdit: holdsAny(auth, PROJECT_ROLES.edit),
    canReport: has('coordinator') || inTeam || owner,
    canConfirmOverTotal: has('coordinator'),
    canManageMilestones: changer,
  };
}

/**
 * The read rule as SQL on project alias `p` (the district condition is the caller's): null when the caller
 * reads the whole district, 'none' when they read nothing.
 */
export function projectVisibilitySql(auth: AuthUser, p: (v: unknown) => string): string | null | 'none' {
  // district-wide roles and every steward (they cover for each other on site) read the whole district
  if (holdsAny(auth, DISTRICT_WIDE_ROLES) || auth.roles.includes('steward')) return null;
  const ors: string[] = [];
  if (auth.roles.includes('department') && auth.departmentId) {
    const d = p(auth.departmentId);
    ors.push(`(p.lead_department_id = ${d}::uuid OR ${d}::uuid = ANY(p.helper_department_ids))`);
  }
  if (auth.roles.includes('enterprise') && auth.enterpriseId) ors.push(`p.enterprise_id = ${p(auth.enterpriseId)}::uuid`);
  return ors.length ? `(${ors.join(' OR ')})` : 'none';
}

/** "我的项目": the projects the caller leads, stewards, or whose lead/helper department is theirs, or owns. */
export function mineSql(auth: AuthUser, p: (v: unknown) => string): string {
  const me = p(auth.id);
  const ors = [`p.leader_id = ${me}::uuid`, `EXISTS (SELECT 1 FROM project_steward ps WHERE ps.project_id = p.id AND ps.person_id = ${me}::uuid)`];
  if (auth.departmentId) {
    const d = p(auth.departmentId);
    ors.push(`(p.lead_department_id = ${d}::uuid OR ${d}::uuid = ANY(p.helper_department_ids))`);
  }
  if (auth.enterpriseId) ors.push(`p.enterprise_id = ${p(auth.enterpriseId)}::uuid`);
  return `(${ors.join(' OR ')})`;
}
