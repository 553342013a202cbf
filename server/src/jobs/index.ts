import type { FastifyInstance } from 'fastify';
import { visitJobs } from '../modules/visits/visit.jobs';
import { ticketJobs } from '../modules/tickets/ticket.jobs';
import { wechatOutboxJob } from '../modules/wechat/outbox-relay';
import { authJobs } from '../modules/auth/auth.jobs';
import { projectJobs } from '../modules/projects/project.jobs';
import { indicatorJobs } from '../modules/indicators/indicator.jobs';

import type { Job } from './job';

export type { Job };

/** Every job this process runs; modules add theirs here. */
export const jobs: Job[] = [...visitJobs, ...ticketJobs, ...projectJobs, ...indicatorJobs, wechatOutboxJob, ...authJobs];

/** Starts every job on its interval (or every `everyMs`, JOB_INTERVAL_MS); returns a stop function for graceful shutdown. */
export function startJobs(app: FastifyInstance, list: Job[] = jobs, everyMs: number | null = null): { stop: () => void } {
  const timers = list.map((job) =>
    setInterval(() => {
      job.run(app).catch((err) => app.log.error({ err, job: job.name }, 'job failed'));
    }, everyMs ?? job.everyMs),
  );
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}
