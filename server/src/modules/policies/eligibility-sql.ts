import { REVENUE_BANDS, TAX_BANDS, type Condition, type Eligibility } from '@guanjia/shared';

/**
 * The eligibility document compiled to one SQL boolean over `enterprise e` (ADR 0014): SQL's three-valued logic is
 * the pure function's Kleene logic — TRUE = met, FALSE = not met, NULL = unknown (missing data) — so AND / OR of
 * the conditions give `all` / `any` exactly, and a NULL never counts as met. Used where only outcomes are needed
 * (the editor's live count over the whole district, in one statement); publishing still runs the pure function
 * page by page because every stored match carries its explanation. A fast-check test holds the two to the same
 * answer on random profiles and condition sets.
 *
 * `p` binds a parameter (sqlParams); `today` is the district's date (Asia/Shanghai), as the pure function's context.
 */
export function eligibilitySql(el: Eligibility, today: string, p: (v: unknown) => string): string {
  if (!el.conditions.length) return 'TRUE';
  const parts = el.conditions.map((c) => `(${conditionSql(c, today, p)})`);
  return `(${parts.join(el.match === 'all' ? ' AND ' : ' OR ')})`;
}

function conditionSql(c: Condition, today: string, p: (v: unknown) => string): string {
  switch (c.field) {
    case 'industry_section': return `e.industry_section::text = ANY(${p(c.in)}::text[])`;
    case 'industry_division': return `e.industry_division::text = ANY(${p(c.in)}::text[])`;
    case 'size_class': return `e.size_class = ANY(${p(c.in)}::text[])`;
    case 'above_scale': return `(e.scale = 'above') = ${p(c.equals)}::boolean`;
    // records are authoritative: no valid certificate / membership is "not met", never unknown
    case 'certification': {
      const on = p(c.validOn ?? today);
      return `EXISTS (SELECT 1 FROM enterprise_certification ec WHERE ec.enterprise_id = e.id AND ec.kind = ${p(c.kind)}
                 AND ec.certified_on <= ${on}::date AND (ec.expires_on IS NULL OR ec.expires_on >= ${on}::date))`;
    }
    case 'library': {
      const on = p(c.on ?? today);
      return `EXISTS (SELECT 1 FROM library_membership lm WHERE lm.enterprise_id = e.id AND lm.library_id = ${p(c.libraryId)}::uuid
                 AND lm.joined_on <= ${on}::date AND (lm.left_on IS NULL OR lm.left_on > ${on}::date))`;
    }
    case 'area': return `e.area_id = ANY(${p(c.in)}::uuid[])`;
    case 'founded_before': return `e.founded_on < ${p(c.date)}::date`;
    case 'employees_at_least': return `e.employees >= ${p(c.value)}::int`;
    // bands are ordered: array_position of NULL is NULL (unknown)
    case 'revenue_at_least': return `array_position(${p([...REVENUE_BANDS])}::text[], e.revenue_band::text) >= ${p(REVENUE_BANDS.indexOf(c.band) + 1)}::int`;
    case 'tax_at_least': return `array_position(${p([...TAX_BANDS])}::text[], e.tax_band::text) >= ${p(TAX_BANDS.indexOf(c.band) + 1)}::int`;
  }
}

/** The outcome column ('met' / 'not_met' / 'unknown') of an eligibility expression. */
export const outcomeSql = (expr: string) => `CASE WHEN ${expr} THEN 'met' WHEN NOT ${expr} THEN 'not_met' ELSE 'unknown' END`;
