import { DESK_ROLES, DISTRICT_WIDE_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny, type Bind, type Visibility } from '../../lib/policy';

/**
 * Who sees and does what with a policy (惠企政策), in one module. Everything is scoped to the caller's district
 * first: another district's policy is not found.
 * - managers — coordinators and admins (the desk), and staff of the issuing department — edit, publish and record
 *   redemptions; they also see the policy's drafts;
 * - everyone of the district reads published policies;
 * - the match list, the figures and the questions asked: district-wide roles and the issuing department;
 * - delivering a policy (送政策上门): the enterprise's current steward, or the desk;
 * - reading and confirming (免申即享): the enterprise's contacts. Enterprise profiles: enterprise.policy.ts.
 */

export const POLICY_ROLES = {
  /** create, edit, preview, publish, redeem (department staff: their department's policies only) */
  manage: [...DESK_ROLES, 'department'],
  /** the enterprise libraries (培育库) */
  libraries: DESK_ROLES,
  /** a steward's delivery list */
  deliveries: ['steward'],
  /** deliver a policy to an enterprise (a steward only to one assigned to them) */
  deliver: ['steward', ...DESK_ROLES],
  /** mark read, confirm 免申即享 */
  enterprise: ['enterprise'],
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of a policy row. */
export type PolicyFacts = { district_id: string; department_id: string; status: string };

/** May manage (edit, publish, redeem) a policy of this department: the desk, or staff of the issuing department. */
export function managesPolicy(auth: AuthUser, departmentId: string): boolean {
  return holdsAny(auth, DESK_ROLES) || (auth.roles.includes('department') && auth.departmentId === departmentId);
}

/** The caller's standing on one policy. */
export function policyAccess(auth: AuthUser, p: PolicyFacts): { canSee: boolean; manages: boolean; seesMatches: boolean } {
  if (auth.districtId !== p.district_id) return { canSee: false, manages: false, seesMatches: false };
  const manages = managesPolicy(auth, p.department_id);
  const canSee = p.status === 'published' || manages;
  return { canSee, manages: canSee && manages, seesMatches: canSee && (holdsAny(auth, DISTRICT_WIDE_ROLES) || manages) };
}

/** The read rule as SQL on policy alias `p`: the desk reads drafts too, department staff their department's. */
export function policyVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DESK_ROLES)) return null;
  return auth.roles.includes('department') && auth.departmentId
    ? `(p.status = 'published' OR p.department_id = ${p(auth.departmentId)})` : `p.status = 'published'`;
}

/** May deliver a policy to an enterprise: its current steward, or the desk. */
export function mayDeliverPolicy(auth: AuthUser, stewardOfEnterprise: boolean): boolean {
  return stewardOfEnterprise || holdsAny(auth, DESK_ROLES);
}
