import type { Role } from '@guanjia/shared';
import type { AuthUser } from './principal';

/**
 * The building blocks of the per-resource policy modules (`modules/<resource>/<resource>.policy.ts`). Each policy
 * answers "may this caller see or change this row" in JavaScript and builds the same rule as an SQL condition for
 * lists. Role groups come from shared/src/roles.ts; a policy never spells out its own list of role names.
 */

/** An SQL visibility condition: null when the caller sees the whole district, 'none' when they see nothing. */
export type Visibility = string | null | 'none';

/** A parameter binder, as `sqlParams().p`. */
export type Bind = (v: unknown) => string;

/** True when the caller holds at least one of `roles`. */
export function holdsAny(auth: Pick<AuthUser, 'roles'>, roles: readonly Role[]): boolean {
  return auth.roles.some((r) => roles.includes(r));
}

/** The union of a caller's slices as one condition; 'none' when they have no slice. */
export function anyOf(ors: string[]): Visibility {
  return ors.length ? `(${ors.join(' OR ')})` : 'none';
}

/** Adds a visibility condition to a WHERE list; returns false when the caller sees nothing (skip the query). */
export function applyVisibility(where: string[], v: Visibility): boolean {
  if (v === 'none') return false;
  if (v) where.push(v);
  return true;
}
