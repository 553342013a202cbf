import { DESK_ROLES, DISTRICT_WIDE_ROLES, type RankingKind, type Role, type StatsScope } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny } from '../../lib/policy';

/**
 * Who reads which figures (指标, 排名, 工作报告) and ledgers (台账), in one module. Everything is scoped to the
 * caller's district first.
 * - coordinators, leaders and admins (district-wide): any scope of the district (district, area, department,
 *   steward, category), every ledger, live rankings and the work report;
 * - coordinators and admins (the desk) also keep the indicator settings and publish rankings;
 * - department staff: their own department's figures and ticket ledger (naming another department is refused),
 *   published department rankings;
 * - stewards: their own figures and visit ledger, published steward rankings;
 * - enterprise contacts: none.
 */

export const INDICATOR_ROLES = {
  /** figures of a scope (department staff and stewards: their own) */
  read: [...DISTRICT_WIDE_ROLES, 'department', 'steward'],
  /** live rankings, the work report, any scope */
  districtWide: DISTRICT_WIDE_ROLES,
  /** indicator settings, publishing a ranking */
  edit: DESK_ROLES,
} as const satisfies Record<string, readonly Role[]>;

export const LEDGER_ROLES = {
  tickets: [...DISTRICT_WIDE_ROLES, 'department'],
  visits: [...DISTRICT_WIDE_ROLES, 'steward'],
  projects: [...DISTRICT_WIDE_ROLES, 'department', 'steward'],
  /** the ranking tables: department staff and stewards only what was published for their kind (rankingLedgerSource) */
  rankings: [...DISTRICT_WIDE_ROLES, 'department', 'steward'],
} as const satisfies Record<string, readonly Role[]>;

/**
 * The scope a caller's figures are computed for: district-wide roles ask for any (`asked`); department staff get
 * their department and stewards themselves (asking for another is refused: 'forbidden'); anyone else is refused.
 */
export function statsScopeFor(auth: AuthUser, kind: StatsScope | undefined, id: string | undefined):
  { kind: StatsScope | undefined; id: string | undefined; asked: boolean } | 'forbidden' {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return { kind, id, asked: true };
  if (auth.roles.includes('department') && auth.departmentId) {
    if ((kind && kind !== 'department') || (id && id !== auth.departmentId)) return 'forbidden';
    return { kind: 'department', id: auth.departmentId, asked: false };
  }
  if (auth.roles.includes('steward')) {
    if ((kind && kind !== 'steward') || (id && id !== auth.id)) return 'forbidden';
    return { kind: 'steward', id: auth.id, asked: false };
  }
  return 'forbidden';
}

/** Which published rankings a caller may read: district-wide roles all; department staff department ones; stewards steward ones. */
export function visibleRankingKinds(auth: AuthUser): RankingKind[] {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return ['department', 'steward'];
  const kinds: RankingKind[] = [];
  if (auth.roles.includes('department') && auth.departmentId) kinds.push('department');
  if (auth.roles.includes('steward')) kinds.push('steward');
  return kinds;
}

/**
 * Where a ranking ledger's rows come from: district-wide roles read the live ranking of any month (`live`); department
 * staff and stewards read the published ranking of their kind (`published`); anyone else is refused.
 */
export function rankingLedgerSource(auth: AuthUser, kind: RankingKind): 'live' | 'published' | 'forbidden' {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return 'live';
  return visibleRankingKinds(auth).includes(kind) ? 'published' : 'forbidden';
}

/** A ledger filter naming a department: department staff (not district-wide) may name only their own. */
export function mayFilterByDepartment(auth: AuthUser, departmentId: string): boolean {
  return holdsAny(auth, DISTRICT_WIDE_ROLES) || !auth.roles.includes('department') || departmentId === auth.departmentId;
}

/** The visit ledger's rows: the district for district-wide roles, a steward's own, nothing for anyone else. */
export function visitLedgerScope(auth: AuthUser): 'district' | 'own' | 'none' {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return 'district';
  return auth.roles.includes('steward') ? 'own' : 'none';
}
