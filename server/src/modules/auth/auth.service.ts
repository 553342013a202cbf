import crypto from 'node:crypto';
import argon2 from 'argon2';
import type { DataSource, EntityManager } from 'typeorm';
import type { PrincipalRole, Scope } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import { hashInvitation } from '../people/invitation';
import type { Principal } from '../../lib/principal';

/** Tokens a successful login returns; the refresh token is shown once and stored only as a hash. */
export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number };

type PersonRow = {
  id: string; scope: Scope; district_id: string | null; city_code: string | null; name: string; roles: PrincipalRole[];
  enterprise_id: string | null; department_id: string | null; token_version: number;
  password_hash: string | null; failed_logins: number; locked_until: Date | null; disabled: boolean;
};

export type AuthDeps = {
  db: DataSource;
  signAccess: (p: Principal & { tokenVersion: number }) => string;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  maxFailures: number;
  lockMinutes: number;
};

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** Hashes a password with argon2id (memory-hard; the library's defaults follow OWASP guidance). */
export function hashPassword(pw: string): Promise<string> {
  return argon2.hash(pw, { type: argon2.argon2id });
}

// Verified against when the account does not exist, so both paths cost the same time.
let dummyHash: Promise<string> | null = null;

/** The token's view of a person at any scope. */
export function toPrincipal(p: Pick<PersonRow, 'id' | 'scope' | 'district_id' | 'city_code' | 'roles' | 'enterprise_id' | 'department_id' | 'token_version'>): Principal & { tokenVersion: number } {
  return {
    id: p.id, scope: p.scope, districtId: p.district_id, cityCode: p.city_code, roles: p.roles, enterpriseId: p.enterprise_id,
    departmentId: p.department_id, tokenVersion: p.token_version,
  };
}

/** Issues an access token and a new refresh token (in `familyId`'s rotation chain, or a new chain). */
export async function issueTokens(deps: AuthDeps, em: EntityManager, p: PersonRow, familyId: string = crypto.randomUUID()): Promise<TokenPair> {
  const refreshToken = crypto.randomBytes(32).toString('base64url');
  await em.query(
    `INSERT INTO refresh_token (person_id, family_id, token_hash, expires_at) VALUES ($1,$2,$3, now() + make_interval(days => $4))`,
    [p.id, familyId, sha256(refreshToken), deps.refreshTtlDays],
  );
  return { accessToken: deps.signAccess(toPrincipal(p)), refreshToken, expiresIn: deps.accessTtlSeconds };
}

const PERSON_COLS = `id, scope, district_id, city_code, name, roles, enterprise_id, department_id, token_version, password_hash, failed_logins, locked_until, disabled`;

/**
 * The person a login names. Names and phones are unique per district, so one account may exist in several
 * districts: the district code narrows it, and without one the password decides (only someone who knows a
 * password learns that the name is ambiguous).
 */
async function loginCandidate(em: EntityManager, account: string, password: string, districtCode: string | null): Promise<PersonRow | 'ambiguous' | undefined> {
  const cands: PersonRow[] = await em.query(
    `SELECT ${PERSON_COLS} FROM person WHERE (username = $1 OR phone = $1)
        AND ($2::text IS NULL OR district_id = (SELECT id FROM district WHERE code = $2)) ORDER BY created_at, id LIMIT 5 FOR UPDATE`,
    [account.trim(), districtCode],
  );
  if (cands.length <= 1) return cands[0];
  const matching: PersonRow[] = [];
  for (const c of cands) if (c.password_hash && (await argon2.verify(c.password_hash, password).catch(() => false))) matching.push(c);
  if (matching.length > 1) return 'ambiguous';
  return matching[0] ?? cands[0];
}

/** Username-or-phone + password login with lockout after repeated failures. */
export async function login(deps: AuthDeps, account: string, password: string, districtCode: string | null = null): Promise<TokenPair> {
  return deps.db.transaction(async (em) => {
    const p = await loginCandidate(em, account, password, districtCode);
    if (p === 'ambiguous') return { error: 'DISTRICT_REQUIRED' } as const;
    if (!p || !p.password_hash) {
      dummyHash ??= hashPassword('not-a-real-password');
      await argon2.verify(await dummyHash, password).catch(() => false);
      throw new AppError('INVALID_CREDENTIALS');
    }
    if (p.locked_until && p.locked_until.getTime() > Date.now()) throw new AppError('ACCOUNT_LOCKED');
    if (p.disabled) throw new AppError('ACCOUNT_DISABLED');
    const ok = await argon2.verify(p.password_hash, password).catch(() => false);
    if (!ok) {
      const failures = p.failed_logins + 1;
      const lock = failures >= deps.maxFailures;
      await em.query(
        `UPDATE person SET failed_logins = $2, locked_until = CASE WHEN $3 THEN now() + make_interval(mins => $4) ELSE locked_until END WHERE id = $1`,
        [p.id, lock ? 0 : failures, lock, deps.lockMinutes],
      );
      await recordAudit(em, { districtId: p.district_id, actorId: p.id, action: lock ? 'auth.locked' : 'auth.login_failed', entityType: 'person', entityId: p.id });
      // The failure must be committed, so the error is thrown after the transaction.
      return { error: lock ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS' } as const;
    }
    await em.query(`UPDATE person SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [p.id]);
    await recordAudit(em, { districtId: p.district_id, actorId: p.id, action: 'auth.login', entityType: 'person', entityId: p.id });
    return issueTokens(deps, em, p);
  }).then((r) => {
    if ('error' in r) throw new AppError(r.error);
    return r;
  });
}

/**
 * Rotates a refresh token. A token used twice means it leaked: the whole family is revoked and both holders
 * must log in again.
 */
export async function refresh(deps: AuthDeps, token: string): Promise<TokenPair> {
  const r = await deps.db.transaction(async (em) => {
    const [t] = await em.query(
      `SELECT id, person_id, family_id, expires_at, used_at, revoked_at FROM refresh_token WHERE token_hash = $1 FOR UPDATE`,
      [sha256(token)],
    );
    if (!t) return null;
    if (t.used_at || t.revoked_at) {
      await em.query(`UPDATE refresh_token SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [t.family_id]);
      return null;
    }
    if (new Date(t.expires_at).getTime() <= Date.now()) return null;
    const [p]: PersonRow[] = await em.query(`SELECT ${PERSON_COLS} FROM person WHERE id = $1`, [t.person_id]);
    if (!p || p.disabled) return null;
    await em.query(`UPDATE refresh_token SET used_at = now() WHERE id = $1`, [t.id]);
    return issueTokens(deps, em, p, t.family_id);
  });
  if (!r) throw new AppError('REFRESH_TOKEN_INVALID');
  return r;
}

/** Revokes the refresh token's whole family (this device's session). */
export async function logout(deps: AuthDeps, personId: string, token: string): Promise<void> {
  await deps.db.query(
    `UPDATE refresh_token SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_token WHERE token_hash = $1 AND person_id = $2)`,
    [sha256(token), personId],
  );
}

/** Finds the person bound to a WeChat openid and logs them in, or null when the openid is not bound yet. */
export async function loginByOpenid(deps: AuthDeps, openid: string): Promise<TokenPair | null> {
  return deps.db.transaction(async (em) => {
    const [p]: PersonRow[] = await em.query(`SELECT ${PERSON_COLS} FROM person WHERE wechat_openid = $1`, [openid]);
    if (!p) return null;
    if (p.disabled) throw new AppError('ACCOUNT_DISABLED');
    await recordAudit(em, { districtId: p.district_id, actorId: p.id, action: 'auth.login_wechat', entityType: 'person', entityId: p.id });
    return issueTokens(deps, em, p);
  });
}

/** First WeChat login: binds the openid to the person named by an invitation code or a WeChat-verified phone. */
export async function bindOpenid(deps: AuthDeps, openid: string, by: { invitationCode: string } | { phone: string }): Promise<TokenPair> {
  return deps.db.transaction(async (em) => {
    const taken = await em.query(`SELECT 1 FROM person WHERE wechat_openid = $1`, [openid]);
    if (taken.length) throw new AppError('DUPLICATE');
    const rows: PersonRow[] =
      'invitationCode' in by
        ? await em.query(
          `SELECT ${PERSON_COLS} FROM person WHERE invitation_hash = $1 AND invitation_expires_at > now() AND wechat_openid IS NULL FOR UPDATE`,
          [hashInvitation(by.invitationCode)],
        )
        : await em.query(`SELECT ${PERSON_COLS} FROM person WHERE phone = $1 AND wechat_openid IS NULL LIMIT 2 FOR UPDATE`, [by.phone]);
    const p = rows[0];
    if (!p) throw new AppError('invitationCode' in by ? 'INVITATION_INVALID' : 'PHONE_NOT_MATCHED');
    if (rows.length > 1) throw new AppError('PHONE_AMBIGUOUS');
    if (p.disabled) throw new AppError('ACCOUNT_DISABLED');
    // Single use: binding consumes the code.
    await em.query(
      `UPDATE person SET wechat_openid = $2, invitation_hash = NULL, invitation_expires_at = NULL, invitation_issued_by = NULL, version = version + 1 WHERE id = $1`,
      [p.id, openid],
    );
    await recordAudit(em, {
      districtId: p.district_id, actorId: p.id, action: 'auth.wechat_bound', entityType: 'person', entityId: p.id,
      data: { by: 'invitationCode' in by ? 'invitation' : 'phone' },
    });
    return issueTokens(deps, em, p);
  });
}
