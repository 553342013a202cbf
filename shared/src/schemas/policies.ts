import { Type, type Static } from '@sinclair/typebox';
import { lit, Maybe, Ref } from './builders';
import { DateAbout, Line, PageQuery, Timestamp, Uuid } from './common';
import { Yuan } from './projects';
import {
  BENEFIT_TYPES, CERTIFICATION_KINDS, CONFIRMATION_STATES, POLICY_MODES, POLICY_STATUSES, REVENUE_BANDS, SIZE_CLASSES, TAX_BANDS,
} from '../policy/policy-labels';

/**
 * API shapes of 政策直达 / 免申即享 (ADR 0014): the enterprise profile (fields, certifications, libraries),
 * policies with their eligibility document, matches with their explanation, delivery and 兑现 figures.
 * The eligibility document is checked by `validateEligibility` (shared/src/policy/eligibility.ts) so that an
 * unknown field gets a Chinese message naming it, not a generic schema error.
 */

const Text = (max: number, description?: string) => Type.String({ maxLength: max, ...(description ? { description } : {}) });

export const SizeClassSchema = lit(SIZE_CLASSES, 'large 大型 / medium 中型 / small 小型 / micro 微型');
export const RevenueBandSchema = lit(REVENUE_BANDS, '上年营收档次');
export const TaxBandSchema = lit(TAX_BANDS, '上年纳税档次');
export const CertificationKindSchema = lit(CERTIFICATION_KINDS, '资质类型');

export const Certification = Type.Object({
  id: Uuid, kind: CertificationKindSchema, certifiedOn: Type.String(), expiresOn: Maybe(Type.String()), certificateNo: Maybe(Type.String()),
});
export type Certification = Static<typeof Certification>;
export const LibraryMembership = Type.Object({
  id: Uuid, library: Ref, joinedOn: Type.String(), leftOn: Maybe(Type.String()), note: Maybe(Type.String()),
});
export type LibraryMembership = Static<typeof LibraryMembership>;

/** The profile a policy can depend on (一企一档), as the enterprise, its stewards and the coordinator see it. */
export const EnterpriseProfile = Type.Object({
  enterpriseId: Uuid,
  name: Type.String(),
  area: Ref,
  industry: Maybe(Type.String()),
  industrySection: Maybe(Type.String({ description: 'GB/T 4754 门类 A–T' })),
  industryDivision: Maybe(Type.String({ description: 'GB/T 4754 大类（两位）' })),
  sizeClass: Maybe(SizeClassSchema),
  aboveScale: Type.Boolean({ description: '规模以上' }),
  foundedOn: Maybe(Type.String()),
  employees: Maybe(Type.Integer()),
  revenueBand: Maybe(RevenueBandSchema),
  taxBand: Maybe(TaxBandSchema),
  certifications: Type.Array(Certification),
  libraries: Type.Array(LibraryMembership, { description: '培育库入库记录（含历史）' }),
  version: Type.Integer(),
  canEdit: Type.Boolean(),
});
export type EnterpriseProfile = Static<typeof EnterpriseProfile>;

/** Profile fields: absent = unchanged, null = cleared (not known). */
export const EnterpriseProfileUpdate = Type.Object({
  version: Type.Integer({ minimum: 1, description: '当前版本号，防止覆盖他人的修改' }),
  industrySection: Type.Optional(Type.Union([Type.String({ pattern: '^[A-T]$' }), Type.Null()])),
  industryDivision: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{2}$' }), Type.Null()])),
  sizeClass: Type.Optional(Type.Union([SizeClassSchema, Type.Null()])),
  aboveScale: Type.Optional(Type.Boolean()),
  foundedOn: Type.Optional(Type.Union([DateAbout('成立日期'), Type.Null()])),
  employees: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()])),
  revenueBand: Type.Optional(Type.Union([RevenueBandSchema, Type.Null()])),
  taxBand: Type.Optional(Type.Union([TaxBandSchema, Type.Null()])),
}, { additionalProperties: false });
export type EnterpriseProfileUpdate = Static<typeof EnterpriseProfileUpdate>;

export const CertificationCreate = Type.Object({
  kind: CertificationKindSchema,
  certifiedOn: DateAbout('认定日期'),
  expiresOn: Type.Optional(DateAbout('有效期至')),
  certificateNo: Type.Optional(Line({ maxLength: 64 })),
}, { additionalProperties: false });
export type CertificationCreate = Static<typeof CertificationCreate>;

