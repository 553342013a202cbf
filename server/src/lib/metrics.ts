import client from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client). One registry per process: test files build several apps in one
 * process, so metrics are created once here and the app plugin (plugins/metrics.ts) only feeds them. Collect-time
 * gauges (pool, outbox, jobs) read their sources through `collectors`, which the latest app replaces.
 */
export const registry = new client.Registry();
registry.setDefaultLabels({ app: 'guanjia' });
client.collectDefaultMetrics({ register: registry, prefix: 'guanjia_' });

/** Requests by route template (never the raw URL: ids would explode the series), method and status class. */
export const httpRequests = new client.Counter({
  name: 'guanjia_http_requests_total',
  help: 'HTTP requests answered, by route template, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

/** Latency by route template; buckets span a fast read (5 ms) to a slow report (10 s). */
export const httpDuration = new client.Histogram({
  name: 'guanjia_http_request_duration_seconds',
  help: 'HTTP request latency by route template and method',
  labelNames: ['route', 'method'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Requests in flight (graceful shutdown waits for these to reach zero). */
export const httpInFlight = new client.Gauge({ name: 'guanjia_http_requests_in_flight', help: 'HTTP requests being served', registers: [registry] });

/** Wrong passwords (401) and answers to a locked account (423) at the login route. */
export const loginFailures = new client.Counter({
  name: 'guanjia_login_failures_total',
  help: 'Failed password logins by reason (invalid credentials, account locked)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** Locks set (the failure that crossed LOGIN_MAX_FAILURES), counted where the audit row is written. */
export const loginLockouts = new client.Counter({ name: 'guanjia_login_lockouts_total', help: 'Account lockouts started (per person and client address)', registers: [registry] });

/** Job runs by outcome; `skipped` = another instance held the lock, or the previous run is still going. */
export const jobRuns = new client.Counter({
  name: 'guanjia_job_runs_total',
  help: 'Scheduled job runs by job and result (success, failure, overlap)',
  labelNames: ['job', 'result'] as const,
  registers: [registry],
});

export const jobDuration = new client.Histogram({
  name: 'guanjia_job_duration_seconds',
  help: 'Scheduled job run time',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [registry],
});

/** Rows (or files) a personal-data / plumbing retention job removed. */
export const retentionRemoved = new client.Counter({
  name: 'guanjia_retention_removed_total',
  help: 'Records removed or erased by retention jobs, by job and kind',
  labelNames: ['job', 'kind'] as const,
  registers: [registry],
});

/** Sources read at scrape time; the running app sets them (plugins/metrics.ts, jobs/index.ts). */
export const collectors: {
  pool?: () => { total: number; idle: number; waiting: number; max: number };
  outbox?: () => Promise<{ pending: number; oldestAgeSeconds: number }>;
  jobs?: () => { name: string; everyMs: number; lastRunAt: number | null; lastSuccessAt: number | null; running: boolean; since: number }[];
} = {};

new client.Gauge({
  name: 'guanjia_db_pool_connections',
  help: 'Database pool connections by state (total, idle, max) and requests waiting for one',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const p = collectors.pool?.();
    if (!p) return;
    this.set({ state: 'total' }, p.total);
    this.set({ state: 'idle' }, p.idle);
    this.set({ state: 'in_use' }, p.total - p.idle);
    this.set({ state: 'max' }, p.max);
    this.set({ state: 'waiting' }, p.waiting);
  },
});

/** How long callers waited for a pool connection (measured around pool.connect, plugins/metrics.ts). */
export const poolWait = new client.Histogram({
  name: 'guanjia_db_pool_wait_seconds',
  help: 'Time spent waiting for a database pool connection',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

new client.Gauge({
  name: 'guanjia_outbox_backlog',
  help: 'WeChat outbox: pending rows (due or not) and oldest_pending_age_seconds',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    if (!collectors.outbox) return;
    try {
      const o = await collectors.outbox();
      this.set({ state: 'pending' }, o.pending);
      this.set({ state: 'oldest_pending_age_seconds' }, o.oldestAgeSeconds);
    } catch {
      // database down: the gauge keeps its last value; readyz and the request metrics tell the story
    }
  },
});

const jobGauge = (name: string, help: string, value: (j: NonNullable<ReturnType<NonNullable<typeof collectors.jobs>>>[number], now: number) => number | null) =>
  new client.Gauge({
    name, help, labelNames: ['job'] as const, registers: [registry],
    collect() {
      const now = Date.now();
      for (const j of collectors.jobs?.() ?? []) {
        const v = value(j, now);
        if (v !== null) this.set({ job: j.name }, v);
      }
    },
  });

jobGauge('guanjia_job_last_success_timestamp_seconds', 'When the job last finished without error (Unix time)', (j) => (j.lastSuccessAt === null ? null : j.lastSuccessAt / 1000));
jobGauge('guanjia_job_interval_seconds', 'How often the job is scheduled', (j) => j.everyMs / 1000);
// Before its first success a job is measured from when the runner started (a 6-hourly purge is not late at boot).
jobGauge('guanjia_job_lag_seconds', 'Seconds the job is past its due run (0 when on time): time since last success minus its interval', (j, now) =>
  Math.max(0, (now - (j.lastSuccessAt ?? j.since) - j.everyMs) / 1000));
jobGauge('guanjia_job_running', '1 while a run of the job is in progress', (j) => (j.running ? 1 : 0));
