import { describeDay, monthGrid, shiftMonth } from './calendar-grid';

const national = {
  holidays: [{ date: '2026-10-01', name: '国庆节' }, { date: '2026-10-02', name: '国庆节' }],
  makeUpWorkdays: [{ date: '2026-10-10', name: '国庆节调休' }],
};

describe('the 节假日 month grid', () => {
  it('lays a month out in weeks from Monday, padded with the neighbouring days', () => {
    const weeks = monthGrid(2026, 10, national, [], '2026-10-09');
    expect(weeks[0][0]).toMatchObject({ date: '2026-09-28', inMonth: false }); // 1 October 2026 is a Thursday
    expect(weeks[0][3]).toMatchObject({ date: '2026-10-01', day: 1, inMonth: true, kind: 'holiday', name: '国庆节' });
    expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(31);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks.flat().find((d) => d.today)?.date).toBe('2026-10-09');
  });

  it('marks 调休 working weekends, weekends and the district’s own days (which win)', () => {
    const weeks = monthGrid(2026, 10, national, [{ date: '2026-10-02', kind: 'workday', name: '本地上班' }, { date: '2026-10-14', kind: 'holiday', name: '县庆' }], '2026-01-01');
    const day = (date: string) => weeks.flat().find((d) => d.date === date)!;
    expect(day('2026-10-10')).toMatchObject({ kind: 'makeup', name: '国庆节调休' });
    expect(day('2026-10-11').kind).toBe('weekend');
    expect(day('2026-10-02')).toMatchObject({ kind: 'makeup', name: '本地上班', local: { kind: 'workday' } });
    expect(day('2026-10-14')).toMatchObject({ kind: 'holiday', name: '县庆' });
    expect(describeDay(day('2026-10-14'))).toBe('本地放假：县庆（不计入办理期限）');
    expect(describeDay(day('2026-10-10'))).toBe('调休上班：国庆节调休（计入办理期限）');
    expect(describeDay(day('2026-10-13'))).toBe('工作日（计入办理期限）');
  });

  it('steps across years', () => {
    expect(shiftMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth(2026, 1, -1)).toEqual({ year: 2025, month: 12 });
  });
});
