import os from 'node:os';
import type { DataSource } from 'typeorm';
import { shanghaiDate } from '@guanjia/shared';
import type { Figure, LoadCtx } from './load';

/** Rows the ledger figure is about: "100,000 rows in under 10 s, memory under 250 MB above idle". */
export const EXPORT_ROWS = 100_000;

/**
 * The 诉求台账 export on its own (not under autocannon: one download is the figure): a submission period chosen so
 * the sheet holds at least EXPORT_ROWS rows (all of them in quick mode), downloaded by the coordinator as a stream;
 * the server's RSS is read just before (idle) and as a peak during the export.
 */
export async function runLedgerExport(ctx: LoadCtx, ds: DataSource, log: (s: string) => void): Promise<Figure & { rows: number; bytes: number; idleRssMb: number; rssAboveIdleMb: number }> {
  const [edge] = await ds.query(`SELECT created_at FROM ticket WHERE district_id = $1 ORDER BY created_at DESC OFFSET $2 LIMIT 1`, [ctx.district.districtId, EXPORT_ROWS - 1]);
  const from = edge ? shanghaiDate(new Date(edge.created_at)) : '2000-01-01';
  const to = shanghaiDate(new Date(Date.now() + 86_400_000 * 400));
  const counters = async () => (await fetch(`${ctx.url}/__bench/counters?reset`)).json() as Promise<{ peakRssMb: number; statements: number; loopMaxMs: number }>;
  const token = await ctx.token(ctx.district.usernames.coordinator);
  // Settle, then two reads: the second one's peak is the idle RSS (each read resets the peak to the current RSS).
  if (global.gc) global.gc();
  await new Promise((r) => setTimeout(r, 500));
  await counters();
  await new Promise((r) => setTimeout(r, 300));
  const idle = await counters();
  // Is the API still answering while the sheet is written? One /healthz at a time, back to back, for the whole export.
  const pings: number[] = [];
  let exporting = true;
  const pinger = (async () => {
    while (exporting) {
      const p0 = performance.now();
      await fetch(`${ctx.url}/healthz`).then((r) => r.arrayBuffer());
      pings.push(performance.now() - p0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const res = await fetch(`${ctx.url}/api/v1/ledgers/tickets?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  const ms = Math.round(performance.now() - t0);
  exporting = false;
  await pinger;
  const after = await counters();
  pings.sort((a, b) => a - b);
  const ping = (q: number) => Math.round(pings[Math.min(pings.length - 1, Math.floor(q * pings.length))] ?? 0);
  const rows = Number(res.headers.get('x-ledger-rows') ?? 0);
  const f = {
    name: `GET /ledgers/tickets (.xlsx, ${rows.toLocaleString('en')} rows)`, baseline: null, reqPerSec: 0, p50Ms: ms, p99Ms: ms, requests: 1, errors: res.status === 200 ? 0 : 1,
    singleMs: ms, singleStatus: res.status, statementsPerRequest: after.statements - idle.statements, peakRssMb: after.peakRssMb, ratio: null,
    rows, bytes, idleRssMb: idle.peakRssMb, rssAboveIdleMb: after.peakRssMb - idle.peakRssMb, loopMaxMs: after.loopMaxMs,
  };
  log(`  ${f.name.padEnd(48)} ${ms} ms, ${(bytes / 1048576).toFixed(1)} MB file, ${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s; ` +
    `server RSS idle ${idle.peakRssMb} MB, peak ${after.peakRssMb} MB (+${f.rssAboveIdleMb} MB); ${f.statementsPerRequest} SQL statements; ` +
    `event loop max delay ${after.loopMaxMs} ms; /healthz during it: ${pings.length} calls, p50 ${ping(0.5)} / p99 ${ping(0.99)} / max ${ping(1)} ms; ` +
    `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (a shared machine's other work slows every figure)`);
  return f;
}
