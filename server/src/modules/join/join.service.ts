import type { DataSource, EntityManager } from 'typeorm';
import { isValidCreditCode, normalizeCompanyName, normalizeCreditCode, type JoinBody, type JoinRequest } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { maskPhone } from '../../lib/mask';
import type { AuthUser } from '../../lib/principal';
import { recordAudit } from '../audit/audit';
import { issueTokens, type AuthDeps, type TokenPair } from '../auth/auth.service';
import { notify } from '../notifications/notify';
import { applyVisibility } from '../../lib/policy';
import { contactAccess, joinRequestVisibilitySql, mayListContacts } from './join.policy';

/**
 * Enterprises join by themselves (ADR 0010, ADR 0010). A WeChat user with no account (they hold a short-lived
 * bindToken from /auth/wechat) names a district, a credit code and the company name:
 *  - the code's check digit is wrong → a clear message (that says nothing about which codes exist);
 *  - the code is an enterprise of that district and the name matches (normalised) → a contact is created and linked
 *    at once; the enterprise's stewards are told, and its admin contact (the first one) may remove contacts;
 *  - anything else (not found, name mismatch) → one pending request per WeChat user, answered exactly like the
 *    other, which the enterprise's steward or a coordinator approves or rejects.
 */

const PERSON_COLS = `id, scope, district_id, city_code, name, roles, enterprise_id, department_id, token_version, password_hash, disabled`;
/** What the user is told when the request waits — the same text whether the code exists or not. */
export const JOIN_PENDING_MESSAGE = '已提交申请，等待包保管家或营商环境部门审核；审核通过后重新进入小程序即可使用';

/** Creates the enterprise contact for a WeChat user; the first active contact of an enterprise becomes its admin. */
async function createContact(em: EntityManager, districtId: string, enterpriseId: string, openid: string, name: string, phone: string | null, actorId: string | null) {
  const bound = await em.query(`SELECT 1 FROM person WHERE wechat_openid = $1`, [openid]);
  if (bound.length) throw new AppError('JOIN_ALREADY_LINKED');
  // A phone already used in the district is left off rather than refused: the person can still log in by WeChat.
  const [p] = await em.query(
    `INSERT INTO person (district_id, name, phone, roles, enterprise_id, wechat_openid, title, enterprise_admin)
     SELECT $1, $2, CASE WHEN $3::text IS NULL OR EXISTS (SELECT 1 FROM person x WHERE x.district_id = $1 AND x.phone = $3) THEN NULL ELSE $3 END,
            ARRAY['enterprise'], $4, $5, '企业联系人',
            NOT EXISTS (SELECT 1 FROM person a WHERE a.enterprise_id = $4 AND a.enterprise_admin AND NOT a.disabled)
     RETURNING ${PERSON_COLS}, enterprise_admin`,
    [districtId, name.trim(), phone, enterpriseId, openid],
  );
  await recordAudit(em, { districtId, actorId: actorId ?? p.id, action: 'enterprise.contact_joined', entityType: 'person', entityId: p.id, data: { enterpriseId, admin: p.enterprise_admin, approved: actorId !== null } });
  const stewards: { steward_id: string }[] = await em.query(`SELECT steward_id FROM assignment WHERE enterprise_id = $1 AND ends_on IS NULL`, [enterpriseId]);
  await notify(em, {
    districtId, personIds: stewards.map((s) => s.steward_id), kind: 'enterprise.contact_joined', title: '企业新增联系人',
    body: `${name.trim()} 已作为企业联系人加入，如非该企业人员请告知企业管理联系人移除`, entityType: 'enterprise', entityId: enterpriseId, wechat: false,
  });
  return p;
}

