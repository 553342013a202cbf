import type { DataSource, EntityManager } from 'typeorm';
import { type PersonCreate, type PersonListQuery, type PersonUpdate, type Person, type Role } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { hashPassword } from '../auth/auth.service';
import { PERSON_SELECT, presentPerson, type PersonRow } from './person.presenter';
import { escapeLike, sqlParams } from '../../lib/sql';
import { hashInvitation, INVITATION_TTL_DAYS, newInvitationCode } from './invitation';
import { mayGrantRoles, personAccess } from './people.policy';


/** Role/link consistency: an enterprise contact needs an enterprise in the district; department staff a department. */
async function checkLinks(em: EntityManager, districtId: string, roles: Role[], enterpriseId: string | null, departmentId: string | null) {
  const details = [];
  if (roles.includes('enterprise') && !enterpriseId) details.push({ path: '/body/enterpriseId', message: '企业联系人须关联企业' });
  if (roles.includes('department') && !departmentId) details.push({ path: '/body/departmentId', message: '部门办理人须关联部门' });
  if (enterpriseId && !(await em.query(`SELECT 1 FROM enterprise WHERE id=$1 AND district_id=$2`, [enterpriseId, districtId])).length)
    details.push({ path: '/body/enterpriseId', message: '企业不存在或不属于本区县' });
  if (departmentId && !(await em.query(`SELECT 1 FROM department WHERE id=$1 AND district_id=$2`, [departmentId, districtId])).length)
    details.push({ path: '/body/departmentId', message: '部门不存在或不属于本区县' });
  if (details.length) throw new AppError('VALIDATION_FAILED', details);
}

/** A person's roles may be set, and an invitation code issued for them, only by someone who may grant them all. */
function assertMayGrant(auth: AuthUser, roles: Role[]) {
  if (!mayGrantRoles(auth, roles))
    throw new AppError('FORBIDDEN', [{ path: '/body/roles', message: roles.includes('admin') ? '只有管理员可以授予管理员角色' : '无权授予所选角色' }]);
}

async function uniqueViolation<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const c = (e as { constraint?: string; code?: string });
    if (c.code === '23505' && c.constraint === 'uq_person_username') throw new AppError('USERNAME_TAKEN', [{ path: '/body/username', message: '用户名已被使用' }]);
    if (c.code === '23505' && c.constraint === 'uq_person_phone') throw new AppError('PHONE_TAKEN', [{ path: '/body/phone', message: '手机号已被使用' }]);
    throw e;
  }
}

/** Adds a person to the caller's district; a password enables staff login, an invitation code first WeChat login. */
export async function createPerson(db: DataSource, auth: AuthUser, b: PersonCreate): Promise<Person> {
  assertMayGrant(auth, b.roles);
  if (!b.username && !b.phone && !b.issueInvitation)
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/username', message: '请至少提供用户名、手机号或生成邀请码之一' }]);
  const hash = b.password ? await hashPassword(b.password) : null;
  return uniqueViolation(() => db.transaction(async (em) => {
    await checkLinks(em, auth.districtId, b.roles, b.enterpriseId ?? null, b.departmentId ?? null);
    const code = b.issueInvitation ? newInvitationCode() : null;
    const [row]: PersonRow[] = await em.query(
      `INSERT INTO person AS p (district_id, name, username, phone, password_hash, roles, title, enterprise_id, department_id,
         invitation_hash, invitation_expires_at, invitation_issued_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::text, CASE WHEN $10::text IS NULL THEN NULL ELSE now() + make_interval(days => $11) END, $12)
       RETURNING ${PERSON_SELECT}`,
      [auth.districtId, b.name.trim(), b.username ?? null, b.phone ?? null, hash, b.roles, b.title ?? null, b.enterpriseId ?? null,
       b.departmentId ?? null, code && hashInvitation(code), INVITATION_TTL_DAYS, code && auth.id],
    );
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: 'person.created', entityType: 'person', entityId: row.id,
      data: { name: b.name, roles: b.roles, invitationIssued: !!code },
    });
    return presentPerson(row, code);
  }));
}

export async function getPerson(db: DataSource, auth: AuthUser, id: string): Promise<Person> {
  const [row]: (PersonRow & { district_id: string })[] = await db.query(`SELECT ${PERSON_SELECT}, p.district_id FROM person p WHERE p.id = $1 AND p.district_id = $2`, [id, auth.districtId]);
  if (!row || !personAccess(auth, row).read) throw new AppError('NOT_FOUND');
  return presentPerson(row);
}

