import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createDataSource } from '../data-source';
import { withDatabase } from '../db/connect';
import { migrations } from '../migrations';
import { createTestApp, runDatabaseName, TEST_ENV, type TestApp } from '../../test/helper';
import { auth, PASSWORD } from '../../test/factories';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../test/ticket-factories';
import { jpeg, multipart, png, visitAt } from '../../test/visit-helpers';
import { createBackup, findPgTool, listFiles, restoreBackup, RestoreRefused, sha256File, verifyBackup, writeBackupMetrics } from './backup';

/**
 * The restore drill (docs/operations.md): data made through the API — tickets with attachments, steps taken, visits with
 * photos — is backed up, restored into a fresh database and folder, and a server started on the copy must hold
 * exactly the same rows and files and still work (a password login and a ticket action).
 */

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-drill-'));
const uploads = path.join(work, 'uploads');
const restoredUploads = path.join(work, 'restored');
const backups = path.join(work, 'backups');
let t: TestApp;
let w: TicketWorld;
let srcUrl: string;
// Named with the run's prefix so globalTeardown drops them with the rest: a DROP DATABASE here waits for a checkpoint,
// which on a busy CI machine took the afterAll hook past its 30 s.
const restoredName = runDatabaseName('restored');
const restoredUrl = () => withDatabase(srcUrl, restoredName);

/** Every table's rows as one digest per table (row text sorted), so two databases compare table by table. */
async function tableDigests(url: string): Promise<Record<string, { rows: number; md5: string }>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows.map((r) => r.tablename as string);
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const tb of tables) {
      const r = await c.query(`SELECT count(*)::int AS rows, coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') AS md5 FROM "${tb}" x`);
      out[tb] = r.rows[0];
    }
    return out;
  } finally {
    await c.end();
  }
}

