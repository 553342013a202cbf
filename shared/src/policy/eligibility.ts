import {
  CERTIFICATION_KINDS, CERTIFICATION_LABELS, INDUSTRY_SECTIONS, REVENUE_BANDS, REVENUE_BAND_LABELS, SIZE_CLASSES, SIZE_CLASS_LABELS,
  TAX_BANDS, TAX_BAND_LABELS, sectionOfDivision, type CertificationKind, type RevenueBand, type SizeClass, type TaxBand,
} from './policy-labels';

/**
 * Policy eligibility (政策直达, ADR 0014, ADR 0014): one pure function decides, for each condition of a policy,
 * whether an enterprise's profile meets it, does not, or cannot tell (missing data). Server (matching, figures)
 * and mini-app (政策计算器, the "why") call the same function, so a match always explains itself.
 *
 * Three-valued (Kleene) logic: `all` is not met as soon as one condition is not met, unknown while any is unknown,
 * met only when every one is met; `any` is met as soon as one is met. Unknown never counts as met.
 */

export type Outcome = 'met' | 'not_met' | 'unknown';

/** The parts of an enterprise profile a policy can depend on. `null` = not recorded (→ unknown). */
export type EligibilityProfile = {
  areaId: string;
  industrySection: string | null;
  industryDivision: string | null;
  sizeClass: SizeClass | null;
  aboveScale: boolean | null;
  foundedOn: string | null;
  employees: number | null;
  revenueBand: RevenueBand | null;
  taxBand: TaxBand | null;
  /** the certification records (authoritative: none of a kind = not certified) */
  certifications: { kind: CertificationKind; certifiedOn: string; expiresOn: string | null }[];
  /** library membership history (authoritative) */
  libraries: { libraryId: string; joinedOn: string; leftOn: string | null }[];
};

export type Condition =
  | { field: 'industry_section'; in: string[] }
  | { field: 'industry_division'; in: string[] }
  | { field: 'size_class'; in: SizeClass[] }
  | { field: 'above_scale'; equals: boolean }
  | { field: 'certification'; kind: CertificationKind; validOn?: string }
  | { field: 'library'; libraryId: string; on?: string }
  | { field: 'area'; in: string[] }
  | { field: 'founded_before'; date: string }
  | { field: 'employees_at_least'; value: number }
  | { field: 'revenue_at_least'; band: RevenueBand }
  | { field: 'tax_at_least'; band: TaxBand };

export type ConditionField = Condition['field'];
export const CONDITION_FIELDS: readonly ConditionField[] = [
  'industry_section', 'industry_division', 'size_class', 'above_scale', 'certification', 'library', 'area', 'founded_before',
  'employees_at_least', 'revenue_at_least', 'tax_at_least',
];
export const CONDITION_FIELD_LABELS: Record<ConditionField, string> = {
  industry_section: '行业门类', industry_division: '行业大类', size_class: '企业规模', above_scale: '规模以上', certification: '资质认定',
  library: '培育库', area: '属地', founded_before: '成立日期', employees_at_least: '从业人数', revenue_at_least: '上年营收', tax_at_least: '上年纳税',
};

export type Eligibility = { match: 'all' | 'any'; conditions: Condition[] };

/** Names the explanation uses for ids (areas, libraries); missing names fall back to the field label. */
export type EligibilityContext = { today: string; areaNames?: Record<string, string>; libraryNames?: Record<string, string> };

export type ConditionResult = { field: ConditionField; outcome: Outcome; text: string };
export type EligibilityResult = { outcome: Outcome; conditions: ConditionResult[]; explanation: string };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const month = (d: string) => d.slice(0, 7);

