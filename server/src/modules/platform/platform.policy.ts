import { OPERATOR_ROLE, type PrincipalRole, type Scope } from '@guanjia/shared';
import type { Principal } from '../../lib/principal';

/**
 * Who runs the deployment (ADR 0008): only the platform operator — a platform-scoped person holding the operator
 * role — lists and creates districts (with their first administrator) and enters the national calendar. No
 * district or city person does, whatever their roles; and the operator reads no district's data (the district
 * routes refuse the platform scope).
 */

/** The route guard of the operator's routes: `requireScope(PLATFORM_GUARD.scopes, PLATFORM_GUARD.roles)`. */
export const PLATFORM_GUARD = {
  scopes: ['platform'],
  roles: [OPERATOR_ROLE],
} as const satisfies { scopes: readonly Scope[]; roles: readonly PrincipalRole[] };

/** May this principal act as the platform operator? */
export function mayOperatePlatform(p: Pick<Principal, 'scope' | 'roles'>): boolean {
  return PLATFORM_GUARD.scopes.some((s) => s === p.scope) && p.roles.some((r) => PLATFORM_GUARD.roles.some((o) => o === r));
}
