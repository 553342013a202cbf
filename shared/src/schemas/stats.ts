import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DateAbout, Line, Month, Nullable, Timestamp, Uuid } from './common';
import { ProjectStats } from './projects';

/**
 * Indicators, chart-shaped statistics, rankings and the work report (docs/metrics.md). Every figure is defined once in
 * docs/metrics.md ("Indicators") and counted by server/src/modules/indicators; rates come from
 * shared/src/report/indicators.ts.
 */

const Rate = (description: string) => Nullable(Type.Number({ description: `${description}（百分比，一位小数；分母为 0 时为 null）` }));
const Int = (description: string) => Type.Integer({ minimum: 0, description });
const Ref = Type.Object({ id: Uuid, name: Type.String() });
const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

/** Period and scope, shared by every /stats route and the work report. */
export const StatsScopeQuery = {
  from: DateAbout('期间起（含），YYYY-MM-DD'),
  to: DateAbout('期间止（含），YYYY-MM-DD；期间最长 366 天'),
  scope: Type.Optional(lit(['district', 'area', 'department', 'steward', 'category', 'city'] as const)),
  scopeId: Type.Optional(Uuid),
};
export const StatsQuery = Type.Object(StatsScopeQuery, { additionalProperties: false });
export type StatsQuery = Static<typeof StatsQuery>;

export const IndicatorWeightsSchema = Type.Object({
  response: Type.Number({ minimum: 0, maximum: 1, description: '响应率（及时签收率）权重' }),
  solve: Type.Number({ minimum: 0, maximum: 1, description: '解决率权重' }),
  satisfaction: Type.Number({ minimum: 0, maximum: 1, description: '满意率权重' }),
  basicallySatisfied: Type.Number({ minimum: 0, maximum: 1, description: '基本满意折算系数（默认 0.9）' }),
}, { additionalProperties: false });

export const IndicatorSettingsSchema = Type.Object({
  weights: IndicatorWeightsSchema,
  redBlackN: Type.Integer({ minimum: 1, maximum: 20, description: '红榜、黑榜各列几名' }),
});
export type IndicatorSettingsBody = Static<typeof IndicatorSettingsSchema>;
export const IndicatorSettingsUpdate = Type.Object({
  weights: Type.Optional(IndicatorWeightsSchema),
  redBlackN: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
}, { additionalProperties: false, minProperties: 1 });
export type IndicatorSettingsUpdate = Static<typeof IndicatorSettingsUpdate>;

const CountsProps = {
  received: Int('受理诉求（期间内提出，不含撤回、合并）'),
  solved: Int('已解决（企业确认或回访确认，截至期末）'),
  inCoordination: Int('正在协调解决 = 受理 − 已解决'),
  handled: Int('已办结'),
  accepted: Int('已签收（截至期末）'),
  acceptedOnTime: Int('按时签收'),
  replied: Int('已答复（截至期末）'),
  repliedOnTime: Int('按时答复'),
  returned: Int('被退回过的诉求'),
  reopened: Int('重办过的诉求'),
  extended: Int('获批延期的诉求'),
  withdrawn: Int('撤回'),
  overdue: Int('当前超期未办结'),
  satisfied: Int('满意'),
  basicallySatisfied: Int('基本满意'),
  dissatisfied: Int('不满意'),
};
const RatesProps = {
  acceptOnTimeRate: Rate('及时签收率（即响应率）'),
  replyOnTimeRate: Rate('按时办结率'),
  handledRate: Rate('办结率'),
  solveRate: Rate('解决率'),
  satisfactionRate: Rate('满意率 =（满意 + w×基本满意）÷ 有效回访'),
  returnRate: Rate('回退率'),
  reopenRate: Rate('重办率'),
  avgAcceptDays: Nullable(Type.Number({ description: '平均签收用时（工作日，一位小数）' })),
  avgReplyDays: Nullable(Type.Number({ description: '平均答复用时（工作日，一位小数）' })),
  score: Nullable(Type.Number({ description: '综合得分 = w1×响应率 + w2×解决率 + w3×满意率（一位小数；无受理时为 null）' })),
};
export const IndicatorRow = Type.Object({ ...CountsProps, ...RatesProps });
export type IndicatorRow = Static<typeof IndicatorRow>;

export const CategoryCount = Type.Object({
  category: Ref,
  received: Type.Integer(),
  solved: Type.Integer(),
  children: Type.Array(Type.Object({ category: Ref, received: Type.Integer(), solved: Type.Integer() }), { description: '子类别（按受理数）' }),
});

