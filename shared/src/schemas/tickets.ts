import { Kind, Type, TypeRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { lit, Maybe, Ref } from './builders';
import { Value } from '@sinclair/typebox/value';
import { DateAbout, DateOnly, Line, PageQuery, Timestamp, Uuid } from './common';
import { TICKET_ACTIONS, TICKET_ROLES, TICKET_STATES } from '../ticket/ticket-machine';

/**
 * API shapes of the 诉求 lifecycle (ADR 0005): tickets and their actions, categories, routing rules, the working-day
 * calendar, 督办单 (supervisions), 回访 (return visits), coordination meetings and statistics.
 */

/**
 * A string from a fixed list, as `enum` rather than a union of literals: ajv reports one clear issue for a bad value,
 * and fast-json-stringify serialises it without trying each branch (anyOf costs a validation per value).
 */
/**
 * Nullable in responses: OpenAPI's `nullable: true` instead of anyOf [T, null] — fast-json-stringify handles it
 * directly, where anyOf made serialising a ticket detail cost ~30 ms. Request bodies keep `Nullable` (ajv).
 */
/**
 * Nullable in request bodies (null = "clear / use the default"): one schema with `type: [T, 'null']`. The anyOf
 * form breaks under ajv's coerceTypes (null is coerced to 0 or "" by the first branch). Checked by TypeBox's
 * Value.Check through the registered kind, by ajv through `type`.
 */
const NullableIn = <T extends TSchema & { type: string }>(t: T) =>
  Type.Unsafe<Static<T> | null>({ ...t, [Kind]: 'NullableScalar', type: [t.type, 'null'], [InnerSchema]: t });
const InnerSchema = Symbol.for('guanjia.inner');
if (!TypeRegistry.Has('NullableScalar'))
  TypeRegistry.Set<Record<symbol, TSchema>>('NullableScalar', (schema, value) => value === null || Value.Check(schema[InnerSchema]!, value));
const UuidAbout = (description: string) => Type.String({ format: 'uuid', description });
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const Version = Type.Integer({ minimum: 1, description: '诉求当前版本号（读取时返回），防止覆盖他人的操作' });
const AttachmentIds = Type.Array(Uuid, { maxItems: 9, uniqueItems: true, description: '先上传附件（POST /attachments）再引用其 id' });

export const TicketStateSchema = lit(TICKET_STATES);
export const TicketActionSchema = lit(TICKET_ACTIONS);
export const TicketRoleSchema = lit(TICKET_ROLES);
export const UrgencySchema = lit(['normal', 'urgent'] as const, 'normal 一般 / urgent 紧急');
export const ReplyOutcomeSchema = lit(['solved', 'explained', 'partly_solved'] as const, 'solved 已解决 / explained 无法解决或不合理，已解释说明 / partly_solved 部分解决');
export const VerdictSchema = lit(['satisfied', 'basically_satisfied', 'dissatisfied'] as const, 'satisfied 满意 / basically_satisfied 基本满意 / dissatisfied 不满意');
export const EscalationLevelSchema = Type.Integer({ minimum: 1, maximum: 4, description: '1 属地 / 2 部门 / 3 县级帮扶责任人 / 4 协调会' });

// ---------------------------------------------------------------------------------------------------------------
// Attachments

export const Attachment = Type.Object({
  id: Uuid,
  kind: lit(['image', 'pdf'] as const),
  mime: Type.String(),
  fileName: Type.String(),
  sizeBytes: Type.Integer(),
  url: Type.String({ description: '下载地址（需登录，且有权查看所属诉求）' }),
  createdAt: Timestamp,
});
export type Attachment = Static<typeof Attachment>;

// ---------------------------------------------------------------------------------------------------------------
// Tickets

export const TicketCreate = Type.Object({
  enterpriseId: Type.Optional(UuidAbout('企业联系人可省略（默认本企业）；管家代企业提交时必填')),
  categoryId: Uuid,
  title: Line({ minLength: 2, maxLength: 64 }),
  description: Type.String({ minLength: 5, maxLength: 2000 }),
  urgency: Type.Optional(UrgencySchema),
  attachmentIds: Type.Optional(AttachmentIds),
  visitId: Type.Optional(UuidAbout('由走访发现的问题转为诉求时，对应的走访记录')),
  projectId: Type.Optional(UuidAbout('项目存在的问题：关联的重点项目（须为该企业的项目）')),
  meetingTaskId: Type.Optional(UuidAbout('由调度会交办事项转为诉求时，对应的交办事项（须与项目一致）')),
  policyId: Type.Optional(UuidAbout('咨询政策：关联的已发布政策；诉求直接交办该政策的发文部门（类别须为政策兑现）')),
}, { additionalProperties: false });
export type TicketCreate = Static<typeof TicketCreate>;

export const TicketListQuery = Type.Object({
  ...PageQuery,
  state: Type.Optional(Type.Array(TicketStateSchema, { maxItems: 12, description: '可多选：?state=assigned&state=accepted' })),
  categoryId: Type.Optional(UuidAbout('一级分类包含其下二级分类')),
  areaId: Type.Optional(Uuid),
  departmentId: Type.Optional(UuidAbout('主办或协办部门')),
  leadDepartmentId: Type.Optional(UuidAbout('主办部门（部门排名下钻）')),
  stewardId: Type.Optional(UuidAbout('该管家当前包保企业的诉求')),
  enterpriseId: Type.Optional(Uuid),
  overdue: Type.Optional(Type.Boolean({ description: '当前已超期（签收或答复期限已过，暂停计时的除外）' })),
  escalationLevel: Type.Optional(EscalationLevelSchema),
  solved: Type.Optional(Type.Boolean()),
  q: Type.Optional(Line({ minLength: 1, maxLength: 64, description: '标题、描述、编号或企业名称关键字' })),
  createdFrom: Type.Optional(DateAbout('提交日期起（含，北京时间）')),
  createdTo: Type.Optional(DateAbout('提交日期止（含，北京时间）')),
  returned: Type.Optional(Type.Boolean({ description: '被部门退回、在待交办队列中等待重新交办（退回次数 > 0 且状态为待交办）' })),
  extensionPending: Type.Optional(Type.Boolean({ description: '有等待调度员审批的延期申请' })),
  escalationLevelMin: Type.Optional(EscalationLevelSchema),
  from: Type.Optional(DateAbout('提交日期起（含，北京时间）；看板下钻到某期间的诉求')),
  to: Type.Optional(DateAbout('提交日期止（含）')),
  sort: Type.Optional(lit(['created', 'deadline'] as const, 'created 最新提交在前（默认） / deadline 答复期限最早在前（已超期在前，无期限的排最后）')),
});
export type TicketListQuery = Static<typeof TicketListQuery>;

export const TicketSummary = Type.Object({
  id: Uuid,
  no: Type.String({ description: '诉求编号，如 2026-000123' }),
  title: Type.String(),
  state: TicketStateSchema,
  stateLabel: Type.String(),
  urgency: UrgencySchema,
  category: Type.Object({ id: Uuid, name: Type.String(), path: Type.String({ description: '一级/二级' }) }),
  enterprise: Ref,
  area: Ref,
  leadDepartment: Maybe(Ref),
  escalationLevel: Maybe(EscalationLevelSchema),
  overdue: Type.Boolean(),
  acceptDueAt: Maybe(Timestamp),
  replyDueAt: Maybe(Timestamp),
  isHandled: Type.Boolean({ description: '办结：部门已答复且答复有效' }),
  isSolved: Type.Boolean({ description: '解决：企业确认或回访确认满意/基本满意' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
  returnCount: Maybe(Type.Integer({ description: '被部门退回的次数（企业联系人看不到：null）' })),
  extensionPending: Maybe(Type.Boolean({ description: '有等待审批的延期申请（企业联系人看不到：null）' })),
});
export type TicketSummary = Static<typeof TicketSummary>;

const Count = Type.Optional(Type.Integer({ minimum: 0 }));
/** Counts of the caller's own work queues; only the keys of the roles the caller holds are present. */
export const TicketCounts = Type.Object({
  toAccept: Count,
  inProgress: Count,
  overdue: Count,
  pendingDispatch: Count,
  returned: Count,
  extensionPending: Count,
  escalated: Count,
  returnVisitsOpen: Count,
  supervisionsOpen: Count,
  open: Count,
  awaitingConfirmation: Count,
  infoRequested: Count,
  awaitingClose: Count,
}, { description: 'awaitingClose 企业已确认、待销号（调度员）；部门：toAccept 待签收 / inProgress 办理中 / overdue 已超期；调度员：pendingDispatch 待交办（新）/ returned 被退回 / extensionPending 延期待审批 / overdue 已超期 / escalated 升级（二级及以上）/ returnVisitsOpen 待回访 / supervisionsOpen 督办未办结；企业：open 未办结 / awaitingConfirmation 待确认 / infoRequested 待补充材料' });
export type TicketCounts = Static<typeof TicketCounts>;

export const TimelineEntry = Type.Object({
  seq: Type.Integer({ description: '第几次变更（等于该变更后的版本号）' }),
  action: Type.String(),
  label: Type.String(),
  actor: Maybe(Ref),
  role: Type.String(),
  from: Maybe(TicketStateSchema),
  to: TicketStateSchema,
  visibility: lit(['public', 'internal'] as const),
  note: Maybe(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(Attachment),
  createdAt: Timestamp,
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const TicketDetail = Type.Intersect([
  TicketSummary,
  Type.Object({
    description: Type.String(),
    submittedBy: Type.Object({ id: Uuid, name: Type.String(), role: lit(['enterprise', 'steward'] as const) }),
    enterpriseContact: Type.Optional(Type.Object({ name: Maybe(Type.String()), phone: Maybe(Type.String()) }, { description: '企业登记的联系人（仅办理方可见），用于电话联系企业' })),
    countdown: Type.Optional(Maybe(Type.Object({
      of: lit(['accept', 'reply'] as const, 'accept 签收期限 / reply 答复期限'),
      overdue: Type.Boolean(),
      days: Type.Integer({ minimum: 0 }),
      text: Type.String({ description: '剩余 N 个工作日 / 今天到期 / 已超期 N 个工作日' }),
    }, { description: '正在计时的期限按本区县工作日日历还剩几天或已超期几天（企业只看答复期限）' }))),
    urge: Type.Optional(Type.Object({
      available: Type.Boolean({ description: '此刻可以催办（诉求已超期，且本工作日尚未催办）' }),
      urgedToday: Type.Boolean({ description: '本工作日已催办过' }),
      count: Type.Integer({ minimum: 0 }),
    }, { description: '企业联系人的催办（每件诉求每个工作日一次）' })),
    assistingDepartments: Type.Array(Ref),
    routingRuleId: Maybe(Uuid),
    deadlines: Type.Object({
      assignedAt: Maybe(Timestamp),
      acceptDueAt: Maybe(Timestamp),
      replyDueAt: Maybe(Timestamp),
      confirmationDueAt: Maybe(Timestamp),
      paused: Type.Boolean({ description: '等待企业补充材料，期限暂停计时' }),
      provisional: Type.Boolean({ description: '期限所在年份的法定节假日安排尚未录入，按周一至周五推算' }),
    }),
    counters: Type.Object({
      reopenCount: Type.Integer({ description: '重办次数（企业不满意后重新办理）' }),
      returnCount: Maybe(Type.Integer()), overdueCount: Maybe(Type.Integer()), superviseCount: Maybe(Type.Integer()),
    }, { description: '退回、超期、督办次数为内部办理情况，企业联系人看到 null' }),
    pendingExtension: Maybe(Type.Object({ days: Type.Integer(), reason: Type.String() })),
    extensionDaysGranted: Type.Integer(),
    reply: Maybe(Type.Object({ outcome: ReplyOutcomeSchema, text: Type.String(), repliedAt: Timestamp })),
    verdict: Maybe(Type.Object({
      value: VerdictSchema,
      source: lit(['enterprise', 'visit'] as const),
      rating: Maybe(Type.Integer()),
      comment: Maybe(Type.String()),
    })),
    solvedAt: Maybe(Timestamp),
    closedAt: Maybe(Timestamp),
    withdrawReason: Maybe(Type.String()),
    mergedInto: Maybe(Type.Object({ id: Uuid, no: Type.String() })),
    mergedTickets: Type.Array(Type.Object({ id: Uuid, no: Type.String(), title: Type.String() })),
    availableActions: Type.Array(TicketActionSchema, { description: '当前用户此刻可执行的操作（小程序据此显示按钮）' }),
    timeline: Type.Array(TimelineEntry),
  }),
]);
export type TicketDetail = Static<typeof TicketDetail>;

/** 催办 (issue 13): no body beyond an optional word to the department. */
export const TicketUrge = Type.Object({ note: Type.Optional(Text(200, '催办说明（可选）')) }, { additionalProperties: false });
export type TicketUrge = Static<typeof TicketUrge>;

/** The extension form's preview (issue 13): the new reply deadline against today. */
export const ExtensionPreviewQuery = Type.Object({ days: Type.Integer({ minimum: 1, maximum: 10, description: '延长的工作日数' }) }, { additionalProperties: false });
export const ExtensionPreviewSchema = Type.Object({
  currentDueAt: Timestamp,
  newDueAt: Timestamp,
  today: DateOnly,
  stillOverdue: Type.Boolean({ description: '延期后仍已超期' }),
  countdown: Type.Object({ overdue: Type.Boolean(), days: Type.Integer() }),
  text: Type.String(),
});

export const DuplicateCandidate = Type.Object({
  id: Uuid, no: Type.String(), title: Type.String(), state: TicketStateSchema, createdAt: Timestamp,
  similarity: Type.Number({ minimum: 0, maximum: 1 }),
});
export const TicketCreated = Type.Intersect([
  TicketDetail,
  Type.Object({ possibleDuplicates: Type.Array(DuplicateCandidate, { description: '同企业同类别、30 天内、仍在办理且内容相近的诉求' }) }),
]);

export const SimilarTicketsQuery = Type.Object({
  enterpriseId: Uuid,
  categoryId: Uuid,
  text: Type.String({ minLength: 2, maxLength: 2000 }),
});

// Action bodies: each carries the version the caller read.
const Body = <P extends Record<string, TSchema>>(props: P) => Type.Object({ version: Version, ...props }, { additionalProperties: false });

export const TicketActionBodies = {
  dispatch: Body({ leadDepartmentId: Uuid, assistingDepartmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true })), note: Type.Optional(Text(500)) }),
  accept: Body({ note: Type.Optional(Text(500)) }),
  return: Body({ reason: Text(500, '退回原因（如 不属于本部门职能）') }),
  reassign: Body({ leadDepartmentId: Uuid, assistingDepartmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true })), reason: Text(500) }),
  add_note: Body({
    text: Text(2000), visibility: Type.Optional(lit(['public', 'internal'] as const, 'public 企业可见 / internal 仅内部可见（默认）')), attachmentIds: Type.Optional(AttachmentIds),
    kind: Type.Optional(lit(['leader_instruction'] as const, 'leader_instruction 领导批示（仅领导；内部可见，通知承办部门）')),
  }),
  request_info: Body({ text: Text(1000, '需要企业补充的材料或信息；等待期间期限暂停计时') }),
  provide_info: Body({ text: Text(2000), attachmentIds: Type.Optional(AttachmentIds) }),
  request_extension: Body({
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: '延长的工作日数' })),
    newDueDate: Type.Optional(DateAbout('或直接给出新的答复期限（按工作日折算）')),
    reason: Text(500),
  }),
  approve_extension: Body({ note: Type.Optional(Text(500)) }),
  reject_extension: Body({ reason: Text(500) }),
  reply: Body({ outcome: ReplyOutcomeSchema, text: Text(2000, '办理结果；无法解决或不合理的，写明向企业所作的解释说明'), attachmentIds: Type.Optional(AttachmentIds) }),
  confirm: Body({
    verdict: VerdictSchema, rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })), comment: Type.Optional(Text(500)),
    stewardRating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: '对包保管家服务的评价（可选，1–5 星）' })),
    stewardComment: Type.Optional(Text(500, '对管家的评价（可选）')),
  }),
  open_visit: Body({ note: Type.Optional(Text(500)) }),
  record_visit: Body({
    verdict: Type.Optional(VerdictSchema),
    withdrawalVoluntary: Type.Optional(Type.Boolean({ description: '撤回的诉求：企业是否自愿撤回' })),
    method: Type.Optional(lit(['phone', 'onsite', 'wechat'] as const)),
    note: Type.Optional(Text(1000)),
  }),
  close: Body({ note: Type.Optional(Text(500)) }),
  withdraw: Body({ reason: Text(500) }),
  merge: Body({ intoTicketId: Uuid }),
  escalate: Body({ level: Type.Integer({ minimum: 2, maximum: 4 }), reason: Text(500) }),
  supervise: Body({ note: Type.Optional(Text(500)) }),
} as const;

