import type { DataSource } from 'typeorm';
import type { Static } from '@sinclair/typebox';
import type { Area, AreaCreate, AreaUpdate as AreaUpdateSchema, Department, DepartmentCreate, DepartmentUpdate as DepartmentUpdateSchema, District as DistrictSchema } from '@guanjia/shared';

type District = Static<typeof DistrictSchema>;
type AreaUpdate = Static<typeof AreaUpdateSchema>;
type DepartmentUpdate = Static<typeof DepartmentUpdateSchema>;
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { recordAudit } from '../audit/audit';

/** The district's own record, its areas (属地) and departments (区直部门); who may edit them: org.policy.ts. */

type DepartmentRow = { id: string; name: string; short_name: string | null; functions: string | null; active: boolean };

const presentDepartment = (r: DepartmentRow): Department => ({
  id: r.id, name: r.name, shortName: r.short_name, functions: r.functions, active: r.active,
});

export async function getDistrict(db: DataSource, auth: AuthUser): Promise<District> {
  const [d] = await db.query(`SELECT id, code, name FROM district WHERE id = $1`, [auth.districtId]);
  return d;
}

export async function listAreas(db: DataSource, auth: AuthUser): Promise<{ items: Area[] }> {
  const items = await db.query(`SELECT id, code, name, kind FROM area WHERE district_id = $1 ORDER BY code`, [auth.districtId]);
  return { items };
}

/** A new area; its code must start with the district's code. Audited in the same transaction. */
export async function createArea(db: DataSource, auth: AuthUser, b: AreaCreate): Promise<Area> {
  return db.transaction(async (em) => {
    const [d] = await em.query(`SELECT code FROM district WHERE id = $1`, [auth.districtId]);
    if (!b.code.startsWith(d.code)) throw new AppError('AREA_NOT_IN_DISTRICT', [{ path: '/body/code', message: `属地代码须以本区县代码 ${d.code} 开头` }]);
    const [row] = await em.query(
      `INSERT INTO area (district_id, code, name, kind) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id, code, name, kind`,
      [auth.districtId, b.code, b.name.trim(), b.kind],
    );
    if (!row) throw new AppError('DUPLICATE', [{ path: '/body/code', message: '属地代码或名称已存在' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'area.created', entityType: 'area', entityId: row.id, data: b });
    return row;
  });
}

export async function updateArea(db: DataSource, auth: AuthUser, id: string, b: AreaUpdate): Promise<Area> {
  return db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE area SET name = COALESCE($3, name), kind = COALESCE($4, kind) WHERE id = $1 AND district_id = $2 RETURNING id, code, name, kind`,
      [id, auth.districtId, b.name?.trim() ?? null, b.kind ?? null],
    );
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'area.updated', entityType: 'area', entityId: row.id, data: b });
    return row;
  });
}

export async function listDepartments(db: DataSource, auth: AuthUser): Promise<{ items: Department[] }> {
  const rows: DepartmentRow[] = await db.query(`SELECT id, name, short_name, functions, active FROM department WHERE district_id = $1 ORDER BY name`, [auth.districtId]);
  return { items: rows.map(presentDepartment) };
}

export async function createDepartment(db: DataSource, auth: AuthUser, b: DepartmentCreate): Promise<Department> {
  return db.transaction(async (em) => {
    const [row] = await em.query(
      `INSERT INTO department (district_id, name, short_name, functions) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id, name, short_name, functions, active`,
      [auth.districtId, b.name.trim(), b.shortName ?? null, b.functions ?? null],
    );
    if (!row) throw new AppError('DUPLICATE', [{ path: '/body/name', message: '部门名称已存在' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'department.created', entityType: 'department', entityId: row.id, data: b });
    return presentDepartment(row);
  });
}

export async function updateDepartment(db: DataSource, auth: AuthUser, id: string, b: DepartmentUpdate): Promise<Department> {
  return db.transaction(async (em) => {
    const [rows] = await em.query(
      `UPDATE department SET name = COALESCE($3, name), short_name = COALESCE($4, short_name), functions = COALESCE($5, functions), active = COALESCE($6, active)
        WHERE id = $1 AND district_id = $2 RETURNING id, name, short_name, functions, active`,
      [id, auth.districtId, b.name?.trim() ?? null, b.shortName ?? null, b.functions ?? null, b.active ?? null],
    );
    if (!rows[0]) throw new AppError('NOT_FOUND');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'department.updated', entityType: 'department', entityId: id, data: b });
    return presentDepartment(rows[0]);
  });
}
