import { DESK_ROLES, DISTRICT_WIDE_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import type { Queryable } from '../../lib/sql';
import { holdsAny, type Bind, type Visibility } from '../../lib/policy';

/**
 * Who sees and changes an enterprise and its profile (画像), in one module. Everything is scoped to the caller's
 * district first: another district's enterprise is not found.
 * - coordinators, leaders and admins (district-wide): read every enterprise, with its contact phone in full;
 * - coordinators and admins (the desk) register and edit enterprises;
 * - department staff: read every enterprise of the district, the contact phone masked;
 * - stewards: read the enterprises currently assigned to them, phone in full, and keep their profiles;
 * - enterprise contacts: read their own enterprise, phone in full;
 * - the profile (and the policy calculator on it) is read by district-wide roles, the enterprise's contacts and its
 *   current stewards, and edited by the desk and its current stewards.
 */

export const ENTERPRISE_ROLES = {
  /** register and edit enterprises */
  edit: DESK_ROLES,
  /** the profile editors' route guard (a steward only for the enterprises assigned to them) */
  editProfile: [...DESK_ROLES, 'steward'],
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of an enterprise. */
export type EnterpriseFacts = { id: string; district_id: string };

/** The caller's standing on one enterprise. */
export type EnterpriseStanding = { canSee: boolean; fullPhone: boolean; seesProfile: boolean; editsProfile: boolean };

const NONE: EnterpriseStanding = { canSee: false, fullPhone: false, seesProfile: false, editsProfile: false };

/** True when the person is an active steward of the enterprise (one query; skipped for non-stewards). */
export async function isStewardOf(db: Queryable, auth: AuthUser, enterpriseId: string): Promise<boolean> {
  if (!auth.roles.includes('steward')) return false;
  const rows = await db.query(`SELECT 1 FROM assignment WHERE steward_id = $1 AND enterprise_id = $2 AND ends_on IS NULL`, [auth.id, enterpriseId]);
  return rows.length > 0;
}

/** Maps a person to their standing on an enterprise; `steward` is whether they are its active steward. */
export function enterpriseStanding(auth: AuthUser, e: EnterpriseFacts, steward: boolean): EnterpriseStanding {
  if (auth.districtId !== e.district_id) return NONE;
  const close = holdsAny(auth, DISTRICT_WIDE_ROLES) || auth.enterpriseId === e.id || steward;
  return {
    canSee: close || auth.roles.includes('department'),
    fullPhone: close,
    seesProfile: close,
    editsProfile: holdsAny(auth, DESK_ROLES) || steward,
  };
}

/** Loads whether the caller is the enterprise's steward (only when it matters) and returns their standing. */
export async function enterpriseStandingOf(db: Queryable, auth: AuthUser, e: EnterpriseFacts): Promise<EnterpriseStanding> {
  if (auth.districtId !== e.district_id) return NONE;
  const base = enterpriseStanding(auth, e, false);
  if (base.fullPhone && base.editsProfile) return base;
  return enterpriseStanding(auth, e, await isStewardOf(db, auth, e.id));
}

/**
 * The list rule as SQL on enterprise alias `e` (the district condition is the caller's): district-wide roles and
 * departments read the district; otherwise a steward reads the enterprises assigned to them, and a contact
 * (who is not a steward) their own.
 */
export function enterpriseVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES) || auth.roles.includes('department')) return null;
  if (auth.roles.includes('steward')) return `EXISTS (SELECT 1 FROM assignment s WHERE s.enterprise_id = e.id AND s.steward_id = ${p(auth.id)} AND s.ends_on IS NULL)`;
  if (auth.enterpriseId) return `e.id = ${p(auth.enterpriseId)}`;
  return 'none';
}

/** Whether a list shows contact phones in full: every row a steward or contact lists is theirs; departments' are masked. */
export function listShowsFullPhone(auth: AuthUser): boolean {
  return holdsAny(auth, DISTRICT_WIDE_ROLES) || auth.roles.includes('steward') || !!auth.enterpriseId;
}