/** Evaluates one condition against a profile. */
export function evaluateCondition(c: Condition, p: EligibilityProfile, ctx: EligibilityContext): ConditionResult {
  const r = (outcome: Outcome, text: string): ConditionResult => ({ field: c.field, outcome, text });
  switch (c.field) {
    case 'industry_section': {
      const label = c.in.map((s) => INDUSTRY_SECTIONS[s] ?? s).join('/');
      if (p.industrySection === null) return r('unknown', '行业门类');
      return r(c.in.includes(p.industrySection) ? 'met' : 'not_met', `行业：${label}`);
    }
    case 'industry_division': {
      if (p.industryDivision === null) return r('unknown', '行业大类');
      return r(c.in.includes(p.industryDivision) ? 'met' : 'not_met', `行业大类：${c.in.join('/')}`);
    }
    case 'size_class': {
      if (p.sizeClass === null) return r('unknown', '企业规模');
      return r(c.in.includes(p.sizeClass) ? 'met' : 'not_met', `${c.in.map((s) => SIZE_CLASS_LABELS[s]).join('/')}企业`);
    }
    case 'above_scale': {
      if (p.aboveScale === null) return r('unknown', '是否规模以上');
      return r(p.aboveScale === c.equals ? 'met' : 'not_met', c.equals ? '规模以上' : '规模以下');
    }
    case 'certification': {
      const on = c.validOn ?? ctx.today;
      const label = CERTIFICATION_LABELS[c.kind];
      const valid = p.certifications
        .filter((x) => x.kind === c.kind && x.certifiedOn <= on && (x.expiresOn === null || x.expiresOn >= on))
        .sort((a, b) => (a.certifiedOn < b.certifiedOn ? 1 : -1))[0];
      return valid ? r('met', `${label}（${month(valid.certifiedOn)} 认定）`) : r('not_met', label);
    }
    case 'library': {
      const on = c.on ?? ctx.today;
      const label = ctx.libraryNames?.[c.libraryId] ?? '培育库';
      const inLib = p.libraries.some((m) => m.libraryId === c.libraryId && m.joinedOn <= on && (m.leftOn === null || m.leftOn > on));
      return r(inLib ? 'met' : 'not_met', `入选${label}`);
    }
    case 'area': {
      const names = c.in.map((id) => ctx.areaNames?.[id]).filter(Boolean);
      return r(c.in.includes(p.areaId) ? 'met' : 'not_met', names.length ? `属地：${names.join('/')}` : '属地');
    }
    case 'founded_before': {
      if (p.foundedOn === null) return r('unknown', '成立日期');
      return r(p.foundedOn < c.date ? 'met' : 'not_met', `${c.date} 前成立`);
    }
    case 'employees_at_least': {
      if (p.employees === null) return r('unknown', '从业人数');
      return r(p.employees >= c.value ? 'met' : 'not_met', `从业人数 ${c.value} 人以上`);
    }
    case 'revenue_at_least': {
      if (p.revenueBand === null) return r('unknown', '上年营收');
      const ok = REVENUE_BANDS.indexOf(p.revenueBand) >= REVENUE_BANDS.indexOf(c.band);
      return r(ok ? 'met' : 'not_met', `上年营收${REVENUE_BAND_LABELS[c.band]}及以上`);
    }
    case 'tax_at_least': {
      if (p.taxBand === null) return r('unknown', '上年纳税');
      const ok = TAX_BANDS.indexOf(p.taxBand) >= TAX_BANDS.indexOf(c.band);
      return r(ok ? 'met' : 'not_met', `上年纳税${TAX_BAND_LABELS[c.band]}及以上`);
    }
  }
}

/** Combines per-condition outcomes with Kleene logic. An empty condition list is met (the policy is for everyone). */
export function combineOutcomes(match: 'all' | 'any', outcomes: Outcome[]): Outcome {
  if (!outcomes.length) return 'met';
  if (match === 'all') {
    if (outcomes.includes('not_met')) return 'not_met';
    return outcomes.includes('unknown') ? 'unknown' : 'met';
  }
  if (outcomes.includes('met')) return 'met';
  return outcomes.includes('unknown') ? 'unknown' : 'not_met';
}

/** The sentence shown with a match: "符合：专精特新（2025-03 认定）、规模以上；待核实：上年营收". */
export function explain(results: ConditionResult[]): string {
  const part = (o: Outcome, label: string) => {
    const texts = results.filter((x) => x.outcome === o).map((x) => x.text);
    return texts.length ? `${label}：${texts.join('、')}` : '';
  };
  const parts = [part('met', '符合'), part('unknown', '待核实'), part('not_met', '不符合')].filter(Boolean);
  return parts.length ? parts.join('；') : '面向全部企业';
}

/** Evaluates a policy's eligibility for one enterprise: overall outcome, each condition, and the explanation. */
export function evaluateEligibility(e: Eligibility, p: EligibilityProfile, ctx: EligibilityContext): EligibilityResult {
  const conditions = e.conditions.map((c) => evaluateCondition(c, p, ctx));
  return { outcome: combineOutcomes(e.match, conditions.map((c) => c.outcome)), conditions, explanation: explain(conditions) };
}

export type EligibilityIssue = { path: string; message: string };

