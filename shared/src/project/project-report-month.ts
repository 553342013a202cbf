/**
 * Which month a monthly 调度 report may be filed for. One rule for the server (it refuses) and the mini-app (it
 * shows the message next to the field before sending): a month in the format YYYY-MM that is not after the
 * current month in Asia/Shanghai. The message is the one the server puts in `details`.
 */
import type { LocalDate } from '../calendar/shanghai-time';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Result of `checkReportMonth`: ok, or the reason with its Chinese message. */
export type ReportMonthCheck = { ok: true; year: number; month: number } | { ok: false; reason: 'format' | 'future'; message: string };

/** Checks `month` (YYYY-MM) against `today` (YYYY-MM-DD, Asia/Shanghai). */
export function checkReportMonth(month: string, today: LocalDate): ReportMonthCheck {
  if (!MONTH.test(month)) return { ok: false, reason: 'format', message: '月份格式应为 YYYY-MM' };
  if (month > today.slice(0, 7)) return { ok: false, reason: 'future', message: `不能填报${month}（未来月份）的调度信息` };
  return { ok: true, year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

/** The month a report is usually filed for on `today`: the month just ended. */
export function previousMonth(today: LocalDate): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
