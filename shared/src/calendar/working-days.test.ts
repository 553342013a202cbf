import fc from 'fast-check';
import { addCalendarDays, endOfShanghaiDay } from './shanghai-time';
import {
  addWorkingDays,
  deadlineAfter,
  extendDeadlineForPause,
  isWorkingDay,
  makeWorkCalendar,
  nextWorkingDay,
  pausedWorkingDays,
  previousWorkingDay,
  WEEKDAYS_ONLY,
  workingDaysBetween,
} from './working-days';

// China's official 2025 and 2026 schedules, copied from the chinese-days package data
// (node_modules/chinese-days/dist/chinese-days.json, v1.5.7). Shared code never imports that package.

const CN_HOLIDAYS_2025_2026 = [
  '2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03',
  '2025-02-04', '2025-04-04', '2025-04-05', '2025-04-06', '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04',
  '2025-05-05', '2025-05-31', '2025-06-01', '2025-06-02', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04',
  '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08', '2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15',
  '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
  '2026-04-04', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
  '2026-06-19', '2026-06-20', '2026-06-21', '2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02',
  '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
];

const CN_MAKEUP_WORKDAYS_2025_2026 = [
  '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
  '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
];

const CN = makeWorkCalendar({ holidays: CN_HOLIDAYS_2025_2026, makeUpWorkdays: CN_MAKEUP_WORKDAYS_2025_2026 });

const at = (iso: string) => new Date(iso);

describe('isWorkingDay (2025 National Day, 2026 Spring Festival)', () => {
  it.each([
    ['2025-09-26', true, 'Fri'],
    ['2025-09-27', false, 'Sat'],
    ['2025-09-28', true, 'Sun, 调休 workday'],
    ['2025-09-30', true, 'Tue before the holiday'],
    ['2025-10-01', false, 'National Day'],
    ['2025-10-06', false, 'Mon, 中秋'],
    ['2025-10-08', false, 'last holiday day'],
    ['2025-10-09', true, 'Thu after the holiday'],
    ['2025-10-11', true, 'Sat, 调休 workday'],
    ['2025-10-12', false, 'Sun'],
    ['2026-02-13', true, 'Fri'],
    ['2026-02-14', true, 'Sat, 调休 workday'],
    ['2026-02-15', false, 'Sun, first Spring Festival day'],
    ['2026-02-23', false, 'Mon, last Spring Festival day'],
    ['2026-02-24', true, 'Tue after Spring Festival'],
    ['2026-02-28', true, 'Sat, 调休 workday'],
    ['2026-03-01', false, 'Sun'],
    ['2027-01-01', true, 'a Friday of a year not loaded: plain Mon–Fri'],
  ])('%s → %s (%s)', (d, ok) => expect(isWorkingDay(CN, d)).toBe(ok));

  it('without the schedule, the same days follow the plain week', () => {
    expect(isWorkingDay(WEEKDAYS_ONLY, '2025-10-01')).toBe(true);
    expect(isWorkingDay(WEEKDAYS_ONLY, '2025-09-28')).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2025-09-26', 1, '2025-09-28'],
    ['2025-09-27', 1, '2025-09-28'],
    ['2025-09-28', 1, '2025-09-29'],
    ['2025-09-28', 3, '2025-10-09'],
    ['2025-09-28', 5, '2025-10-11'],
    ['2025-09-28', 6, '2025-10-13'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-09-30', 5, '2025-10-14'],
    ['2025-10-01', 1, '2025-10-09'],
    ['2025-10-05', 0, '2025-10-05'],
    ['2025-10-09', -1, '2025-09-30'],
    ['2025-10-13', -1, '2025-10-11'],
    ['2025-10-13', -4, '2025-09-30'],
    ['2026-02-12', 2, '2026-02-14'],
    ['2026-02-12', 3, '2026-02-24'],
    ['2026-02-13', 5, '2026-02-27'],
    ['2026-02-13', 6, '2026-02-28'],
    ['2026-02-13', 7, '2026-03-02'],
    ['2025-12-31', 1, '2026-01-04'],
  ])('%s %+d → %s', (d, n, out) => expect(addWorkingDays(CN, d, n)).toBe(out));

  it('next/previous working day', () => {
    expect(nextWorkingDay(CN, '2025-09-30')).toBe('2025-10-09');
    expect(nextWorkingDay(CN, '2026-02-14')).toBe('2026-02-24');
    expect(previousWorkingDay(CN, '2026-02-24')).toBe('2026-02-14');
    expect(previousWorkingDay(CN, '2025-10-09')).toBe('2025-09-30');
  });

  it('throws on bad input', () => {
    expect(() => addWorkingDays(CN, '2025-02-30', 0)).toThrow(RangeError);
    expect(() => addWorkingDays(CN, '2025-10-01', 1.5)).toThrow(RangeError);
  });

  it('throws instead of looping when a calendar has no working day', () => {
    const days: string[] = [];
    for (let i = 0; i < 800; i++) days.push(addCalendarDays('2030-01-01', i));
    const broken = makeWorkCalendar({ holidays: days, makeUpWorkdays: [] });
    expect(() => addWorkingDays(broken, '2030-01-01', 1)).toThrow(/no working day/);
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2025-09-30', '2025-10-09', 1],
    ['2025-09-26', '2025-10-13', 7],
    ['2025-10-01', '2025-10-08', 0],
    ['2025-10-13', '2025-09-26', -7],
    ['2026-02-13', '2026-03-02', 7],
    ['2026-02-13', '2026-02-13', 0],
  ])('(%s, %s] → %d', (a, b, n) => expect(workingDaysBetween(CN, a, b)).toBe(n));

  const dates = fc.integer({ min: 0, max: 729 }).map((i) => addCalendarDays('2025-01-01', i));

  it('inverts addWorkingDays for n ≥ 0 (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 40 }), (d, n) => {
        expect(workingDaysBetween(CN, d, addWorkingDays(CN, d, n))).toBe(n);
      }),
    );
  });

  it('inverts addWorkingDays for n < 0 from a working day (property)', () => {
    fc.assert(
      fc.property(dates.filter((d) => isWorkingDay(CN, d)), fc.integer({ min: 1, max: 40 }), (d, k) => {
        expect(workingDaysBetween(CN, d, addWorkingDays(CN, d, -k))).toBe(-k);
      }),
    );
  });

  it('addWorkingDays always lands on a working day for n ≠ 0 (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: -30, max: 30 }).filter((n) => n !== 0), (d, n) => {
        expect(isWorkingDay(CN, addWorkingDays(CN, d, n))).toBe(true);
      }),
    );
  });
});

