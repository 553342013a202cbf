import { Type, type Static } from '@sinclair/typebox';
import { DateAbout, DateOnly, GeoInput, Line, Nullable, PageQuery, Timestamp, Uuid } from './common';
import { VISIT_FLAGS } from '../visit/cadence';

/** 走访方式: 现场走访 / 电话 / 微信 / 座谈会. Only on-site visits check in and out. */
export const VisitKindSchema = Type.Union(
  [Type.Literal('onsite'), Type.Literal('phone'), Type.Literal('wechat'), Type.Literal('meeting')],
  { description: 'onsite 现场走访 / phone 电话 / wechat 微信 / meeting 座谈会' },
);
export type VisitKindValue = Static<typeof VisitKindSchema>;

/** planned (on-site, not yet checked in) → checked_in → completed; phone/wechat/meeting are completed at once. */
export const VisitStatusSchema = Type.Union([
  Type.Literal('planned'), Type.Literal('checked_in'), Type.Literal('completed'), Type.Literal('cancelled'), Type.Literal('rejected'),
]);

/** Plausibility and fence flags on a check-in (visit/cadence.ts): stored and shown, never silently dropped. */
export const VisitFlagSchema = Type.Union(VISIT_FLAGS.map((f) => Type.Literal(f)), {
  description: 'outside_fence 外勤 / too_fast 移动速度异常 / photo_reused 照片重复 / low_accuracy 定位精度差 / no_enterprise_location 企业无坐标 / short_visit 走访不足1分钟 / auto_closed 超时未签退、系统自动签退',
});

/** A problem found at a visit; it can become a 诉求 (POST /tickets with this visit's id). */
export const VisitProblem = Type.Object({
  description: Type.String({ minLength: 1, maxLength: 500 }),
  category: Type.Optional(Nullable(Line({ maxLength: 32, description: '问题类别（参考，如 人才用工、融资困难）' }))),
}, { additionalProperties: false });
export type VisitProblem = Static<typeof VisitProblem>;
const Problems = Type.Array(VisitProblem, { maxItems: 20 });

/** A stored point (WGS-84) with the accuracy the phone reported. */
export const VisitPoint = Type.Object({
  lat: Type.Number(), lng: Type.Number(), datum: Type.Literal('wgs84'), accuracyM: Nullable(Type.Number()),
});

const PersonRef = Type.Object({ id: Uuid, name: Type.String() });

export const Visit = Type.Object({
  id: Uuid,
  kind: VisitKindSchema,
  status: VisitStatusSchema,
  steward: PersonRef,
  enterprise: Type.Object({
    id: Uuid, name: Type.String(), area: Type.Object({ id: Uuid, name: Type.String() }),
    location: Type.Optional(Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number() }, { description: '企业位置（WGS-84，签到范围的圆心）；仅可查看签到位置者可见' }))),
  }),
  occurredAt: Timestamp,
  notes: Nullable(Type.String()),
  problems: Type.Array(Type.Object({ description: Type.String(), category: Nullable(Type.String()) })),
  offAssignment: Type.Boolean({ description: '非包保企业（经调度员授权或本区县允许）' }),
  checkIn: Nullable(Type.Object({
    at: Timestamp,
    location: Type.Union([VisitPoint, Type.Null()], { description: '仅管家本人与调度员/领导可见；超过保存期限后清除' }),
    reportedDatum: Nullable(Type.String()),
    distanceM: Nullable(Type.Integer()),
    fenceRadiusM: Nullable(Type.Integer()),
    insideFence: Nullable(Type.Boolean({ description: 'false = 外勤；null = 企业无坐标' })),
    photoId: Nullable(Uuid),
  })),
  checkOut: Nullable(Type.Object({ at: Timestamp, location: Nullable(VisitPoint) })),
  flags: Type.Array(VisitFlagSchema),
  flagDetails: Type.Record(Type.String(), Type.Unknown()),
  review: Nullable(Type.Object({ by: PersonRef, at: Timestamp, note: Nullable(Type.String()) })),
  tickets: Type.Array(Type.Object({ id: Uuid, no: Type.String(), title: Type.String(), state: Type.String() }), {
    description: '由本次走访发现的问题转成的诉求（POST /tickets 带 visitId）',
  }),
  locationPurged: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
});
export type Visit = Static<typeof Visit>;

