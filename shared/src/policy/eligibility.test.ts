import fc from 'fast-check';
import { evaluateEligibility, validateEligibility, type Condition, type Eligibility, type EligibilityProfile } from './eligibility';
import { CERTIFICATION_KINDS, REVENUE_BANDS, SIZE_CLASSES, TAX_BANDS } from './policy-labels';

const AREAS = ['a1', 'a2', 'a3'];
const LIBS = ['l1', 'l2'];
const TODAY = '2026-06-15';
const day = fc.integer({ min: 0, max: 3650 }).map((n) => new Date(Date.UTC(2018, 0, 1) + n * 86400000).toISOString().slice(0, 10));

const profileArb: fc.Arbitrary<EligibilityProfile> = fc.record({
  areaId: fc.constantFrom(...AREAS),
  industrySection: fc.option(fc.constantFrom('C', 'I', 'M'), { nil: null }),
  industryDivision: fc.option(fc.constantFrom('13', '39', '65'), { nil: null }),
  sizeClass: fc.option(fc.constantFrom(...SIZE_CLASSES), { nil: null }),
  aboveScale: fc.option(fc.boolean(), { nil: null }),
  foundedOn: fc.option(day, { nil: null }),
  employees: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  revenueBand: fc.option(fc.constantFrom(...REVENUE_BANDS), { nil: null }),
  taxBand: fc.option(fc.constantFrom(...TAX_BANDS), { nil: null }),
  certifications: fc.array(fc.record({ kind: fc.constantFrom(...CERTIFICATION_KINDS), certifiedOn: day, expiresOn: fc.option(day, { nil: null }) }), { maxLength: 3 }),
  libraries: fc.array(fc.record({ libraryId: fc.constantFrom(...LIBS), joinedOn: day, leftOn: fc.option(day, { nil: null }) }), { maxLength: 3 }),
});

const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ field: fc.constant('industry_section' as const), in: fc.subarray(['C', 'I', 'M', 'A'], { minLength: 1 }) }),
  fc.record({ field: fc.constant('industry_division' as const), in: fc.subarray(['13', '39', '65', '01'], { minLength: 1 }) }),
  fc.record({ field: fc.constant('size_class' as const), in: fc.subarray([...SIZE_CLASSES], { minLength: 1 }) }),
  fc.record({ field: fc.constant('above_scale' as const), equals: fc.boolean() }),
  fc.record({ field: fc.constant('certification' as const), kind: fc.constantFrom(...CERTIFICATION_KINDS), validOn: fc.option(day, { nil: undefined }) }, { requiredKeys: ['field', 'kind'] }),
  fc.record({ field: fc.constant('library' as const), libraryId: fc.constantFrom(...LIBS), on: fc.option(day, { nil: undefined }) }, { requiredKeys: ['field', 'libraryId'] }),
  fc.record({ field: fc.constant('area' as const), in: fc.subarray(AREAS, { minLength: 1 }) }),
  fc.record({ field: fc.constant('founded_before' as const), date: day }),
  fc.record({ field: fc.constant('employees_at_least' as const), value: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ field: fc.constant('revenue_at_least' as const), band: fc.constantFrom(...REVENUE_BANDS) }),
  fc.record({ field: fc.constant('tax_at_least' as const), band: fc.constantFrom(...TAX_BANDS) }),
);
const eligibilityArb: fc.Arbitrary<Eligibility> = fc.record({ match: fc.constantFrom('all' as const, 'any' as const), conditions: fc.array(conditionArb, { maxLength: 5 }) });

/** Independent evaluation: 1 = met, 0.5 = unknown, 0 = not met; all = min, any = max (Kleene as numbers). */
function oracle(e: Eligibility, p: EligibilityProfile): number {
  const known = <T>(v: T | null, f: (v: T) => boolean) => (v === null ? 0.5 : f(v) ? 1 : 0);
  const ts = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const one = (c: Condition): number => {
    switch (c.field) {
      case 'industry_section': return known(p.industrySection, (v) => c.in.indexOf(v) >= 0);
      case 'industry_division': return known(p.industryDivision, (v) => c.in.indexOf(v) >= 0);
      case 'size_class': return known(p.sizeClass, (v) => c.in.indexOf(v) >= 0);
      case 'above_scale': return known(p.aboveScale, (v) => v === c.equals);
      case 'certification': { const on = ts(c.validOn ?? TODAY); return p.certifications.some((x) => x.kind === c.kind && ts(x.certifiedOn) <= on && (!x.expiresOn || ts(x.expiresOn) >= on)) ? 1 : 0; }
      case 'library': { const on = ts(c.on ?? TODAY); return p.libraries.some((m) => m.libraryId === c.libraryId && ts(m.joinedOn) <= on && !(m.leftOn && ts(m.leftOn) <= on)) ? 1 : 0; }
      case 'area': return c.in.indexOf(p.areaId) >= 0 ? 1 : 0;
      case 'founded_before': return known(p.foundedOn, (v) => ts(v) < ts(c.date));
      case 'employees_at_least': return known(p.employees, (v) => v >= c.value);
      case 'revenue_at_least': return known(p.revenueBand, (v) => REVENUE_BANDS.findIndex((b) => b === v) >= REVENUE_BANDS.findIndex((b) => b === c.band));
      case 'tax_at_least': return known(p.taxBand, (v) => TAX_BANDS.findIndex((b) => b === v) >= TAX_BANDS.findIndex((b) => b === c.band));
    }
  };
  const vals = e.conditions.map(one);
  if (!vals.length) return 1;
  return e.match === 'all' ? Math.min(...vals) : Math.max(...vals);
}
const asNumber = { met: 1, unknown: 0.5, not_met: 0 } as const;

