import { DESK_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny, type Bind, type Visibility } from '../../lib/policy';

/**
 * Who decides an enterprise's join requests (企业自助加入) and manages its contacts, in one module:
 * - coordinators and admins (the desk) see and decide every request of their district;
 * - a steward sees and decides the requests naming an enterprise assigned to them now (a request whose credit code
 *   matches no enterprise of the district is the desk's);
 * - an enterprise contact reads their own enterprise's contacts; its admin contact (the first to join) removes the
 *   others, never themselves;
 * - leaders and department staff: none of it. Another district's request or contact is not found.
 */

export const JOIN_ROLES = {
  /** the approval queue */
  decide: [...DESK_ROLES, 'steward'],
  /** an enterprise's own contacts */
  contacts: ['enterprise'],
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of a join request: its district and the stewards now assigned to the enterprise it names. */
export type JoinRequestFacts = { district_id: string; steward_ids: readonly string[] };

/** May the caller see and decide this join request? */
export function mayDecideJoinRequest(auth: AuthUser, r: JoinRequestFacts): boolean {
  if (auth.districtId !== r.district_id) return false;
  if (holdsAny(auth, DESK_ROLES)) return true;
  return auth.roles.includes('steward') && r.steward_ids.includes(auth.id);
}

/** The same rule as SQL on `join_request r` left-joined to its enterprise `e` (the district condition is the caller's). */
export function joinRequestVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DESK_ROLES)) return null;
  if (auth.roles.includes('steward')) return `EXISTS (SELECT 1 FROM assignment s WHERE s.enterprise_id = e.id AND s.steward_id = ${p(auth.id)} AND s.ends_on IS NULL)`;
  return 'none';
}

/** What the policy needs of a contact (a person linked to an enterprise). */
export type ContactFacts = { id: string; district_id: string; enterprise_id: string | null };

/**
 * The caller's standing on an enterprise contact: `read` their own enterprise's contacts; `remove` one of them when
 * the caller is its admin contact (`isEnterpriseAdmin`, read from the caller's row) and it is not themselves.
 */
export function contactAccess(auth: AuthUser, c: ContactFacts, isEnterpriseAdmin: boolean): { read: boolean; remove: boolean } {
  const read = auth.districtId === c.district_id && holdsAny(auth, JOIN_ROLES.contacts) && !!auth.enterpriseId && c.enterprise_id === auth.enterpriseId;
  return { read, remove: read && isEnterpriseAdmin && c.id !== auth.id };
}

/** May the caller read their enterprise's contacts at all (they are linked to an enterprise)? */
export function mayListContacts(auth: AuthUser): boolean {
  return holdsAny(auth, JOIN_ROLES.contacts) && !!auth.enterpriseId;
}