export const VisitCreate = Type.Object({
  kind: VisitKindSchema,
  enterpriseId: Uuid,
  occurredAt: Type.Optional(Type.String({ format: 'date-time', description: '电话/微信/座谈会发生时间（默认现在，不得晚于现在）；现场走访以签到时间为准' })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  problems: Type.Optional(Problems),
  projectId: Type.Optional(Type.String({ format: 'uuid', description: '到重点项目现场：关联的项目（须为该企业的项目）' })),
}, { additionalProperties: false });
export type VisitCreate = Static<typeof VisitCreate>;

export const VisitUpdate = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  problems: Type.Optional(Problems),
}, { additionalProperties: false });
export type VisitUpdate = Static<typeof VisitUpdate>;

export const CheckInBody = Type.Object({
  location: GeoInput,
  accuracyM: Type.Number({ minimum: 0, maximum: 100000, description: '定位精度（米）' }),
  photoId: Uuid,
  offsiteReason: Type.Optional(Line({ minLength: 1, maxLength: 100, description: '外勤（不在企业范围内）签到的原因：选择或填写；外勤时必填' })),
}, { additionalProperties: false, description: '签到时间由服务器记录；照片先经 POST /visit-photos 上传' });
export type CheckInBody = Static<typeof CheckInBody>;

export const CheckOutBody = Type.Object({
  location: Type.Optional(GeoInput),
  accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  problems: Type.Optional(Problems),
}, { additionalProperties: false });
export type CheckOutBody = Static<typeof CheckOutBody>;

export const VisitReviewBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 500 })),
  verdict: Type.Optional(Type.Union([Type.Literal('approved'), Type.Literal('rejected')], {
    description: 'approved 复核通过（默认）/ rejected 驳回：不计入走访次数，须填写理由；只能驳回已签退的现场走访',
  })),
}, { additionalProperties: false });

export const VisitListQuery = Type.Object({
  ...PageQuery,
  stewardId: Type.Optional(Uuid),
  enterpriseId: Type.Optional(Uuid),
  areaId: Type.Optional(Uuid),
  kind: Type.Optional(VisitKindSchema),
  status: Type.Optional(VisitStatusSchema),
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  flagged: Type.Optional(Type.Boolean({ description: 'true: 只看有异常标记的' })),
  unreviewed: Type.Optional(Type.Boolean({ description: 'true: 只看尚未复核的异常' })),
});
export type VisitListQuery = Static<typeof VisitListQuery>;

export const VisitPhoto = Type.Object({ id: Uuid, sha256: Type.String(), mime: Type.String(), sizeBytes: Type.Integer(), createdAt: Timestamp });
export type VisitPhoto = Static<typeof VisitPhoto>;

/** Inclusive Shanghai date range every statistics endpoint takes. */
export const PeriodQuery = Type.Object({ from: DateOnly, to: DateOnly });

export const ContactsByKind = Type.Object({ onsite: Type.Integer(), phone: Type.Integer(), wechat: Type.Integer(), meeting: Type.Integer() });
export const CoverageStats = Type.Object({
  assigned: Type.Integer({ description: '期间内包保的企业数' }),
  contacted: Type.Integer({ description: '其中期间内至少联系一次的企业数' }),
  coveragePct: Nullable(Type.Number({ description: '覆盖率 %，一位小数；无包保企业时为 null' })),
  contacts: Type.Integer({ description: '联系次数' }),
  byKind: ContactsByKind,
  onsiteInsideFence: Type.Integer(),
  onsiteOutsideFence: Type.Integer({ description: '外勤' }),
  onsiteUnknownFence: Type.Integer({ description: '企业无坐标' }),
  problemsRaised: Type.Integer({ description: '走访中发现的问题数' }),
  ticketsRaised: Type.Integer({ description: '由走访转成的诉求数' }),
});
export type CoverageStats = Static<typeof CoverageStats>;
/** `limit`/`cursor` page `bySteward` (by name); the district and area figures always cover the whole scope. */
export const CoverageQuery = Type.Object({ from: DateOnly, to: DateOnly, areaId: Type.Optional(Uuid), stewardId: Type.Optional(Uuid), ...PageQuery });
export type CoverageQuery = Static<typeof CoverageQuery>;
export const CoverageReport = Type.Object({
  from: DateOnly,
  to: DateOnly,
  district: Nullable(CoverageStats),
  byArea: Type.Array(Type.Intersect([Type.Object({ area: Type.Object({ id: Uuid, name: Type.String() }) }), CoverageStats])),
  bySteward: Type.Array(Type.Intersect([Type.Object({ steward: PersonRef }), CoverageStats])),
  nextCursor: Nullable(Type.String({ description: '下一页管家（bySteward）的游标；没有更多时为 null' })),
});
export type CoverageReport = Static<typeof CoverageReport>;

