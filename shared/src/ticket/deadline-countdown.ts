/**
 * Issue 13, the enterprise's and the office's everyday deadline words: "剩余 N 个工作日" / "已超期 N 个工作日",
 * the working day a 催办 counts against, and what an extension would do to the reply deadline. Pure, on the
 * district's working-day calendar (the server builds it from the official schedule and local days).
 */
import { shanghaiDate } from '../calendar/shanghai-time';
import { deadlineAfter, isWorkingDay, nextWorkingDay, workingDaysBetween, type WorkCalendar } from '../calendar/working-days';

/** Where a running deadline stands: working days left before it, or working days it has been missed by. */
export type Countdown = { overdue: false; days: number } | { overdue: true; days: number };

/**
 * Working days between now and a deadline, on Shanghai dates and the (a, b] rule of `workingDaysBetween`:
 * due at the end of tomorrow (a working day) → 1 left; due at the end of today → 0 left (今天到期); missed
 * yesterday → overdue by 1; missed earlier today → overdue by 0 (已超期, less than a working day).
 */
export function countdown(cal: WorkCalendar, now: Date, dueAt: Date): Countdown {
  const today = shanghaiDate(now);
  const due = shanghaiDate(dueAt);
  if (now.getTime() <= dueAt.getTime()) return { overdue: false, days: workingDaysBetween(cal, today, due) };
  return { overdue: true, days: Math.max(0, workingDaysBetween(cal, due, today)) };
}

/** The words people read for a countdown. */
export function countdownText(c: Countdown): string {
  if (c.overdue) return c.days > 0 ? `已超期 ${c.days} 个工作日` : '已超期';
  return c.days > 0 ? `剩余 ${c.days} 个工作日` : '今天到期';
}

/**
 * The working day a 催办 made at `now` counts against (once per working day per ticket): today when it is a
 * working day, else the next one — urging on Saturday and again on Sunday is two urges for Monday.
 */
export function urgeDay(cal: WorkCalendar, now: Date): string {
  const today = shanghaiDate(now);
  return isWorkingDay(cal, today) ? today : nextWorkingDay(cal, today);
}

/** What the extension form shows: the reply deadline after `days` more working days, and whether it is still past. */
export type ExtensionPreview = { currentDueAt: string; newDueAt: string; today: string; stillOverdue: boolean; countdown: Countdown };

/**
 * The reply deadline counted again from the reply clock with the days already granted plus `days` (the server's
 * rule when it approves: `deadlineAfter(clock, replyDays + extra)`), set against today.
 */
export function extensionPreview(
  cal: WorkCalendar,
  now: Date,
  t: { replyClockAt: Date; replyDays: number; extraDays: number; currentDueAt: Date },
  days: number,
): ExtensionPreview {
  const newDue = deadlineAfter(cal, t.replyClockAt, t.replyDays + t.extraDays + days);
  return {
    currentDueAt: t.currentDueAt.toISOString(),
    newDueAt: newDue.toISOString(),
    today: shanghaiDate(now),
    stillOverdue: newDue.getTime() < now.getTime(),
    countdown: countdown(cal, now, newDue),
  };
}
