import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../lib/paths';
import { migrations } from '../migrations';
import { createTestApp, TEST_ENV, type TestApp } from '../../test/helper';
import { PASSWORD, tokenFor } from '../../test/factories';
import { seedTicketWorld, type TicketWorld } from '../../test/ticket-factories';
import { jpeg } from '../../test/visit-helpers';
import { CONTRACT_EXCEPTIONS, contractReason, PREVIOUS_RELEASE, upStatements } from './upgrade-rules';

/**
 * Rolling upgrades (docs/operations.md): (1) every migration since the previous release is expand-only, by a check that can
 * tell; (2) the previous release's own server — its sources taken from git at PREVIOUS_RELEASE.commit — runs on a
 * database migrated by this release and serves a login, a ticket with an attachment, a step and a visit with a photo.
 */

const ROOT = repoRoot();

describe('expand-only migrations', () => {
  it.each([
    ['ALTER TABLE t ADD COLUMN x varchar(64)', null],
    ['ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0', null],
    ['CREATE INDEX ix ON t (x) WHERE x IS NOT NULL', null],
    ['CREATE TABLE n (id uuid PRIMARY KEY)', null],
    ['ALTER TABLE t ADD CONSTRAINT ck CHECK (x > 0) NOT VALID', null],
    ['ALTER TABLE t DROP COLUMN x', 'drops a column'],
    ['DROP TABLE t', 'drops an object'],
    ['ALTER TABLE t RENAME COLUMN x TO y', 'renames'],
    ['ALTER TABLE t ALTER COLUMN x TYPE bigint', 'changes a column type'],
    ['ALTER TABLE t ALTER COLUMN x SET NOT NULL', 'makes a column required'],
    ['ALTER TABLE t ADD COLUMN x int NOT NULL', 'adds a required column'],
    ['ALTER TABLE t ADD CONSTRAINT ck CHECK (x > 0)', 'adds a constraint'],
  ])('%s → %s', (sql, expected) => {
    const why = contractReason(sql);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toContain(expected);
  });

  it('every migration after the previous release only expands the schema (or is a listed contract step)', async () => {
    const from = migrations.findIndex((m) => m.name === PREVIOUS_RELEASE.lastMigration);
    expect(from).toBeGreaterThanOrEqual(0);
    const found: string[] = [];
    for (const M of migrations.slice(from + 1)) {
      const m = new M();
      if (CONTRACT_EXCEPTIONS[m.name!]) continue;
      for (const sql of await upStatements(m)) {
        const why = contractReason(sql);
        if (why) found.push(`${m.name}: ${why}: ${sql.trim().slice(0, 120)}`);
      }
    }
    expect(found).toEqual([]);
  });
});

/**
 * The previous release's commit must be in this clone's history. A shallow clone may lack it: fetch it once from
 * origin; if that fails too, say so loudly and skip (a clone without history cannot run the old release).
 */
