import { DISTRICT_WIDE_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';

/**
 * Who sees what of a steward (管家), in one module:
 * - an enterprise contact sees the steward now assigned to their own enterprise (联系管家; the phone only when the
 *   steward shows it — a setting, not an access rule);
 * - a steward reads and changes their own contact setting, nobody else's;
 * - coordinators, leaders and admins read any steward's ratings in their district; a steward does not read
 *   ratings, not even their own (they are for the district's oversight);
 * - department staff: none of it. Another district's steward is not found.
 */

export const STEWARD_ROLES = {
  /** 联系管家: the steward of the caller's enterprise */
  contact: ['enterprise'],
  /** the steward's own contact setting */
  settings: ['steward'],
  /** a steward's ratings */
  ratings: DISTRICT_WIDE_ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of a steward: who they are and the enterprises assigned to them now. */
export type StewardFacts = { id: string; district_id: string; enterprise_ids: readonly string[] };

/** The caller's standing on one steward. */
export function stewardAccess(auth: AuthUser, s: StewardFacts): { contact: boolean; settings: boolean; ratings: boolean } {
  if (auth.districtId !== s.district_id) return { contact: false, settings: false, ratings: false };
  return {
    contact: holdsAny(auth, STEWARD_ROLES.contact) && !!auth.enterpriseId && s.enterprise_ids.includes(auth.enterpriseId),
    settings: holdsAny(auth, STEWARD_ROLES.settings) && s.id === auth.id,
    ratings: holdsAny(auth, STEWARD_ROLES.ratings),
  };
}

/** The enterprise whose steward the caller may look up (联系管家), or null. */
export function contactingEnterprise(auth: AuthUser): string | null {
  return holdsAny(auth, STEWARD_ROLES.contact) ? auth.enterpriseId : null;
}
