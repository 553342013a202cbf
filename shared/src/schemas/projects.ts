import { Type, type Static } from '@sinclair/typebox';
import { lit, Maybe, Ref } from './builders';
import { PageQuery, Timestamp, Uuid } from './common';
import { PROJECT_STAGE_ACTIONS, PROJECT_STAGES } from '../project/project-machine';
import { PROJECT_LIGHTS } from '../project/project-light';
import { BATCH_KINDS, FUNDING_SOURCES, PROJECT_KINDS } from '../project/project-labels';
import { YUAN_PATTERN } from '../project/project-money';

/**
 * API shapes of key projects (ADR 0009): the ledger, stage actions, annual plans, monthly 调度 reports,
 * milestones, lights, 三个一批 batches, weekly 调度会 and the figures. Money is integer 元 as a digit string
 * (ADR 0009); every derived figure (year to date, % of plan) is computed by the server, never typed.
 */

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '月份 YYYY-MM' });
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const Version = Type.Integer({ minimum: 1, description: '项目当前版本号（读取时返回），防止覆盖他人的修改' });
const PhotoIds = Type.Array(Uuid, { maxItems: 9, uniqueItems: true, description: '照片（先上传附件再引用其 id）' });

/** Integer 元 as a string of digits (no float on the way). */
export const Yuan = Type.String({ pattern: YUAN_PATTERN, description: '金额：整数元，以字符串传输，如 "79650000000"' });

export const ProjectStageSchema = lit(PROJECT_STAGES, 'planning 谋划(储备) / signed 签约 / started 开工 / completed 竣工 / producing 投产 / effective 达效');
export const ProjectKindSchema = lit(PROJECT_KINDS, 'new 新建 / continuing 续建 / expansion 改扩建');
export const ProjectLightSchema = lit(PROJECT_LIGHTS, 'green 绿灯 / yellow 黄灯 / red 红灯');
export const FundingSourceSchema = lit(FUNDING_SOURCES, 'fiscal 财政 / special_bond 专项债 / self_raised 企业自筹 / bank_loan 银行贷款 / other 其他');
export const BatchKindSchema = lit(BATCH_KINDS, 'sign 签约一批 / start 开工一批 / produce 投产一批');
export const ProjectStageActionSchema = lit(PROJECT_STAGE_ACTIONS);

export const FundingItem = Type.Object({
  source: FundingSourceSchema,
  amount: Yuan,
  note: Type.Optional(Type.String({ maxLength: 128 })),
}, { additionalProperties: false });
export type FundingItem = Static<typeof FundingItem>;

const projectFields = {
  name: Text(128, '项目全称'),
  enterpriseId: Type.String({ format: 'uuid', description: '业主单位（本区县企业）' }),
  areaId: Type.String({ format: 'uuid', description: '建设地点所在属地' }),
  location: Type.Optional(Type.String({ maxLength: 256, description: '建设地点' })),
  scaleContent: Type.Optional(Type.String({ maxLength: 2000, description: '建设规模及内容' })),
  industry: Type.Optional(Type.String({ maxLength: 64, description: '行业' })),
  nature: Text(16, '项目性质（本区县配置：产业/基础设施/社会民生/其他）'),
  levels: Type.Array(Text(16), { maxItems: 4, uniqueItems: true, description: '级别（本区县配置：省重点/市重点/县重点）' }),
  kind: ProjectKindSchema,
  startYear: Type.Integer({ minimum: 2000, maximum: 2100, description: '建设年限起' }),
  endYear: Type.Integer({ minimum: 2000, maximum: 2100, description: '建设年限止' }),
  plannedStartOn: Type.Optional(Day('计划开工日期')),
  plannedEndOn: Type.Optional(Day('计划竣工日期')),
  totalInvestment: Yuan,
  funding: Type.Array(FundingItem, { minItems: 1, maxItems: 10, description: '资金拼盘：各来源合计须等于总投资' }),
  leaderId: Type.String({ format: 'uuid', description: '包联县级领导（具有领导角色的人员）' }),
  leadDepartmentId: Type.String({ format: 'uuid', description: '责任单位（牵头）' }),
  helperDepartmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true, description: '配合单位' })),
  stewardIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true, description: '项目管家团队' })),
  contactPersonId: Type.Optional(Type.String({ format: 'uuid', description: '业主单位联络人（该企业的联系人）' })),
};

