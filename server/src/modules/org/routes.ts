import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Area, AreaCreate, AreaUpdate, Department, DepartmentCreate, DepartmentUpdate, District, IdParams } from '@guanjia/shared';
import { routeSpec } from '../../lib/route';
import { ORG_ROLES } from './org.policy';
import { createArea, createDepartment, getDistrict, listAreas, listDepartments, updateArea, updateDepartment } from './org.service';

/** The district's own record, its areas (属地) and departments (区直部门). Coordinators and admins edit them. */
export async function orgRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles(...ORG_ROLES.edit);
  const { created, ok } = routeSpec(['org']);

  app.get('/district', ok(app.authenticate, '本区县', {}, District),
    async (req) => getDistrict(app.db, req.auth));

  app.get('/areas', ok(app.authenticate, '属地列表', {}, Type.Object({ items: Type.Array(Area) })),
    async (req) => listAreas(app.db, req.auth));

  app.post('/areas', created(editors, '新增属地', { body: AreaCreate }, Area, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createArea(app.db, req.auth, req.body)));

  app.patch('/areas/:id', ok(editors, '修改属地', { params: IdParams, body: AreaUpdate }, Area),
    async (req) => updateArea(app.db, req.auth, req.params.id, req.body));

  app.get('/departments', ok(app.authenticate, '部门列表', {}, Type.Object({ items: Type.Array(Department) })),
    async (req) => listDepartments(app.db, req.auth));

  app.post('/departments', created(editors, '新增部门', { body: DepartmentCreate }, Department, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createDepartment(app.db, req.auth, req.body)));

  app.patch('/departments/:id', ok(editors, '修改部门', { params: IdParams, body: DepartmentUpdate }, Department),
    async (req) => updateDepartment(app.db, req.auth, req.params.id, req.body));
}