export const Library = Type.Object({ id: Uuid, name: Type.String(), description: Maybe(Type.String()), members: Type.Integer() });
export type Library = Static<typeof Library>;
export const LibraryCreate = Type.Object({ name: Line({ minLength: 2, maxLength: 64 }), description: Type.Optional(Line({ maxLength: 500 })) }, { additionalProperties: false });
export type LibraryCreate = Static<typeof LibraryCreate>;
export const MembershipCreate = Type.Object({ libraryId: Uuid, joinedOn: DateAbout('入库日期'), note: Type.Optional(Line({ maxLength: 256 })) }, { additionalProperties: false });
export type MembershipCreate = Static<typeof MembershipCreate>;
export const MembershipEnd = Type.Object({ leftOn: DateAbout('出库日期') }, { additionalProperties: false });
export type MembershipEnd = Static<typeof MembershipEnd>;
export const MembershipParams = Type.Object({ id: Uuid, membershipId: Uuid });
export const CertificationParams = Type.Object({ id: Uuid, certificationId: Uuid });

/** The eligibility document as it travels; its inside is checked by validateEligibility (Chinese, per condition). */
export const EligibilityDoc = Type.Object({
  match: Type.String({ description: 'all 全部满足 / any 满足其一' }),
  conditions: Type.Array(Type.Object({ field: Type.String({ maxLength: 32 }) }, { additionalProperties: true }), { maxItems: 20 }),
}, { additionalProperties: true, description: '适用条件：行业、规模、资质、培育库、属地、成立日期、人数、营收、纳税' });

export const PolicyModeSchema = lit(POLICY_MODES, 'no_application 免申即享 / fast_application 快申快享 / inform 告知');
export const BenefitTypeSchema = lit(BENEFIT_TYPES, '资金补贴 / 税费减免 / 融资支持 / 人才 / 用地 / 其他');
export const PolicyStatusSchema = lit(POLICY_STATUSES, 'draft 草稿 / published 已发布 / withdrawn 已撤回');

const PolicyFields = {
  title: Line({ minLength: 4, maxLength: 128 }),
  departmentId: Uuid,
  docNo: Line({ maxLength: 64, description: '文号' }),
  publishOn: DateAbout('发布日期'),
  expiresOn: DateAbout('有效期至'),
  summary: Text(2000, '摘要'),
  fullText: Text(50_000, '政策全文'),
  benefitType: BenefitTypeSchema,
  mode: PolicyModeSchema,
  applyDeadline: DateAbout('申报截止日期（快申快享）'),
  contact: Line({ maxLength: 128, description: '咨询联系人及电话' }),
  eligibility: EligibilityDoc,
};
export const PolicyCreate = Type.Object({
  title: PolicyFields.title, departmentId: PolicyFields.departmentId, docNo: Type.Optional(PolicyFields.docNo),
  publishOn: Type.Optional(PolicyFields.publishOn), expiresOn: Type.Optional(PolicyFields.expiresOn), summary: Type.Optional(PolicyFields.summary),
  fullText: Type.Optional(PolicyFields.fullText), benefitType: PolicyFields.benefitType, mode: PolicyFields.mode,
  applyDeadline: Type.Optional(PolicyFields.applyDeadline), contact: Type.Optional(PolicyFields.contact), eligibility: PolicyFields.eligibility,
}, { additionalProperties: false });
export type PolicyCreate = Static<typeof PolicyCreate>;
export const PolicyUpdate = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  title: Type.Optional(PolicyFields.title), departmentId: Type.Optional(PolicyFields.departmentId), docNo: Type.Optional(PolicyFields.docNo),
  publishOn: Type.Optional(PolicyFields.publishOn), expiresOn: Type.Optional(PolicyFields.expiresOn), summary: Type.Optional(PolicyFields.summary),
  fullText: Type.Optional(PolicyFields.fullText), benefitType: Type.Optional(PolicyFields.benefitType), mode: Type.Optional(PolicyFields.mode),
  applyDeadline: Type.Optional(PolicyFields.applyDeadline), contact: Type.Optional(PolicyFields.contact), eligibility: Type.Optional(PolicyFields.eligibility),
}, { additionalProperties: false });
export type PolicyUpdate = Static<typeof PolicyUpdate>;
export const PolicyPublish = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const Policy = Type.Object({
  id: Uuid, title: Type.String(), department: Ref, docNo: Maybe(Type.String()), publishOn: Maybe(Type.String()), expiresOn: Maybe(Type.String()),
  summary: Type.String(), fullText: Type.String(), benefitType: BenefitTypeSchema, mode: PolicyModeSchema, applyDeadline: Maybe(Type.String()),
  contact: Maybe(Type.String()), eligibility: EligibilityDoc, status: PolicyStatusSchema, publishedAt: Maybe(Timestamp), version: Type.Integer(), createdAt: Timestamp,
});
export type Policy = Static<typeof Policy>;
export const PolicyListQuery = Type.Object({ ...PageQuery, status: Type.Optional(PolicyStatusSchema) });
export type PolicyListQuery = Static<typeof PolicyListQuery>;

