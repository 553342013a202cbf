import { makeCreditCode } from '../enterprise/credit-code';
import { DEFAULT_PROJECT_LEVELS, DEFAULT_PROJECT_NATURES } from '../project/project-labels';
import { matchHeaders } from './import-columns';
import { parseWanCell, validateProjectRow } from './import-project-row';

const opts = { natures: DEFAULT_PROJECT_NATURES, levels: DEFAULT_PROJECT_LEVELS };
const cells = (o: Record<string, string> = {}) => ({
  row: 2,
  cells: {
    name: '示范项目', creditCode: makeCreditCode(3), area: '兴隆街道', nature: '产业', levels: '省重点、市重点', kind: '改扩建',
    startYear: '2026', endYear: '2028年', plannedStartOn: '2026/3/1', plannedEndOn: '', totalInvestment: '2,505.37',
    fiscal: '0.37', self_raised: '２５０５', special_bond: '0', leaderPhone: '137 0000 0001', stewardPhones: '13900000001、13900000002',
    department: '区发改局', stage: '', ...o,
  },
});

describe('万元 cells', () => {
  it('become integer 元 exactly, never through a float', () => {
    expect(parseWanCell('2505.37')).toBe('25053700');
    expect(parseWanCell('0.0001')).toBe('1');
    expect(parseWanCell('１,０００')).toBe('10000000');
    expect(parseWanCell('99999999999.9999')).toBe('999999999999999');
    expect(parseWanCell('1.00001')).toBeNull();
    expect(parseWanCell('-5')).toBeNull();
    expect(parseWanCell('1e3')).toBeNull();
    expect(parseWanCell('')).toBeNull();
  });
});

describe('project rows', () => {
  it('a good row: labels to codes, years, dates, funding in 元, phones normalised', () => {
    const v = validateProjectRow(cells(), opts);
    expect(v.problems).toEqual([]);
    expect(v.value).toMatchObject({
      kind: 'expansion', stage: 'planning', levels: ['省重点', '市重点'], startYear: 2026, endYear: 2028, plannedStartOn: '2026-03-01',
      totalInvestment: '25053700', funding: [{ source: 'fiscal', amount: '3700' }, { source: 'self_raised', amount: '25050000' }],
      leaderPhone: '13700000001', stewardPhones: ['13900000001', '13900000002'],
    });
  });

  it('every bad cell is named with a Chinese reason', () => {
    const v = validateProjectRow(cells({
      name: '', creditCode: '123', nature: '军工', levels: '', kind: '翻新', stage: '完工', startYear: '2027', endYear: '2026',
      plannedStartOn: '2026-05-01', plannedEndOn: '2026-04-01', leaderPhone: '123', stewardPhones: '139',
    }), opts);
    expect(v.value).toBeNull();
    expect(v.problems.map((p) => p.column)).toEqual(expect.arrayContaining([
      '项目名称', '业主单位信用代码', '项目性质', '项目级别', '建设性质', '阶段', '建设年限止', '计划竣工日期', '包联领导电话', '项目管家电话',
    ]));
    for (const p of v.problems) expect(p).toMatchObject({ row: 2, reason: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });

  it('funding must add up to the total, to the 元', () => {
    const off = validateProjectRow(cells({ fiscal: '0.3699' }), opts);
    expect(off.problems).toEqual([{ row: 2, column: '财政资金（万元）', reason: expect.stringContaining('不一致') }]);
    const none = validateProjectRow(cells({ fiscal: '', self_raised: '' }), opts);
    expect(none.problems[0]!.reason).toContain('至少填写一项资金来源');
    expect(validateProjectRow(cells({ totalInvestment: '2505.37001' }), opts).problems[0]!.column).toBe('总投资（万元）');
  });

  it('the template headers and synonyms match', () => {
    const m = matchHeaders('projects', ['项目名称', '统一社会信用代码', '属地', '性质', '级别', '新建/续建', '开工年份', '竣工年份', '总投资', '财政资金', '领导电话', '牵头部门']);
    expect(m.missing).toEqual([]);
    expect(m.unknown).toEqual([]);
  });
});
