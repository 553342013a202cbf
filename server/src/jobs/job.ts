import type { FastifyInstance } from 'fastify';

/**
 * A scheduled job: `run` is called every `everyMs`; jobs guard against double runs themselves (advisory locks).
 * Its own file so that modules declaring jobs do not import the runner that imports them.
 */
export type Job = { name: string; everyMs: number; run: (app: FastifyInstance) => Promise<void> };
