import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Area, AreaCreate, AreaUpdate, Department, DepartmentCreate, DepartmentUpdate, District, IdParams, StdErrors } from '@guanjia/shared';
import { ORG_ROLES } from './org.policy';
import { createArea, createDepartment, getDistrict, listAreas, listDepartments, updateArea, updateDepartment } from './org.service';

/** The district's own record, its areas (属地) and departments (区直部门). Coordinators and admins edit them. */
export async function orgRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles(...ORG_ROLES.edit);

  app.get('/district', { onRequest: app.authenticate, schema: { tags: ['org'], summary: '本区县', response: { 200: District, ...StdErrors } } },
    async (req) => getDistrict(app.db, req.auth));

  app.get('/areas', { onRequest: app.authenticate, schema: { tags: ['org'], summary: '属地列表', response: { 200: Type.Object({ items: Type.Array(Area) }), ...StdErrors } } },
    async (req) => listAreas(app.db, req.auth));

  app.post('/areas', { onRequest: editors, config: { idempotent: true }, schema: { tags: ['org'], summary: '新增属地', body: AreaCreate, response: { 201: Area, ...StdErrors } } },
    async (req, reply) => reply.status(201).send(await createArea(app.db, req.auth, req.body)));

  app.patch('/areas/:id', { onRequest: editors, schema: { tags: ['org'], summary: '修改属地', params: IdParams, body: AreaUpdate, response: { 200: Area, ...StdErrors } } },
    async (req) => updateArea(app.db, req.auth, req.params.id, req.body));

  app.get('/departments', { onRequest: app.authenticate, schema: { tags: ['org'], summary: '部门列表', response: { 200: Type.Object({ items: Type.Array(Department) }), ...StdErrors } } },
    async (req) => listDepartments(app.db, req.auth));

  app.post('/departments', { onRequest: editors, config: { idempotent: true }, schema: { tags: ['org'], summary: '新增部门', body: DepartmentCreate, response: { 201: Department, ...StdErrors } } },
    async (req, reply) => reply.status(201).send(await createDepartment(app.db, req.auth, req.body)));

  app.patch('/departments/:id', { onRequest: editors, schema: { tags: ['org'], summary: '修改部门', params: IdParams, body: DepartmentUpdate, response: { 200: Department, ...StdErrors } } },
    async (req) => updateDepartment(app.db, req.auth, req.params.id, req.body));
}
