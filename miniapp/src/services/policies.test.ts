import { EMPTY_EDITOR, eligibilityOf, outcomeBadge, policyLine } from './policies';

describe('policy view logic', () => {
  test('the editor form becomes an eligibility document, one condition per filled field', () => {
    expect(eligibilityOf(EMPTY_EDITOR)).toEqual({ match: 'all', conditions: [] });
    expect(eligibilityOf({ match: 'any', certifications: ['specialized', 'high_tech'], aboveScale: 'yes', sizes: ['small'], minEmployees: '10', foundedBefore: '2020-01-01' })).toEqual({
      match: 'any',
      conditions: [
        { field: 'certification', kind: 'specialized' }, { field: 'certification', kind: 'high_tech' }, { field: 'above_scale', equals: true },
        { field: 'size_class', in: ['small'] }, { field: 'employees_at_least', value: 10 }, { field: 'founded_before', date: '2020-01-01' },
      ],
    });
    expect(eligibilityOf({ ...EMPTY_EDITOR, minEmployees: '-3', foundedBefore: '2020' }).conditions).toEqual([]);
  });
  test('badges and lines are Chinese', () => {
    expect(outcomeBadge('met')).toEqual({ text: '符合', tone: 'ok' });
    expect(outcomeBadge('unknown').text).toBe('待核实');
    expect(outcomeBadge('not_met').text).toBe('不符合');
    expect(policyLine({ mode: 'no_application', benefitType: 'subsidy', department: { id: 'x', name: '工业和信息化局' } })).toBe('免申即享 · 资金补贴 · 工业和信息化局');
  });
});
