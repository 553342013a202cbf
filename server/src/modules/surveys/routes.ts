import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SURVEY_ROLES } from './survey.policy';
import { IdParams, Page, Survey, SurveyAnswerBody, SurveyAnswerReceipt, SurveyCreate, SurveyListQuery, SurveyPublish, SurveyResults, SurveyUpdate } from '@guanjia/shared';
import { answerSurvey, createSurvey, exportRows, getSurvey, listSurveys, publishSurvey, surveyResults, updateSurvey } from './survey.service';
import { surveyWorkbook } from './survey-export';
import { routeSpec } from '../../lib/route';

/** 问卷 (ADR 0014): builder, answers, results, export. */
export async function surveyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['surveys'];
  const { created, ok } = routeSpec(tags);
  const builders = app.requireRoles(...SURVEY_ROLES.build);

  app.get('/surveys', ok(app.authenticate, '问卷列表（企业：发给本企业的问卷）', { querystring: SurveyListQuery }, Page(Survey)),
    async (req) => listSurveys(app.db, req.auth, req.query));

  app.post('/surveys', created(builders, '新建问卷（草稿）', { body: SurveyCreate }, Survey, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createSurvey(app.db, req.auth, req.body)));

  app.get('/surveys/:id', ok(app.authenticate, '问卷详情', { params: IdParams }, Survey),
    async (req) => getSurvey(app.db, req.auth, req.params.id));

  app.patch('/surveys/:id', ok(builders, '修改问卷草稿（需带版本号）', { params: IdParams, body: SurveyUpdate }, Survey),
    async (req) => updateSurvey(app.db, req.auth, req.params.id, req.body));

  app.post('/surveys/:id/publish', ok(builders, '发布问卷', { params: IdParams, body: SurveyPublish }, Survey, { idempotent: true }),
    async (req) => publishSurvey(app.db, req.auth, req.params.id, req.body.version));

  app.post('/surveys/:id/responses', created(app.requireRoles(...SURVEY_ROLES.respond), '提交答卷（每家企业一次）', { params: IdParams, body: SurveyAnswerBody }, SurveyAnswerReceipt, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await answerSurvey(app.db, req.auth, req.params.id, req.body)));

  app.get('/surveys/:id/results', ok(app.requireRoles(...SURVEY_ROLES.results), '问卷结果：各题统计、文字回答、分属地答卷率', { params: IdParams }, SurveyResults),
    async (req) => surveyResults(app.db, req.auth, req.params.id));

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
