/** Today's date in China (UTC+8, no DST) as YYYY-MM-DD, whatever the server's own time zone is. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
