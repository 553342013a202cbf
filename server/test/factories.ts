import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { makeCreditCode, type PrincipalRole, type Role } from '@guanjia/shared';
import argon2 from 'argon2';
import { hashInvitation } from '../src/modules/people/invitation';

export const PASSWORD = 'Passw0rd!guanjia';
let hashed: Promise<string> | null = null;
/**
 * The seeded people's password hash: argon2id at a test cost (1 MiB, one pass, one lane) instead of the production
 * parameters (64 MiB, three passes, four lanes: ~0.5-1.3 s per check on a busy 2-core machine), since a login
 * verifies with the parameters stored in the hash, and the test run logs seeded people in over a hundred times.
 * Production hashing is unchanged and tested as such: hashPassword's parameters (auth.test.ts), and every password
 * set through the API or the CLI.
 */
export const passwordHash = () => (hashed ??= argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }));

let seq = 0;
const uniq = () => `${process.pid % 10000}${++seq}${Math.floor(Math.random() * 1e4)}`;

export type SeedPerson = { id: string; username: string; roles: Role[]; districtId: string; enterpriseId: string | null; departmentId: string | null };

export async function buildPerson(db: DataSource, p: { districtId: string; roles: Role[]; name?: string; enterpriseId?: string; departmentId?: string; phone?: string; invitationCode?: string; withPassword?: boolean }): Promise<SeedPerson> {
  const username = `u${uniq()}`;
  const [row] = await db.query(
    `INSERT INTO person (district_id, name, username, phone, password_hash, roles, enterprise_id, department_id, invitation_hash, invitation_expires_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::text, CASE WHEN $9::text IS NULL THEN NULL ELSE now() + interval '7 days' END) RETURNING id`,
    [p.districtId, p.name ?? `测试${p.roles[0]}`, username, p.phone ?? null, p.withPassword === false ? null : await passwordHash(), p.roles,
     p.enterpriseId ?? null, p.departmentId ?? null, p.invitationCode ? hashInvitation(p.invitationCode) : null],
  );
  return { id: row.id, username, roles: p.roles, districtId: p.districtId, enterpriseId: p.enterpriseId ?? null, departmentId: p.departmentId ?? null };
}

let creditSeed = Math.floor(Math.random() * 1e6);
export async function buildEnterprise(db: DataSource, e: { districtId: string; areaId: string; name?: string; lat?: number; lng?: number; tags?: string[]; scale?: 'above' | 'below' }): Promise<{ id: string; name: string; creditCode: string }> {
  const creditCode = makeCreditCode(++creditSeed * 7919 + process.pid);
  const name = e.name ?? `测试企业${uniq()}有限公司`;
  const [row] = await db.query(
    `INSERT INTO enterprise (district_id, area_id, name, credit_code, lat, lng, location_confirmed, tags, scale, contact_phone) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'13800138000') RETURNING id`,
    [e.districtId, e.areaId, name, creditCode, e.lat ?? null, e.lng ?? null, e.lat !== undefined, e.tags ?? [], e.scale ?? 'below'],
  );
  return { id: row.id, name, creditCode };
}

export type World = Awaited<ReturnType<typeof seedDistrict>>;

/**
 * A small but complete district: 2 areas, 2 departments, 2 enterprises each with a contact, a steward assigned to
 * the first enterprise, department staff for each department, a coordinator, a leader and an admin.
 */