export const MeetingAttendee = Type.Object({
  name: Line({ minLength: 1, maxLength: 64 }),
  title: Type.Optional(Line({ maxLength: 64 })),
  departmentId: Type.Optional(Uuid),
}, { additionalProperties: false });
export const MeetingActionItem = Type.Object({
  text: Text(500),
  departmentId: Type.Optional(Uuid),
  dueDate: Type.Optional(DateOnly),
}, { additionalProperties: false });
export const MeetingCreate = Body({
  heldOn: DateOnly,
  location: Type.Optional(Line({ maxLength: 128 })),
  attendees: Type.Array(MeetingAttendee, { minItems: 1, maxItems: 50 }),
  decisions: Text(4000, '会议议定事项'),
  actions: Type.Optional(Type.Array(MeetingActionItem, { maxItems: 30, description: '会议交办的任务' })),
});
export type MeetingCreate = Static<typeof MeetingCreate>;
export const Meeting = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  heldOn: DateOnly,
  location: Maybe(Type.String()),
  attendees: Type.Array(Type.Object({ name: Type.String(), title: Type.Optional(Type.String()), departmentId: Type.Optional(Uuid) })),
  decisions: Type.String(),
  actions: Type.Array(Type.Object({ text: Type.String(), departmentId: Type.Optional(Uuid), dueDate: Type.Optional(DateOnly) })),
  recordedBy: Ref,
  createdAt: Timestamp,
});

