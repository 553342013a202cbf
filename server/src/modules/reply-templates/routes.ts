import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, ReplyTemplate, ReplyTemplateCreate, ReplyTemplateUpdate, StdErrors } from '@guanjia/shared';
import { REPLY_TEMPLATE_ROLES } from './reply-template.policy';
import { createReplyTemplate, deleteReplyTemplate, listReplyTemplates, updateReplyTemplate } from './reply-template.service';
import { routeSpec } from '../../lib/route';

/** 常用语: a department's reply templates, managed by its own staff (issue 13). */
export async function replyTemplateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const staff = app.requireRoles(...REPLY_TEMPLATE_ROLES.manage);
  const tags = ['reply-templates'];
  const { created, ok } = routeSpec(tags);

  app.get('/reply-templates', ok(staff, '本部门的常用语', {}, Type.Object({ items: Type.Array(ReplyTemplate) })),
    async (req) => listReplyTemplates(app.db, req.auth));

  app.post('/reply-templates', created(staff, '新增常用语（每个部门最多 50 条，不能重复）', { body: ReplyTemplateCreate }, ReplyTemplate, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createReplyTemplate(app.db, req.auth, req.body)));

  app.put('/reply-templates/:id', ok(staff, '修改常用语（需带版本号）', { params: IdParams, body: ReplyTemplateUpdate }, ReplyTemplate, { idempotent: true }),
    async (req) => updateReplyTemplate(app.db, req.auth, req.params.id, req.body));

  app.delete('/reply-templates/:id', {
    onRequest: staff,
    schema: { tags, summary: '删除常用语', params: IdParams, response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    await deleteReplyTemplate(app.db, req.auth, req.params.id);
    return reply.status(204).send(null);
  });
}
