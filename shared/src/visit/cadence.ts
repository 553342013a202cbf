/**
 * Contact cadence (ADR 0006): how often a steward must contact each enterprise ("每月与企业沟通一次",
 * "每月到现场不少于2次"), whether this period's contacts meet the rule, and the plausibility flags of an
 * on-site check-in. Pure: the server feeds it rows, the mini-app may show the same status offline.
 * Periods are Asia/Shanghai calendar periods (a visit at 00:10 on 1 November Beijing time is a November visit,
 * although it is still 31 October in UTC).
 */
import { addCalendarDays, isoWeekday, shanghaiDate, startOfShanghaiDay, type LocalDate } from '../calendar/shanghai-time';
import { distanceMeters, speedKmh, type LatLng } from '../geo/coords';

/**
 * The one definition of a contact (对接), used by coverage, cadence and the monthly report alike: a visit counts
 * once it happened — phone, WeChat or meeting when logged, on-site from the check-in (the steward is there even
 * before checking out). Planned and cancelled visits never count.
 */
export const CONTACT_STATUSES = ['checked_in', 'completed'] as const;

/** 走访方式: on-site, phone, WeChat, meeting (座谈会). */
export type VisitKind = 'onsite' | 'phone' | 'wechat' | 'meeting';

/** Length of a cadence period. Weeks are ISO weeks (Monday–Sunday). */
export type CadencePeriod = 'week' | 'month' | 'quarter';

/**
 * One district rule: enterprises of `enterpriseClass` need `requiredCount` contacts per period; with
 * `requiredKind: 'onsite'` only on-site visits count, with `'any'` every kind does.
 */
export type CadenceRule = {
  enterpriseClass: string;
  period: CadencePeriod;
  requiredKind: 'onsite' | 'any';
  requiredCount: number;
};

/** A period as instants (`start` inclusive, `end` exclusive) and as Shanghai dates (both inclusive). */
export type PeriodBounds = { start: Date; end: Date; firstDay: LocalDate; lastDay: LocalDate };

/** The Shanghai calendar week, month or quarter that contains `date`. */
export function periodBounds(date: Date, period: CadencePeriod): PeriodBounds {
  const today = shanghaiDate(date);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  let firstDay: LocalDate;
  let nextFirstDay: LocalDate;
  if (period === 'week') {
    firstDay = addCalendarDays(today, 1 - isoWeekday(today));
    nextFirstDay = addCalendarDays(firstDay, 7);
  } else {
    const months = period === 'month' ? 1 : 3;
    const firstMonth = period === 'month' ? m : m - ((m - 1) % 3);
    firstDay = ymd(y, firstMonth);
    nextFirstDay = firstMonth + months > 12 ? ymd(y + 1, firstMonth + months - 12) : ymd(y, firstMonth + months);
  }
  return { start: startOfShanghaiDay(firstDay), end: startOfShanghaiDay(nextFirstDay), firstDay, lastDay: addCalendarDays(nextFirstDay, -1) };
}

function ymd(y: number, m: number): LocalDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

/** A contact that may count toward a rule: its kind and when it happened (on-site: the check-in time). */
export type CadenceContact = { kind: VisitKind; at: Date };

/** 'done' (met), 'due' (not yet met, period still running), 'overdue' (period ended unmet). */
export type CadenceState = 'done' | 'due' | 'overdue';

/** Where an enterprise stands against its rule for one period, with what the steward's list shows. */
export type CadenceStatus = {
  status: CadenceState;
  required: number;
  counted: number;
  remaining: number;
  period: PeriodBounds;
  /** First Shanghai date on which a reminder is due (the last `reminderDaysBefore` days of the period). */
  remindFrom: LocalDate | null;
  /** True when the status is 'due' and today is on or after `remindFrom`: send the steward a reminder. */
  remind: boolean;
};

/**
 * Evaluates a rule for the period containing `periodOf` (default: the current one) as seen at `now`.
 * Contacts outside that period, or of a kind the rule does not count, are ignored, so callers may pass a
 * wider list. A period is 'overdue' only once it has ended unmet; until then it is 'due', and `remind` turns
 * on during its last `reminderDaysBefore` calendar days (0 = never).
 */
