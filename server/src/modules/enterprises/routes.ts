import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Enterprise, EnterpriseCreate, EnterpriseListQuery, EnterpriseUpdate, IdParams, Page, StdErrors } from '@guanjia/shared';
import { ENTERPRISE_ROLES } from './enterprise.policy';
import { createEnterprise, getEnterprise, listEnterprises, updateEnterprise } from './enterprise.service';

export async function enterpriseRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles(...ENTERPRISE_ROLES.edit);

  app.get('/enterprises', {
    onRequest: app.authenticate,
    schema: { tags: ['enterprises'], summary: '企业列表（按名称，游标分页）', querystring: EnterpriseListQuery, response: { 200: Page(Enterprise), ...StdErrors } },
  }, async (req) => listEnterprises(app.db, req.auth, req.query));

  app.get('/enterprises/:id', {
    onRequest: app.authenticate,
    schema: { tags: ['enterprises'], summary: '企业详情', params: IdParams, response: { 200: Enterprise, ...StdErrors } },
  }, async (req) => getEnterprise(app.db, req.auth, req.params.id));

  app.post('/enterprises', {
    onRequest: editors,
    config: { idempotent: true },
    schema: { tags: ['enterprises'], summary: '登记企业', body: EnterpriseCreate, response: { 201: Enterprise, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createEnterprise(app.db, req.auth, req.body)));

  app.patch('/enterprises/:id', {
    onRequest: editors,
    schema: { tags: ['enterprises'], summary: '修改企业（需带版本号）', params: IdParams, body: EnterpriseUpdate, response: { 200: Enterprise, ...StdErrors } },
  }, async (req) => updateEnterprise(app.db, req.auth, req.params.id, req.body));
}
