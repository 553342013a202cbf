// `node scripts/parallel.js <npm script>...`: runs the package's npm scripts side by side (at most PARALLEL at a
// time, default: the number of cores + 1, since tsc and webpack each use about one core and wait on the disk too),
// prints each one's output in one piece when it ends, and fails if any of them failed (after all have ended, so
// every failure is shown). `npm test` runs the lint, the type checks and the H5 build this way before jest.
// PARALLEL_ALSO=<npm script>... runs more scripts among them, first (the longest go first): CI builds the WeChat
// target there (`PARALLEL_ALSO=build:weapp npm test`), where the other steps leave a core free, not after jest.
const { spawn } = require('node:child_process');
const os = require('node:os');

const scripts = [...(process.env.PARALLEL_ALSO ?? '').split(/\s+/).filter(Boolean), ...process.argv.slice(2)];
if (!scripts.length) {
  console.error('usage: node scripts/parallel.js <npm script>...');
  process.exit(2);
}
const limit = Math.max(1, Number(process.env.PARALLEL) || os.cpus().length + 1);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(name) {
  const started = Date.now();
  return new Promise((resolve) => {
    const out = [];
    const child = spawn(npm, ['run', '-s', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    const done = (code) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const text = Buffer.concat(out).toString().trimEnd();
      process.stdout.write(`\n> ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${secs} s\n${text ? `${text}\n` : ''}`);
      resolve(code === 0);
    };
    child.on('error', (e) => { out.push(Buffer.from(String(e))); done(-1); });
    child.on('close', (code, signal) => done(code ?? `signal ${signal}`));
  });
}

async function main() {
  const queue = [...scripts];
  const results = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) results.push([name, await run(name)]);
    }),
  );
  const failed = results.filter(([, ok]) => !ok).map(([name]) => name);
  if (failed.length) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exit(1);
  }
}

main();
