import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SURVEY_ROLES } from './survey.policy';
import { IdParams, Page, StdErrors, Survey, SurveyAnswerBody, SurveyAnswerReceipt, SurveyCreate, SurveyListQuery, SurveyPublish, SurveyResults, SurveyUpdate } from '@guanjia/shared';
import { answerSurvey, createSurvey, exportRows, getSurvey, listSurveys, publishSurvey, surveyResults, updateSurvey } from './survey.service';
import { surveyWorkbook } from './survey-export';

/** 问卷 (ADR 0014): builder, answers, results, export. */
export async function surveyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['surveys'];
  const builders = app.requireRoles(...SURVEY_ROLES.build);

  app.get('/surveys', {
    onRequest: app.authenticate,
    schema: { tags, summary: '问卷列表（企业：发给本企业的问卷）', querystring: SurveyListQuery, response: { 200: Page(Survey), ...StdErrors } },
  }, async (req) => listSurveys(app.db, req.auth, req.query));

  app.post('/surveys', {
    onRequest: builders,
    config: { idempotent: true },
    schema: { tags, summary: '新建问卷（草稿）', body: SurveyCreate, response: { 201: Survey, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createSurvey(app.db, req.auth, req.body)));

  app.get('/surveys/:id', {
    onRequest: app.authenticate,
    schema: { tags, summary: '问卷详情', params: IdParams, response: { 200: Survey, ...StdErrors } },
  }, async (req) => getSurvey(app.db, req.auth, req.params.id));

  app.patch('/surveys/:id', {
    onRequest: builders,
    schema: { tags, summary: '修改问卷草稿（需带版本号）', params: IdParams, body: SurveyUpdate, response: { 200: Survey, ...StdErrors } },
  }, async (req) => updateSurvey(app.db, req.auth, req.params.id, req.body));

  app.post('/surveys/:id/publish', {
    onRequest: builders,
    config: { idempotent: true },
    schema: { tags, summary: '发布问卷', params: IdParams, body: SurveyPublish, response: { 200: Survey, ...StdErrors } },
  }, async (req) => publishSurvey(app.db, req.auth, req.params.id, req.body.version));

  app.post('/surveys/:id/responses', {
    onRequest: app.requireRoles(...SURVEY_ROLES.respond),
    config: { idempotent: true },
    schema: { tags, summary: '提交答卷（每家企业一次）', params: IdParams, body: SurveyAnswerBody, response: { 201: SurveyAnswerReceipt, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await answerSurvey(app.db, req.auth, req.params.id, req.body)));

  app.get('/surveys/:id/results', {
    onRequest: app.requireRoles(...SURVEY_ROLES.results),
    schema: { tags, summary: '问卷结果：各题统计、文字回答、分属地答卷率', params: IdParams, response: { 200: SurveyResults, ...StdErrors } },
  }, async (req) => surveyResults(app.db, req.auth, req.params.id));

  app.get('/surveys/:id/export', {
    onRequest: app.requireRoles(...SURVEY_ROLES.results),
    schema: { tags, summary: '导出答卷明细（Excel，仅实名问卷）', params: IdParams },
  }, async (req, reply) => {
    const { survey, rows } = await exportRows(app.db, req.auth, req.params.id);
    const buf = await surveyWorkbook(survey.title, survey.questions, rows);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${survey.title}-答卷明细.xlsx`)}`)
      .send(buf);
  });
}