describe('deadlineAfter: end of the Nth working day after the assignment date', () => {
  it.each([
    ['2025-09-30T10:00:00+08:00', 1, '2025-10-09'],
    ['2025-09-30T23:30:00+08:00', 1, '2025-10-09'],
    ['2025-09-29T16:30:00Z', 1, '2025-10-09'], // 00:30 on 09-30 in Shanghai, still 09-29 in UTC
    ['2025-09-29T15:30:00Z', 1, '2025-09-30'], // 23:30 on 09-29 in Shanghai
    ['2025-09-27T09:00:00+08:00', 1, '2025-09-28'], // assigned on Saturday: the 调休 Sunday is day 1
    ['2025-09-26T09:00:00+08:00', 5, '2025-10-10'],
    ['2026-02-13T09:00:00+08:00', 5, '2026-02-27'],
    ['2026-02-13T09:00:00+08:00', 0, '2026-02-13'],
  ])('%s + %d → end of %s', (assigned, n, dueDate) => {
    expect(deadlineAfter(CN, at(assigned), n).toISOString()).toBe(endOfShanghaiDay(dueDate).toISOString());
  });

  it('is 23:59:59.999 Shanghai time', () => {
    expect(deadlineAfter(CN, at('2025-09-30T10:00:00+08:00'), 1).toISOString()).toBe('2025-10-09T15:59:59.999Z');
  });

  it.each([[-1], [1.5]])('rejects n = %p', (n) => {
    expect(() => deadlineAfter(CN, at('2025-09-30T10:00:00+08:00'), n)).toThrow(RangeError);
  });
});

describe('pauses (waiting for the enterprise) extend the deadline by the working days paused', () => {
  const deadlineFri = endOfShanghaiDay('2025-10-10');
  it.each([
    ['across National Day', deadlineFri, '2025-09-29T10:00:00+08:00', '2025-10-09T09:00:00+08:00', 2, '2025-10-13'],
    ['same day costs nothing', deadlineFri, '2025-09-29T09:00:00+08:00', '2025-09-29T17:00:00+08:00', 0, '2025-10-10'],
    ['one boundary', deadlineFri, '2025-09-29T17:00:00+08:00', '2025-09-30T09:00:00+08:00', 1, '2025-10-11'],
    ['only holidays in between', deadlineFri, '2025-10-01T09:00:00+08:00', '2025-10-08T17:00:00+08:00', 0, '2025-10-10'],
    [
      'straddling the deadline counts in full',
      endOfShanghaiDay('2026-02-13'),
      '2026-02-13T10:00:00+08:00',
      '2026-02-25T10:00:00+08:00',
      3,
      '2026-02-25',
    ],
    ['paused after the deadline: stays overdue', deadlineFri, '2025-10-11T10:00:00+08:00', '2025-10-15T10:00:00+08:00', 0, '2025-10-10'],
  ])('%s', (_name, deadline, pausedAt, resumedAt, days, newDue) => {
    const pause = { pausedAt: at(pausedAt), resumedAt: at(resumedAt) };
    expect(pausedWorkingDays(CN, deadline, pause)).toBe(days);
    expect(extendDeadlineForPause(CN, deadline, pause).toISOString()).toBe(endOfShanghaiDay(newDue).toISOString());
  });

  it('throws when the pause ends before it starts', () => {
    expect(() =>
      pausedWorkingDays(CN, deadlineFri, { pausedAt: at('2025-09-30T10:00:00+08:00'), resumedAt: at('2025-09-29T10:00:00+08:00') }),
    ).toThrow(RangeError);
  });
});

describe('makeWorkCalendar', () => {
  it('rejects malformed dates', () => {
    expect(() => makeWorkCalendar({ holidays: ['2025-10-1'], makeUpWorkdays: [] })).toThrow(RangeError);
    expect(() => makeWorkCalendar({ holidays: [], makeUpWorkdays: ['2025-02-30'] })).toThrow(RangeError);
  });

  it('rejects a date that is both a holiday and a workday', () => {
    expect(() => makeWorkCalendar({ holidays: ['2025-10-11'], makeUpWorkdays: ['2025-10-11'] })).toThrow(/both/);
  });
});
