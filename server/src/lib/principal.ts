import { DISTRICT_WIDE_ROLES, type PrincipalRole, type Role, type Scope } from '@guanjia/shared';

/**
 * Who is calling, at any scope (ADR 0008): read from the access token and checked against the person's current
 * state on every request. `districtId` is set for district people, `cityCode` for city people, neither for the
 * platform operator.
 */
export type Principal = {
  id: string;
  scope: Scope;
  districtId: string | null;
  cityCode: string | null;
  roles: PrincipalRole[];
  enterpriseId: string | null;
  departmentId: string | null;
};

/**
 * A caller acting inside one district: what every district route and service receives. District routes refuse
 * other scopes before a handler runs, so services never see a city or platform caller here.
 */
export type AuthUser = {
  id: string;
  districtId: string;
  roles: Role[];
  enterpriseId: string | null;
  departmentId: string | null;
};

/** True when the person sees the whole district rather than their own slice of it. */
export function isDistrictWide(u: Pick<AuthUser, 'roles'>): boolean {
  return u.roles.some((r) => DISTRICT_WIDE_ROLES.includes(r));
}

/** The district view of a principal, or null when the principal is not scoped to a district. */
export function asDistrictUser(p: Principal): AuthUser | null {
  if (p.scope !== 'district' || !p.districtId) return null;
  return { id: p.id, districtId: p.districtId, roles: p.roles as Role[], enterpriseId: p.enterpriseId, departmentId: p.departmentId };
}