export const VisitIndicators = Type.Object({
  contacts: Int('对接企业次数（已签到或已完成的走访）'),
  byChannel: Type.Object({ onsite: Type.Integer(), phone: Type.Integer(), wechat: Type.Integer(), meeting: Type.Integer() }),
  enterprisesContacted: Int('被对接的企业数'),
  enterprisesAssigned: Int('期间内包保的企业数'),
  assignedContacted: Int('包保企业中被对接的企业数'),
  coverageRate: Rate('覆盖率 = 包保企业中被对接的 ÷ 包保企业'),
  stewardsBehind: Nullable(Type.Integer({ description: '期末未达走访频次的管家数（仅全区县、属地口径）' })),
  problemsRaised: Int('走访中提出的问题数'),
});
export type VisitIndicators = Static<typeof VisitIndicators>;

export const IndicatorSummary = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String(), asOf: Timestamp }),
  scope: Type.Object({ kind: Type.String(), id: Nullable(Uuid), name: Type.String() }),
  weights: IndicatorWeightsSchema,
  tickets: Type.Object({
    ...IndicatorRow.properties,
    enterprises: Int('提出诉求的企业数'),
    escalations: Type.Object({ level2: Type.Integer(), level3: Type.Integer(), level4: Type.Integer() }, { description: '按当前升级层级' }),
    supervisions: Type.Object({ issued: Type.Integer(), done: Type.Integer() }, { description: '期间内下发的督办单及其中已办结的' }),
    byCategory: Type.Array(CategoryCount),
  }),
  visits: Nullable(VisitIndicators),
  projects: Nullable(ProjectStats),
});
export type IndicatorSummary = Static<typeof IndicatorSummary>;

export const BreakdownQuery = Type.Object({
  ...StatsScopeQuery,
  by: lit(['category', 'area', 'department', 'steward', 'district'] as const),
}, { additionalProperties: false });
export type BreakdownQuery = Static<typeof BreakdownQuery>;
export const Breakdown = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  by: Type.String(),
  total: IndicatorRow,
  rows: Type.Array(Type.Object({
    key: Ref,
    ...IndicatorRow.properties,
    district: Type.Optional(Ref),
    districts: Type.Optional(Type.Array(Type.Object({ district: Ref, received: Type.Integer(), solved: Type.Integer() }), {
      description: '市级按类别：本市各区县（按代码）该类别的受理与解决，逐区县并列，无受理的为 0',
    })),
  }, { description: '市级按属地、部门、管家分组时，district 为该行所属区县' }), { description: '按受理数从多到少（市级按属地、部门、管家：按区县代码，再按受理数）；各行之和等于合计（按管家：管家提出的诉求）' }),
});
export type Breakdown = Static<typeof Breakdown>;

export const SeriesQuery = Type.Object({
  ...StatsScopeQuery,
  interval: lit(['week', 'month'] as const),
}, { additionalProperties: false });
export type SeriesQuery = Static<typeof SeriesQuery>;
export const Series = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  interval: Type.String(),
  points: Type.Array(Type.Object({
    label: Type.String({ description: '如 2026-03 或 2026-03-02 起的一周' }),
    from: Type.String(), to: Type.String(),
    received: Type.Integer(), solved: Type.Integer(), overdue: Type.Integer(), contacts: Type.Integer(),
    solveRate: Rate('解决率'), satisfactionRate: Rate('满意率'),
  })),
});
export type Series = Static<typeof Series>;

export const RankingQuery = Type.Object({ month: Month }, { additionalProperties: false });
export type RankingQuery = Static<typeof RankingQuery>;

const Change = Nullable(Type.Object({ direction: lit(['up', 'down', 'same', 'new'] as const), places: Type.Integer(), text: Type.String({ description: '↑2 / ↓1 / — / 新上榜' }) }));
export const DepartmentRankingRow = Type.Object({
  department: Ref,
  rank: Nullable(Type.Integer({ minimum: 1, description: '名次，1 为最好；无受理的不参与排名' })),
  previousRank: Nullable(Type.Integer()),
  change: Change,
  ...IndicatorRow.properties,
});
export type DepartmentRankingRow = Static<typeof DepartmentRankingRow>;
export const StewardRankingRow = Type.Object({
  steward: Ref,
  rank: Nullable(Type.Integer({ minimum: 1 })),
  previousRank: Nullable(Type.Integer()),
  change: Change,
  contacts: Type.Integer(),
  enterprisesAssigned: Type.Integer(),
  assignedContacted: Type.Integer(),
  coverageRate: Rate('覆盖率'),
  problemsRaised: Type.Integer({ description: '管家提出的诉求（期间内，不含撤回、合并）' }),
  problemsSolved: Type.Integer(),
  solveRate: Rate('解决率'),
  satisfactionRate: Rate('满意率'),
  score: Nullable(Type.Number({ description: '覆盖率、解决率、满意率（有值者）的平均，一位小数' })),
});
export type StewardRankingRow = Static<typeof StewardRankingRow>;

