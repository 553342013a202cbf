/**
 * Asia/Shanghai calendar dates without Node-only or Intl time-zone APIs: China has used UTC+8 with no daylight
 * saving since 1991, so a fixed offset is exact for every date this system handles. A `LocalDate` is the
 * `YYYY-MM-DD` string of a Shanghai calendar date — the form the database `date` column, the holiday data and
 * the API all use, so no conversion hides between them.
 */

/** A Shanghai calendar date as `YYYY-MM-DD`. */
export type LocalDate = string;

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Shanghai's fixed offset from UTC in milliseconds (+08:00). */
export const SHANGHAI_OFFSET_MS = OFFSET_MS;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2025-02-30, 2025-13-01, 2025-1-1). */
export function isLocalDate(s: string): boolean {
  const m = LOCAL_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function assertLocalDate(s: string): void {
  if (!isLocalDate(s)) throw new RangeError(`not a YYYY-MM-DD date: ${s}`);
}

/** Days since 1970-01-01 of a local date: lets date arithmetic be integer arithmetic. */
function toDayNumber(date: LocalDate): number {
  assertLocalDate(date);
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS);
}

function fromDayNumber(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The Shanghai calendar date an instant falls on (2025-09-30T16:00Z is already 2025-10-01 in Shanghai). */
export function shanghaiDate(instant: Date): LocalDate {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai day starts (00:00:00.000 +08:00). */
export function startOfShanghaiDay(date: LocalDate): Date {
  return new Date(toDayNumber(date) * DAY_MS - OFFSET_MS);
}

/** The last millisecond of a Shanghai day (23:59:59.999 +08:00): what "due on date D" means as an instant. */
export function endOfShanghaiDay(date: LocalDate): Date {
  return new Date((toDayNumber(date) + 1) * DAY_MS - OFFSET_MS - 1);
}

/** `date` plus `n` calendar days (n may be negative). */
export function addCalendarDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
  return fromDayNumber(toDayNumber(date) + n);
}

/** Calendar days from `a` to `b` (negative when b is before a). */
export function calendarDaysBetween(a: LocalDate, b: LocalDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** ISO day of week of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(toDayNumber(date) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}
