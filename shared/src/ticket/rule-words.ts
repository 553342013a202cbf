/**
 * A routing rule in plain words for the people who maintain rules (docs/screens.md): "政务服务类、渤海街道的诉求 → 交给
 * 行政审批局，人社局协办" instead of its internal specificity and priority numbers.
 */
export type RuleForWords = {
  category: { name: string };
  area?: { name: string } | null;
  enterpriseTag?: string | null;
  leadDepartment: { name: string };
  assistingDepartments: { name: string }[];
  priority?: number;
};

/** The rule as one sentence. */
export function describeRule(r: RuleForWords): string {
  const scope = [`${r.category.name}类`, r.area?.name, r.enterpriseTag ? `标签为「${r.enterpriseTag}」的企业` : null].filter(Boolean).join('、');
  const helpers = r.assistingDepartments.length ? `，${r.assistingDepartments.map((d) => d.name).join('、')}协办` : '';
  const first = r.priority ? '（同样适用的规则中优先）' : '';
  return `${scope}的诉求 → 交给 ${r.leadDepartment.name}${helpers}${first}`;
}
