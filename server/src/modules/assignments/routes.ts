import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ASSIGNMENT_ROLES } from './assignment.policy';
import { Assignment, AssignmentCreate, AssignmentEnd, AssignmentListQuery, IdParams, Page, StdErrors } from '@guanjia/shared';
import { createAssignment, endAssignment, listAssignments } from './assignment.service';

export async function assignmentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles(...ASSIGNMENT_ROLES.manage);

  app.get('/assignments', {
    onRequest: app.requireRoles(...ASSIGNMENT_ROLES.read),
    schema: { tags: ['assignments'], summary: '包保关系（管家只看自己的）', querystring: AssignmentListQuery, response: { 200: Page(Assignment), ...StdErrors } },
  }, async (req) => listAssignments(app.db, req.auth, req.query));
  app.post('/assignments', {
    onRequest: editors, config: { idempotent: true },
    schema: { tags: ['assignments'], summary: '包保：指派管家', body: AssignmentCreate, response: { 201: Assignment, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createAssignment(app.db, req.auth, req.body)));
  app.post('/assignments/:id/end', {
    onRequest: editors,
    schema: { tags: ['assignments'], summary: '结束包保（保留历史）', params: IdParams, body: AssignmentEnd, response: { 200: Assignment, ...StdErrors } },
  }, async (req) => endAssignment(app.db, req.auth, req.params.id, req.body.endsOn));
}