/** The self-join request of a WeChat user (see the module comment for the three answers). */
export async function joinEnterprise(deps: AuthDeps, openid: string, b: JoinBody): Promise<{ status: 'linked'; tokens: TokenPair } | { status: 'pending'; message: string }> {
  const creditCode = normalizeCreditCode(b.creditCode.normalize('NFKC'));
  if (!isValidCreditCode(creditCode)) throw new AppError('JOIN_CREDIT_CODE_INVALID', [{ path: '/body/creditCode', message: '统一社会信用代码应为 18 位，且校验位正确，请对照营业执照核对' }]);
  return deps.db.transaction(async (em) => {
    const [d] = await em.query(`SELECT id FROM district WHERE code = $1`, [b.district]);
    if (!d) throw new AppError('JOIN_DISTRICT_NOT_FOUND');
    if ((await em.query(`SELECT 1 FROM person WHERE wechat_openid = $1`, [openid])).length) throw new AppError('JOIN_ALREADY_LINKED');
    const [e] = await em.query(`SELECT id, name FROM enterprise WHERE district_id = $1 AND credit_code = $2`, [d.id, creditCode]);
    if (e && normalizeCompanyName(e.name) === normalizeCompanyName(b.companyName)) {
      const p = await createContact(em, d.id, e.id, openid, b.contactName, b.phone ?? null, null);
      await em.query(`UPDATE join_request SET status = 'approved', decided_at = now(), enterprise_id = $3, person_id = $4, reason = '自动匹配', version = version + 1
                       WHERE district_id = $1 AND wechat_openid = $2 AND status = 'pending'`, [d.id, openid, e.id, p.id]);
      return { status: 'linked' as const, tokens: await issueTokens(deps, em, p) };
    }
    const [r] = await em.query(
      `INSERT INTO join_request (district_id, wechat_openid, credit_code, company_name, contact_name, phone)
       VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (district_id, wechat_openid) WHERE status = 'pending'
       DO UPDATE SET credit_code = EXCLUDED.credit_code, company_name = EXCLUDED.company_name, contact_name = EXCLUDED.contact_name,
                     phone = EXCLUDED.phone, version = join_request.version + 1, created_at = now()
       RETURNING id`,
      [d.id, openid, creditCode, b.companyName.trim(), b.contactName.trim(), b.phone ?? null],
    );
    await recordAudit(em, { districtId: d.id, actorId: null, action: 'join_request.created', entityType: 'join_request', entityId: r.id, data: { creditCode } });
    if (e) {
      const stewards: { steward_id: string }[] = await em.query(`SELECT steward_id FROM assignment WHERE enterprise_id = $1 AND ends_on IS NULL`, [e.id]);
      await notify(em, { districtId: d.id, personIds: stewards.map((s) => s.steward_id), kind: 'join_request.created', title: '企业联系人加入申请待审核',
        body: `${b.contactName.trim()} 申请作为企业联系人加入`, entityType: 'join_request', entityId: r.id, dedupeKey: `join:${r.id}`, wechat: false });
    }
    return { status: 'pending' as const, message: JOIN_PENDING_MESSAGE };
  });
}

/** The latest request of a WeChat user (to show "waiting" or "rejected, because …" after coming back). */
export async function joinStatus(db: DataSource, openid: string) {
  const [r] = await db.query(
    `SELECT status, reason, company_name FROM join_request WHERE wechat_openid = $1 AND status <> 'approved' ORDER BY created_at DESC LIMIT 1`, [openid]);
  if (!r) return { status: 'none' as const, reason: null, companyName: null };
  return { status: r.status as 'pending' | 'rejected', reason: r.reason ?? null, companyName: r.company_name };
}

type RequestRow = {
  id: string; credit_code: string; company_name: string; contact_name: string; phone: string | null; status: JoinRequest['status'];
  e_id: string | null; e_name: string | null; reason: string | null; created_at: Date; decided_at: Date | null; version: number;
};

const REQUEST_SELECT = `r.id, r.credit_code, r.company_name, r.contact_name, r.phone, r.status, e.id AS e_id, e.name AS e_name, r.reason,
  r.created_at, r.decided_at, r.version`;
const REQUEST_FROM = `join_request r LEFT JOIN enterprise e ON e.district_id = r.district_id AND e.credit_code = r.credit_code`;

function present(r: RequestRow, fullPhone: boolean): JoinRequest {
  return {
    id: r.id, creditCode: r.credit_code, companyName: r.company_name, contactName: r.contact_name,
    phone: fullPhone ? r.phone : maskPhone(r.phone), status: r.status, enterprise: r.e_id ? { id: r.e_id, name: r.e_name! } : null,
    reason: r.reason, createdAt: new Date(r.created_at).toISOString(), decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null, version: r.version,
  };
}

