/**
 * The 节假日 month grid (issue 13): a month as weeks starting on Monday, each day marked as the working-day
 * calendar counts it — national holiday (休), 调休 working weekend (班), the district's own adjustments on top,
 * and ordinary weekends. Pure, so the page and its tests share it.
 */

export type NamedDay = { date: string; name: string };
export type LocalMark = { date: string; kind: 'holiday' | 'workday'; name: string };

/** How a day counts for deadlines, and why. */
export type DayKind = 'holiday' | 'makeup' | 'weekend' | 'workday';

export type GridDay = {
  date: string;
  day: number;
  inMonth: boolean;
  /** What the deadlines count it as, local adjustments applied. */
  kind: DayKind;
  /** The national entry's name (元旦, 春节调休…) or the local one's. */
  name: string | null;
  /** The district's own adjustment of this day, if any. */
  local: LocalMark | null;
  today: boolean;
};

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** `2026-12` → the month before or after. */
export function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const i = year * 12 + (month - 1) + by;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

/**
 * The weeks of `year`-`month` (1–12), Monday first, padded with the neighbouring months' days. `national` holds
 * the published holidays and 调休 working days, `local` the district's adjustments (which win).
 */
export function monthGrid(
  year: number, month: number,
  national: { holidays: readonly NamedDay[]; makeUpWorkdays: readonly NamedDay[] },
  local: readonly LocalMark[], today: string,
): GridDay[][] {
  const holidays = new Map(national.holidays.map((d) => [d.date, d.name]));
  const makeUp = new Map(national.makeUpWorkdays.map((d) => [d.date, d.name]));
  const locals = new Map(local.map((d) => [d.date, d]));
  const first = new Date(Date.UTC(year, month - 1, 1));
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const start = new Date(first.getTime() - lead * 86_400_000);
  const weeks: GridDay[][] = [];
  for (let w = 0; w < 6; w++) {
    const week: GridDay[] = [];
    for (let i = 0; i < 7; i++) {
      const d = new Date(start.getTime() + (w * 7 + i) * 86_400_000);
      const date = iso(d);
      const loc = locals.get(date) ?? null;
      const weekend = i >= 5;
      let kind: DayKind = weekend ? 'weekend' : 'workday';
      let name: string | null = null;
      if (holidays.has(date)) [kind, name] = ['holiday', holidays.get(date)!];
      else if (makeUp.has(date)) [kind, name] = ['makeup', makeUp.get(date)!];
      if (loc) [kind, name] = [loc.kind === 'holiday' ? 'holiday' : weekend || kind === 'holiday' ? 'makeup' : 'workday', loc.name];
      week.push({ date, day: d.getUTCDate(), inMonth: d.getUTCMonth() === month - 1, kind, name, local: loc, today: date === today });
    }
    // A sixth week wholly in the next month is left out.
    if (w > 0 && !week.some((x) => x.inMonth)) break;
    weeks.push(week);
  }
  return weeks;
}

/** The day as a sentence for the panel under the grid. */
export function describeDay(d: GridDay): string {
  const base = d.local
    ? `本地${d.local.kind === 'holiday' ? '放假' : '调休上班'}：${d.local.name}`
    : d.kind === 'holiday' ? `法定节假日：${d.name}` : d.kind === 'makeup' ? `调休上班：${d.name}` : d.kind === 'weekend' ? '周末休息' : '工作日';
  const counts = d.kind === 'holiday' || d.kind === 'weekend' ? '不计入办理期限' : '计入办理期限';
  return `${base}（${counts}）`;
}