export function cadenceStatus(
  rule: CadenceRule,
  contactsInPeriod: readonly CadenceContact[],
  now: Date,
  reminderDaysBefore = 3,
  periodOf: Date = now,
): CadenceStatus {
  if (!Number.isInteger(rule.requiredCount) || rule.requiredCount < 1) throw new RangeError('requiredCount must be a positive integer');
  if (!Number.isInteger(reminderDaysBefore) || reminderDaysBefore < 0) throw new RangeError('reminderDaysBefore must be a non-negative integer');
  const period = periodBounds(periodOf, rule.period);
  const counted = contactsInPeriod.filter(
    (c) =>
      (rule.requiredKind === 'any' || c.kind === 'onsite') &&
      c.at.getTime() >= period.start.getTime() &&
      c.at.getTime() < period.end.getTime(),
  ).length;
  const remaining = Math.max(0, rule.requiredCount - counted);
  const status: CadenceState = remaining === 0 ? 'done' : now.getTime() >= period.end.getTime() ? 'overdue' : 'due';
  const remindFrom = reminderDaysBefore > 0 ? addCalendarDays(period.lastDay, 1 - reminderDaysBefore) : null;
  const remind = status === 'due' && remindFrom !== null && shanghaiDate(now) >= remindFrom;
  return { status, required: rule.requiredCount, counted, remaining, period, remindFrom, remind };
}

/** Flags on an on-site check-in; stored and shown to coordinators, never used to reject silently. */
export type PlausibilityFlag = 'outside_fence' | 'too_fast' | 'photo_reused' | 'low_accuracy' | 'no_enterprise_location';

/** All flags, in the order `plausibilityFlags` reports them. */
export const PLAUSIBILITY_FLAGS: readonly PlausibilityFlag[] = ['outside_fence', 'too_fast', 'photo_reused', 'low_accuracy', 'no_enterprise_location'];

/**
 * Flags a visit can carry: the check-in's plausibility flags, and two raised later — a visit checked out within a
 * minute of its check-in (`short_visit`), and one left open past the district's limit and closed by the job
 * (`auto_closed`).
 */
export type VisitFlag = PlausibilityFlag | 'short_visit' | 'auto_closed';
/** All visit flags (the schema's enum). */
export const VISIT_FLAGS: readonly VisitFlag[] = [...PLAUSIBILITY_FLAGS, 'short_visit', 'auto_closed'];
/** A visit shorter than this is flagged `short_visit` (a 0-minute visit). */
export const SHORT_VISIT_SECONDS = 60;

/** Reasons offered for a 外勤 check-in (the steward may also type one). */
export const OFFSITE_REASONS: readonly string[] = ['企业厂区较大，定位在厂区另一侧', '在企业新址或项目工地', '与企业负责人在外会面', '企业坐标有误'];

/** Chinese captions of the flags: in the one label table (labels.ts). */
export { PLAUSIBILITY_FLAG_LABELS } from '../labels';

/** Defaults from ADR 0006: 300 m fence, 120 km/h, 200 m accuracy. */
export const CHECK_IN_DEFAULTS = { fenceRadiusM: 300, maxSpeedKmh: 120, maxAccuracyM: 200 } as const;

/** What the server knows at a check-in. All points are WGS-84 (convert with `toWgs84` first). */
export type CheckInFacts = {
  point: LatLng;
  /** Accuracy the phone reported, metres; null (unknown) is flagged like a poor one. */
  accuracyM: number | null;
  /** Server time of the check-in. */
  at: Date;
  /** The steward's previous check-in (any enterprise), if any. */
  previous?: { point: LatLng; at: Date } | null;
  /** The enterprise's (or project's) stored location. */
  enterpriseLocation: LatLng | null;
  /** Whether this photo's content hash was seen on an earlier check-in (the server looks it up). */
  photoHashSeenBefore: boolean;
  fenceRadiusM?: number;
  maxSpeedKmh?: number;
  maxAccuracyM?: number;
};

