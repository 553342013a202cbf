/**
 * Seeds the national calendar from the chinese-days package (China's public holidays and 调休 make-up working days,
 * maintained upstream from the State Council's yearly notice). Idempotent and safe with several instances: a
 * year is claimed by inserting its `calendar_year` row first (ON CONFLICT DO NOTHING), and only a claimed year gets
 * its days, so a year a coordinator entered by hand ('official') is never overwritten by package data.
 */

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<unknown> };
type PackageData = { holidays: Record<string, string>; workdays: Record<string, string> };

/** "National Day,国庆节,3" → "国庆节". */
function chineseName(raw: string): string {
  const parts = raw.split(',');
  return (parts[1] ?? parts[0] ?? '').slice(0, 32);
}

/** The package's days grouped by year: what `seedCalendarFromPackage` would insert. */
export function packageCalendar(): Map<number, { holidays: [string, string][]; makeUpWorkdays: [string, string][] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('chinese-days/dist/chinese-days.json') as PackageData;
  const years = new Map<number, { holidays: [string, string][]; makeUpWorkdays: [string, string][] }>();
  const yearOf = (d: string) => {
    const y = Number(d.slice(0, 4));
    if (!years.has(y)) years.set(y, { holidays: [], makeUpWorkdays: [] });
    return years.get(y)!;
  };
  for (const [d, v] of Object.entries(data.holidays)) yearOf(d).holidays.push([d, chineseName(v)]);
  for (const [d, v] of Object.entries(data.workdays)) yearOf(d).makeUpWorkdays.push([d, chineseName(v)]);
  return years;
}

/** Inserts every package year not in the database yet; returns the years it added. */
export async function seedCalendarFromPackage(q: Queryable): Promise<number[]> {
  const years = packageCalendar();
  const claimed = (await q.query(
    `INSERT INTO calendar_year (year, source, note) SELECT y, 'package', 'chinese-days' FROM unnest($1::int[]) AS y
     ON CONFLICT (year) DO NOTHING RETURNING year`,
    [[...years.keys()]],
  )) as { year: number }[];
  const added = claimed.map((r) => r.year).sort((a, b) => a - b);
  const days: string[] = [];
  const kinds: string[] = [];
  const names: string[] = [];
  for (const y of added) {
    const { holidays, makeUpWorkdays } = years.get(y)!;
    for (const [d, n] of holidays) {
      days.push(d);
      kinds.push('holiday');
      names.push(n);
    }
    for (const [d, n] of makeUpWorkdays) {
      days.push(d);
      kinds.push('workday');
      names.push(n);
    }
  }
  if (days.length) {
    await q.query(
      `INSERT INTO calendar_day (day, year, kind, name)
       SELECT d, extract(year FROM d)::int, k, n FROM unnest($1::date[], $2::text[], $3::text[]) AS x(d, k, n)
       ON CONFLICT (day) DO NOTHING`,
      [days, kinds, names],
    );
  }
  return added;
}
