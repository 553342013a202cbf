import type { FastifyInstance } from 'fastify';
import { visitJobs } from '../modules/visits/visit.jobs';
import { ticketJobs } from '../modules/tickets/ticket.jobs';
import { wechatOutboxJob } from '../modules/wechat/outbox-relay';
import { authJobs } from '../modules/auth/auth.jobs';
import { projectJobs } from '../modules/projects/project.jobs';
import { indicatorJobs } from '../modules/indicators/indicator.jobs';

/** A scheduled job: `run` is called every `everyMs`; jobs guard against double runs themselves (advisory locks). */
export type Job = { name: string; everyMs: number; run: (app: FastifyInstance) => Promise<void> };

/** Every job this process runs; modules add theirs here. */
export const jobs: Job[] = [...visitJobs, ...ticketJobs, ...projectJobs, ...indicatorJobs, wechatOutboxJob, ...authJobs];

/** Starts every job on its interval; returns a stop function for graceful shutdown. */
export function startJobs(app: FastifyInstance, list: Job[] = jobs): { stop: () => void } {
  const timers = list.map((job) =>
    setInterval(() => {
      job.run(app).catch((err) => app.log.error({ err, job: job.name }, 'job failed'));
    }, job.everyMs),
  );
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}
