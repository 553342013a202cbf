// Jest's order for test files: the last run's failures first, then the longest first, so that no long file starts
// near the end while the other workers sit idle. Jest knows a file's duration only from its cache of earlier runs;
// CI runs from a clean clone without that cache, and jest then falls back to file size — which put the bench
// (a 1.5 KB file, 80 s) and the demo seeds among the last files, each a tail of a minute on one worker. Here a
// file without a cached duration gets an estimate instead: the browser tests (every one takes a minute or more on
// the 2-core CI machine) and the slow server files below, measured there. A missing or stale entry only moves a
// file in the order; it never skips or changes a test.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/** Seconds each took in a full run on the 2-core CI machine (three workers). */
const SLOW = {
  'server/test/fuzz/api-fuzz.test.ts': 100,
  'server/src/bench/bench.test.ts': 80,
  'server/src/modules/indicators/indicators.test.ts': 80,
  'server/src/modules/visits/cadence-counts.test.ts': 70,
  'server/src/modules/tickets/lifecycle/queue-counts.test.ts': 55,
  'server/src/demo/project-demo.test.ts': 35,
  'server/src/ops/backup.test.ts': 30,
  'server/src/ops/shutdown.test.ts': 30,
  'server/src/demo/ticket-demo.test.ts': 25,
};
const BROWSER_TEST = 60;
const root = path.resolve(__dirname, '..');

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const size = (t) => t.context.hasteFS.getSize(t.path) ?? 0;
    const estimate = (t) => {
      const rel = path.relative(root, t.path).split(path.sep).join('/');
      return this.time(t) ?? SLOW[rel] ?? (rel.startsWith('e2e/') ? BROWSER_TEST : undefined);
    };
    for (const t of tests) t.duration = estimate(t);
    return [...tests].sort((a, b) => {
      const failed = Number(this.hasFailed(b)) - Number(this.hasFailed(a));
      if (failed) return failed;
      if ((a.duration == null) !== (b.duration == null)) return a.duration == null ? 1 : -1;
      if (a.duration != null && b.duration != null && a.duration !== b.duration) return b.duration - a.duration;
      return size(b) - size(a);
    });
  }
}

module.exports = SlowFirstSequencer;