const RankingBody = <T extends TSchema>(row: T) => Type.Object({
  kind: Type.String(),
  month: Type.String(),
  weights: IndicatorWeightsSchema,
  redBlackN: Type.Integer(),
  rows: Type.Array(row, { description: '按名次' }),
  red: Type.Array(row, { description: '红榜（前 N 名）' }),
  black: Type.Array(row, { description: '黑榜（后 N 名，末位在最后）' }),
  published: Nullable(Type.Object({ id: Uuid, publishedAt: Timestamp, publishedBy: Ref })),
});
export const DepartmentRanking = RankingBody(DepartmentRankingRow);
export type DepartmentRanking = Static<typeof DepartmentRanking>;
export const StewardRanking = RankingBody(StewardRankingRow);
export type StewardRanking = Static<typeof StewardRanking>;

export const PublishRankingBody = Type.Object({
  kind: lit(['department', 'steward'] as const),
  month: Month,
  note: Type.Optional(Line({ maxLength: 200 })),
}, { additionalProperties: false });
export type PublishRankingBody = Static<typeof PublishRankingBody>;

/** A published (frozen) ranking: its rows as they were at publication; later edits to tickets do not change them. */
export const PublishedRanking = Type.Object({
  id: Uuid,
  kind: lit(['department', 'steward'] as const),
  month: Type.String(),
  note: Nullable(Type.String()),
  publishedAt: Timestamp,
  publishedBy: Ref,
  weights: IndicatorWeightsSchema,
  redBlackN: Type.Integer(),
  rows: Type.Array(Type.Union([DepartmentRankingRow, StewardRankingRow])),
  red: Type.Array(Type.Union([DepartmentRankingRow, StewardRankingRow])),
  black: Type.Array(Type.Union([DepartmentRankingRow, StewardRankingRow])),
  mine: Nullable(Type.Integer({ description: '调用者本人（管家）或本部门在 rows 中的下标' })),
});
export type PublishedRanking = Static<typeof PublishedRanking>;
export const PublishedRankingItem = Type.Object({ id: Uuid, kind: Type.String(), month: Type.String(), publishedAt: Timestamp, rows: Type.Integer() });
export const PublishedRankingListQuery = Type.Object({
  kind: Type.Optional(lit(['department', 'steward'] as const)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 24 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
}, { additionalProperties: false });
export type PublishedRankingListQuery = Static<typeof PublishedRankingListQuery>;

export const WorkReportQuery = Type.Object({
  ...StatsScopeQuery,
  format: Type.Optional(lit(['docx', 'md', 'json'] as const)),
}, { additionalProperties: false });
export type WorkReportQuery = Static<typeof WorkReportQuery>;

/** The work report as data: the title and its sections in print order (sections with nothing to say are absent). */
export const WorkReport = Type.Object({
  title: Type.String(),
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  scope: Type.Object({ kind: Type.String(), id: Nullable(Uuid), name: Type.String() }),
  sections: Type.Array(Type.Object({
    key: lit(['overview', 'tickets', 'projects', 'rankings', 'problems', 'next'] as const),
    heading: Type.String({ description: '如 一、总体情况' }),
    paragraphs: Type.Array(Type.Object({
      heading: Type.Optional(Type.String({ description: '如 （一）红榜' })),
      text: Type.String(),
      items: Type.Optional(Type.Array(Type.String(), { description: '1. 2. … 列出的条目' })),
    })),
  })),
  figures: IndicatorSummary,
});
export type WorkReport = Static<typeof WorkReport>;

/** The districts of a city ranked by the composite score for a month (city people, ADR 0008). */
export const DistrictRankingRow = Type.Object({
  district: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  rank: Nullable(Type.Integer({ minimum: 1, description: '名次，1 为最好；无受理的不参与排名' })),
  previousRank: Nullable(Type.Integer()),
  change: Change,
  text: Type.String({ description: '如 在全市3个区县综合考评中居第一；无受理时为空' }),
  enterprises: Int('提出诉求的企业数'),
  ...IndicatorRow.properties,
});
export type DistrictRankingRow = Static<typeof DistrictRankingRow>;
export const DistrictRanking = Type.Object({
  kind: Type.Literal('district'),
  month: Type.String(),
  city: Type.Object({ code: Type.String(), name: Type.String() }),
  weights: IndicatorWeightsSchema,
  redBlackN: Type.Integer(),
  rows: Type.Array(DistrictRankingRow, { description: '按名次' }),
  red: Type.Array(DistrictRankingRow),
  black: Type.Array(DistrictRankingRow),
});
export type DistrictRanking = Static<typeof DistrictRanking>;
