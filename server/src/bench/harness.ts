import 'reflect-metadata';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { execSync, fork } from 'node:child_process';
import { Client } from 'pg';
import type { FastifyInstance } from 'fastify';
import { DEMO_DISTRICT } from '../demo/org-demo';
import { loadConfig } from '../config';
import { buildApp } from '../app';
import { createDataSource } from '../data-source';
import type { ImportFigure } from './import-bench';
import { ensureDatabase, withDatabase } from '../db/connect';
import { benchRoutes, countInflight } from './bench-plugin';
import { addPools, describe, generateDistrict, type Sizes } from './generate';
import { runLoad, type Figure, type LoadCtx } from './load';
import { refreshTicketStats } from '../modules/tickets/stats/stats.service';
import { refreshVisitMonths } from '../modules/indicators/visit-rollup';
import { compactQueueCounts } from '../modules/tickets/lifecycle/queue-counts';
import { buildMissingIndicatorLive, compactIndicatorLive } from '../modules/indicators/indicator-live';
import { maintainCadenceCounts } from '../modules/visits/cadence-counts';
import { seedCalendarFromPackage } from '../modules/calendar/calendar-seed';
import { loginStormLines } from './login-storm';
import { measureStartup, type StartupFigure } from './startup';
import { runLedgerExport } from './ledger-export';

/** Everything one bench run needs. */
export type BenchOptions = {
  /** a URL of the PostgreSQL server; the bench works in its own database there, never in the one named */
  serverUrl: string;
  sizes: Sizes;
  connections: number;
  duration: number;
  /** reuse this already generated database (skips generation; new write pools are added) */
  reuse?: string;
  /** keep the database afterwards (to reuse it) */
  keep?: boolean;
  only?: RegExp;
  /** 'child': the server in its own process (the CLI); 'inprocess': in this one (the jest test, no build needed) */
  server: 'child' | 'inprocess';
  log?: (s: string) => void;
};

/** What a run produced; bench/results.json holds it. */
export type BenchReport = {
  date: string; commit: string; machine: { cpus: string; cores: number; memGb: number; node: string; postgres: string };
  database: string; sizes: Sizes; counts: Record<string, number>; generationSeconds: number | null; connections: number; duration: number;
  figures: Figure[];
  /** spawn → first 200 on /readyz of the built server on the migrated database (child mode only) */
  startup?: StartupFigure;
  /** ten wrong logins at once while another user calls GET /me (login-storm.ts), capped and uncapped */
  loginStorm?: string[];
  /** the going-live import at 兴隆台 scale (import-bench.ts) */
  imports?: ImportFigure[];
};

/** A running server for the bench: its base URL and how to stop it. */
export type BenchServer = { url: string; close: () => Promise<void> };

/**
 * Builds the real app on `dbUrl` plus the bench routes, listening on loopback (`port`, default a free one).
 * READ_DATABASE_URL in the environment gives it a replica for report reads (scale:local).
 */
export async function startBenchServer(dbUrl: string, opts: { port?: number; routes?: (app: FastifyInstance) => void } = {}): Promise<BenchServer & { app: FastifyInstance }> {
  const config = loadConfig({ ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', RUN_JOBS: 'false', H5_DIR: '', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
  const ds = createDataSource(dbUrl, { poolSize: 10, applicationName: 'guanjia-bench' });
  await ds.initialize();
  const readDs = config.readDatabaseUrl ? createDataSource(config.readDatabaseUrl, { poolSize: 10, applicationName: 'guanjia-bench-read' }) : null;
  await readDs?.initialize();
  const app = await buildApp({ config, dataSource: ds, readDataSource: readDs, logger: false });
  countInflight(app);
  await app.register(benchRoutes, { databaseUrl: dbUrl, poolSize: 10 });
  opts.routes?.(app);
  await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await readDs?.destroy();
      await ds.destroy();
    },
  };
}