export async function seedDistrict(db: DataSource, code = String(210000 + Math.floor(Math.random() * 89999)).slice(0, 6)) {
  const [d] = await db.query(`INSERT INTO district (code, name) VALUES ($1,$2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id, code`, [code, `测试区${code}`]);
  const districtId: string = d.id;
  const [a1] = await db.query(`INSERT INTO area (district_id, code, name, kind) VALUES ($1,$2,$3,'township') RETURNING id`, [districtId, `${code}101`, `一号镇${code}`]);
  const [a2] = await db.query(`INSERT INTO area (district_id, code, name, kind) VALUES ($1,$2,$3,'park') RETURNING id`, [districtId, `${code}401`, `经济开发区${code}`]);
  const [dep1] = await db.query(`INSERT INTO department (district_id, name) VALUES ($1,'人社局') RETURNING id`, [districtId]);
  const [dep2] = await db.query(`INSERT INTO department (district_id, name) VALUES ($1,'金融办') RETURNING id`, [districtId]);
  const ent1 = await buildEnterprise(db, { districtId, areaId: a1.id, lat: 41.1, lng: 121.1 });
  const ent2 = await buildEnterprise(db, { districtId, areaId: a2.id });
  const contact1 = await buildPerson(db, { districtId, roles: ['enterprise'], enterpriseId: ent1.id, name: '企业联系人甲' });
  const contact2 = await buildPerson(db, { districtId, roles: ['enterprise'], enterpriseId: ent2.id, name: '企业联系人乙' });
  const steward = await buildPerson(db, { districtId, roles: ['steward'], name: '管家张' });
  const steward2 = await buildPerson(db, { districtId, roles: ['steward'], name: '管家李' });
  const staff1 = await buildPerson(db, { districtId, roles: ['department'], departmentId: dep1.id, name: '人社办理人' });
  const staff2 = await buildPerson(db, { districtId, roles: ['department'], departmentId: dep2.id, name: '金融办理人' });
  const coordinator = await buildPerson(db, { districtId, roles: ['coordinator'], name: '调度员王' });
  const leader = await buildPerson(db, { districtId, roles: ['leader'], name: '县领导赵' });
  const admin = await buildPerson(db, { districtId, roles: ['admin'], name: '管理员' });
  await db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [districtId, steward.id, ent1.id]);
  await db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [districtId, steward2.id, ent2.id]);
  return {
    districtId, code,
    areas: [a1.id as string, a2.id as string],
    departments: [dep1.id as string, dep2.id as string],
    enterprises: [ent1, ent2],
    contact1, contact2, steward, steward2, staff1, staff2, coordinator, leader, admin,
  };
}

/** A valid access token for a seeded person, without the cost of a password login. */
export function tokenFor(app: FastifyInstance, p: SeedPerson | ScopedPerson): string {
  if ('scope' in p) return app.signAccessToken({ ...p, enterpriseId: null, departmentId: null, tokenVersion: 1 });
  return app.signAccessToken({
    id: p.id, scope: 'district', districtId: p.districtId, cityCode: null, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId, tokenVersion: 1,
  });
}

export type ScopedPerson = { id: string; username: string; scope: 'city' | 'platform'; districtId: null; cityCode: string | null; roles: PrincipalRole[] };

/** A platform operator (no district). */
export async function buildOperator(db: DataSource): Promise<ScopedPerson> {
  const username = `op${uniq()}`;
  const [row] = await db.query(
    `INSERT INTO person (scope, district_id, name, username, password_hash, roles) VALUES ('platform', NULL, '平台运维', $1, $2, ARRAY['operator']) RETURNING id`,
    [username, await passwordHash()],
  );
  return { id: row.id, username, scope: 'platform', districtId: null, cityCode: null, roles: ['operator'] };
}

/** A city-level coordinator or leader of `cityCode` (the city row is created when missing). */
export async function buildCityPerson(db: DataSource, cityCode: string, roles: Role[] = ['coordinator']): Promise<ScopedPerson> {
  await db.query(`INSERT INTO city (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [cityCode, `测试市${cityCode}`]);
  const username = `city${uniq()}`;
  const [row] = await db.query(
    `INSERT INTO person (scope, district_id, city_code, name, username, password_hash, roles) VALUES ('city', NULL, $1, '市级调度员', $2, $3, $4) RETURNING id`,
    [cityCode, username, await passwordHash(), roles],
  );
  return { id: row.id, username, scope: 'city', districtId: null, cityCode, roles };
}

/** Authorization header for `app.inject`. */
export const auth = (app: FastifyInstance, p: SeedPerson | ScopedPerson) => ({ authorization: `Bearer ${tokenFor(app, p)}` });
