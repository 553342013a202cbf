import { Type, type Static } from '@sinclair/typebox';
import { lit, Maybe, Ref } from './builders';
import { DateAbout, Line, PageQuery, Timestamp, Uuid } from './common';
import { QUESTION_KINDS, SURVEY_TARGET_KINDS } from '../survey/survey';

/** API shapes of 问卷 (ADR 0014): the builder, the enterprise's answer, results and response rates. */


export const QuestionSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9_-]{1,16}$', description: '题目编号（问卷内唯一）' }),
  kind: lit(QUESTION_KINDS, 'single 单选 / multi 多选 / rating 评分1–5 / text 填空'),
  title: Line({ minLength: 1, maxLength: 200 }),
  options: Type.Optional(Type.Array(Line({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
  required: Type.Boolean(),
}, { additionalProperties: false });
export const SurveyTarget = Type.Object({
  kind: lit(SURVEY_TARGET_KINDS, 'all 全部 / library 培育库 / tag 标签 / area 属地 / policy 政策匹配企业'),
  ids: Type.Optional(Type.Array(Uuid, { maxItems: 50, description: '属地、培育库或政策的 id' })),
  tag: Type.Optional(Line({ minLength: 1, maxLength: 16 })),
}, { additionalProperties: false });
export type SurveyTarget = Static<typeof SurveyTarget>;

export const SurveyCreate = Type.Object({
  title: Line({ minLength: 4, maxLength: 128 }),
  intro: Type.Optional(Type.String({ maxLength: 2000 })),
  anonymous: Type.Boolean({ description: '匿名问卷：任何接口和导出都不显示答卷企业' }),
  target: SurveyTarget,
  opensOn: DateAbout('开始日期'),
  closesOn: DateAbout('截止日期'),
  questions: Type.Array(QuestionSchema, { maxItems: 50 }),
}, { additionalProperties: false });
export type SurveyCreate = Static<typeof SurveyCreate>;
export const SurveyUpdate = Type.Composite([Type.Partial(SurveyCreate), Type.Object({ version: Type.Integer({ minimum: 1 }) })], { additionalProperties: false });
export type SurveyUpdate = Static<typeof SurveyUpdate>;

export const Survey = Type.Object({
  id: Uuid, title: Type.String(), intro: Type.String(), anonymous: Type.Boolean(), target: SurveyTarget, opensOn: Type.String(), closesOn: Type.String(),
  questions: Type.Array(QuestionSchema), status: Type.String({ description: 'draft 草稿 / open 已发布' }), phase: Type.String({ description: 'draft / not_open / open / closed' }),
  answered: Maybe(Type.Boolean({ description: '企业本身是否已答（仅企业查看时）' })), version: Type.Integer(), createdAt: Timestamp,
});
export type Survey = Static<typeof Survey>;
export const SurveyListQuery = Type.Object({ ...PageQuery });
export const SurveyPublish = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const SurveyAnswerBody = Type.Object({
  answers: Type.Record(Type.String({ pattern: '^[a-z0-9_-]{1,16}$' }), Type.Union([Type.Integer(), Type.Array(Type.Integer(), { maxItems: 20 }), Type.String({ maxLength: 1000 })])),
}, { additionalProperties: false });
export type SurveyAnswerBody = Static<typeof SurveyAnswerBody>;
export const SurveyAnswerReceipt = Type.Object({ surveyId: Uuid, submittedOn: Type.String() });

export const SurveyResults = Type.Object({
  responses: Type.Integer(), targeted: Type.Integer(),
  byArea: Type.Array(Type.Object({ area: Ref, targeted: Type.Integer(), responded: Type.Integer(), rate: Type.String({ description: '答卷率，如 "62.5%"' }) })),
  questions: Type.Array(Type.Object({
    id: Type.String(), kind: Type.String(), title: Type.String(), answered: Type.Integer(),
    options: Type.Optional(Type.Array(Type.Object({ label: Type.String(), count: Type.Integer() }))),
    average: Type.Optional(Maybe(Type.String({ description: '平均分（两位小数）' }))),
    texts: Type.Optional(Type.Array(Type.Object({ text: Type.String(), enterprise: Maybe(Type.String({ description: '仅实名问卷' })) }))),
  })),
});
export type SurveyResults = Static<typeof SurveyResults>;
