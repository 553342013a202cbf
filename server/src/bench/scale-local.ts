import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { createDataSource } from '../data-source';
import { repoRoot } from '../lib/paths';
import { refreshTicketStats } from '../modules/tickets/stats/stats.service';
import { QUICK, generateDistrict, type District } from './generate';
import { runLoad, type Figure } from './load';
import { freePort } from './free-port';

/**
 * `npm run scale:local [-- --duration S] [--keep-dir]`: the topology of docs/scaling.md on this machine, from
 * Debian packages and PostgreSQL's own binaries, all in a temporary folder on free ports (the machine's PostgreSQL
 * is never touched):
 *
 *   nginx ─┬─ API process A ─┬─ PgBouncer (transaction pooling) ── primary (initdb)
 *          └─ API process B ─┘                                     └── streaming replica (pg_basebackup -R)
 *                    └── report reads (READ_DATABASE_URL) ─────────────┘
 *
 * Then: the bench's quick mode through nginx (replication lag sampled meanwhile); named prepared statements probed
 * through this PgBouncer; read-your-writes while the replica is paused (a detail right after a create answers from
 * the primary, a report from the stale replica); both API processes running every scheduled job every 2 s over
 * lapsed deadlines (each must be supervised exactly once). Stops everything it started, by PID, and writes
 * bench/scale-local.json. Needs: apt-get install pgbouncer nginx-light; PostgreSQL server binaries (PG_BIN, default
 * the newest /usr/lib/postgresql/N/bin).
 */
type Proc = { name: string; child: ChildProcess; stop: (c: ChildProcess) => void };

const args = process.argv.slice(2);
const opt = (n: string) => (args.indexOf(`--${n}`) >= 0 ? args[args.indexOf(`--${n}`) + 1] : undefined);
const log = (s: string) => console.log(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const v = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!v) throw new Error('no PostgreSQL server binaries: set PG_BIN (the folder holding initdb, postgres, pg_basebackup)');
  return path.join(root, v, 'bin');
}

function which(cmd: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(':')]) if (fs.existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  throw new Error(`${cmd} is not installed (apt-get install pgbouncer nginx-light)`);
}

async function until(what: string, fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function canQuery(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } finally {
    await c.end().catch(() => {});
  }
}

async function one<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows[0] as T;
  } finally {
    await c.end();
  }
}

