import { ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../src/lib/principal';
import type { Visibility } from '../src/lib/policy';

/**
 * Fixtures for the policy matrix tests (modules/<resource>/<resource>.policy.test.ts): one caller per role of
 * district D1, and the relations a row can have to them. Every matrix is keyed by `Role`, so a role added to
 * shared/src/roles.ts does not compile until each resource says what it may do.
 */
export const D1 = 'district-1';
export const D2 = 'district-2';
export const ME = 'person-me';
export const SOMEONE = 'person-other';
export const OWN_ENT = 'enterprise-own';
export const OTHER_ENT = 'enterprise-other';
export const OWN_DEP = 'department-own';
export const OTHER_DEP = 'department-other';

/** A caller holding one role, in district D1, with their own enterprise and department set when the role has one. */
export function caller(role: Role, over: Partial<AuthUser> = {}): AuthUser {
  return {
    id: ME, districtId: D1, roles: [role],
    enterpriseId: role === 'enterprise' ? OWN_ENT : null,
    departmentId: role === 'department' ? OWN_DEP : null,
    ...over,
  };
}

/**
 * The usual relations of a row to the caller: `own` (their enterprise, department or their own record),
 * `other` (someone else's in the same district) and `otherDistrict` (the same kind of row in district D2).
 */
export const RELATIONS = ['own', 'other', 'otherDistrict'] as const;
export type Relation = (typeof RELATIONS)[number];

/** Y = allowed, '-' = denied, per relation, in RELATIONS order. */
export type Row = `${'Y' | '-'} ${'Y' | '-'} ${'Y' | '-'}`;

/** Expands a `Record<Role, Row>` table into jest `each` cases: [role, relation, allowed]. */
export function cases(table: Record<Role, Row>): [Role, Relation, boolean][] {
  return ROLES.flatMap((role) => {
    const cells = table[role].split(' ');
    return RELATIONS.map((rel, i) => [role, rel, cells[i] === 'Y'] as [Role, Relation, boolean]);
  });
}

/** A role's answer for each role in ROLES order, for tables with one column (e.g. route guards). */
export function roleCases(allowed: Record<Role, boolean>): [Role, boolean][] {
  return ROLES.map((r) => [r, allowed[r]]);
}

/** What an SQL visibility condition amounts to: everything, nothing, or a condition on the row. */
export function shape(v: Visibility): 'all' | 'none' | 'some' {
  return v === null ? 'all' : v === 'none' ? 'none' : 'some';
}

/** The shape a list condition must have given the JS answers for a role (same district rows only). */
export function expectedShape(own: boolean, other: boolean): 'all' | 'none' | 'some' {
  return other ? 'all' : own ? 'some' : 'none';
}