export const CheckinMapQuery = Type.Object({
  from: DateOnly,
  to: DateOnly,
  areaId: Type.Optional(Uuid),
  stewardId: Type.Optional(Uuid),
  datum: Type.Optional(Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')], { default: 'wgs84', description: '输出坐标系：GeoJSON 标准为 wgs84，国内地图用 gcj02' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 2000 })),
});
export type CheckinMapQuery = Static<typeof CheckinMapQuery>;
export const CheckinFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Uuid,
    geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
    properties: Type.Object({
      visitId: Uuid,
      steward: PersonRef,
      enterprise: Type.Object({ id: Uuid, name: Type.String() }),
      checkedInAt: Timestamp,
      insideFence: Nullable(Type.Boolean()),
      distanceM: Nullable(Type.Integer()),
      accuracyM: Nullable(Type.Number()),
      flags: Type.Array(VisitFlagSchema),
    }),
  })),
  datum: Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')]),
  truncated: Type.Boolean(),
});

/** One cadence rule of a district (see visit/cadence.ts). */
export const CadenceRuleSchema = Type.Object({
  enterpriseClass: Type.Union([Type.Literal('key'), Type.Literal('other')], { description: 'key 重点企业 / other 其他企业' }),
  period: Type.Union([Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter')]),
  requiredKind: Type.Union([Type.Literal('onsite'), Type.Literal('any')], { description: 'onsite 只计现场走访 / any 任何方式' }),
  requiredCount: Type.Integer({ minimum: 1, maximum: 31 }),
}, { additionalProperties: false });

const VisitSettingsFields = {
  fenceRadiusM: Type.Integer({ minimum: 50, maximum: 5000, description: '签到围栏半径（米），默认 300' }),
  allowOffAssignment: Type.Boolean({ description: '允许管家走访非包保企业（默认否；也可逐个授权）' }),
  reminderDaysBefore: Type.Integer({ minimum: 0, maximum: 31, description: '周期结束前几天提醒（0 = 不提醒）' }),
  backdateDays: Type.Integer({ minimum: 0, maximum: 62, description: '电话/微信/座谈会可补录的天数' }),
  autoCheckoutHours: Type.Integer({ minimum: 1, maximum: 24, description: '签到后超过几小时未签退，系统自动签退并标记（默认 8）' }),
  keyTags: Type.Array(Line({ minLength: 1, maxLength: 16 }), { maxItems: 10, uniqueItems: true, description: '带这些标签的企业为重点企业' }),
  keyIncludesAboveScale: Type.Boolean({ description: '规上企业是否算重点企业' }),
  cadenceRules: Type.Array(CadenceRuleSchema, { maxItems: 2, description: '每类企业一条；某类没有规则则不考核' }),
};
/** A district's visit settings (stored in district.settings.visits; defaults apply to what is not set). */
export const VisitSettings = Type.Object(VisitSettingsFields);
export type VisitSettings = Static<typeof VisitSettings>;
export const VisitSettingsUpdate = Type.Partial(Type.Object(VisitSettingsFields), { additionalProperties: false });
export type VisitSettingsUpdate = Static<typeof VisitSettingsUpdate>;

/** Cadence of one enterprise for one steward in one period. */
export const CadenceStatusSchema = Type.Union([Type.Literal('done'), Type.Literal('due'), Type.Literal('overdue')], {
  description: 'done 已完成 / due 待完成（本期未结束）/ overdue 逾期（本期已结束仍未完成）',
});
const PeriodRef = Type.Object({ from: DateOnly, to: DateOnly });
const EnterpriseRef = Type.Object({ id: Uuid, name: Type.String() });
const AreaRef = Type.Object({ id: Uuid, name: Type.String() });
export const CadenceItem = Type.Object({
  enterprise: Type.Object({ id: Uuid, name: Type.String(), area: AreaRef }),
  enterpriseClass: Type.Union([Type.Literal('key'), Type.Literal('other')], { description: 'key 重点企业 / other 其他' }),
  rule: CadenceRuleSchema,
  period: PeriodRef,
  required: Type.Integer({ description: '本期应联系次数' }),
  done: Type.Integer({ description: '本期已完成（计入规则的）次数' }),
  remaining: Type.Integer(),
  status: CadenceStatusSchema,
  remind: Type.Boolean({ description: '已进入周期末提醒期且未完成' }),
  lastContactAt: Nullable(Timestamp),
});
export type CadenceItem = Static<typeof CadenceItem>;
export const CadenceQuery = Type.Object({
  date: Type.Optional(DateAbout('看哪一天所在的周期（YYYY-MM-DD，默认今天）')),
});
export type CadenceQuery = Static<typeof CadenceQuery>;
const CadenceSummary = Type.Object({ done: Type.Integer(), due: Type.Integer(), overdue: Type.Integer() });
export const StewardCadence = Type.Object({
  steward: PersonRef,
  asOf: DateOnly,
  items: Type.Array(CadenceItem),
  summary: CadenceSummary,
});
export type StewardCadence = Static<typeof StewardCadence>;
/** `limit`/`cursor` page `bySteward` (most overdue first); `total` and `byArea` always cover the whole scope. */
export const OverdueQuery = Type.Object({
  date: CadenceQuery.properties.date,
  areaId: Type.Optional(Uuid),
  ...PageQuery,
});
export type OverdueQuery = Static<typeof OverdueQuery>;
/**
 * Pending enterprises listed per steward in the overdue report (the rest are counted in the summary; the steward's
 * own list has them all). Five: a glance on the coordinator's card; 20 made a page ~1,000 pairs and 244 kB at
 * 100,000 assignments (docs/benchmarks.md, "Issue 9, session 6: cadence and coverage").
 */
export const OVERDUE_PENDING_MAX = 5;
export const OverdueReport = Type.Object({
  asOf: DateOnly,
  total: CadenceSummary,
  bySteward: Type.Array(Type.Object({
    steward: PersonRef,
    summary: CadenceSummary,
    pending: Type.Array(
      Type.Object({ enterprise: EnterpriseRef, area: AreaRef, status: CadenceStatusSchema, done: Type.Integer(), required: Type.Integer(), period: PeriodRef }),
      { description: `至多 ${OVERDUE_PENDING_MAX} 家（逾期在前）；总数为 summary.due + summary.overdue，全部见 /stewards/{id}/cadence` },
    ),
  })),
  byArea: Type.Array(Type.Object({ area: AreaRef, summary: CadenceSummary })),
  nextCursor: Nullable(Type.String({ description: '下一页管家（bySteward）的游标；没有更多时为 null' })),
});
export type OverdueReport = Static<typeof OverdueReport>;

export const LocationProposal = Type.Object({
  id: Uuid,
  enterprise: Type.Object({ id: Uuid, name: Type.String() }),
  visitId: Uuid,
  proposedBy: PersonRef,
  location: Nullable(VisitPoint),
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('rejected')]),
  decidedAt: Nullable(Timestamp),
  decisionNote: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type LocationProposal = Static<typeof LocationProposal>;
export const LocationProposalListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('rejected')])),
});
export const LocationDecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false });

export const VisitGrant = Type.Object({
  id: Uuid,
  steward: PersonRef,
  enterprise: Type.Object({ id: Uuid, name: Type.String() }),
  reason: Type.String(),
  validUntil: Nullable(DateOnly),
  grantedBy: PersonRef,
  revokedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export type VisitGrant = Static<typeof VisitGrant>;
export const VisitGrantCreate = Type.Object({
  stewardId: Uuid,
  enterpriseId: Uuid,
  reason: Type.String({ minLength: 1, maxLength: 256 }),
  validUntil: Type.Optional(DateOnly),
}, { additionalProperties: false });
export type VisitGrantCreate = Static<typeof VisitGrantCreate>;
export const VisitGrantListQuery = Type.Object({ ...PageQuery, stewardId: Type.Optional(Uuid), active: Type.Optional(Type.Boolean({ default: true })) });

export const LocationAccessEntry = Type.Object({
  id: Type.String(),
  actor: PersonRef,
  purpose: Type.String(),
  visitCount: Type.Integer(),
  visitIds: Type.Array(Uuid),
  at: Timestamp,
});
export const LocationAccessQuery = Type.Object({ ...PageQuery, visitId: Type.Optional(Uuid), actorId: Type.Optional(Uuid) });

