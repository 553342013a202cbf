import { checkReportMonth, previousMonth } from './project-report-month';

describe('checkReportMonth', () => {
  it.each([
    ['2026-10', '2026-10-15', true],
    ['2026-09', '2026-10-01', true],
    ['2025-12', '2026-01-01', true],
    ['2026-11', '2026-10-31', false],
    ['2027-01', '2026-12-31', false],
  ])('%s on %s → %s', (month, today, ok) => {
    const r = checkReportMonth(month, today);
    expect(r.ok).toBe(ok);
    if (!r.ok) {
      expect(r.reason).toBe('future');
      expect(r.message).toBe(`不能填报${month}（未来月份）的调度信息`);
    }
  });
  it.each(['2026-13', '2026-00', '2026-1', '26-10', '', '2026-10-01'])('refuses the format of %j', (month) => {
    expect(checkReportMonth(month, '2026-10-15')).toEqual({ ok: false, reason: 'format', message: '月份格式应为 YYYY-MM' });
  });
  it('gives year and month', () => expect(checkReportMonth('2026-03', '2026-10-15')).toEqual({ ok: true, year: 2026, month: 3 }));
});

describe('previousMonth', () => {
  it.each([['2026-10-15', '2026-09'], ['2026-01-05', '2025-12'], ['2026-12-31', '2026-11']])('%s → %s', (today, month) => {
    expect(previousMonth(today)).toBe(month);
  });
});