export const ProjectCreate = Type.Object({
  ...projectFields,
  stage: Type.Optional(ProjectStageSchema),
  stageOn: Type.Optional(Day('当前阶段的起始日期（默认今天）')),
}, { additionalProperties: false });
export type ProjectCreate = Static<typeof ProjectCreate>;

export const ProjectUpdate = Type.Object({
  version: Version,
  ...Type.Partial(Type.Object(projectFields)).properties,
}, { additionalProperties: false });
export type ProjectUpdate = Static<typeof ProjectUpdate>;

/** Derived investment figures of one project for a year. */
export const ProjectFigures = Type.Object({
  year: Type.Integer(),
  annualPlan: Yuan,
  completedYtd: Yuan,
  completedTotal: Yuan,
  percentOfPlan: Maybe(Type.String({ description: '占年计划%（两位小数）' })),
  percentOfTotal: Maybe(Type.String({ description: '占总投资%' })),
  deviationPoints: Maybe(Type.String({ description: '与时间进度之差（百分点，正为超前）' })),
  lastReportMonth: Maybe(Type.String()),
});

export const Project = Type.Object({
  id: Uuid,
  no: Type.String({ description: '项目编号' }),
  name: Type.String(),
  enterprise: Ref,
  area: Ref,
  location: Maybe(Type.String()),
  scaleContent: Maybe(Type.String()),
  industry: Maybe(Type.String()),
  nature: Type.String(),
  levels: Type.Array(Type.String()),
  kind: ProjectKindSchema,
  startYear: Type.Integer(),
  endYear: Type.Integer(),
  plannedStartOn: Maybe(Type.String()),
  plannedEndOn: Maybe(Type.String()),
  totalInvestment: Yuan,
  funding: Type.Array(Type.Object({ source: FundingSourceSchema, amount: Yuan, note: Maybe(Type.String()) })),
  leader: Maybe(Ref),
  leadDepartment: Ref,
  helperDepartments: Type.Array(Ref),
  stewards: Type.Array(Ref),
  contact: Maybe(Ref),
  stage: ProjectStageSchema,
  halted: Type.Boolean(),
  haltReason: Maybe(Type.String()),
  stageChangedOn: Maybe(Type.String()),
  light: Maybe(ProjectLightSchema),
  lightReason: Maybe(Type.String()),
  lightSince: Maybe(Type.String()),
  figures: ProjectFigures,
  availableActions: Type.Array(ProjectStageActionSchema, { description: '当前用户可执行的阶段操作' }),
  canReport: Type.Boolean({ description: '当前用户可填报月度调度' }),
  canEdit: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Project = Static<typeof Project>;

export const ProjectListQuery = Type.Object({
  ...PageQuery,
  stage: Type.Optional(ProjectStageSchema),
  light: Type.Optional(ProjectLightSchema),
  level: Type.Optional(Type.String({ maxLength: 16 })),
  areaId: Type.Optional(Uuid),
  leaderId: Type.Optional(Uuid),
  departmentId: Type.Optional(Uuid),
  enterpriseId: Type.Optional(Uuid),
  batchId: Type.Optional(Uuid),
  q: Type.Optional(Type.String({ maxLength: 64, description: '按项目名称或编号搜索' })),
  mine: Type.Optional(Type.Boolean({ description: '只看我包联/管家/责任的项目' })),
}, { additionalProperties: false });
export type ProjectListQuery = Static<typeof ProjectListQuery>;

export const StageActionBody = Type.Object({
  version: Version,
  to: Type.Optional(ProjectStageSchema),
  on: Day('发生日期（不晚于今天，不早于上一次阶段变更）'),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  photoIds: Type.Optional(PhotoIds),
}, { additionalProperties: false });
export type StageActionBody = Static<typeof StageActionBody>;

export const StageEvent = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  from: ProjectStageSchema,
  to: ProjectStageSchema,
  haltedAfter: Type.Boolean(),
  on: Type.String(),
  reason: Maybe(Type.String()),
  note: Maybe(Type.String()),
  skipped: Type.Array(ProjectStageSchema),
  photoIds: Type.Array(Uuid),
  actor: Maybe(Ref),
  actorRole: Type.String(),
  createdAt: Timestamp,
});

