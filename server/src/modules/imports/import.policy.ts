import { DESK_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';

/**
 * Who takes a district live (开通): coordinators and admins (the desk) read the setup checklist, download the
 * templates, import rosters (dry run or for real) and download a run's rejected rows — of their own district only
 * (another district's run is not found). Which roles an imported person may be given is the people policy's
 * `mayGrantRoles`, row by row. Nobody else imports anything.
 */

export const IMPORT_ROLES = {
  /** the checklist, templates, imports and their rejected rows */
  run: DESK_ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** May the caller read this import run (its rejected rows)? */
export function mayReadImportRun(auth: Pick<AuthUser, 'districtId' | 'roles'>, run: { district_id: string }): boolean {
  return auth.districtId === run.district_id && holdsAny(auth, IMPORT_ROLES.run);
}
