import { CITY_ROLES, type Role, type Scope } from '@guanjia/shared';
import type { Principal } from '../../lib/principal';

/**
 * Who reads a city's comparison of its districts (ADR 0008): a city-scoped person (市级 coordinator or leader) reads
 * the districts of their own city, side by side; nobody reads another city's. District people — even a district's
 * coordinator or leader — and the platform operator do not read city comparisons.
 */

/** The route guard of the city routes: `requireScope(CITY_GUARD.scopes, CITY_GUARD.roles)`. */
export const CITY_GUARD = {
  scopes: ['city'],
  roles: CITY_ROLES,
} as const satisfies { scopes: readonly Scope[]; roles: readonly Role[] };

/** May this principal read the comparison of the districts of city `cityCode`? */
export function mayReadCity(p: Pick<Principal, 'scope' | 'cityCode' | 'roles'>, cityCode: string): boolean {
  return p.scope === 'city' && !!p.cityCode && p.cityCode === cityCode && p.roles.some((r) => CITY_GUARD.roles.some((c) => c === r));
}
