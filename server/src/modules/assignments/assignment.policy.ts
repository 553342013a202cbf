import { DESK_ROLES, DISTRICT_WIDE_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny, type Bind, type Visibility } from '../../lib/policy';

/**
 * Who sees and changes steward assignments (包联), in one module. Everything is scoped to the caller's district.
 * - coordinators and admins (the desk) assign and end assignments;
 * - coordinators, leaders and admins (district-wide) read every assignment of the district;
 * - stewards read their own;
 * - department staff and enterprise contacts: none (an enterprise's stewards show on the enterprise, not here).
 * Whether a steward is an enterprise's current steward, for the other resources: enterprise.policy.ts `isStewardOf`.
 */

export const ASSIGNMENT_ROLES = {
  /** assign a steward to an enterprise, end an assignment */
  manage: DESK_ROLES,
  /** list assignments (a steward only their own) */
  read: [...DISTRICT_WIDE_ROLES, 'steward'],
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of an assignment. */
export type AssignmentFacts = { district_id: string; steward_id: string };

/** May the caller read this assignment? */
export function maySeeAssignment(auth: AuthUser, a: AssignmentFacts): boolean {
  if (auth.districtId !== a.district_id) return false;
  return holdsAny(auth, DISTRICT_WIDE_ROLES) || (auth.roles.includes('steward') && a.steward_id === auth.id);
}

/** The read rule as SQL on assignment alias `s`; callers outside ASSIGNMENT_ROLES.read are refused by the route. */
export function assignmentVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return null;
  return `s.steward_id = ${p(auth.id)}`;
}

/** A nearest-first list is one steward's: district-wide callers must name the steward. */
export function nearNeedsSteward(auth: AuthUser): boolean {
  return holdsAny(auth, DISTRICT_WIDE_ROLES);
}
