/**
 * The traffic light of a key project (序时进度, ADR 0009 / ADR 0009), as one pure function the server's job and
 * the tests share. Rules, worst wins:
 *   red     year-to-date completion more than `redPoints` (30) percentage points behind the schedule share;
 *   red     not yet 开工 more than `startLateMonths` (3) months after the planned start date;
 *   yellow  `yellowPoints` (10) to `redPoints` points behind (both ends included);
 *   yellow  any milestone past its planned date without an actual date;
 *   green   otherwise (ahead, on schedule, or less than `yellowPoints` behind — the published practice).
 * Projects without an annual plan for the year skip the schedule rule. The schedule share is "elapsed months
 * / 12" (calendar mode) or "working days elapsed / working days of the year" (working-days mode), counted to
 * the end of the previous month: on 2026-07-15 the schedule is 6/12 = 50%.
 */
import { addCalendarDays, type LocalDate } from '../calendar/shanghai-time';
import { isWorkingDay, type WorkCalendar } from '../calendar/working-days';
import { deviationBasisPoints, formatPoints, type Share } from './project-money';
import { stageAtLeast, type ProjectStage } from './project-machine';

/** The three lights. */
export const PROJECT_LIGHTS = ['green', 'yellow', 'red'] as const;
/** A light. */
export type ProjectLight = (typeof PROJECT_LIGHTS)[number];

/** Per-district thresholds (district.settings.projects.lights). */
export type LightSettings = {
  yellowPoints: number;
  redPoints: number;
  startLateMonths: number;
  scheduleMode: 'calendar' | 'working_days';
};

/** Defaults from the published practice (Yinchuan): 10 / 30 points, 3 months. */
export const DEFAULT_LIGHT_SETTINGS: LightSettings = { yellowPoints: 10, redPoints: 30, startLateMonths: 3, scheduleMode: 'calendar' };

/** What the rule looks at. */
export type LightInput = {
  asOf: LocalDate;
  stage: ProjectStage;
  plannedStartOn: LocalDate | null;
  annualPlan: bigint;
  completedYtd: bigint;
  /** share of the year elapsed (see `scheduleShare`) */
  share: Share;
  /** milestones past their planned date without an actual date, by name */
  overdueMilestones: readonly string[];
};

/** The verdict: the light, the reasons at that level (Chinese, shown and stored) and the deviation if any. */
export type LightResult = { light: ProjectLight; reasons: string[]; deviationBp: bigint | null };

/** Adds `n` calendar months to a date, clamping to the month's last day (2026-11-30 + 3 → 2027-02-28). */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Share of the year elapsed on `asOf`, counted in whole months ended before that day. Calendar mode: months/12.
 * Working-days mode: working days from Jan 1 to the end of those months / working days of the year. With
 * `throughEndOfDay` (a period that ends on `asOf`, as the figures use), a month whose last day is `asOf` counts
 * too: a period ending 2026-06-30 has schedule 6/12, one ending 2026-12-31 has 12/12.
 */
export function scheduleShare(asOf: LocalDate, mode: LightSettings['scheduleMode'], cal?: WorkCalendar, throughEndOfDay = false): Share {
  const year = Number(asOf.slice(0, 4));
  const lastOfMonth = addCalendarDays(asOf, 1).slice(5, 7) !== asOf.slice(5, 7);
  const months = Number(asOf.slice(5, 7)) - 1 + (throughEndOfDay && lastOfMonth ? 1 : 0);
  if (mode === 'calendar' || !cal) return { num: months, den: 12 };
  let done = 0;
  let total = 0;
  const cutoff = months === 12 ? `${year + 1}-01-01` : `${year}-${String(months + 1).padStart(2, '0')}-01`;
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addCalendarDays(d, 1)) {
    if (!isWorkingDay(cal, d)) continue;
    total++;
    if (d < cutoff) done++;
  }
  return { num: done, den: total };
}

const RANK: Record<ProjectLight, number> = { green: 0, yellow: 1, red: 2 };

/** Computes the light (see the module comment for the rules). */
export function computeLight(input: LightInput, settings: LightSettings = DEFAULT_LIGHT_SETTINGS): LightResult {
  const found: { light: ProjectLight; reason: string }[] = [];
  const deviationBp = deviationBasisPoints(input.completedYtd, input.annualPlan, input.share);
  if (deviationBp !== null && deviationBp < 0n) {
    // Thresholds are compared exactly (not on the rounded figure): behind = num/den - completed/plan, in points.
    const plan = input.annualPlan;
    const den = BigInt(input.share.den);
    const behindScaled = (BigInt(input.share.num) * plan - input.completedYtd * den) * 100n; // points × plan × den
    const over = (points: number) => behindScaled > BigInt(points) * plan * den;
    const atLeast = (points: number) => behindScaled >= BigInt(points) * plan * den;
    const pts = formatPoints(-deviationBp);
    if (over(settings.redPoints)) found.push({ light: 'red', reason: `落后时间进度${pts}个百分点` });
    else if (atLeast(settings.yellowPoints)) found.push({ light: 'yellow', reason: `落后时间进度${pts}个百分点` });
  }
  if (input.plannedStartOn && !stageAtLeast(input.stage, 'started')) {
    const limit = addMonths(input.plannedStartOn, settings.startLateMonths);
    if (input.asOf > limit) found.push({ light: 'red', reason: `计划${input.plannedStartOn}开工，逾期超过${settings.startLateMonths}个月未开工` });
  }
  if (input.overdueMilestones.length > 0) found.push({ light: 'yellow', reason: `节点逾期：${input.overdueMilestones.join('、')}` });
  const light = found.reduce<ProjectLight>((w, f) => (RANK[f.light] > RANK[w] ? f.light : w), 'green');
  return { light, reasons: found.filter((f) => f.light === light).map((f) => f.reason), deviationBp };
}
