import { DESK_ROLES, DISTRICT_WIDE_ROLES, type Role } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { holdsAny, type Bind, type Visibility } from '../../lib/policy';

/**
 * Who sees and does what with a survey (问卷), in one module. Everything is scoped to the caller's district first.
 * - coordinators and admins (the desk) build surveys: they see drafts, create, edit and publish;
 * - coordinators, leaders and admins (district-wide) read every published survey, its results and its export;
 * - enterprise contacts read and answer a published, open survey that targets their enterprise;
 * - stewards and department staff: none.
 */

export const SURVEY_ROLES = {
  /** create, edit, publish */
  build: DESK_ROLES,
  /** results and the .xlsx export */
  results: DISTRICT_WIDE_ROLES,
  /** answer */
  respond: ['enterprise'],
} as const satisfies Record<string, readonly Role[]>;

/** What the policy needs of a survey; `targeted` is whether it targets the caller's enterprise (a query). */
export type SurveyFacts = { district_id: string; status: string };

/** True when reading a survey needs the target check for the caller's enterprise (not district-wide). */
export function needsTargetCheck(auth: AuthUser): boolean {
  return !holdsAny(auth, DISTRICT_WIDE_ROLES);
}

/** The caller's standing on one survey; `targeted`: it targets the caller's enterprise. */
export function surveyAccess(auth: AuthUser, s: SurveyFacts, targeted: boolean): { canSee: boolean; builds: boolean; seesResults: boolean } {
  const none = { canSee: false, builds: false, seesResults: false };
  if (auth.districtId !== s.district_id) return none;
  const builds = holdsAny(auth, DESK_ROLES);
  if (s.status === 'draft' && !builds) return none;
  const wide = holdsAny(auth, DISTRICT_WIDE_ROLES);
  const canSee = wide || (!!auth.enterpriseId && targeted);
  return { canSee, builds: canSee && builds, seesResults: canSee && wide };
}

/** True when the caller sees drafts (the desk). */
export function seesDrafts(auth: AuthUser): boolean {
  return holdsAny(auth, DESK_ROLES);
}

/**
 * The list rule as SQL on survey alias `s`: builders read drafts too, others open surveys; outside the
 * district-wide roles only those targeting the caller's enterprise (its target evaluated per row).
 */
export function surveyVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  const and: string[] = [];
  if (!seesDrafts(auth)) and.push(`s.status = 'open'`);
  if (needsTargetCheck(auth)) {
    if (!auth.enterpriseId) return 'none';
    and.push(`EXISTS (SELECT 1 FROM enterprise e WHERE e.id = ${p(auth.enterpriseId)}::uuid AND ${TARGET_CASE})`);
  }
  return and.length ? and.join(' AND ') : null;
}

/** A survey's target (a per-survey JSON document) evaluated for enterprise `e`, row by row. */
const TARGET_CASE = `CASE s.target->>'kind'
      WHEN 'all' THEN TRUE
      WHEN 'area' THEN e.area_id::text IN (SELECT jsonb_array_elements_text(s.target->'ids'))
      WHEN 'tag' THEN (s.target->>'tag') = ANY(e.tags)
      WHEN 'library' THEN EXISTS (SELECT 1 FROM library_membership lm WHERE lm.enterprise_id = e.id AND lm.left_on IS NULL AND lm.library_id::text IN (SELECT jsonb_array_elements_text(s.target->'ids')))
      WHEN 'policy' THEN EXISTS (SELECT 1 FROM policy_match pm WHERE pm.enterprise_id = e.id AND pm.outcome = 'met' AND pm.policy_id::text IN (SELECT jsonb_array_elements_text(s.target->'ids')))
      ELSE FALSE END`;
