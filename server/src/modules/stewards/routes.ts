import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, MySteward, StdErrors, StewardRatings, StewardSettings } from '@guanjia/shared';
import { STEWARD_ROLES } from './steward.policy';
import { mySteward, putStewardSettings, stewardRatings, stewardSettings } from './steward-contact.service';

/** 联系管家, the steward's contact setting and the ratings enterprises gave stewards (issue 13). */
export async function stewardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['stewards'];

  app.get('/my-steward', {
    onRequest: app.requireRoles(...STEWARD_ROLES.contact),
    schema: { tags, summary: '本企业的包保管家（管家允许时含手机号，用于联系管家）', response: { 200: MySteward, ...StdErrors } },
  }, async (req) => mySteward(app.db, req.auth));

  app.get('/steward-settings', {
    onRequest: app.requireRoles(...STEWARD_ROLES.settings),
    schema: { tags, summary: '管家本人的联系设置', response: { 200: StewardSettings, ...StdErrors } },
  }, async (req) => stewardSettings(app.db, req.auth));

  app.put('/steward-settings', {
    onRequest: app.requireRoles(...STEWARD_ROLES.settings), config: { idempotent: true },
    schema: { tags, summary: '修改联系设置：是否向包保企业显示手机号', body: StewardSettings, response: { 200: StewardSettings, ...StdErrors } },
  }, async (req) => putStewardSettings(app.db, req.auth, req.body));

  app.get('/stewards/:id/ratings', {
    onRequest: app.requireRoles(...STEWARD_ROLES.ratings),
    schema: { tags, summary: '企业确认办理结果时对管家的评价（平均星级与最近 50 条）', params: IdParams, response: { 200: StewardRatings, ...StdErrors } },
  }, async (req) => stewardRatings(app.db, req.auth, req.params.id));
}
