import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '../lib/paths';
import { createTestApp, TEST_ENV, type TestApp } from '../../test/helper';
import { tokenFor } from '../../test/factories';
import { seedTicketWorld, type TicketWorld } from '../../test/ticket-factories';

/**
 * Graceful shutdown (docs/operations.md) with the real server process: requests are held inside their transactions (the test
 * locks ticket_event against writes), SIGTERM arrives, and then
 * - within SHUTDOWN_TIMEOUT_MS: every request sent before the signal is answered 201, the process exits 0, and
 *   every ticket has its events;
 * - past it: the process exits 1 on time, and the held transactions are rolled back (no ticket without events).
 * Only the processes this test spawns are signalled, by their PID.
 */

const ROOT = repoRoot();
let t: TestApp;
let w: TicketWorld;
let dbUrl: string;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-shutdown-'));
const children: ChildProcess[] = [];
const locks: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db);
  dbUrl = (t.db.options as { url: string }).url;
});
afterAll(async () => {
  for (const release of locks) await release().catch(() => {});
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  await t.close();
  fs.rmSync(work, { recursive: true, force: true });
});

type Server = { child: ChildProcess; url: string; log: () => string; exited: Promise<{ code: number | null; at: number }> };

/** Starts `server/src/server.ts` (compiled on the fly by ts-child.js) on the test database, on a free port. */
async function startServer(env: Record<string, string>): Promise<Server> {
  let out = '';
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'server/test/ts-child.js'), path.join(ROOT, 'server/src/server.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, LOG_LEVEL: 'info', RUN_JOBS: 'true', PORT: '0', DATABASE_URL: dbUrl, DATA_DIR: work, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const m = /Guanjia listening on (http:\/\/[\d.]+:\d+)/.exec(out);
    if (m) return { child, url: m[1], log: () => out, exited };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A transaction holding ticket_event against writes: ticket creations wait inside their own transactions. */
async function holdTicketEvents(): Promise<{ release: () => Promise<void> }> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  await c.query('BEGIN');
  await c.query('LOCK TABLE ticket_event IN EXCLUSIVE MODE');
  let done = false;
  const release = async () => {
    if (done) return;
    done = true;
    await c.query('COMMIT');
    await c.end();
  };
  locks.push(release);
  return { release };
}

/** Waits until `n` server connections are blocked on a lock (or says what the requests answered instead). */
async function waitForBlocked(n: number, pending: Promise<{ status: number; body: string }>[]) {
  const settled: { status: number; body: string }[] = [];
  for (const p of pending) void p.then((r) => settled.push(r));
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'guanjia'`);
      if (r.rows[0].n >= n) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`requests never reached the lock; answered: ${JSON.stringify(settled).slice(0, 1000)}`);
  } finally {
    await c.end();
  }
}

function createTickets(url: string, n: number, tag: string) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(t.app, w.contact1)}` };
  return Array.from({ length: n }, (_, i) =>
    fetch(`${url}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `shutdown${tag}${i}${Date.now()}` },
      body: JSON.stringify({ categoryId: w.cat('人才用工'), title: `停机测试${tag}${i}`, description: `第${i}号：${tag}批次企业扩产，急需招聘熟练电焊工${i + 10}名，本地招聘困难。` }),
    }).then(async (r) => ({ status: r.status, body: await r.text() }), (e: Error) => ({ status: 0, body: String(e.cause ?? e) })),
  );
}

async function halfWritten(): Promise<number> {
  const [{ n }] = await t.db.query(
    `SELECT count(*)::int AS n FROM ticket k
      WHERE NOT EXISTS (SELECT 1 FROM ticket_event e WHERE e.ticket_id = k.id AND e.seq = k.version)
         OR (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = k.id) <> k.version`,
  );
  return n;
}

describe('graceful shutdown (real process, SIGTERM under load)', () => {
  it('answers every in-flight request, writes each completely, stops jobs and exits 0', async () => {
    const s = await startServer({ SHUTDOWN_TIMEOUT_MS: '20000' });
    const lock = await holdTicketEvents();
    const N = 8; // below the pool's 10 connections: every request holds one, inside its transaction
    const responses = createTickets(s.url, N, 'A');
    await waitForBlocked(N, responses);
    const signalled = Date.now();
    process.kill(s.child.pid!, 'SIGTERM');
    // Draining: still alive while its requests wait, and new connections are not accepted.
    await new Promise((r) => setTimeout(r, 700));
    expect(s.child.exitCode).toBeNull();
    const late = await fetch(`${s.url}/healthz`, { headers: { connection: 'close' } }).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(late);
    await lock.release();
    const answered = await Promise.all(responses);
    expect(answered.map((r) => r.status)).toEqual(Array(N).fill(201));
    const exit = await s.exited;
    expect({ code: exit.code, log: exit.code === 0 ? '' : s.log().slice(-3000) }).toEqual({ code: 0, log: '' });
    expect(exit.at - signalled).toBeLessThan(20_000);
    expect(s.log()).toMatch(/"msg":"shut down cleanly"/);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ticket WHERE title LIKE '停机测试A%'`);
    expect(n).toBe(N);
    expect(await halfWritten()).toBe(0);
  }, 150_000);

  it('exits on time when requests outlast SHUTDOWN_TIMEOUT_MS, leaving nothing half-written', async () => {
    const s = await startServer({ SHUTDOWN_TIMEOUT_MS: '1500' });
    const lock = await holdTicketEvents();
    const N = 6;
    const responses = createTickets(s.url, N, 'B');
    await waitForBlocked(N, responses);
    const signalled = Date.now();
    process.kill(s.child.pid!, 'SIGTERM');
    const exit = await s.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - signalled).toBeGreaterThanOrEqual(1400);
    expect(exit.at - signalled).toBeLessThan(8000);
    expect(s.log()).toMatch(/shutdown timed out/);
    // The connections died with the process: PostgreSQL rolls their transactions back once the lock is released.
    await lock.release();
    const answered = await Promise.all(responses);
    expect(answered.every((r) => r.status === 0)).toBe(true); // the caller sees a failed request, never a false 201
    await new Promise((r) => setTimeout(r, 300));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ticket WHERE title LIKE '停机测试B%'`);
    expect(n).toBe(0);
    expect(await halfWritten()).toBe(0);
  }, 150_000);
});
