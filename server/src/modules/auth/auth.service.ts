import crypto from 'node:crypto';
import argon2 from 'argon2';
import type { DataSource, EntityManager } from 'typeorm';
import type { PrincipalRole, Scope } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { Semaphore } from '../../lib/semaphore';
import { recordAudit } from '../audit/audit';
import { hashInvitation } from '../people/invitation';
import type { Principal } from '../../lib/principal';

/** Tokens a successful login returns; the refresh token is shown once and stored only as a hash. */
export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number };

type PersonRow = {
  id: string; scope: Scope; district_id: string | null; city_code: string | null; name: string; roles: PrincipalRole[];
  enterprise_id: string | null; department_id: string | null; token_version: number;
  password_hash: string | null; disabled: boolean;
};

export type AuthDeps = {
  db: DataSource;
  signAccess: (p: Principal & { tokenVersion: number }) => string;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  maxFailures: number;
  lockMinutes: number;
  /** a rotated refresh token is still honoured this long (0 → strict rotation) */
  refreshGraceSeconds: number;
};

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Every argon2 computation of the process goes through this: argon2id costs 64 MiB and a libuv thread for ~0.1–1 s,
 * so ten logins at once used to starve every other request (and hold 388 MiB). Beyond the queue a login is refused
 * with LOGIN_BUSY (503) at once instead of waiting. Limits come from config (buildApp → configurePasswordHashing).
 */
export const passwordHashing = new Semaphore(2, 32, () => new AppError('LOGIN_BUSY'));

/** Applies PASSWORD_HASH_CONCURRENCY / PASSWORD_HASH_QUEUE (one pool per process, whatever the number of apps). */
export function configurePasswordHashing(concurrency: number, queue: number): void {
  passwordHashing.configure(concurrency, queue);
}

/** Hashes a password with argon2id (memory-hard; the library's defaults follow OWASP guidance). */
export function hashPassword(pw: string): Promise<string> {
  return passwordHashing.run(() => argon2.hash(pw, { type: argon2.argon2id }));
}

/** Counts argon2 verifications: every login attempt must cost exactly one, whatever the account's state. */
export const verifyStats = { count: 0 };

