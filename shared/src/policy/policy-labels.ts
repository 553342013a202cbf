/**
 * Chinese labels for every policy/profile enum a person can see (ADR 0014). One table per enum; the mini-app,
 * the explanations and the exports read only these.
 */

/** Enterprise size class (GB/T 统计上大中小微型企业划分); separate from the 规模以上 flag (`scale`). */
export const SIZE_CLASSES = ['large', 'medium', 'small', 'micro'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];
export const SIZE_CLASS_LABELS: Record<SizeClass, string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };

/**
 * Revenue and tax bands (last year), ordered: a condition says "at least band X". Bands instead of exact figures
 * because stewards enter them from conversation or an import, and a band is what a policy threshold needs.
 */
export const REVENUE_BANDS = ['lt5m', '5m_20m', '20m_100m', '100m_400m', 'ge400m'] as const;
export type RevenueBand = (typeof REVENUE_BANDS)[number];
export const REVENUE_BAND_LABELS: Record<RevenueBand, string> = {
  lt5m: '500万元以下', '5m_20m': '500万–2000万元', '20m_100m': '2000万–1亿元', '100m_400m': '1亿–4亿元', ge400m: '4亿元以上',
};
export const TAX_BANDS = ['lt500k', '500k_2m', '2m_10m', 'ge10m'] as const;
export type TaxBand = (typeof TAX_BANDS)[number];
export const TAX_BAND_LABELS: Record<TaxBand, string> = {
  lt500k: '50万元以下', '500k_2m': '50万–200万元', '2m_10m': '200万–1000万元', ge10m: '1000万元以上',
};

/** Certifications a policy may require; each has a certification date and (usually) an expiry. */
export const CERTIFICATION_KINDS = ['high_tech', 'specialized', 'little_giant', 'tech_sme', 'gazelle', 'unicorn'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];
export const CERTIFICATION_LABELS: Record<CertificationKind, string> = {
  high_tech: '高新技术企业', specialized: '专精特新', little_giant: '专精特新“小巨人”', tech_sme: '科技型中小企业', gazelle: '瞪羚企业', unicorn: '独角兽企业',
};

/** GB/T 4754-2017 门类 (sections A–T). 大类 are the two-digit codes 01–97 inside them. */
export const INDUSTRY_SECTIONS: Record<string, string> = {
  A: '农、林、牧、渔业', B: '采矿业', C: '制造业', D: '电力、热力、燃气及水生产和供应业', E: '建筑业', F: '批发和零售业',
  G: '交通运输、仓储和邮政业', H: '住宿和餐饮业', I: '信息传输、软件和信息技术服务业', J: '金融业', K: '房地产业',
  L: '租赁和商务服务业', M: '科学研究和技术服务业', N: '水利、环境和公共设施管理业', O: '居民服务、修理和其他服务业',
  P: '教育', Q: '卫生和社会工作', R: '文化、体育和娱乐业', S: '公共管理、社会保障和社会组织', T: '国际组织',
};
/** 大类 code ranges per 门类 (GB/T 4754-2017), so a division code can be checked against its section. */
export const INDUSTRY_DIVISION_RANGES: Record<string, [number, number]> = {
  A: [1, 5], B: [6, 12], C: [13, 43], D: [44, 46], E: [47, 50], F: [51, 52], G: [53, 60], H: [61, 62], I: [63, 65], J: [66, 69],
  K: [70, 70], L: [71, 72], M: [73, 75], N: [76, 79], O: [80, 82], P: [83, 83], Q: [84, 85], R: [86, 90], S: [91, 96], T: [97, 97],
};
/** The 门类 a two-digit 大类 belongs to, or null when the code is not a GB/T 4754 大类. */
export function sectionOfDivision(division: string): string | null {
  if (!/^\d{2}$/.test(division)) return null;
  const n = Number(division);
  for (const [s, [lo, hi]] of Object.entries(INDUSTRY_DIVISION_RANGES)) if (n >= lo && n <= hi) return s;
  return null;
}

export const BENEFIT_TYPES = ['subsidy', 'tax', 'finance', 'talent', 'land', 'other'] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];
export const BENEFIT_TYPE_LABELS: Record<BenefitType, string> = {
  subsidy: '资金补贴', tax: '税费减免', finance: '融资支持', talent: '人才', land: '用地', other: '其他',
};

export const POLICY_MODES = ['no_application', 'fast_application', 'inform'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
export const POLICY_MODE_LABELS: Record<PolicyMode, string> = { no_application: '免申即享', fast_application: '快申快享', inform: '告知' };

export const POLICY_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];
export const POLICY_STATUS_LABELS: Record<PolicyStatus, string> = { draft: '草稿', published: '已发布', withdrawn: '已撤回' };

/** 免申即享 willingness (意愿确认) of one matched enterprise. */
export const CONFIRMATION_STATES = ['pending', 'confirmed', 'declined'] as const;
export type ConfirmationState = (typeof CONFIRMATION_STATES)[number];
export const CONFIRMATION_LABELS: Record<ConfirmationState, string> = { pending: '待确认', confirmed: '已确认享受', declined: '已放弃' };

export const OUTCOME_LABELS = { met: '符合', not_met: '不符合', unknown: '待核实' } as const;
