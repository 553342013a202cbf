import type { DataSource } from 'typeorm';
import { divisionLevel, isDivisionCode, type DistrictSetup, type DistrictSetupResult, type PlatformDistrict } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { recordAudit } from '../audit/audit';
import { hashInvitation, INVITATION_TTL_DAYS, newInvitationCode } from '../people/invitation';
import type { Queryable } from '../../lib/sql';


type DistrictRow = { id: string; code: string; name: string; city_code: string | null; city_name: string | null; admins: number; created_at: Date };
const DISTRICT_SELECT = `d.id, d.code, d.name, d.city_code, c.name AS city_name, d.created_at,
  (SELECT count(*) FROM person p WHERE p.district_id = d.id AND 'admin' = ANY(p.roles) AND NOT p.disabled)::int AS admins`;

function present(r: DistrictRow): PlatformDistrict {
  return {
    id: r.id, code: r.code, name: r.name, city: r.city_code ? { code: r.city_code, name: r.city_name ?? '' } : null, admins: r.admins,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function loadDistrict(db: Queryable, code: string): Promise<PlatformDistrict | null> {
  const [r]: DistrictRow[] = await db.query(`SELECT ${DISTRICT_SELECT} FROM district d LEFT JOIN city c ON c.code = d.city_code WHERE d.code = $1`, [code]);
  return r ? present(r) : null;
}

/**
 * Creates a district (行政区划代码 checked) in its city and its first administrator with a one-time invitation code.
 * Running it again for an existing code changes nothing and says so; the first admin's code is never shown twice.
 * `actorId` is the platform operator, or null for the command line.
 */
export async function setupDistrict(db: DataSource, actorId: string | null, b: DistrictSetup, opts: { adminPasswordHash?: string } = {}): Promise<DistrictSetupResult> {
  if (!isDivisionCode(b.code) || divisionLevel(b.code) !== 'county')
    throw new AppError('DIVISION_CODE_INVALID', [{ path: '/body/code', message: '请输入区县级行政区划代码（6 位，末两位不为 00），如 211103' }]);
  if (!b.admin.phone && !b.admin.username)
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/admin/phone', message: '请提供首位管理员的手机号或用户名' }]);
  return db.transaction(async (em) => {
    // Two setups of the same code at once: the second waits, then finds the district.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('district-setup:' || $1))`, [b.code]);
    const existing = await loadDistrict(em, b.code);
    if (existing) return { district: existing, created: false, admin: null, invitationCode: null };
    const cityCode = `${b.code.slice(0, 4)}00`;
    if (b.cityName) await em.query(`INSERT INTO city (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, [cityCode, b.cityName.trim()]);
    const [city] = await em.query(`SELECT code FROM city WHERE code = $1`, [cityCode]);
    const [d] = await em.query(`INSERT INTO district (code, name, city_code) VALUES ($1, $2, $3) RETURNING id`, [b.code, b.name.trim(), city?.code ?? null]);
    const code = newInvitationCode();
    const [admin] = await em.query(
      `INSERT INTO person (district_id, name, username, phone, roles, title, invitation_hash, invitation_expires_at, invitation_issued_by, password_hash)
       VALUES ($1, $2, $3, $4, ARRAY['admin'], '管理员', $5, now() + make_interval(days => $6), $7, $8) RETURNING id, name`,
      [d.id, b.admin.name.trim(), b.admin.username ?? null, b.admin.phone ?? null, hashInvitation(code), INVITATION_TTL_DAYS, actorId, opts.adminPasswordHash ?? null],
    );
    await recordAudit(em, { districtId: d.id, actorId, action: 'district.created', entityType: 'district', entityId: d.id, data: { code: b.code, name: b.name, cityCode: city?.code ?? null } });
    await recordAudit(em, { districtId: d.id, actorId, action: 'person.created', entityType: 'person', entityId: admin.id, data: { name: admin.name, roles: ['admin'], invitationIssued: true } });
    return { district: (await loadDistrict(em, b.code))!, created: true, admin: { id: admin.id, name: admin.name }, invitationCode: code };
  });
}

/** Every district of the deployment by code, keyset-paged (the operator's view: no district data inside). */
export async function listDistricts(db: Queryable, q: { cursor?: string; limit?: number }): Promise<Page<PlatformDistrict>> {
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor, 1);
  const rows: DistrictRow[] = await db.query(
    `SELECT ${DISTRICT_SELECT} FROM district d LEFT JOIN city c ON c.code = d.city_code WHERE ($1::text IS NULL OR d.code > $1) ORDER BY d.code LIMIT $2`,
    [cursor?.[0] ?? null, limit + 1],
  );
  const page = toPage(rows, limit, (r) => [r.code]);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/** Creates a platform operator (command line only); an existing username is left as it is. */
export async function ensureOperator(db: DataSource, username: string, passwordHash: string): Promise<{ id: string; created: boolean }> {
  return db.transaction(async (em) => {
    const [cur] = await em.query(`SELECT id FROM person WHERE scope = 'platform' AND username = $1`, [username]);
    if (cur) return { id: cur.id, created: false };
    const [p] = await em.query(
      `INSERT INTO person (scope, district_id, name, username, password_hash, roles, title) VALUES ('platform', NULL, '平台运维', $1, $2, ARRAY['operator'], '平台运维') RETURNING id`,
      [username, passwordHash],
    );
    await recordAudit(em, { districtId: null, actorId: null, action: 'person.created', entityType: 'person', entityId: p.id, data: { roles: ['operator'], scope: 'platform' } });
    return { id: p.id, created: true };
  });
}
