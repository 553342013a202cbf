import { DISTRICT_WIDE_ROLES } from '@guanjia/shared';
import type { AuthUser } from '../../../lib/principal';
import { holdsAny, type Bind, type Visibility } from '../../../lib/policy';

/**
 * Who sees and moves 督办单 (supervisions), in one module. Everything is scoped to the caller's district first.
 * - coordinators, leaders and admins (district-wide): read every 督办单 of the district;
 * - department staff: read those addressed to their department, sign for them and report them done;
 * - coordinators also report any of them done (the route guards are TICKET_ROLES.acknowledgeSupervision and
 *   TICKET_ROLES.completeSupervision);
 * - enterprise contacts and stewards: none.
 */

export type SupervisionFacts = { district_id: string; department_id: string };
export type SupervisionStep = 'acknowledge' | 'complete';

const ownDepartment = (auth: AuthUser, departmentId: string) =>
  auth.roles.includes('department') && !!auth.departmentId && auth.departmentId === departmentId;

/** True when the caller may read this 督办单. */
export function maySeeSupervision(auth: AuthUser, s: SupervisionFacts): boolean {
  if (auth.districtId !== s.district_id) return false;
  return holdsAny(auth, DISTRICT_WIDE_ROLES) || ownDepartment(auth, s.department_id);
}

/** The same rule as SQL on supervision alias `s` (the district condition is the caller's). */
export function supervisionVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return null;
  if (auth.roles.includes('department') && auth.departmentId) return `s.department_id = ${p(auth.departmentId)}`;
  return 'none';
}

/** Signing for a 督办单 is its department's; reporting it done is its department's or a coordinator's. */
export function mayAdvanceSupervision(auth: AuthUser, step: SupervisionStep, s: SupervisionFacts): boolean {
  if (!maySeeSupervision(auth, s)) return false;
  if (ownDepartment(auth, s.department_id)) return true;
  return step === 'complete' && auth.roles.includes('coordinator');
}