async function main() {
  const bin = pgBin();
  const pgbouncer = which('pgbouncer');
  const nginx = which('nginx');
  const pgbVersion = execFileSync(pgbouncer, ['--version']).toString().split('\n')[0].trim();
  const [maj, min] = (pgbVersion.match(/(\d+)\.(\d+)/) ?? ['', '0', '0']).slice(1).map(Number);
  // PgBouncer learned protocol-level prepared statements in transaction mode in 1.21 (max_prepared_statements).
  const pgbPrepared = maj > 1 || (maj === 1 && min >= 21);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-scale-'));
  // initdb, postgres and pgbouncer refuse to run as root: as root, they run as the system's postgres user.
  const asUser = process.getuid?.() === 0 ? (() => {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error('running as root needs a "postgres" system user for the clusters');
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  })() : null;
  if (asUser) fs.chownSync(dir, asUser.uid, asUser.gid);
  const ports = { primary: await freePort(), replica: await freePort(), bouncer: await freePort(), nginx: await freePort(), apiA: await freePort(), apiB: await freePort() };
  log(`scale:local in ${dir}; ports ${JSON.stringify(ports)}; ${pgbVersion}; PostgreSQL binaries ${bin}`);
  const procs: Proc[] = [];
  const spawnLogged = (name: string, cmd: string, argv: string[], o: { user?: boolean; env?: NodeJS.ProcessEnv; stop?: Proc['stop'] } = {}) => {
    const out = fs.openSync(path.join(dir, `${name}.log`), 'a');
    const child = spawn(cmd, argv, { stdio: ['ignore', out, out], env: o.env ?? process.env, ...(o.user && asUser ? asUser : {}) });
    procs.push({ name, child, stop: o.stop ?? ((c) => c.kill('SIGTERM')) });
    child.once('exit', (code, sig) => { if (!stopping) log(`  ! ${name} (pid ${child.pid}) exited early: ${code ?? sig}; see ${dir}/${name}.log`); });
    return child;
  };
  let stopping = false;
  const report: Record<string, unknown> = { date: new Date().toISOString(), pgbouncer: pgbVersion, ports };
  const runAs = (cmd: string, argv: string[]) => execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...(asUser ?? {}) });
  try {
    // 1. Primary: a cluster of our own (trust on loopback, replication allowed), started in the foreground.
    const primaryDir = path.join(dir, 'primary');
    runAs(path.join(bin, 'initdb'), ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    fs.appendFileSync(path.join(primaryDir, 'postgresql.conf'), [
      `port = ${ports.primary}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`,
      'wal_level = replica', 'max_wal_senders = 4', 'max_connections = 100', 'shared_buffers = 128MB',
      // a drill on a shared machine, not a durability test
      'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', '',
    ].join('\n'));
    // SIGINT: PostgreSQL's fast shutdown
    spawnLogged('primary', path.join(bin, 'postgres'), ['-D', primaryDir], { user: true, stop: (c) => c.kill('SIGINT') });
    const primaryAdmin = `postgres://postgres@127.0.0.1:${ports.primary}/postgres`;
    await until('the primary', () => canQuery(primaryAdmin));
    await one(primaryAdmin, `CREATE DATABASE guanjia`);
    const primaryUrl = `postgres://postgres@127.0.0.1:${ports.primary}/guanjia`;

    // 2. Replica: a base backup with -R (standby.signal + primary_conninfo) on its own port, hot standby.
    const replicaDir = path.join(dir, 'replica');
    runAs(path.join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(ports.primary), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast']);
    fs.appendFileSync(path.join(replicaDir, 'postgresql.conf'), `port = ${ports.replica}\nhot_standby = on\n`);
    spawnLogged('replica', path.join(bin, 'postgres'), ['-D', replicaDir], { user: true, stop: (c) => c.kill('SIGINT') });
    const replicaUrl = `postgres://postgres@127.0.0.1:${ports.replica}/guanjia`;
    await until('the replica', () => canQuery(replicaUrl));
    log(`primary :${ports.primary} and streaming replica :${ports.replica} up`);

    // 3. PgBouncer in transaction mode in front of the primary.
    fs.writeFileSync(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
    fs.writeFileSync(path.join(dir, 'pgbouncer.ini'), [
      '[databases]', `guanjia = host=127.0.0.1 port=${ports.primary} dbname=guanjia`,
      // the prepared-statement probe: two server connections for ten clients, so statements must change connection
      `guanjia_probe = host=127.0.0.1 port=${ports.primary} dbname=guanjia pool_size=2`, '',
      '[pgbouncer]', `listen_addr = 127.0.0.1`, `listen_port = ${ports.bouncer}`, `unix_socket_dir =`,
      'auth_type = trust', `auth_file = ${dir}/userlist.txt`, 'pool_mode = transaction',
      'default_pool_size = 12', 'max_client_conn = 400', 'ignore_startup_parameters = extra_float_digits',
      ...(pgbPrepared ? ['max_prepared_statements = 200'] : []), '',
    ].join('\n'));
    for (const f of ['userlist.txt', 'pgbouncer.ini']) if (asUser) fs.chownSync(path.join(dir, f), asUser.uid, asUser.gid);
    spawnLogged('pgbouncer', pgbouncer, [path.join(dir, 'pgbouncer.ini')], { user: true, stop: (c) => c.kill('SIGINT') });
    const bouncerUrl = `postgres://postgres@127.0.0.1:${ports.bouncer}/guanjia`;
    await until('PgBouncer', () => canQuery(bouncerUrl));
    log(`PgBouncer :${ports.bouncer} (transaction pooling${pgbPrepared ? ', max_prepared_statements = 200' : ''})`);

    // 4. Schema and a quick district, straight on the primary (migrations need a session, not a pooled transaction).
    const ds = createDataSource(primaryUrl, { poolSize: 2, applicationName: 'guanjia-scale-setup' });
    await ds.initialize();
    let district: District;
    try {
      await ds.runMigrations({ transaction: 'each' });
      const sizes = { ...QUICK };
      district = await generateDistrict(ds, sizes, () => {});
      await refreshTicketStats(ds);
    } finally {
      await ds.destroy();
    }
    log(`generated a quick district (${QUICK.tickets.toLocaleString('en')} tickets) on the primary`);

    // 5. Named prepared statements through this PgBouncer: 10 clients, 20 rounds each, on fewer server connections.
    report.preparedProbe = await probePrepared(`postgres://postgres@127.0.0.1:${ports.bouncer}/guanjia_probe`);
    log(`named prepared statements through PgBouncer: ${JSON.stringify(report.preparedProbe)}`);
    const prepared = pgbPrepared && (report.preparedProbe as { errors: number }).errors === 0;

    // 6. Two API processes (the real app + bench routes) through PgBouncer, report reads on the replica.
    const childJs = path.join(__dirname, 'server-child.js');
    const apiEnv = (port: number): NodeJS.ProcessEnv => ({
      ...process.env, GUANJIA_DEV: process.env.JWT_SECRET ? process.env.GUANJIA_DEV : '1', BENCH_DB_URL: bouncerUrl, BENCH_PORT: String(port),
      READ_DATABASE_URL: replicaUrl, DB_PREPARED_STATEMENTS: String(prepared), JOB_INTERVAL_MS: '2000',
    });
    spawnLogged('api-a', process.execPath, [childJs], { env: apiEnv(ports.apiA) });
    spawnLogged('api-b', process.execPath, [childJs], { env: apiEnv(ports.apiB) });
    for (const p of [ports.apiA, ports.apiB]) await until(`API :${p}`, async () => (await fetch(`http://127.0.0.1:${p}/readyz`)).ok, 60_000);
    log(`API processes :${ports.apiA} and :${ports.apiB} (DB_PREPARED_STATEMENTS=${prepared})`);

    // 7. nginx in front of both.
    fs.mkdirSync(path.join(dir, 'nginx'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'nginx.conf'), [
      ...(asUser ? ['user postgres;'] : []), 'worker_processes 1;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/nginx-error.log warn;`,
      'events { worker_connections 512; }',
      'http {', '  access_log off;', `  client_body_temp_path ${dir}/nginx/body; proxy_temp_path ${dir}/nginx/proxy;`,
      `  fastcgi_temp_path ${dir}/nginx/fcgi; uwsgi_temp_path ${dir}/nginx/uwsgi; scgi_temp_path ${dir}/nginx/scgi;`,
      `  upstream guanjia { least_conn; server 127.0.0.1:${ports.apiA}; server 127.0.0.1:${ports.apiB}; keepalive 32; }`,
      `  server { listen 127.0.0.1:${ports.nginx}; client_max_body_size 12m;`,
      '    location / { proxy_pass http://guanjia; proxy_http_version 1.1; proxy_set_header Connection ""; } }', '}', '',
    ].join('\n'));
    if (asUser) fs.chownSync(path.join(dir, 'nginx'), asUser.uid, asUser.gid);
    spawnLogged('nginx', nginx, ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-g', 'daemon off;'], { stop: (c) => c.kill('SIGQUIT') });
    const lb = `http://127.0.0.1:${ports.nginx}`;
    await until('nginx', async () => (await fetch(`${lb}/readyz`)).ok);
    log(`nginx :${ports.nginx} → both API processes`);

    // 8. The bench's quick mode through nginx, replication lag sampled every 200 ms.
    const tokens = new Map<string, string>();
    const token = async (u: string) => {
      if (!tokens.has(u)) tokens.set(u, ((await (await fetch(`${lb}/__bench/token?username=${encodeURIComponent(u)}`)).json()) as { token: string }).token);
      return tokens.get(u)!;
    };
    const lag = { maxBytes: 0, maxReplayMs: 0, samples: 0 };
    const sampler = new pg.Client({ connectionString: primaryAdmin });
    await sampler.connect();
    const timer = setInterval(() => {
      sampler.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS bytes, COALESCE(EXTRACT(epoch FROM replay_lag) * 1000, 0)::int AS ms FROM pg_stat_replication`)
        .then((r) => {
          lag.samples++;
          for (const row of r.rows) {
            lag.maxBytes = Math.max(lag.maxBytes, Number(row.bytes));
            lag.maxReplayMs = Math.max(lag.maxReplayMs, Number(row.ms));
          }
        }, () => {});
    }, 200);
    let figures: Figure[];
    try {
      figures = await runLoad({ url: lb, district, token, quick: true }, { connections: 10, duration: Number(opt('duration') ?? 2), log });
    } finally {
      clearInterval(timer);
      await sampler.end();
    }
    // statements and RSS are per process, and nginx spreads the requests over two: only the load figures hold here
    report.figures = figures.map((f) => ({ ...f, statementsPerRequest: null, peakRssMb: null }));
    report.replicationLag = lag;
    log(`replication lag during the load: max ${lag.maxBytes} bytes, max replay lag ${lag.maxReplayMs} ms (${lag.samples} samples)`);

    // 9. Read-your-writes with the replica paused: detail right after a create reads the primary; reports the replica.
    const steward = district.createTargets[0];
    const auth = { authorization: `Bearer ${await token(steward.stewardUsername)}`, 'content-type': 'application/json' };
    const coord = { authorization: `Bearer ${await token(district.usernames.coordinator)}` };
    await one(replicaUrl, `SELECT pg_wal_replay_pause()`);
    let lagCheck: Record<string, unknown>;
    try {
      const created = await fetch(`${lb}/api/v1/tickets`, {
        method: 'POST', headers: auth,
        body: JSON.stringify({ enterpriseId: steward.enterpriseId, categoryId: steward.categoryId, title: '复制延迟检查', description: '写入后立即读取详情，应从主库读取。' }),
      });
      const body = (await created.json()) as { id?: string; ticket?: { id: string } };
      const id = body.id ?? body.ticket?.id;
      const detail = await fetch(`${lb}/api/v1/tickets/${id}`, { headers: auth });
      const onReplica = await one<{ n: number }>(replicaUrl, `SELECT count(*)::int AS n FROM ticket WHERE id = $1`, [id]);
      const today = new Date().toISOString().slice(0, 10);
      const stats = await fetch(`${lb}/api/v1/ticket-stats?from=${today.slice(0, 4)}-01-01&to=${today}`, { headers: coord });
      const monthly = await fetch(`${lb}/api/v1/reports/monthly?month=${today.slice(0, 7)}`, { headers: coord });
      lagCheck = { createStatus: created.status, detailRightAfterStatus: detail.status, ticketOnPausedReplica: onReplica.n, statsFromReplicaStatus: stats.status, monthlyFromReplicaStatus: monthly.status };
      await one(replicaUrl, `SELECT pg_wal_replay_resume()`);
      const t0 = Date.now();
      await until('the replica to catch up', async () => (await one<{ n: number }>(replicaUrl, `SELECT count(*)::int AS n FROM ticket WHERE id = $1`, [id])).n === 1);
      lagCheck.catchUpMs = Date.now() - t0;
    } finally {
      await one(replicaUrl, `SELECT pg_wal_replay_resume()`).catch(() => {});
    }
    report.readYourWrites = lagCheck;
    log(`replica paused: ${JSON.stringify(lagCheck)}`);

    // 10. Jobs exactly once: lapsed accept deadlines on 40 'assigned' tickets (not the bench's pools), then both
    //     processes run every job every 2 s for 12 s.
    const c = new pg.Client({ connectionString: primaryUrl });
    await c.connect();
    let jobs: Record<string, unknown>;
    try {
      const planted = (await c.query(
        `WITH t AS (SELECT id FROM ticket WHERE state = 'assigned' AND no NOT LIKE 'P%' ORDER BY id LIMIT 40)
         UPDATE ticket SET accept_due_at = date_trunc('second', now()) - interval '10 days', accept_supervised_due_at = NULL FROM t WHERE ticket.id = t.id
         RETURNING ticket.id, ticket.accept_due_at`)).rows as { id: string; accept_due_at: Date }[];
      for (const p of [ports.apiA, ports.apiB]) await fetch(`http://127.0.0.1:${p}/__bench/jobs/start`, { method: 'POST' });
      await sleep(12_000);
      const perProcess: { pid: number; counts: Record<string, { runs: number; failed: number; worked: number }> }[] = [];
      for (const p of [ports.apiA, ports.apiB]) perProcess.push(await (await fetch(`http://127.0.0.1:${p}/__bench/jobs`)).json() as typeof perProcess[number]);
      // 督办单 per planted deadline: each must be exactly 1
      const per = (await c.query(
        `SELECT p.id, count(s.id)::int AS n FROM unnest($1::uuid[], $2::timestamptz[]) AS p(id, due)
           LEFT JOIN supervision s ON s.ticket_id = p.id AND s.kind = 'overdue_accept' AND s.missed_due_at = p.due GROUP BY p.id`,
        [planted.map((r) => r.id), planted.map((r) => r.accept_due_at)])).rows as { n: number }[];
      const dup = (await c.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM supervision GROUP BY ticket_id, kind, missed_due_at HAVING count(*) > 1) d`)).rows[0].n;
      jobs = {
        lapsedDeadlines: planted.length,
        supervisedOnce: per.filter((r) => r.n === 1).length, supervisedTwiceOrMore: per.filter((r) => r.n > 1).length, notSupervised: per.filter((r) => r.n === 0).length,
        duplicatesInTable: dup,
        runs: perProcess.map((p) => ({ pid: p.pid, deadlinesRuns: p.counts['ticket-deadlines']?.runs ?? 0, supervised: p.counts['ticket-deadlines']?.worked ?? 0,
          allJobsRuns: Object.values(p.counts).reduce((a, x) => a + x.runs, 0), failed: Object.values(p.counts).reduce((a, x) => a + x.failed, 0) })),
      };
    } finally {
      await c.end();
    }
    report.jobs = jobs;
    log(`jobs: ${JSON.stringify(report.jobs)}`);
  } finally {
    stopping = true;
    // Reverse order of start, each by its PID; wait for each to exit.
    for (const p of procs.reverse()) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
      p.stop(p.child);
      await Promise.race([exited, sleep(15_000)]);
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      log(`stopped ${p.name} (pid ${p.child.pid})`);
    }
    if (!args.includes('--keep-dir')) fs.rmSync(dir, { recursive: true, force: true });
  }
  const out = path.join(repoRoot(), 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'scale-local.json'), JSON.stringify(report, null, 2));
  log('wrote bench/scale-local.json');
}

/**
 * 10 pooled clients each run the same named statement 20 times between short transactions, through PgBouncer with
 * fewer server connections than clients. Without protocol-level support (PgBouncer < 1.21) a client that prepared
 * on one server connection meets another: "prepared statement … does not exist".
 */
async function probePrepared(url: string): Promise<{ queries: number; errors: number; firstError: string | null }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  let errors = 0;
  let queries = 0;
  let firstError: string | null = null;
  try {
    await Promise.all(Array.from({ length: 10 }, async () => {
      const c = await pool.connect();
      try {
        for (let i = 0; i < 20; i++) {
          queries++;
          try {
            await c.query({ name: 'scale_probe', text: 'SELECT $1::int + count(*)::int AS n FROM pg_class WHERE oid < $1::int', values: [i] });
          } catch (e) {
            errors++;
            firstError ??= (e as Error).message;
          }
          await c.query('SELECT pg_sleep(0.002)');
        }
      } finally {
        c.release();
      }
    }));
  } finally {
    await pool.end();
  }
  return { queries, errors, firstError };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
