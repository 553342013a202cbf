import { EMPTY_EDITOR, eligibilityOf, outcomeBadge, policyLine, profileForm, profilePatch } from './policies';

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

describe('profile form', () => {
  test('empty fields clear (= not known), bad ones are named', () => {
    const p = { industryDivision: null, sizeClass: 'small', aboveScale: true, foundedOn: null, employees: 12, revenueBand: null, taxBand: null } as never;
    const f = profileForm(p);
    expect(f).toMatchObject({ sizeClass: 'small', aboveScale: 'yes', employees: '12', industryDivision: '' });
    expect(profilePatch({ ...f, employees: '' }, 3)).toEqual({ ok: true, body: { version: 3, industryDivision: null, sizeClass: 'small', aboveScale: true, foundedOn: null, employees: null, revenueBand: null, taxBand: null } });
    expect(profilePatch({ ...f, industryDivision: '3', foundedOn: '2020/1/1' }, 3)).toEqual({ ok: false, errors: { industryDivision: '行业大类为两位数字代码（GB/T 4754）', foundedOn: '日期格式为 YYYY-MM-DD' } });
  });
});
