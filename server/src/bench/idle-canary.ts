import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * A forked process that does nothing but watch its own event loop: the delay the machine's scheduler alone imposes
 * while a phase keeps PostgreSQL and the server busy on the same cores. The server's own loop max is read against it
 * (a 2-core machine with ten busy backends held this idle process back 56 ms).
 * Messages: 'reset' starts a phase; 'read' answers { maxMs } since the reset.
 */
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.on('message', (m) => {
  if (m === 'reset') h.reset();
  else if (m === 'read') process.send?.({ maxMs: Math.round(h.max / 1e6) });
});
process.on('disconnect', () => process.exit(0));
