import 'reflect-metadata';
import { addCalendarDays, shanghaiDate } from '@guanjia/shared';
import { createDataSource } from '../data-source';
import { indicatorSummary } from '../modules/indicators/indicators.service';
import { departmentRanking } from '../modules/indicators/rankings.service';

/**
 * `node server/dist/server/src/bench/summary-latency.js <database url> [runs]`: one caller at a time (a leader opening
 * the dashboard), the month's indicator summary and ranking on a generated bench district (`npm run bench -- --keep`),
 * after one warm-up each: p50 / p95 / max in ms. The load phase of `npm run bench` measures the same routes under
 * 10 concurrent connections.
 */
async function main() {
  const url = process.argv[2];
  const runs = Number(process.argv[3] ?? 20);
  if (!url) throw new Error('usage: summary-latency <database url> [runs]');
  const db = createDataSource(url, { poolSize: 8, applicationName: 'guanjia-summary-latency' });
  await db.initialize();
  try {
    const [p] = await db.query(`SELECT id, district_id FROM person WHERE 'coordinator' = ANY(roles) AND district_id IS NOT NULL LIMIT 1`);
    const auth = { id: p.id, districtId: p.district_id, roles: ['coordinator' as const], enterpriseId: null, departmentId: null };
    const today = shanghaiDate(new Date());
    const [y, m] = today.split('-').map(Number) as [number, number];
    const py = m === 1 ? y - 1 : y;
    const pm = m === 1 ? 12 : m - 1;
    const lm = `${py}-${String(pm).padStart(2, '0')}`;
    const last = `${lm}-${String(new Date(Date.UTC(py, pm, 0)).getUTCDate()).padStart(2, '0')}`;
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ticket WHERE district_id = $1`, [auth.districtId]);
    const [{ load }] = [{ load: (await import('node:os')).loadavg()[0]!.toFixed(1) }];
    console.log(`${n.toLocaleString('en')} tickets; load average ${load}`);
    const cases: [string, () => Promise<unknown>][] = [
      ['summary, this month', () => indicatorSummary(db, auth, { from: `${today.slice(0, 7)}-01`, to: today })],
      // this month on its last day: a whole month, never from the closed-month rollup
      ['summary, last 30 days (live)', () => indicatorSummary(db, auth, { from: addCalendarDays(today, -29), to: today })],
      // whole months up to now: the delta rows (indicator-live.ts), here a whole month and this one so far
      ['summary, last month to today', () => indicatorSummary(db, auth, { from: `${lm}-01`, to: today })],
      ['summary, last month', () => indicatorSummary(db, auth, { from: `${lm}-01`, to: last })],
      ['department ranking, last month', () => departmentRanking(db, auth, lm)],
    ];
    for (const [name, fn] of cases) {
      await fn();
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await fn();
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      const q = (x: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(x * ms.length) - 1)]!);
      console.log(`${name.padEnd(32)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  max ${Math.round(ms[ms.length - 1]!)} ms  (${runs} runs, one at a time)`);
    }
  } finally {
    await db.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