export const PlanBody = Type.Object({ amount: Yuan }, { additionalProperties: false });
export const PlanParams = Type.Object({ id: Uuid, year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
export const AnnualPlan = Type.Object({ year: Type.Integer(), amount: Yuan, updatedAt: Timestamp });

export const ReportCreate = Type.Object({
  month: Month,
  amount: Yuan,
  progress: Text(2000, '形象进度'),
  problems: Type.Optional(Type.String({ maxLength: 2000, description: '存在问题' })),
  photoIds: Type.Optional(PhotoIds),
  overTotalReason: Type.Optional(Type.String({ maxLength: 500, description: '累计完成超过总投资时，调度员确认的原因' })),
}, { additionalProperties: false });
export type ReportCreate = Static<typeof ReportCreate>;

export const ReportCorrection = Type.Object({
  amount: Yuan,
  progress: Text(2000, '形象进度'),
  problems: Type.Optional(Type.String({ maxLength: 2000 })),
  photoIds: Type.Optional(PhotoIds),
  reason: Text(500, '更正原因'),
  overTotalReason: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export type ReportCorrection = Static<typeof ReportCorrection>;

export const ReportParams = Type.Object({ id: Uuid, month: Month });

export const ProjectReport = Type.Object({
  id: Uuid,
  month: Type.String(),
  version: Type.Integer(),
  current: Type.Boolean(),
  amount: Yuan,
  progress: Type.String(),
  problems: Maybe(Type.String()),
  photoIds: Type.Array(Uuid),
  reason: Maybe(Type.String({ description: '更正原因' })),
  overTotalReason: Maybe(Type.String()),
  reportedBy: Maybe(Ref),
  createdAt: Timestamp,
  ytd: Yuan,
  sinceStart: Yuan,
  percentOfPlan: Maybe(Type.String()),
  percentOfTotal: Maybe(Type.String()),
});
export type ProjectReport = Static<typeof ProjectReport>;

export const ReportListQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  history: Type.Optional(Type.Boolean({ description: '包含被更正的旧版本' })),
}, { additionalProperties: false });

export const MilestoneCreate = Type.Object({
  name: Text(32, '节点名称（立项、用地预审、规划许可、环评、能评、施工许可、开工、主体完工、竣工验收、投产…）'),
  plannedOn: Type.Optional(Day('计划完成日期')),
  actualOn: Type.Optional(Day('实际完成日期')),
  departmentId: Type.Optional(Uuid),
  personId: Type.Optional(Uuid),
}, { additionalProperties: false });
export const MilestoneUpdate = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  plannedOn: Type.Optional(Type.Union([Day('计划完成日期'), Type.Null()])),
  actualOn: Type.Optional(Type.Union([Day('实际完成日期'), Type.Null()])),
  departmentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  personId: Type.Optional(Type.Union([Uuid, Type.Null()])),
}, { additionalProperties: false });
export const MilestoneParams = Type.Object({ id: Uuid, milestoneId: Uuid });
export const Milestone = Type.Object({
  id: Uuid,
  name: Type.String(),
  seq: Type.Integer(),
  plannedOn: Maybe(Type.String()),
  actualOn: Maybe(Type.String()),
  department: Maybe(Ref),
  person: Maybe(Ref),
  overdue: Type.Boolean(),
  version: Type.Integer(),
});

export const LightEvent = Type.Object({
  from: Maybe(ProjectLightSchema),
  to: ProjectLightSchema,
  reason: Type.String(),
  on: Type.String(),
  createdAt: Timestamp,
});