/** Join requests the caller may decide, oldest first (keyset by created_at, id). */
export async function listJoinRequests(db: DataSource, auth: AuthUser, q: { status?: JoinRequest['status']; cursor?: string; limit?: number }): Promise<Page<JoinRequest>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId, q.status ?? 'pending']);
  const where = ['r.district_id = $1', 'r.status = $2'];
  if (!applyVisibility(where, joinRequestVisibilitySql(auth, p))) return { items: [], nextCursor: null };
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(r.created_at, r.id) > (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
  const rows: RequestRow[] = await db.query(`SELECT ${REQUEST_SELECT} FROM ${REQUEST_FROM} WHERE ${where.join(' AND ')} ORDER BY r.created_at, r.id LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: page.items.map((r) => present(r, true)), nextCursor: page.nextCursor };
}

/** Approves (creates and links the contact) or rejects a pending request, guarded by its version. */
export async function decideJoinRequest(db: DataSource, auth: AuthUser, id: string, action: 'approve' | 'reject', b: { version: number; reason?: string }): Promise<JoinRequest> {
  return db.transaction(async (em) => {
    const { params, p } = sqlParams([id, auth.districtId]);
    const where = ['r.id = $1', 'r.district_id = $2'];
    const [r]: (RequestRow & { wechat_openid: string })[] = applyVisibility(where, joinRequestVisibilitySql(auth, p))
      ? await em.query(`SELECT ${REQUEST_SELECT}, r.wechat_openid FROM ${REQUEST_FROM} WHERE ${where.join(' AND ')} FOR UPDATE OF r`, params)
      : [];
    if (!r) throw new AppError('NOT_FOUND');
    if (r.status !== 'pending') throw new AppError('JOIN_REQUEST_DECIDED');
    if (r.version !== b.version) throw new AppError('VERSION_CONFLICT');
    let personId: string | null = null;
    if (action === 'approve') {
      if (!r.e_id) throw new AppError('VALIDATION_FAILED', [{ path: '/body', message: '本区县没有该统一社会信用代码的企业，请先登记企业后再通过' }]);
      personId = (await createContact(em, auth.districtId, r.e_id, r.wechat_openid, r.contact_name, r.phone, auth.id)).id;
    }
    const [u]: RequestRow[] = await em.query(
      `UPDATE join_request r SET status = $3, decided_by = $4, decided_at = now(), reason = $5, enterprise_id = $6, person_id = $7, version = version + 1
        WHERE r.id = $1 AND r.district_id = $2 AND r.status = 'pending' AND r.version = $8
        RETURNING r.id`,
      [id, auth.districtId, action === 'approve' ? 'approved' : 'rejected', auth.id, b.reason ?? null, r.e_id, personId, b.version],
    );
    if (!u) throw new AppError('VERSION_CONFLICT');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: `join_request.${action === 'approve' ? 'approved' : 'rejected'}`, entityType: 'join_request', entityId: id, data: { personId, reason: b.reason ?? null } });
    const [row]: RequestRow[] = await em.query(`SELECT ${REQUEST_SELECT} FROM ${REQUEST_FROM} WHERE r.id = $1`, [id]);
    return present(row!, true);
  });
}

/** The contacts of the caller's own enterprise (a contact sees colleagues' names and masked phones). */
export async function listContacts(db: DataSource, auth: AuthUser) {
  if (!mayListContacts(auth)) throw new AppError('FORBIDDEN');
  const rows: { id: string; name: string; phone: string | null; enterprise_admin: boolean }[] = await db.query(
    `SELECT id, name, phone, enterprise_admin FROM person WHERE district_id = $1 AND enterprise_id = $2 AND NOT disabled ORDER BY enterprise_admin DESC, created_at, id LIMIT 200`,
    [auth.districtId, auth.enterpriseId],
  );
  return { items: rows.map((r) => ({ id: r.id, name: r.name, phoneMasked: maskPhone(r.phone), admin: r.enterprise_admin, self: r.id === auth.id })) };
}

/**
 * The enterprise's admin contact removes another contact: the account is disabled, its sessions end at once and
 * its WeChat is unbound (so the person could ask to join again, to be approved). Another enterprise's: not found.
 */
export async function removeContact(db: DataSource, auth: AuthUser, id: string, onRevoked?: (personId: string) => void): Promise<void> {
  if (!mayListContacts(auth)) throw new AppError('FORBIDDEN');
  await db.transaction(async (em) => {
    const [me] = await em.query(`SELECT enterprise_admin FROM person WHERE id = $1`, [auth.id]);
    const isAdmin = !!me?.enterprise_admin;
    const [target] = await em.query(
      `SELECT id, district_id, enterprise_id FROM person WHERE id = $1 AND district_id = $2 AND enterprise_id = $3 AND NOT disabled FOR UPDATE`,
      [id, auth.districtId, auth.enterpriseId],
    );
    const access = target ? contactAccess(auth, target, isAdmin) : null;
    if (!access?.read) throw new AppError('NOT_FOUND');
    if (!access.remove) {
      if (!isAdmin) throw new AppError('FORBIDDEN', [{ path: '/params/id', message: '只有企业管理联系人可以移除联系人' }]);
      throw new AppError('CONTACT_REMOVE_SELF');
    }
    await em.query(`UPDATE person SET disabled = true, wechat_openid = NULL, token_version = token_version + 1, version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    await em.query(`UPDATE refresh_token SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL`, [id]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.contact_removed', entityType: 'person', entityId: id, data: { enterpriseId: auth.enterpriseId } });
  });
  onRevoked?.(id);
}
