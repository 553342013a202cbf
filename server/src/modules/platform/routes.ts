import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DistrictSetup, DistrictSetupResult, Page, PageQuery, PlatformDistrict, StdErrors } from '@guanjia/shared';
import { Type } from '@sinclair/typebox';
import { listDistricts, setupDistrict } from './platform.service';
import { PLATFORM_GUARD } from './platform.policy';

/** The platform operator's routes: districts of the deployment. No district data is reachable from here. */
export async function platformRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const operator = app.requireScope([...PLATFORM_GUARD.scopes], [...PLATFORM_GUARD.roles]);

  app.get('/platform/districts', {
    onRequest: operator,
    schema: { tags: ['platform'], summary: '平台运维：区县列表', querystring: Type.Object(PageQuery), response: { 200: Page(PlatformDistrict), ...StdErrors } },
  }, async (req) => listDistricts(app.db, req.query));

  app.post('/platform/districts', {
    onRequest: operator,
    schema: {
      tags: ['platform'], summary: '平台运维：开通区县并创建首位管理员（重复提交同一代码不做任何更改）', body: DistrictSetup,
      response: { 200: DistrictSetupResult, 201: DistrictSetupResult, ...StdErrors },
    },
  }, async (req, reply) => {
    const r = await setupDistrict(app.db, req.principal.id, req.body);
    return reply.status(r.created ? 201 : 200).send(r);
  });
}
