/**
 * Shanghai calendar days as instants, for filtering timestamptz columns by the `YYYY-MM-DD` dates the API takes.
 * China has been UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */

/** The instant a Shanghai day starts. */
export function dayStart(date: string): Date {
  return new Date(`${date}T00:00:00.000+08:00`);
}

/** The instant the day after `date` starts: filters use `< dayEnd(to)` so the whole of `to` is included. */
export function dayEnd(date: string): Date {
  return new Date(dayStart(date).getTime() + 86_400_000);
}