// ---------------------------------------------------------------------------------------------------------------
// Categories, settings and routing rules

const LimitDays = (max: number, description: string) => Type.Integer({ minimum: 0, maximum: max, description });
export const TicketCategory = Type.Object({
  id: Uuid,
  parentId: Maybe(Uuid),
  name: Type.String(),
  acceptDays: Maybe(Type.Integer()),
  replyDays: Maybe(Type.Integer()),
  urgentReplyDays: Maybe(Type.Integer()),
  effective: Type.Object({ acceptDays: Type.Integer(), replyDays: Type.Integer(), urgentReplyDays: Type.Integer() }, { description: '本类别实际使用的期限（未设置的取区县默认值或上级类别）' }),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
});
export type TicketCategory = Static<typeof TicketCategory>;
export const TicketCategoryNode = Type.Intersect([TicketCategory, Type.Object({ children: Type.Array(TicketCategory) })]);
export const TicketCategoryCreate = Type.Object({
  parentId: Type.Optional(Uuid),
  name: Line({ minLength: 1, maxLength: 32 }),
  acceptDays: Type.Optional(LimitDays(10, '签收期限（工作日）')),
  replyDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: '答复期限（工作日）' })),
  urgentReplyDays: Type.Optional(LimitDays(60, '紧急诉求答复期限（工作日）')),
  sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
}, { additionalProperties: false });
export type TicketCategoryCreate = Static<typeof TicketCategoryCreate>;
export const TicketCategoryUpdate = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Line({ minLength: 1, maxLength: 32 })),
  acceptDays: Type.Optional(NullableIn(LimitDays(10, 'null 表示使用默认值'))),
  replyDays: Type.Optional(NullableIn(Type.Integer({ minimum: 1, maximum: 60 }))),
  urgentReplyDays: Type.Optional(NullableIn(LimitDays(60, 'null 表示使用默认值'))),
  sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type TicketCategoryUpdate = Static<typeof TicketCategoryUpdate>;

