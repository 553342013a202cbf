import { startBenchServer } from './harness';

/** The bench's server process: the real app plus the bench routes; tells the parent its URL, stops on 'stop'. */
startBenchServer(process.env.BENCH_DB_URL!).then((s) => {
  process.send!({ url: s.url });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await s.close();
    process.exit(0);
  });
}, (e) => {
  console.error(e);
  process.exit(1);
});
