import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, MySteward, StewardRatings, StewardSettings } from '@guanjia/shared';
import { STEWARD_ROLES } from './steward.policy';
import { mySteward, putStewardSettings, stewardRatings, stewardSettings } from './steward-contact.service';
import { routeSpec } from '../../lib/route';

/** 联系管家, the steward's contact setting and the ratings enterprises gave stewards (issue 13). */
export async function stewardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['stewards'];
  const { ok } = routeSpec(tags);

  app.get('/my-steward', ok(app.requireRoles(...STEWARD_ROLES.contact), '本企业的包保管家（管家允许时含手机号，用于联系管家）', {}, MySteward),
    async (req) => mySteward(app.db, req.auth));

  app.get('/steward-settings', ok(app.requireRoles(...STEWARD_ROLES.settings), '管家本人的联系设置', {}, StewardSettings),
    async (req) => stewardSettings(app.db, req.auth));

  app.put('/steward-settings', ok(app.requireRoles(...STEWARD_ROLES.settings), '修改联系设置：是否向包保企业显示手机号', { body: StewardSettings }, StewardSettings, { idempotent: true }),
    async (req) => putStewardSettings(app.db, req.auth, req.body));

  app.get('/stewards/:id/ratings', ok(app.requireRoles(...STEWARD_ROLES.ratings), '企业确认办理结果时对管家的评价（平均星级与最近 50 条）', { params: IdParams }, StewardRatings),
    async (req) => stewardRatings(app.db, req.auth, req.params.id));
}
