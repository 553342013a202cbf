import { correctionRequestUrl, EMPTY_EDITOR, eligibilityOf, outcomeBadge, policyLine, profileForm, profilePatch, type EnterpriseProfile } from './policies';

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
    expect(profilePatch({ ...f, industryDivision: '3', foundedOn: '2020/1/1' }, 3)).toEqual({ ok: false, errors: { industryDivision: '行业大类为两位数字代码（国民经济行业分类）', foundedOn: '日期格式为 年-月-日，如 2020-01-01' } });
  });
});

describe('申请更正', () => {
  test('the 诉求 form opens in 其他 with the title and every profile field listed, in Chinese', () => {
    const p = {
      enterpriseId: 'e', name: '某某机械有限公司', area: { id: 'a', name: '一号镇' }, industry: '通用设备制造', industrySection: 'C', industryDivision: '34',
      sizeClass: 'small', aboveScale: true, foundedOn: '2015-04-01', employees: 120, revenueBand: null, taxBand: null,
      certifications: [{ id: 'c', kind: 'specialized', certifiedOn: '2025-03-10', expiresOn: '2028-03-09', certificateNo: null }],
      libraries: [{ id: 'm', library: { id: 'l', name: '重点企业培育库' }, joinedOn: '2024-01-01', leftOn: null, note: null },
        { id: 'n', library: { id: 'k', name: '研发投入型企业培育库' }, joinedOn: '2023-01-01', leftOn: '2024-01-01', note: null }],
      version: 3, canEdit: false,
    } as EnterpriseProfile;
    const url = correctionRequestUrl(p);
    expect(url.startsWith('/packages/enterprise/pages/new/index?')).toBe(true);
    const q = new URLSearchParams(url.split('?')[1]);
    expect(q.get('category')).toBe('其他');
    expect(q.get('title')).toBe('企业档案更正申请');
    const d = q.get('description')!;
    for (const part of ['行业：通用设备制造（大类 34）', '企业规模：小型', '是否规模以上：是', '成立日期：2015-04-01', '从业人数：120', '上年营业收入：未填', '专精特新', '2028-03-09 到期', '培育库：重点企业培育库'])
      expect(d).toContain(part);
    expect(d).not.toContain('研发投入型'); // a library it has left is history, not its profile
    expect(d.length).toBeLessThanOrEqual(2000);
    expect(d).not.toMatch(/[A-Za-z]{3,}/); // no raw codes
  });
});