/** Verifies against the stored hash, or against a dummy one, so every path costs the same time. */
async function verifyPassword(hash: string | null, pw: string): Promise<boolean> {
  dummyHash ??= argon2.hash('not-a-real-password', { type: argon2.argon2id });
  const against = hash ?? (await dummyHash);
  verifyStats.count++;
  const ok = await passwordHashing.run(() => argon2.verify(against, pw)).catch((e) => {
    if (e instanceof AppError) throw e; // LOGIN_BUSY
    return false;
  });
  return ok && hash !== null;
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

const PERSON_COLS = `id, scope, district_id, city_code, name, roles, enterprise_id, department_id, token_version, password_hash, disabled`;

/**
 * The person a login names, and whether the password is theirs. Names and phones are unique per district, so one
 * account may exist in several districts: the district code narrows it, and without one the password decides
 * (only someone who knows a password learns that the name is ambiguous: DISTRICT_REQUIRED).
 */
async function loginCandidate(account: string, password: string, districtCode: string | null, deps: AuthDeps): Promise<{ p: PersonRow | undefined; ok: boolean }> {
  const cands: PersonRow[] = await deps.db.query(
    `SELECT ${PERSON_COLS} FROM person WHERE (username = $1 OR phone = $1)
        AND ($2::text IS NULL OR district_id = (SELECT id FROM district WHERE code = $2)) ORDER BY created_at, id LIMIT 5`,
    [account.trim(), districtCode],
  );
  if (cands.length <= 1) return { p: cands[0], ok: await verifyPassword(cands[0]?.password_hash ?? null, password) };
  const matching: PersonRow[] = [];
  for (const c of cands) if (c.password_hash && (await verifyPassword(c.password_hash, password))) matching.push(c);
  if (matching.length > 1) throw new AppError('DISTRICT_REQUIRED');
  return { p: matching[0] ?? cands[0], ok: matching.length === 1 };
}

type LoginOutcome = { tokens: TokenPair } | { error: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED' };

/**
 * Username-or-phone + password login.
 *
 * The password is checked first, on every path (unknown account → a dummy hash), so an unknown name, a wrong
 * password, a locked or a disabled account all answer the same INVALID_CREDENTIALS in the same time. Only the right
 * password may learn that the account is locked (423) or disabled (403). Failures are counted per person AND client
 * address (login_failure): `maxFailures` wrong passwords from one address lock that address out of that account for
 * `lockMinutes`, while the real user logging in from elsewhere is not affected.
 */
export async function login(deps: AuthDeps, account: string, password: string, clientIp: string, districtCode: string | null = null): Promise<TokenPair> {
  const { p, ok } = await loginCandidate(account, password, districtCode, deps);
  if (!p || !p.password_hash) throw new AppError('INVALID_CREDENTIALS');
  const ip = normaliseIp(clientIp);
  const r: LoginOutcome = await deps.db.transaction(async (em) => {
    const [f]: { failures: number; locked: boolean }[] = await em.query(
      `SELECT failures, locked_until IS NOT NULL AND locked_until > now() AS locked FROM login_failure WHERE person_id = $1 AND client_ip = $2 FOR UPDATE`,
      [p.id, ip],
    );
    const locked = !!f?.locked;
    if (!ok) {
      // While locked, further failures neither count nor extend the lock: it ends when it said it would.
      if (locked) return { error: 'INVALID_CREDENTIALS' };
      const [row]: { failures: number }[] = await em.query(
        `INSERT INTO login_failure AS lf (person_id, client_ip, failures, last_failed_at) VALUES ($1, $2, 1, now())
         ON CONFLICT (person_id, client_ip) DO UPDATE
           SET failures = CASE WHEN lf.locked_until IS NOT NULL OR lf.last_failed_at < now() - make_interval(mins => $3) THEN 1 ELSE lf.failures + 1 END,
               locked_until = NULL, last_failed_at = now()
         RETURNING failures`,
        [p.id, ip, deps.lockMinutes],
      );
      const lock = row.failures >= deps.maxFailures;
      if (lock) {
        await em.query(`UPDATE login_failure SET locked_until = now() + make_interval(mins => $3) WHERE person_id = $1 AND client_ip = $2`, [p.id, ip, deps.lockMinutes]);
      }
      await recordAudit(em, {
        districtId: p.district_id, actorId: p.id, action: lock ? 'auth.locked' : 'auth.login_failed', entityType: 'person', entityId: p.id,
        data: { ip, failures: row.failures },
      });
      // Committed, then answered like an unknown account.
      return { error: 'INVALID_CREDENTIALS' };
    }
    if (locked) return { error: 'ACCOUNT_LOCKED' };
    if (p.disabled) return { error: 'ACCOUNT_DISABLED' };
    if (f) await em.query(`DELETE FROM login_failure WHERE person_id = $1 AND client_ip = $2`, [p.id, ip]);
    await recordAudit(em, { districtId: p.district_id, actorId: p.id, action: 'auth.login', entityType: 'person', entityId: p.id });
    return { tokens: await issueTokens(deps, em, p) };
  });
  if ('error' in r) throw new AppError(r.error);
  return r.tokens;
}

/** The socket or (trusted-proxy) forwarded address as PostgreSQL inet; IPv4-mapped IPv6 folded to IPv4. */
function normaliseIp(ip: string): string {
  const v = (ip || '0.0.0.0').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return /^[0-9a-fA-F:.]+$/.test(v) ? v : '0.0.0.0';
}

/**
 * Rotates a refresh token. A token used twice means it leaked: the whole family is revoked and both holders must log
 * in again — except within `refreshGraceSeconds` of its rotation, when the answer may have been lost or a second tab
 * refreshed at the same time: then the same family gets another fresh pair. After the grace period reuse is theft.
 */
export async function refresh(deps: AuthDeps, token: string): Promise<TokenPair> {
  const r = await deps.db.transaction(async (em) => {
    const [t] = await em.query(
      `SELECT id, person_id, family_id, expires_at, used_at, revoked_at, used_at > now() - make_interval(secs => $2) AS in_grace
         FROM refresh_token WHERE token_hash = $1 FOR UPDATE`,
      [sha256(token), deps.refreshGraceSeconds],
    );
    // Revoked (logout, theft detected, person disabled): stays revoked, grace period or not.
    if (!t || t.revoked_at) return null;
    if (t.used_at && !t.in_grace) {
      await em.query(`UPDATE refresh_token SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [t.family_id]);
      return null;
    }
    if (new Date(t.expires_at).getTime() <= Date.now()) return null;
    const [p]: PersonRow[] = await em.query(`SELECT ${PERSON_COLS} FROM person WHERE id = $1`, [t.person_id]);
    if (!p || p.disabled) return null;
    // used_at keeps the first use: the grace period runs from the rotation, not from the last retry.
    if (!t.used_at) await em.query(`UPDATE refresh_token SET used_at = now() WHERE id = $1`, [t.id]);
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
