/**
 * Money and ratios for projects, exact end to end (ADR 0009). Amounts are integer 元: `bigint` in code and in
 * PostgreSQL, a decimal string of digits on the wire ("79650000000") — JSON numbers lose precision past 2^53
 * and JavaScript's `number` would tempt someone into float sums. Printing goes through `formatWan` (万元 below
 * 1 亿, 亿元 above, ≤ 2 decimals, trailing zeros trimmed: "796.5亿元", "2505万元"). Percentages are computed
 * in basis points (1/100 of a percent) with BigInt and printed with two decimals ("37.41%").
 */
import { formatWan } from '../report/money';

/** Wire format of an amount: integer 元 as digits, at most 15 (< 1000 万亿元). */
export const YUAN_PATTERN = '^(0|[1-9]\\d{0,14})$';
const YUAN_RE = new RegExp(YUAN_PATTERN);

/** True when `s` is a valid wire amount (non-negative integer 元). */
export function isYuanString(s: unknown): s is string {
  return typeof s === 'string' && YUAN_RE.test(s);
}

/** Parses a wire amount; throws RangeError on anything else (the schema rejects it first on the server). */
export function parseYuan(s: string): bigint {
  if (!isYuanString(s)) throw new RangeError(`not an amount of 元: ${String(s).slice(0, 32)}`);
  return BigInt(s);
}

/** Exact sum of amounts (bigint or wire strings). */
export function sumYuan(values: readonly (bigint | string)[]): bigint {
  let total = 0n;
  for (const v of values) total += typeof v === 'bigint' ? v : parseYuan(v);
  return total;
}

/** Prints an amount the seeds' way: "796.5亿元", "2505万元", "0万元". */
export function formatYuan(yuan: bigint | string): string {
  return formatWan(typeof yuan === 'bigint' ? yuan : parseYuan(yuan));
}

/** Rounds num/den to the nearest integer, halves away from zero. `den` must be positive. */
export function roundDiv(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError('denominator must be positive');
  const q = (num < 0n ? -num : num) * 2n + den;
  const r = q / (2n * den);
  return num < 0n ? -r : r;
}

/** part/whole in basis points (37.41% → 3741n), rounded half up; null when whole is 0 (nothing to compare to). */
export function basisPoints(part: bigint, whole: bigint): bigint | null {
  if (whole === 0n) return null;
  return roundDiv(part * 10_000n, whole);
}

/** Basis points printed as a percentage with two decimals: 3741n → "37.41%", 5000n → "50.00%". */
export function formatBasisPointsPercent(bp: bigint): string {
  const sign = bp < 0n ? '-' : '';
  const abs = bp < 0n ? -bp : bp;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}%`;
}

/** part/whole as "37.41%", or "—" when whole is 0. */
export function formatPercent(part: bigint, whole: bigint): string {
  const bp = basisPoints(part, whole);
  return bp === null ? '—' : formatBasisPointsPercent(bp);
}

/** Percentage points from basis points, ≤ 2 decimals, trailing zeros trimmed: 1380n → "13.8", -250n → "-2.5". */
export function formatPoints(bp: bigint): string {
  const sign = bp < 0n ? '-' : '';
  const abs = bp < 0n ? -bp : bp;
  const frac = (abs % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${sign}${abs / 100n}${frac ? `.${frac}` : ''}`;
}

/** An exact fraction of the year (elapsed months / 12, or working days elapsed / working days in the year). */
export type Share = { num: number; den: number };

/**
 * Schedule deviation in basis points of percentage points: (completed/plan − share) × 10000, rounded half
 * away from zero. Positive = ahead of schedule ("超过时间进度13.8个百分点"), negative = behind. Null without a plan.
 */
export function deviationBasisPoints(completed: bigint, plan: bigint, share: Share): bigint | null {
  if (plan === 0n || share.den <= 0) return null;
  const den = BigInt(share.den);
  const num = BigInt(share.num);
  // completed/plan - num/den = (completed*den - num*plan) / (plan*den)
  return roundDiv((completed * den - num * plan) * 10_000n, plan * den);
}

/**
 * The money half of the project figures (ProjectStats) from sums in yuan and the time schedule: the amounts, 完成率
 * of the annual plan, 时序进度 and the deviation from it, with their display text. One place for a district's
 * figures and a city's sum of them.
 */
export function projectMoneyFigures(total: bigint, plan: bigint, completed: bigint, share: Share) {
  const dev = deviationBasisPoints(completed, plan, share);
  const shareBp = (BigInt(share.num) * 20_000n + BigInt(share.den)) / (2n * BigInt(share.den));
  return {
    totalInvestment: total.toString(),
    annualPlan: plan.toString(),
    completedYtd: completed.toString(),
    percentOfPlan: plan > 0n ? formatPercent(completed, plan) : null,
    schedule: { num: share.num, den: share.den, percent: formatBasisPointsPercent(shareBp) },
    deviationPoints: dev === null ? null : formatPoints(dev),
    text: { totalInvestment: formatYuan(total), annualPlan: formatYuan(plan), completedYtd: formatYuan(completed) },
  };
}