export const TicketSettings = Type.Object({
  acceptDays: LimitDays(10, '交办后签收期限（工作日，默认 1）'),
  replyDays: Type.Integer({ minimum: 1, maximum: 60, description: '答复期限（工作日，默认 5）' }),
  urgentReplyDays: LimitDays(60, '紧急诉求答复期限（工作日，默认 1）'),
}, { additionalProperties: false });
export type TicketSettings = Static<typeof TicketSettings>;

export const RoutingRule = Type.Object({
  id: Uuid,
  category: Ref,
  area: Maybe(Ref),
  enterpriseTag: Maybe(Type.String()),
  leadDepartment: Ref,
  assistingDepartments: Type.Array(Ref),
  priority: Type.Integer(),
  specificity: Type.Integer({ description: '二级类别 2 / 一级类别 1，指定属地 +1，指定企业标签 +1；越大越优先' }),
  note: Maybe(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
});
export type RoutingRule = Static<typeof RoutingRule>;
const RuleFields = {
  categoryId: Uuid,
  areaId: NullableIn(Uuid),
  enterpriseTag: NullableIn(Line({ minLength: 1, maxLength: 16 })),
  leadDepartmentId: Uuid,
  assistingDepartmentIds: Type.Array(Uuid, { maxItems: 10, uniqueItems: true }),
  priority: Type.Integer({ minimum: 0, maximum: 100, description: '同等具体程度的规则，数值大的优先' }),
  note: NullableIn(Type.String({ maxLength: 256 })),
};
export const RoutingRuleCreate = Type.Object({
  categoryId: RuleFields.categoryId,
  areaId: Type.Optional(RuleFields.areaId),
  enterpriseTag: Type.Optional(RuleFields.enterpriseTag),
  leadDepartmentId: RuleFields.leadDepartmentId,
  assistingDepartmentIds: Type.Optional(RuleFields.assistingDepartmentIds),
  priority: Type.Optional(RuleFields.priority),
  note: Type.Optional(RuleFields.note),
}, { additionalProperties: false });
export type RoutingRuleCreate = Static<typeof RoutingRuleCreate>;
export const RoutingRuleUpdate = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  categoryId: Type.Optional(RuleFields.categoryId),
  areaId: Type.Optional(RuleFields.areaId),
  enterpriseTag: Type.Optional(RuleFields.enterpriseTag),
  leadDepartmentId: Type.Optional(RuleFields.leadDepartmentId),
  assistingDepartmentIds: Type.Optional(RuleFields.assistingDepartmentIds),
  priority: Type.Optional(RuleFields.priority),
  note: Type.Optional(RuleFields.note),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type RoutingRuleUpdate = Static<typeof RoutingRuleUpdate>;
export const RoutingPreviewQuery = Type.Object({ categoryId: Uuid, enterpriseId: Uuid });
export const RoutingPreview = Type.Object({
  rule: Maybe(RoutingRule),
  candidates: Type.Integer({ description: '匹配的规则条数' }),
  outcome: lit(['matched', 'none', 'tie'] as const, 'none：无规则匹配，进入调度员待交办队列'),
});

// ---------------------------------------------------------------------------------------------------------------
// Calendar

const NamedDay = Type.Object({ date: DateOnly, name: Line({ maxLength: 32 }) }, { additionalProperties: false });
export const CalendarYearSummary = Type.Object({
  year: Type.Integer(),
  source: lit(['package', 'official'] as const, 'package 来自 chinese-days 数据包 / official 调度员录入的国务院办公厅通知'),
  holidays: Type.Integer(),
  makeUpWorkdays: Type.Integer(),
  note: Maybe(Type.String()),
  updatedAt: Timestamp,
});
export const CalendarYear = Type.Object({
  year: Type.Integer(),
  source: lit(['package', 'official'] as const),
  note: Maybe(Type.String()),
  holidays: Type.Array(NamedDay),
  makeUpWorkdays: Type.Array(NamedDay),
});
export const CalendarYearPut = Type.Object({
  holidays: Type.Array(NamedDay, { maxItems: 60, description: '放假日期（含落在周末的）' }),
  makeUpWorkdays: Type.Array(NamedDay, { maxItems: 20, description: '调休上班的周末' }),
  note: Type.Optional(Type.String({ maxLength: 256, description: '如 国办发明电〔2026〕X号' })),
}, { additionalProperties: false });
export type CalendarYearPut = Static<typeof CalendarYearPut>;
export const CalendarRangeQuery = Type.Object({ from: DateOnly, to: DateOnly });
export const CalendarDay = Type.Object({
  date: DateOnly,
  working: Type.Boolean(),
  kind: lit(['workday', 'weekend', 'holiday', 'makeup_workday'] as const),
  name: Maybe(Type.String()),
  known: Type.Boolean({ description: '该年份的节假日安排已录入' }),
});
export const WorkingDaysQuery = Type.Object({ from: DateOnly, days: Type.Integer({ minimum: -250, maximum: 250 }) });
/** A district's own adjustment of the national calendar (a local holiday, or a local make-up working day). */
export const LocalCalendarDay = Type.Object({
  date: DateOnly,
  kind: lit(['holiday', 'workday'] as const, 'holiday 本地放假 / workday 本地上班'),
  name: Type.String({ minLength: 1, maxLength: 64 }),
});
export type LocalCalendarDay = Static<typeof LocalCalendarDay>;
export const LocalCalendarDayPut = Type.Object({
  kind: lit(['holiday', 'workday'] as const),
  name: Type.String({ minLength: 1, maxLength: 64, description: '如 县庆放假' }),
}, { additionalProperties: false });
export type LocalCalendarDayPut = Static<typeof LocalCalendarDayPut>;

// ---------------------------------------------------------------------------------------------------------------
// 督办单 (supervisions) and 回访 (return visits)

export const SupervisionStatusSchema = lit(['issued', 'acknowledged', 'done', 'closed'] as const, 'issued 已下发 / acknowledged 已签收 / done 已办结 / closed 随诉求关闭（退回、改派、销号、撤回、并单）');
export const Supervision = Type.Object({
  id: Uuid,
  no: Type.String({ description: '督办单编号，如 DB2026-0007' }),
  ticket: Type.Object({ id: Uuid, no: Type.String(), title: Type.String() }),
  department: Ref,
  kind: lit(['overdue_accept', 'overdue_reply', 'manual'] as const, 'overdue_accept 超期未签收 / overdue_reply 超期未答复 / manual 人工督办'),
  missedDueAt: Maybe(Timestamp),
  note: Maybe(Type.String()),
  status: SupervisionStatusSchema,
  issuedBy: Maybe(Ref),
  issuedAt: Timestamp,
  acknowledgedAt: Maybe(Timestamp),
  doneAt: Maybe(Timestamp),
  response: Maybe(Type.String()),
  closedAt: Type.Optional(Maybe(Timestamp)),
  closedReason: Type.Optional(Maybe(Type.String({ description: '随诉求关闭的原因，如 诉求已被部门退回' }))),
  version: Type.Integer(),
});
export type Supervision = Static<typeof Supervision>;
export const SupervisionListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(SupervisionStatusSchema),
  departmentId: Type.Optional(Uuid),
  ticketId: Type.Optional(Uuid),
});
export const SupervisionAck = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const SupervisionDone = Type.Object({ version: Type.Integer({ minimum: 1 }), response: Text(1000, '督办事项办理情况') }, { additionalProperties: false });

