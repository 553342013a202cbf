import { endOfShanghaiDay } from '../calendar/shanghai-time';
import { makeWorkCalendar, WEEKDAYS_ONLY } from '../calendar/working-days';
import { countdown, countdownText, extensionPreview, urgeDay } from './deadline-countdown';

// 2026: 国庆 1–7 Oct are holidays (Thu 1 Oct – Wed 7 Oct), Sat 10 Oct is a 调休 workday.
const CAL = makeWorkCalendar({
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  makeUpWorkdays: ['2026-10-10'],
});
/** 10:00 Shanghai on a date. */
const at = (d: string, hh = '10:00') => new Date(`${d}T${hh}:00+08:00`);

describe('countdown: working days left or missed, on the district calendar', () => {
  it.each([
    // now, due (end of that Shanghai day), expected
    ['2026-11-30', '2026-12-04', { overdue: false, days: 4 }, '剩余 4 个工作日'], // Mon → Fri
    ['2026-11-30', '2026-11-30', { overdue: false, days: 0 }, '今天到期'],
    ['2026-11-27', '2026-11-30', { overdue: false, days: 1 }, '剩余 1 个工作日'], // Fri → Mon: the weekend does not count
    ['2026-09-30', '2026-10-08', { overdue: false, days: 1 }, '剩余 1 个工作日'], // across 国庆: only Thu 8 Oct
    ['2026-09-30', '2026-10-10', { overdue: false, days: 3 }, '剩余 3 个工作日'], // 8, 9 and the 调休 Saturday
    ['2026-12-01', '2026-11-30', { overdue: true, days: 1 }, '已超期 1 个工作日'],
    ['2026-11-30', '2026-11-27', { overdue: true, days: 1 }, '已超期 1 个工作日'], // missed Fri, now Mon
    ['2026-10-08', '2026-09-30', { overdue: true, days: 1 }, '已超期 1 个工作日'], // the holidays are not held against it
    ['2026-12-04', '2026-11-30', { overdue: true, days: 4 }, '已超期 4 个工作日'],
  ])('now %s, due %s', (now, due, expected, text) => {
    const c = countdown(CAL, at(now), endOfShanghaiDay(due));
    expect(c).toEqual(expected);
    expect(countdownText(c)).toBe(text);
  });

  it('a deadline missed earlier today is overdue by less than a working day', () => {
    const c = countdown(WEEKDAYS_ONLY, at('2026-11-30', '15:00'), at('2026-11-30', '09:00'));
    expect(c).toEqual({ overdue: true, days: 0 });
    expect(countdownText(c)).toBe('已超期');
  });
});

describe('urgeDay: the working day a 催办 counts against', () => {
  it.each([
    ['2026-11-30', '2026-11-30'], // Monday: itself
    ['2026-11-28', '2026-11-30'], // Saturday → Monday
    ['2026-11-29', '2026-11-30'], // Sunday → Monday (one urge for the whole weekend)
    ['2026-10-03', '2026-10-08'], // a holiday → the first working day after 国庆
    ['2026-10-10', '2026-10-10'], // the 调休 Saturday is a working day
  ])('%s → %s', (d, expected) => expect(urgeDay(CAL, at(d))).toBe(expected));

  it('counts the Shanghai date, not UTC (23:30 UTC Sunday is Monday morning in Shanghai)', () => {
    expect(urgeDay(WEEKDAYS_ONLY, new Date('2026-11-29T23:30:00Z'))).toBe('2026-11-30');
  });
});

describe('extensionPreview: the new reply deadline against today', () => {
  const t = { replyClockAt: at('2026-11-16'), replyDays: 5, extraDays: 0, currentDueAt: endOfShanghaiDay('2026-11-23') };
  it('recounts from the reply clock with the days already granted', () => {
    const p = extensionPreview(WEEKDAYS_ONLY, at('2026-11-20'), t, 3);
    expect(p.newDueAt).toBe(endOfShanghaiDay('2026-11-26').toISOString());
    expect(p).toMatchObject({ today: '2026-11-20', stillOverdue: false, countdown: { overdue: false, days: 4 } });
    expect(extensionPreview(WEEKDAYS_ONLY, at('2026-11-20'), { ...t, extraDays: 2 }, 3).newDueAt).toBe(endOfShanghaiDay('2026-11-30').toISOString());
  });
  it('warns when the extended deadline is still in the past', () => {
    const p = extensionPreview(WEEKDAYS_ONLY, at('2026-12-02'), t, 3);
    expect(p).toMatchObject({ stillOverdue: true, countdown: { overdue: true, days: 4 } });
    expect(extensionPreview(WEEKDAYS_ONLY, at('2026-12-02'), t, 7).stillOverdue).toBe(false);
  });
});
