import { DESK_ROLES, DISTRICT_WIDE_ROLES, mayGrant, type PrincipalRole, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';

/**
 * Who reads and edits the district's people (人员), in one module:
 * - coordinators and admins (the desk) read every person of the district and add or edit them — but only people
 *   whose every role they may grant (shared GRANTABLE_ROLES: a coordinator does not edit an admin); setting a
 *   person's roles, or issuing their invitation code, needs the right to grant each of those roles;
 * - leaders look up the district's leaders only (the 包联领导 pickers of the project screens) and read no record;
 * - everyone else: nothing. Another district's person is not found.
 */

export const PEOPLE_ROLES = {
  /** the people list (leaders: the leaders only, see mayListPeople) */
  list: DISTRICT_WIDE_ROLES,
  /** a person's record; add and edit people */
  edit: DESK_ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of a person row. */
export type PersonFacts = { district_id: string; roles: readonly Role[] };

/** May the caller list the district's people, filtered to `role` (undefined = every role)? */
export function mayListPeople(auth: AuthUser, role: Role | undefined): boolean {
  if (holdsAny(auth, PEOPLE_ROLES.edit)) return true;
  return holdsAny(auth, PEOPLE_ROLES.list) && role === 'leader';
}

/** May the caller give someone these roles (on create or update, or by importing them)? */
export function mayGrantRoles(auth: { roles: readonly PrincipalRole[] }, roles: readonly Role[]): boolean {
  return mayGrant(auth.roles, roles);
}

/** May the caller read (`read`) or edit (`edit`) this person's record? Editing needs the right to grant every role they hold. */
export function personAccess(auth: AuthUser, person: PersonFacts): { read: boolean; edit: boolean } {
  if (auth.districtId !== person.district_id || !holdsAny(auth, PEOPLE_ROLES.edit)) return { read: false, edit: false };
  return { read: true, edit: mayGrantRoles(auth, person.roles) };
}