/** Versioned update; disabling a person also revokes every refresh token they hold. */
export async function updatePerson(db: DataSource, auth: AuthUser, id: string, b: PersonUpdate, onRevoked?: (personId: string) => void): Promise<Person> {
  if (b.roles) assertMayGrant(auth, b.roles);
  const hash = b.password ? await hashPassword(b.password) : null;
  const r = await uniqueViolation(() => db.transaction(async (em) => {
    const [cur] = await em.query(`SELECT district_id, roles, enterprise_id, department_id, version FROM person WHERE id=$1 AND district_id=$2 FOR UPDATE`, [id, auth.districtId]);
    const access = cur ? personAccess(auth, cur) : null;
    if (!access?.read) throw new AppError('NOT_FOUND');
    if (cur.version !== b.version) throw new AppError('VERSION_CONFLICT');
    // Editing someone (and so issuing their code) needs the right to grant every role they hold now.
    if (!access.edit) throw new AppError('FORBIDDEN');
    const roles = b.roles ?? cur.roles;
    const enterpriseId = b.enterpriseId === undefined ? cur.enterprise_id : b.enterpriseId;
    const departmentId = b.departmentId === undefined ? cur.department_id : b.departmentId;
    await checkLinks(em, auth.districtId, roles, enterpriseId, departmentId);
    const code = b.issueInvitation ? newInvitationCode() : null;
    // Tokens signed before a change of who the person is (roles, unit, password, disabled) stop working at once.
    const sameRoles = roles.length === cur.roles.length && roles.every((r: Role) => cur.roles.includes(r));
    const revokeTokens = !!b.disabled || !!hash || !sameRoles || enterpriseId !== cur.enterprise_id || departmentId !== cur.department_id;
    const [rows] = await em.query(
      `UPDATE person AS p SET name = COALESCE($3, name), roles = $4, phone = COALESCE($5, phone), password_hash = COALESCE($6, password_hash),
         title = COALESCE($7, title), enterprise_id = $8, department_id = $9, disabled = COALESCE($10, disabled),
         invitation_hash = CASE WHEN $11::text IS NULL THEN invitation_hash ELSE $11::text END,
         invitation_expires_at = CASE WHEN $11::text IS NULL THEN invitation_expires_at ELSE now() + make_interval(days => $12) END,
         invitation_issued_by = CASE WHEN $11::text IS NULL THEN invitation_issued_by ELSE $13::uuid END,
         failed_logins = CASE WHEN $6::text IS NULL THEN failed_logins ELSE 0 END, locked_until = CASE WHEN $6::text IS NULL THEN locked_until ELSE NULL END,
         token_version = token_version + CASE WHEN $14 THEN 1 ELSE 0 END,
         version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING ${PERSON_SELECT}`,
      [id, b.version, b.name?.trim() ?? null, roles, b.phone ?? null, hash, b.title ?? null, enterpriseId, departmentId, b.disabled ?? null,
       code && hashInvitation(code), INVITATION_TTL_DAYS, auth.id, revokeTokens],
    );
    if (b.disabled) await em.query(`UPDATE refresh_token SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL`, [id]);
    const { password: _pw, version: _v, ...changed } = b;
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: 'person.updated', entityType: 'person', entityId: id,
      data: { ...changed, passwordChanged: !!b.password, tokensRevoked: revokeTokens },
    });
    return { person: presentPerson(rows[0], code), revokeTokens };
  }));
  if (r.revokeTokens) onRevoked?.(id);
  return r.person;
}

/** People of the district by name, keyset-paged. */
export async function listPeople(db: DataSource, auth: AuthUser, q: PersonListQuery): Promise<Page<Person>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['p.district_id = $1'];
  if (q.q) where.push(`(p.name ILIKE ${p(`%${escapeLike(q.q)}%`)} OR p.username = ${p(q.q)} OR p.phone = ${p(q.q)})`);
  if (q.role) where.push(`${p(q.role)} = ANY(p.roles)`);
  if (q.departmentId) where.push(`p.department_id = ${p(q.departmentId)}`);
  if (q.enterpriseId) where.push(`p.enterprise_id = ${p(q.enterpriseId)}`);
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(p.name, p.id) > (${p(cursor[0])}, ${p(cursor[1])}::uuid)`);
  const rows: PersonRow[] = await db.query(`SELECT ${PERSON_SELECT} FROM person p WHERE ${where.join(' AND ')} ORDER BY p.name, p.id LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [r.name, r.id]);
  return { items: page.items.map((r) => presentPerson(r)), nextCursor: page.nextCursor };
}