/** Scope and period of the figures: one query shape for /project-stats and its paragraph. */
export const ProjectStatsQuery = Type.Object({
  from: Type.Optional(Day('期间起（默认当年1月1日）')),
  to: Type.Optional(Day('期间止（默认今天）')),
  areaId: Type.Optional(Uuid),
  leaderId: Type.Optional(Uuid),
  departmentId: Type.Optional(Uuid),
  batchId: Type.Optional(Uuid),
  levels: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 4, description: '级别（任一匹配）' })),
  minTotal: Type.Optional(Type.String({ pattern: YUAN_PATTERN, description: '总投资下限（元）' })),
}, { additionalProperties: false });
export type ProjectStatsQuery = Static<typeof ProjectStatsQuery>;

const StageCounts = Type.Object(Object.fromEntries(PROJECT_STAGES.map((s) => [s, Type.Integer()])) as Record<(typeof PROJECT_STAGES)[number], ReturnType<typeof Type.Integer>>);

export const ProjectStats = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  year: Type.Integer(),
  projects: Type.Integer(),
  byStage: StageCounts,
  byKind: Type.Object({ new: Type.Integer(), continuing: Type.Integer(), expansion: Type.Integer() }),
  byLight: Type.Object({ green: Type.Integer(), yellow: Type.Integer(), red: Type.Integer(), none: Type.Integer() }),
  halted: Type.Integer(),
  active: Type.Integer({ description: '期间内在建（开工后、竣工前）的项目数' }),
  newStarts: Type.Integer(),
  restarts: Type.Integer(),
  completions: Type.Integer(),
  startRate: Type.Object({ started: Type.Integer(), due: Type.Integer(), percent: Maybe(Type.String()) }),
  totalInvestment: Yuan,
  annualPlan: Yuan,
  completedYtd: Yuan,
  percentOfPlan: Maybe(Type.String()),
  schedule: Type.Object({ num: Type.Integer(), den: Type.Integer(), percent: Type.String() }),
  deviationPoints: Maybe(Type.String({ description: '正数为超过时间进度的百分点' })),
  text: Type.Object({ totalInvestment: Type.String(), annualPlan: Type.String(), completedYtd: Type.String() }),
});
export type ProjectStats = Static<typeof ProjectStats>;

export const ProjectParagraphQuery = Type.Object({
  ...ProjectStatsQuery.properties,
  threshold: Type.Optional(Type.String({ pattern: YUAN_PATTERN, description: '第二句的投资额门槛（元，默认5000万元）' })),
}, { additionalProperties: false });
export type ProjectParagraphQuery = Static<typeof ProjectParagraphQuery>;

export const ProjectParagraph = Type.Object({
  text: Type.String(),
  ledger: ProjectStats,
  large: ProjectStats,
});

export const ProjectBatchCreate = Type.Object({
  no: Type.Integer({ minimum: 1, maximum: 999, description: '第N期' }),
  name: Type.Optional(Type.String({ maxLength: 64 })),
  startsOn: Day('期间起'),
  endsOn: Day('期间止'),
}, { additionalProperties: false });
export const ProjectBatchEntryCreate = Type.Object({
  projectId: Uuid,
  kind: BatchKindSchema,
  promisedOn: Day('承诺兑现日期'),
}, { additionalProperties: false });
export const ProjectBatchEntry = Type.Object({
  project: Type.Object({ id: Uuid, name: Type.String(), stage: ProjectStageSchema, totalInvestment: Yuan }),
  kind: BatchKindSchema,
  promisedOn: Type.String(),
  fulfilled: Type.Boolean({ description: '兑现：签约→开工、开工→投产、投产→达效' }),
  fulfilledOn: Maybe(Type.String()),
  removed: Type.Boolean({ description: '达效调出' }),
});
export const ProjectBatch = Type.Object({
  id: Uuid,
  no: Type.Integer(),
  name: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  summary: Type.Object({
    projects: Type.Integer(),
    totalInvestment: Yuan,
    removed: Type.Integer(),
    inLibrary: Type.Integer(),
    inLibraryInvestment: Yuan,
    byKind: Type.Record(Type.String(), Type.Object({ projects: Type.Integer(), fulfilled: Type.Integer(), totalInvestment: Yuan })),
  }),
  entries: Type.Array(ProjectBatchEntry),
});

