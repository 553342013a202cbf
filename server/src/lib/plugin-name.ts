/**
 * Gives a plugin function the name Fastify shows for it. Without one, every `register` of a plain function searched
 * `require.cache` (some 2,000 modules) for the module exporting it (fastify's getPluginName): 2–3 % of the start's
 * CPU profile (docs/benchmarks.md, "Issue 9, session 5"). fastify-plugin does the same for plugins it wraps.
 */
export function named<T extends object>(fn: T & { name: string }): T {
  (fn as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] ??= fn.name;
  return fn;
}
