import { DESK_ROLES, DISTRICT_WIDE_ROLES, type Role, type Visit } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import type { VisitView } from './visit.presenter';
import { anyOf, holdsAny, type Bind, type Visibility } from '../../lib/policy';

/**
 * Who sees and does what with visits (走访), their photos, cadence, coverage and visit grants, in one module.
 * Everything is scoped to the caller's district first.
 * - stewards: log, check in/out, edit and cancel their own visits; read their own visits, photos, cadence,
 *   coverage and grants;
 * - coordinators, leaders and admins (district-wide): read every visit, photo, cadence and coverage of the district;
 * - coordinators and admins (the desk) also review flagged visits, keep the visit settings, decide location
 *   proposals, issue and revoke visit grants and read the location-access log;
 * - enterprise contacts: read the contacts that took place at their enterprise (not plans or cancellations), without
 *   locations;
 * - department staff: none of it.
 */

/** Who may call each kind of visit endpoint (the route guards); the functions below decide which rows. */
export const VISIT_ROLES = {
  /** log, check in/out, edit and cancel visits; upload check-in photos */
  record: ['steward'],
  /** review flags, visit settings, location proposals, visit grants, the location-access log */
  manage: DESK_ROLES,
  /** the map and the overdue-cadence list */
  supervise: DISTRICT_WIDE_ROLES,
  /** the coverage report and a steward's cadence: district-wide roles, or a steward for their own */
  coverage: [...DISTRICT_WIDE_ROLES, 'steward'],
  /** the list of visit grants: the desk, or a steward for their own */
  grants: [...DESK_ROLES, 'steward'],
} as const satisfies Record<string, readonly Role[]>;

/** What an enterprise contact sees of its own service record: contacts that took place. */
export const CONTACT_HAPPENED: readonly Visit['status'][] = ['checked_in', 'completed'];

export type VisitFacts = { district_id: string; steward_id: string; enterprise_id: string; status: Visit['status'] };

/** Which view of this visit the caller gets, or null when it is none of their business. */
export function visitView(auth: AuthUser, r: VisitFacts): VisitView | null {
  if (auth.districtId !== r.district_id) return null;
  if (holdsAny(auth, DISTRICT_WIDE_ROLES) || r.steward_id === auth.id) return 'full';
  if (auth.enterpriseId && auth.enterpriseId === r.enterprise_id && CONTACT_HAPPENED.includes(r.status)) return 'enterprise';
  return null;
}

/** The same rule as SQL on visit alias `v` (the district condition is the caller's). */
export function visitVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return null;
  const ors: string[] = [];
  if (auth.roles.includes('steward')) ors.push(`v.steward_id = ${p(auth.id)}`);
  if (auth.enterpriseId) ors.push(`(v.enterprise_id = ${p(auth.enterpriseId)} AND v.status IN (${CONTACT_HAPPENED.map((s) => `'${s}'`).join(',')}))`);
  return anyOf(ors);
}

/** Only stewards log and change visits, always as themselves. */
export function mayRecordVisits(auth: AuthUser): boolean {
  return holdsAny(auth, VISIT_ROLES.record);
}

/** A visit photo: its uploader and the district-wide roles of its district (a photo shows a place and often people). */
export function maySeeVisitPhoto(auth: AuthUser, photo: { district_id: string; uploaded_by: string }): boolean {
  return auth.districtId === photo.district_id && (photo.uploaded_by === auth.id || holdsAny(auth, DISTRICT_WIDE_ROLES));
}

/** A steward's cadence list or coverage: the steward themself, or a district-wide role. */
export function maySeeStewardWork(auth: AuthUser, stewardId: string): boolean {
  return stewardId === auth.id || holdsAny(auth, DISTRICT_WIDE_ROLES);
}

/**
 * What a coverage report covers: district-wide roles read the district (or the steward they ask for); a steward
 * reads only their own line (`own`); anyone else is refused (null).
 */
export function coverageScope(auth: AuthUser, asked?: string): { own: boolean; stewardId: string | undefined } | null {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return { own: false, stewardId: asked };
  return auth.roles.includes('steward') ? { own: true, stewardId: auth.id } : null;
}

/** Visit grants as SQL on alias `g`: the district's for district-wide roles, a caller's own otherwise. */
export function visitGrantVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return null;
  return `g.steward_id = ${p(auth.id)}`;
}