async function fileDigests(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(root)) out[f] = await sha256File(path.join(root, f));
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_DIR: uploads } });
  w = await seedTicketWorld(t.db);
  srcUrl = (t.db.options as { url: string }).url;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('restore drill', () => {
  it('backs up API-made data and restores it into a fresh database and folder, identical and working', async () => {
    const api = apiAs(t);
    // Tickets with attachments, some taken a step further (accept, reply).
    const ticketIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const m = multipart(i % 2 ? png(3000 + i) : jpeg(5000 + i), { filename: i % 2 ? 'a.png' : 'a.jpg', mime: i % 2 ? 'image/png' : 'image/jpeg' });
      const up = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...auth(t.app, w.contact1), ...m.headers }, payload: m.payload });
      expect(up.statusCode).toBe(201);
      const ticket = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工'), attachmentIds: [up.json().id], description: `第${i + 1}件：企业扩产，急需招聘熟练电焊工${20 + i}名，本地招聘困难。` });
      ticketIds.push(ticket.id);
    }
    expect((await api('POST', `/tickets/${ticketIds[0]}/accept`, w.staff1, { version: 2 })).statusCode).toBe(200);
    // Visits with photos (check-in at the enterprise).
    for (let i = 0; i < 3; i++) expect((await visitAt(t.app, w.steward, w.enterprises[0].id, { lat: 41.1, lng: 121.1, datum: 'wgs84' })).statusCode).toBe(200);
    const srcFiles = await fileDigests(uploads);
    expect(Object.keys(srcFiles).length).toBe(7);

    const b = await createBackup({ databaseUrl: srcUrl, uploadDir: uploads, outDir: backups, metricsFile: path.join(work, 'guanjia_backup.prom') });
    expect(path.basename(b.dir)).toMatch(/^guanjia-\d{8}T\d{6}Z$/);
    expect(b.manifest.schemaVersion).toBe(migrations[migrations.length - 1].name);
    expect(b.manifest.gitCommit).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    expect(b.manifest.uploads.files).toBe(7);
    expect(b.manifest.database.sha256).toBe(await sha256File(path.join(b.dir, 'database.dump')));
    expect(fs.readFileSync(path.join(work, 'guanjia_backup.prom'), 'utf8')).toMatch(/^guanjia_backup_last_success_timestamp_seconds \d{10}$/m);
    expect((await verifyBackup(b.dir)).problems).toEqual([]);

    const r = await restoreBackup({ dir: b.dir, databaseUrl: restoredUrl(), uploadDir: restoredUploads, knownMigrations: migrations.map((m) => m.name) });
    expect(r.manifest.createdAt).toBe(b.manifest.createdAt);

    // Every table, row for row (tickets, events, visits, photos, attachments, audit, people…), and every file.
    const [src, copy] = [await tableDigests(srcUrl), await tableDigests(restoredUrl())];
    expect(src.ticket.rows).toBe(4);
    expect(src.visit.rows).toBe(3);
    expect(src.ticket_event.rows).toBeGreaterThanOrEqual(9);
    expect(src.ticket_attachment.rows).toBe(4);
    expect(src.visit_photo.rows).toBe(3);
    expect(copy).toEqual(src);
    expect(await fileDigests(restoredUploads)).toEqual(srcFiles);

    // A server on the copy: a password login, reading an attachment and a photo, and a ticket action.
    const ds = createDataSource(restoredUrl(), { poolSize: 4 });
    await ds.initialize();
    const app = await buildApp({ config: loadConfig({ ...TEST_ENV, UPLOAD_DIR: restoredUploads }), dataSource: ds, logger: false });
    try {
      await app.ready();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.staff1.username, password: PASSWORD } });
      expect(login.statusCode).toBe(200);
      const bearer = { authorization: `Bearer ${login.json().accessToken}` };
      const detail = await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketIds[1]}`, headers: bearer });
      expect(detail.statusCode).toBe(200);
      const accepted = await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketIds[1]}/accept`, headers: bearer, payload: { version: detail.json().version } });
      expect(accepted.statusCode).toBe(200);
      const attachmentId = (await ds.query(`SELECT id FROM ticket_attachment WHERE ticket_id = $1`, [ticketIds[1]]))[0].id;
      const file = await app.inject({ method: 'GET', url: `/api/v1/attachments/${attachmentId}`, headers: bearer });
      expect(file.statusCode).toBe(200);
      const [att] = await ds.query(`SELECT storage_key FROM ticket_attachment WHERE id = $1`, [attachmentId]);
      expect(file.rawPayload.equals(fs.readFileSync(path.join(uploads, att.storage_key)))).toBe(true);
    } finally {
      await app.close();
      await ds.destroy();
    }
  });

  it('refuses a non-empty target unless forced, and a damaged backup always', async () => {
    const [dir] = (await fs.promises.readdir(backups)).map((n) => path.join(backups, n));
    const known = migrations.map((m) => m.name);
    // The restored database from the first test is not empty; neither is its folder.
    await expect(restoreBackup({ dir, databaseUrl: restoredUrl(), uploadDir: path.join(work, 'empty'), knownMigrations: known })).rejects.toThrow(/not empty/);
    await expect(restoreBackup({ dir, databaseUrl: withDatabase(srcUrl, runDatabaseName('nothere')), uploadDir: restoredUploads, knownMigrations: known }))
      .rejects.toBeInstanceOf(RestoreRefused);
    // --force replaces both and ends identical again.
    await restoreBackup({ dir, databaseUrl: restoredUrl(), uploadDir: restoredUploads, knownMigrations: known, force: true });
    expect((await tableDigests(restoredUrl())).ticket.rows).toBe(4);
    // A backup of a schema newer than this code: refused.
    await expect(restoreBackup({ dir, databaseUrl: restoredUrl(), uploadDir: restoredUploads, knownMigrations: known.slice(0, -1), force: true })).rejects.toThrow(/newer/);
    // One flipped byte in one photo: verify names it, restore refuses before touching anything.
    const { manifest } = await verifyBackup(dir);
    const victim = path.join(dir, 'uploads', manifest.uploads.entries[0].path);
    const bytes = fs.readFileSync(victim);
    bytes[100] ^= 0xff;
    fs.writeFileSync(victim, bytes);
    expect((await verifyBackup(dir)).problems).toEqual([`uploads/${manifest.uploads.entries[0].path}: checksum differs`]);
    const before = await tableDigests(restoredUrl());
    await expect(restoreBackup({ dir, databaseUrl: restoredUrl(), uploadDir: restoredUploads, knownMigrations: known, force: true })).rejects.toThrow(/damaged/);
    expect(await tableDigests(restoredUrl())).toEqual(before);
  });

  it('refuses a pg_dump older than the server (the embedded PostgreSQL 18 needs client tools 18)', async () => {
    const prev = process.env.PG_DUMP;
    process.env.PG_DUMP = 'pg_dump';
    try {
      const { version } = await findPgTool('pg_dump', 10);
      const major = Number(/(\d+)/.exec(version)![1]);
      await expect(findPgTool('pg_dump', major + 1)).rejects.toThrow(new RegExp(`older than the database server \\(${major + 1}\\).*postgresql-client-${major + 1}`));
      process.env.PG_DUMP = '/nonexistent/pg_dump';
      await expect(findPgTool('pg_dump', major)).rejects.toThrow(/pg_dump not found/);
    } finally {
      if (prev === undefined) delete process.env.PG_DUMP;
      else process.env.PG_DUMP = prev;
    }
  });

  it('writes the textfile-collector metric atomically', async () => {
    const file = path.join(work, 'm.prom');
    await writeBackupMetrics(file, { finishedAt: '2026-01-01T00:00:00.000Z', database: { bytes: 10 }, uploads: { bytes: 5 } } as never, 1500);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^guanjia_backup_last_success_timestamp_seconds 1767225600$/m);
    expect(text).toMatch(/^guanjia_backup_size_bytes 15$/m);
    expect(fs.readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