const blank: EligibilityProfile = {
  areaId: 'a1', industrySection: null, industryDivision: null, sizeClass: null, aboveScale: true, foundedOn: null, employees: null,
  revenueBand: null, taxBand: null, certifications: [{ kind: 'specialized', certifiedOn: '2025-03-10', expiresOn: '2028-03-09' }], libraries: [],
};

describe('policy eligibility', () => {
  test('explains a match the way the office writes it', () => {
    const r = evaluateEligibility({ match: 'all', conditions: [
      { field: 'certification', kind: 'specialized' }, { field: 'above_scale', equals: true }, { field: 'revenue_at_least', band: '20m_100m' },
    ] }, blank, { today: TODAY });
    expect(r.outcome).toBe('unknown');
    expect(r.explanation).toBe('符合：专精特新（2025-03 认定）、规模以上；待核实：上年营收');
  });

  test('an expired certification and a library left are not met; unknown is never met', () => {
    const p = { ...blank, certifications: [{ kind: 'high_tech' as const, certifiedOn: '2022-01-01', expiresOn: '2025-01-01' }], libraries: [{ libraryId: 'l1', joinedOn: '2024-01-01', leftOn: '2026-01-01' }] };
    expect(evaluateEligibility({ match: 'any', conditions: [{ field: 'certification', kind: 'high_tech' }] }, p, { today: TODAY }).outcome).toBe('not_met');
    expect(evaluateEligibility({ match: 'any', conditions: [{ field: 'library', libraryId: 'l1' }] }, p, { today: TODAY }).outcome).toBe('not_met');
    expect(evaluateEligibility({ match: 'any', conditions: [{ field: 'library', libraryId: 'l1', on: '2025-06-01' }] }, p, { today: TODAY, libraryNames: { l1: '重点企业培育库' } }).explanation).toBe('符合：入选重点企业培育库');
    expect(evaluateEligibility({ match: 'any', conditions: [{ field: 'employees_at_least', value: 1 }] }, p, { today: TODAY }).outcome).toBe('unknown');
  });

  test('random enterprises and condition sets agree with an independent evaluation', () => {
    fc.assert(fc.property(eligibilityArb, profileArb, (e, p) => {
      const r = evaluateEligibility(e, p, { today: TODAY });
      expect(asNumber[r.outcome]).toBe(oracle(e, p));
      // unknown never counts as met: forgetting data can never turn a non-match into a match
      const forgotten = { ...p, employees: null, revenueBand: null, taxBand: null, foundedOn: null, sizeClass: null, industrySection: null, industryDivision: null };
      const r2 = evaluateEligibility(e, forgotten, { today: TODAY });
      if (r.outcome !== 'met') expect(r2.outcome).not.toBe('met');
    }), { numRuns: 2000 });
  });

  test('validation names unknown fields and bad values in Chinese', () => {
    const known = { libraryIds: new Set(['l1']), areaIds: new Set(['a1']) };
    expect(validateEligibility({ match: 'all', conditions: [{ field: 'area', in: ['a1'] }, { field: 'library', libraryId: 'l1' }] }, known)).toEqual([]);
    const issues = validateEligibility({ match: 'both', extra: 1, conditions: [{ field: 'profit', value: 3 }, { field: 'area', in: ['zz'] }, { field: 'employees_at_least', value: -1, x: 1 }] }, known);
    expect(issues.map((i) => i.message)).toEqual([
      '未知的字段“extra”', '条件组合方式须为“全部满足”或“满足其一”', '第1个条件：未知的条件字段“profit”', '第2个条件：所选属地不属于本区县',
      '第3个条件：未知的字段“x”', '第3个条件：从业人数须为非负整数',
    ]);
    expect(validateEligibility(null, known)).toHaveLength(1);
    fc.assert(fc.property(eligibilityArb, (e) => {
      expect(validateEligibility(e, { libraryIds: new Set(LIBS), areaIds: new Set(AREAS) })).toEqual([]);
    }));
  });
});