export const ProjectMeetingCreate = Type.Object({
  heldOn: Day('会议日期'),
  chairId: Uuid,
  attendeeIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
  projectIds: Type.Array(Uuid, { maxItems: 100, uniqueItems: true }),
  decisions: Type.Optional(Type.String({ maxLength: 5000 })),
  tasks: Type.Optional(Type.Array(Type.Object({
    projectId: Type.Optional(Uuid),
    title: Text(200, '交办事项'),
    departmentId: Type.Optional(Uuid),
    personId: Type.Optional(Uuid),
    dueOn: Day('办结期限'),
  }, { additionalProperties: false }), { maxItems: 100 })),
}, { additionalProperties: false });
export const ProjectMeetingTask = Type.Object({
  id: Uuid,
  project: Maybe(Ref),
  title: Type.String(),
  department: Maybe(Ref),
  person: Maybe(Ref),
  dueOn: Type.String(),
  status: lit(['open', 'done'] as const),
  meetingId: Uuid,
  ticket: Maybe(Type.Object({ id: Uuid, no: Type.String(), state: Type.String(), stateLabel: Type.String() }, { description: '已转为诉求时：诉求编号与办理状态' })),
});
export const ProjectMeeting = Type.Object({
  id: Uuid,
  heldOn: Type.String(),
  chair: Ref,
  attendees: Type.Array(Ref),
  projects: Type.Array(Ref),
  decisions: Maybe(Type.String()),
  tasks: Type.Array(ProjectMeetingTask),
  createdAt: Timestamp,
});
export type ProjectMeetingTask = Static<typeof ProjectMeetingTask>;
export type ProjectMeeting = Static<typeof ProjectMeeting>;
export type ProjectBatch = Static<typeof ProjectBatch>;
export type ProjectMeetingCreate = Static<typeof ProjectMeetingCreate>;
export const ProjectMeetingAgenda = Type.Object({
  projects: Type.Array(Type.Object({ id: Uuid, name: Type.String(), light: ProjectLightSchema, lightReason: Maybe(Type.String()) })),
  openTasks: Type.Array(ProjectMeetingTask),
});

/** A district's project settings (district.settings.projects); every field optional on update. */
const settingsFields = {
  levels: Type.Array(Text(16), { minItems: 1, maxItems: 10, uniqueItems: true, description: '项目级别，如 省重点、市重点、县重点' }),
  natures: Type.Array(Text(16), { minItems: 1, maxItems: 10, uniqueItems: true, description: '项目性质，如 产业、基础设施、社会民生、其他' }),
  lights: Type.Object({
    yellowPoints: Type.Integer({ minimum: 1, maximum: 100, description: '落后时间进度达到此百分点亮黄灯' }),
    redPoints: Type.Integer({ minimum: 1, maximum: 100, description: '落后时间进度超过此百分点亮红灯' }),
    startLateMonths: Type.Integer({ minimum: 1, maximum: 24, description: '超过计划开工日期此月数仍未开工亮红灯' }),
    scheduleMode: lit(['calendar', 'working_days'] as const, 'calendar 按月 / working_days 按工作日'),
  }, { additionalProperties: false }),
  reportDueWorkingDay: Type.Integer({ minimum: 1, maximum: 20, description: '每月第N个工作日前填报上月调度' }),
  visitsPerMonth: Type.Object({ leader: Type.Integer({ minimum: 0, maximum: 31 }), steward: Type.Integer({ minimum: 0, maximum: 31 }) }, { additionalProperties: false }),
  milestoneTemplates: Type.Record(Type.String({ maxLength: 16 }), Type.Array(Text(32), { maxItems: 30 }), { description: '按项目性质的节点模板（default 为默认）' }),
};
export const ProjectSettings = Type.Object(settingsFields);
export type ProjectSettings = Static<typeof ProjectSettings>;
export type ProjectMeetingAgenda = Static<typeof ProjectMeetingAgenda>;
export const ProjectSettingsUpdate = Type.Partial(Type.Object(settingsFields), { additionalProperties: false });
