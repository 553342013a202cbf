import path from 'node:path';
import { spawn } from 'node:child_process';
import { freePort } from './free-port';

/** Start-up to readiness of the built server, warm: what an operator waits for on a restart or a new instance. */
export type StartupFigure = {
  runs: number; medianMs: number; minMs: number; maxMs: number; samplesMs: number[];
  /** the same-run baseline: a process that loads Fastify and answers /readyz (Node's start and Fastify's own cost) */
  baselineMedianMs: number; ratio: number;
};

/** The baseline process: Fastify alone, answering /readyz on PORT. */
const BARE = `const f = require('fastify')(); f.get('/readyz', async () => ({ status: 'ready' })); f.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`;

/**
 * Spawns the production entry, `node server/dist/server/src/boot.js` (the one-file bundle with V8's code cache when
 * `npm run build` made one; the first, uncounted run writes the cache), against an already migrated database `runs` times (the first run
 * warms the OS file cache and is not counted) and times spawn → first 200 on /readyz, polling every 10 ms. Each
 * server is stopped with SIGTERM (by its PID) before the next starts.
 */
export async function measureStartup(dbUrl: string, runs = 5): Promise<StartupFigure> {
  const server = await timeStarts([path.join(__dirname, '..', 'boot.js')], dbUrl, runs);
  const bare = await timeStarts(['-e', BARE], dbUrl, runs);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    runs, medianMs: med(server), minMs: Math.min(...server), maxMs: Math.max(...server), samplesMs: server,
    baselineMedianMs: med(bare), ratio: Math.round((med(server) / med(bare)) * 10) / 10,
  };
}

async function timeStarts(argv: string[], dbUrl: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const port = await freePort();
    const t0 = performance.now();
    const child = spawn(process.execPath, argv, {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1', RUN_JOBS: 'false', H5_DIR: '', LOG_LEVEL: 'warn', GUANJIA_DEV: process.env.JWT_SECRET ? process.env.GUANJIA_DEV : '1' },
    });
    let stderr = '';
    child.stderr!.on('data', (b) => { stderr += b; });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.slice(0, 500)}`);
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (ok) break;
        if (performance.now() - t0 > 60_000) throw new Error('server not ready within 60 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      if (i > 0) samples.push(Math.round(performance.now() - t0));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }
  return samples;
}
