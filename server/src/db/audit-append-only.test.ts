import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createTestApp, runDatabaseName, type TestApp } from '../../test/helper';
import { fileTicket, seedTicketWorld, type TicketWorld } from '../../test/ticket-factories';
import { loadConfig } from '../config';
import { repoRoot } from '../lib/paths';
import { connectDatabase, withDatabase, type Database } from './connect';
import { APPEND_ONLY_TABLES } from '../../../migrations/1764410000000-AuthHardening';

let t: TestApp;
let w: TicketWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db);
  // one row in each audit table
  await t.db.query(`INSERT INTO audit_event (district_id, actor_id, action, entity_type, entity_id) VALUES ($1,$2,'test.event','person',$2)`, [w.districtId, w.admin.id]);
  await t.db.query(`INSERT INTO location_access_log (district_id, actor_id, purpose, visit_ids) VALUES ($1,$2,'visit.list','{}')`, [w.districtId, w.admin.id]);
  await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
});
afterAll(() => t.close());

describe('audit tables are append-only', () => {
  it.each(APPEND_ONLY_TABLES)('%s: INSERT and SELECT work; UPDATE, DELETE and TRUNCATE are rejected, even for the owner', async (table) => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    await expect(t.db.query(`UPDATE ${table} SET created_at = created_at`)).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(t.db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(t.db.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n).toBe(before);
  });

  it('each table had rows (so UPDATE/DELETE had something to change)', async () => {
    for (const table of APPEND_ONLY_TABLES) expect((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n).toBeGreaterThan(0);
  });

  it('no application code updates or deletes an audit table (the location purge touches visit, not the access log)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) {
          const src = fs.readFileSync(p, 'utf8');
          for (const tbl of APPEND_ONLY_TABLES)
            if (new RegExp(`(UPDATE\\s+${tbl}\\b|DELETE\\s+FROM\\s+${tbl}\\b|TRUNCATE\\s+(TABLE\\s+)?${tbl}\\b)`, 'i').test(src)) offenders.push(`${path.relative(repoRoot(), p)}: ${tbl}`);
        }
      }
    };
    walk(path.join(repoRoot(), 'server/src'));
    expect(offenders).toEqual([]);
  });
});

/**
 * Production's two roles, for real: a fresh database prepared by scripts/db/roles.sql, migrated by the owner through
 * MIGRATION_DATABASE_URL, then used by the application role, which may append to the audit tables and nothing more.
 */
describe('two database roles (MIGRATION_DATABASE_URL + guanjia_app)', () => {
  const suffix = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const owner = `guanjia_owner_t${suffix}`;
  const appRole = `guanjia_app_t${suffix}`;
  const dbName = runDatabaseName('roles'); // dropped by globalTeardown
  const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL!;
  const roleUrl = (role: string) => {
    const u = new URL(withDatabase(adminUrl, dbName));
    u.username = role;
    u.password = 'role-test-pw';
    return u.toString();
  };
  let database: Database | null = null;

  // The roles go now; the database (its objects handed to the admin first) goes with the run's others in
  // globalTeardown: DROP DATABASE waits for a checkpoint, which took this hook past 30 s on a loaded machine (CI).
  afterAll(async () => {
    await database?.close();
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      const roles = (await c.query(`SELECT rolname FROM pg_roles WHERE rolname = ANY($1)`, [[appRole, owner]])).rows.map((r) => `"${r.rolname}"`);
      const made = (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [dbName])).rowCount;
      if (roles.length && made) {
        const inDb = new Client({ connectionString: withDatabase(adminUrl, dbName) });
        await inDb.connect();
        try {
          await inDb.query(`REASSIGN OWNED BY ${roles.join(', ')} TO CURRENT_USER`);
          // one role at a time: the owner's default privileges name the app role, and a DROP OWNED of both at once
          // fails on that entry ("could not find tuple for default ACL")
          for (const r of roles) await inDb.query(`DROP OWNED BY ${r}`);
        } finally {
          await inDb.end();
        }
      }
      for (const r of roles) await c.query(`DROP ROLE ${r}`);
    } finally {
      await c.end();
    }
  });

  it('migrations run as the owner; the app role appends to audit tables but cannot change them', async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${dbName}"`);
    } finally {
      await admin.end();
    }
    const sql = fs.readFileSync(path.join(repoRoot(), 'scripts/db/roles.sql'), 'utf8').replaceAll('guanjia_owner', owner).replaceAll('guanjia_app', appRole);
    const inDb = new Client({ connectionString: withDatabase(adminUrl, dbName) });
    await inDb.connect();
    try {
      await inDb.query(sql);
      for (const r of [owner, appRole]) await inDb.query(`ALTER ROLE "${r}" PASSWORD 'role-test-pw'`);
    } finally {
      await inDb.end();
    }

    const config = loadConfig({ GUANJIA_DEV: '1', DATABASE_URL: roleUrl(appRole), MIGRATION_DATABASE_URL: roleUrl(owner) });
    database = await connectDatabase(config);
    const db = database.dataSource;
    const [{ tableowner }] = await db.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'`);
    expect(tableowner).toBe(owner);
    expect((await db.query(`SELECT current_user AS u`))[0].u).toBe(appRole);

    // business tables: full use
    const [d] = await db.query(`INSERT INTO district (code, name) VALUES ('219999', '角色测试区') RETURNING id`);
    await db.query(`UPDATE district SET name = '角色测试区（改）' WHERE id = $1`, [d.id]);
    // audit tables: append and read
    await db.query(`INSERT INTO audit_event (district_id, action, entity_type) VALUES ($1, 'test.append', 'district')`, [d.id]);
    expect(await db.query(`SELECT action FROM audit_event WHERE district_id = $1`, [d.id])).toEqual([{ action: 'test.append' }]);
    for (const table of APPEND_ONLY_TABLES) {
      await expect(db.query(`UPDATE ${table} SET created_at = now()`)).rejects.toThrow(/permission denied/);
      await expect(db.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
      await expect(db.query(`TRUNCATE ${table}`)).rejects.toThrow(/permission denied|must be owner/);
      await expect(db.query(`ALTER TABLE ${table} DISABLE TRIGGER tr_append_only_row`)).rejects.toThrow(/must be owner/);
    }
    await expect(db.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`CREATE TABLE sneaky (id int)`)).rejects.toThrow(/permission denied/);
    await expect(db.query(`DROP TABLE audit_event`)).rejects.toThrow(/must be owner/);
    // even the owner cannot rewrite history without first dropping the trigger (a visible, audited DDL step)
    const ownerClient = new Client({ connectionString: roleUrl(owner) });
    await ownerClient.connect();
    try {
      await expect(ownerClient.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    } finally {
      await ownerClient.end();
    }
  });
});
