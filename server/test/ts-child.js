// Preload for child processes in tests (`node -r ./server/test/ts-child.js server/src/server.ts`): compiles
// TypeScript on the fly with @swc/core (the same transform jest uses) and maps @guanjia/shared to its sources, so a
// test can start the real server process without `npm run build`.
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const swc = require('@swc/core');

// TS_CHILD_ROOT: another checkout (the previous release, upgrade.test.ts) whose sources this process runs.
const root = process.env.TS_CHILD_ROOT ? path.resolve(process.env.TS_CHILD_ROOT) : path.resolve(__dirname, '..', '..');
const shared = path.join(root, 'shared', 'src', 'index.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === '@guanjia/shared') return shared;
  if (request.startsWith('@guanjia/shared/')) request = path.join(root, 'shared', 'src', request.slice('@guanjia/shared/'.length));
  return resolve.call(this, request, parent, ...rest);
};
const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs', ignoreDynamic: true },
  sourceMaps: 'inline',
};
require.extensions['.ts'] = function (module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
