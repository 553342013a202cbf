/**
 * The indicators the office hands upward (docs/metrics.md): the pure formulas behind every rate, the composite score, the
 * rankings (考核, 红黑榜) and their month-on-month change. The server counts in SQL (server/src/modules/indicators);
 * this module turns counts into rates and ranks, so the server, the report and the mini-app agree on every number.
 * Definitions: docs/metrics.md, "Indicators".
 */

/** Weights of the 12345 platforms' three rates; per district (district.settings.indicators), coordinator-editable. */
export type IndicatorWeights = {
  /** weight of 响应率 (= 及时签收率) in the composite score */
  response: number;
  /** weight of 解决率 */
  solve: number;
  /** weight of 满意率 */
  satisfaction: number;
  /** how much one 基本满意 counts in 满意率 (满意 counts 1) */
  basicallySatisfied: number;
};

/** The default weights: composite = 0.1 × 响应 + 0.5 × 解决 + 0.4 × 满意, 基本满意 counts 0.9. */
export const DEFAULT_INDICATOR_WEIGHTS: IndicatorWeights = { response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 };

/** A district's indicator settings: weights and how many departments the 红榜 / 黑榜 name. */
export type IndicatorSettings = { weights: IndicatorWeights; redBlackN: number };
export const DEFAULT_INDICATOR_SETTINGS: IndicatorSettings = { weights: DEFAULT_INDICATOR_WEIGHTS, redBlackN: 3 };

/** The longest period a statistics query may cover, in calendar days (a year, leap years included). */
export const MAX_STATS_PERIOD_DAYS = 366;

/**
 * Why a set of weights cannot be used, in Chinese, or null. Each weight lies in [0, 1]; the three score weights add
 * up to 1 (to the third decimal), so a score stays a percentage.
 */
export function weightsProblem(w: IndicatorWeights): string | null {
  for (const k of ['response', 'solve', 'satisfaction', 'basicallySatisfied'] as const) {
    if (!Number.isFinite(w[k]) || w[k] < 0 || w[k] > 1) return `${WEIGHT_LABELS[k]}应在 0 到 1 之间`;
  }
  if (Math.abs(w.response + w.solve + w.satisfaction - 1) > 0.0005) return '响应率、解决率、满意率三项权重之和应为 1';
  return null;
}

/** The ticket counts of a period and scope, as the indicators module counts them in SQL. */
export type IndicatorCounts = {
  /** 受理: created in the period, neither withdrawn nor merged */
  received: number;
  /** 已解决: received and solved (enterprise's or 回访's verdict) by the as-of instant */
  solved: number;
  /** 已办结: received and handled (answered and closed out by the department) */
  handled: number;
  /** 签收: accepted by the as-of instant (merged tickets left out) */
  accepted: number;
  acceptedOnTime: number;
  /** 答复: answered by the as-of instant (merged tickets left out) */
  replied: number;
  repliedOnTime: number;
  /** received and sent back (退回) at least once */
  returned: number;
  /** received and reopened (重办) at least once */
  reopened: number;
  /** received and granted an extension (延期) */
  extended: number;
  /** withdrawn (撤回) among the tickets created in the period */
  withdrawn: number;
  /** created in the period and past a running deadline now */
  overdue: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** sum and count of working days from 交办 to 签收 / to 答复 */
  acceptDaysSum: number;
  acceptDaysN: number;
  replyDaysSum: number;
  replyDaysN: number;
  /** received and escalated to level 2 (部门) / 3 (县级帮扶责任人) / 4 (协调会), by current level */
  escalatedL2: number;
  escalatedL3: number;
  escalatedL4: number;
};

export const ZERO_INDICATOR_COUNTS: IndicatorCounts = {
  received: 0, solved: 0, handled: 0, accepted: 0, acceptedOnTime: 0, replied: 0, repliedOnTime: 0, returned: 0, reopened: 0,
  extended: 0, withdrawn: 0, overdue: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, acceptDaysSum: 0, acceptDaysN: 0,
  replyDaysSum: 0, replyDaysN: 0, escalatedL2: 0, escalatedL3: 0, escalatedL4: 0,
};

/** Sums counts field by field (categories add up to the total because the total is their sum). */
export function addCounts(a: IndicatorCounts, b: IndicatorCounts): IndicatorCounts {
  const out = { ...a };
  for (const k of Object.keys(ZERO_INDICATOR_COUNTS) as (keyof IndicatorCounts)[]) out[k] = a[k] + b[k];
  return out;
}

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function pct(num: number, den: number): number | null {
  return den > 0 ? Math.round((num / den) * 1000) / 10 : null;
}

