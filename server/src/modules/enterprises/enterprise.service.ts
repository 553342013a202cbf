import type { DataSource } from 'typeorm';
import { isValidCreditCode, normalizeCreditCode, toWgs84, type EnterpriseCreate, type EnterpriseListQuery, type EnterpriseUpdate, type GeoInput } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { enterpriseStandingOf, enterpriseVisibilitySql, listShowsFullPhone } from './enterprise.policy';
import { ENTERPRISE_SELECT, presentEnterprise, type EnterpriseRow } from './enterprise.presenter';
import type { Enterprise } from '@guanjia/shared';
import { escapeLike, sqlParams } from '../../lib/sql';

function toStored(loc: GeoInput): { lat: number; lng: number } {
  return toWgs84(loc.lat, loc.lng, loc.datum);
}

async function assertArea(db: Pick<DataSource, 'query'>, districtId: string, areaId: string) {
  const rows = await db.query(`SELECT 1 FROM area WHERE id = $1 AND district_id = $2`, [areaId, districtId]);
  if (!rows.length) throw new AppError('AREA_NOT_IN_DISTRICT', [{ path: '/body/areaId', message: '所选属地不属于本区县' }]);
}

/** Registers an enterprise; the credit code is validated with its GB 32100 check digit and unique platform-wide. */
export async function createEnterprise(db: DataSource, auth: AuthUser, b: EnterpriseCreate): Promise<Enterprise> {
  const creditCode = normalizeCreditCode(b.creditCode);
  if (!isValidCreditCode(creditCode)) throw new AppError('CREDIT_CODE_INVALID', [{ path: '/body/creditCode', message: '统一社会信用代码格式或校验位不正确' }]);
  const loc = b.location ? toStored(b.location) : null;
  const id = await db.transaction(async (em) => {
    await assertArea(em, auth.districtId, b.areaId);
    const [row] = await em.query(
      `INSERT INTO enterprise (district_id, area_id, name, credit_code, address, lat, lng, location_confirmed, industry, scale, tags, contact_name, contact_phone)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (district_id, credit_code) DO NOTHING RETURNING id`,
      [auth.districtId, b.areaId, b.name.trim(), creditCode, b.address ?? null, loc?.lat ?? null, loc?.lng ?? null, loc !== null,
       b.industry ?? null, b.scale ?? 'below', b.tags ?? [], b.contactName ?? null, b.contactPhone ?? null],
    );
    if (!row) throw new AppError('CREDIT_CODE_TAKEN', [{ path: '/body/creditCode', message: '该统一社会信用代码已登记' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.created', entityType: 'enterprise', entityId: row.id, data: { name: b.name, creditCode } });
    return row.id as string;
  });
  return getEnterprise(db, auth, id);
}

/** Reads one enterprise the caller may see; another district's (or one not theirs) is simply not found. */
export async function getEnterprise(db: DataSource, auth: AuthUser, id: string): Promise<Enterprise> {
  const [row]: EnterpriseRow[] = await db.query(
    `SELECT ${ENTERPRISE_SELECT} FROM enterprise e JOIN area a ON a.id = e.area_id WHERE e.id = $1 AND e.district_id = $2`,
    [id, auth.districtId],
  );
  if (!row) throw new AppError('NOT_FOUND');
  // One assignment lookup decides both whether a steward may see it and whether the phone is shown in full.
  const standing = await enterpriseStandingOf(db, auth, { id, district_id: auth.districtId });
  if (!standing.canSee) throw new AppError('NOT_FOUND');
  return presentEnterprise(row, standing.fullPhone);
}

/** Optimistic update: the caller sends the version it read; a stale one is a conflict, never an overwrite. */
export async function updateEnterprise(db: DataSource, auth: AuthUser, id: string, b: EnterpriseUpdate): Promise<Enterprise> {
  const loc = b.location ? toStored(b.location) : null;
  await db.transaction(async (em) => {
    if (b.areaId) await assertArea(em, auth.districtId, b.areaId);
    const [rows] = await em.query(
      `UPDATE enterprise SET
          name = COALESCE($4, name), area_id = COALESCE($5, area_id), address = COALESCE($6, address),
          lat = CASE WHEN $7::float8 IS NULL THEN lat ELSE $7 END, lng = CASE WHEN $8::float8 IS NULL THEN lng ELSE $8 END,
          location_confirmed = CASE WHEN $7::float8 IS NULL THEN location_confirmed ELSE true END,
          industry = COALESCE($9, industry), scale = COALESCE($10, scale), tags = COALESCE($11, tags),
          contact_name = COALESCE($12, contact_name), contact_phone = COALESCE($13, contact_phone),
          version = version + 1, updated_at = now()
        WHERE id = $1 AND district_id = $2 AND version = $3 RETURNING id`,
      [id, auth.districtId, b.version, b.name?.trim() ?? null, b.areaId ?? null, b.address ?? null, loc?.lat ?? null, loc?.lng ?? null,
       b.industry ?? null, b.scale ?? null, b.tags ?? null, b.contactName ?? null, b.contactPhone ?? null],
    );
    if (!rows.length) {
      const exists = await em.query(`SELECT version FROM enterprise WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
      throw new AppError(exists.length ? 'VERSION_CONFLICT' : 'NOT_FOUND');
    }
    const { version: _v, ...changed } = b;
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.updated', entityType: 'enterprise', entityId: id, data: changed });
  });
  return getEnterprise(db, auth, id);
}

/**
 * Lists enterprises by name with keyset paging. District-wide roles and departments see the district;
 * a steward sees the enterprises currently assigned to them; an enterprise contact sees its own.
 */
export async function listEnterprises(db: DataSource, auth: AuthUser, q: EnterpriseListQuery): Promise<Page<Enterprise>> {
  const limit = q.limit ?? 50;
  const where: string[] = ['e.district_id = $1'];
  const { params, p } = sqlParams([auth.districtId]);
  if (!applyVisibility(where, enterpriseVisibilitySql(auth, p))) return { items: [], nextCursor: null };
  if (q.q) {
    const term = q.q.trim();
    where.push(`(e.name ILIKE ${p(`%${escapeLike(term)}%`)} OR e.credit_code LIKE ${p(`${term.toUpperCase().replace(/[\\%_]/g, '')}%`)})`);
  }
  if (q.areaId) where.push(`e.area_id = ${p(q.areaId)}`);
  if (q.scale) where.push(`e.scale = ${p(q.scale)}`);
  if (q.tag) where.push(`${p(q.tag)} = ANY(e.tags)`);
  if (q.stewardId) where.push(`EXISTS (SELECT 1 FROM assignment s2 WHERE s2.enterprise_id = e.id AND s2.steward_id = ${p(q.stewardId)} AND s2.ends_on IS NULL)`);
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(e.name, e.id) > (${p(cursor[0])}, ${p(cursor[1])}::uuid)`);
  const rows: EnterpriseRow[] = await db.query(
    `SELECT ${ENTERPRISE_SELECT} FROM enterprise e JOIN area a ON a.id = e.area_id WHERE ${where.join(' AND ')} ORDER BY e.name, e.id LIMIT ${p(limit + 1)}`,
    params,
  );
  const full = listShowsFullPhone(auth);
  const page = toPage(rows, limit, (r) => [r.name, r.id]);
  return { items: page.items.map((r) => presentEnterprise(r, full)), nextCursor: page.nextCursor };
}
