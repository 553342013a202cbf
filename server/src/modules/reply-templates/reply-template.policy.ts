import type { Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';

/**
 * Who reads and keeps a department's 常用语 (reply templates): its own department staff, every one of them; nobody
 * else — not a coordinator, not another department (another department's templates are not found).
 */

export const REPLY_TEMPLATE_ROLES = {
  /** read, add, edit and delete the own department's templates */
  manage: ['department'],
} as const satisfies Record<string, readonly Role[]>;

/** May the caller read and change this template? */
export function mayManageReplyTemplate(auth: AuthUser, t: { district_id: string; department_id: string }): boolean {
  return auth.districtId === t.district_id && templateDepartment(auth) === t.department_id;
}

/** The department whose templates the caller keeps, or null when they keep none. */
export function templateDepartment(auth: AuthUser): string | null {
  return holdsAny(auth, REPLY_TEMPLATE_ROLES.manage) ? auth.departmentId : null;
}
