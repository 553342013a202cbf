import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { addCalendarDays, shanghaiDate } from '@guanjia/shared';
import { encodeCursor } from '../lib/keyset';
import type { District } from './generate';

// autocannon ships no types; the slice of its API the bench uses.
type AcRequest = { method?: string; path: string; headers?: Record<string, string>; body?: string; setupRequest?: (req: AcRequest) => AcRequest };
type AcResult = {
  requests: { average: number; total: number };
  /** seconds, from the first request to the stop */
  duration: number;
  latency: { p50: number; p99: number; average: number };
  errors: number; timeouts: number; non2xx: number; '2xx': number;
};
type AcOptions = { url: string; connections: number; duration?: number; amount?: number; requests: AcRequest[]; timeout?: number; sampleInt?: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (o: AcOptions) => Promise<AcResult> = require('autocannon');

/** Which same-run baseline a product figure is divided by. */
export type BaselineName = 'bare' | 'pk' | 'insert';

/** One endpoint under load. `requests` is built when the phase starts (tokens and pools are known by then). */
export type Scenario = { name: string; baseline: BaselineName | null; kind: 'read' | 'write'; build: (ctx: LoadCtx) => Promise<{ requests: AcRequest[]; amount?: number }> };

/** What a phase needs: the server, the generated district, and tokens by username (fetched once). */
export type LoadCtx = { url: string; district: District; token: (username: string) => Promise<string>; quick: boolean };

/** One row of the results table. */
export type Figure = {
  name: string; baseline: BaselineName | null; reqPerSec: number; p50Ms: number; p99Ms: number; requests: number; errors: number;
  /** one request alone, before the load (the only figure when a request outlasts the phase), and its status */
  singleMs: number; singleStatus: number;
  statementsPerRequest: number | null; peakRssMb: number; ratio: number | null;
  /** the longest event-loop delay during the phase (ms) */
  loopMaxMs?: number;
  /** the same in an idle process beside it (idle-canary.ts): what the machine's scheduler alone imposed */
  idleLoopMaxMs?: number;
};

const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

/** A GET by a user. */
const get = (name: string, baseline: BaselineName | null, username: (d: District) => string, path: (d: District) => string): Scenario => ({
  name, baseline, kind: 'read',
  build: async (ctx) => ({ requests: [{ method: 'GET', path: path(ctx.district), headers: auth(await ctx.token(username(ctx.district))) }] }),
});

/** A write that consumes one pool item per request: item `i` of `items` builds the request. */
function poolWrite<T>(name: string, items: (d: District) => T[], make: (item: T, ctx: LoadCtx) => Promise<AcRequest>): Scenario {
  return {
    name, baseline: 'insert', kind: 'write',
    build: async (ctx) => {
      const all = items(ctx.district);
      const prepared = await Promise.all(all.map((x) => make(x, ctx)));
      let i = 0;
      // Each request takes the next unused item; the single timed request takes the first, the phase stops when
      // the rest are used (a pool smaller than the phase, like one check-in per steward, ends it early).
      return { amount: prepared.length - 1, requests: [{ method: 'POST', path: '/', setupRequest: () => ({ ...prepared[i++ % prepared.length] }) }] };
    },
  };
}

const today = () => shanghaiDate(new Date());
const year = () => today().slice(0, 4);
/** The last whole month (first and last day). */
const lastMonth = () => {
  const [y, m] = today().split('-').map(Number) as [number, number];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  const mm = String(pm).padStart(2, '0');
  return { from: `${py}-${mm}-01`, to: `${py}-${mm}-${String(last).padStart(2, '0')}` };
};
/** A month ending today (30 days): never a closed month, so counted live — "this month" on its last day. */
const last30 = () => ({ from: addCalendarDays(today(), -29), to: today() });
const S = (d: District) => d.usernames.coordinator;
const D = (d: District) => d.usernames.department;

/** Every endpoint the bench drives, in order: baselines first, so each product figure has its ratio. */
export function scenarios(): Scenario[] {
  let created = 0;
  return [
    { name: 'baseline: bare Fastify route', baseline: null, kind: 'read', build: async () => ({ requests: [{ method: 'GET', path: '/__bench/bare' }] }) },
    { name: 'baseline: primary-key SELECT (plain pg)', baseline: null, kind: 'read', build: async (c) => ({ requests: [{ method: 'GET', path: `/__bench/pk/${c.district.sampleTicketId}` }] }) },
    { name: 'baseline: ticket + event insert (plain pg, 1 tx)', baseline: null, kind: 'write', build: async () => ({ requests: [{ method: 'POST', path: '/__bench/insert' }] }) },
    {
      name: 'POST /tickets (create 诉求)', baseline: 'insert', kind: 'write',
      build: async (ctx) => {
        const targets = ctx.district.createTargets;
        const tokens = new Map<string, string>();
        for (const t of targets) if (!tokens.has(t.stewardUsername)) tokens.set(t.stewardUsername, await ctx.token(t.stewardUsername));
        return {
          requests: [{
            method: 'POST', path: '/api/v1/tickets',
            setupRequest: (req) => {
              const t = targets[created++ % targets.length];
              return {
                ...req, headers: auth(tokens.get(t.stewardUsername)!),
                body: JSON.stringify({ enterpriseId: t.enterpriseId, categoryId: t.categoryId, title: `基准提交${created}`, description: `基准测试提交的诉求内容，第${created}条，请协助解决。` }),
              };
            },
          }],
        };
      },
    },
    get('GET /tickets (first page)', 'pk', S, () => '/api/v1/tickets?limit=20'),
    get('GET /tickets (deep keyset page)', 'pk', S, (d) => `/api/v1/tickets?limit=20&cursor=${encodeCursor([d.deepCursor.createdAt, d.deepCursor.id])}`),
    get('GET /tickets?state=assigned', 'pk', S, () => '/api/v1/tickets?limit=20&state=assigned'),
    get('GET /tickets?overdue=true', 'pk', S, () => '/api/v1/tickets?limit=20&overdue=true'),
    get('GET /tickets?categoryId=…', 'pk', S, (d) => `/api/v1/tickets?limit=20&categoryId=${d.createTargets[0].categoryId}`),
    get('GET /tickets?escalationLevelMin=2', 'pk', S, () => '/api/v1/tickets?limit=20&escalationLevelMin=2'),
    get('GET /tickets (department’s own)', 'pk', D, () => '/api/v1/tickets?limit=20'),
    get('GET /tickets?sort=deadline', 'pk', S, () => '/api/v1/tickets?limit=20&sort=deadline'),
    get('GET /tickets/:id (detail)', 'pk', S, (d) => `/api/v1/tickets/${d.sampleTicketId}`),
    get('GET /tickets/counts (coordinator)', 'pk', S, () => '/api/v1/tickets/counts'),
    get('GET /tickets/counts (department)', 'pk', D, () => '/api/v1/tickets/counts'),
    poolWrite('POST /tickets/:id/accept', (d) => d.toAccept, async (id, ctx) => ({
      method: 'POST', path: `/api/v1/tickets/${id}/accept`, headers: auth(await ctx.token(D(ctx.district))), body: JSON.stringify({ version: 2 }),
    })),
    poolWrite('POST /tickets/:id/reply', (d) => d.toReply, async (id, ctx) => ({
      method: 'POST', path: `/api/v1/tickets/${id}/reply`, headers: auth(await ctx.token(D(ctx.district))),
      body: JSON.stringify({ version: 3, outcome: 'solved', text: '已协调解决，基准答复。' }),
    })),
    poolWrite('POST /visits/:id/check-in', (d) => d.toCheckIn, async (v, ctx) => ({
      method: 'POST', path: `/api/v1/visits/${v.visitId}/check-in`, headers: auth(await ctx.token(v.stewardUsername)),
      // generated enterprises have no fence near this point: an 外勤 check-in, which needs its reason
      body: JSON.stringify({ location: { lat: 41.12, lng: 122.07, datum: 'wgs84' }, accuracyM: 20, photoId: v.photoId, offsiteReason: '基准测试' }),
    })),
    get('GET /ticket-stats (year to date)', 'pk', S, () => `/api/v1/ticket-stats?from=${year()}-01-01&to=${today()}`),
    get('GET /reports/monthly', 'pk', S, () => `/api/v1/reports/monthly?month=${today().slice(0, 7)}`),
    // docs/metrics.md: the month's summary (ADR 0011 target: p95 < 300 ms at 1,000,000 tickets), the last whole month's
    // department breakdown, ranking and work report.
    get('GET /stats/summary (this month)', 'pk', S, () => `/api/v1/stats/summary?from=${today().slice(0, 7)}-01&to=${today()}`),
    get('GET /stats/summary (last 30 days, live)', 'pk', S, () => `/api/v1/stats/summary?from=${last30().from}&to=${last30().to}`),
    get('GET /stats/summary (last month to today)', 'pk', S, () => `/api/v1/stats/summary?from=${lastMonth().from}&to=${today()}`),
    get('GET /stats/summary (last month)', 'pk', S, () => `/api/v1/stats/summary?from=${lastMonth().from}&to=${lastMonth().to}`),
    get('GET /stats/breakdown?by=department (last month)', 'pk', S, () => `/api/v1/stats/breakdown?from=${lastMonth().from}&to=${lastMonth().to}&by=department`),
    get('GET /stats/series?interval=week (last month)', 'pk', S, () => `/api/v1/stats/series?from=${lastMonth().from}&to=${lastMonth().to}&interval=week`),
    get('GET /stats/rankings/departments (last month)', 'pk', S, () => `/api/v1/stats/rankings/departments?month=${lastMonth().from.slice(0, 7)}`),
    get('GET /reports/work (last month, json)', 'pk', S, () => `/api/v1/reports/work?from=${lastMonth().from}&to=${lastMonth().to}`),
    get('GET /cadence/overdue', 'pk', S, () => '/api/v1/cadence/overdue'),
    get('GET /visits/coverage (this month)', 'pk', S, () => `/api/v1/visits/coverage?from=${today().slice(0, 7)}-01&to=${today()}`),
  ];
}

/**
 * Runs every scenario against `ctx.url` at `connections`, reading the server's statement counter and peak RSS
 * around each phase. Reads get a short unrecorded warm-up (plans, JIT); writes consume their pools once.
 */
export async function runLoad(ctx: LoadCtx, opts: LoadOptions): Promise<Figure[]> {
  const canary = startCanary();
  try {
    return await runPhases(ctx, opts, canary);
  } finally {
    canary.stop();
  }
}

type LoadOptions = { connections: number; duration: number; only?: RegExp; log?: (s: string) => void };
type Canary = { reset: () => void; read: () => Promise<number | undefined>; stop: () => void };

/** The idle process of idle-canary.ts (absent when run from sources, as jest does: the reading is then left out). */
function startCanary(): Canary {
  const file = path.join(__dirname, 'idle-canary.js');
  const child = fs.existsSync(file) ? fork(file, [], { stdio: 'ignore', execArgv: [] }) : null;
  return {
    reset: () => child?.send('reset'),
    read: () => child
      ? new Promise((resolve) => {
        const t = setTimeout(() => resolve(undefined), 2000);
        child.once('message', (m: { maxMs: number }) => { clearTimeout(t); resolve(m.maxMs); });
        child.send('read');
      })
      : Promise.resolve(undefined),
    stop: () => child?.kill(),
  };
}

async function runPhases(ctx: LoadCtx, opts: LoadOptions, canary: Canary): Promise<Figure[]> {
  const log = opts.log ?? (() => {});
  // only the read before a phase resets the peaks (the drain's polls used to, so the peaks were those of its last poll)
  const counters = async (reset = false) => (await fetch(`${ctx.url}/__bench/counters${reset ? '?reset' : ''}`)).json() as Promise<{ statements: number; served: number; peakRssMb: number; inflight: number; loopMaxMs?: number }>;
  // autocannon stops at the deadline but the server finishes what it accepted: wait, so phases do not overlap.
  const drain = async () => {
    for (let i = 0; i < 600 && (await counters()).inflight > 0; i++) await new Promise((r) => setTimeout(r, 200));
  };
  // autocannon checks its deadline once per sample (1 s by default): a 0.4 s phase (the jest run) lasted 1 s
  const sampleInt = Math.min(1000, Math.max(50, opts.duration * 250));
  const figures: Figure[] = [];
  const base: Partial<Record<BaselineName, number>> = {};
  const baseNames: BaselineName[] = ['bare', 'pk', 'insert'];
  for (const [i, s] of scenarios().entries()) {
    if (opts.only && i > 2 && !opts.only.test(s.name)) continue;
    const { requests, amount } = await s.build(ctx);
    const single = await timeOne(ctx.url, requests[0]);
    if (s.kind === 'read' && opts.duration >= 1) await autocannon({ url: ctx.url, connections: opts.connections, duration: Math.min(1, opts.duration), requests });
    await drain();
    const before = await counters(true);
    canary.reset();
    const r = await autocannon({ url: ctx.url, connections: opts.connections, timeout: 60, sampleInt, ...(amount !== undefined ? { amount: Math.max(1, amount) } : { duration: opts.duration }), requests });
    await drain();
    const after = await counters();
    const idleLoopMaxMs = await canary.read();
    const errors = r.errors + r.timeouts + r.non2xx;
    const f: Figure = {
      name: s.name, baseline: s.baseline, reqPerSec: Math.round((r.requests.total / Math.max(0.01, r.duration)) * 10) / 10, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
      requests: r.requests.total, errors, singleMs: single.ms, singleStatus: single.status,
      // per request the server finished in the phase, stragglers included (drained before `after`)
      statementsPerRequest: after.served > before.served ? Math.round(((after.statements - before.statements) / (after.served - before.served)) * 10) / 10 : null,
      peakRssMb: after.peakRssMb, ratio: null, loopMaxMs: after.loopMaxMs, idleLoopMaxMs,
    };
    if (i < 3) base[baseNames[i]] = f.reqPerSec;
    if (s.baseline && base[s.baseline]) f.ratio = Math.round((f.reqPerSec / base[s.baseline]!) * 1000) / 1000;
    figures.push(f);
    log(formatRow(f));
  }
  return figures;
}

/** One request on its own, in milliseconds (a pool write consumes its item like any other). */
async function timeOne(url: string, req: AcRequest): Promise<{ ms: number; status: number }> {
  const r = req.setupRequest ? req.setupRequest({ ...req }) : req;
  const t0 = performance.now();
  const res = await fetch(`${url}${r.path}`, { method: r.method ?? 'GET', headers: r.headers, body: r.body });
  await res.arrayBuffer();
  return { ms: Math.round(performance.now() - t0), status: res.status };
}

/** One line of the console table. */
export function formatRow(f: Figure): string {
  return `  ${f.name.padEnd(48)} 1×${String(f.singleMs).padStart(6)} ms ${String(f.reqPerSec).padStart(8)} req/s  p50 ${String(f.p50Ms).padStart(5)} ms  p99 ${String(f.p99Ms).padStart(6)} ms  err ${String(f.errors).padStart(4)}  ` +
    `sql/req ${String(f.statementsPerRequest ?? '-').padStart(5)}  rss ${f.peakRssMb} MB${f.loopMaxMs !== undefined ? `  loop max ${f.loopMaxMs} ms` : ''}${f.idleLoopMaxMs !== undefined ? ` (idle ${f.idleLoopMaxMs})` : ''}${f.ratio !== null ? `  ${f.ratio}× ${f.baseline}` : ''}`;
}