/** Flags plus the measurements behind them, for the visit's `flagDetails`. */
export type CheckInAssessment = {
  flags: PlausibilityFlag[];
  /** Distance to the enterprise, metres; null without an enterprise location. */
  distanceM: number | null;
  /** False = 外勤; null when the enterprise has no location. */
  insideFence: boolean | null;
  /** Speed from the previous check-in, km/h; null without one. */
  speedKmh: number | null;
};

/**
 * Checks a check-in: outside the fence (distance > radius), faster than `maxSpeedKmh` from the previous
 * check-in, a reused photo, accuracy worse than `maxAccuracyM` (or unknown), no enterprise location.
 */
export function assessCheckIn(facts: CheckInFacts): CheckInAssessment {
  const radius = facts.fenceRadiusM ?? CHECK_IN_DEFAULTS.fenceRadiusM;
  const maxSpeed = facts.maxSpeedKmh ?? CHECK_IN_DEFAULTS.maxSpeedKmh;
  const maxAccuracy = facts.maxAccuracyM ?? CHECK_IN_DEFAULTS.maxAccuracyM;
  const distanceM = facts.enterpriseLocation ? distanceMeters(facts.point, facts.enterpriseLocation) : null;
  const insideFence = distanceM === null ? null : distanceM <= radius;
  const speed = facts.previous ? speedKmh(facts.previous.point, facts.previous.at, facts.point, facts.at) : null;
  const raised = new Set<PlausibilityFlag>();
  if (insideFence === false) raised.add('outside_fence');
  if (speed !== null && speed > maxSpeed) raised.add('too_fast');
  if (facts.photoHashSeenBefore) raised.add('photo_reused');
  if (facts.accuracyM === null || !Number.isFinite(facts.accuracyM) || facts.accuracyM > maxAccuracy) raised.add('low_accuracy');
  if (facts.enterpriseLocation === null) raised.add('no_enterprise_location');
  return { flags: PLAUSIBILITY_FLAGS.filter((f) => raised.has(f)), distanceM, insideFence, speedKmh: speed };
}

/** Just the flags of `assessCheckIn`, in `PLAUSIBILITY_FLAGS` order. */
export function plausibilityFlags(facts: CheckInFacts): PlausibilityFlag[] {
  return assessCheckIn(facts).flags;
}

/** Classes cadence rules are written for: 重点企业 (key) and every other enterprise. */
export type EnterpriseClass = 'key' | 'other';

/** Every enterprise class, key first. */
export const ENTERPRISE_CLASSES: readonly EnterpriseClass[] = ['key', 'other'];

/** What makes an enterprise "key" in a district: one of these tags, or (when set) being 规上 (scale 'above'). */
export type KeyEnterpriseCriteria = { keyTags: readonly string[]; keyIncludesAboveScale: boolean };

/** Default from ADR 0006: tagged 重点企业, or 规上. */
export const DEFAULT_KEY_CRITERIA: KeyEnterpriseCriteria = { keyTags: ['重点企业'], keyIncludesAboveScale: true };

/** The class of an enterprise under a district's criteria. */
export function enterpriseClass(
  e: { tags: readonly string[]; scale: 'above' | 'below' },
  criteria: KeyEnterpriseCriteria = DEFAULT_KEY_CRITERIA,
): EnterpriseClass {
  if (criteria.keyIncludesAboveScale && e.scale === 'above') return 'key';
  return e.tags.some((t) => criteria.keyTags.includes(t)) ? 'key' : 'other';
}

/**
 * Defaults from ADR 0006 and the seeds: key enterprises "每月到现场不少于2次" (2 on-site visits a month), the others
 * "每月与企业沟通一次" (one contact of any kind a month).
 */
export const DEFAULT_CADENCE_RULES: readonly CadenceRule[] = [
  { enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 },
  { enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 1 },
];

/** The rule for a class, or null when the district sets none (no cadence, no reminders for that class). */
export function ruleFor(rules: readonly CadenceRule[], cls: string): CadenceRule | null {
  return rules.find((r) => r.enterpriseClass === cls) ?? null;
}
