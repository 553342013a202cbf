/**
 * 交办 routing rules, pure: which rule routes a ticket, and which rule sets are a configuration error.
 *
 * A rule names a category (top-level or second-level), optionally an area (属地) and optionally an enterprise
 * tag (重点企业, 专精特新…). It matches a ticket whose category is the rule's category or a child of it, whose
 * enterprise lies in the area (when set) and carries the tag (when set).
 *
 * Specificity counts what the rule pins down: a second-level category counts 2, a top-level one 1, an area 1,
 * a tag 1. Among the matching rules the most specific wins; among equally specific ones the higher `priority`
 * wins. A rule set is valid when that leaves exactly one winner for every possible ticket — `findRoutingConflicts`
 * checks it when a rule is saved, so routing itself never has to guess.
 */

/** What routing needs to know of a rule. */
export type RoutingRuleKey = {
  id: string;
  categoryId: string;
  areaId: string | null;
  enterpriseTag: string | null;
  priority: number;
};

/** The category tree as parent links (two levels). */
export type CategoryParents = ReadonlyMap<string, string | null>;

/** What routing needs to know of a ticket: its category, its enterprise's area and tags. */
export type RoutingTarget = { categoryId: string; areaId: string; enterpriseTags: readonly string[] };

/** How specific a rule is: second-level category 2 (top-level 1), +1 for an area, +1 for a tag. */
export function ruleSpecificity(rule: RoutingRuleKey, parents: CategoryParents): number {
  const categoryWeight = parents.get(rule.categoryId) ? 2 : 1;
  return categoryWeight + (rule.areaId ? 1 : 0) + (rule.enterpriseTag ? 1 : 0);
}

/** True when `rule` applies to `target`. */
export function ruleMatches(rule: RoutingRuleKey, target: RoutingTarget, parents: CategoryParents): boolean {
  const categoryOk = rule.categoryId === target.categoryId || rule.categoryId === (parents.get(target.categoryId) ?? null);
  if (!categoryOk) return false;
  if (rule.areaId && rule.areaId !== target.areaId) return false;
  if (rule.enterpriseTag && !target.enterpriseTags.includes(rule.enterpriseTag)) return false;
  return true;
}

/** -1, 0, 1: how `a` ranks against `b` (specificity first, then priority). */
function rank(a: RoutingRuleKey, b: RoutingRuleKey, parents: CategoryParents): number {
  const d = ruleSpecificity(a, parents) - ruleSpecificity(b, parents);
  if (d !== 0) return Math.sign(d);
  return Math.sign(a.priority - b.priority);
}

/** Result of routing one ticket: the winning rule, nothing (dispatch queue), or a tie (broken configuration). */
export type RoutingDecision =
  | { kind: 'matched'; rule: RoutingRuleKey; specificity: number; candidates: number }
  | { kind: 'none' }
  | { kind: 'tie'; ruleIds: string[] };

/** Picks the rule for a ticket: the most specific, then highest priority; a tie is reported, never guessed. */
export function pickRoutingRule(rules: readonly RoutingRuleKey[], target: RoutingTarget, parents: CategoryParents): RoutingDecision {
  const matching = rules.filter((r) => ruleMatches(r, target, parents));
  if (!matching.length) return { kind: 'none' };
  const sorted = [...matching].sort((a, b) => rank(b, a, parents));
  const best = sorted[0];
  const tied = sorted.filter((r) => rank(r, best, parents) === 0);
  if (tied.length > 1) return { kind: 'tie', ruleIds: tied.map((r) => r.id).sort() };
  return { kind: 'matched', rule: best, specificity: ruleSpecificity(best, parents), candidates: matching.length };
}

/** The tickets two rules both match: a category, an area (null: any) and the tags a ticket must carry. */
type Overlap = { categoryId: string; areaId: string | null; requiredTags: string[] };

function overlap(a: RoutingRuleKey, b: RoutingRuleKey, parents: CategoryParents): Overlap | null {
  let categoryId: string;
  if (a.categoryId === b.categoryId) categoryId = a.categoryId;
  else if (parents.get(a.categoryId) === b.categoryId) categoryId = a.categoryId;
  else if (parents.get(b.categoryId) === a.categoryId) categoryId = b.categoryId;
  else return null;
  if (a.areaId && b.areaId && a.areaId !== b.areaId) return null;
  const requiredTags = [...new Set([a.enterpriseTag, b.enterpriseTag].filter((t): t is string => !!t))];
  return { categoryId, areaId: a.areaId ?? b.areaId, requiredTags };
}

/** True when `c` matches every ticket of the overlap (so it decides those tickets, if it outranks the pair). */
function covers(c: RoutingRuleKey, o: Overlap, parents: CategoryParents): boolean {
  const categoryOk = c.categoryId === o.categoryId || c.categoryId === (parents.get(o.categoryId) ?? null);
  if (!categoryOk) return false;
  if (c.areaId && c.areaId !== o.areaId) return false;
  if (c.enterpriseTag && !o.requiredTags.includes(c.enterpriseTag)) return false;
  return true;
}

/** Two rules that would tie on some ticket, with a description of the tickets concerned. */
export type RoutingConflict = { ruleIds: [string, string]; categoryId: string; areaId: string | null; enterpriseTags: string[] };

/**
 * Every pair of rules that would tie: they match some ticket in common, rank equal (specificity and priority),
 * and no rule that outranks them both covers all of those common tickets. Empty means every ticket has exactly one
 * winning rule or none. O(n²·n) on a district's rules: a few hundred at most.
 */
export function findRoutingConflicts(rules: readonly RoutingRuleKey[], parents: CategoryParents): RoutingConflict[] {
  const out: RoutingConflict[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i];
      const b = rules[j];
      if (rank(a, b, parents) !== 0) continue;
      const o = overlap(a, b, parents);
      if (!o) continue;
      const resolved = rules.some((c) => c !== a && c !== b && rank(c, a, parents) > 0 && covers(c, o, parents));
      if (!resolved) out.push({ ruleIds: [a.id, b.id], categoryId: o.categoryId, areaId: o.areaId, enterpriseTags: o.requiredTags });
    }
  }
  return out;
}