export const ReturnVisit = Type.Object({
  id: Uuid,
  kind: lit(['confirmation', 'withdrawal'] as const, 'confirmation 答复后企业未确认 / withdrawal 核实撤回是否自愿'),
  status: lit(['open', 'done', 'cancelled'] as const),
  ticket: Type.Object({ id: Uuid, no: Type.String(), title: Type.String(), state: TicketStateSchema, version: Type.Integer() }),
  enterprise: Type.Object({ id: Uuid, name: Type.String(), contactName: Maybe(Type.String()), contactPhone: Maybe(Type.String()) }),
  createdAt: Timestamp,
  doneAt: Maybe(Timestamp),
  doneBy: Maybe(Ref),
  verdict: Maybe(VerdictSchema),
  withdrawalVoluntary: Maybe(Type.Boolean()),
  method: Maybe(Type.String()),
  note: Maybe(Type.String()),
});
export type ReturnVisit = Static<typeof ReturnVisit>;
export const ReturnVisitListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(lit(['open', 'done', 'cancelled'] as const)),
  kind: Type.Optional(lit(['confirmation', 'withdrawal'] as const)),
});
export const ReturnVisitRecord = Type.Object({
  version: Version,
  verdict: Type.Optional(VerdictSchema),
  withdrawalVoluntary: Type.Optional(Type.Boolean()),
  method: Type.Optional(lit(['phone', 'onsite', 'wechat'] as const)),
  note: Type.Optional(Text(1000)),
}, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------------------------
// Statistics and the monthly report

export const TicketStatsQuery = Type.Object({ from: DateOnly, to: DateOnly });
export const TicketStats = Type.Object({
  from: DateOnly,
  to: DateOnly,
  enterprises: Type.Integer({ description: '提出诉求的企业数' }),
  total: Type.Integer({ description: '期间提交的诉求（不含撤回、并单）' }),
  byCategory: Type.Array(Type.Object({ category: Ref, count: Type.Integer(), solved: Type.Integer() })),
  solved: Type.Integer({ description: '已解决（企业或回访确认）' }),
  inProgress: Type.Integer({ description: '正在协调解决' }),
  handled: Type.Integer({ description: '已办结（部门已答复）' }),
  solveRate: Maybe(Type.Number({ description: '解决率 = 已解决 / 诉求数' })),
  withdrawn: Type.Integer(),
  merged: Type.Integer(),
  overdue: Type.Integer({ description: '目前超期的' }),
  escalated: Type.Integer({ description: '升级到 2 级及以上的' }),
  supervisions: Type.Integer({ description: '期间下发的督办单' }),
  satisfaction: Type.Object({
    satisfied: Type.Integer(), basicallySatisfied: Type.Integer(), dissatisfied: Type.Integer(),
    rate: Maybe(Type.Number({ description: '满意率 =（满意 + w×基本满意）÷ 有效回访（不含撤回、并单；w 为本区县的基本满意折算系数，默认 0.9）；0–1，三位小数，与 /stats/summary 的满意率同一定义' })),
    averageRating: Maybe(Type.Number()),
  }),
});
export type TicketStats = Static<typeof TicketStats>;

/** Largest attachment accepted (photos and PDFs), checked on the phone before uploading and by the server. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
