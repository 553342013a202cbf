import { DESK_ROLES, DISTRICT_WIDE_ROLES, type Role, type TicketRole } from '@guanjia/shared';
import type { AuthUser } from '../../../lib/principal';
import type { Queryable } from '../../../lib/sql';
import { anyOf, holdsAny, type Bind, type Visibility } from '../../../lib/policy';

/**
 * Who may see which ticket (诉求), in one module (ADR 0005, "Guarantees"):
 * - enterprise contacts: their own enterprise's tickets, public events only;
 * - stewards: tickets of the enterprises currently assigned to them;
 * - department staff: tickets their department is assigned to now (lead 主办 or assisting 协办);
 * - coordinators, leaders and admins: their district's.
 * A person holding several roles sees the union. Everything is scoped to the caller's district first. What each
 * role may do to a ticket it sees is the shared machine's answer (shared/src/ticket-machine.ts) for its ticket roles.
 */

/** Who may call each kind of ticket endpoint (the route guards); the functions below decide which rows. */
export const TICKET_ROLES = {
  /** file a ticket, and look for similar ones first: contacts for their enterprise, stewards for an assigned one */
  file: ['enterprise', 'steward'],
  /** 催办: the enterprise that filed it, on its own overdue ticket */
  urge: ['enterprise'],
  /** categories, routing rules and ticket settings (the district desk) */
  manage: DESK_ROLES,
  /** routing rules and their preview, return-visit lists, statistics and the monthly report */
  oversee: DISTRICT_WIDE_ROLES,
  /** record a coordination meeting (协调会, level 4) */
  meet: ['coordinator', 'leader'],
  /** preview an extension (延期试算): the lead department's staff (the service checks it is the lead) */
  previewExtension: ['department'],
  /** sign for a 督办单 addressed to one's department */
  acknowledgeSupervision: ['department'],
  /** report a 督办单 done: its department, or a coordinator for it */
  completeSupervision: ['department', 'coordinator'],
  /** record a return visit's result (回访) */
  recordReturnVisit: ['coordinator'],
} as const satisfies Record<string, readonly Role[]>;

/** The caller's relation to one ticket: the machine roles they act in, and what they may read. */
export type TicketRelation = { roles: TicketRole[]; canSee: boolean; seesInternal: boolean };

/** What the relation needs of the ticket. */
export type AccessFacts = { district_id: string; enterprise_id: string; lead_department_id: string | null; assisting_department_ids: string[] };

/** True when the person is an active steward of the enterprise (one query; skipped for non-stewards). */
export async function isStewardOf(db: Queryable, auth: AuthUser, enterpriseId: string): Promise<boolean> {
  if (!auth.roles.includes('steward')) return false;
  const rows = await db.query(`SELECT 1 FROM assignment WHERE steward_id = $1 AND enterprise_id = $2 AND ends_on IS NULL`, [auth.id, enterpriseId]);
  return rows.length > 0;
}

/**
 * The role in which the caller files a ticket for an enterprise: its own contact, or a steward currently assigned
 * to it (`stewarded`, read with the enterprise); null when neither — that enterprise is not theirs to file for.
 */
export function filingRole(auth: AuthUser, enterpriseId: string, stewarded: boolean): 'enterprise' | 'steward' | null {
  if (auth.roles.includes('enterprise') && auth.enterpriseId === enterpriseId) return 'enterprise';
  return auth.roles.includes('steward') && stewarded ? 'steward' : null;
}

/** Whether a list shows (and may filter by) the internal handling: everyone but a person who is only an enterprise contact. */
export function seesInternalHandling(auth: AuthUser): boolean {
  return auth.roles.some((r) => r !== 'enterprise');
}

/** Maps a person to their roles on this ticket, in the order actions try them. */
export function relationTo(auth: AuthUser, t: AccessFacts, steward: boolean): TicketRelation {
  if (auth.districtId !== t.district_id) return { roles: [], canSee: false, seesInternal: false };
  const roles: TicketRole[] = [];
  const dep = auth.roles.includes('department') ? auth.departmentId : null;
  if (dep && dep === t.lead_department_id) roles.push('department');
  if (dep && t.assisting_department_ids.includes(dep)) roles.push('assisting_department');
  if (auth.roles.includes('coordinator')) roles.push('coordinator');
  if (auth.roles.includes('leader')) roles.push('leader');
  if (steward) roles.push('steward');
  if (auth.roles.includes('enterprise') && auth.enterpriseId === t.enterprise_id) roles.push('enterprise');
  const admin = auth.roles.includes('admin');
  const canSee = roles.length > 0 || admin;
  const seesInternal = admin || roles.some((r) => r !== 'enterprise');
  return { roles, canSee, seesInternal };
}

/** The ticket role a caller records a coordination meeting in (coordinator or leader), or undefined. */
export function meetingRole(rel: TicketRelation): TicketRole | undefined {
  return rel.roles.find((r) => (TICKET_ROLES.meet as readonly string[]).includes(r));
}

/** Loads whatever `relationTo` needs beyond the token (the steward assignment) and returns the relation. */
export async function relationOf(db: Queryable, auth: AuthUser, t: AccessFacts): Promise<TicketRelation> {
  if (auth.districtId !== t.district_id) return relationTo(auth, t, false);
  return relationTo(auth, t, await isStewardOf(db, auth, t.enterprise_id));
}

/**
 * The same rule as SQL for lists: a condition on ticket alias `t`, adding its parameters through `p`. Returns null
 * when the caller sees the whole district (no extra condition) and 'none' when they see nothing.
 */
export function visibilitySql(auth: AuthUser, p: Bind): Visibility {
  if (holdsAny(auth, DISTRICT_WIDE_ROLES)) return null;
  const ors: string[] = [];
  if (auth.roles.includes('enterprise') && auth.enterpriseId) ors.push(`t.enterprise_id = ${p(auth.enterpriseId)}`);
  if (auth.roles.includes('department') && auth.departmentId) {
    const d = p(auth.departmentId);
    ors.push(`(t.lead_department_id = ${d}::uuid OR ${d}::uuid = ANY(t.assisting_department_ids))`);
  }
  if (auth.roles.includes('steward')) {
    ors.push(`EXISTS (SELECT 1 FROM assignment s WHERE s.enterprise_id = t.enterprise_id AND s.steward_id = ${p(auth.id)} AND s.ends_on IS NULL)`);
  }
  return anyOf(ors);
}
