/**
 * China's working-day arithmetic, pure. Deadlines such as "办结 within 5 working days" count Monday–Friday
 * except public holidays, plus the 调休 make-up weekends. The server stores the official schedule in the
 * database (seeded from the chinese-days package, new years entered by coordinators) and builds a
 * `WorkCalendar` from it; this module never imports that package, so the mini-app can bundle it.
 *
 * Dates outside the years the calendar was built from fall back to plain Monday–Friday: the caller (server)
 * must make sure the year's official schedule is loaded before trusting a deadline in it.
 */
import {
  addCalendarDays,
  calendarDaysBetween,
  endOfShanghaiDay,
  isLocalDate,
  isoWeekday,
  shanghaiDate,
  type LocalDate,
} from './shanghai-time';

/**
 * The official schedule: `holidays` are days off that would otherwise be working days (a holiday entry on a
 * weekend is harmless), `makeUpWorkdays` are 调休 weekends on which people work.
 */
export type WorkCalendar = {
  readonly holidays: ReadonlySet<LocalDate>;
  readonly makeUpWorkdays: ReadonlySet<LocalDate>;
};

/** Input for `makeWorkCalendar`: the lists as the database or an API body holds them. */
export type WorkCalendarInput = {
  holidays: Iterable<LocalDate>;
  makeUpWorkdays: Iterable<LocalDate>;
};

/**
 * Builds a calendar from explicit date lists, validating every date. A date in both lists is a data error
 * (the official schedule never says both) and throws rather than silently picking one.
 */
export function makeWorkCalendar(input: WorkCalendarInput): WorkCalendar {
  const holidays = new Set<LocalDate>();
  const makeUpWorkdays = new Set<LocalDate>();
  for (const d of input.holidays) {
    if (!isLocalDate(d)) throw new RangeError(`holiday is not a YYYY-MM-DD date: ${d}`);
    holidays.add(d);
  }
  for (const d of input.makeUpWorkdays) {
    if (!isLocalDate(d)) throw new RangeError(`make-up workday is not a YYYY-MM-DD date: ${d}`);
    if (holidays.has(d)) throw new RangeError(`date is both a holiday and a make-up workday: ${d}`);
    makeUpWorkdays.add(d);
  }
  return { holidays, makeUpWorkdays };
}

/** A calendar with no holidays: Monday–Friday. Useful as a default and in tests. */
export const WEEKDAYS_ONLY: WorkCalendar = makeWorkCalendar({ holidays: [], makeUpWorkdays: [] });

/** True when people work on that Shanghai date: a 调休 workday, or a weekday that is not a holiday. */
export function isWorkingDay(cal: WorkCalendar, date: LocalDate): boolean {
  if (cal.makeUpWorkdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  return isoWeekday(date) <= 5;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(cal: WorkCalendar, date: LocalDate): LocalDate {
  return addWorkingDays(cal, date, 1);
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(cal: WorkCalendar, date: LocalDate): LocalDate {
  return addWorkingDays(cal, date, -1);
}

// The longest run of non-working days in China's calendar is 9 days (e.g. Spring Festival 2026 02-15..02-23);
// a year of non-working days means a broken calendar, not a long holiday.
const MAX_SCAN_DAYS = 366;

/**
 * The `n`th working day after `date` (n > 0), before it (n < 0), or `date` itself (n = 0).
 * The start day never counts, whether or not it is a working day: from Friday, +1 is Monday; from Saturday,
 * +1 is also Monday. This is the counting rule of `deadlineAfter`.
 */
export function addWorkingDays(cal: WorkCalendar, date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let d = date;
  let idle = 0;
  addCalendarDays(date, 0); // validates date even when n = 0
  while (remaining > 0) {
    d = addCalendarDays(d, step);
    if (isWorkingDay(cal, d)) {
      remaining--;
      idle = 0;
    } else if (++idle > MAX_SCAN_DAYS) {
      throw new RangeError('calendar has no working day within a year');
    }
  }
  return d;
}

/**
 * Working days in the half-open range (a, b]: the count `addWorkingDays` inverts, so
 * `workingDaysBetween(cal, d, addWorkingDays(cal, d, n)) === n`. Negative when b is before a
 * (then it counts (b, a] and negates). Zero when a === b.
 */
export function workingDaysBetween(cal: WorkCalendar, a: LocalDate, b: LocalDate): number {
  const span = calendarDaysBetween(a, b);
  if (span < 0) return -workingDaysBetween(cal, b, a);
  let count = 0;
  for (let i = 1; i <= span; i++) if (isWorkingDay(cal, addCalendarDays(a, i))) count++;
  return count;
}

/**
 * The deadline of something assigned at `assignedAt` to be done "within `n` working days":
 * the end (23:59:59.999 Asia/Shanghai) of the `n`th working day after the Shanghai date of `assignedAt`.
 * The time of day does not matter and the assignment day itself never counts — assigned Monday 08:00 or
 * 23:00 with n = 1 are both due Tuesday 23:59:59.999; assigned Saturday with n = 1 is due Monday.
 * n = 0 means "the same day": due at the end of the assignment's own date.
 */
export function deadlineAfter(cal: WorkCalendar, assignedAt: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  return endOfShanghaiDay(addWorkingDays(cal, shanghaiDate(assignedAt), n));
}

/** A period during which the clock was stopped (waiting for the enterprise's information). */
export type PauseInterval = { pausedAt: Date; resumedAt: Date };

/**
 * Working days a pause costs: the working days in (date(pausedAt), date(resumedAt)], i.e. the number of
 * working-day boundaries the wait crossed. A pause that starts and ends on the same day costs 0 (the handler
 * lost hours, not a day); paused Monday, resumed Wednesday → 2. A pause that started before the deadline
 * counts in full even if it ends after it, so the handler gets back the working days it had left when the
 * clock stopped. A ticket already overdue when it was paused stays overdue (returns 0): waiting cannot cure
 * a deadline that had already passed.
 */
export function pausedWorkingDays(cal: WorkCalendar, deadline: Date, pause: PauseInterval): number {
  const { pausedAt, resumedAt } = pause;
  if (resumedAt.getTime() < pausedAt.getTime()) throw new RangeError('resumedAt is before pausedAt');
  if (pausedAt.getTime() > deadline.getTime()) return 0;
  return workingDaysBetween(cal, shanghaiDate(pausedAt), shanghaiDate(resumedAt));
}

/**
 * The deadline after a pause: the original deadline's date moved on by `pausedWorkingDays` working days,
 * due at the end of that day. With several pauses, apply this once per pause in order, feeding each result
 * into the next call.
 */
export function extendDeadlineForPause(cal: WorkCalendar, deadline: Date, pause: PauseInterval): Date {
  const days = pausedWorkingDays(cal, deadline, pause);
  if (days === 0) return deadline;
  return endOfShanghaiDay(addWorkingDays(cal, shanghaiDate(deadline), days));
}
