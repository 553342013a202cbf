import { DESK_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser, Principal } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';
import { mayOperatePlatform } from '../platform/platform.policy';

/**
 * Who reads and changes the working-day calendar, in one module:
 * - the national schedule (全国节假日安排): every district person reads it; only the platform operator enters a year;
 * - a district's local days (本地放假/调休): every person of the district reads them (deadlines depend on them);
 *   coordinators and admins (the desk) set and remove them. Another district's local days are neither read nor
 *   changed (every statement is scoped to the caller's district).
 */

export const CALENDAR_ROLES = {
  /** set and remove the district's local days */
  editLocal: DESK_ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** May the caller read (`read`) or change (`edit`) the local days of this district? */
export function localDayAccess(auth: AuthUser, day: { district_id: string }): { read: boolean; edit: boolean } {
  if (auth.districtId !== day.district_id) return { read: false, edit: false };
  return { read: true, edit: holdsAny(auth, CALENDAR_ROLES.editLocal) };
}

/** May this principal enter or correct a year's national schedule? The platform operator only. */
export function mayEditNationalCalendar(p: Pick<Principal, 'scope' | 'roles'>): boolean {
  return mayOperatePlatform(p);
}
