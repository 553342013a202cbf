import {
  addCalendarDays,
  calendarDaysBetween,
  endOfShanghaiDay,
  isLocalDate,
  isoWeekday,
  shanghaiDate,
  startOfShanghaiDay,
} from './shanghai-time';

describe('isLocalDate', () => {
  it.each([
    ['2025-10-01', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-02-30', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-1-1', false],
    ['2025-10-01T00:00', false],
    ['', false],
  ])('%j → %s', (s, ok) => expect(isLocalDate(s)).toBe(ok));
});

describe('shanghaiDate', () => {
  it.each([
    ['2025-09-30T15:59:59.999Z', '2025-09-30'],
    ['2025-09-30T16:00:00.000Z', '2025-10-01'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01'],
    ['2025-10-01T00:00:00+08:00', '2025-10-01'],
    ['2025-10-01T23:59:59+08:00', '2025-10-01'],
  ])('%s → %s', (iso, date) => expect(shanghaiDate(new Date(iso))).toBe(date));

  it('throws on an invalid Date', () => expect(() => shanghaiDate(new Date('nope'))).toThrow(RangeError));
});

describe('start and end of a Shanghai day', () => {
  it.each([
    ['2025-10-09', '2025-10-08T16:00:00.000Z', '2025-10-09T15:59:59.999Z'],
    ['2026-01-01', '2025-12-31T16:00:00.000Z', '2026-01-01T15:59:59.999Z'],
  ])('%s', (date, start, end) => {
    expect(startOfShanghaiDay(date).toISOString()).toBe(start);
    expect(endOfShanghaiDay(date).toISOString()).toBe(end);
    expect(shanghaiDate(startOfShanghaiDay(date))).toBe(date);
    expect(shanghaiDate(endOfShanghaiDay(date))).toBe(date);
  });

  it('throws on a bad date', () => expect(() => endOfShanghaiDay('2025-02-30')).toThrow(RangeError));
});

describe('calendar-day arithmetic', () => {
  it.each([
    ['2025-09-30', 1, '2025-10-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-10-01', 0, '2025-10-01'],
  ])('%s %+d → %s', (d, n, out) => {
    expect(addCalendarDays(d, n)).toBe(out);
    expect(calendarDaysBetween(d, out)).toBe(n);
  });

  it('rejects a fractional n', () => expect(() => addCalendarDays('2025-10-01', 0.5)).toThrow(RangeError));

  it.each([
    ['2025-09-28', 7],
    ['2025-09-29', 1],
    ['2025-10-01', 3],
    ['2025-10-11', 6],
    ['2026-02-23', 1],
  ])('%s is ISO weekday %d', (d, w) => expect(isoWeekday(d)).toBe(w));
});