const isStrArray = (v: unknown, max = 50): v is string[] => Array.isArray(v) && v.length > 0 && v.length <= max && v.every((x) => typeof x === 'string');

/**
 * Checks an eligibility document arriving from outside (the policy editor): unknown fields, wrong values, dates.
 * Returns every issue with a Chinese message; empty = valid. `libraryIds`/`areaIds` are the district's own.
 */
export function validateEligibility(raw: unknown, known: { libraryIds: Set<string>; areaIds: Set<string> }): EligibilityIssue[] {
  const issues: EligibilityIssue[] = [];
  const base = '/body/eligibility';
  if (typeof raw !== 'object' || raw === null) return [{ path: base, message: '适用条件格式不正确' }];
  const e = raw as Record<string, unknown>;
  for (const k of Object.keys(e)) if (k !== 'match' && k !== 'conditions') issues.push({ path: `${base}/${k}`, message: `未知的字段“${k}”` });
  if (e.match !== 'all' && e.match !== 'any') issues.push({ path: `${base}/match`, message: '条件组合方式须为“全部满足”或“满足其一”' });
  if (!Array.isArray(e.conditions) || e.conditions.length > 20) {
    issues.push({ path: `${base}/conditions`, message: '适用条件须为列表，最多 20 条' });
    return issues;
  }
  e.conditions.forEach((c, i) => {
    const path = `${base}/conditions/${i}`;
    const bad = (message: string) => issues.push({ path, message: `第${i + 1}个条件：${message}` });
    if (typeof c !== 'object' || c === null) return bad('格式不正确');
    const o = c as Record<string, unknown>;
    const field = o.field as ConditionField;
    if (!CONDITION_FIELDS.includes(field)) return bad(`未知的条件字段“${String(o.field).slice(0, 32)}”`);
    const allowed: Record<ConditionField, string[]> = {
      industry_section: ['in'], industry_division: ['in'], size_class: ['in'], above_scale: ['equals'], certification: ['kind', 'validOn'],
      library: ['libraryId', 'on'], area: ['in'], founded_before: ['date'], employees_at_least: ['value'], revenue_at_least: ['band'], tax_at_least: ['band'],
    };
    for (const k of Object.keys(o)) if (k !== 'field' && !allowed[field].includes(k)) bad(`未知的字段“${k.slice(0, 32)}”`);
    switch (field) {
      case 'industry_section': if (!isStrArray(o.in) || !o.in.every((s) => s in INDUSTRY_SECTIONS)) bad('行业门类须为 GB/T 4754 门类代码（A–T）'); break;
      case 'industry_division': if (!isStrArray(o.in, 100) || !o.in.every((s) => sectionOfDivision(s) !== null)) bad('行业大类须为 GB/T 4754 两位大类代码'); break;
      case 'size_class': if (!isStrArray(o.in) || !o.in.every((s) => (SIZE_CLASSES as readonly string[]).includes(s))) bad('企业规模须为大型、中型、小型或微型'); break;
      case 'above_scale': if (typeof o.equals !== 'boolean') bad('请选择规模以上或规模以下'); break;
      case 'certification':
        if (!(CERTIFICATION_KINDS as readonly string[]).includes(o.kind as string)) bad('资质类型不正确');
        if (o.validOn !== undefined && !(typeof o.validOn === 'string' && DATE_RE.test(o.validOn))) bad('有效日期应为 YYYY-MM-DD');
        break;
      case 'library':
        if (typeof o.libraryId !== 'string' || !known.libraryIds.has(o.libraryId)) bad('培育库不存在');
        if (o.on !== undefined && !(typeof o.on === 'string' && DATE_RE.test(o.on))) bad('日期应为 YYYY-MM-DD');
        break;
      case 'area': if (!isStrArray(o.in, 200) || !o.in.every((a) => known.areaIds.has(a))) bad('所选属地不属于本区县'); break;
      case 'founded_before': if (!(typeof o.date === 'string' && DATE_RE.test(o.date))) bad('成立日期应为 YYYY-MM-DD'); break;
      case 'employees_at_least': if (!(Number.isInteger(o.value) && (o.value as number) >= 0 && (o.value as number) <= 10_000_000)) bad('从业人数须为非负整数'); break;
      case 'revenue_at_least': if (!(REVENUE_BANDS as readonly string[]).includes(o.band as string)) bad('营收档次不正确'); break;
      case 'tax_at_least': if (!(TAX_BANDS as readonly string[]).includes(o.band as string)) bad('纳税档次不正确'); break;
    }
  });
  return issues;
}