/**
 * The same server in a child process (compiled JS only), so load generation does not share its event loop.
 * BENCH_SERVER_NODE_ARGS passes node flags to it alone, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile the server
 * under load (node refuses --cpu-prof in NODE_OPTIONS).
 */
function startChild(dbUrl: string): Promise<BenchServer> {
  const execArgv = [...process.execArgv, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [])];
  const child = fork(path.join(__dirname, 'server-child.js'), [], { env: { ...process.env, BENCH_DB_URL: dbUrl }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    child.once('message', (m: { url: string }) => resolve({
      url: m.url,
      close: () => new Promise<void>((done) => {
        child.removeAllListeners('exit');
        child.once('exit', () => done());
        child.send('stop');
      }),
    }));
  });
}

/**
 * One bench run: its own database on the server (generated, or `reuse`d), the real server on a free port, every
 * scenario under autocannon with the baselines first, then the database dropped unless kept.
 */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? (() => {});
  const name = o.reuse ?? `guanjia_bench_${crypto.randomBytes(3).toString('hex')}`;
  const adminUrl = withDatabase(o.serverUrl, 'postgres');
  const dbUrl = withDatabase(o.serverUrl, name);
  await ensureDatabase(adminUrl, name);
  const ds = createDataSource(dbUrl, { poolSize: 4, applicationName: 'guanjia-bench-setup' });
  await ds.initialize();
  let server: BenchServer | null = null;
  try {
    await ds.runMigrations({ transaction: 'each' });
    await seedCalendarFromPackage(ds);
    const t0 = Date.now();
    let generationSeconds: number | null = null;
    const [existing] = await ds.query(`SELECT id FROM district WHERE code = $1`, [DEMO_DISTRICT.code]);
    let district;
    if (o.reuse && existing) {
      log(`reusing ${name}: adding write pools`);
      district = await describe(ds, existing.id, await addPools(ds, existing.id, o.sizes.pool, log));
      for (const t of ['enterprise', 'ticket', 'ticket_event', 'visit', 'supervision']) {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ${t}`);
        district.counts[t] = n;
      }
    } else {
      log(`generating into ${name}: ${o.sizes.enterprises.toLocaleString('en')} enterprises, ${o.sizes.tickets.toLocaleString('en')} tickets, ${o.sizes.visits.toLocaleString('en')} visits`);
      district = await generateDistrict(ds, o.sizes, log);
      generationSeconds = Math.round((Date.now() - t0) / 100) / 10;
      log(`generated in ${generationSeconds} s`);
    }
    // What the ticket-stats job would have done by now (the bench server runs no jobs).
    const r0 = Date.now();
    const { months } = await refreshTicketStats(ds);
    log(`ticket-stats job: ${months} months rolled up in ${((Date.now() - r0) / 1000).toFixed(1)} s`);
    // …and the visit-month job (the visit figures of closed months, ADR 0011).
    const r1 = Date.now();
    const visitMonths = await refreshVisitMonths(ds);
    log(`visit-month job: ${visitMonths.months} months rolled up in ${((Date.now() - r1) / 1000).toFixed(1)} s`);
    // …and the indicator-live job (the counts of periods that run to now; the generator wrote with triggers off).
    const l0 = Date.now();
    const built = await buildMissingIndicatorLive(ds);
    const liveFolded = await compactIndicatorLive(ds);
    log(`indicator-live job: ${built} districts built, ${liveFolded} delta rows folded in ${((Date.now() - l0) / 1000).toFixed(1)} s`);
    // And what the queue counters' compaction would have (ADR 0020): the pools just added one counter row per ticket.
    const c0 = Date.now();
    const folded = await compactQueueCounts(ds);
    log(`ticket-queue-compact job: ${folded} counter rows folded in ${((Date.now() - c0) / 1000).toFixed(1)} s`);
    // …and the cadence-counts job (ADR 0019): builds the district's counts once (BENCH_CADENCE_COUNTS=off leaves them
    // unbuilt, so /cadence/overdue counts live: the before/after comparison of docs/benchmarks.md, issue 9 session 6).
    if (process.env.BENCH_CADENCE_COUNTS !== 'off') {
      const k0 = Date.now();
      const cadence = await maintainCadenceCounts(ds);
      log(`cadence-counts job: ${cadence.built} districts built, ${cadence.folded} rows folded in ${((Date.now() - k0) / 1000).toFixed(1)} s`);
    }
    const [{ version }] = await ds.query(`SELECT current_setting('server_version') AS version`);
    server = o.server === 'child' ? await startChild(dbUrl) : await startBenchServer(dbUrl);
    // The promise is cached, not the token: a write pool prepares thousands of requests at once, and thousands of
    // concurrent token fetches for one user reset the connections (ECONNRESET).
    const tokens = new Map<string, Promise<string>>();
    const url = server.url;
    const ctx: LoadCtx = {
      url, district, quick: o.sizes.tickets < 100_000,
      token: (u) => {
        if (!tokens.has(u)) tokens.set(u, fetch(`${url}/__bench/token?username=${encodeURIComponent(u)}`).then(async (r) => ((await r.json()) as { token: string }).token));
        return tokens.get(u)!;
      },
    };
    log(`load: ${o.connections} connections, ${o.duration} s per endpoint, server ${url}`);
    const figures = await runLoad(ctx, { connections: o.connections, duration: o.duration, only: o.only, log });
    if (!o.only || o.only.test('ledger')) figures.push(await runLedgerExport(ctx, ds, log));
    await server.close();
    server = null;
    let startup: StartupFigure | undefined;
    if (o.server === 'child' && (!o.only || o.only.test('startup'))) {
      startup = await measureStartup(dbUrl, o.sizes.tickets < 100_000 ? 3 : 5);
      log(`  start-up to /readyz (warm, migrated database): median ${startup.medianMs} ms (${startup.samplesMs.join(', ')}); bare Fastify process ${startup.baselineMedianMs} ms; ${startup.ratio}× bare`);
    }
    let loginStorm: string[] | undefined;
    // the CLI only: argon2 storms take tens of seconds, too long for the jest smoke run of the harness
    if (o.server === 'child' && (!o.only || o.only.test('login'))) {
      loginStorm = await runLoginStorm(dbUrl, district.usernames.coordinator, district.usernames.steward);
      for (const l of loginStorm) log(`  login storm: ${l}`);
    }
    return {
      startup, loginStorm,
      date: new Date().toISOString(), commit: gitCommit(),
      machine: { cpus: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: version },
      database: name, sizes: o.sizes, counts: district.counts, generationSeconds, connections: o.connections, duration: o.duration, figures,
    };
  } finally {
    await server?.close();
    await ds.destroy();
    if (!o.keep && !o.reuse) {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    }
  }
}

/** The login-storm phase: an in-process app (it drives app.inject), a signed-in coordinator, wrong logins as a steward. */
async function runLoginStorm(dbUrl: string, signedInUser: string, wrongUser: string): Promise<string[]> {
  const config = loadConfig({ ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', RUN_JOBS: 'false', H5_DIR: '', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' });
  const ds = createDataSource(dbUrl, { poolSize: 4, applicationName: 'guanjia-bench-login' });
  await ds.initialize();
  const app = await buildApp({ config, dataSource: ds, logger: false });
  try {
    await app.ready();
    const [p] = await ds.query(`SELECT id, district_id, roles, enterprise_id, department_id, token_version FROM person WHERE username = $1`, [signedInUser]);
    const token = app.signAccessToken({
      id: p.id, scope: 'district', districtId: p.district_id, cityCode: null, roles: p.roles, enterpriseId: p.enterprise_id, departmentId: p.department_id, tokenVersion: p.token_version,
    });
    return await loginStormLines(app, { authorization: `Bearer ${token}` }, wrongUser);
  } finally {
    await app.close();
    await ds.destroy();
  }
}

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}
