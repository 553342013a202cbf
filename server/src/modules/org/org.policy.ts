import { DESK_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';

/**
 * Who reads and edits the district's organisation (its record, areas 属地 and departments 区直部门): every person of
 * the district reads them (they name the units every other screen shows); coordinators and admins (the desk) add
 * and edit them. Another district's area or department is not found (every statement is scoped to the caller's).
 */

export const ORG_ROLES = {
  /** add and edit areas and departments */
  edit: DESK_ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** May the caller read (`read`) or edit (`edit`) this area or department? */
export function orgAccess(auth: AuthUser, unit: { district_id: string }): { read: boolean; edit: boolean } {
  if (auth.districtId !== unit.district_id) return { read: false, edit: false };
  return { read: true, edit: holdsAny(auth, ORG_ROLES.edit) };
}
