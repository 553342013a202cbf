import { areasByDistrict, categoryTable, monthLabel, monthOf, rateText, shiftMonth, type CityBreakdown } from './city';

describe('city view helpers', () => {
  it('moves across years and reads the month in Shanghai time', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-03', 0)).toBe('2026-03');
    // 2026-03-31 17:00 UTC is already April 1st in Shanghai
    expect(monthOf(new Date('2026-03-31T17:00:00Z'))).toBe('2026-04');
  });
  it('labels months and rates in Chinese, a missing rate as a dash', () => {
    expect(monthLabel('2026-03')).toBe('2026年3月');
    expect(rateText(96.54)).toBe('96.5%');
    expect(rateText(100)).toBe('100.0%');
    expect(rateText(null)).toBe('—');
  });
});

describe('the city’s breakdown tables', () => {
  const zero = { solved: 0, inCoordination: 0, handled: 0, accepted: 0, acceptedOnTime: 0, replied: 0, repliedOnTime: 0, returned: 0, reopened: 0, extended: 0,
    withdrawn: 0, overdue: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, acceptOnTimeRate: null, replyOnTimeRate: null, handledRate: null,
    solveRate: null, satisfactionRate: null, returnRate: null, reopenRate: null, avgAcceptDays: null, avgReplyDays: null, score: null };
  const d1 = { id: 'd1', name: '甲区' };
  const d2 = { id: 'd2', name: '乙区' };
  const cat = (name: string, a: number, b: number) => ({ key: { id: name, name }, ...zero, received: a + b, districts: [{ district: d1, received: a, solved: 0 }, { district: d2, received: b, solved: 0 }] });
  const of = (rows: CityBreakdown['rows']): CityBreakdown => ({ period: { from: '2026-03-01', to: '2026-03-31' }, by: 'category', total: { ...zero, received: 0 }, rows });

  it('one column per district and the city, the smallest categories folded into 其他', () => {
    const t = categoryTable(of([cat('人才用工', 3, 1), cat('融资信贷', 0, 2), cat('物流', 1, 0), cat('土地', 0, 1), cat('空', 0, 0)]), 2);
    expect(t.heads).toEqual(['甲区', '乙区']);
    expect(t.rows).toEqual([
      { name: '人才用工', cells: [3, 1], total: 4 },
      { name: '融资信贷', cells: [0, 2], total: 2 },
      { name: '其他（2类）', cells: [1, 1], total: 2 },
    ]);
    expect(categoryTable(of([])).rows).toEqual([]);
  });

  it('areas grouped under their district, in order', () => {
    const area = (id: string, d: typeof d1, received: number) => ({ key: { id, name: `属地${id}` }, ...zero, received, solveRate: received ? 50 : null, district: d });
    expect(areasByDistrict(of([area('a1', d1, 3), area('a2', d1, 1), area('b1', d2, 2), area('b2', d2, 0)]))).toEqual([
      { district: d1, areas: [{ id: 'a1', name: '属地a1', received: 3, solveRate: 50 }, { id: 'a2', name: '属地a2', received: 1, solveRate: 50 }] },
      { district: d2, areas: [{ id: 'b1', name: '属地b1', received: 2, solveRate: 50 }] },
    ]);
  });
});
