import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Area, AreaCreate, AreaUpdate, Department, DepartmentCreate, DepartmentUpdate, District, IdParams, StdErrors } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';

const presentDepartment = (r: { id: string; name: string; short_name: string | null; functions: string | null; active: boolean }) => ({
  id: r.id, name: r.name, shortName: r.short_name, functions: r.functions, active: r.active,
});

/** The district's own record, its areas (属地) and departments (区直部门). Coordinators and admins edit them. */
export async function orgRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles('coordinator', 'admin');

  app.get('/district', { onRequest: app.authenticate, schema: { tags: ['org'], summary: '本区县', response: { 200: District, ...StdErrors } } }, async (req) => {
    const [d] = await app.db.query(`SELECT id, code, name FROM district WHERE id = $1`, [req.auth.districtId]);
    return d;
  });

  app.get('/areas', { onRequest: app.authenticate, schema: { tags: ['org'], summary: '属地列表', response: { 200: Type.Object({ items: Type.Array(Area) }), ...StdErrors } } }, async (req) => {
    const items = await app.db.query(`SELECT id, code, name, kind FROM area WHERE district_id = $1 ORDER BY code`, [req.auth.districtId]);
    return { items };
  });

  app.post('/areas', { onRequest: editors, config: { idempotent: true }, schema: { tags: ['org'], summary: '新增属地', body: AreaCreate, response: { 201: Area, ...StdErrors } } }, async (req, reply) => {
    const b = req.body;
    const area = await app.db.transaction(async (em) => {
      const [d] = await em.query(`SELECT code FROM district WHERE id = $1`, [req.auth.districtId]);
      if (!b.code.startsWith(d.code)) throw new AppError('AREA_NOT_IN_DISTRICT', [{ path: '/body/code', message: `属地代码须以本区县代码 ${d.code} 开头` }]);
      const [row] = await em.query(
        `INSERT INTO area (district_id, code, name, kind) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id, code, name, kind`,
        [req.auth.districtId, b.code, b.name.trim(), b.kind],
      );
      if (!row) throw new AppError('DUPLICATE', [{ path: '/body/code', message: '属地代码或名称已存在' }]);
      await recordAudit(em, { districtId: req.auth.districtId, actorId: req.auth.id, action: 'area.created', entityType: 'area', entityId: row.id, data: b });
      return row;
    });
    return reply.status(201).send(area);
  });

  app.patch('/areas/:id', { onRequest: editors, schema: { tags: ['org'], summary: '修改属地', params: IdParams, body: AreaUpdate, response: { 200: Area, ...StdErrors } } }, async (req) => {
    return app.db.transaction(async (em) => {
      const [rows] = await em.query(
        `UPDATE area SET name = COALESCE($3, name), kind = COALESCE($4, kind) WHERE id = $1 AND district_id = $2 RETURNING id, code, name, kind`,
        [req.params.id, req.auth.districtId, req.body.name?.trim() ?? null, req.body.kind ?? null],
      );
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND');
      await recordAudit(em, { districtId: req.auth.districtId, actorId: req.auth.id, action: 'area.updated', entityType: 'area', entityId: row.id, data: req.body });
      return row;
    });
  });

  app.get('/departments', { onRequest: app.authenticate, schema: { tags: ['org'], summary: '部门列表', response: { 200: Type.Object({ items: Type.Array(Department) }), ...StdErrors } } }, async (req) => {
    const rows = await app.db.query(`SELECT id, name, short_name, functions, active FROM department WHERE district_id = $1 ORDER BY name`, [req.auth.districtId]);
    return { items: rows.map(presentDepartment) };
  });

  app.post('/departments', { onRequest: editors, config: { idempotent: true }, schema: { tags: ['org'], summary: '新增部门', body: DepartmentCreate, response: { 201: Department, ...StdErrors } } }, async (req, reply) => {
    const b = req.body;
    const dep = await app.db.transaction(async (em) => {
      const [row] = await em.query(
        `INSERT INTO department (district_id, name, short_name, functions) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id, name, short_name, functions, active`,
        [req.auth.districtId, b.name.trim(), b.shortName ?? null, b.functions ?? null],
      );
      if (!row) throw new AppError('DUPLICATE', [{ path: '/body/name', message: '部门名称已存在' }]);
      await recordAudit(em, { districtId: req.auth.districtId, actorId: req.auth.id, action: 'department.created', entityType: 'department', entityId: row.id, data: b });
      return row;
    });
    return reply.status(201).send(presentDepartment(dep));
  });

  app.patch('/departments/:id', { onRequest: editors, schema: { tags: ['org'], summary: '修改部门', params: IdParams, body: DepartmentUpdate, response: { 200: Department, ...StdErrors } } }, async (req) => {
    const b = req.body;
    return app.db.transaction(async (em) => {
      const [rows] = await em.query(
        `UPDATE department SET name = COALESCE($3, name), short_name = COALESCE($4, short_name), functions = COALESCE($5, functions), active = COALESCE($6, active)
          WHERE id = $1 AND district_id = $2 RETURNING id, name, short_name, functions, active`,
        [req.params.id, req.auth.districtId, b.name?.trim() ?? null, b.shortName ?? null, b.functions ?? null, b.active ?? null],
      );
      if (!rows[0]) throw new AppError('NOT_FOUND');
      await recordAudit(em, { districtId: req.auth.districtId, actorId: req.auth.id, action: 'department.updated', entityType: 'department', entityId: req.params.id, data: b });
      return presentDepartment(rows[0]);
    });
  });
}
