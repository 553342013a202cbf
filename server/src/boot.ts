import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import Module from 'node:module';

/**
 * The production entry (`npm start` through scripts/start.js, the Docker image): runs server.bundle.js, the whole
 * server in one file (scripts/bundle-server.js, part of `npm run build`), with V8's code cache, so a warm start
 * neither resolves ~1,400 modules nor compiles their functions again (docs/benchmarks.md, "Issue 9, session 6").
 * Without a bundle it runs server.js, the per-file build, which stays the entry for tests and the bench's children.
 *
 * The cache is written next to the bundle a few seconds after start (or at exit, if sooner), once the start's
 * functions are compiled, and named by the bundle's size and modification time and by the Node version: a rebuilt
 * bundle or another Node never reads an old one (V8 itself also rejects a cache made by another V8 or for another source). Where the folder is
 * read-only there is no cache and nothing else changes. GUANJIA_CODE_CACHE=0 turns the cache off.
 */
const CACHE_DELAY_MS = 5000;

type Internal = { wrap(src: string): string; _nodeModulePaths(dir: string): string[] };

function main() {
  const bundle = path.join(__dirname, 'server.bundle.js');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(bundle);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./server');
    return;
  }
  if (process.env.GUANJIA_CODE_CACHE === '0') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(bundle);
    return;
  }
  const cacheFile = path.join(__dirname, `server.bundle.${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const internal = Module as unknown as Internal;
  // No import() inside the bundle: a script from a cache made by another process loses its dynamic-import
  // callback on Node 20, so the one ES module the server imports is loaded by lib/esm-import.js, outside.
  const script = new vm.Script(internal.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = internal._nodeModulePaths(__dirname);
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, __dirname);
  mod.loaded = true;
  if (cachedData && !script.cachedDataRejected) return;
  let written = false;
  const writeCache = () => {
    if (written) return;
    written = true;
    // Written whole under another name and renamed: two instances starting together never read half a file.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  };
  setTimeout(writeCache, CACHE_DELAY_MS).unref();
  // A process stopped sooner (a health check's start and stop) writes it on its way out; 'exit' allows only
  // synchronous work, which this is.
  process.once('exit', writeCache);
}

main();
