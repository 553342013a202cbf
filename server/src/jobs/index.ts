import type { FastifyInstance } from 'fastify';
import { visitJobs } from '../modules/visits/visit.jobs';
import { ticketJobs } from '../modules/tickets/ticket.jobs';
import { wechatOutboxJob } from '../modules/wechat/outbox-relay';
import { authJobs } from '../modules/auth/auth.jobs';
import { projectJobs } from '../modules/projects/project.jobs';
import { indicatorJobs } from '../modules/indicators/indicator.jobs';
import { collectors, jobDuration, jobRuns } from '../lib/metrics';
import { scrubText } from '../lib/log-safety';

import type { Job } from './job';

export type { Job };

/** Every job this process runs; modules add theirs here. */
export const jobs: Job[] = [...visitJobs, ...ticketJobs, ...projectJobs, ...indicatorJobs, wechatOutboxJob, ...authJobs];

/** What the runner knows about one job (readyz, /metrics). */
export type JobState = {
  name: string; everyMs: number; since: number; running: boolean;
  lastRunAt: number | null; lastSuccessAt: number | null; lastError: string | null; failures: number; behind: boolean;
};

/** A running job scheduler: its state, and a stop that waits for runs in progress (bounded by the caller). */
export type JobRunner = { states: () => JobState[]; behind: () => JobState[]; stop: () => Promise<void> };

/**
 * What /readyz and the "falling behind" warning say about a job's last failure. Database errors are named by type and
 * SQLSTATE only: PostgreSQL echoes offending values in its messages (a phone number, a name), and /readyz is public.
 * Other messages are scrubbed (lib/log-safety) and cut short. The full, safely serialized error is in the "job failed" log line.
 */
export function errorSummary(err: unknown): string {
  const e = (err && typeof err === 'object' ? err : {}) as { name?: string; code?: unknown; driverError?: { code?: unknown }; message?: unknown; constructor?: { name?: string } };
  const code = e.code ?? e.driverError?.code;
  const type = e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : e.name ?? 'Error';
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `${type} ${code}`;
  return scrubText(String(typeof e.message === 'string' ? e.message : err)).slice(0, 120);
}

/** A job is behind when it has not succeeded for two of its intervals (one missed run is not yet a trend). */
export const BEHIND_FACTOR = 2;

export function isBehind(s: Pick<JobState, 'lastSuccessAt' | 'since' | 'everyMs'>, now = Date.now()): boolean {
  return now - (s.lastSuccessAt ?? s.since) > BEHIND_FACTOR * s.everyMs;
}

/**
 * Starts every job on its interval. A run never overlaps the previous run of the same job (a slow run skips the
 * tick, counted as `overlap`). Runs are timed and counted; when a job falls behind (no success for two intervals)
 * the log warns once, and says again when it catches up. `stop()` clears the timers and waits for runs in progress,
 * so a shutdown never cuts a job's transaction in half (they are single transactions anyway; this keeps the pool
 * alive until they end).
 */
export function startJobs(app: FastifyInstance, list: Job[] = jobs, everyMs: number | null = null): JobRunner {
  const since = Date.now();
  const states = new Map<string, JobState>();
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  for (const job of list)
    states.set(job.name, { name: job.name, everyMs: everyMs ?? job.everyMs, since, running: false, lastRunAt: null, lastSuccessAt: null, lastError: null, failures: 0, behind: false });

  const checkBehind = (s: JobState) => {
    const now = isBehind(s);
    if (now && !s.behind) app.log.warn({ job: s.name, lastSuccessAt: s.lastSuccessAt && new Date(s.lastSuccessAt).toISOString(), everyMs: s.everyMs, lastError: s.lastError }, 'job is falling behind');
    else if (!now && s.behind) app.log.info({ job: s.name }, 'job caught up');
    s.behind = now;
  };

  const tick = (job: Job) => {
    const s = states.get(job.name)!;
    if (stopped) return;
    if (s.running) {
      jobRuns.inc({ job: job.name, result: 'overlap' });
      checkBehind(s);
      return;
    }
    s.running = true;
    s.lastRunAt = Date.now();
    const end = jobDuration.startTimer({ job: job.name });
    const p = job.run(app).then(
      () => {
        s.lastSuccessAt = Date.now();
        s.lastError = null;
        jobRuns.inc({ job: job.name, result: 'success' });
      },
      (err) => {
        s.failures += 1;
        s.lastError = errorSummary(err);
        jobRuns.inc({ job: job.name, result: 'failure' });
        app.log.error({ err, job: job.name }, 'job failed');
      },
    ).finally(() => {
      end();
      s.running = false;
      checkBehind(s);
      inflight.delete(p);
    });
    inflight.add(p);
  };

  const timers = list.map((job) => setInterval(() => tick(job), everyMs ?? job.everyMs));
  for (const t of timers) t.unref();
  // A job can fall behind without ticking (its run hangs): look once a minute.
  const watch = setInterval(() => states.forEach(checkBehind), 60_000);
  watch.unref();
  const runner: JobRunner = {
    states: () => [...states.values()].map((s) => ({ ...s })),
    behind: () => [...states.values()].filter((s) => isBehind(s)).map((s) => ({ ...s })),
    stop: async () => {
      stopped = true;
      timers.forEach(clearInterval);
      clearInterval(watch);
      await Promise.allSettled([...inflight]);
    },
  };
  collectors.jobs = runner.states;
  app.jobRunner.current = runner;
  return runner;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's job runner once started (server.ts); null when RUN_JOBS=false or in tests. */
    jobRunner: { current: JobRunner | null };
  }
}
