/** Runs `fn` `n` times after `warmup` runs; returns the median and p95 in milliseconds. */
export async function measure(fn: () => Promise<unknown>, n = 200, warmup = 20): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(n / 2)], p95: times[Math.floor(n * 0.95)] };
}

export const fmt = (m: { median: number; p95: number }) => `median ${m.median.toFixed(2)} ms, p95 ${m.p95.toFixed(2)} ms`;
export const ratio = (a: { median: number }, b: { median: number }) => `${(a.median / b.median).toFixed(2)}×`;
