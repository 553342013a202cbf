import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CityDistricts, CityDistrictsQuery, StdErrors } from '@guanjia/shared';
import { cityDistricts } from './city.service';
import { CITY_GUARD } from './city.policy';

/** Routes of a city person (ADR 0008): read-only comparisons of the districts of their city. */
export async function cityRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const city = app.requireScope([...CITY_GUARD.scopes], [...CITY_GUARD.roles]);

  app.get('/city/districts', {
    onRequest: city,
    schema: {
      tags: ['city'], summary: '市级：本市各区县当月诉求指标对比与综合排名（综合得分 = 0.1×及时签收率 + 0.5×解决率 + 0.4×满意率）',
      querystring: CityDistrictsQuery, response: { 200: CityDistricts, ...StdErrors },
    },
  }, async (req) => cityDistricts(app.readDb, req.principal, req.query.month));
}