const ConditionResult = Type.Object({ field: Type.String(), outcome: Type.String(), text: Type.String() });
/** A live evaluation (draft editor, 政策计算器): counts, and the first enterprises of each outcome. */
export const MatchPreview = Type.Object({
  met: Type.Integer(), unknown: Type.Integer(), notMet: Type.Integer(),
  byArea: Type.Array(Type.Object({ area: Ref, met: Type.Integer(), unknown: Type.Integer() })),
});
export type MatchPreview = Static<typeof MatchPreview>;
export const MatchPreviewBody = Type.Object({ eligibility: EligibilityDoc }, { additionalProperties: false });

export const ConfirmationSchema = lit(CONFIRMATION_STATES, 'pending 待确认 / confirmed 已确认 / declined 已放弃');
/** One matched enterprise of a policy (the eligible list, the unknown-data list, the steward's delivery list). */
export const PolicyMatch = Type.Object({
  policy: Type.Object({ id: Uuid, title: Type.String(), mode: PolicyModeSchema, benefitType: BenefitTypeSchema }),
  enterprise: Ref,
  area: Ref,
  outcome: Type.String({ description: 'met 符合 / unknown 待核实' }),
  explanation: Type.String(),
  notifiedAt: Maybe(Timestamp), readAt: Maybe(Timestamp), deliveredAt: Maybe(Timestamp),
  confirmation: Maybe(ConfirmationSchema), confirmedAt: Maybe(Timestamp),
  redeemedOn: Maybe(Type.String()), redeemedAmount: Maybe(Yuan),
  version: Type.Integer(),
});
export type PolicyMatch = Static<typeof PolicyMatch>;
export const PolicyMatchQuery = Type.Object({ ...PageQuery, outcome: Type.Optional(lit(['met', 'unknown'] as const)), areaId: Type.Optional(Uuid) });
export type PolicyMatchQuery = Static<typeof PolicyMatchQuery>;

/** A policy question (咨询政策): a 诉求 linked to the policy, handled by the issuing department. */
export const PolicyQuestion = Type.Object({
  id: Uuid, no: Type.String(), title: Type.String(), state: Type.String({ description: '诉求状态（TICKET_STATE_LABELS）' }),
  enterprise: Type.Object({ id: Uuid, name: Type.String() }), createdAt: Timestamp,
});
export type PolicyQuestion = Static<typeof PolicyQuestion>;
export const PolicyQuestionQuery = Type.Object({ ...PageQuery });
export type PolicyQuestionQuery = Static<typeof PolicyQuestionQuery>;

/** 政策计算器: one policy evaluated for one enterprise, met first. */
export const EnterprisePolicy = Type.Object({
  policy: Policy, outcome: Type.String(), explanation: Type.String(), conditions: Type.Array(ConditionResult),
  match: Maybe(PolicyMatch),
});
export type EnterprisePolicy = Static<typeof EnterprisePolicy>;

export const DeliveryBody = Type.Object({
  enterpriseId: Uuid,
  kind: lit(['onsite', 'phone', 'wechat'] as const, '送达方式'),
  visitId: Type.Optional(Uuid),
  notes: Type.Optional(Line({ maxLength: 500 })),
}, { additionalProperties: false });
export type DeliveryBody = Static<typeof DeliveryBody>;
export const ConfirmBody = Type.Object({ decision: lit(['confirmed', 'declined'] as const), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type ConfirmBody = Static<typeof ConfirmBody>;
export const RedeemBody = Type.Object({ enterpriseId: Uuid, redeemedOn: DateAbout('兑现日期'), amount: Yuan, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type RedeemBody = Static<typeof RedeemBody>;

const FigureRow = Type.Object({
  matched: Type.Integer(), unknown: Type.Integer(), notified: Type.Integer(), read: Type.Integer(), delivered: Type.Integer(),
  confirmed: Type.Integer(), declined: Type.Integer(), redeemed: Type.Integer(), redeemedAmount: Yuan, redeemedText: Type.String({ description: '兑现金额（万元）' }),
});
export const PolicyFigures = Type.Object({ total: FigureRow, byArea: Type.Array(Type.Intersect([Type.Object({ area: Ref }), FigureRow])) });
export type PolicyFigures = Static<typeof PolicyFigures>;