/**
 * 满意率 = (满意 + w × 基本满意) ÷ 有效回访 (满意 + 基本满意 + 不满意), a percentage with one decimal, null without a
 * verdict: the one definition behind /stats/*, /ticket-stats, the city view and the rankings.
 */
export function satisfactionRateOf(satisfied: number, basicallySatisfied: number, dissatisfied: number, w: Pick<IndicatorWeights, 'basicallySatisfied'> = DEFAULT_INDICATOR_WEIGHTS): number | null {
  return pct(satisfied + w.basicallySatisfied * basicallySatisfied, satisfied + basicallySatisfied + dissatisfied);
}

/** The rates of a set of counts (percentages, one decimal; null without a denominator). */
export type IndicatorRates = {
  /** 及时签收率 = accepted on time ÷ accepted; also the 响应率 of the composite score */
  acceptOnTimeRate: number | null;
  /** 按时办结率 = answered on time ÷ answered */
  replyOnTimeRate: number | null;
  /** 办结率 = handled ÷ received */
  handledRate: number | null;
  /** 解决率 = solved ÷ received */
  solveRate: number | null;
  /** 满意率 = (满意 + w × 基本满意) ÷ 有效回访 */
  satisfactionRate: number | null;
  /** 回退率 = returned ÷ received */
  returnRate: number | null;
  /** 重办率 = reopened ÷ received */
  reopenRate: number | null;
  /** average working days 交办 → 签收 / → 答复, one decimal */
  avgAcceptDays: number | null;
  avgReplyDays: number | null;
  /** composite = w1 × 响应率 + w2 × 解决率 + w3 × 满意率 (a missing rate counts 0); null when nothing was received */
  score: number | null;
};

/** Rates and the composite score of a set of counts under a district's weights. */
export function indicatorRates(c: IndicatorCounts, w: IndicatorWeights = DEFAULT_INDICATOR_WEIGHTS): IndicatorRates {
  const acceptOnTimeRate = pct(c.acceptedOnTime, c.accepted);
  const solveRate = pct(c.solved, c.received);
  const satisfactionRate = satisfactionRateOf(c.satisfied, c.basicallySatisfied, c.dissatisfied, w);
  return {
    acceptOnTimeRate,
    replyOnTimeRate: pct(c.repliedOnTime, c.replied),
    handledRate: pct(c.handled, c.received),
    solveRate,
    satisfactionRate,
    returnRate: pct(c.returned, c.received),
    reopenRate: pct(c.reopened, c.received),
    avgAcceptDays: c.acceptDaysN ? Math.round((c.acceptDaysSum / c.acceptDaysN) * 10) / 10 : null,
    avgReplyDays: c.replyDaysN ? Math.round((c.replyDaysSum / c.replyDaysN) * 10) / 10 : null,
    score: compositeScore(c.received, acceptOnTimeRate, solveRate, satisfactionRate, w),
  };
}

/** The composite score, one decimal; null when nothing was received (nothing to judge). */
export function compositeScore(received: number, response: number | null, solve: number | null, satisfaction: number | null, w: IndicatorWeights): number | null {
  if (received === 0) return null;
  return Math.round((w.response * (response ?? 0) + w.solve * (solve ?? 0) + w.satisfaction * (satisfaction ?? 0)) * 10) / 10;
}

/** How a row moved since last month's ranking. */
export type RankChange = { direction: 'up' | 'down' | 'same' | 'new'; places: number };

/** ↑ N / ↓ N / — / 新 from last month's rank (null: not ranked last month) to this month's. */
export function rankChange(previous: number | null, current: number | null): RankChange | null {
  if (current === null) return null;
  if (previous === null) return { direction: 'new', places: 0 };
  if (previous === current) return { direction: 'same', places: 0 };
  return previous > current ? { direction: 'up', places: previous - current } : { direction: 'down', places: current - previous };
}

/** "↑2", "↓1", "—", "新上榜" as printed in a ranking table. */
export function rankChangeText(c: RankChange | null): string {
  if (!c) return '';
  return c.direction === 'up' ? `↑${c.places}` : c.direction === 'down' ? `↓${c.places}` : c.direction === 'same' ? '—' : '新上榜';
}

/**
 * Competition ranking (1, 2, 2, 4) by a value, higher first; rows without a value are unranked (rank null) and
 * come last. Ties keep the order of `tie` (a name or a code) so the list is stable.
 */
