import type { FastifyInstance } from 'fastify';
import { configurePasswordHashing, passwordHashing } from '../modules/auth/auth.service';

type Ctx = { app: FastifyInstance; signedIn: { authorization: string }; wrongLogin: { username: string; password: string } };

/**
 * Ten wrong logins arriving together, while another user keeps calling GET /me: that user's latency and the
 * process's peak RSS, with password checks capped (PASSWORD_HASH_CONCURRENCY, default 2) and uncapped (10 at once,
 * the behaviour before the cap). argon2id takes 64 MiB and a libuv thread per check.
 */
export async function loginStorm(ctx: Ctx, concurrency: number, storms = 3): Promise<{ concurrency: number; meMedianMs: number; meMaxMs: number; peakRssMiB: number; loginsMs: number }> {
  configurePasswordHashing(concurrency, 1000);
  passwordHashing.peak = 0;
  const me: number[] = [];
  let peakRss = process.memoryUsage().rss;
  let loginsMs = 0;
  for (let s = 0; s < storms; s++) {
    let done = false;
    const t0 = Date.now();
    const logins = Promise.all(Array.from({ length: 10 }, () => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ctx.wrongLogin })))
      .then(() => { done = true; loginsMs += Date.now() - t0; });
    while (!done) {
      const a = process.hrtime.bigint();
      await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: ctx.signedIn });
      me.push(Number(process.hrtime.bigint() - a) / 1e6);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    await logins;
  }
  me.sort((x, y) => x - y);
  return { concurrency, meMedianMs: me[Math.floor(me.length / 2)], meMaxMs: me[me.length - 1], peakRssMiB: Math.round(peakRss / 2 ** 20), loginsMs: Math.round(loginsMs / storms) };
}

/** Bench entry (benches.ts): capped vs uncapped, same process, same database. */
export async function loginStormLines(app: FastifyInstance, signedIn: { authorization: string }, username: string): Promise<string[]> {
  const ctx = { app, signedIn, wrongLogin: { username, password: 'definitely-wrong' } };
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    const a = process.hrtime.bigint();
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: signedIn });
    idle.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  idle.sort((x, y) => x - y);
  // capped first: RSS rarely shrinks after a burst, so the uncapped run would inflate the capped one's peak
  const capped = await loginStorm(ctx, 2);
  const uncapped = await loginStorm(ctx, 10);
  configurePasswordHashing(app.config.passwordHashConcurrency, app.config.passwordHashQueue);
  const line = (r: Awaited<ReturnType<typeof loginStorm>>) =>
    `${r.concurrency} checks at once: GET /me median ${r.meMedianMs.toFixed(1)} ms, max ${r.meMaxMs.toFixed(1)} ms; peak RSS ${r.peakRssMiB} MiB; 10 logins answered in ${r.loginsMs} ms`;
  return [
    `GET /me with no logins: median ${idle[25].toFixed(1)} ms; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
    line(capped),
    `${line(uncapped)} (the libuv pool runs at most UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4} at once)`,
  ];
}