function hasPreviousRelease(): boolean {
  const has = () => {
    try {
      execFileSync('git', ['-C', ROOT, 'cat-file', '-e', `${PREVIOUS_RELEASE.commit}^{commit}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (has()) return true;
  try {
    execFileSync('git', ['-C', ROOT, 'fetch', '--quiet', '--unshallow', 'origin'], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    /* not shallow, or no origin: checked below */
  }
  if (has()) return true;
  console.warn(`upgrade test skipped: commit ${PREVIOUS_RELEASE.commit} (previous release) is not in this clone's history`);
  return false;
}
const describePrevious = hasPreviousRelease() ? describe : describe.skip;

describePrevious('the previous release on the new schema', () => {
  let t: TestApp;
  let w: TicketWorld;
  let child: ChildProcess | null = null;
  const old = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-prev-'));

  beforeAll(async () => {
    t = await createTestApp(); // cloned from the template: every migration of THIS release applied
    w = await seedTicketWorld(t.db);
    // The previous release's sources, as git has them; its dependencies are this checkout's (same lockfile era).
    execFileSync('bash', ['-c', `git -C "${ROOT}" archive ${PREVIOUS_RELEASE.commit} | tar -x -C "${old}"`]);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(old, 'node_modules'));
    if (fs.existsSync(path.join(ROOT, 'server', 'node_modules'))) fs.symlinkSync(path.join(ROOT, 'server', 'node_modules'), path.join(old, 'server', 'node_modules'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await t.close();
    fs.rmSync(old, { recursive: true, force: true });
  });

  it('serves a login, a ticket with an attachment, a step and a visit with a photo', async () => {
    const oldMigrations = execFileSync('git', ['-C', ROOT, 'show', `${PREVIOUS_RELEASE.commit}:server/src/migrations.ts`]).toString();
    const newer = migrations.filter((m) => !oldMigrations.includes(m.name)).map((m) => m.name);
    expect(newer.length).toBeGreaterThan(0); // else this test would prove nothing

    // The previous release logs the configured port, not the bound one: give it a free one.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    let out = '';
    const dbUrl = (t.db.options as { url: string }).url;
    child = spawn(process.execPath, ['-r', path.join(ROOT, 'server/test/ts-child.js'), path.join(old, 'server/src/server.ts')], {
      cwd: old,
      env: { ...process.env, ...TEST_ENV, TS_CHILD_ROOT: old, LOG_LEVEL: 'info', PORT: String(port), DATABASE_URL: dbUrl, DATA_DIR: path.join(old, '.data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    let url = '';
    const deadline = Date.now() + 90_000;
    while (!url) {
      const m = /Guanjia listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) url = m[1];
      else if (child.exitCode !== null || Date.now() > deadline) throw new Error(`previous release did not start:\n${out.slice(-3000)}`);
      else await new Promise((r) => setTimeout(r, 100));
    }

    const json = async (method: string, p: string, who: Parameters<typeof tokenFor>[1] | null, body?: unknown) => {
      const res = await fetch(`${url}/api/v1${p}`, {
        method,
        headers: { ...(who ? { authorization: `Bearer ${tokenFor(t.app, who)}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> };
    };
    const upload = async (p: string, who: Parameters<typeof tokenFor>[1], buf: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([buf], { type: 'image/jpeg' }), 'photo.jpg');
      const res = await fetch(`${url}/api/v1${p}`, { method: 'POST', headers: { authorization: `Bearer ${tokenFor(t.app, who)}` }, body: form });
      return { status: res.status, body: (await res.json()) as { id: string } };
    };

    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const login = await json('POST', '/auth/login', null, { username: w.staff1.username, password: PASSWORD });
    expect(login.status).toBe(200);
    const att = await upload('/attachments', w.contact1, jpeg(6000));
    expect(att.status).toBe(201);
    const ticket = await json('POST', '/tickets', w.contact1, { categoryId: w.cat('人才用工'), title: '旧版本提交', description: '企业扩产，急需招聘熟练电焊工二十名，本地招聘困难。', attachmentIds: [att.body.id] });
    expect(ticket.status).toBe(201);
    const accept = await json('POST', `/tickets/${ticket.body.id}/accept`, w.staff1, { version: ticket.body.version });
    expect(accept.status).toBe(200);
    const visit = await json('POST', '/visits', w.steward, { kind: 'onsite', enterpriseId: w.enterprises[0].id });
    expect(visit.status).toBe(201);
    const photo = await upload('/visit-photos', w.steward, jpeg(5000));
    expect(photo.status).toBe(201);
    const checkIn = await json('POST', `/visits/${visit.body.id}/check-in`, w.steward, { location: { lat: 41.1, lng: 121.1, datum: 'wgs84' }, accuracyM: 15, photoId: photo.body.id });
    expect(checkIn.status).toBe(200);

    // Really the previous code: it does not know request ids, so its rows have none; the new code reads them fine.
    const events = await t.db.query(`SELECT request_id FROM ticket_event WHERE ticket_id = $1`, [ticket.body.id]);
    expect(events.length).toBe(3);
    expect(events.every((e: { request_id: string | null }) => e.request_id === null)).toBe(true);
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.body.id}`, headers: { authorization: `Bearer ${tokenFor(t.app, w.staff1)}` } });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().state).toBe('accepted');
  }, 180_000);
});
