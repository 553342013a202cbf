import type { FastifyInstance } from 'fastify';
import { startBenchServer } from './harness';
import { jobs, startJobs, type Job } from '../jobs';
import { runTicketDeadlines } from '../modules/tickets/ticket.jobs';

/**
 * The bench's server process: the real app plus the bench routes; tells the parent its URL, stops on 'stop'
 * (or SIGTERM). scale:local starts two of them on fixed ports (BENCH_PORT) and, on POST /__bench/jobs/start, runs
 * every scheduled job every JOB_INTERVAL_MS, counting per job how often it ran here and what the deadlines job did.
 */
const counts: Record<string, { runs: number; failed: number; worked: number }> = {};
let running: { stop: () => void } | null = null;
const counted: Job[] = jobs.map((j) => ({
  ...j,
  run: async (app) => {
    const c = (counts[j.name] ??= { runs: 0, failed: 0, worked: 0 });
    c.runs++;
    try {
      if (j.name === 'ticket-deadlines') {
        // read after the await: a run outlasting the interval overlaps the next one
        const r = await runTicketDeadlines(app.db);
        c.worked += r.supervised;
      } else await j.run(app);
    } catch (e) {
      c.failed++;
      throw e;
    }
  },
}));

function jobRoutes(app: FastifyInstance) {
  app.post('/__bench/jobs/start', async () => {
    running ??= startJobs(app, counted, Number(process.env.JOB_INTERVAL_MS ?? 2000));
    return { started: true };
  });
  app.get('/__bench/jobs', async () => ({ pid: process.pid, counts }));
}

const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined;
startBenchServer(process.env.BENCH_DB_URL!, { port, routes: jobRoutes }).then((s) => {
  if (process.send) process.send({ url: s.url });
  else console.log(`bench server ${process.pid} listening on ${s.url}`);
  const stop = async () => {
    running?.stop();
    await s.close();
    process.exit(0);
  };
  process.on('message', (m) => void (m === 'stop' && stop()));
  process.on('SIGTERM', () => void stop());
}, (e) => {
  console.error(e);
  process.exit(1);
});
