/** Every role a person can hold inside a district; one person may hold several. */
export const ROLES = ['enterprise', 'steward', 'department', 'coordinator', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The platform operator's role: edits the national calendar and creates districts; sees no district's data. */
export const OPERATOR_ROLE = 'operator' as const;
/** A role as it appears on an access token: a district role, or the operator's. */
export type PrincipalRole = Role | typeof OPERATOR_ROLE;

/**
 * Where a person's authority reaches (ADR 0008). A district person acts inside one district; a city person
 * (市级 coordinator or leader) reads the districts of one city side by side; the platform operator runs the
 * deployment (national calendar, districts and their first administrators) without reading any district's data.
 */
export const SCOPES = ['district', 'city', 'platform'] as const;
export type Scope = (typeof SCOPES)[number];


// Chinese names live in the one label table (labels.ts); re-exported for older imports.
export { ROLE_LABELS, SCOPE_LABELS } from './labels';

/** Roles that see the whole district's data (not just their own enterprise, department or assignments). */
export const DISTRICT_WIDE_ROLES: readonly Role[] = ['coordinator', 'leader', 'admin'];

/** The district desk: coordinators and administrators keep the district's records and settings. */
export const DESK_ROLES: readonly Role[] = ['coordinator', 'admin'];

/** Roles a city-scoped person may hold: they read and compare; they do not handle a district's tickets. */
export const CITY_ROLES: readonly Role[] = ['coordinator', 'leader'];

/**
 * Which roles each role may grant, by creating a person or issuing an invitation code for them. A code binds a
 * WeChat account to every role of its person, so issuing one is granting all of them.
 */
export const GRANTABLE_ROLES: Record<PrincipalRole, readonly Role[]> = {
  admin: ROLES,
  coordinator: ['enterprise', 'steward', 'department', 'leader', 'coordinator'],
  steward: ['enterprise'],
  department: [],
  leader: [],
  enterprise: [],
  operator: ['admin'],
};

/** True when a holder of `granter` may grant every one of `roles`. */
export function mayGrant(granter: readonly PrincipalRole[], roles: readonly Role[]): boolean {
  const allowed = new Set(granter.flatMap((r) => GRANTABLE_ROLES[r]));
  return roles.every((r) => allowed.has(r));
}