export function rankRows<T>(rows: readonly T[], value: (r: T) => number | null, tie: (r: T) => string): (T & { rank: number | null })[] {
  const sorted = [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return cmp(tie(a), tie(b));
    if (va === null) return 1;
    if (vb === null) return -1;
    return vb - va || cmp(tie(a), tie(b));
  });
  let last: number | null = null;
  let lastRank = 0;
  return sorted.map((r, i) => {
    const v = value(r);
    if (v === null) return { ...r, rank: null };
    if (v !== last) {
      lastRank = i + 1;
      last = v;
    }
    return { ...r, rank: lastRank };
  });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * 红榜 (the first n ranked rows) and 黑榜 (the last n ranked rows, worst last), never naming a row on both: with
 * fewer than 2n ranked rows the 黑榜 takes only those not on the 红榜. Unranked rows are on neither.
 */
export function redBlackLists<T extends { rank: number | null }>(ranked: readonly T[], n: number): { red: T[]; black: T[] } {
  const withRank = ranked.filter((r) => r.rank !== null);
  const red = withRank.slice(0, Math.max(0, n));
  const rest = withRank.slice(red.length);
  const black = rest.slice(Math.max(0, rest.length - n));
  return { red, black };
}

/** Chinese labels of every indicator a person can see (charts, tables, the report). */
export const INDICATOR_LABELS = {
  received: '受理诉求',
  enterprises: '提出诉求企业',
  solved: '已解决',
  inCoordination: '正在协调解决',
  handled: '已办结',
  accepted: '已签收',
  acceptedOnTime: '按时签收',
  replied: '已答复',
  repliedOnTime: '按时答复',
  returned: '退回',
  reopened: '重办',
  extended: '延期',
  withdrawn: '撤回',
  overdue: '超期未办结',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
  acceptOnTimeRate: '及时签收率',
  replyOnTimeRate: '按时办结率',
  handledRate: '办结率',
  solveRate: '解决率',
  satisfactionRate: '满意率',
  responseRate: '响应率',
  returnRate: '回退率',
  reopenRate: '重办率',
  avgAcceptDays: '平均签收用时（工作日）',
  avgReplyDays: '平均答复用时（工作日）',
  score: '综合得分',
  supervisionsIssued: '下发督办单',
  supervisionsDone: '督办办结',
  escalatedL2: '升级至部门层面',
  escalatedL3: '升级至县级帮扶责任人',
  escalatedL4: '提交协调会',
  contacts: '对接企业次数',
  enterprisesContacted: '走访覆盖企业',
  enterprisesAssigned: '包保企业',
  coverageRate: '覆盖率',
  stewardsBehind: '未按频次走访的管家',
  problemsRaised: '提出问题',
  problemsSolved: '解决问题',
} as const;

export const WEIGHT_LABELS: Record<keyof IndicatorWeights, string> = {
  response: '响应率权重', solve: '解决率权重', satisfaction: '满意率权重', basicallySatisfied: '基本满意折算系数',
};

/** The scopes a statistics query can take (city across districts is the city view, ADR 0008). */
export const STATS_SCOPES = ['district', 'area', 'department', 'steward', 'category'] as const;
export type StatsScope = (typeof STATS_SCOPES)[number];
export const STATS_SCOPE_LABELS: Record<StatsScope, string> = { district: '全区县', area: '属地', department: '责任单位', steward: '管家', category: '诉求类别' };

/** Breakdown dimensions of `/stats/breakdown`. */
export const STATS_DIMENSIONS = ['category', 'area', 'department', 'steward'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];
export const STATS_DIMENSION_LABELS: Record<StatsDimension, string> = { category: '按诉求类别', area: '按属地', department: '按责任单位', steward: '按管家' };

/** Ranking kinds (考核 of departments, of stewards). */
export const RANKING_KINDS = ['department', 'steward'] as const;
export type RankingKind = (typeof RANKING_KINDS)[number];
export const RANKING_KIND_LABELS: Record<RankingKind, string> = { department: '部门考核排名', steward: '管家考核排名' };
export const RED_BLACK_LABELS = { red: '红榜', black: '黑榜' } as const;

/**
 * A steward's score for the steward ranking: the mean of their coverage rate, solve rate and satisfaction rate
 * among those that exist (a steward with none of them is unranked). Contacts and problems raised are shown beside it.
 */
export function stewardScore(coverageRate: number | null, solveRate: number | null, satisfactionRate: number | null): number | null {
  const parts = [coverageRate, solveRate, satisfactionRate].filter((x): x is number => x !== null);
  if (!parts.length) return null;
  return Math.round((parts.reduce((s, x) => s + x, 0) / parts.length) * 10) / 10;
}
